//! Media in the newsroom through HTTP: the editor bundle's upload endpoint and its JSON
//! contract, the media library pages (search, alt text, replace, delete refused while a post
//! shows the image), the editor's lead-image field (a library choice, a plain file upload
//! without script, alt text required), who may change whose images, and the audit entry each
//! media change leaves.

use crate::helpers::{Browser, TestApp, TestResponse};
use crate::media::jpeg;
use crate::newsroom::{join, open, post, set_up};
use crate::newsroom_posts::{fields, submit, write};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;

const BOUNDARY: &str = "newsroom-media-boundary";

/// A multipart body: text fields, then the file as `file_field` (if any).
fn multipart(text: &[(&str, &str)], file_field: &str, file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in text {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{file_field}\"; \
                 filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn send_multipart(
    app: &TestApp,
    b: &mut Browser,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> TestResponse {
    let mut req = Request::post(path).header("cookie", b.cookies()).header(
        "content-type",
        format!("multipart/form-data; boundary={BOUNDARY}"),
    );
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app.send(req.body(Body::from(body)).unwrap()).await;
    b.absorb(&res);
    res
}

/// The editor bundle's upload: `file`, the CSRF header, JSON wanted.
async fn bundle_upload(
    app: &TestApp,
    b: &mut Browser,
    csrf: &str,
    name: &str,
    bytes: &[u8],
) -> (StatusCode, Value) {
    let body = multipart(&[], "file", Some((name, bytes)));
    let headers = [("x-csrf-token", csrf), ("accept", "application/json")];
    let res = send_multipart(app, b, "/admin/media/upload", &headers, body).await;
    (
        res.status,
        serde_json::from_str(&res.body).unwrap_or(Value::Null),
    )
}

/// Uploads through the library's own form; returns the item's page path.
async fn library_upload(app: &TestApp, b: &mut Browser, name: &str, alt: &str) -> String {
    open(app, b, "/admin/media/").await;
    let csrf = b.csrf.clone();
    let body = multipart(
        &[("csrf", &csrf), ("alt", alt)],
        "file",
        Some((name, &jpeg(400, 300))),
    );
    let res = send_multipart(app, b, "/admin/media/", &[], body).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.header("location").to_owned()
}

/// The public URL an item's page offers to copy.
fn public_url(page: &TestResponse) -> String {
    page.attrs("#m-url", "value").remove(0)
}

async fn invite(app: &TestApp, owner: &mut Browser, email: &str, role: &str) {
    open(app, owner, "/admin/staff/").await;
    post(
        app,
        owner,
        "/admin/staff/invite",
        &[("email", email), ("role", role)],
    )
    .await;
}

#[tokio::test]
async fn the_bundle_upload_answers_its_json_contract() {
    let app = TestApp::empty().await;
    let mut owner = set_up(&app).await;
    let editor = open(&app, &mut owner, "/admin/posts/new/").await;
    assert_eq!(
        editor.attrs("form.editor", "data-upload-url"),
        ["/admin/media/upload"]
    );
    let csrf = editor.attrs("form.editor", "data-csrf").remove(0);

    let (status, json) =
        bundle_upload(&app, &mut owner, &csrf, "harbour.jpg", &jpeg(640, 480)).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    assert_eq!(
        (json["width"].as_u64(), json["height"].as_u64()),
        (Some(640), Some(480))
    );
    let url = json["url"].as_str().unwrap();
    let path = url
        .split_once("/content/")
        .map(|(_, p)| format!("/content/{p}"))
        .unwrap();
    assert_eq!(
        app.get(&path).await.status,
        StatusCode::OK,
        "the URL serves the image"
    );

    let (status, json) =
        bundle_upload(&app, &mut owner, &csrf, "notes.jpg", b"not an image at all").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(json["error"], "unsupported");
    assert!(!json["message"].as_str().unwrap().is_empty(), "{json}");

    let (status, json) = bundle_upload(&app, &mut owner, "", "harbour.jpg", &jpeg(64, 48)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no CSRF header");
    assert_eq!(json["error"], "csrf");

    let mut stranger = Browser::default();
    let (status, json) =
        bundle_upload(&app, &mut stranger, &csrf, "harbour.jpg", &jpeg(64, 48)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no staff session");
    assert_eq!(json["error"], "not_signed_in");
}

#[tokio::test]
async fn uploads_larger_than_the_limit_are_refused_with_the_pipelines_message() {
    let app = TestApp::boot_with(tempfile::tempdir().unwrap(), |mut c| {
        c.media_max_bytes = 20_000;
        c
    })
    .await;
    let mut owner = set_up(&app).await;
    let editor = open(&app, &mut owner, "/admin/posts/new/").await;
    let csrf = editor.attrs("form.editor", "data-csrf").remove(0);
    let big = jpeg(1200, 900);
    let (status, json) = bundle_upload(&app, &mut owner, &csrf, "big.jpg", &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{json}");
    assert_eq!(json["error"], "too_large");
    assert!(
        !json["message"].as_str().unwrap_or_default().is_empty(),
        "{json}"
    );
}

#[tokio::test]
async fn the_library_searches_edits_alt_text_and_refuses_to_delete_what_a_post_shows() {
    let app = TestApp::empty().await;
    let mut owner = set_up(&app).await;
    let harbour = library_upload(&app, &mut owner, "harbour.jpg", "Fishing boats at dawn").await;
    library_upload(&app, &mut owner, "summit.jpg", "A snowy peak").await;

    let all = open(&app, &mut owner, "/admin/media/").await;
    assert_eq!(all.count(".media-card"), 2);
    assert_eq!(all.texts("nav a[aria-current]"), ["Media"]);
    let by_alt = open(&app, &mut owner, "/admin/media/?q=boats").await;
    assert_eq!(by_alt.texts(".media-card .file-name"), ["harbour.jpg"]);
    let by_name = open(&app, &mut owner, "/admin/media/?q=summit").await;
    assert_eq!(by_name.texts(".media-card .file-name"), ["summit.jpg"]);
    assert_eq!(
        open(&app, &mut owner, "/admin/media/?q=nothing")
            .await
            .count(".media-card"),
        0
    );

    open(&app, &mut owner, &harbour).await;
    let res = post(
        &app,
        &mut owner,
        &format!("{harbour}alt"),
        &[("alt", "Red fishing boats at dawn")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = open(&app, &mut owner, &harbour).await;
    assert_eq!(
        page.attrs(".media-item img", "alt"),
        ["Red fishing boats at dawn"]
    );
    let url = public_url(&page);

    // "Use as lead image" starts a post with it; saving without alt text is refused clearly.
    let lead = page
        .attrs("a[href^='/admin/posts/new/?image=']", "href")
        .remove(0);
    let new = open(&app, &mut owner, &lead).await;
    assert_eq!(new.attrs("#e-image", "value"), [url.as_str()]);
    let form = fields(&new, &[("title", "Boats"), ("image_alt", "")]);
    let refused = submit(&app, &mut owner, "/admin/posts/new/", &form).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.texts("[role=alert]")[0].contains("alt text"),
        "{}",
        refused.body
    );
    let form = fields(
        &new,
        &[("title", "Boats in the harbour"), ("image_alt", "Boats")],
    );
    let saved = submit(&app, &mut owner, "/admin/posts/new/", &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let post_path = saved
        .header("location")
        .split('?')
        .next()
        .unwrap()
        .to_owned();

    open(&app, &mut owner, &harbour).await;
    let res = post(&app, &mut owner, &format!("{harbour}delete"), &[]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let message = &res.texts("[role=alert]")[0];
    assert!(
        message.contains("Boats in the harbour"),
        "names the post: {message}"
    );

    let page = open(&app, &mut owner, &post_path).await;
    let form = fields(&page, &[("image_url", ""), ("image_alt", "")]);
    let res = submit(&app, &mut owner, &post_path, &form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    open(&app, &mut owner, &harbour).await;
    let res = post(&app, &mut owner, &format!("{harbour}delete"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        open(&app, &mut owner, "/admin/media/")
            .await
            .count(".media-card"),
        1
    );
    assert_eq!(
        open(&app, &mut owner, &harbour).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn replacing_keeps_the_old_url_working() {
    let app = TestApp::empty().await;
    let mut owner = set_up(&app).await;
    let item = library_upload(&app, &mut owner, "map.jpg", "The route").await;
    let old = public_url(&open(&app, &mut owner, &item).await);
    let old_path = old
        .split_once("/content/")
        .map(|(_, p)| format!("/content/{p}"))
        .unwrap();
    let csrf = owner.csrf.clone();
    let body = multipart(
        &[("csrf", &csrf)],
        "file",
        Some(("map-v2.jpg", &jpeg(500, 250))),
    );
    let res = send_multipart(&app, &mut owner, &format!("{item}replace"), &[], body).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let new_item = res.header("location").split('?').next().unwrap().to_owned();
    let page = open(&app, &mut owner, &new_item).await;
    assert_ne!(public_url(&page), old);
    assert_eq!(
        page.attrs(".media-item img", "alt"),
        ["The route"],
        "alt text carried over"
    );
    assert_eq!(
        app.get(&old_path).await.status,
        StatusCode::OK,
        "the old URL still serves"
    );
    let list = open(&app, &mut owner, "/admin/media/").await;
    assert_eq!(
        list.texts(".media-card .file-name"),
        ["map-v2.jpg"],
        "the library shows the newest"
    );
}

#[tokio::test]
async fn the_editor_form_uploads_a_lead_image_without_script_and_offers_the_library() {
    let app = TestApp::empty().await;
    let mut owner = set_up(&app).await;
    library_upload(&app, &mut owner, "harbour.jpg", "Boats").await;
    let page = open(&app, &mut owner, "/admin/posts/new/").await;
    assert_eq!(
        page.attrs("form.editor", "enctype"),
        ["multipart/form-data"]
    );
    assert_eq!(page.count("input[type=file][name=image_file]"), 1);
    assert_eq!(
        page.count("input[type=radio][name=image_pick]"),
        1,
        "the library's newest"
    );

    let csrf = owner.csrf.clone();
    let body = multipart(
        &[
            ("csrf", &csrf),
            ("title", "Lead by file"),
            ("image_alt", "A lighthouse"),
            ("image_caption", "At night"),
            ("image_credit", "Staff"),
        ],
        "image_file",
        Some(("lighthouse.jpg", &jpeg(800, 600))),
    );
    let res = send_multipart(&app, &mut owner, "/admin/posts/new/", &[], body).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let edit = open(&app, &mut owner, res.header("location")).await;
    let url = edit.attrs("#e-image", "value").remove(0);
    assert!(
        url.contains("/content/images/") && url.contains("lighthouse"),
        "{url}"
    );
    assert_eq!(edit.attrs("#e-credit", "value"), ["Staff"]);

    let csrf = owner.csrf.clone();
    let body = multipart(
        &[("csrf", &csrf), ("title", "Bad lead"), ("image_alt", "x")],
        "image_file",
        Some(("notes.jpg", b"plain text")),
    );
    let res = send_multipart(&app, &mut owner, "/admin/posts/new/", &[], body).await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        res.attrs("#e-title", "value"),
        ["Bad lead"],
        "the form is kept"
    );
    assert_eq!(res.count("[role=alert]"), 1);

    let body = multipart(
        &[("csrf", "wrong"), ("title", "x")],
        "image_file",
        Some(("a.jpg", &jpeg(64, 48))),
    );
    let res = send_multipart(&app, &mut owner, "/admin/posts/new/", &[], body).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(
        open(&app, &mut owner, "/admin/media/")
            .await
            .count(".media-card"),
        2,
        "nothing stored without the token"
    );
}

#[tokio::test]
async fn contributors_upload_and_change_only_their_own_images() {
    let app = TestApp::empty().await;
    let mut owner = set_up(&app).await;
    let owners = library_upload(&app, &mut owner, "owner.jpg", "Owner's").await;
    invite(&app, &mut owner, "cora@news.example", "contributor").await;
    let mut cora = join(&app, "cora@news.example", "Cora Contributor").await;

    let nav = open(&app, &mut cora, "/admin/media/").await;
    assert_eq!(nav.status, StatusCode::OK);
    assert!(nav.texts("nav a").contains(&"Media".to_owned()));
    let draft = write(&app, &mut cora, "Cora's draft", "Words.\n", "public").await;
    let editor = open(&app, &mut cora, &draft).await;
    let csrf = editor.attrs("form.editor", "data-csrf").remove(0);
    let (status, json) = bundle_upload(&app, &mut cora, &csrf, "pasted.png", &jpeg(64, 48)).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");

    let page = open(&app, &mut cora, &owners).await;
    assert_eq!(
        page.count("form[action$='/delete']"),
        0,
        "no delete button on another's image"
    );
    let res = post(
        &app,
        &mut cora,
        &format!("{owners}alt"),
        &[("alt", "Mine now")],
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = post(&app, &mut cora, &format!("{owners}delete"), &[]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    let own = library_upload(&app, &mut cora, "cora.jpg", "").await;
    let res = post(
        &app,
        &mut cora,
        &format!("{own}alt"),
        &[("alt", "Cora's photo")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // Editors and above change anyone's.
    open(&app, &mut owner, &own).await;
    let res = post(&app, &mut owner, &format!("{own}alt"), &[("alt", "Fixed")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

#[tokio::test]
async fn media_actions_are_in_the_audit_log() {
    let app = TestApp::empty().await;
    let mut owner = set_up(&app).await;
    invite(&app, &mut owner, "cora@news.example", "contributor").await;
    let mut cora = join(&app, "cora@news.example", "Cora Contributor").await;
    let item = library_upload(&app, &mut cora, "quay.jpg", "The quay").await;
    let res = post(
        &app,
        &mut cora,
        &format!("{item}alt"),
        &[("alt", "The old quay")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let csrf = cora.csrf.clone();
    let body = multipart(
        &[("csrf", &csrf)],
        "file",
        Some(("quay-2.jpg", &jpeg(320, 240))),
    );
    let res = send_multipart(&app, &mut cora, &format!("{item}replace"), &[], body).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let new_item = res.header("location").split('?').next().unwrap().to_owned();
    // A refused change leaves no entry.
    let other = library_upload(&app, &mut owner, "owner.jpg", "Owner's").await;
    open(&app, &mut cora, &other).await;
    let res = post(&app, &mut cora, &format!("{other}delete"), &[]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    open(&app, &mut owner, &new_item).await;
    let res = post(&app, &mut owner, &format!("{new_item}delete"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    let audit = open(&app, &mut owner, "/admin/audit/").await;
    assert_eq!(audit.status, StatusCode::OK);
    let rows: Vec<(String, String, String)> = audit
        .texts("tbody tr td:nth-child(2)")
        .into_iter()
        .zip(audit.texts("tbody tr td:nth-child(3)"))
        .zip(audit.texts("tbody tr td:nth-child(6)"))
        .map(|((who, what), after)| (who, what, after))
        .filter(|(_, what, _)| what.starts_with("media."))
        .collect();
    let summary: Vec<(&str, &str)> = rows
        .iter()
        .map(|(who, what, _)| (who.as_str(), what.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("Olga Owner", "media.deleted"),
            ("Olga Owner", "media.uploaded"),
            ("Cora Contributor", "media.replaced"),
            ("Cora Contributor", "media.alt_changed"),
            ("Cora Contributor", "media.uploaded"),
        ],
        "newest first"
    );
    assert!(rows[2].2.contains("quay-2.jpg"), "{:?}", rows[2]);
    assert!(rows[3].2.contains("The old quay"), "{:?}", rows[3]);
    assert_eq!(
        open(&app, &mut cora, "/admin/audit/").await.status,
        StatusCode::FORBIDDEN,
        "administrators only"
    );
}
