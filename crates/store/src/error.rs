//! The store's error type.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Conflict(String),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("cannot reach the database at {target}: {source}")]
    Unreachable { target: String, source: sqlx::Error },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err
            && db.is_unique_violation()
        {
            return StoreError::Conflict(format!("already exists: {}", db.message()));
        }
        StoreError::Database(err)
    }
}

impl From<domain::InvalidInput> for StoreError {
    fn from(err: domain::InvalidInput) -> Self {
        StoreError::Corrupt(err.0)
    }
}
