//! Tiers and offers (issue 16 §1): the console sells through Stripe (a local server speaking
//! its shapes, checking the Bearer key, the Idempotency-Key and the form fields), a price
//! change makes a new Price and an unchanged save none, an offer makes its Coupon and its
//! landing page leads to Checkout with it, an archived offer never reaches Checkout, a replayed
//! webhook counts a redemption once, and editors are refused.

use crate::helpers::TestApp;
use crate::newsroom::{location, open, post, set_up};
use crate::newsroom_tags::staff_member;
use crate::stripe::{WEBHOOK_SECRET, app_with_stripe, deliver, event};
use axum::Router;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::{Form, Json};
use chrono::Utc;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
pub(crate) struct Call {
    pub(crate) path: String,
    pub(crate) auth: String,
    pub(crate) key: String,
    pub(crate) form: HashMap<String, String>,
}

pub(crate) type Calls = Arc<Mutex<Vec<Call>>>;

/// Stripe's API at a local address: every POST recorded; objects get ids by kind and count.
pub(crate) async fn fake_stripe() -> (String, Calls) {
    let calls: Calls = Arc::default();
    let seen = calls.clone();
    let app = Router::new().fallback(
        move |uri: Uri, headers: HeaderMap, Form(form): Form<HashMap<String, String>>| {
            let seen = seen.clone();
            async move {
                let header = |n: &str| {
                    headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
                };
                let path = uri.path().to_owned();
                let mut calls = seen.lock().unwrap();
                let n = calls.len();
                calls.push(Call { path: path.clone(), auth: header("authorization"), key: header("idempotency-key"), form });
                let reply = match path.as_str() {
                    "/v1/checkout/sessions" => json!({ "id": format!("cs_{n}"), "url": format!("https://checkout.stripe.test/c/{n}") }),
                    p if p.starts_with("/v1/products") => json!({ "id": "prod_analyst" }),
                    "/v1/prices" => json!({ "id": format!("price_{n}") }),
                    "/v1/coupons" => json!({ "id": format!("co_{n}") }),
                    _ => json!({ "id": "sub_x" }),
                };
                Json(reply)
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, app).into_future());
    (base, calls)
}

pub(crate) fn to(calls: &Calls, path: &str) -> Vec<Call> {
    calls
        .lock()
        .unwrap()
        .iter()
        .filter(|c| c.path == path)
        .cloned()
        .collect()
}

const TIER: &[(&str, &str)] = &[
    ("name", "Analyst"),
    ("slug", ""),
    ("description", "For people who read the numbers"),
    ("benefits", "Every analysis\nThe weekly data letter"),
    ("monthly_price", "15"),
    ("yearly_price", ""),
    ("currency", "usd"),
    ("trial_days", "0"),
    ("visible", "on"),
    ("sort_order", "5"),
];

#[tokio::test]
async fn the_console_sells_tiers_and_offers_through_stripe() {
    let (base, calls) = fake_stripe().await;
    let app = app_with_stripe(&base).await;
    let mut owner = set_up(&app).await;

    open(&app, &mut owner, "/admin/tiers/new/").await;
    let res = post(&app, &mut owner, "/admin/tiers/new/", TIER).await;
    assert_eq!(
        location(&res),
        "/admin/tiers/?payments=synced",
        "{}",
        res.body
    );
    let prices = to(&calls, "/v1/prices");
    assert_eq!(prices.len(), 1, "one Price for the one priced cadence");
    let price = &prices[0];
    assert_eq!(price.auth, "Bearer sk_test_masthead");
    assert!(price.key.starts_with("masthead-price-"), "{}", price.key);
    assert_eq!(price.form["unit_amount"], "1500");
    assert_eq!(price.form["currency"], "usd");
    assert_eq!(price.form["recurring[interval]"], "month");
    assert_eq!(price.form["product"], "prod_analyst");
    assert_eq!(to(&calls, "/v1/products")[0].form["name"], "Analyst");

    let tier = app
        .state
        .store
        .tier_entry_by_slug("analyst")
        .await
        .unwrap()
        .unwrap();
    let first_price = tier.stripe.monthly.clone().unwrap().id;
    let edit = format!("/admin/tiers/{}/", tier.tier.id);
    open(&app, &mut owner, &edit).await;
    post(&app, &mut owner, &edit, TIER).await;
    assert_eq!(
        to(&calls, "/v1/prices").len(),
        1,
        "an unchanged save makes no Price"
    );

    let mut dearer = TIER.to_vec();
    dearer[4] = ("monthly_price", "20");
    post(&app, &mut owner, &edit, &dearer).await;
    let prices = to(&calls, "/v1/prices");
    assert_eq!(prices.len(), 2, "a price change makes a new Price");
    assert_eq!(prices[1].form["unit_amount"], "2000");
    let tier = app
        .state
        .store
        .tier_entry_by_slug("analyst")
        .await
        .unwrap()
        .unwrap();
    let current = tier.stripe.monthly.clone().unwrap().id;
    assert_ne!(current, first_price, "the tier points at the new Price");
    let signup = app.get("/signup/").await;
    assert!(
        signup.body.contains("Analyst"),
        "a visible tier is on the sign-up page"
    );

    open(&app, &mut owner, "/admin/offers/new/").await;
    let offer_form = [
        ("name", "Analyst launch"),
        ("code", "ANALYST20"),
        ("display_title", "Analyst for less"),
        ("display_description", ""),
        ("kind", "percent"),
        ("amount", "20"),
        ("currency", ""),
        ("tier_id", tier.tier.id.as_str()),
        ("cadence", "month"),
        ("duration", "once"),
        ("duration_in_months", ""),
    ];
    let res = post(&app, &mut owner, "/admin/offers/new/", &offer_form).await;
    assert_eq!(
        location(&res),
        "/admin/offers/?payments=synced",
        "{}",
        res.body
    );
    let coupon = to(&calls, "/v1/coupons");
    assert_eq!(coupon.len(), 1, "the offer makes its Coupon");
    assert_eq!(coupon[0].form["percent_off"], "20");
    assert_eq!(coupon[0].form["duration"], "once");
    assert!(!coupon[0].key.is_empty());
    let offer = app
        .state
        .store
        .offer_by_code("analyst20")
        .await
        .unwrap()
        .unwrap();
    let listed = open(&app, &mut owner, "/admin/offers/").await;
    assert!(
        listed
            .body
            .contains("https://news.example/offers/ANALYST20/"),
        "the landing URL is shown"
    );

    let landing = app.get("/offers/ANALYST20/").await;
    assert_eq!(landing.status, StatusCode::OK);
    assert!(
        landing.body.contains("20% off the first month"),
        "{}",
        landing.body
    );
    let anonymous = app.get("/members/checkout?offer=ANALYST20").await;
    assert_eq!(location(&anonymous), "/offers/ANALYST20/", "sign up first");

    let reader = app.signed_in("reader@example.com").await;
    let res = app
        .get_as("/members/checkout?offer=ANALYST20", &reader.cookies())
        .await;
    assert!(
        location(&res).starts_with("https://checkout.stripe.test/"),
        "{}",
        res.body
    );
    let checkout = to(&calls, "/v1/checkout/sessions").pop().unwrap();
    let coupon_id = offer.stripe_coupon_id.clone().unwrap();
    assert_eq!(checkout.form["discounts[0][coupon]"], coupon_id);
    assert_eq!(
        checkout.form["line_items[0][price]"], current,
        "Checkout uses the tier's Price"
    );
    assert_eq!(checkout.form["metadata[offer]"], offer.id);
    assert_eq!(
        checkout.form["subscription_data[metadata][offer]"],
        offer.id
    );

    let member = app
        .state
        .store
        .member_by_email(&domain::Email::parse("reader@example.com").unwrap())
        .await
        .unwrap()
        .unwrap();
    let session = json!({
        "id": "cs_1", "object": "checkout.session", "mode": "subscription", "customer": "cus_9",
        "subscription": "sub_9", "client_reference_id": member.id,
        "metadata": { "tier": "analyst", "member_id": member.id, "offer": offer.id },
    });
    let payload = event(
        "evt_offer_1",
        "checkout.session.completed",
        Utc::now().timestamp(),
        session,
    );
    for _ in 0..2 {
        let (status, _) = deliver(&app, &payload, WEBHOOK_SECRET, Utc::now().timestamp()).await;
        assert_eq!(status, StatusCode::OK);
    }
    let offer = app
        .state
        .store
        .offer_by_code("ANALYST20")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(offer.redemptions, 1, "a replayed webhook counts once");
    assert_eq!(
        app.state
            .store
            .subscription_offer(&member.id)
            .await
            .unwrap(),
        Some(offer.id.clone())
    );

    let archive = format!("/admin/offers/{}/archive", offer.id);
    open(&app, &mut owner, &archive).await;
    post(&app, &mut owner, &archive, &[]).await;
    let ended = app.get("/offers/ANALYST20/").await;
    assert_eq!(ended.status, StatusCode::GONE);
    assert!(ended.body.contains("This offer has ended"));
    assert!(
        !ended.body.contains("/members/checkout"),
        "no way to Checkout"
    );
    let sessions = to(&calls, "/v1/checkout/sessions").len();
    let res = app
        .get_as("/members/checkout?offer=ANALYST20", &reader.cookies())
        .await;
    assert_eq!(location(&res), "/offers/ANALYST20/");
    assert_eq!(
        to(&calls, "/v1/checkout/sessions").len(),
        sessions,
        "an archived offer never reaches Checkout"
    );
    assert_eq!(
        app.get("/offers/NOSUCH/").await.status,
        StatusCode::NOT_FOUND
    );

    let mut editor = staff_member(&app, &mut owner, "editor@news.example", "editor").await;
    for path in [
        "/admin/tiers/",
        "/admin/offers/",
        "/admin/tiers/new/",
        "/admin/offers/new/",
    ] {
        let res = open(&app, &mut editor, path).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
    }
    let res = post(&app, &mut editor, "/admin/tiers/new/", TIER).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn without_stripe_keys_a_tier_saves_and_says_payments_are_off() {
    let app = TestApp::demo().await;
    let mut owner = set_up(&app).await;
    open(&app, &mut owner, "/admin/tiers/new/").await;
    let mut hidden = TIER.to_vec();
    hidden[8] = ("visible", "");
    let res = post(&app, &mut owner, "/admin/tiers/new/", &hidden).await;
    assert_eq!(location(&res), "/admin/tiers/?payments=off");
    let list = open(&app, &mut owner, "/admin/tiers/").await;
    assert!(list.body.contains("Payments are off"), "{}", list.body);
    assert!(list.body.contains("Analyst"));
    assert!(
        !app.get("/signup/").await.body.contains("Analyst"),
        "a hidden tier is not offered"
    );
    let bad = post(
        &app,
        &mut owner,
        "/admin/tiers/new/",
        &[
            ("name", "Broken"),
            ("monthly_price", "abc"),
            ("currency", "usd"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("is not a price"), "{}", bad.body);
}
