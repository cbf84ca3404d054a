//! Sitemaps and robots.txt: validated with `xmllint --schema` against the XSDs in `xsd/` (written
//! from the sitemaps.org 0.9 protocol and Google's image and news extensions), and checked to
//! list exactly the live content with the News sitemap's required elements.

use crate::helpers::{TestApp, TestResponse};
use axum::http::{Method, StatusCode};
use chrono::{Duration, SecondsFormat, Utc};
use domain::{LeadImage, PostKind, Status, Visibility};
use masthead::compose::{Composer, Draft, save};
use std::io::Write;
use std::path::Path;
use std::process::Command;

fn xmllint_available() -> bool {
    Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// True (after saying so) when xmllint is missing; with `CI=true` a missing xmllint fails.
fn skip_without_xmllint() -> bool {
    if xmllint_available() {
        return false;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "xmllint is missing; .ci/run installs libxml2-utils with apt-get"
    );
    let _ = writeln!(
        std::io::stderr(),
        "skipped: xmllint not available (apt-get install libxml2-utils)"
    );
    true
}

/// `xmllint --schema xsd/{schema}` on `xml`: Ok, or the validator's complaint.
fn validate(xml: &str, schema: &str) -> Result<(), String> {
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/xsd")
        .join(schema);
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(xml.as_bytes()).unwrap();
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(file.path())
        .output()
        .expect("run xmllint");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// The text of every `<{name}>` element, in order (entities decoded as XML needs).
pub fn elements(xml: &str, name: &str) -> Vec<String> {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    xml.split(&open)
        .skip(1)
        .map(|s| {
            s.split(&close)
                .next()
                .unwrap()
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

fn xml(res: &TestResponse) -> &str {
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "application/xml; charset=utf-8");
    assert!(res.header("cache-control").starts_with("public"));
    &res.body
}

/// Saves a post; returns its slug.
async fn plant(app: &TestApp, title: &str, adjust: impl FnOnce(&mut Draft)) -> String {
    let mut d = Draft::new(
        PostKind::Post,
        title,
        "Opening.\n\n<!--members-only-->\n\nRest.\n",
    );
    d.section = Some("news".into());
    d.published_at = Some(Utc::now() - Duration::hours(1));
    adjust(&mut d);
    let post = Composer::new(&app.state.store)
        .compose(d, Utc::now())
        .await
        .unwrap();
    let slug = post.slug.to_string();
    save(&app.state.store, &[post]).await.unwrap();
    slug
}

#[tokio::test]
async fn every_sitemap_validates_against_the_published_formats() {
    if skip_without_xmllint() {
        return;
    }
    let app = TestApp::demo().await;
    plant(&app, "Fresh & <urgent> news", |d| {
        d.visibility = Visibility::Paid;
    })
    .await;
    let index = app.get("/sitemap.xml").await;
    validate(xml(&index), "siteindex.xsd").unwrap();
    let files = elements(&index.body, "loc");
    assert_eq!(
        files,
        ["pages", "posts", "tags", "authors"]
            .map(|p| format!("https://news.example/sitemap-{p}.xml"))
    );
    assert_eq!(elements(&index.body, "lastmod").len(), 4);
    for file in files
        .iter()
        .map(|f| f.trim_start_matches("https://news.example"))
    {
        let res = app.get(file).await;
        validate(xml(&res), "sitemap.xsd").unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    let news = app.get("/sitemap-news.xml").await;
    validate(xml(&news), "sitemap.xsd").unwrap();
    assert!(!elements(&news.body, "news:title").is_empty());

    // The validator does fail: a News entry without its title, an image without a location.
    let untitled = news.body.replacen("<news:title>", "<news:keywords>", 1);
    let untitled = untitled.replacen("</news:title>", "</news:keywords>", 1);
    assert!(validate(&untitled, "sitemap.xsd").is_err());
    let posts = app.get("/sitemap-posts.xml").await.body;
    assert!(
        validate(
            &posts.replacen("<image:loc>", "<image:lox>", 1).replacen(
                "</image:loc>",
                "</image:lox>",
                1
            ),
            "sitemap.xsd"
        )
        .is_err()
    );
}

#[tokio::test]
async fn sitemaps_list_exactly_the_live_content() {
    let app = TestApp::demo().await;
    let live = plant(&app, "Gated but listed", |d| {
        d.visibility = Visibility::Paid;
    })
    .await;
    let draft = plant(&app, "A draft story", |d| d.status = Status::Draft).await;
    let later = plant(&app, "A scheduled story", |d| {
        d.status = Status::Scheduled;
        d.published_at = Some(Utc::now() + Duration::hours(3));
    })
    .await;
    let elsewhere = plant(&app, "Syndicated from elsewhere", |d| {
        d.canonical_url = Some("https://other.example/original/".into());
    })
    .await;
    let pictured = plant(&app, "With a picture", |d| {
        d.image = Some(LeadImage {
            url: "/content/images/harbour.jpg".into(),
            width: Some(1200),
            height: Some(675),
            alt: "Harbour".into(),
            caption: String::new(),
            credit: String::new(),
        });
    })
    .await;

    let body = app.get("/sitemap-posts.xml").await.body;
    let locs = elements(&body, "loc");
    let now = Utc::now();
    let store = &app.state.store;
    let posts = store
        .list_posts(&store::PostFilter::posts(), 1000, 0, now)
        .await
        .unwrap();
    let mut expected: Vec<String> = posts
        .iter()
        .filter(|p| p.slug.as_str() != elsewhere)
        .map(|p| format!("https://news.example/{}/", p.slug))
        .collect();
    expected.reverse();
    assert_eq!(locs, expected, "every live post, oldest first");
    assert!(
        locs.contains(&format!("https://news.example/{live}/")),
        "gated posts are listed"
    );
    for hidden in [&draft, &later, &elsewhere] {
        assert!(
            !body.contains(&format!("/{hidden}/")),
            "{hidden} is not listed"
        );
    }
    let entry = body
        .split("<url>")
        .find(|u| u.contains(&format!("/{pictured}/")))
        .unwrap();
    assert!(
        entry.contains("<image:loc>https://news.example/content/images/harbour.jpg</image:loc>")
    );
    let post = store.post_by_slug(&pictured).await.unwrap().unwrap();
    let lastmod = post.updated_at.to_rfc3339_opts(SecondsFormat::Secs, false);
    assert!(
        entry.contains(&format!("<lastmod>{lastmod}</lastmod>")),
        "{entry}"
    );
    let with_images = posts
        .iter()
        .filter(|p| p.image.is_some() && p.slug.as_str() != elsewhere);
    assert_eq!(body.matches("<image:image>").count(), with_images.count());

    let pages = elements(&app.get("/sitemap-pages.xml").await.body, "loc");
    assert_eq!(
        pages,
        [
            "https://news.example/about/",
            "https://news.example/contact/"
        ]
    );
    let tags = elements(&app.get("/sitemap-tags.xml").await.body, "loc");
    assert!(tags.contains(&"https://news.example/tag/deep-dive/".to_owned()));
    assert!(
        tags.iter()
            .all(|t| t.starts_with("https://news.example/tag/"))
    );
    let in_use = store
        .tags_in_use(domain::TagKind::Section)
        .await
        .unwrap()
        .len()
        + store
            .tags_in_use(domain::TagKind::Topic)
            .await
            .unwrap()
            .len();
    assert_eq!(tags.len(), in_use);
    let authors = elements(&app.get("/sitemap-authors.xml").await.body, "loc");
    assert!(!authors.is_empty());
    for url in tags.iter().chain(&authors).take(5) {
        let path = url.trim_start_matches("https://news.example");
        assert_eq!(app.get(path).await.status, StatusCode::OK, "{url}");
    }

    for missing in [
        "/sitemap-posts-2.xml",
        "/sitemap-posts-1.xml",
        "/sitemap-drafts.xml",
    ] {
        assert_eq!(
            app.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    let res = app.get("/sitemap.xml").await;
    let etag = res.header("etag").to_owned();
    let again = app
        .request(Method::GET, "/sitemap.xml", &[("if-none-match", &etag)])
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn the_news_sitemap_holds_the_last_48_hours_with_its_required_elements() {
    let app = TestApp::demo().await;
    let hours =
        |h: i64| move |d: &mut Draft| d.published_at = Some(Utc::now() - Duration::hours(h));
    let fresh = plant(&app, "Ships & drones near the strait", hours(1)).await;
    let older = plant(&app, "Two days of talks", hours(47)).await;
    let stale = plant(&app, "Last week's summit", hours(49)).await;
    let res = app.get("/sitemap-news.xml").await;
    let body = xml(&res);
    let locs = elements(body, "loc");
    let at = |slug: &str| {
        locs.iter()
            .position(|l| l == &format!("https://news.example/{slug}/"))
    };
    assert!(at(&fresh).unwrap() < at(&older).unwrap(), "newest first");
    assert_eq!(at(&stale), None, "older than 48 hours");
    let n = locs.len();
    assert_eq!(
        elements(body, "news:name"),
        vec!["The Meridian Review".to_owned(); n]
    );
    assert_eq!(elements(body, "news:language"), vec!["en".to_owned(); n]);
    assert_eq!(elements(body, "news:publication_date").len(), n);
    let titles = elements(body, "news:title");
    assert_eq!(
        titles[at(&fresh).unwrap()],
        "Ships & drones near the strait"
    );
    let post = app.state.store.post_by_slug(&fresh).await.unwrap().unwrap();
    assert_eq!(
        elements(body, "news:publication_date")[at(&fresh).unwrap()],
        post.published_at
            .unwrap()
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    );
}

#[tokio::test]
async fn robots_names_the_sitemaps_and_takes_extra_rules_from_settings() {
    let app = TestApp::demo().await;
    let res = app.get("/robots.txt").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "text/plain; charset=utf-8");
    assert!(res.header("cache-control").starts_with("public"));
    let lines: Vec<&str> = res.body.lines().collect();
    assert_eq!(lines[0], "User-agent: *");
    assert!(lines.contains(&"Disallow: /account/") && lines.contains(&"Disallow: /members/"));
    assert!(lines.contains(&"Sitemap: https://news.example/sitemap.xml"));
    assert!(lines.contains(&"Sitemap: https://news.example/sitemap-news.xml"));
    assert!(!lines.contains(&"Disallow: /"), "the site stays crawlable");

    app.state
        .store
        .set_setting("robots_extra", "User-agent: GPTBot\nDisallow: /")
        .await
        .unwrap();
    let body = app.get("/robots.txt").await.body;
    assert!(
        body.contains("\nUser-agent: GPTBot\nDisallow: /\n"),
        "{body}"
    );
}

#[tokio::test]
async fn the_settings_command_sets_robots_rules_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], stdin: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_masthead"))
            .args(args)
            .env("MASTHEAD_DATA", dir.path())
            .env_remove("MASTHEAD_DATABASE_URL")
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let set = run(
        &["settings", "set", "robots_extra", "-"],
        "User-agent: CCBot\nDisallow: /\n",
    );
    assert!(set.status.success(), "{set:?}");
    let get = run(&["settings", "get", "robots_extra"], "");
    assert_eq!(
        String::from_utf8_lossy(&get.stdout),
        "User-agent: CCBot\nDisallow: /\n"
    );
    let list = String::from_utf8_lossy(&run(&["settings", "list"], "").stdout).into_owned();
    assert!(
        list.contains("robots_extra = \"User-agent: CCBot\\nDisallow: /\""),
        "{list}"
    );
    assert!(list.contains("logo_url = \"\""), "{list}");
    let typo = run(&["settings", "set", "robot_extra", "x"], "");
    assert!(!typo.status.success());
    assert!(String::from_utf8_lossy(&typo.stderr).contains("robots_extra"));

    let app = TestApp::boot(dir).await;
    assert!(
        app.get("/robots.txt")
            .await
            .body
            .contains("User-agent: CCBot\nDisallow: /\n")
    );
}
