//! Opening and migrating the database: a SQLite file or a PostgreSQL server.

use crate::{Store, StoreError};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite { read: SqlitePool, write: SqlitePool },
    Postgres(PgPool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Db {
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Opens (creating if missing) the SQLite database at `path`, in WAL mode with a busy timeout.
    pub async fn open_sqlite(path: &Path) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let unreachable = |source| StoreError::Unreachable {
            target: path.display().to_string(),
            source,
        };
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(unreachable)?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await
            .map_err(unreachable)?;
        Ok(Store {
            db: Db::Sqlite { read, write },
            clock: crate::clock::ContentClock::new(),
        })
    }

    /// Connects to PostgreSQL at `url` (`postgres://user:pass@host:port/db`).
    pub async fn connect_postgres(url: &str) -> Result<Store, StoreError> {
        let target = redact(url);
        let options = sqlx::postgres::PgConnectOptions::from_str(url).map_err(|source| {
            StoreError::Unreachable {
                target: target.clone(),
                source,
            }
        })?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Unreachable { target, source })?;
        Ok(Store {
            db: Db::Postgres(pool),
            clock: crate::clock::ContentClock::new(),
        })
    }

    /// Applies pending migrations; safe to run on every start.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite { write, .. } => SQLITE_MIGRATIONS.run(write).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Closes every connection, flushing SQLite's WAL.
    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }

    /// The migration versions each backend knows, for the parity test.
    pub fn migration_versions(backend: Backend) -> Vec<i64> {
        let m = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        m.iter().map(|m| m.version).collect()
    }

    /// Tables and columns as `(table, column, lowercased type, not null)`, for the parity test.
    /// SQLite's search machinery has no PostgreSQL counterpart and is left out: virtual tables
    /// (FTS5), their shadow tables and the tables named `fts_…` that serve them.
    pub async fn schema(&self) -> Result<Vec<(String, String, String, bool)>, StoreError> {
        let mut cols: Vec<(String, String, String, bool)> = match &self.db {
            Db::Sqlite { read, .. } => sqlx::query_as(
                "SELECT m.name, p.name, lower(p.type), p.\"notnull\" OR p.pk FROM sqlite_master m \
                 JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
                 AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' \
                 AND substr(m.name, 1, 4) <> 'fts_' \
                 AND m.name NOT IN (SELECT name FROM pragma_table_list \
                 WHERE type IN ('virtual', 'shadow'))",
            )
            .fetch_all(read)
            .await?,
            Db::Postgres(pool) => sqlx::query_as(
                "SELECT table_name::text, column_name::text, lower(data_type::text), is_nullable = 'NO' \
                 FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND table_name NOT LIKE '_sqlx%'",
            )
            .fetch_all(pool)
            .await?,
        };
        cols.sort();
        Ok(cols)
    }
}

/// A database URL without its password, safe to show in errors and logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_credentials() {
        assert_eq!(
            super::redact("postgres://u:secret@localhost/db"),
            "postgres://…@localhost/db"
        );
        assert_eq!(
            super::redact("postgres://localhost/db"),
            "postgres://localhost/db"
        );
    }
}
