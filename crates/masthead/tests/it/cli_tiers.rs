//! `masthead tier …` and `masthead offer …` (issue 16 §1): the binary adds, edits, archives and
//! lists tiers and offers through the same use cases as the console — Stripe gets the Product,
//! a Price per priced cadence and the offer's Coupon; the audit log records each change — and
//! a mistake (an unknown tier, a bad price) is one sentence saying what to do, with a failing
//! exit status and nothing saved.

use crate::tiers::{fake_stripe, to};
use std::path::Path;
use std::process::Output;

/// Runs `masthead args…` on the data dir `data`, with Stripe at `stripe` when given.
async fn masthead(args: &[&str], data: &Path, stripe: Option<&str>) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_masthead"));
    cmd.args(args)
        .env("MASTHEAD_DATA", data)
        .env_remove("MASTHEAD_DATABASE_URL")
        .env("RUST_LOG", "warn");
    if let Some(base) = stripe {
        cmd.env("MASTHEAD_STRIPE_SECRET_KEY", "sk_test_masthead")
            .env("MASTHEAD_STRIPE_API_BASE", base)
            .env("MASTHEAD_STRIPE_WEBHOOK_SECRET", "whsec_cli");
    }
    tokio::task::spawn_blocking(move || cmd.output().expect("run masthead"))
        .await
        .unwrap()
}

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn refused(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tier_and_offer_commands_sell_through_stripe_and_explain_mistakes() {
    let (base, calls) = fake_stripe().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let run = |args: &'static [&'static str]| masthead(args, data, Some(&base));

    let added = ok(&run(&[
        "tier",
        "add",
        "--name",
        "Analyst",
        "--monthly",
        "15",
        "--yearly",
        "150.50",
        "--benefit",
        "Every analysis",
        "--benefit",
        "The weekly data letter",
    ])
    .await);
    assert!(added.contains("Analyst (analyst)"), "{added}");
    let prices = to(&calls, "/v1/prices");
    assert_eq!(prices.len(), 2, "a Price for each priced cadence");
    assert_eq!(prices[0].form["unit_amount"], "1500");
    assert_eq!(prices[1].form["unit_amount"], "15050");
    assert_eq!(prices[1].form["recurring[interval]"], "year");
    assert!(
        prices[0].key.starts_with("masthead-price-"),
        "{}",
        prices[0].key
    );

    ok(&run(&["tier", "edit", "analyst", "--monthly", "18", "--hidden"]).await);
    let prices = to(&calls, "/v1/prices");
    assert_eq!(prices.len(), 3, "only the changed cadence gets a new Price");
    assert_eq!(prices[2].form["unit_amount"], "1800");

    let table = ok(&run(&["tier", "list"]).await);
    let row = table
        .lines()
        .find(|l| l.starts_with("analyst"))
        .expect(&table);
    for cell in ["Analyst", "18.00 USD", "150.50 USD", "hidden", "active"] {
        assert!(row.contains(cell), "{cell} in {row:?}");
    }

    let offer = ok(&run(&[
        "offer",
        "add",
        "--name",
        "Spring",
        "--code",
        "SPRING20",
        "--tier",
        "analyst",
        "--type",
        "percent",
        "--amount",
        "20",
        "--duration",
        "repeating",
        "--months",
        "3",
    ])
    .await);
    assert!(offer.contains("20% off for 3 months"), "{offer}");
    assert!(offer.contains("/offers/SPRING20/"), "{offer}");
    let coupons = to(&calls, "/v1/coupons");
    assert_eq!(coupons.len(), 1);
    assert_eq!(coupons[0].form["percent_off"], "20");

    ok(&run(&["offer", "edit", "spring20", "--title", "Spring sale"]).await);
    let json = ok(&run(&["offer", "list", "--json"]).await);
    let listed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let spring = &listed["offers"][0];
    assert_eq!(spring["display_title"], "Spring sale");
    assert_eq!(spring["tier"]["name"], "Analyst");
    assert_eq!(spring["status"], "active");
    ok(&run(&["offer", "archive", "SPRING20"]).await);
    let table = ok(&run(&["offer", "list"]).await);
    assert!(
        table.contains("SPRING20") && table.contains("archived"),
        "{table}"
    );

    ok(&run(&["tier", "archive", "analyst"]).await);
    let table = ok(&run(&["tier", "list"]).await);
    assert!(table.contains("archived"), "{table}");

    let unknown = refused(&run(&["tier", "edit", "analsyt", "--monthly", "20"]).await);
    assert!(
        unknown.contains("no tier has the slug \"analsyt\"")
            && unknown.contains("masthead tier list"),
        "{unknown}"
    );
    let bad = refused(&run(&["tier", "add", "--name", "Broken", "--monthly", "15,5.x"]).await);
    assert!(
        bad.contains("--monthly") && bad.contains("is not a price"),
        "{bad}"
    );
    let no_offer = refused(&run(&["offer", "archive", "NOPE"]).await);
    assert!(no_offer.contains("masthead offer list"), "{no_offer}");
    let table = ok(&run(&["tier", "list"]).await);
    assert!(!table.contains("Broken"), "nothing is saved: {table}");

    let audit: Vec<String> = {
        let store = store::Store::open_sqlite(&data.join("masthead.db"))
            .await
            .unwrap();
        let entries = store.audit_entries(50, None).await.unwrap();
        store.close().await;
        entries.into_iter().map(|e| e.action).collect()
    };
    for action in [
        "tier.added",
        "tier.edited",
        "tier.archived",
        "offer.added",
        "offer.archived",
    ] {
        assert!(audit.iter().any(|a| a == action), "{action} in {audit:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_stripe_keys_the_commands_save_and_say_payments_are_off() {
    let dir = tempfile::tempdir().unwrap();
    let out = masthead(
        &["tier", "add", "--name", "Analyst", "--monthly", "15"],
        dir.path(),
        None,
    )
    .await;
    ok(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Payments are off"),
        "{out:?}"
    );
    let free = refused(&masthead(&["tier", "add", "--monthly", "15"], dir.path(), None).await);
    assert!(free.contains("--name"), "{free}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_names_the_tier_and_offer_commands_and_their_flags() {
    let dir = tempfile::tempdir().unwrap();
    let top = ok(&masthead(&["--help"], dir.path(), None).await);
    assert!(top.contains("tier") && top.contains("offer"), "{top}");
    let add = ok(&masthead(&["tier", "add", "--help"], dir.path(), None).await);
    for flag in [
        "--monthly",
        "--yearly",
        "--benefit",
        "--hidden",
        "--trial-days",
    ] {
        assert!(add.contains(flag), "{flag} in {add}");
    }
    let edit = ok(&masthead(&["tier", "edit", "--help"], dir.path(), None).await);
    assert!(
        edit.contains("<SLUG>") && edit.contains("--unarchive"),
        "{edit}"
    );
    let offer = ok(&masthead(&["offer", "add", "--help"], dir.path(), None).await);
    for flag in [
        "--code",
        "--tier",
        "--type",
        "--amount",
        "--duration",
        "--months",
    ] {
        assert!(offer.contains(flag), "{flag} in {offer}");
    }
}
