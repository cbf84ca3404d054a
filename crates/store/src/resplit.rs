//! Re-splitting stored bodies after the "free paragraphs" setting changed: the gated posts to
//! visit, page by page, and a body write that stamps the change clock like any post write (so
//! caches and the search index hear of it) but only when the source is still the one split,
//! so an editor's save in between is never overwritten.

use crate::time::to_micros;
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::Body;

impl Store {
    /// How many posts and pages are not public (the ones a split applies to).
    pub async fn count_gated_posts(&self) -> Result<u64, StoreError> {
        let n: i64 = on_pool!(&self.db, read, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM posts WHERE visibility <> 'public'"
        )
        .fetch_one(p)
        .await?);
        Ok(n.max(0).cast_unsigned())
    }

    /// Ids of non-public posts after `after` (by id), at most `limit`, in id order.
    pub async fn gated_post_ids(&self, after: &str, limit: u32) -> Result<Vec<String>, StoreError> {
        let ids: Vec<String> = on_pool!(&self.db, read, |p| sqlx::query_scalar(
            "SELECT id FROM posts WHERE visibility <> 'public' AND id > $1 ORDER BY id LIMIT $2"
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(p)
        .await?);
        Ok(ids)
    }

    /// Writes `body`'s two parts over post `id`'s, stamped `now` on the change clock, if its
    /// stored Markdown is still `body`'s; false when it is not (or the post is gone).
    pub async fn resplit_post(
        &self,
        id: &str,
        body: &Body,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let stored = body.for_storage();
        let gated = stored.gated;
        let n = on_pool!(&self.db, write, |p| {
            sqlx::query(
            "UPDATE posts SET free_html = $3, free_text = $4, gated_html = $5, gated_text = $6, \
             changed_at = $7 WHERE id = $1 AND markdown = $2"
        )
        .bind(id)
        .bind(stored.markdown)
        .bind(&stored.free.html)
        .bind(&stored.free.text)
        .bind(gated.map(|g| g.html.as_str()))
        .bind(gated.map(|g| g.text.as_str()))
        .bind(to_micros(now))
        .execute(p)
        .await?
        .rows_affected()
        });
        if n > 0 {
            self.clock.tick();
        }
        Ok(n > 0)
    }
}
