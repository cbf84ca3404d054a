//! Gift links only for what the giver may read: a member of one paid tier can give (and so
//! read, and share) only posts their own tier reads in full — never another tier's, through
//! any URL they can build.

use crate::helpers::{Browser, TestApp, TestResponse};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use domain::{PostKind, Slug, Tier, Visibility};
use masthead::compose::{Composer, Draft, save};

const PREMIUM_CANARY: &str = "PREMIUMCANARY9q2";
const PAID_CANARY: &str = "PAIDCANARY4k7";

/// The demo site with a second paid tier, `basic`, and no meters (a meter would let anyone
/// read a gated post now and then, which is not what these tests are about).
async fn site() -> TestApp {
    let app = TestApp::demo().await;
    for key in ["meter_members", "meter_anonymous"] {
        app.state.store.set_setting(key, "0").await.unwrap();
    }
    app.state
        .store
        .upsert_tier(
            &Tier {
                id: masthead::compose::new_id(),
                slug: Slug::parse("basic").unwrap(),
                name: "Basic".into(),
                description: String::new(),
                benefits: vec![],
                monthly_price: 300,
                yearly_price: 3000,
                currency: "usd".into(),
                trial_days: 0,
                active: true,
            },
            Utc::now(),
        )
        .await
        .unwrap();
    app
}

/// A live post with `canary` in its gated part; returns (id, slug).
async fn post(
    app: &TestApp,
    title: &str,
    visibility: Visibility,
    canary: &str,
) -> (String, String) {
    let mut composer = Composer::new(&app.state.store);
    let mut d = Draft::new(
        PostKind::Post,
        title,
        &format!("Free opening.\n\n<!--members-only-->\n\nGated analysis {canary}.\n"),
    );
    d.visibility = visibility;
    d.published_at = Some(Utc::now() - Duration::minutes(5));
    let post = composer.compose(d, Utc::now()).await.unwrap();
    save(&app.state.store, std::slice::from_ref(&post))
        .await
        .unwrap();
    (post.id, post.slug.to_string())
}

async fn member_of(app: &TestApp, email: &str, tier: &str) -> Browser {
    let b = app.signed_in(email).await;
    app.comp(email, tier).await;
    b
}

async fn gift(app: &TestApp, giver: &Browser, post_id: &str) -> TestResponse {
    app.post_form(
        "/members/gift",
        &giver.cookies(),
        &[("csrf", &giver.csrf), ("post_id", post_id)],
    )
    .await
}

async fn member_id(app: &TestApp, email: &str) -> String {
    app.state
        .store
        .member_by_email(&domain::Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn gifts_of(app: &TestApp, email: &str) -> Vec<store::Gift> {
    let id = member_id(app, email).await;
    app.state.store.gifts_of(&id).await.unwrap()
}

/// Every gift link the account page lists, as a path.
async fn listed_gift_links(app: &TestApp, member: &Browser) -> Vec<String> {
    let account = app.get_as("/account/", &member.cookies()).await;
    let mut links = account.attrs(".gift-list a", "href");
    links.extend(account.attrs(".gift-list input[readonly]", "value"));
    links
        .into_iter()
        .map(|l| l.replace("https://news.example", ""))
        .collect()
}

#[tokio::test]
async fn a_member_gives_only_what_their_own_tier_reads() {
    let app = site().await;
    let (premium_id, premium) = post(
        &app,
        "For Subscriber+ only",
        Visibility::tiers(&["subscriber-plus"]).unwrap(),
        PREMIUM_CANARY,
    )
    .await;
    let (paid_id, paid) = post(&app, "For every paid tier", Visibility::Paid, PAID_CANARY).await;
    let basic = member_of(&app, "basic@example.com", "basic").await;
    let plus = member_of(&app, "plus@example.com", "subscriber-plus").await;
    let premium_page = format!("/{premium}/");

    // The basic member reads the preview, is offered no gift form, and cannot make one.
    let page = app.get_as(&premium_page, &basic.cookies()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(PREMIUM_CANARY), "a preview for basic");
    assert_eq!(
        page.count("form[action='/members/gift']"),
        0,
        "no gift form"
    );
    let refused = gift(&app, &basic, &premium_id).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.body.contains("Upgrade your membership"),
        "says what to do: {}",
        refused.body
    );
    assert!(
        refused.header("location").is_empty(),
        "no redirect to build on"
    );
    assert!(!refused.body.contains(PREMIUM_CANARY));
    assert!(
        gifts_of(&app, "basic@example.com").await.is_empty(),
        "no gift row"
    );

    // Nothing the basic member can reach shows the premium canary: the redirect a gift would
    // have sent them to, the account page and every gift link it lists, with and without
    // their cookies.
    let mut urls = vec![
        premium_page.clone(),
        format!("/{premium}/?gift_created=x"),
        "/account/".to_owned(),
    ];
    urls.extend(listed_gift_links(&app, &basic).await);
    for url in &urls {
        for cookies in [basic.cookies(), String::new()] {
            let res = app.get_as(url, &cookies).await;
            assert!(!res.body.contains(PREMIUM_CANARY), "{url}");
        }
    }

    // A post of every paid tier is the basic member's to give; the link opens it for anyone.
    let made = gift(&app, &basic, &paid_id).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let links = listed_gift_links(&app, &basic).await;
    assert!(
        links
            .iter()
            .any(|l| l.starts_with(&format!("/{paid}/?gift=")))
    );
    for link in &links {
        let opened = app.get(link).await;
        assert!(opened.body.contains(PAID_CANARY), "{link}");
        assert!(!opened.body.contains(PREMIUM_CANARY), "{link}");
    }

    // A Subscriber+ member still gives the premium post, and its link opens it.
    let page = app.get_as(&premium_page, &plus.cookies()).await;
    assert!(page.body.contains(PREMIUM_CANARY));
    assert_eq!(page.count("form[action='/members/gift']"), 1);
    let made = gift(&app, &plus, &premium_id).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let created = app.get_as(made.header("location"), &plus.cookies()).await;
    let link = created
        .attrs("input[readonly]", "value")
        .into_iter()
        .find(|v| v.contains("?gift="))
        .expect("the new link is shown");
    let opened = app.get(&link.replace("https://news.example", "")).await;
    assert!(
        opened.body.contains(PREMIUM_CANARY),
        "a gift opens it for anyone"
    );
}

#[tokio::test]
async fn a_gift_link_for_another_tier_opens_nothing() {
    let app = site().await;
    let (premium_id, premium) = post(
        &app,
        "For Subscriber+ only",
        Visibility::tiers(&["subscriber-plus"]).unwrap(),
        PREMIUM_CANARY,
    )
    .await;
    let basic = member_of(&app, "basic@example.com", "basic").await;
    // A link a basic member holds for the premium post: made before gifts were checked, or
    // while they held Subscriber+.
    let gift = store::Gift {
        id: masthead::compose::new_id(),
        member_id: member_id(&app, "basic@example.com").await,
        post_id: premium_id,
        created_at: Utc::now(),
        expires_at: Utc::now() + Duration::days(30),
        revoked: false,
    };
    app.state.store.create_gift(&gift).await.unwrap();
    let token = app.state.signer.seal(&format!("g1:{}", gift.id));
    let mut urls = vec![
        format!("/{premium}/?gift={token}"),
        format!("/{premium}/?gift_created={token}"),
    ];
    urls.extend(listed_gift_links(&app, &basic).await);
    assert!(urls.len() > 2, "the account page lists the link");
    for url in &urls {
        for cookies in [basic.cookies(), String::new()] {
            let res = app.get_as(url, &cookies).await;
            assert_eq!(res.status, StatusCode::OK, "{url}");
            assert!(!res.body.contains(PREMIUM_CANARY), "{url}");
        }
    }
    // The same link works once its giver holds the tier.
    app.comp("basic@example.com", "subscriber-plus").await;
    let opened = app.get(&format!("/{premium}/?gift={token}")).await;
    assert!(opened.body.contains(PREMIUM_CANARY));
}
