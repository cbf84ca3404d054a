//! `masthead member import FILE.csv [--dry-run]`: the report and progress printed, nothing
//! written on a dry run, a re-run that adds nobody, and a bad file refused with its reason.

use std::path::Path;
use std::process::{Command, Output};

fn masthead(args: &[&str], data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_masthead"))
        .args(args)
        .env("MASTHEAD_DATA", data)
        .env_remove("MASTHEAD_DATABASE_URL")
        .env_remove("MASTHEAD_STRIPE_SECRET_KEY")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run masthead")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_cli_imports_a_csv_after_a_dry_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("members.csv");
    std::fs::write(
        &file,
        "email,name,labels\nann@example.com,Ann,VIP\nbob@,Bob,\ncy@example.com,Cy,\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let dry = masthead(&["member", "import", path, "--dry-run"], dir.path());
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let report = stdout(&dry);
    assert!(report.contains("Dry run: nothing was written."), "{report}");
    assert!(report.contains("Would add 2"), "{report}");
    assert!(
        report.contains("row 3: email 'bob@' is not an address"),
        "{report}"
    );
    assert!(String::from_utf8_lossy(&dry.stderr).contains("2/2 rows"));
    let list = stdout(&masthead(&["member", "list"], dir.path()));
    assert!(!list.contains("ann@example.com"), "{list}");

    let done = stdout(&masthead(&["member", "import", path], dir.path()));
    assert!(done.contains("Added 2, updated 0"), "{done}");
    let list = stdout(&masthead(&["member", "list"], dir.path()));
    assert!(
        list.contains("ann@example.com") && list.contains("cy@example.com"),
        "{list}"
    );
    let again = stdout(&masthead(&["member", "import", path], dir.path()));
    assert!(
        again.contains("Added 0, updated 0, skip 2 unchanged"),
        "{again}"
    );

    std::fs::write(&file, "name\nAnn\n").unwrap();
    let bad = masthead(&["member", "import", path], dir.path());
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no email column"));
}
