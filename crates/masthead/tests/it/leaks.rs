//! The leak matrix: a canary in the gated part of a post of each visibility, checked on every
//! surface that exists for every kind of viewer. The canary must appear exactly where the viewer
//! is entitled (or holds a gift or meter allowance), and nowhere else.
//!
//! Surfaces: the article page (body, meta description, OpenGraph, JSON-LD), the home page, page 2,
//! section and topic pages, author pages, search (HTML and JSON: a gated word finds its post, by
//! any query form, only for viewers entitled to it; see `search`), other articles' Related
//! Articles boxes, the 404 page, the RSS feeds (site, `/feed/`, tag, author), every sitemap and
//! the News sitemap, robots.txt, response headers, the Content API (every listing and read, all
//! formats and includes), and webhook bodies.
//! An article's `<head>` (meta tags and JSON-LD) never holds gated text, not even for readers
//! who may read the body. The page cache is on throughout, and every article is requested
//! twice per viewer, so stored copies are checked too.

mod api;
mod dashboard;
mod member_console;
mod previews;
mod search;
mod staff;

use crate::helpers::{Browser, TestApp};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use domain::billing::{Subscription, SubscriptionStatus};
use domain::{PostKind, Slug, Visibility};
use masthead::compose::{Composer, Draft, save};

/// One probe per gated visibility: (canary, slug, visibility kind).
async fn plant(app: &TestApp) -> Vec<(String, String, &'static str)> {
    let mut composer = Composer::new(&app.state.store);
    let author = app.state.store.authors().await.unwrap()[0].slug.to_string();
    let mut probes = Vec::new();
    let visibilities = [
        ("members", Visibility::Members),
        ("paid", Visibility::Paid),
        ("tiers", Visibility::tiers(&["subscriber-plus"]).unwrap()),
    ];
    for (i, (kind, visibility)) in visibilities.into_iter().enumerate() {
        let canary = format!("CANARY{i}x7f3gated");
        let mut d = Draft::new(
            PostKind::Post,
            &format!("Leak probe {i} on the Taiwan Strait"),
            &format!(
                "Free opening paragraph about the strait.\n\n<!--members-only-->\n\nGated analysis {canary} continues with quixoticgated.\n\n## Gated heading {canary}\n"
            ),
        );
        d.visibility = visibility;
        d.section = Some("deep-dive".into());
        d.tags = vec!["china".into(), "intelligence".into()];
        d.authors = vec![author.clone()];
        d.featured = true;
        d.published_at = Some(Utc::now() - Duration::minutes(i as i64 + 1));
        let post = composer.compose(d, Utc::now()).await.unwrap();
        probes.push((canary, post.slug.to_string(), kind));
        save(&app.state.store, &[post]).await.unwrap();
    }
    probes
}

/// Every page a reader can reach that might show a probe, other than the probes themselves.
async fn other_surfaces(app: &TestApp) -> Vec<String> {
    let author = app.state.store.authors().await.unwrap()[0].slug.to_string();
    let mut paths: Vec<String> = [
        "/",
        "/page/2/",
        "/tag/china/",
        "/tag/deep-dive/",
        "/tag/intelligence/",
        "/no-such-page/",
        "/account/",
    ]
    .iter()
    .map(std::string::ToString::to_string)
    .collect();
    paths.push(format!("/author/{author}/"));
    paths.extend(
        [
            "/rss/",
            "/feed/",
            "/tag/china/rss/",
            "/tag/deep-dive/rss/",
            "/tag/intelligence/rss/",
            "/sitemap.xml",
            "/sitemap-posts.xml",
            "/sitemap-pages.xml",
            "/sitemap-tags.xml",
            "/sitemap-authors.xml",
            "/sitemap-news.xml",
            "/robots.txt",
        ]
        .map(String::from),
    );
    paths.push(format!("/author/{author}/rss/"));
    let china = app.get("/tag/china/").await;
    let related_hosts = china.attrs("main article h2 a, main article h3 a", "href");
    paths.extend(
        related_hosts
            .into_iter()
            .filter(|h| !h.contains("leak-probe"))
            .take(6),
    );
    paths
}

struct Case {
    name: &'static str,
    browser: Browser,
    /// Which probe kinds this viewer may read in full.
    reads: &'static [&'static str],
}

async fn member_with(app: &TestApp, email: &str, sub: Option<Subscription>) -> Browser {
    let b = app.signed_in(email).await;
    if let Some(sub) = sub {
        let member = app
            .state
            .store
            .member_by_email(&domain::Email::parse(email).unwrap())
            .await
            .unwrap()
            .unwrap();
        app.state
            .store
            .put_subscription(&member.id, &sub, Utc::now())
            .await
            .unwrap();
    }
    b
}

/// A member comped to "Patron", a paid tier other than the tiers probe's Subscriber+ (comped
/// before signing in, so their first request already sees the tier).
async fn other_tier_member(app: &TestApp, email: &str) -> Browser {
    let store = &app.state.store;
    let mut tier = store
        .tier_by_slug("subscriber-plus")
        .await
        .unwrap()
        .unwrap();
    tier.id = masthead::compose::new_id();
    tier.slug = Slug::parse("patron").unwrap();
    tier.name = "Patron".into();
    store.upsert_tier(&tier, Utc::now()).await.unwrap();
    app.comp(email, "patron").await;
    app.signed_in(email).await
}

fn stripe_sub(status: SubscriptionStatus, past_due_days: i64) -> Subscription {
    Subscription {
        tier: Slug::parse("subscriber-plus").unwrap(),
        status,
        stripe_subscription_id: Some("sub_test".into()),
        stripe_customer_id: Some("cus_test".into()),
        current_period_end: Some(Utc::now() + Duration::days(20)),
        past_due_since: (past_due_days > 0).then(|| Utc::now() - Duration::days(past_due_days)),
        comped_until: None,
        cancel_at_period_end: false,
        last_event_at: None,
    }
}

#[tokio::test]
async fn gated_text_reaches_exactly_the_entitled_viewers() {
    let app = TestApp::demo().await;
    app.state
        .store
        .set_setting("meter_members", "0")
        .await
        .unwrap();
    let probes = plant(&app).await;
    let paid_probe = probes.iter().find(|p| p.2 == "paid").unwrap().1.clone();

    // A paid member's gift link for the paid probe, opened by an anonymous reader.
    let giver = member_with(&app, "giver@example.com", None).await;
    app.comp("giver@example.com", "subscriber-plus").await;
    let post_id = app
        .state
        .store
        .post_by_slug(&paid_probe)
        .await
        .unwrap()
        .unwrap()
        .id;
    let made = app
        .post_form(
            "/members/gift",
            &giver.cookies(),
            &[("csrf", &giver.csrf), ("post_id", &post_id)],
        )
        .await;
    let gift_page = app.get_as(made.header("location"), &giver.cookies()).await;
    let gift_url = gift_page
        .attrs("input[readonly]", "value")
        .into_iter()
        .find(|v| v.contains("?gift="))
        .expect("gift link shown");
    let gift_query = gift_url.split_once('?').unwrap().1.to_owned();

    let cases = vec![
        Case {
            name: "anonymous",
            browser: Browser::default(),
            reads: &[],
        },
        Case {
            name: "free member",
            browser: member_with(&app, "free@example.com", None).await,
            reads: &["members"],
        },
        Case {
            name: "paid member",
            browser: member_with(
                &app,
                "paid@example.com",
                Some(stripe_sub(SubscriptionStatus::Active, 0)),
            )
            .await,
            reads: &["members", "paid", "tiers"],
        },
        Case {
            name: "comped member",
            browser: giver.clone(),
            reads: &["members", "paid", "tiers"],
        },
        Case {
            name: "paid member of another tier",
            browser: other_tier_member(&app, "patron@example.com").await,
            reads: &["members", "paid"],
        },
        Case {
            name: "expired comp",
            browser: member_with(
                &app,
                "expired@example.com",
                Some(domain::billing::comp(
                    Slug::parse("subscriber-plus").unwrap(),
                    Some(Utc::now() - Duration::days(1)),
                )),
            )
            .await,
            reads: &["members"],
        },
        Case {
            name: "past due in grace",
            browser: member_with(
                &app,
                "late@example.com",
                Some(stripe_sub(SubscriptionStatus::PastDue, 2)),
            )
            .await,
            reads: &["members", "paid", "tiers"],
        },
        Case {
            name: "past due too long",
            browser: member_with(
                &app,
                "lapsed@example.com",
                Some(stripe_sub(SubscriptionStatus::PastDue, 30)),
            )
            .await,
            reads: &["members"],
        },
        Case {
            name: "canceled",
            browser: member_with(
                &app,
                "gone@example.com",
                Some(stripe_sub(SubscriptionStatus::Canceled, 0)),
            )
            .await,
            reads: &["members"],
        },
    ];
    let mut others = other_surfaces(&app).await;
    others.extend(api::content_api_surfaces(&app, &probes).await);
    api::webhook_bodies_show_only_the_free_part(&app, &probes).await;
    app.search_caught_up().await;
    // The probes are on the feeds and sitemaps, so the absence of their canaries there counts.
    for path in [
        "/rss/",
        "/tag/china/rss/",
        "/sitemap-posts.xml",
        "/sitemap-news.xml",
    ] {
        let body = app.get(path).await.body;
        for (_, slug, _) in &probes {
            assert!(body.contains(&format!("/{slug}/")), "{slug} on {path}");
        }
    }
    let feed = app.get("/rss/").await.body;
    assert!(
        feed.matches("Free opening paragraph about the strait.")
            .count()
            >= probes.len()
    );
    for case in &cases {
        let cookies = case.browser.cookies();
        for (canary, slug, kind) in &probes {
            let res = app.get_as(&format!("/{slug}/"), &cookies).await;
            assert_eq!(res.status, StatusCode::OK);
            let full = case.reads.contains(kind);
            assert_eq!(
                res.body.contains(canary.as_str()),
                full,
                "{}: {kind} probe",
                case.name
            );
            let head = res.body.split("</head>").next().unwrap();
            assert!(
                !head.contains(canary.as_str()) && head.contains("application/ld+json"),
                "{}: {kind} probe's meta tags and JSON-LD hold no gated text",
                case.name
            );
            assert_eq!(
                res.count(".post-content .gated"),
                usize::from(full),
                "{}: {kind} probe .gated",
                case.name
            );
            assert_eq!(
                res.count(".paywall"),
                usize::from(!full),
                "{}: {kind} probe paywall",
                case.name
            );
            let cache = res.header("cache-control");
            assert!(
                cookies.is_empty() == cache.starts_with("public"),
                "{}: {cache}",
                case.name
            );
            // Again, now that the page cache may hold this class's copy (and other readers'
            // copies of other classes).
            let again = app.get_as(&format!("/{slug}/"), &cookies).await;
            assert_eq!(
                again.body.contains(canary.as_str()),
                full,
                "{}: {kind} probe from the page cache ({})",
                case.name,
                again.header("x-masthead-cache")
            );
        }
        search::only_entitled_viewers_find_gated_words(
            &app, case.name, &cookies, case.reads, &probes,
        )
        .await;
        for path in &others {
            let res = app.get_as(path, &cookies).await;
            for (canary, _, _) in &probes {
                assert!(
                    !res.body.contains(canary.as_str()),
                    "{}: leaked on {path}",
                    case.name
                );
                assert!(
                    res.headers
                        .values()
                        .all(|v| !v.to_str().unwrap_or("").contains(canary.as_str())),
                    "{}: header on {path}",
                    case.name
                );
            }
        }
    }

    // The gift link opens only its own post, for anyone, and not once revoked.
    let gifted = app.get(&format!("/{paid_probe}/?{gift_query}")).await;
    let paid_canary = &probes.iter().find(|p| p.2 == "paid").unwrap().0;
    assert!(
        gifted.body.contains(paid_canary.as_str()),
        "a gift link unlocks its post"
    );
    assert!(
        gifted.header("cache-control").starts_with("private"),
        "an unlocked page is never shared-cached"
    );
    assert!(gifted.body.contains("as a gift"));
    for (canary, slug, _) in probes.iter().filter(|p| p.1 != paid_probe) {
        assert!(
            !app.get(&format!("/{slug}/?{gift_query}"))
                .await
                .body
                .contains(canary.as_str()),
            "a gift opens only its post"
        );
    }
    let forged = gift_query.replace("gift=", "gift=x");
    assert!(
        !app.get(&format!("/{paid_probe}/?{forged}"))
            .await
            .body
            .contains(paid_canary.as_str())
    );
    let gifts = app
        .state
        .store
        .gifts_of(
            &app.state
                .store
                .member_by_email(&domain::Email::parse("giver@example.com").unwrap())
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap();
    app.post_form(
        "/account/gifts/revoke",
        &giver.cookies(),
        &[("csrf", &giver.csrf), ("id", &gifts[0].id)],
    )
    .await;
    assert!(
        !app.get(&format!("/{paid_probe}/?{gift_query}"))
            .await
            .body
            .contains(paid_canary.as_str()),
        "revoked"
    );
}

#[tokio::test]
async fn the_meter_opens_a_few_gated_posts_then_stops() {
    let app = TestApp::demo().await;
    app.state
        .store
        .set_setting("meter_anonymous", "2")
        .await
        .unwrap();
    app.state
        .store
        .set_setting("meter_members", "1")
        .await
        .unwrap();
    let probes = plant(&app).await;
    let page = |i: usize| format!("/{}/", probes[i].1);

    // Anonymous: two reads on a signed cookie, re-reading is free, the third article is cut.
    let mut anon = Browser::default();
    let first = app.get_as(&page(1), &anon.cookies()).await;
    assert!(first.body.contains(probes[1].0.as_str()));
    assert!(
        first.body.contains("1 free article") || first.body.contains("free articles left"),
        "the page says what remains"
    );
    assert!(first.header("cache-control").starts_with("private"));
    anon.absorb(&first);
    assert!(
        app.get_as(&page(2), &anon.cookies())
            .await
            .body
            .contains(probes[2].0.as_str())
    );
    anon.absorb(&app.get_as(&page(2), &anon.cookies()).await);
    let third = app.get_as(&page(0), &anon.cookies()).await;
    assert!(
        !third.body.contains(probes[0].0.as_str()),
        "the meter is used up"
    );
    assert_eq!(third.count(".paywall"), 1);
    assert!(
        app.get_as(&page(1), &anon.cookies())
            .await
            .body
            .contains(probes[1].0.as_str()),
        "counted once per article"
    );
    let forged = format!("mh_meter={}", anon.jar["mh_meter"].replace("m1", "m2"));
    assert!(
        app.get_as(&page(0), &forged)
            .await
            .body
            .contains(probes[0].0.as_str()),
        "a forged cookie starts a fresh window, never more reads"
    );

    // Signed-in free member: one paid read, counted server-side.
    let member = app.signed_in("reader@example.com").await;
    assert!(
        app.get_as(&page(1), &member.cookies())
            .await
            .body
            .contains(probes[1].0.as_str())
    );
    assert!(
        !app.get_as(&page(2), &member.cookies())
            .await
            .body
            .contains(probes[2].0.as_str())
    );
    assert!(
        app.get_as(&page(1), &member.cookies())
            .await
            .body
            .contains(probes[1].0.as_str())
    );
}
