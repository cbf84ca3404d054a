//! Related Articles as the indexer computed them: an ordered list of post ids per post.

use crate::time::to_micros;
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};

impl Store {
    /// The stored related-post ids of `post_id`, best first; `None` if never computed.
    pub async fn related_ids(&self, post_id: &str) -> Result<Option<Vec<String>>, StoreError> {
        let (computed, ids): (Option<i64>, Vec<String>) = on_pool!(&self.db, read, |p| {
            let computed =
                sqlx::query_scalar("SELECT computed_at FROM related_sets WHERE post_id = $1")
                    .bind(post_id)
                    .fetch_optional(p)
                    .await?;
            let ids = sqlx::query_scalar(
                "SELECT related_id FROM related_posts WHERE post_id = $1 ORDER BY position",
            )
            .bind(post_id)
            .fetch_all(p)
            .await?;
            (computed, ids)
        });
        Ok(computed.map(|_| ids))
    }

    /// Replaces the related list of `post_id`. A post deleted meanwhile is skipped silently.
    pub async fn save_related(
        &self,
        post_id: &str,
        ids: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |pool| {
            let mut tx = pool.begin().await?;
            let exists: Option<String> = sqlx::query_scalar("SELECT id FROM posts WHERE id = $1")
                .bind(post_id)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                sqlx::query("DELETE FROM related_posts WHERE post_id = $1")
                    .bind(post_id)
                    .execute(&mut *tx)
                    .await?;
                for (position, id) in (0_i64..).zip(ids) {
                    sqlx::query(
                        "INSERT INTO related_posts (post_id, position, related_id) VALUES ($1, $2, $3)",
                    )
                    .bind(post_id)
                    .bind(position)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query(
                    "INSERT INTO related_sets (post_id, computed_at) VALUES ($1, $2) \
                     ON CONFLICT (post_id) DO UPDATE SET computed_at = excluded.computed_at",
                )
                .bind(post_id)
                .bind(to_micros(now))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Posts whose related list includes `related_id` (to redo when it changes or goes).
    pub async fn posts_listing_related(&self, related_id: &str) -> Result<Vec<String>, StoreError> {
        Ok(on_pool!(&self.db, read, |p| sqlx::query_scalar(
            "SELECT DISTINCT post_id FROM related_posts WHERE related_id = $1"
        )
        .bind(related_id)
        .fetch_all(p)
        .await?))
    }
}
