//! A post scheduled through the newsroom survives a restart: the owner sets the site up and
//! schedules a post over HTTP on a real `masthead demo` process, the process is killed and
//! started again on the same data directory, and the post goes live at its time with one
//! `post.published` webhook.

use crate::helpers::admin::{Admin, token};
use crate::helpers::external::{free_port, server_log, start_demo_with};
use crate::helpers::receiver::{Receiver, SECRET};
use chrono::{SubsecRound, Utc};
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Seconds between scheduling and the post's time: long enough to kill the server first.
const AHEAD: i64 = 6;

/// A browser over HTTP (staff or reader): its cookies and the CSRF token of the last form it read.
struct WebBrowser {
    base: String,
    http: reqwest::Client,
    cookies: BTreeMap<String, String>,
    csrf: String,
}

impl WebBrowser {
    fn new(base: &str) -> WebBrowser {
        let http = reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .unwrap();
        WebBrowser {
            base: base.into(),
            http,
            cookies: BTreeMap::new(),
            csrf: String::new(),
        }
    }

    fn keep(&mut self, res: &reqwest::Response) {
        for value in res.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.insert(name.into(), value.into());
        }
    }

    fn cookie_header(&self) -> String {
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.join("; ")
    }

    /// GETs `path`, keeping its cookies and the page's CSRF token; returns status and body.
    async fn get(&mut self, path: &str) -> (StatusCode, String) {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.keep(&res);
        let status = res.status();
        let body = res.text().await.unwrap();
        if let Some(at) = body.find(r#"name="csrf" value=""#) {
            let rest = &body[at + r#"name="csrf" value=""#.len()..];
            rest[..rest.find('"').unwrap()].clone_into(&mut self.csrf);
        }
        (status, body)
    }

    /// POSTs a form (with the CSRF token) to `path`; returns status and `Location`.
    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
        let mut form = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .form(&form)
            .send()
            .await
            .unwrap();
        self.keep(&res);
        let location = res
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (res.status(), location)
    }
}

/// An Admin API key made through the CLI on `data` (the server may be running).
fn admin_key(data: &Path) -> Admin {
    let out = Command::new(env!("CARGO_BIN_EXE_masthead"))
        .args(["key", "create", "--admin", "restart", "--data"])
        .arg(data)
        .env_remove("MASTHEAD_DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let (id, secret) = printed.trim().split_once(':').unwrap();
    Admin {
        id: id.into(),
        secret: hex::decode(secret).unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_post_survives_a_restart_and_goes_live_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    let (first_log, second_log) = (dir.path().join("first.log"), dir.path().join("second.log"));
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let allow = [("MASTHEAD_WEBHOOK_ALLOW_PRIVATE", "true")];
    let server = start_demo_with(&data, &first_log, port, &allow);

    // A webhook for `post.published`, registered through the Admin API.
    let mut hooks = Receiver::start(&[]).await;
    let admin = admin_key(&data);
    let auth = format!("Ghost {}", token(&admin, "/admin/", 300, &admin.secret));
    let hook = json!({ "webhooks": [{ "event": "post.published", "target_url": hooks.url, "secret": SECRET }] });
    let res = reqwest::Client::new()
        .post(format!("{base}/ghost/api/admin/webhooks/"))
        .header("authorization", auth)
        .json(&hook)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);

    // The owner sets the site up, writes a post and schedules it.
    let mut owner = WebBrowser::new(&base);
    owner.get("/admin/").await;
    let setup = [
        ("site_title", "The Review"),
        ("name", "Olga Owner"),
        ("email", "olga@news.example"),
        ("password", "correct horse battery staple"),
    ];
    assert_eq!(
        owner.post("/admin/setup", &setup).await.0,
        StatusCode::SEE_OTHER
    );
    owner.get("/admin/posts/new/").await;
    let post = [
        ("title", "The night ferry keeps its timetable"),
        ("slug", "night-ferry"),
        (
            "markdown",
            "The ferry leaves at midnight, whatever happens to the server.",
        ),
        ("visibility", "public"),
    ];
    let (status, location) = owner.post("/admin/posts/new/", &post).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the draft is created");
    let edit = location.trim_end_matches("?saved=1").to_owned();
    owner.get(&edit).await;
    // Whole seconds, as the form's field holds them.
    let at = (Utc::now() + chrono::Duration::seconds(AHEAD)).trunc_subsecs(0);
    let when = at.format("%Y-%m-%dT%H:%M:%S").to_string();
    let (status, _) = owner
        .post(&format!("{edit}schedule"), &[("at", &when)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the post is scheduled");
    // A reader (staff see unpublished posts on the site).
    let mut reader = WebBrowser::new(&base);
    let (status, _) = reader.get("/night-ferry/").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not live before its time");

    // Stop the server before the post's time, and start it again.
    drop(server);
    let server = start_demo_with(&data, &second_log, port, &allow);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = reader.get("/night-ferry/").await;
        if status == StatusCode::OK {
            assert!(body.contains("whatever happens to the server"));
            assert!(Utc::now() >= at, "live only from its time");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the scheduled post did not go live within 30 s of the restart ({status}):\n{}",
            server_log(&second_log)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let got = hooks.next(30).await;
    assert_eq!(got.event(), "post.published");
    assert!(got.body.contains("night-ferry"), "{}", got.body);
    hooks.quiet(1500).await;
    drop(server);
}
