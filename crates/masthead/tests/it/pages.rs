//! The public pages of the demo publication, checked by parsing their HTML as a reader's
//! browser would.

use crate::helpers::{TestApp, TestResponse, sel};
use axum::http::StatusCode;

/// The newest public article listed in the home page's Latest Stories.
async fn an_article(app: &TestApp) -> String {
    for href in app.get("/").await.attrs(".latest a[href]", "href") {
        if app.get(&href).await.count(".paywall") == 0 {
            return href;
        }
    }
    panic!("no public article among the latest stories")
}

/// A paid post of the demo, found through the access badge on listings.
async fn a_gated_article(app: &TestApp, visibility: &str) -> String {
    let store = &app.state.store;
    let page = store
        .list_posts(&store::PostFilter::posts(), 500, 0, chrono::Utc::now())
        .await
        .unwrap();
    let post = page
        .iter()
        .find(|p| p.visibility.kind() == visibility && p.body.has_gated_part())
        .expect("demo has such a post");
    format!("/{}/", post.slug)
}

fn first_focusable_is_skip_link(res: &TestResponse) {
    let doc = res.doc();
    let first = doc
        .select(&sel(
            "body a[href], body button, body input, body summary, body select, body textarea",
        ))
        .next()
        .unwrap();
    assert_eq!(first.value().attr("class"), Some("skip-link"));
    assert_eq!(first.value().attr("href"), Some("#main"));
    assert_eq!(res.count("main#main"), 1);
}

#[tokio::test]
async fn home_has_lead_latest_sections_and_pagination() {
    let app = TestApp::demo().await;
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.header("content-type").starts_with("text/html"));
    first_focusable_is_skip_link(&home);
    assert_eq!(home.texts("title")[0], "The Meridian Review");

    // Lead story: kicker, headline, dek, image with dimensions, opening text and the expander.
    assert_eq!(home.count(".lead"), 1);
    assert!(!home.texts(".lead .kicker")[0].is_empty());
    assert!(!home.texts(".lead h2")[0].is_empty());
    assert!(!home.texts(".lead .dek")[0].is_empty());
    let img = home
        .doc()
        .select(&sel(".lead img"))
        .next()
        .map(|i| i.value().clone())
        .expect("lead image");
    assert!(
        img.attr("width").is_some() && img.attr("height").is_some() && img.attr("alt").is_some()
    );
    assert_eq!(img.attr("fetchpriority"), Some("high"));
    assert!(home.count(".lead .lead-text p") >= 1);
    let summary = home.texts(".lead details summary");
    assert!(
        summary[0].contains("Keep reading") && summary[0].contains("Show less"),
        "{summary:?}"
    );

    // Latest Stories: kicker, headline and time per item.
    let latest = home.texts(".latest li");
    assert!(latest.len() >= 10, "{} latest stories", latest.len());
    assert_eq!(home.count(".latest li time[datetime]"), latest.len());

    // One band per section, in the navigation's order.
    let bands = home.texts(".band h2");
    assert_eq!(bands, ["Expert Interviews", "Opinion", "Deep Dive", "News"]);
    for band in ["expert-interviews", "opinion", "deep-dive", "news"] {
        assert!(home.count(&format!(".band a[href='/tag/{band}/']")) >= 1);
    }
    assert!(home.count(".band article") >= 12);

    // Pagination, header and footer.
    assert_eq!(
        home.attrs("nav[aria-label=Pagination] a[rel=next]", "href"),
        ["/page/2/"]
    );
    assert!(home.count("form[role=search][action='/search/'] input[name=q][type=search]") >= 1);
    let input_id = home
        .attrs("form[role=search] input[name=q]", "id")
        .remove(0);
    assert_eq!(
        home.count(&format!("label[for='{input_id}']")),
        1,
        "search input is labelled"
    );
    assert!(
        home.count("form[role=search] button[type=reset]") >= 1,
        "clear button"
    );
    assert!(
        home.count("header a[href='/signin/']") >= 1
            && home.count("header a[href='/signup/']") >= 1
    );
    assert!(home.count("nav[aria-label='Main sections'] a[href='/tag/deep-dive/']") == 1);
    assert!(
        home.count("footer a[href='/rss/']") == 1 && home.count("footer a[href='/about/']") == 1
    );
    assert!(home.count("link[rel=alternate][type='application/rss+xml']") == 1);

    let page2 = app.get("/page/2/").await;
    assert_eq!(page2.status, StatusCode::OK);
    assert_eq!(
        page2.attrs("nav[aria-label=Pagination] a[rel=prev]", "href"),
        ["/"]
    );
    assert!(page2.count("main article") >= 10);
    let first_on_2 = page2.attrs("main article h3 a", "href").remove(0);
    assert!(
        !home.attrs(".latest a", "href").contains(&first_on_2),
        "page 2 continues the list"
    );
}

#[tokio::test]
async fn article_shows_the_anatomy_of_a_story() {
    let app = TestApp::demo().await;
    let path = an_article(&app).await;
    let res = app.get(&path).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.headers.get("set-cookie").is_none(),
        "public pages set no cookies"
    );
    first_focusable_is_skip_link(&res);
    assert_eq!(res.count("h1"), 1);
    let title = res.texts("h1").remove(0);
    assert!(res.texts("title")[0].starts_with(&title));

    let kicker = res.attrs("article .kicker", "href").remove(0);
    assert!(kicker.starts_with("/tag/"), "kicker links to its section");
    assert!(!res.texts("article .dek")[0].is_empty());
    let authors = res.attrs("article a[rel=author]", "href");
    assert!(!authors.is_empty() && authors.iter().all(|a| a.starts_with("/author/")));
    assert!(
        !res.texts(".byline-credentials")[0].is_empty(),
        "credentials line"
    );
    assert!(res.count("article time[datetime]") >= 1);

    let fig = res
        .doc()
        .select(&sel("article figure img"))
        .next()
        .map(|i| i.value().clone())
        .expect("lead figure");
    assert!(fig.attr("width").is_some() && fig.attr("height").is_some());
    let caption = res.texts("figure figcaption .caption");
    let credit = res.texts("figure figcaption .credit");
    assert!(!caption[0].is_empty() && !credit[0].is_empty() && caption[0] != credit[0]);

    assert!(res.count(".post-content p") >= 2, "body paragraphs");
    assert!(res.count(".post-content h2[id]") >= 1, "subheads carry ids");
    assert!(
        res.attrs("a[rel=tag]", "href")
            .iter()
            .all(|h| h.starts_with("/tag/"))
    );

    let related = res.attrs(".related article h3 a, .related article h2 a", "href");
    assert_eq!(related.len(), 4, "{related:?}");
    assert!(
        !related.contains(&path),
        "a post is never related to itself"
    );
    let mut unique = related.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4);
    assert_eq!(
        res.texts(".related .related-more a").len(),
        4,
        "a More link per item"
    );
    assert!(res.texts(".related .kicker").len() >= 3);
}

#[tokio::test]
async fn gated_posts_preview_with_a_named_tier() {
    let app = TestApp::demo().await;
    let paid = app.get(&a_gated_article(&app, "paid").await).await;
    assert_eq!(paid.status, StatusCode::OK);
    assert_eq!(paid.count(".paywall"), 1);
    assert!(paid.body.contains("Keep reading with Subscriber+"));
    assert!(paid.count(".paywall a[href='/signin/']") == 1);
    assert!(paid.count(".post-content.is-cut") == 1);
    assert!(paid.header("cache-control").contains("public"));

    let members = app.get(&a_gated_article(&app, "members").await).await;
    assert!(members.texts(".paywall")[0].contains("members"));

    let public = app.get("/about/").await;
    assert_eq!(public.count(".paywall"), 0);
    let free_story = app
        .state
        .store
        .list_posts(&store::PostFilter::posts(), 100, 0, chrono::Utc::now())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.visibility.is_public())
        .unwrap();
    let free = app.get(&format!("/{}/", free_story.slug)).await;
    assert_eq!(free.count(".paywall"), 0);
    assert_eq!(free.count(".post-content.is-cut"), 0);
}

#[tokio::test]
async fn tag_author_and_static_pages() {
    let app = TestApp::demo().await;
    let tag = app.get("/tag/deep-dive/").await;
    assert_eq!(tag.status, StatusCode::OK);
    assert_eq!(tag.texts("h1"), ["Deep Dive"]);
    assert!(tag.count("main article") >= 3);
    assert!(tag.count("main article img[loading=lazy][width][height]") >= 1);

    let author_path = tag.attrs("main article .byline a", "href").remove(0);
    let author = app.get(&author_path).await;
    assert_eq!(author.status, StatusCode::OK);
    assert_eq!(author.count("h1"), 1);
    let header = author.texts("main header").join(" ");
    assert!(
        header.len() > 80,
        "author bio and credentials shown: {header}"
    );
    assert!(author.count("main article") >= 1);

    let about = app.get("/about/").await;
    assert_eq!(about.status, StatusCode::OK);
    assert_eq!(about.texts("h1"), ["About"]);
    assert!(about.count(".related") == 0 && about.count(".paywall") == 0);
    assert_eq!(app.get("/contact/").await.status, StatusCode::OK);

    let topic = app.get("/tag/china/").await;
    assert_eq!(topic.status, StatusCode::OK);
    if topic.count("nav[aria-label=Pagination] a[rel=next]") > 0 {
        let next = app.get("/tag/china/page/2/").await;
        assert_eq!(next.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn search_and_not_found_pages() {
    let app = TestApp::demo().await;
    let title = app.get(&an_article(&app).await).await.texts("h1").remove(0);
    let word = title
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_owned();
    let res = app.get(&format!("/search/?q={word}")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.body
            .contains(r#"<meta name="robots" content="noindex">"#)
    );
    assert!(
        res.attrs("main form[role=search] input[name=q]", "value")
            .contains(&word),
        "query kept in the box"
    );
    assert!(
        res.texts("main article h2 a, main article h3 a")
            .iter()
            .any(|t| t == &title),
        "finds {title:?}"
    );
    let none = app.get("/search/?q=zzzqqqxxx").await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.count("main article"), 0);
    let hostile = app
        .get("/search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await;
    assert!(!hostile.body.contains("<script>alert(1)"));

    let nf = app.get("/definitely-not-here/").await;
    assert_eq!(nf.status, StatusCode::NOT_FOUND);
    assert_eq!(nf.count("h1"), 1);
    assert!(nf.count("main form[role=search]") == 1);
    assert!(
        nf.count("main article, main li a") >= 3,
        "latest stories on the 404 page"
    );
}

#[tokio::test]
async fn an_empty_site_still_renders() {
    let app = TestApp::empty().await;
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(home.count("h1"), 1);
    assert_eq!(app.get("/no-post/").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn gated_posts_carry_paywalled_content_markup() {
    let app = TestApp::demo().await;
    let paid = app.get(&a_gated_article(&app, "paid").await).await;
    let ld: Vec<serde_json::Value> = paid
        .doc()
        .select(&sel("script[type='application/ld+json']"))
        .map(|s| serde_json::from_str(&s.inner_html()).expect("valid JSON-LD"))
        .collect();
    let articles: Vec<&serde_json::Value> =
        ld.iter().filter(|d| d["@type"] == "NewsArticle").collect();
    assert_eq!(articles.len(), 1);
    let data = articles[0];
    assert_eq!(data["isAccessibleForFree"], false);
    assert_eq!(data["hasPart"]["@type"], "WebPageElement");
    assert_eq!(data["hasPart"]["isAccessibleForFree"], false);
    assert_eq!(data["hasPart"]["cssSelector"], ".gated");
    let public = app.get("/about/").await;
    let ld = public
        .doc()
        .select(&sel("script[type='application/ld+json']"))
        .next()
        .map(|s| s.inner_html())
        .unwrap();
    let data: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert_eq!(data["isAccessibleForFree"], true);
    assert!(data.get("hasPart").is_none());
}

#[tokio::test]
async fn a_gated_post_without_a_marker_keeps_its_first_two_paragraphs_free() {
    use masthead::compose::{Composer, Draft, save};
    let app = TestApp::demo().await;
    let mut d = Draft::new(
        domain::PostKind::Post,
        "No marker here",
        "First free.\n\nSecond free.\n\nThird gated.\n\nFourth gated.\n",
    );
    d.visibility = domain::Visibility::Paid;
    let post = Composer::new(&app.state.store)
        .compose(d, chrono::Utc::now())
        .await
        .unwrap();
    save(&app.state.store, &[post]).await.unwrap();
    let page = app.get("/no-marker-here/").await;
    assert!(page.body.contains("Second free.") && !page.body.contains("Third gated."));
    assert_eq!(page.count(".paywall"), 1);
}

#[tokio::test]
async fn signed_in_members_see_their_account_and_private_pages() {
    let app = TestApp::demo().await;
    let b = app.signed_in("subscriber@example.com").await;
    let home = app.get_as("/", &b.cookies()).await;
    assert!(home.header("cache-control").starts_with("private"));
    assert!(home.count("header a[href='/account/']") >= 1);
    assert_eq!(home.count("header a[href='/signin/']"), 0);
    let paid = app
        .get_as(&a_gated_article(&app, "paid").await, &b.cookies())
        .await;
    assert_eq!(paid.count(".gated"), 1);
    assert_eq!(paid.count(".paywall"), 0);
    assert!(
        paid.count("form[action='/members/gift']") == 1,
        "paid members can gift the article"
    );
    let missing = app.get_as("/no-such-story/", &b.cookies()).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.count("header a[href='/account/']") >= 1,
        "the 404 page knows the member"
    );
    assert!(missing.header("cache-control").starts_with("private"));
    let anon = app.get("/").await;
    assert!(anon.header("cache-control").starts_with("public"));
}
