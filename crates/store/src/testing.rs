//! Throwaway databases for tests: a temp SQLite file always, a fresh PostgreSQL database when
//! `MASTHEAD_TEST_POSTGRES` names a server (CI sets it; locally the tests say they skipped it).

use crate::{Store, StoreError};
use std::path::Path;

/// The admin URL of the test PostgreSQL server, if one is configured.
///
/// # Panics
/// Under `CI=true` when no server is configured: there a missing server is a failure, not a
/// skip.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("MASTHEAD_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("MASTHEAD_TEST_POSTGRES is not set but CI=true: PostgreSQL tests must run in CI")
        }
        _ => {
            eprintln!(
                "skipped: PostgreSQL not available (set MASTHEAD_TEST_POSTGRES=postgres://…/postgres)"
            );
            None
        }
    }
}

/// A migrated SQLite store in `dir`.
pub async fn sqlite(dir: &Path) -> Result<Store, StoreError> {
    let store = Store::open_sqlite(&dir.join("masthead.db")).await?;
    store.migrate().await?;
    Ok(store)
}

/// A migrated store on a brand-new PostgreSQL database, and the database's URL.
pub async fn postgres(admin_url: &str) -> Result<(Store, String), StoreError> {
    let name = format!("masthead_test_{}", uuid::Uuid::now_v7().simple());
    let admin = Store::connect_postgres(admin_url).await?;
    if let crate::Db::Postgres(pool) = &admin.db {
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(pool)
            .await?;
    }
    admin.close().await;
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => format!("{admin_url}/{name}"),
    };
    let store = Store::connect_postgres(&url).await?;
    store.migrate().await?;
    Ok((store, url))
}
