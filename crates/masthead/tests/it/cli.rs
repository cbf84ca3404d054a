//! The `masthead` binary itself: help, post add, seed, migrate and the errors users can cause.

use std::path::Path;
use std::process::{Command, Output};

fn masthead(args: &[&str], data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_masthead"))
        .args(args)
        .env("MASTHEAD_DATA", data)
        .env_remove("MASTHEAD_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run masthead")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_describes_every_command_with_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = text(&masthead(&["--help"], dir.path()));
    for cmd in [
        "serve", "demo", "seed", "post", "search", "member", "author", "migrate",
    ] {
        assert!(out.contains(cmd), "--help lists {cmd}");
    }
    let (serve, _) = text(&masthead(&["serve", "--help"], dir.path()));
    assert!(
        serve.contains("127.0.0.1:3000")
            && serve.contains("./masthead-data")
            && serve.contains("MASTHEAD_URL"),
        "{serve}"
    );
    let (seed, _) = text(&masthead(&["seed", "--help"], dir.path()));
    assert!(
        seed.contains("--posts") && seed.contains("default: 1"),
        "{seed}"
    );
}

#[test]
fn post_add_publishes_good_files_and_explains_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.md");
    std::fs::write(&good, "---\ntitle: Ports of Call\ndek: Why harbours matter\nsection: Deep Dive\ntags: [China, Maritime Security]\nauthors: [Dana Whitfield]\nvisibility: paid\n---\nOpening.\n\n<!--members-only-->\n\nThe rest.\n").unwrap();
    let bad = dir.path().join("bad.md");
    std::fs::write(
        &bad,
        "---\ntitle: Broken\nvisibility: everyone\n---\nBody\n",
    )
    .unwrap();
    let out = masthead(
        &["post", "add", good.to_str().unwrap(), bad.to_str().unwrap()],
        dir.path(),
    );
    let (stdout, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(
        stdout.contains("good.md: published at") && stdout.contains("/ports-of-call/"),
        "{stdout}"
    );
    assert!(
        stderr.contains("bad.md") && stderr.contains("visibility"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );

    // The same file again: the generated slug moves aside instead of colliding.
    let again = masthead(&["post", "add", good.to_str().unwrap()], dir.path());
    assert!(
        text(&again).0.contains("/ports-of-call-2/"),
        "{:?}",
        text(&again)
    );
}

#[test]
fn seed_is_deterministic_and_migrate_is_idempotent() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [&a, &b] {
        let out = masthead(&["seed", "--posts", "50", "--seed", "7"], dir.path());
        assert!(out.status.success(), "{:?}", text(&out));
        assert!(text(&out).0.contains("Added 50 posts"));
    }
    let titles = |dir: &Path| {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let store = store::Store::open_sqlite(&dir.join("masthead.db"))
                .await
                .unwrap();
            let page = store
                .list_posts(&store::PostFilter::posts(), 100, 0, chrono::Utc::now())
                .await
                .unwrap();
            page.iter().map(|p| p.title.clone()).collect::<Vec<_>>()
        })
    };
    let (ta, tb) = (titles(a.path()), titles(b.path()));
    assert_eq!(ta.len(), 50);
    let mut sorted_a = ta.clone();
    let mut sorted_b = tb.clone();
    sorted_a.sort();
    sorted_b.sort();
    assert_eq!(sorted_a, sorted_b);
    let migrate = masthead(&["migrate"], a.path());
    assert!(migrate.status.success());
    assert!(text(&migrate).0.contains("up to date"));
}

#[test]
fn user_errors_are_one_clear_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["serve", "--addr", "not-an-address"], "HOST:PORT"),
        (
            vec!["migrate", "--data", "/proc/masthead-cannot-exist"],
            "--data",
        ),
        (
            vec![
                "migrate",
                "--database-url",
                "postgres://nobody@127.0.0.1:1/none",
            ],
            "PostgreSQL is running",
        ),
        (
            vec!["migrate", "--database-url", "mysql://x"],
            "postgres://",
        ),
        (vec!["seed"], "--posts"),
        (vec!["post", "add", "/no/such/file.md"], "cannot read"),
    ];
    for (args, want) in cases {
        let out = masthead(&args, dir.path());
        let (_, stderr) = text(&out);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(stderr.contains(want), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn port_in_use_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = masthead(&["serve", "--addr", &addr], dir.path());
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(
        stderr.contains("cannot listen on") && stderr.contains("--addr"),
        "{stderr}"
    );
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_masthead"))
        .args(["serve", "--addr", &addr])
        .env("MASTHEAD_DATA", dir.path())
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(std::time::Instant::now() < deadline, "server did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains(&format!("http://{addr}/")), "{stdout}");
    assert!(
        stderr.contains("shutting down") && stderr.contains("stopped"),
        "{stderr}"
    );
}

#[test]
fn member_commands_add_comp_and_list() {
    let dir = tempfile::tempdir().unwrap();
    let tiers = masthead(&["seed", "--posts", "1"], dir.path());
    assert!(tiers.status.success());
    let add = masthead(
        &["member", "add", "Ada@Example.com", "--name", "Ada Lovelace"],
        dir.path(),
    );
    assert!(add.status.success(), "{:?}", text(&add));
    assert!(text(&add).0.contains("ada@example.com is a member"));
    let unknown = masthead(
        &["member", "comp", "ada@example.com", "--tier", "gold"],
        dir.path(),
    );
    assert!(!unknown.status.success());
    assert!(
        text(&unknown).1.contains("there is no tier \"gold\""),
        "{:?}",
        text(&unknown)
    );
    let bad = masthead(&["member", "add", "not-an-email"], dir.path());
    assert!(text(&bad).1.contains("is not an email address"));
}

#[test]
fn author_commands_add_edit_list_and_choose_the_default_author() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = masthead(args, dir.path());
        let (stdout, stderr) = text(&out);
        (out.status.success(), stdout, stderr)
    };
    let (ok, out, err) = run(&["author", "add", "Jane Doe", "--email", "Jane@Paper.example"]);
    assert!(
        ok && out.contains("Jane Doe is an author (slug jane-doe)"),
        "{out}{err}"
    );
    let (ok, _, err) = run(&["author", "add", "Jane Doe"]);
    assert!(
        !ok && err.contains("another author already has this slug"),
        "{err}"
    );
    let (ok, _, err) = run(&["author", "add", "Joe", "--email", "jane@paper.example"]);
    assert!(!ok && err.contains("email"), "{err}");
    let (ok, _, err) = run(&["author", "add", "Ann", "--email", "not-an-email"]);
    assert!(!ok && err.contains("is not an email address"), "{err}");
    let (ok, _, err) = run(&[
        "author",
        "edit",
        "jane-doe",
        "--name",
        "Jane Q. Doe",
        "--email",
        "jq@paper.example",
    ]);
    assert!(ok, "{err}");
    let (_, list, _) = run(&["author", "list"]);
    assert!(
        list.contains("jane-doe\tJane Q. Doe\tjq@paper.example"),
        "{list}"
    );
    let (ok, _, err) = run(&["author", "edit", "nobody"]);
    assert!(
        !ok && err.contains("no author has the slug \"nobody\""),
        "{err}"
    );

    let (ok, _, err) = run(&["settings", "set", "default_author", "nobody"]);
    assert!(!ok && err.contains("masthead author list"), "{err}");
    let (ok, _, err) = run(&["settings", "set", "default_author", "jane-doe"]);
    assert!(ok, "{err}");
    // A post file without authors gets the default author.
    let file = dir.path().join("unsigned.md");
    std::fs::write(&file, "---\ntitle: Unsigned\n---\nText.\n").unwrap();
    let (ok, _, err) = run(&["post", "add", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let authors = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = store::Store::open_sqlite(&dir.path().join("masthead.db"))
            .await
            .unwrap();
        let post = store.post_by_slug("unsigned").await.unwrap().unwrap();
        store.close().await;
        post.authors
    });
    assert_eq!(authors[0].slug.as_str(), "jane-doe");
}

/// The settings table checks values before they are stored (a meter that is not a number once
/// was stored and silently read as 0), and every setting lists its default.
#[test]
fn settings_refuse_values_that_would_not_read_and_list_every_default() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = masthead(args, dir.path());
        let (stdout, stderr) = text(&out);
        (out.status.success(), stdout, stderr)
    };
    let (ok, _, err) = run(&["settings", "set", "meter_members", "three"]);
    assert!(
        !ok && err.contains("meter_members") && err.contains("whole number"),
        "{err}"
    );
    let (ok, _, err) = run(&["settings", "set", "meter_members", "3"]);
    assert!(ok, "{err}");
    let (_, value, _) = run(&["settings", "get", "meter_members"]);
    assert_eq!(value.trim(), "3");
    let (_, list, _) = run(&["settings", "list"]);
    assert!(
        list.contains("free_paragraphs = \"2\"") && list.contains("meter_anonymous = \"0\""),
        "{list}"
    );
}

#[test]
fn comp_on_the_demo_site_grants_subscriber_plus() {
    let dir = tempfile::tempdir().unwrap();
    // The demo's tiers come with the demo; install it through the library, as `demo` does.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let cfg = crate::helpers::config(dir.path());
        let store = masthead::state::open_store(&cfg).await.unwrap();
        masthead::demo::install(&store, &cfg.media_dir())
            .await
            .unwrap();
        store.close().await;
    });
    let comp = masthead(
        &[
            "member",
            "comp",
            "ada@example.com",
            "--tier",
            "subscriber-plus",
            "--until",
            "2099-12-31",
        ],
        dir.path(),
    );
    assert!(comp.status.success(), "{:?}", text(&comp));
    assert!(
        text(&comp)
            .0
            .contains("ada@example.com now has Subscriber+ until 2099-12-31")
    );
    let list = text(&masthead(&["member", "list"], dir.path())).0;
    let line = list
        .lines()
        .find(|l| l.starts_with("ada@example.com"))
        .expect("listed");
    assert!(
        line.contains("subscriber-plus") && line.contains("comped") && line.contains("2099-12-31"),
        "{line}"
    );
    assert!(
        list.contains("subscriber@example.com"),
        "the demo's members are listed"
    );
    let bad_date = masthead(
        &[
            "member",
            "comp",
            "ada@example.com",
            "--tier",
            "subscriber-plus",
            "--until",
            "soon",
        ],
        dir.path(),
    );
    assert!(text(&bad_date).1.contains("must be a date"));
}

#[test]
fn search_reindex_and_the_post_lifecycle_commands() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("story.md");
    std::fs::write(
        &file,
        "---\ntitle: Harbour Pilots Strike\nsection: News\n---\nPilots walked out at dawn.\n",
    )
    .unwrap();
    assert!(
        masthead(&["post", "add", file.to_str().unwrap()], dir.path())
            .status
            .success()
    );
    assert!(
        masthead(&["seed", "--posts", "20"], dir.path())
            .status
            .success()
    );

    let out = masthead(&["search", "reindex"], dir.path());
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.starts_with("Indexed ") && stdout.contains("MB in"),
        "{stdout}"
    );
    let indexed: u64 = stdout.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert!(
        (15..=21).contains(&indexed),
        "published posts only: {stdout}"
    );
    assert!(dir.path().join("search").join("meta.json").is_file());

    let (stdout, _) = text(&masthead(
        &["post", "unpublish", "harbour-pilots-strike"],
        dir.path(),
    ));
    assert!(stdout.contains("unpublished"), "{stdout}");
    let (stdout, _) = text(&masthead(
        &["post", "publish", "harbour-pilots-strike"],
        dir.path(),
    ));
    assert!(stdout.contains("published at"), "{stdout}");
    let refused = masthead(&["post", "delete", "harbour-pilots-strike"], dir.path());
    assert!(!refused.status.success());
    assert!(text(&refused).1.contains("--yes"));
    let (stdout, _) = text(&masthead(
        &["post", "delete", "harbour-pilots-strike", "--yes"],
        dir.path(),
    ));
    assert!(stdout.contains("deleted"), "{stdout}");
    let missing = masthead(&["post", "publish", "no-such-post"], dir.path());
    assert!(!missing.status.success());
    assert!(text(&missing).1.contains("no post or page has the slug"));
    let bad_time = masthead(&["post", "publish", "x", "--at", "tomorrow"], dir.path());
    assert!(!bad_time.status.success());
}

#[test]
fn user_add_prints_a_one_time_set_password_link_and_user_list_shows_the_staff() {
    let dir = tempfile::tempdir().unwrap();
    let out = masthead(
        &[
            "user",
            "add",
            "Olga@News.example",
            "--role",
            "owner",
            "--name",
            "Olga Owner",
        ],
        dir.path(),
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("/admin/password/"), "{stdout}");
    let second = masthead(
        &["user", "add", "o2@news.example", "--role", "owner"],
        dir.path(),
    );
    assert!(!second.status.success(), "one owner");
    assert!(text(&second).1.contains("may not"), "{}", text(&second).1);
    let editor = masthead(
        &["user", "add", "ed@news.example", "--role", "editor"],
        dir.path(),
    );
    assert!(editor.status.success());
    let bad = masthead(
        &["user", "add", "x@news.example", "--role", "boss"],
        dir.path(),
    );
    assert!(!bad.status.success());
    assert!(text(&bad).1.contains("Unknown role"), "{}", text(&bad).1);
    let (list, _) = text(&masthead(&["user", "list"], dir.path()));
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(
        lines[0].starts_with("owner")
            && lines[0].contains("olga@news.example")
            && lines[0].contains("Olga Owner")
    );
    assert!(lines[1].starts_with("editor") && lines[1].contains("ed@news.example"));
}
