//! The whole site on PostgreSQL: the demo installs and its pages render as on SQLite, and
//! out-of-range page numbers are 404s there too.

use crate::helpers::{TestApp, config};
use axum::http::StatusCode;
use masthead::config::{Config, Database};

#[tokio::test]
async fn demo_site_runs_on_postgres() {
    let Some(admin) = store::testing::postgres_admin_url() else {
        return;
    };
    let (store, url) = store::testing::postgres(&admin).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    masthead::demo::install(&store, &config(dir.path()).media_dir())
        .await
        .unwrap();
    store.close().await;
    let secret: Config = {
        // Resolve the URL the way the CLI does, so the Postgres branch of the config is exercised.
        let args = masthead::cli::DbArgs {
            data: Some(dir.path().to_owned()),
            database_url: Some(url),
        };
        Config::resolve(&args.overrides()).unwrap()
    };
    assert!(matches!(secret.database, Database::Postgres(_)));
    let app = TestApp::boot_with(dir, |c| Config {
        database: secret.database.clone(),
        ..c
    })
    .await;
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    let first = home.attrs("main h2 a, main h3 a", "href");
    assert!(!first.is_empty());
    let article = app.get(&first[0]).await;
    assert_eq!(article.status, StatusCode::OK, "{}", first[0]);
    assert_eq!(article.count("h1"), 1);
    assert_eq!(app.get("/tag/opinion/").await.status, StatusCode::OK);
    assert_eq!(app.get("/about/").await.status, StatusCode::OK);
    // Huge page numbers once wrapped to a negative OFFSET, which PostgreSQL refuses (a 500).
    crate::page_numbers::out_of_range_pages_are_not_found(&app).await;
}
