//! The retention offer in the member's cancel step (issue 16 §1): a paying member of a tier
//! with a retention offer sees it at /account/cancel/ and may accept it (the coupon goes onto
//! their Stripe subscription, one redemption however often they press); members of other
//! tiers, and everyone once the offer is archived, go straight on to the Billing Portal; a
//! form without this browser's CSRF token changes nothing; Stripe being down says so and
//! counts nothing.

use crate::helpers::{Browser, TestApp};
use crate::newsroom::{location, open, post, set_up};
use crate::stripe::{WEBHOOK_SECRET, app_with_stripe, deliver, event};
use crate::tiers::{TIER, fake_stripe, to};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::json;

/// A member of `tier` paying through Stripe subscription `sub`, signed in.
async fn paying(app: &TestApp, email: &str, tier: &str, sub: &str) -> Browser {
    let member = app
        .state
        .store
        .create_member(
            &masthead::compose::new_id(),
            &domain::Email::parse(email).unwrap(),
            "",
            Utc::now(),
        )
        .await
        .unwrap();
    let object = json!({
        "id": sub, "object": "subscription", "customer": format!("cus_{sub}"), "status": "active",
        "cancel_at_period_end": false, "current_period_end": (Utc::now() + Duration::days(30)).timestamp(),
        "metadata": { "tier": tier, "member_id": member.id },
        "items": { "data": [ { "price": { "id": "price_1", "metadata": { "tier": tier } } } ] }
    });
    let checkout = json!({
        "id": format!("cs_{sub}"), "object": "checkout.session", "mode": "subscription",
        "customer": format!("cus_{sub}"), "subscription": sub, "client_reference_id": member.id,
        "metadata": { "tier": tier, "member_id": member.id },
    });
    let now = Utc::now().timestamp();
    let paid = event(
        &format!("evt_cs_{sub}"),
        "checkout.session.completed",
        now - 120,
        checkout,
    );
    let created = event(
        &format!("evt_{sub}"),
        "customer.subscription.created",
        now - 60,
        object,
    );
    for payload in [paid, created] {
        let (status, body) = deliver(app, &payload, WEBHOOK_SECRET, now).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    app.signed_in(email).await
}

/// The offer's redemptions as the console counts them.
async fn redemptions(app: &TestApp, code: &str) -> u64 {
    let offer = app.state.store.offer_by_code(code).await.unwrap().unwrap();
    offer.redemptions
}

const OFFER: &[(&str, &str)] = &[
    ("name", "Stay with us"),
    ("code", "STAY20"),
    ("display_title", "A thank-you for staying"),
    (
        "display_description",
        "Keep every story for less while you decide.",
    ),
    ("kind", "percent"),
    ("amount", "20"),
    ("currency", ""),
    ("cadence", "month"),
    ("duration", "repeating"),
    ("duration_in_months", "3"),
    ("retention", "on"),
];

#[tokio::test]
async fn a_paying_member_is_offered_to_stay_and_accepting_discounts_their_subscription_once() {
    let (base, calls) = fake_stripe().await;
    let app = app_with_stripe(&base).await;
    let mut owner = set_up(&app).await;
    open(&app, &mut owner, "/admin/tiers/new/").await;
    post(&app, &mut owner, "/admin/tiers/new/", TIER).await;
    let plus = app
        .state
        .store
        .tier_entry_by_slug("subscriber-plus")
        .await
        .unwrap()
        .unwrap();
    let mut form = OFFER.to_vec();
    form.push(("tier_id", plus.tier.id.as_str()));
    open(&app, &mut owner, "/admin/offers/new/").await;
    let res = post(&app, &mut owner, "/admin/offers/new/", &form).await;
    assert_eq!(
        location(&res),
        "/admin/offers/?payments=synced",
        "{}",
        res.body
    );
    let coupon = app
        .state
        .store
        .offer_by_code("STAY20")
        .await
        .unwrap()
        .unwrap();
    let coupon = coupon.stripe_coupon_id.unwrap();

    let staying = paying(&app, "staying@example.com", "subscriber-plus", "sub_plus").await;
    let account = app.get_as("/account/", &staying.cookies()).await;
    assert_eq!(
        account.attrs("a[href='/account/cancel/']", "href").len(),
        1,
        "the account page leads to the cancel step"
    );
    let page = app.get_as("/account/cancel/", &staying.cookies()).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        page.texts("#retention-heading"),
        ["Before you go: stay for 20% off for 3 months"]
    );
    assert!(page.body.contains("A thank-you for staying"));
    assert!(
        page.body
            .contains("Keep every story for less while you decide.")
    );
    assert!(page.texts("button").iter().any(|b| b == "Accept offer"));
    assert!(
        page.texts("button")
            .iter()
            .any(|b| b == "No thanks, continue to cancel")
    );

    // Another tier's member has no offer: straight on to the Billing Portal.
    let other = paying(&app, "analyst@example.com", "analyst", "sub_analyst").await;
    let res = app.get_as("/account/cancel/", &other.cookies()).await;
    assert!(
        location(&res).starts_with("https://billing.stripe.test/"),
        "{}",
        res.body
    );
    let portal = to(&calls, "/v1/billing_portal/sessions").pop().unwrap();
    assert_eq!(portal.form["customer"], "cus_sub_analyst");

    // A forged or missing token is refused and reaches nothing.
    for token in ["", "forged-token-forged-token-forged-token"] {
        let res = app
            .post_form(
                "/account/cancel/accept",
                &staying.cookies(),
                &[("csrf", token)],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{token:?}");
    }
    assert!(to(&calls, "/v1/subscriptions/sub_plus").is_empty());
    assert_eq!(redemptions(&app, "STAY20").await, 0);

    for _ in 0..2 {
        let res = app
            .post_form(
                "/account/cancel/accept",
                &staying.cookies(),
                &[("csrf", &staying.csrf)],
            )
            .await;
        assert_eq!(location(&res), "/account/?done=stayed", "{}", res.body);
    }
    let discounted = to(&calls, "/v1/subscriptions/sub_plus");
    assert!(!discounted.is_empty(), "the coupon reached Stripe");
    assert_eq!(discounted[0].form["discounts[0][coupon]"], coupon);
    assert!(!discounted[0].key.is_empty(), "with an Idempotency-Key");
    assert!(
        discounted.iter().all(|c| c.key == discounted[0].key),
        "a second press is the same request"
    );
    assert_eq!(
        redemptions(&app, "STAY20").await,
        1,
        "a second Accept does not count twice"
    );
    let account = app
        .get_as("/account/?done=stayed", &staying.cookies())
        .await;
    assert!(
        account
            .body
            .contains("The offer is applied to your subscription.")
    );
    let again = app.get_as("/account/cancel/", &staying.cookies()).await;
    assert!(
        location(&again).starts_with("https://billing.stripe.test/"),
        "an offer taken is not offered again"
    );

    // Archived: the next member of the tier is not offered it, and pressing Accept does nothing.
    let offer = app
        .state
        .store
        .offer_by_code("STAY20")
        .await
        .unwrap()
        .unwrap();
    let archive = format!("/admin/offers/{}/archive", offer.id);
    open(&app, &mut owner, &archive).await;
    post(&app, &mut owner, &archive, &[]).await;
    let late = paying(&app, "late@example.com", "subscriber-plus", "sub_late").await;
    let res = app.get_as("/account/cancel/", &late.cookies()).await;
    assert!(
        location(&res).starts_with("https://billing.stripe.test/"),
        "{}",
        res.body
    );
    let res = app
        .post_form(
            "/account/cancel/accept",
            &late.cookies(),
            &[("csrf", &late.csrf)],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.body
            .contains("There is no offer for your subscription right now.")
    );
    assert!(to(&calls, "/v1/subscriptions/sub_late").is_empty());
}

#[tokio::test]
async fn signed_out_and_free_readers_are_sent_on_and_stripe_down_changes_nothing() {
    // Payments configured, but Stripe does not answer.
    let app = app_with_stripe("http://127.0.0.1:9").await;
    let res = app.get("/account/cancel/").await;
    assert_eq!(location(&res), "/signin/?redirect=/account/cancel/");
    let free = app.signed_in("free@example.com").await;
    let res = app.get_as("/account/cancel/", &free.cookies()).await;
    assert_eq!(location(&res), "/account/");
    let res = app
        .post_form(
            "/account/cancel/accept",
            &free.cookies(),
            &[("csrf", &free.csrf)],
        )
        .await;
    assert_eq!(location(&res), "/account/");

    let mut owner = set_up(&app).await;
    let plus = app
        .state
        .store
        .tier_entry_by_slug("subscriber-plus")
        .await
        .unwrap()
        .unwrap();
    let mut form = OFFER.to_vec();
    form.push(("tier_id", plus.tier.id.as_str()));
    open(&app, &mut owner, "/admin/offers/new/").await;
    post(&app, &mut owner, "/admin/offers/new/", &form).await;
    let offer = app
        .state
        .store
        .offer_by_code("STAY20")
        .await
        .unwrap()
        .unwrap();
    app.state
        .store
        .set_offer_coupon(&offer.id, "co_made_earlier")
        .await
        .unwrap();

    let member = paying(&app, "member@example.com", "subscriber-plus", "sub_down").await;
    let res = app
        .post_form(
            "/account/cancel/accept",
            &member.cookies(),
            &[("csrf", &member.csrf)],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.body
            .contains("We could not reach our payment provider, so nothing has changed."),
        "{}",
        res.body
    );
    assert!(
        res.texts("button").iter().any(|b| b == "Accept offer"),
        "the offer is still there to try again"
    );
    assert_eq!(redemptions(&app, "STAY20").await, 0);
}
