//! Posts' newsletter requests (`post_newsletters`): set, read, clear, mark sent, and the
//! requests of live posts not sent yet, which the newsletter sender will work through.

use crate::posts::push_list;
use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::{EmailSegment, NewsletterRequest, Slug};
use sqlx::QueryBuilder;
use std::collections::HashMap;

/// A post's stored request, and whether it has been sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostNewsletter {
    pub post_id: String,
    pub request: NewsletterRequest,
    pub requested_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct Row {
    post_id: String,
    newsletter: String,
    email_segment: String,
    requested_at: i64,
    sent_at: Option<i64>,
}

const COLUMNS: &str = "n.post_id, n.newsletter, n.email_segment, n.requested_at, n.sent_at";

impl TryFrom<Row> for PostNewsletter {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<PostNewsletter, StoreError> {
        let corrupt = |what: &str, e: domain::InvalidInput| {
            StoreError::Corrupt(format!("post_newsletters.{what} of {}: {e}", r.post_id))
        };
        let request = NewsletterRequest {
            newsletter: Slug::parse(&r.newsletter).map_err(|e| corrupt("newsletter", e))?,
            segment: EmailSegment::parse(&r.email_segment)
                .map_err(|e| corrupt("email_segment", e))?,
        };
        Ok(PostNewsletter {
            post_id: r.post_id,
            request,
            requested_at: from_micros(r.requested_at),
            sent_at: r.sent_at.map(from_micros),
        })
    }
}

fn convert(rows: Vec<Row>) -> Result<Vec<PostNewsletter>, StoreError> {
    rows.into_iter().map(PostNewsletter::try_from).collect()
}

impl Store {
    /// Records (or replaces) the request of post `post_id`. A request already sent is left as
    /// it is: returns false then.
    pub async fn set_post_newsletter(
        &self,
        post_id: &str,
        request: &NewsletterRequest,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sql = "INSERT INTO post_newsletters \
             (post_id, newsletter, email_segment, requested_at, sent_at) \
             VALUES ($1, $2, $3, $4, NULL) ON CONFLICT (post_id) DO UPDATE SET \
             newsletter = excluded.newsletter, email_segment = excluded.email_segment, \
             requested_at = excluded.requested_at WHERE post_newsletters.sent_at IS NULL";
        let done = on_pool!(&self.db, write, |p| sqlx::query(sql)
            .bind(post_id)
            .bind(request.newsletter.as_str())
            .bind(request.segment.as_str())
            .bind(to_micros(now))
            .execute(p)
            .await?
            .rows_affected());
        Ok(done > 0)
    }

    /// The request of post `post_id`, sent or not.
    pub async fn post_newsletter(
        &self,
        post_id: &str,
    ) -> Result<Option<PostNewsletter>, StoreError> {
        let mut found = self.post_newsletters(&[post_id.to_owned()]).await?;
        Ok(found.remove(post_id))
    }

    /// The requests of the posts named, by post id (posts without one are absent).
    pub async fn post_newsletters(
        &self,
        post_ids: &[String],
    ) -> Result<HashMap<String, PostNewsletter>, StoreError> {
        if post_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<&str> = post_ids.iter().map(String::as_str).collect();
        let rows: Vec<Row> = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new(format!(
                "SELECT {COLUMNS} FROM post_newsletters n WHERE n.post_id IN "
            ));
            push_list(&mut q, &ids);
            q.build_query_as().fetch_all(p).await?
        });
        Ok(convert(rows)?
            .into_iter()
            .map(|n| (n.post_id.clone(), n))
            .collect())
    }

    /// Drops the request of post `post_id` unless it was sent. Returns whether one was dropped.
    pub async fn clear_post_newsletter(&self, post_id: &str) -> Result<bool, StoreError> {
        let sql = "DELETE FROM post_newsletters WHERE post_id = $1 AND sent_at IS NULL";
        let done = on_pool!(&self.db, write, |p| sqlx::query(sql)
            .bind(post_id)
            .execute(p)
            .await?
            .rows_affected());
        Ok(done > 0)
    }

    /// Records that the request of post `post_id` was sent at `at` (the sender calls this).
    /// Returns false when there was no unsent request.
    pub async fn mark_newsletter_sent(
        &self,
        post_id: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE post_newsletters SET sent_at = $1 WHERE post_id = $2 AND sent_at IS NULL";
        let done = on_pool!(&self.db, write, |p| sqlx::query(sql)
            .bind(to_micros(at))
            .bind(post_id)
            .execute(p)
            .await?
            .rows_affected());
        Ok(done > 0)
    }

    /// Unsent requests of posts that are live at `now` (published, `published_at <= now`),
    /// earliest publication first: what the sender has to send.
    pub async fn unsent_live_newsletters(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<PostNewsletter>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM post_newsletters n JOIN posts p ON p.id = n.post_id \
             WHERE n.sent_at IS NULL AND p.status = 'published' AND p.published_at <= $1 \
             ORDER BY p.published_at, n.post_id LIMIT $2"
        );
        let rows: Vec<Row> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(to_micros(now))
            .bind(i64::from(limit))
            .fetch_all(p)
            .await?);
        convert(rows)
    }
}
