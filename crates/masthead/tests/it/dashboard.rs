//! The dashboard without a third party (issue 16 §4): the page-view beacon (views, daily
//! uniques, paywall shown; bots ignored; no cookie, not cached; no raw address or user agent
//! stored), attribution from an article to a sign-up and a paid conversion, and the
//! administrators' dashboard pages (`dashboard/numbers.rs`: numbers for a known data set on
//! both backends, charts with tables, permissions).

mod numbers;

use crate::helpers::TestApp;
use crate::helpers::socket::{client_from, serve};
use crate::members::{link_in, newest_mail};
use crate::newsroom::{open, set_up};
use crate::stripe::{WEBHOOK_SECRET, app_with_stripe, deliver, event, subscription};
use axum::http::StatusCode;
use chrono::Utc;
use masthead::http::serve::Timeouts;
use store::day_of;

pub const BROWSER_UA: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 DashboardCanary/7.7";
const BOT_UA: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

/// A demo post of `visibility` with a gated part: its path.
pub async fn gated_article(app: &TestApp, visibility: &str) -> String {
    let posts = app
        .state
        .store
        .list_posts(&store::PostFilter::posts(), 500, 0, Utc::now())
        .await
        .unwrap();
    let post = posts
        .iter()
        .find(|p| p.visibility.kind() == visibility && p.body.has_gated_part())
        .expect("the demo has such a post");
    format!("/{}/", post.slug)
}

/// Writes the views gathered so far (the server does it every second).
pub async fn flush(app: &TestApp) {
    app.state.views.flush(&app.state.store).await.unwrap();
}

/// Everything the SQLite database holds on disk, the write-ahead log included.
fn database_bytes(app: &TestApp) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(app.state.config.data_dir.clone()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("masthead.db") {
            all.extend(std::fs::read(&path).unwrap());
        }
    }
    assert!(!all.is_empty(), "found the database files");
    all
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn the_beacon_counts_views_uniques_and_paywall_but_no_bots_cookies_or_addresses() {
    let app = TestApp::demo().await;
    let path = gated_article(&app, "paid").await;
    let page = app.get(&path).await;
    assert_eq!(page.count(".paywall"), 1);
    assert_eq!(
        page.count("script[src*='views']"),
        1,
        "the layout loads the beacon script"
    );
    let id = page
        .attrs("article[data-post-id]", "data-post-id")
        .remove(0);
    let script = app.get(&page.attrs("script[src*='views']", "src")[0]).await;
    assert!(script.body.contains("navigator.sendBeacon('/api/views'"));

    let addr = serve(&app, Timeouts::default()).await;
    let url = format!("http://{addr}/api/views");
    let send = |ip: &'static str, ua: &'static str, body: String| {
        let url = url.clone();
        async move {
            client_from(ip)
                .post(url)
                .header("user-agent", ua)
                .header("content-type", "text/plain;charset=UTF-8")
                .header("cookie", "mh_session=not-read")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let shown = format!("post={id}&paywall=1");
    for (ip, ua, body) in [
        ("127.0.0.2", BROWSER_UA, shown.clone()),
        ("127.0.0.2", BROWSER_UA, shown.clone()),
        ("127.0.0.3", BROWSER_UA, format!("post={id}")),
        ("127.0.0.3", BOT_UA, shown.clone()),
    ] {
        let res = send(ip, ua, body).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        assert!(
            res.headers().get("set-cookie").is_none(),
            "no cookie is set"
        );
        assert_eq!(res.headers()["cache-control"], "no-store");
        assert!(res.bytes().await.unwrap().is_empty());
    }
    let bad = send("127.0.0.2", BROWSER_UA, "post=not-an-id".into()).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().contains("post=<uuid>"));
    let huge = send("127.0.0.2", BROWSER_UA, "x".repeat(4096)).await;
    assert_eq!(huge.status(), StatusCode::BAD_REQUEST);

    flush(&app).await;
    let today = day_of(Utc::now());
    let f = app
        .state
        .store
        .post_funnel(&id, today, today)
        .await
        .unwrap();
    assert_eq!(
        (f.views, f.uniques, f.paywall_shown),
        (3, 2, 2),
        "three browser views by two visitors, the paywall on two; the bot not counted"
    );
    let bytes = database_bytes(&app);
    for raw in ["127.0.0.2", "127.0.0.3", "DashboardCanary", "Googlebot"] {
        assert!(!holds(&bytes, raw), "the database holds {raw}");
    }
}

#[tokio::test]
async fn a_sign_up_from_an_article_and_its_paid_conversion_count_for_that_article() {
    let app = app_with_stripe("http://127.0.0.1:9").await;
    let path = gated_article(&app, "paid").await;
    let post = app
        .state
        .store
        .post_by_slug(path.trim_matches('/'))
        .await
        .unwrap()
        .unwrap();
    let page = app.get(&path).await;
    let cta = page.attrs(".paywall-actions a", "href").remove(0);
    assert!(cta.contains(&format!("redirect={path}")), "{cta}");

    let mut b = app.browser().await;
    let signup = open(&app, &mut b, &cta).await;
    assert_eq!(
        signup.attrs(
            "form[action='/members/signup'] input[name=redirect]",
            "value"
        ),
        std::slice::from_ref(&path)
    );
    let tier = signup
        .attrs("form[action='/members/signup'] input[name=tier]", "value")
        .remove(0);
    let sent = app
        .post_form(
            "/members/signup",
            &b.cookies(),
            &[
                ("csrf", &b.csrf),
                ("email", "convert@example.com"),
                ("name", "Cora Convert"),
                ("tier", &tier),
                ("redirect", &path),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let link = link_in(&newest_mail(
        &app.state.config.outbox_dir(),
        "convert@example.com",
    ));
    let verified = app.get_as(&link, &b.cookies()).await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER);
    let member = app
        .state
        .store
        .member_by_email(&domain::Email::parse("convert@example.com").unwrap())
        .await
        .unwrap()
        .unwrap();

    let today = day_of(Utc::now());
    let funnel = |app: &TestApp| {
        let (store, id) = (app.state.store.clone(), post.id.clone());
        async move { store.post_funnel(&id, today, today).await.unwrap() }
    };
    assert_eq!(
        (funnel(&app).await.signups, funnel(&app).await.conversions),
        (1, 0)
    );

    let now = Utc::now().timestamp();
    let started = event(
        "evt_c1",
        "customer.subscription.created",
        now - 60,
        subscription(&member.id, "active"),
    );
    assert_eq!(
        deliver(&app, &started, WEBHOOK_SECRET, now).await.0,
        StatusCode::OK
    );
    // Stripe sends events again; a replay is no second conversion.
    assert_eq!(
        deliver(&app, &started, WEBHOOK_SECRET, now).await.0,
        StatusCode::OK
    );
    assert_eq!(funnel(&app).await.conversions, 1);
    let ended = event(
        "evt_c2",
        "customer.subscription.deleted",
        now - 30,
        subscription(&member.id, "canceled"),
    );
    assert_eq!(
        deliver(&app, &ended, WEBHOOK_SECRET, now).await.0,
        StatusCode::OK
    );
    let totals = app.state.store.paid_totals(today, today).await.unwrap();
    assert_eq!((totals.started, totals.ended), (1, 1));

    // The owner sees it: the post leads the sign-ups, and its funnel shows the conversion.
    let mut owner = set_up(&app).await;
    let dash = open(&app, &mut owner, "/admin/dashboard/").await;
    assert_eq!(dash.status, StatusCode::OK);
    let top = dash.texts("table[data-table=top-signups] tbody tr");
    assert_eq!(top.len(), 1, "{top:?}");
    assert!(top[0].contains(&post.title) && top[0].contains('1'));
    assert_eq!(dash.texts("[data-stat=new-paid]"), ["1"]);
    assert_eq!(dash.texts("[data-stat=churned]"), ["1"]);
    let funnel_page = open(
        &app,
        &mut owner,
        &format!("/admin/dashboard/posts/{}/", post.id),
    )
    .await;
    assert_eq!(funnel_page.status, StatusCode::OK);
    let rows = funnel_page.texts("table[data-table=funnel] tbody tr");
    assert!(
        rows[2].starts_with("Sign-ups") && rows[2].contains('1'),
        "{rows:?}"
    );
    assert!(
        rows[3].starts_with("Paid conversions") && rows[3].contains("100.0%"),
        "{rows:?}"
    );
}
