//! The Admin API's members as a Ghost integration uses them: browse narrowed by Ghost's NQL
//! `filter` (labels, status) and `search`, with pagination for the filtered total; a filter that
//! does not parse is a 400; labels written with members and through `/labels/`; a CSV upload
//! that imports good rows, reports bad ones and adds nobody twice; and no access without an
//! admin key.

use crate::ghost_admin::{admin_auth, call, error_type};
use crate::ghost_content::content_key;
use crate::helpers::{TestApp, TestResponse};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn parsed(res: &TestResponse) -> Value {
    serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{e}: {}", res.body))
}

async fn get(app: &TestApp, auth: &str, path: &str) -> Value {
    let res = call(app, Method::GET, path, auth, None).await;
    assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.body);
    parsed(&res)
}

/// The emails of a browse answer, and its `meta.pagination.total`.
async fn emails(app: &TestApp, auth: &str, query: &str) -> (BTreeSet<String>, u64) {
    let v = get(app, auth, &format!("members/?limit=100&{query}")).await;
    let emails = v["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap().to_owned())
        .collect();
    (emails, v["meta"]["pagination"]["total"].as_u64().unwrap())
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

async fn add_member(app: &TestApp, auth: &str, member: Value) -> Value {
    let res = call(
        app,
        Method::POST,
        "members/",
        auth,
        Some(json!({ "members": [member] })),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    parsed(&res)["members"][0].clone()
}

fn label_names(member: &Value) -> Vec<String> {
    member["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn filters_and_search_narrow_the_members_list() {
    let app = TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let a = add_member(
        &app,
        &auth,
        json!({ "email": "ada@example.com", "labels": ["Press"] }),
    )
    .await;
    assert_eq!(label_names(&a), ["Press"]);
    let b = json!({ "email": "bo@example.com", "name": "Zebra Reader",
        "labels": [{ "name": "press" }, "VIP"] });
    let b = add_member(&app, &auth, b).await;
    assert_eq!(label_names(&b), ["Press", "VIP"], "names match any case");
    assert_eq!(b["labels"][0]["slug"], "press");
    assert!(b["labels"][0]["created_at"].is_string());
    add_member(
        &app,
        &auth,
        json!({ "email": "cy@example.com",
        "tiers": [{ "slug": "subscriber-plus" }] }),
    )
    .await;
    let (_, everyone) = emails(&app, &auth, "").await;

    let (found, total) = emails(&app, &auth, "filter=label:press").await;
    assert_eq!(
        (found, total),
        (set(&["ada@example.com", "bo@example.com"]), 2)
    );
    let (found, total) = emails(&app, &auth, "filter=label:press+label:vip").await;
    assert_eq!((found, total), (set(&["bo@example.com"]), 1));
    let (found, total) = emails(&app, &auth, "filter=status:comped").await;
    assert!(found.contains("cy@example.com") && !found.contains("ada@example.com"));
    assert!(total < everyone, "status narrows: {total} of {everyone}");
    let (found, _) = emails(&app, &auth, "filter=status:free%2Blabel:press").await;
    assert_eq!(found, set(&["ada@example.com", "bo@example.com"]));
    let (found, total) = emails(&app, &auth, "search=zebra").await;
    assert_eq!((found, total), (set(&["bo@example.com"]), 1));
    let (found, _) = emails(&app, &auth, "search=example.com&filter=label:-press").await;
    assert!(found.contains("cy@example.com") && !found.contains("ada@example.com"));

    // Pagination counts what the filter selects.
    let first = get(&app, &auth, "members/?filter=label:press&limit=1").await;
    let pagination = &first["meta"]["pagination"];
    assert_eq!(
        (pagination["total"].as_u64(), pagination["pages"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(pagination["next"], 2);
    let second = get(&app, &auth, "members/?filter=label:press&limit=1&page=2").await;
    assert_ne!(first["members"][0]["id"], second["members"][0]["id"]);
    assert_eq!(second["meta"]["pagination"]["next"], Value::Null);
}

#[tokio::test]
async fn a_filter_that_does_not_parse_is_a_bad_request() {
    let app = TestApp::demo().await;
    let auth = admin_auth(&app).await;
    for bad in [
        "filter=status:",
        "filter=password_hash:null",
        "filter=created_at:%3E'yesterday'",
        "filter=((((((((((((((((((((((((((((((((((((((((",
        "filter=label:[vip",
    ] {
        let res = call(&app, Method::GET, &format!("members/?{bad}"), &auth, None).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{bad}: {}", res.body);
        assert_eq!(error_type(&res), "BadRequestError");
        assert_eq!(parsed(&res)["errors"][0]["message"], "Error parsing filter");
    }
    let long = "x".repeat(300);
    let res = call(
        &app,
        Method::GET,
        &format!("members/?search={long}"),
        &auth,
        None,
    )
    .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    let res = call(&app, Method::GET, "members/?order=email%20asc", &auth, None).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    let res = call(
        &app,
        Method::GET,
        "members/?order=created_at%20desc",
        &auth,
        None,
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

#[tokio::test]
async fn labels_round_trip_through_labels_and_members() {
    let app = TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let made = call(
        &app,
        Method::POST,
        "labels/",
        &auth,
        Some(json!({ "labels": [{ "name": "Gold Readers" }] })),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let label = parsed(&made)["labels"][0].clone();
    assert_eq!(label["slug"], "gold-readers");
    let id = label["id"].as_str().unwrap().to_owned();
    let again = call(
        &app,
        Method::POST,
        "labels/",
        &auth,
        Some(json!({ "labels": [{ "name": "gold readers" }] })),
    )
    .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
    assert_eq!(error_type(&again), "ValidationError");

    let m = add_member(
        &app,
        &auth,
        json!({ "email": "gold@example.com",
        "labels": [{ "slug": "gold-readers" }, "Brand New"] }),
    )
    .await;
    assert_eq!(label_names(&m), ["Brand New", "Gold Readers"]);
    let member_id = m["id"].as_str().unwrap().to_owned();
    let list = get(&app, &auth, "labels/?include=count.members").await;
    let gold = list["labels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == id.as_str())
        .unwrap()
        .clone();
    assert_eq!(gold["count"]["members"], 1);
    assert!(
        list["labels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["name"] == "Brand New")
    );

    let renamed = call(
        &app,
        Method::PUT,
        &format!("labels/{id}/"),
        &auth,
        Some(json!({ "labels": [{ "name": "Gold Members" }] })),
    )
    .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let renamed = parsed(&renamed)["labels"][0].clone();
    assert_eq!(
        (renamed["name"].as_str(), renamed["slug"].as_str()),
        (Some("Gold Members"), Some("gold-readers"))
    );
    let read = get(&app, &auth, &format!("labels/{id}/")).await;
    assert_eq!(read["labels"][0]["name"], "Gold Members");
    let member = get(&app, &auth, &format!("members/{member_id}/")).await;
    assert_eq!(
        label_names(&member["members"][0]),
        ["Brand New", "Gold Members"]
    );

    // An edit's labels replace the member's; leaving them out keeps them.
    let edit = |labels: Value| json!({ "members": [{ "name": "Goldie", "labels": labels }] });
    let res = call(
        &app,
        Method::PUT,
        &format!("members/{member_id}/"),
        &auth,
        Some(edit(json!(["Gold Members"]))),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(label_names(&parsed(&res)["members"][0]), ["Gold Members"]);
    let res = call(
        &app,
        Method::PUT,
        &format!("members/{member_id}/"),
        &auth,
        Some(json!({ "members": [{ "name": "Goldie B" }] })),
    )
    .await;
    assert_eq!(label_names(&parsed(&res)["members"][0]), ["Gold Members"]);
    let bad = call(
        &app,
        Method::PUT,
        &format!("members/{member_id}/"),
        &auth,
        Some(edit(json!(["  "]))),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let kept = get(&app, &auth, &format!("members/{member_id}/")).await;
    assert_eq!(
        kept["members"][0]["name"], "Goldie B",
        "a refused edit changes nothing"
    );

    let res = call(&app, Method::DELETE, &format!("labels/{id}/"), &auth, None).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.body);
    let res = call(&app, Method::GET, &format!("labels/{id}/"), &auth, None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let member = get(&app, &auth, &format!("members/{member_id}/")).await;
    assert!(label_names(&member["members"][0]).is_empty());
}

const BOUNDARY: &str = "masthead-test-boundary";

/// `POST members/upload/` with the CSV as `membersfile` and each of `labels` as a `labels` field.
async fn upload(app: &TestApp, auth: &str, csv: impl AsRef<[u8]>, labels: &[&str]) -> TestResponse {
    upload_form(app, auth, Some(csv.as_ref()), labels).await
}

async fn upload_form(
    app: &TestApp,
    auth: &str,
    csv: Option<&[u8]>,
    labels: &[&str],
) -> TestResponse {
    let mut body = Vec::new();
    for label in labels {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"labels\"\r\n\r\n{label}\r\n"
            )
            .into_bytes(),
        );
    }
    if let Some(csv) = csv {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"membersfile\"; \
             filename=\"members.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .into_bytes(),
        );
        body.extend_from_slice(csv);
        body.extend_from_slice(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").into_bytes());
    let req = Request::builder()
        .method(Method::POST)
        .uri("/ghost/api/admin/members/upload/")
        .header("authorization", auth)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn upload_imports_good_rows_reports_bad_ones_and_adds_nobody_twice() {
    let app = TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let before = app.state.store.count_members().await.unwrap();
    let csv = "email,name,labels\n\
               first.upload@example.com,First Upload,Early\n\
               second.upload@example.com,Second Upload,\n\
               not-an-address,Broken Row,\n";
    let res = upload(&app, &auth, csv, &["Spring Drive"]).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let meta = parsed(&res)["meta"].clone();
    assert_eq!(meta["stats"]["imported"], 2);
    let invalid = meta["stats"]["invalid"].as_array().unwrap();
    assert_eq!(invalid.len(), 1, "{meta}");
    assert!(
        invalid[0]["error"].as_str().unwrap().contains("row 4"),
        "{meta}"
    );
    let import_label = meta["import_label"]["slug"].as_str().unwrap().to_owned();
    assert!(
        meta["import_label"]["name"]
            .as_str()
            .unwrap()
            .starts_with("Import ")
    );
    assert_eq!(app.state.store.count_members().await.unwrap(), before + 2);

    let (found, _) = emails(&app, &auth, "filter=label:spring-drive").await;
    assert_eq!(
        found,
        set(&["first.upload@example.com", "second.upload@example.com"])
    );
    let (found, _) = emails(&app, &auth, &format!("filter=label:{import_label}")).await;
    assert_eq!(found.len(), 2);
    let (found, _) = emails(&app, &auth, "filter=label:early").await;
    assert_eq!(found, set(&["first.upload@example.com"]));

    let again = upload(&app, &auth, csv, &["Spring Drive"]).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_eq!(
        app.state.store.count_members().await.unwrap(),
        before + 2,
        "no duplicates"
    );
    let (_, total) = emails(&app, &auth, "search=first.upload").await;
    assert_eq!(total, 1);
}

#[tokio::test]
async fn a_file_that_cannot_be_imported_is_refused_whole() {
    let app = TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let before = app.state.store.count_members().await.unwrap();
    let csvs: [&[u8]; 3] = [
        b"name,note\nNo Email,here\n",
        b"",
        b"email,name\nlatin1@example.com,Caf\xe9\n",
    ];
    for csv in csvs {
        let res = upload(&app, &auth, csv, &[]).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{csv:?}: {}",
            res.body
        );
        assert_eq!(error_type(&res), "ValidationError");
    }
    let not_multipart = call(
        &app,
        Method::POST,
        "members/upload/",
        &auth,
        Some(json!({ "members": [] })),
    )
    .await;
    assert_eq!(
        not_multipart.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        not_multipart.body
    );
    let no_file = upload_form(&app, &auth, None, &["Only A Label"]).await;
    assert_eq!(
        no_file.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        no_file.body
    );
    assert_eq!(app.state.store.count_members().await.unwrap(), before);
    assert!(
        app.state
            .store
            .label_by_name("Only A Label")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn content_keys_and_no_key_are_refused() {
    let app = TestApp::demo().await;
    let content = content_key(&app).await;
    let someone = app.state.store.members(1, 0).await.unwrap();
    let id = someone.first().map_or("none", |m| m.id.as_str()).to_owned();
    for auth in [String::new(), format!("Ghost {content}")] {
        for (method, path) in [
            (Method::GET, "members/?filter=status:paid".to_owned()),
            (Method::GET, format!("members/?key={content}")),
            (Method::GET, format!("members/{id}/")),
            (Method::GET, "labels/".to_owned()),
            (Method::POST, "labels/".to_owned()),
        ] {
            let res = call(&app, method.clone(), &path, &auth, None).await;
            assert_eq!(
                res.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path}: {}",
                res.body
            );
            assert_eq!(error_type(&res), "UnauthorizedError");
        }
        let res = upload(&app, &auth, "email\nsneaky@example.com\n", &[]).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
    }
    let email = domain::Email::parse("sneaky@example.com").unwrap();
    assert!(
        app.state
            .store
            .member_by_email(&email)
            .await
            .unwrap()
            .is_none()
    );
}
