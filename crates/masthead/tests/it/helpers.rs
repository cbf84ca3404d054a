//! `TestApp`: the real router on a temp data directory, driven in-process with `oneshot`.
//! `admin` calls the Admin API with a real admin key; `external` starts outside programs;
//! `socket` serves the app on a real socket.

pub mod admin;
pub mod external;
pub mod receiver;
pub mod socket;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use masthead::config::{Config, Database};
use masthead::{AppState, app};
use scraper::{Html, Selector};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tempfile::TempDir;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub _dir: TempDir,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn doc(&self) -> Html {
        Html::parse_document(&self.body)
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Texts of all elements matching `css`, whitespace-collapsed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        let doc = self.doc();
        doc.select(&sel(css))
            .map(|e| {
                e.text()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// Values of attribute `attr` on all elements matching `css`.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.doc()
            .select(&sel(css))
            .filter_map(|e| e.value().attr(attr).map(String::from))
            .collect()
    }

    pub fn count(&self, css: &str) -> usize {
        self.doc().select(&sel(css)).count()
    }
}

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

pub fn config(dir: &Path) -> Config {
    Config {
        data_dir: dir.to_owned(),
        database: Database::Sqlite(dir.join("masthead.db")),
        addr: "127.0.0.1:0".parse().unwrap(),
        public_url: "https://news.example".into(),
        theme_dir: None,
        smtp_url: None,
        mail_from: "noreply@news.example".into(),
        stripe: None,
        past_due_grace_days: 7,
        search_recency_weight: 0.25,
        cache_mb: masthead::config::DEFAULT_CACHE_MB,
        cache_class_ttl_ms: masthead::config::DEFAULT_CACHE_CLASS_TTL_MS,
        webhook_retry_ms: masthead::config::DEFAULT_WEBHOOK_RETRY_MS,
        trusted_proxies: vec![],
        // Webhook tests deliver to receivers on 127.0.0.1.
        webhook_allow_private: true,
        media_max_bytes: masthead::config::DEFAULT_MEDIA_MAX_BYTES,
        media_max_pixels: masthead::config::DEFAULT_MEDIA_MAX_PIXELS,
        worker: true,
        job_lease_ms: masthead::config::DEFAULT_JOB_LEASE_MS,
    }
}

impl TestApp {
    /// A site with no content.
    pub async fn empty() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        TestApp::boot(dir).await
    }

    /// An empty site on a fresh PostgreSQL database, when `MASTHEAD_TEST_POSTGRES` names a
    /// server (skipped otherwise; required when `CI=true`).
    pub async fn empty_on_postgres() -> Option<TestApp> {
        let admin = store::testing::postgres_admin_url()?;
        let (store, url) = store::testing::postgres(&admin).await.unwrap();
        store.close().await;
        let dir = tempfile::tempdir().unwrap();
        let args = masthead::cli::DbArgs {
            data: Some(dir.path().to_owned()),
            database_url: Some(url),
        };
        let database = Config::resolve(&args.overrides()).unwrap().database;
        Some(TestApp::boot_with(dir, |c| Config { database, ..c }).await)
    }

    /// A site holding the demo publication (generated once per test run, then copied).
    pub async fn demo() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(demo_template(), dir.path());
        TestApp::boot(dir).await
    }

    /// The demo publication with an adjusted configuration.
    pub async fn demo_with(adjust: impl FnOnce(Config) -> Config) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(demo_template(), dir.path());
        TestApp::boot_with(dir, adjust).await
    }

    /// The demo publication with site settings stored before it starts, so that no follower
    /// tick clearing the page cache for a settings change can land in the middle of a test.
    pub async fn demo_with_settings(settings: &[(&str, &str)]) -> TestApp {
        TestApp::demo_with_settings_and(settings, |c| c).await
    }

    /// `demo_with_settings` with an adjusted configuration.
    pub async fn demo_with_settings_and(
        settings: &[(&str, &str)],
        adjust: impl FnOnce(Config) -> Config,
    ) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(demo_template(), dir.path());
        let store = masthead::state::open_store(&config(dir.path()))
            .await
            .unwrap();
        for (key, value) in settings {
            store.set_setting(key, value).await.unwrap();
        }
        store.close().await;
        TestApp::boot_with(dir, adjust).await
    }

    pub async fn boot(dir: TempDir) -> TestApp {
        TestApp::boot_with(dir, |c| c).await
    }

    pub async fn boot_with(dir: TempDir, adjust: impl FnOnce(Config) -> Config) -> TestApp {
        let state = masthead::state::build(adjust(config(dir.path())))
            .await
            .expect("app state");
        TestApp {
            router: app(state.clone()),
            state,
            _dir: dir,
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(Method::GET, path, &[]).await
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let (status, headers, bytes) = self.request_bytes(method, path, headers).await;
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A request whose response body is kept as bytes (compressed bodies, binaries).
    pub async fn request_bytes(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut req = Request::builder().method(method).uri(path);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send_bytes(req.body(Body::empty()).unwrap()).await
    }

    /// Sends any request through the router; the response body is kept as bytes.
    pub async fn send_bytes(&self, req: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, headers, bytes.to_vec())
    }

    /// Sends any request through the router.
    pub async fn send(&self, req: Request<Body>) -> TestResponse {
        let (status, headers, bytes) = self.send_bytes(req).await;
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

impl TestApp {
    /// POSTs a form, with the browser's cookies.
    pub async fn post_form(
        &self,
        path: &str,
        cookies: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", cookies)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// GETs a page with the browser's cookies.
    pub async fn get_as(&self, path: &str, cookies: &str) -> TestResponse {
        self.request(Method::GET, path, &[("cookie", cookies)])
            .await
    }

    /// A browser: a CSRF cookie and token from a form page, for posting forms.
    pub async fn browser(&self) -> Browser {
        let page = self.get("/signin/").await;
        let mut b = Browser::default();
        b.absorb(&page);
        b.csrf = page.attrs("input[name=csrf]", "value").remove(0);
        b
    }

    /// Signs `email` in (creating the member) through a real sign-in link; returns the browser.
    pub async fn signed_in(&self, email: &str) -> Browser {
        let parsed = domain::Email::parse(email).unwrap();
        if self
            .state
            .store
            .member_by_email(&parsed)
            .await
            .unwrap()
            .is_none()
        {
            self.state
                .store
                .create_member(
                    &masthead::compose::new_id(),
                    &parsed,
                    "Test Reader",
                    chrono::Utc::now(),
                )
                .await
                .unwrap();
        }
        let link = masthead::ops::signin::sign_in_link(&self.state.ops(), &parsed)
            .await
            .unwrap();
        let mut b = self.browser().await;
        let path = link.split_once("news.example").unwrap().1.to_owned();
        let res = self.get_as(&path, &b.cookies()).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "sign-in link works");
        b.absorb(&res);
        b
    }

    /// Waits until the search index holds every write made so far (the indexer polls in the
    /// background). Panics after 10 s.
    pub async fn search_caught_up(&self) {
        let started = std::time::Instant::now();
        loop {
            let cursor = self.state.search.index().cursor();
            let at = store::FeedPosition {
                changed_at: cursor.changed_at,
                id: cursor.id.clone(),
            };
            let pending = self.state.store.changed_posts(&at, 1).await.unwrap().len()
                + self
                    .state
                    .store
                    .deleted_posts(cursor.deleted_at, 1)
                    .await
                    .unwrap()
                    .len();
            if pending == 0 && self.state.search.is_ready() {
                return;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "the search index did not catch up"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Comps `email` to a tier through the same code as the CLI.
    pub async fn comp(&self, email: &str, tier: &str) {
        let ops = masthead::ops::Ops::detached(&self.state.store, &self.state.config.public_url);
        let email = domain::Email::parse(email).unwrap();
        masthead::ops::members::comp(&ops, &email, tier, None)
            .await
            .unwrap();
    }
}

/// Cookies a browser holds, and its CSRF token.
#[derive(Default, Clone)]
pub struct Browser {
    pub jar: std::collections::BTreeMap<String, String>,
    pub csrf: String,
}

impl Browser {
    /// Takes the `Set-Cookie` headers of a response.
    pub fn absorb(&mut self, res: &TestResponse) {
        for value in res.headers.get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.jar.remove(name);
            } else {
                self.jar.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    pub fn cookies(&self) -> String {
        self.jar
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A data directory with the demo installed, built once per test binary.
fn demo_template() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let target = dir.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async {
                let cfg = config(&target);
                let store = masthead::state::open_store(&cfg).await.unwrap();
                masthead::demo::install(&store, &cfg.media_dir())
                    .await
                    .unwrap();
                // The index and Related Articles, as a server that has run once has them.
                masthead::indexer::reindex(&store, &cfg.search_dir(), &mut |_| {})
                    .await
                    .unwrap();
                store.close().await;
            });
        })
        .join()
        .unwrap();
        dir
    })
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
