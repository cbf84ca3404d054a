//! `TestApp`: the real router on a temp data directory, driven in-process with `oneshot`.

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
    }
}

impl TestApp {
    /// A site with no content.
    pub async fn empty() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        TestApp::boot(dir).await
    }

    /// A site holding the demo publication (generated once per test run, then copied).
    pub async fn demo() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(demo_template(), dir.path());
        TestApp::boot(dir).await
    }

    pub async fn boot(dir: TempDir) -> TestApp {
        TestApp::boot_with(dir, |c| c).await
    }

    pub async fn boot_with(dir: TempDir, adjust: impl FnOnce(Config) -> Config) -> TestApp {
        let state = masthead::serve::state(adjust(config(dir.path())))
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
        let mut req = Request::builder().method(method).uri(path);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self
            .router
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
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
                let store = masthead::serve::open_store(&cfg).await.unwrap();
                masthead::demo::install(&store, &cfg.media_dir())
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
