//! Site settings: a small key/value table (title, description, language, …).

use crate::{Store, StoreError, on_pool};
use std::collections::BTreeMap;

impl Store {
    pub async fn settings(&self) -> Result<BTreeMap<String, String>, StoreError> {
        let rows: Vec<(String, String)> = on_pool!(&self.db, read, |p| {
            sqlx::query_as("SELECT key, value FROM settings")
                .fetch_all(p)
                .await?
        });
        Ok(rows.into_iter().collect())
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(p)
            .await?;
        });
        self.clock.tick();
        Ok(())
    }
}
