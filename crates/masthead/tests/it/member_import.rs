//! Importing members from CSV end to end: dry run then write in one transaction, idempotent
//! re-runs, labels and comps, a failing run that leaves nothing behind (SQLite and
//! PostgreSQL), the Stripe link against a local Stripe-shaped server, and the console's page
//! flow with a 1,000-row file holding 3 bad rows.

use crate::helpers::{Browser, TestApp, TestResponse};
use crate::import_csv::tiers;
use crate::newsroom::{location, open, set_up};
use crate::newsroom_tags::staff_member;
use crate::stripe_subscriptions_fake::{self as fake, SECRET_KEY};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Utc;
use domain::Email;
use domain::billing::SubscriptionStatus;
use masthead::config::{Config, Secret, StripeConfig};
use masthead::import::members_report::{self, Report};
use masthead::ops::staff::Actor;
use std::collections::HashMap;
use store::ImportMode;

/// The site's tiers stored (an empty site has none).
async fn with_tiers(app: &TestApp) {
    for t in tiers() {
        app.state.store.upsert_tier(&t, Utc::now()).await.unwrap();
    }
}

async fn import(app: &TestApp, csv: &str, mode: ImportMode) -> Report {
    let tiers = app.state.store.tiers().await.unwrap();
    let stripe =
        app.state.config.stripe.as_ref().map(|s| {
            masthead::billing::stripe::StripeClient::new(&s.api_base, s.secret_key.expose())
        });
    let ops = app.state.ops();
    members_report::run(
        &ops,
        Actor::Console,
        &tiers,
        csv.as_bytes(),
        stripe.as_ref(),
        mode,
        &mut |_, _| {},
    )
    .await
    .unwrap()
}

async fn member(app: &TestApp, email: &str) -> Option<domain::Member> {
    app.state
        .store
        .member_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
}

const FILE: &str = "email,name,note,subscribed_to_emails,complimentary_plan,labels,tiers,created_at\n\
                    ann@example.com,Ann,From the old site,true,true,\"VIP, Press\",Subscriber+,2023-05-01\n\
                    bob@example.com,Bob,,false,false,vip,,\n\
                    cy@example.com,,,,,,,\n";

#[tokio::test]
async fn an_import_is_dry_run_then_written_once() {
    let app = TestApp::empty().await;
    rerun_changes_nothing(&app).await;
}

#[tokio::test]
async fn an_import_is_dry_run_then_written_once_on_postgres() {
    if let Some(app) = TestApp::empty_on_postgres().await {
        rerun_changes_nothing(&app).await;
    }
}

async fn rerun_changes_nothing(app: &TestApp) {
    with_tiers(app).await;
    let dry = import(app, FILE, ImportMode::DryRun).await;
    assert_eq!((dry.added, dry.updated, dry.unchanged), (3, 0, 0));
    assert!(
        member(app, "ann@example.com").await.is_none(),
        "a dry run writes nothing"
    );
    assert!(app.state.store.labels().await.unwrap().is_empty());

    let done = import(app, FILE, ImportMode::Write).await;
    assert_eq!((done.added, done.updated, done.unchanged), (3, 0, 0));
    assert!(done.errors.is_empty());
    let ann = member(app, "ann@example.com").await.unwrap();
    assert_eq!(ann.name, "Ann");
    assert_eq!(ann.created_at.format("%Y-%m-%d").to_string(), "2023-05-01");
    let sub = app
        .state
        .store
        .subscription(&ann.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (sub.tier.as_str(), sub.status),
        ("subscriber-plus", SubscriptionStatus::Comped)
    );
    let profile = app
        .state
        .store
        .member_profile(&ann.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(profile.note, "From the old site");
    let mut labels: Vec<String> = app
        .state
        .store
        .member_labels(&ann.id)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.name)
        .collect();
    labels.sort();
    assert_eq!(labels, ["Press", "VIP"]);
    let bob = member(app, "bob@example.com").await.unwrap();
    assert!(
        !app.state
            .store
            .member_profile(&bob.id)
            .await
            .unwrap()
            .unwrap()
            .subscribed
    );
    assert_eq!(
        app.state.store.labels().await.unwrap().len(),
        2,
        "'vip' is the label 'VIP'"
    );
    let events = app.state.store.member_events(&ann.id, 10, 0).await.unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert!(
        kinds.contains(&"signed_up") && kinds.contains(&"comped"),
        "{kinds:?}"
    );

    let again = import(app, FILE, ImportMode::Write).await;
    assert_eq!(
        (again.added, again.updated, again.unchanged),
        (0, 0, 3),
        "a re-run changes nothing"
    );
    assert_eq!(
        app.state
            .store
            .member_events(&ann.id, 10, 0)
            .await
            .unwrap()
            .len(),
        2
    );

    let changed = FILE.replace("Bob,,false", "Robert,,false");
    let third = import(app, &changed, ImportMode::Write).await;
    assert_eq!((third.added, third.updated, third.unchanged), (0, 1, 2));
    assert_eq!(member(app, "bob@example.com").await.unwrap().name, "Robert");

    // A run that fails part-way (the last row's Stripe customer belongs to Ann already, which
    // the database refuses) leaves none of its rows behind.
    import(
        app,
        "email,stripe_customer_id\nann@example.com,cus_Taken1\n",
        ImportMode::Write,
    )
    .await;
    let failing =
        "email,name,stripe_customer_id\nnew1@example.com,New,\nnew2@example.com,Two,cus_Taken1\n";
    let tiers = app.state.store.tiers().await.unwrap();
    let ops = app.state.ops();
    let failed = members_report::run(
        &ops,
        Actor::Console,
        &tiers,
        failing.as_bytes(),
        None,
        ImportMode::Write,
        &mut |_, _| {},
    )
    .await;
    let message = failed.unwrap_err().to_string();
    assert!(message.contains("Nothing was imported"), "{message}");
    assert!(
        member(app, "new1@example.com").await.is_none(),
        "nothing half-written"
    );
}

#[tokio::test]
async fn a_stripe_customer_is_linked_to_their_live_subscription() {
    let subs = HashMap::from([
        (
            "cus_Paid1".to_owned(),
            vec![
                fake::subscription("sub_old", "cus_Paid1", "canceled", 800, "month"),
                fake::subscription("sub_live", "cus_Paid1", "active", 800, "month"),
            ],
        ),
        (
            "cus_Gone1".to_owned(),
            vec![fake::subscription(
                "sub_gone",
                "cus_Gone1",
                "canceled",
                800,
                "month",
            )],
        ),
    ]);
    let (base, asked) = fake::start(subs).await;
    let stripe = StripeConfig {
        api_base: base,
        secret_key: Secret(SECRET_KEY.into()),
        webhook_secrets: vec![Secret("whsec_import".into())],
    };
    let app = TestApp::boot_with(tempfile::tempdir().unwrap(), move |c| Config {
        stripe: Some(stripe),
        ..c
    })
    .await;
    with_tiers(&app).await;
    // A comped row with a paying customer is linked, not comped: nobody pays twice, and the
    // comp does not hide the subscription.
    let csv = "email,stripe_customer_id,complimentary_plan\npaid@example.com,cus_Paid1,true\ngone@example.com,cus_Gone1,\n";
    let dry = import(&app, csv, ImportMode::DryRun).await;
    assert_eq!(dry.linked, 1);
    let done = import(&app, csv, ImportMode::Write).await;
    assert_eq!((done.added, done.linked), (2, 1), "{:?}", done.notes);
    assert_eq!(
        *asked.lock().unwrap(),
        ["cus_Paid1", "cus_Gone1", "cus_Paid1", "cus_Gone1"]
    );
    let paid = member(&app, "paid@example.com").await.unwrap();
    assert_eq!(paid.stripe_customer_id.as_deref(), Some("cus_Paid1"));
    let sub = app
        .state
        .store
        .subscription(&paid.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sub.status, SubscriptionStatus::Active);
    assert_eq!(sub.tier.as_str(), "subscriber-plus", "mapped by its price");
    assert_eq!(sub.stripe_subscription_id.as_deref(), Some("sub_live"));
    assert!(sub.current_period_end.is_some_and(|end| end > Utc::now()));
    let gone = member(&app, "gone@example.com").await.unwrap();
    assert!(
        app.state
            .store
            .subscription(&gone.id)
            .await
            .unwrap()
            .is_none()
    );
    let events = app
        .state
        .store
        .member_events(&paid.id, 10, 0)
        .await
        .unwrap();
    let subscribed = events
        .iter()
        .find(|e| e.kind == domain::ActivityKind::Subscribed)
        .unwrap();
    assert_eq!(
        masthead::ops::members::activity::describe(subscribed, Some("Subscriber+"), None),
        "Subscribed to Subscriber+ monthly, $8.00"
    );
    let again = import(&app, csv, ImportMode::Write).await;
    assert_eq!((again.added, again.updated, again.linked), (0, 0, 0));
}

#[tokio::test]
async fn without_stripe_keys_the_report_says_so() {
    let app = TestApp::empty().await;
    with_tiers(&app).await;
    let done = import(
        &app,
        "email,stripe_customer_id\np@example.com,cus_X1\n",
        ImportMode::Write,
    )
    .await;
    assert_eq!(done.added, 1);
    assert!(
        done.notes
            .iter()
            .any(|n| n.contains("Stripe keys are not set")),
        "{:?}",
        done.notes
    );
    assert_eq!(
        member(&app, "p@example.com")
            .await
            .unwrap()
            .stripe_customer_id
            .as_deref(),
        Some("cus_X1")
    );
}

/// A 1,000-row file whose rows 101, 502 and 903 (as a spreadsheet numbers them) are bad.
pub fn thousand_rows() -> String {
    let mut csv = String::from("email,name,subscribed_to_emails,labels\n");
    for i in 0..1000 {
        let row = i + 2;
        let line = match row {
            101 => format!("reader{i}@,Bad Address,true,imported\n"),
            502 => format!("reader{i}@example.com,Bad Flag,sometimes,imported\n"),
            903 => "reader1@example.com,Duplicate,true,imported\n".to_owned(),
            _ => format!("reader{i}@example.com,Reader {i},true,imported\n"),
        };
        csv.push_str(&line);
    }
    csv
}

const BOUNDARY: &str = "member-import-boundary";

async fn upload(app: &TestApp, b: &mut Browser, csv: &str) -> TestResponse {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"membersfile\"; filename=\"members.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n",
        b.csrf
    )
    .into_bytes();
    body.extend_from_slice(csv.as_bytes());
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let req = Request::post("/admin/members/import/")
        .header("cookie", b.cookies())
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap();
    let res = app.send(req).await;
    b.absorb(&res);
    res
}

#[tokio::test]
async fn the_console_checks_a_thousand_rows_then_imports_997() {
    let app = TestApp::empty().await;
    with_tiers(&app).await;
    let mut owner = set_up(&app).await;
    let page = open(&app, &mut owner, "/admin/members/import/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.count("input[type=file][name=membersfile]"), 1);

    let dry = upload(&app, &mut owner, &thousand_rows()).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert_eq!(
        dry.texts("ul.import-errors li"),
        [
            "row 101: email 'reader99@' is not an address",
            "row 502: subscribed_to_emails 'sometimes' is not true or false",
            "row 903: email 'reader1@example.com' is already on row 3",
        ]
    );
    assert_eq!(dry.texts("dd[data-count=added]"), ["997"]);
    assert!(
        member(&app, "reader0@example.com").await.is_none(),
        "the dry run wrote nothing"
    );
    let token = dry.attrs("input[name=token]", "value").remove(0);

    let res = confirm(&app, &owner, &token).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let status_page = format!("/admin/members/import/{token}/");
    assert_eq!(location(&res), status_page);
    // Confirming again (while it runs or after it finished) starts nothing: the same page.
    let twice = confirm(&app, &owner, &token).await;
    assert_eq!(twice.status, StatusCode::SEE_OTHER, "{}", twice.body);
    assert_eq!(location(&twice), status_page);

    let res = finished(&app, &mut owner, &status_page, 997).await;
    assert_eq!(res.texts("h2#report-heading"), ["Import finished"]);
    assert_eq!(res.texts("dd[data-count=added]"), ["997"]);
    assert_eq!(res.texts("ul.import-errors li").len(), 3);
    assert!(
        res.texts("a[href='/admin/members/']")
            .contains(&"Go to the members list".to_owned())
    );
    assert_eq!(
        res.count("meta[http-equiv=refresh]"),
        0,
        "done: no more refreshing"
    );
    assert!(member(&app, "reader998@example.com").await.is_some());
    assert!(
        member(&app, "reader500@example.com").await.is_none(),
        "row 502 was bad"
    );
    assert_eq!(
        app.state.store.count_members().await.unwrap(),
        997,
        "imported once"
    );
    // The finished import is remembered: confirming again shows its report and adds nobody.
    let after = confirm(&app, &owner, &token).await;
    assert_eq!(location(&after), status_page);
    let again = open(&app, &mut owner, &status_page).await;
    assert_eq!(again.texts("dd[data-count=added]"), ["997"]);
    assert_eq!(app.state.store.count_members().await.unwrap(), 997);
    // A second upload of the same file would add nobody.
    let again = upload(&app, &mut owner, &thousand_rows()).await;
    assert_eq!(again.texts("dd[data-count=added]"), ["0"]);
    assert_eq!(again.texts("dd[data-count=unchanged]"), ["997"]);
    assert_eq!(again.count("input[name=token]"), 0, "nothing to confirm");

    // Bad files: a clear message and nothing else.
    let latin1 = upload(&app, &mut owner, "email,name\nx@example.com,Ren\u{e9}e\n").await;
    assert_eq!(latin1.status, StatusCode::OK);
    let bad = upload(&app, &mut owner, "name\nAnn\n").await;
    assert!(
        bad.texts("p.error").concat().contains("no email column"),
        "{}",
        bad.body
    );
    let forged = confirm(&app, &owner, "../../masthead").await;
    assert!(forged.body.contains("no longer waiting"));
    // An import this server does not know: said plainly, not an error page.
    for unknown in [
        "/admin/members/import/nosuchimport/",
        "/admin/members/import/..%2F..%2Fx/",
    ] {
        let res = open(&app, &mut owner, unknown).await;
        assert_eq!(res.status, StatusCode::OK, "{unknown}");
        assert!(
            res.body.contains("This import is not known"),
            "{}",
            res.body
        );
    }

    // Editors may not import; nor may members or anonymous readers reach the page.
    let mut editor = staff_member(&app, &mut owner, "ed@news.example", "editor").await;
    assert_eq!(
        open(&app, &mut editor, "/admin/members/import/")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let status = open(&app, &mut editor, &status_page).await;
    assert_eq!(status.status, StatusCode::FORBIDDEN);
    assert!(
        !status.body.contains("reader1@example.com"),
        "no report shown"
    );
    let refused = upload(&app, &mut editor, "email\nsneaky@example.com\n").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(member(&app, "sneaky@example.com").await.is_none());
    assert_ne!(
        app.get("/admin/members/import/").await.status,
        StatusCode::OK
    );
}

async fn confirm(app: &TestApp, b: &Browser, token: &str) -> TestResponse {
    app.post_form(
        "/admin/members/import/confirm",
        &b.cookies(),
        &[("csrf", b.csrf.as_str()), ("token", token)],
    )
    .await
}

/// Opens the import's status page until it shows the final report; every page seen while it
/// runs shows the progress and a way to check again.
async fn finished(app: &TestApp, b: &mut Browser, status_page: &str, rows: usize) -> TestResponse {
    for _ in 0..600 {
        let page = open(app, b, status_page).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        if page.count("#report-heading") == 1 {
            return page;
        }
        assert_running(&page, rows);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not finish in 30 s");
}

/// The page of an import that runs: its progress in a live region, "Check again", and no
/// timed refresh the reader did not ask for.
fn assert_running(page: &TestResponse, rows: usize) {
    assert_eq!(page.count("meta[http-equiv=refresh]"), 0, "{}", page.body);
    assert_eq!(page.count("a#check-again"), 1, "{}", page.body);
    let progress = page.texts("#import-progress[role=status]").concat();
    let shape = progress == "Starting the import: reading the file."
        || (progress.starts_with("Importing: ")
            && progress.ends_with(&format!(" of {rows} rows.")));
    assert!(shape, "{progress}");
}

/// A Stripe that answers nobody: while `hold` is true each connection waits (so the import
/// waits on its lookup); otherwise it is closed at once (the lookup fails with a note).
async fn stalling_stripe() -> (String, tokio::sync::watch::Sender<bool>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (hold, held) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let mut held = held.clone();
            tokio::spawn(async move {
                let _ = held.wait_for(|hold| !hold).await;
                drop(stream);
            });
        }
    });
    (base, hold)
}

#[tokio::test]
async fn a_running_import_shows_its_progress_and_is_started_once() {
    let (api_base, hold) = stalling_stripe().await;
    let stripe = StripeConfig {
        api_base,
        secret_key: Secret(SECRET_KEY.into()),
        webhook_secrets: vec![Secret("whsec_import".into())],
    };
    let app = TestApp::boot_with(tempfile::tempdir().unwrap(), move |c| Config {
        stripe: Some(stripe),
        ..c
    })
    .await;
    with_tiers(&app).await;
    let mut owner = set_up(&app).await;
    let mut csv = thousand_rows().replace("imported\n", "imported,\n");
    csv = csv.replacen(
        "email,name,subscribed_to_emails,labels\n",
        "email,name,subscribed_to_emails,labels,stripe_customer_id\n",
        1,
    );
    csv.push_str("payer@example.com,Payer,true,imported,cus_Stall1\n");
    let dry = upload(&app, &mut owner, &csv).await;
    assert_eq!(dry.texts("dd[data-count=added]"), ["998"], "{}", dry.body);
    let token = dry.attrs("input[name=token]", "value").remove(0);

    // Stripe stalls: the import waits on its lookup, so it is certainly running.
    hold.send_replace(true);
    let res = confirm(&app, &owner, &token).await;
    let status_page = format!("/admin/members/import/{token}/");
    assert_eq!(location(&res), status_page);
    let page = open(&app, &mut owner, &status_page).await;
    assert_running(&page, 998);
    assert_eq!(page.count("#report-heading"), 0);
    let updating = open(&app, &mut owner, &format!("{status_page}?updates=on")).await;
    assert_eq!(
        updating.attrs("meta[http-equiv=refresh]", "content"),
        ["2"],
        "updates asked for"
    );
    assert_eq!(updating.count("#import-progress[role=status]"), 1);
    let twice = confirm(&app, &owner, &token).await;
    assert_eq!(location(&twice), status_page, "{}", twice.body);
    assert_eq!(app.state.store.count_members().await.unwrap(), 0);

    // Stripe answers (by failing): the import finishes once, with a note about the lookup.
    hold.send_replace(false);
    let done = finished(&app, &mut owner, &status_page, 998).await;
    assert_eq!(done.texts("dd[data-count=added]"), ["998"]);
    assert_eq!(done.texts("ul.import-errors li").len(), 3);
    assert!(
        done.body.contains("cus_Stall1"),
        "the Stripe note: {}",
        done.body
    );
    assert_eq!(app.state.store.count_members().await.unwrap(), 998);
}
