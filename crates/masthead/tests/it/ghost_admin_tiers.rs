//! The Admin API's tiers and offers (issue 16 §1): an integration adds and edits tiers and
//! offers in Ghost's shapes through the console's use cases (Stripe gets the Product, Prices and
//! Coupon; the audit log the change), readers see the result (the sign-up page, the offer's
//! page), bad input is a Ghost `ValidationError` that saves nothing, and content keys are refused.

use crate::ghost_admin::{admin_auth, call, error_type};
use crate::ghost_content::content_key;
use crate::stripe::app_with_stripe;
use crate::tiers::{fake_stripe, to};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

fn body(res: &crate::helpers::TestResponse) -> Value {
    serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{e}: {}", res.body))
}

async fn audited(app: &crate::helpers::TestApp) -> Vec<String> {
    let entries = app.state.store.audit_entries(100, None).await.unwrap();
    entries.into_iter().map(|e| e.action).collect()
}

#[tokio::test]
async fn tiers_are_added_and_edited_in_ghosts_shape_and_reach_stripe() {
    let (base, calls) = fake_stripe().await;
    let app = app_with_stripe(&base).await;
    let auth = admin_auth(&app).await;
    let tier = json!({ "tiers": [{
        "name": "Analyst", "description": "For people who read the numbers",
        "benefits": ["Every analysis", "The weekly data letter"],
        "monthly_price": 1500, "yearly_price": 15000, "currency": "USD",
        "visibility": "public", "trial_days": 7, "type": "paid",
    }]});
    let res = call(&app, Method::POST, "tiers/", &auth, Some(tier)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let made = body(&res)["tiers"][0].clone();
    assert_eq!(made["slug"], "analyst");
    assert_eq!(made["monthly_price"], 1500);
    assert_eq!(made["currency"], "USD");
    assert_eq!(made["visibility"], "public");
    assert_eq!(made["trial_days"], 7);
    assert_eq!(made["benefits"][1], "The weekly data letter");
    let prices = to(&calls, "/v1/prices");
    assert_eq!(prices.len(), 2, "a Price per priced cadence");
    assert_eq!(prices[0].form["unit_amount"], "1500");
    assert!(app.get("/signup/").await.body.contains("Analyst"));

    let id = made["id"].as_str().unwrap();
    let path = format!("tiers/{id}/");
    let edit = json!({ "tiers": [{ "monthly_price": 1800, "visibility": "none" }] });
    let res = call(&app, Method::PUT, &path, &auth, Some(edit)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let edited = body(&res)["tiers"][0].clone();
    assert_eq!(
        (
            edited["monthly_price"].clone(),
            edited["yearly_price"].clone()
        ),
        (json!(1800), json!(15000)),
        "fields not named keep their values"
    );
    assert_eq!(edited["visibility"], "none");
    assert_eq!(
        to(&calls, "/v1/prices").len(),
        3,
        "a new Price for the new amount only"
    );
    assert!(!app.get("/signup/").await.body.contains("Analyst"));
    let read = call(&app, Method::GET, &path, &auth, None).await;
    assert_eq!(body(&read)["tiers"][0]["visibility"], "none");

    let archive = json!({ "tiers": [{ "active": false }] });
    let res = call(&app, Method::PUT, &path, &auth, Some(archive)).await;
    assert_eq!(body(&res)["tiers"][0]["active"], false, "{}", res.body);
    let actions = audited(&app).await;
    for action in ["tier.added", "tier.edited", "tier.archived"] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn bad_tiers_are_ghost_validation_errors_and_save_nothing() {
    let app = crate::helpers::TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let before = app.state.store.tier_entries().await.unwrap().len();
    for (tier, says) in [
        (json!({ "name": "Unpriced" }), "needs a monthly price"),
        (
            json!({ "name": "Minus", "monthly_price": -5 }),
            "not a Ghost tier",
        ),
        (
            json!({ "name": "Words", "monthly_price": "ten" }),
            "not a Ghost tier",
        ),
        (
            json!({ "name": "Odd", "monthly_price": 500, "currency": "dollars" }),
            "three-letter",
        ),
        (
            json!({ "name": "Seen", "monthly_price": 500, "visibility": "members" }),
            "visibility",
        ),
        (json!({ "monthly_price": 500 }), "needs a name"),
    ] {
        let res = call(
            &app,
            Method::POST,
            "tiers/",
            &auth,
            Some(json!({ "tiers": [tier] })),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert_eq!(error_type(&res), "ValidationError");
        assert!(res.body.contains(says), "{says} in {}", res.body);
    }
    assert_eq!(app.state.store.tier_entries().await.unwrap().len(), before);
    let free = app
        .state
        .store
        .tier_entry_by_slug("free")
        .await
        .unwrap()
        .unwrap();
    let res = call(
        &app,
        Method::PUT,
        &format!("tiers/{}/", free.tier.id),
        &auth,
        Some(json!({ "tiers": [{ "active": false }] })),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("cannot be archived"), "{}", res.body);
    assert!(
        app.state
            .store
            .audit_entries(10, None)
            .await
            .unwrap()
            .is_empty(),
        "a refused archive writes nothing"
    );
    let res = call(
        &app,
        Method::PUT,
        "tiers/nope/",
        &auth,
        Some(json!({ "tiers": [{}] })),
    )
    .await;
    assert_eq!(error_type(&res), "NotFoundError");
}

#[tokio::test]
async fn offers_are_added_read_edited_and_archived_like_ghosts() {
    let (base, calls) = fake_stripe().await;
    let app = app_with_stripe(&base).await;
    let auth = admin_auth(&app).await;
    let tier = app
        .state
        .store
        .tier_entry_by_slug("subscriber-plus")
        .await
        .unwrap()
        .unwrap()
        .tier;
    let offer = json!({ "offers": [{
        "name": "Spring sale", "code": "SPRING20", "display_title": "Spring: 20% off",
        "display_description": "Three months at a better price.", "type": "percent",
        "cadence": "month", "amount": 20, "duration": "repeating", "duration_in_months": 3,
        "tier": { "id": tier.id },
    }]});
    let res = call(&app, Method::POST, "offers/", &auth, Some(offer)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let made = body(&res)["offers"][0].clone();
    for (field, value) in [
        ("code", json!("SPRING20")),
        ("type", json!("percent")),
        ("amount", json!(20)),
        ("duration", json!("repeating")),
        ("duration_in_months", json!(3)),
        ("status", json!("active")),
        ("redemption_count", json!(0)),
        ("tier", json!({ "id": tier.id, "name": tier.name })),
    ] {
        assert_eq!(made[field], value, "{field}");
    }
    let coupons = to(&calls, "/v1/coupons");
    assert_eq!(coupons.len(), 1);
    assert_eq!(coupons[0].form["percent_off"], "20");
    let page = app.get("/offers/spring20/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("20% off for 3 months"), "{}", page.body);

    let id = made["id"].as_str().unwrap();
    let path = format!("offers/{id}/");
    let listed = call(&app, Method::GET, "offers/", &auth, None).await;
    assert_eq!(body(&listed)["offers"][0]["id"], id);
    assert_eq!(
        body(&call(&app, Method::GET, &path, &auth, None).await)["offers"][0]["name"],
        "Spring sale"
    );

    let terms = json!({ "offers": [{ "amount": 50 }] });
    let res = call(&app, Method::PUT, &path, &auth, Some(terms)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("add a new offer"), "{}", res.body);

    // Ghost's clients send the whole offer back; unchanged terms are fine.
    let mut whole = made.clone();
    whole["name"] = json!("Spring sale (ended)");
    whole["status"] = json!("archived");
    let res = call(
        &app,
        Method::PUT,
        &path,
        &auth,
        Some(json!({ "offers": [whole] })),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(body(&res)["offers"][0]["status"], "archived");
    assert_eq!(app.get("/offers/spring20/").await.status, StatusCode::GONE);
    let actions = audited(&app).await;
    for action in ["offer.added", "offer.archived"] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn bad_offers_are_refused_and_content_keys_write_nothing() {
    let app = crate::helpers::TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let free = app
        .state
        .store
        .tier_entry_by_slug("free")
        .await
        .unwrap()
        .unwrap();
    let paid = app
        .state
        .store
        .tier_entry_by_slug("subscriber-plus")
        .await
        .unwrap()
        .unwrap();
    let offer = |over: Value| {
        let mut o = json!({ "name": "Deal", "code": "DEAL", "type": "percent", "amount": 10,
            "cadence": "month", "duration": "once", "tier": { "id": paid.tier.id } });
        for (k, v) in over.as_object().unwrap() {
            o[k] = v.clone();
        }
        json!({ "offers": [o] })
    };
    for (over, says) in [
        (json!({ "amount": 150 }), "between 1 and 100"),
        (json!({ "type": "half-off" }), "not percent, fixed or trial"),
        (json!({ "code": "no spaces" }), "may hold only"),
        (json!({ "tier": { "id": "nope" } }), "tier.id"),
        (
            json!({ "tier": { "id": free.tier.id } }),
            "active paid tiers",
        ),
        (json!({ "duration": "repeating" }), "1 to 120 months"),
        (json!({ "status": "paused" }), "neither active nor archived"),
    ] {
        let res = call(&app, Method::POST, "offers/", &auth, Some(offer(over))).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert_eq!(error_type(&res), "ValidationError");
        assert!(res.body.contains(says), "{says} in {}", res.body);
    }
    assert!(app.state.store.offers().await.unwrap().is_empty());
    let res = call(&app, Method::GET, "offers/nope/", &auth, None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(error_type(&res), "NotFoundError");

    let content = format!("Ghost {}", content_key(&app).await);
    for (method, path, sent) in [
        (Method::GET, "offers/", None),
        (Method::POST, "offers/", Some(offer(json!({})))),
        (
            Method::POST,
            "tiers/",
            Some(json!({ "tiers": [{ "name": "X", "monthly_price": 100 }] })),
        ),
    ] {
        let res = call(&app, method, path, &content, sent).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{path}: {}", res.body);
        assert_eq!(error_type(&res), "UnauthorizedError");
    }
    assert!(app.state.store.offers().await.unwrap().is_empty());
}
