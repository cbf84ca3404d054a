//! The newsroom's posts pages through HTTP: writing a draft with the plain form, the list and
//! its filters, two tabs that cannot overwrite each other (the save's conflict page and the
//! autosave's 409), the editor's JSON contract with the rich-text bundle, revisions with diff
//! and restore, previews as each reader with the gated canary only for the entitled, and a
//! contributor who cannot publish.

use crate::helpers::{Browser, TestApp, TestResponse};
use crate::newsroom::{join, open, post, set_up};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;

const CANARY: &str = "NEWSROOMCANARYz81gated";

/// The whole editor form as a browser would send it, with `changes`.
pub fn fields<'a>(page: &'a TestResponse, changes: &[(&'a str, &'a str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let doc = page.doc();
    let inputs = crate::helpers::sel("form.editor input[name], form.editor textarea[name]");
    for el in doc.select(&inputs) {
        let name = el.value().attr("name").unwrap_or_default().to_owned();
        let kind = el.value().attr("type").unwrap_or_default();
        if (kind == "radio" || kind == "checkbox") && el.value().attr("checked").is_none() {
            continue;
        }
        let value = if el.value().name() == "textarea" {
            el.text().collect::<String>()
        } else {
            el.value().attr("value").unwrap_or_default().to_owned()
        };
        out.push((name, value));
    }
    for (name, value) in changes {
        out.retain(|(n, _)| n != name);
        out.push(((*name).to_owned(), (*value).to_owned()));
    }
    out
}

pub async fn submit(
    app: &TestApp,
    b: &mut Browser,
    path: &str,
    form: &[(String, String)],
) -> TestResponse {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.post_form(path, &b.cookies(), &pairs).await;
    b.absorb(&res);
    res
}

/// `POST` with the editor's JSON conventions (CSRF header, `Accept: application/json`).
async fn json_post(
    app: &TestApp,
    b: &Browser,
    path: &str,
    form: &[(String, String)],
    csrf: &str,
) -> (StatusCode, Value) {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form.iter())
        .finish();
    let req = Request::post(path)
        .header("cookie", b.cookies())
        .header("x-csrf-token", csrf)
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let res = app.send(req).await;
    let json = serde_json::from_str(&res.body).unwrap_or(Value::Null);
    (res.status, json)
}

/// Writes a draft through `/admin/posts/new/`; returns its editor path.
pub async fn write(
    app: &TestApp,
    b: &mut Browser,
    title: &str,
    markdown: &str,
    visibility: &str,
) -> String {
    let page = open(app, b, "/admin/posts/new/").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        page.count("form.editor textarea[name=markdown][data-editor]"),
        1
    );
    let form = fields(
        &page,
        &[
            ("title", title),
            ("markdown", markdown),
            ("visibility", visibility),
        ],
    );
    let res = submit(app, b, "/admin/posts/new/", &form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.header("location").split('?').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_draft_is_written_listed_and_protected_from_a_second_tab() {
    let app = TestApp::empty().await;
    let mut owner = set_up(&app).await;
    let path = write(
        &app,
        &mut owner,
        "The Strait at dawn",
        "First line.\n",
        "public",
    )
    .await;
    assert!(
        open(&app, &mut owner, &format!("{path}?saved=1"))
            .await
            .body
            .contains("Saved.")
    );
    let tab_a = open(&app, &mut owner, &path).await;
    let form = tab_a.doc();
    let editor = form
        .select(&crate::helpers::sel("form.editor"))
        .next()
        .unwrap();
    let attr = |name: &str| editor.value().attr(name).unwrap_or_default().to_owned();
    assert_eq!(attr("data-autosave-url"), format!("{path}autosave"));
    assert_eq!(attr("data-presence-url"), format!("{path}presence"));
    assert_eq!(attr("data-copy-url"), format!("{path}copy"));
    assert!(!attr("data-upload-url").is_empty());
    assert_eq!(attr("data-csrf"), owner.csrf);
    let base = tab_a.attrs("input[name=base_revision]", "value").remove(0);
    assert!(!base.is_empty());

    let list = open(&app, &mut owner, "/admin/posts/?status=draft&q=strait").await;
    assert_eq!(list.texts("table.posts tbody th a"), ["The Strait at dawn"]);
    let none = open(&app, &mut owner, "/admin/posts/?status=published").await;
    assert_eq!(none.count("table.posts tbody tr"), 0);

    // Two tabs opened the same revision. Tab B saves first; tab A's save is refused.
    let tab_b = open(&app, &mut owner, &path).await;
    let saved = submit(
        &app,
        &mut owner,
        &path,
        &fields(&tab_b, &[("markdown", "Tab B's line.\n")]),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let refused = submit(
        &app,
        &mut owner,
        &path,
        &fields(&tab_a, &[("markdown", "Tab A's line.\n")]),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("Olga Owner saved a newer version"));
    assert_eq!(
        refused.count("form input[name=markdown]"),
        1,
        "save as a copy keeps my version"
    );
    let stored = open(&app, &mut owner, &path).await;
    assert!(stored.body.contains("Tab B&#x27;s line.") || stored.body.contains("Tab B's line."));

    // The autosave of tab A is refused the same way, as JSON.
    let csrf = owner.csrf.clone();
    let (status, body) = json_post(
        &app,
        &owner,
        &format!("{path}autosave"),
        &fields(&tab_a, &[]),
        &csrf,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"], "conflict");
    assert_eq!(body["by"], "Olga Owner");
    assert!(chrono::DateTime::parse_from_rfc3339(body["at"].as_str().unwrap()).is_ok());
    // From the newest revision it saves, and the next autosave builds on the revision it returned.
    let newest = open(&app, &mut owner, &path).await;
    let (status, body) = json_post(
        &app,
        &owner,
        &format!("{path}autosave"),
        &fields(&newest, &[("dek", "A dek")]),
        &csrf,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let revision = body["revision"].as_str().unwrap().to_owned();
    assert!(chrono::DateTime::parse_from_rfc3339(body["saved_at"].as_str().unwrap()).is_ok());
    let next = fields(
        &newest,
        &[("dek", "A better dek"), ("base_revision", &revision)],
    );
    assert_eq!(
        json_post(&app, &owner, &format!("{path}autosave"), &next, &csrf)
            .await
            .0,
        StatusCode::OK
    );
    // Without the CSRF header nothing is saved.
    let (status, body) = json_post(&app, &owner, &format!("{path}autosave"), &next, "").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("csrf"))
    );

    let (status, body) = json_post(&app, &owner, &format!("{path}presence"), &[], &csrf).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        serde_json::json!({"others": []}),
        "one's own tabs are not others"
    );

    // Revisions: the list, a diff, a restore (a new revision).
    let history = open(&app, &mut owner, &format!("{path}revisions/")).await;
    assert_eq!(history.status, StatusCode::OK);
    // The second autosave folded into the first: one revision for one stretch of typing.
    assert_eq!(history.count("table tbody tr"), 4);
    assert!(history.body.contains("A better dek"));
    let restore = history
        .attrs("button[formaction]", "formaction")
        .pop()
        .unwrap();
    let res = post(&app, &mut owner, &restore, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let restored = open(&app, &mut owner, &path).await;
    assert!(restored.body.contains("First line."));
    let history = open(&app, &mut owner, &format!("{path}revisions/")).await;
    assert_eq!(history.count("table tbody tr"), 5);

    // A slug another post uses is refused with the form shown again, not silently changed.
    let slug = restored.attrs("input[name=slug]", "value").remove(0);
    let page = open(&app, &mut owner, "/admin/posts/new/").await;
    let form = fields(&page, &[("title", "Another"), ("slug", &slug)]);
    let clash = submit(&app, &mut owner, "/admin/posts/new/", &form).await;
    assert_eq!(clash.status, StatusCode::BAD_REQUEST);
    assert!(
        clash.body.contains("already used by another post"),
        "{}",
        clash.body
    );
    assert_eq!(clash.attrs("input[name=title]", "value"), ["Another"]);
}

#[tokio::test]
async fn previews_show_each_reader_exactly_their_part() {
    let app = TestApp::demo().await;
    let mut owner = set_up(&app).await;
    let markdown = format!("Free opening.\n\n<!--members-only-->\n\nGated {CANARY}.\n");
    let path = write(&app, &mut owner, "Paid preview probe", &markdown, "paid").await;
    let preview = open(&app, &mut owner, &format!("{path}preview/?as=free")).await;
    assert_eq!(preview.status, StatusCode::OK);
    let frame = preview.attrs("iframe", "src");
    assert_eq!(frame.len(), 2, "desktop and phone");
    let options = preview.attrs("select[name=as] option", "value");
    assert!(
        options.iter().any(|o| o.starts_with("tier:")),
        "{options:?}"
    );
    for (choice, full) in [
        ("anonymous", false),
        ("free", false),
        ("tier:subscriber-plus", true),
        ("staff", true),
    ] {
        let res = open(
            &app,
            &mut owner,
            &format!("{path}preview/frame?as={choice}"),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{choice}");
        assert_eq!(res.body.contains(CANARY), full, "{choice}");
        assert_eq!(res.count(".paywall"), usize::from(!full), "{choice}");
        assert_eq!(res.header("cache-control"), "private, no-store");
        assert_eq!(res.header("x-robots-tag"), "noindex");
    }
    // The preview frames are the newsroom's: nobody else opens them.
    let stranger = app.get(&format!("{path}preview/frame?as=staff")).await;
    assert_eq!(stranger.status, StatusCode::SEE_OTHER);

    // A share link, for whoever opens it, through the gate as themselves.
    let res = post(&app, &mut owner, &format!("{path}share"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = open(&app, &mut owner, &path).await;
    let share = page
        .attrs("a", "href")
        .into_iter()
        .find(|h| h.starts_with("/p/"))
        .unwrap();
    let anonymous = app.get(&share).await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert!(!anonymous.body.contains(CANARY));
    assert!(anonymous.body.contains("Free opening."));
    let staff = open(&app, &mut owner, &share).await;
    assert!(
        staff.body.contains(CANARY),
        "staff read a share link in full"
    );
    assert_eq!(staff.header("cache-control"), "private, no-store");
}

#[tokio::test]
async fn contributors_cannot_publish_through_the_routes() {
    let app = TestApp::empty().await;
    let mut owner = set_up(&app).await;
    open(&app, &mut owner, "/admin/staff/").await;
    post(
        &app,
        &mut owner,
        "/admin/staff/invite",
        &[("email", "cora@news.example"), ("role", "contributor")],
    )
    .await;
    let mut cora = join(&app, "cora@news.example", "Cora Contributor").await;
    let path = write(&app, &mut cora, "Cora's draft", "Words.\n", "public").await;
    let page = open(&app, &mut cora, &path).await;
    assert_eq!(
        page.count("form[action$='/publish']"),
        0,
        "no publish button"
    );
    assert!(page.body.contains("Your role cannot publish"));
    let res = post(&app, &mut cora, &format!("{path}publish"), &[]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let list = open(&app, &mut cora, "/admin/posts/?status=published").await;
    assert_eq!(list.count("table.posts tbody tr"), 0);
    // The owner publishes it.
    open(&app, &mut owner, &path).await;
    let res = post(&app, &mut owner, &format!("{path}publish"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = open(&app, &mut owner, &path).await;
    let slug = page.attrs("input[name=slug]", "value").remove(0);
    assert_eq!(app.get(&format!("/{slug}/")).await.status, StatusCode::OK);
}
