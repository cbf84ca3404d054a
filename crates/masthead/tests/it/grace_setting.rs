//! Past-due grace days as a live setting (issue 16 §3): a member whose payment failed five
//! days ago reads a paid post in full while grace is 7 days, and not once an administrator
//! sets it to 3 at /admin/settings/ — without a restart.

use crate::helpers::TestApp;
use crate::newsroom::{location, open, post, set_up};
use crate::stripe::{WEBHOOK_SECRET, app_with_stripe, deliver, event, subscription};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::json;

async fn paid_post(app: &TestApp) -> String {
    let posts = app
        .state
        .store
        .list_posts(&store::PostFilter::posts(), 200, 0, Utc::now())
        .await
        .unwrap();
    let paid = posts
        .iter()
        .find(|p| p.visibility.kind() == "paid")
        .unwrap();
    format!("/{}/", paid.slug)
}

#[tokio::test]
async fn a_member_past_due_for_five_days_loses_access_when_grace_drops_to_three() {
    let app = app_with_stripe("http://127.0.0.1:9").await;
    let member = app
        .state
        .store
        .create_member(
            "m-late",
            &domain::Email::parse("late@example.com").unwrap(),
            "",
            Utc::now(),
        )
        .await
        .unwrap();
    let now = Utc::now();
    let at = |days: i64| (now - Duration::days(days)).timestamp();
    let created = event(
        "evt_g1",
        "customer.subscription.created",
        at(40),
        subscription(&member.id, "active"),
    );
    let failed =
        json!({ "id": "in_1", "object": "invoice", "customer": "cus_1", "subscription": "sub_1" });
    let failed = event("evt_g2", "invoice.payment_failed", at(5), failed);
    for payload in [created, failed] {
        let (status, body) = deliver(&app, &payload, WEBHOOK_SECRET, now.timestamp()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let reader = app.signed_in("late@example.com").await;
    let path = paid_post(&app).await;
    let page = app.get_as(&path, &reader.cookies()).await;
    assert_eq!(
        page.count(".gated"),
        1,
        "within 7 days of grace: the whole post"
    );

    let mut owner = set_up(&app).await;
    let settings = open(&app, &mut owner, "/admin/settings/").await;
    assert_eq!(
        settings.attrs("#setting-past_due_grace_days", "name"),
        ["past_due_grace_days"]
    );
    let access = [
        ("free_paragraphs", "2"),
        ("meter_members", "0"),
        ("meter_anonymous", "0"),
    ];
    let mut refused = access.to_vec();
    refused.push(("past_due_grace_days", "90"));
    let res = post(&app, &mut owner, "/admin/settings/access", &refused).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert!(
        res.body.contains("0 to 60"),
        "the error says what would work"
    );
    let page = app.get_as(&path, &reader.cookies()).await;
    assert_eq!(page.count(".gated"), 1, "a refused value changes nothing");

    let mut three = access.to_vec();
    three.push(("past_due_grace_days", "3"));
    let res = post(&app, &mut owner, "/admin/settings/access", &three).await;
    assert_eq!(
        location(&res),
        "/admin/settings/?saved=access#access",
        "{}",
        res.body
    );
    let page = app.get_as(&path, &reader.cookies()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.count(".gated"),
        0,
        "past the 3 days of grace: the free part only"
    );
    let account = app.get_as("/account/", &reader.cookies()).await;
    assert!(account.body.contains("Past due"));
}
