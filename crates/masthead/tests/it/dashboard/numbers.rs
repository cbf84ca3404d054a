//! The dashboard's pages for a known data set (views over 30/90/365 days, members, MRR, new
//! paid and churn, top posts), on SQLite and PostgreSQL; each chart an SVG image with a title,
//! a description and a data table; who may open them.

use crate::helpers::TestApp;
use crate::helpers::admin::admin_auth;
use crate::newsroom::{open, set_up};
use crate::newsroom_tags::{admin_post, staff_member};
use axum::http::StatusCode;
use chrono::Utc;
use domain::billing::{Subscription, SubscriptionStatus, comp};
use domain::{Email, Slug, Tier};
use serde_json::json;
use store::{MemberCounts, PaidChange, ViewBatch, day_of};

fn tier(slug: &str, monthly: u32, yearly: u32) -> Tier {
    Tier {
        id: format!("tier-{slug}"),
        slug: Slug::parse(slug).unwrap(),
        name: slug.to_uppercase(),
        description: String::new(),
        benefits: vec![],
        monthly_price: monthly,
        yearly_price: yearly,
        currency: "usd".into(),
        trial_days: 0,
        active: true,
    }
}

fn paying(slug: &str, status: SubscriptionStatus) -> Subscription {
    Subscription {
        status,
        stripe_subscription_id: Some(format!("sub_{slug}")),
        ..comp(Slug::parse(slug).unwrap(), None)
    }
}

/// Two posts, views on days 0, 1 and 40 ago, five members (two paying, one trialing, one
/// comped, one free), a snapshot from yesterday, a paid start and an end.
async fn seed(app: &TestApp) -> (String, String) {
    let auth = admin_auth(app).await;
    let lead = admin_post(app, &auth, "The lead story", json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = admin_post(app, &auth, "The other story", json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let store = &app.state.store;
    let now = Utc::now();
    let today = day_of(now);
    let mut batch = ViewBatch::default();
    for (day, post, visitor, paywall) in [
        (today, &lead, "a", true),
        (today, &lead, "a", false),
        (today, &lead, "b", false),
        (today, &other, "a", false),
        (today - 1, &other, "c", false),
        (today - 1, &other, "d", false),
        (today - 40, &other, "e", false),
        (today - 40, &other, "e", false),
        (today - 40, &other, "f", false),
    ] {
        batch.add(day, post, visitor, paywall);
    }
    store.record_views(&batch).await.unwrap();
    store
        .upsert_tier(&tier("plus", 900, 9000), now)
        .await
        .unwrap();
    store
        .upsert_tier(&tier("annual", 0, 12000), now)
        .await
        .unwrap();
    let subs = [
        ("p1", Some(paying("plus", SubscriptionStatus::Active))),
        ("p2", Some(paying("annual", SubscriptionStatus::PastDue))),
        ("t1", Some(paying("plus", SubscriptionStatus::Trialing))),
        ("c1", Some(comp(Slug::parse("plus").unwrap(), None))),
        ("f1", None),
    ];
    for (id, sub) in subs {
        let email = Email::parse(&format!("{id}@example.com")).unwrap();
        store.create_member(id, &email, "", now).await.unwrap();
        if let Some(sub) = sub {
            store.put_subscription(id, &sub, now).await.unwrap();
        }
    }
    store.attribute_member("f1", &lead).await.unwrap();
    store.attribute_member("p1", &lead).await.unwrap();
    store.attribute_member("t1", &other).await.unwrap();
    store
        .record_paid_change("pc1", "p1", PaidChange::Started, "plus", now)
        .await
        .unwrap();
    store
        .record_paid_change("pc2", "gone", PaidChange::Ended, "plus", now)
        .await
        .unwrap();
    let yesterday = MemberCounts {
        day: 0,
        free: 2,
        paid: 2,
        comped: 0,
    };
    store
        .save_member_counts(today - 1, yesterday)
        .await
        .unwrap();
    (lead, other)
}

async fn known_numbers(app: TestApp) {
    let mut owner = set_up(&app).await;
    let (lead, other) = seed(&app).await;
    let home = open(&app, &mut owner, "/admin/").await;
    assert_eq!(
        home.count("main a[href='/admin/dashboard/']"),
        1,
        "the front page links to it"
    );
    assert_eq!(home.count("nav a[href='/admin/dashboard/']"), 1);

    let dash = open(&app, &mut owner, "/admin/dashboard/").await;
    assert_eq!(dash.status, StatusCode::OK, "{}", dash.body);
    let stat = |name: &str| dash.texts(&format!("[data-stat={name}]")).join("");
    assert_eq!(stat("views"), "6", "the last 30 days: 4 today, 2 yesterday");
    assert_eq!(
        stat("visitors"),
        "4",
        "two today (a, b), two yesterday (c, d)"
    );
    assert_eq!(stat("members"), "1 free, 3 paid, 1 comped");
    // $9 for plus (active) + $120 / 12 for annual (past due); the trial pays nothing yet.
    assert_eq!(stat("mrr"), "$19 USD (2 paying)");
    assert_eq!(
        (stat("new-paid").as_str(), stat("churned").as_str()),
        ("1", "1")
    );
    assert_eq!(
        dash.count("table[data-table=traffic] tbody tr"),
        30,
        "one row a day"
    );
    assert_eq!(
        dash.count("table[data-table=members] tbody tr"),
        2,
        "yesterday's snapshot and today"
    );
    let top = dash.texts("table[data-table=top-views] tbody tr th");
    assert_eq!(
        top,
        ["The lead story", "The other story"],
        "a tie of three views each, the older post first"
    );
    let signups = dash.texts("table[data-table=top-signups] tbody tr");
    assert!(
        signups[0].contains("The lead story") && signups[0].contains('2'),
        "{signups:?}"
    );
    assert!(
        signups[1].contains("The other story") && signups[1].contains('1'),
        "{signups:?}"
    );
    for chart in ["traffic", "members"] {
        let svg = format!("svg.chart[role=img][aria-labelledby='{chart}-title {chart}-desc']");
        assert_eq!(dash.count(&svg), 1, "{chart}");
        assert_eq!(dash.count(&format!("title#{chart}-title")), 1);
        assert_eq!(dash.count(&format!("desc#{chart}-desc")), 1);
        assert_eq!(
            dash.count(&format!("details table[data-table={chart}]")),
            1,
            "a table alternative"
        );
    }
    assert!(dash.texts("desc#traffic-desc")[0].starts_with("6 views and 4 daily visitors"));

    let quarter = open(&app, &mut owner, "/admin/dashboard/?days=90").await;
    assert_eq!(
        quarter.texts("[data-stat=views]"),
        ["9"],
        "40 days ago is in the last 90"
    );
    assert_eq!(
        quarter.texts("table[data-table=top-views] tbody tr th")[0],
        "The other story"
    );
    assert_eq!(
        quarter.count("a[aria-current=page][href='/admin/dashboard/?days=90']"),
        1
    );
    let odd = open(&app, &mut owner, "/admin/dashboard/?days=abc").await;
    assert_eq!(
        odd.status,
        StatusCode::OK,
        "a bad period is the default one"
    );
    assert_eq!(odd.count("table[data-table=traffic] tbody tr"), 30);

    let funnel = open(&app, &mut owner, &format!("/admin/dashboard/posts/{lead}/")).await;
    let rows = funnel.texts("table[data-table=funnel] tbody tr");
    assert_eq!(rows.len(), 4);
    assert!(
        rows[0].contains("Views") && rows[0].contains('3'),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("Paywall shown") && rows[1].contains("33.3%"),
        "{rows:?}"
    );
    assert!(
        rows[2].contains("Sign-ups") && rows[2].contains("200.0%"),
        "{rows:?}"
    );
    assert!(
        rows[3].contains("Paid conversions") && rows[3].contains("50.0%"),
        "{rows:?}"
    );
    assert_eq!(funnel.count("svg.chart[role=img] title#funnel-title"), 1);

    // A slow count of the top posts stands for an hour (a big site's); the hourly recount, or
    // an expired or quick count, shows new views.
    let today = day_of(Utc::now());
    let mut batch = ViewBatch::default();
    for visitor in ["g", "h", "i", "j"] {
        batch.add(today, &other, visitor, false);
    }
    app.state.store.record_views(&batch).await.unwrap();
    let slow = store::CountedTop {
        to_day: today,
        counted_at: Utc::now(),
        cost_ms: 5_000,
        posts: vec![store::PostCount {
            post_id: lead.clone(),
            title: "stale title".into(),
            slug: "stale".into(),
            count: 3,
        }],
    };
    app.state
        .store
        .save_top_posts(store::TopList::Views, 30, &slow)
        .await
        .unwrap();
    let kept = open(&app, &mut owner, "/admin/dashboard/").await;
    assert_eq!(
        kept.texts("[data-stat=views]"),
        ["10"],
        "the totals are live"
    );
    assert_eq!(
        kept.texts("table[data-table=top-views] tbody tr th"),
        ["The lead story"],
        "the kept count, with the post's current title"
    );
    assert!(kept.texts("[data-top-counted]")[0].contains("counted at"));
    masthead::analytics::top_posts::recount(&app.state.store, Utc::now())
        .await
        .unwrap();
    let recounted = open(&app, &mut owner, "/admin/dashboard/").await;
    let top = recounted.texts("table[data-table=top-views] tbody tr td");
    assert_eq!(
        recounted.texts("table[data-table=top-views] tbody tr th"),
        ["The other story", "The lead story"]
    );
    assert_eq!(top[0], "7", "{top:?}");
    let missing = open(
        &app,
        &mut owner,
        "/admin/dashboard/posts/0190abcd-0000-7000-8000-000000000000/",
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_dashboard_shows_a_known_data_set() {
    known_numbers(TestApp::empty().await).await;
}

#[tokio::test]
async fn the_dashboard_shows_a_known_data_set_on_postgres() {
    if let Some(app) = TestApp::empty_on_postgres().await {
        known_numbers(app).await;
    }
}

#[tokio::test]
async fn only_administrators_and_the_owner_open_the_dashboard() {
    let app = TestApp::empty().await;
    let mut owner = set_up(&app).await;
    let (lead, _) = seed(&app).await;
    let funnel = format!("/admin/dashboard/posts/{lead}/");
    let mut admin = staff_member(&app, &mut owner, "ada@news.example", "administrator").await;
    assert_eq!(
        open(&app, &mut admin, "/admin/dashboard/").await.status,
        StatusCode::OK
    );
    assert_eq!(open(&app, &mut admin, &funnel).await.status, StatusCode::OK);
    for (email, role) in [
        ("eddie@news.example", "editor"),
        ("ann@news.example", "author"),
        ("cody@news.example", "contributor"),
    ] {
        let mut b = staff_member(&app, &mut owner, email, role).await;
        let home = open(&app, &mut b, "/admin/").await;
        assert_eq!(
            home.count("a[href='/admin/dashboard/']"),
            0,
            "{role}: no link"
        );
        for path in ["/admin/dashboard/", funnel.as_str()] {
            let res = open(&app, &mut b, path).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{role}: {path}");
            assert!(!res.body.contains("The lead story"), "{role}: {path}");
        }
    }
}
