//! The dashboard's top posts as last counted (`top_posts`): saving a count and reading it back
//! with the posts' current titles. Counting itself is `top_posts_by_views` and
//! `top_posts_by_signups` in `dashboard.rs`.

use super::PostCount;
use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};

/// Which top list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopList {
    Views,
    Signups,
}

impl TopList {
    fn key(self) -> &'static str {
        match self {
            TopList::Views => "views",
            TopList::Signups => "signups",
        }
    }
}

/// A top list as counted: for the period of `days` days ending on day `to_day`, at `counted_at`,
/// which took `cost_ms`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedTop {
    pub to_day: i64,
    pub counted_at: DateTime<Utc>,
    pub cost_ms: i64,
    /// Best first; posts deleted since the count are left out.
    pub posts: Vec<PostCount>,
}

impl Store {
    /// Keeps `count` as the top `list` of the `days`-day period it names.
    pub async fn save_top_posts(
        &self,
        list: TopList,
        days: i64,
        count: &CountedTop,
    ) -> Result<(), StoreError> {
        let posts = &count.posts;
        let json: Vec<(&str, i64)> = posts
            .iter()
            .map(|p| (p.post_id.as_str(), p.count))
            .collect();
        let json = serde_json::to_string(&json).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO top_posts (list, days, to_day, counted_at, cost_ms, posts) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (list, days) DO UPDATE SET to_day = excluded.to_day, \
                 counted_at = excluded.counted_at, cost_ms = excluded.cost_ms, \
                 posts = excluded.posts",
            )
            .bind(list.key())
            .bind(days)
            .bind(count.to_day)
            .bind(to_micros(count.counted_at))
            .bind(count.cost_ms)
            .bind(&json)
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// The top `list` of the `days`-day period as last saved, if ever.
    pub async fn counted_top_posts(
        &self,
        list: TopList,
        days: i64,
    ) -> Result<Option<CountedTop>, StoreError> {
        let row: Option<(i64, i64, i64, String)> = on_pool!(&self.db, read, |p| {
            sqlx::query_as(
                "SELECT to_day, counted_at, cost_ms, posts FROM top_posts \
                 WHERE list = $1 AND days = $2",
            )
            .bind(list.key())
            .bind(days)
            .fetch_optional(p)
            .await?
        });
        let Some((to_day, counted_at, cost_ms, json)) = row else {
            return Ok(None);
        };
        // A row this code did not write reads as never counted, so the caller counts again.
        let Ok(counts) = serde_json::from_str::<Vec<(String, i64)>>(&json) else {
            tracing::warn!(days, "unreadable saved top posts; counting again");
            return Ok(None);
        };
        let mut posts = Vec::with_capacity(counts.len());
        for (post_id, count) in counts {
            if let Some((title, slug)) = self.post_title(&post_id).await? {
                posts.push(PostCount {
                    post_id,
                    title,
                    slug,
                    count,
                });
            }
        }
        Ok(Some(CountedTop {
            to_day,
            counted_at: from_micros(counted_at),
            cost_ms,
            posts,
        }))
    }
}
