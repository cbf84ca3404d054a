//! The dashboard's reads: views and visitors per day, top posts by views and by sign-ups, a
//! post's funnel, member counts now and per day, paid starts and ends, and what active
//! subscriptions pay per tier. Periods are whole UTC days, `from` to `to` inclusive.

use super::day_start_micros;
use crate::time::to_micros;
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};

/// The statuses that pay (a trial is paid membership that has not paid yet).
const PAYING: &str = "('active', 'trialing', 'past_due')";

/// One day of the site's traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct DayCounts {
    pub day: i64,
    pub views: i64,
    pub visitors: i64,
}

/// A post and one count over a period.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PostCount {
    pub post_id: String,
    pub title: String,
    pub slug: String,
    pub count: i64,
}

/// Members by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct MemberCounts {
    pub day: i64,
    pub free: i64,
    pub paid: i64,
    pub comped: i64,
}

/// One post's funnel over a period: views → paywall shown → sign-ups → paid conversions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Funnel {
    pub views: i64,
    pub uniques: i64,
    pub paywall_shown: i64,
    pub signups: i64,
    pub conversions: i64,
}

/// Paid subscriptions started and ended in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaidTotals {
    pub started: i64,
    pub ended: i64,
}

/// Active paying subscriptions of one tier.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TierRevenue {
    pub tier: String,
    pub subscriptions: i64,
}

impl Store {
    /// The site's views and unique visitors per day from `from` to `to` (days without any
    /// are absent).
    pub async fn views_by_day(&self, from: i64, to: i64) -> Result<Vec<DayCounts>, StoreError> {
        Ok(on_pool!(&self.db, read, |p| {
            sqlx::query_as(
                "SELECT day, views, visitors FROM site_views_daily \
                 WHERE day >= $1 AND day <= $2 ORDER BY day",
            )
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?
        }))
    }

    /// The `limit` posts with the most views from `from` to `to`.
    pub async fn top_posts_by_views(
        &self,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<PostCount>, StoreError> {
        Ok(on_pool!(&self.db, read, |p| {
            sqlx::query_as(
                "SELECT t.post_id, p.title, p.slug, t.count FROM \
                 (SELECT post_id, CAST(SUM(views) AS BIGINT) AS count FROM post_views_daily \
                  WHERE day >= $1 AND day <= $2 GROUP BY post_id \
                  ORDER BY SUM(views) DESC, post_id LIMIT $3) t \
                 JOIN posts p ON p.id = t.post_id ORDER BY t.count DESC, t.post_id",
            )
            .bind(from)
            .bind(to)
            .bind(limit)
            .fetch_all(p)
            .await?
        }))
    }

    /// The `limit` posts that brought the most sign-ups from `from` to `to`.
    pub async fn top_posts_by_signups(
        &self,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<PostCount>, StoreError> {
        Ok(on_pool!(&self.db, read, |p| {
            sqlx::query_as(
                "SELECT t.post_id, p.title, p.slug, t.count FROM \
                 (SELECT attribution_post_id AS post_id, COUNT(*) AS count FROM members \
                  WHERE attribution_post_id IS NOT NULL AND created_at >= $1 AND created_at < $2 \
                  GROUP BY attribution_post_id ORDER BY COUNT(*) DESC, attribution_post_id \
                  LIMIT $3) t \
                 JOIN posts p ON p.id = t.post_id ORDER BY t.count DESC, t.post_id",
            )
            .bind(day_start_micros(from))
            .bind(day_start_micros(to + 1))
            .bind(limit)
            .fetch_all(p)
            .await?
        }))
    }

    /// Post `post_id`'s funnel from `from` to `to`.
    pub async fn post_funnel(
        &self,
        post_id: &str,
        from: i64,
        to: i64,
    ) -> Result<Funnel, StoreError> {
        let (start, end) = (day_start_micros(from), day_start_micros(to + 1));
        let (views, uniques, paywall_shown, signups, conversions): (i64, i64, i64, i64, i64) = on_pool!(
            &self.db,
            read,
            |p| {
                sqlx::query_as(
                    "SELECT \
                     (SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) FROM post_views_daily WHERE post_id = $1 AND day >= $2 AND day <= $3), \
                     (SELECT CAST(COALESCE(SUM(uniques), 0) AS BIGINT) FROM post_views_daily WHERE post_id = $1 AND day >= $2 AND day <= $3), \
                     (SELECT CAST(COALESCE(SUM(paywall_shown), 0) AS BIGINT) FROM post_views_daily WHERE post_id = $1 AND day >= $2 AND day <= $3), \
                     (SELECT COUNT(*) FROM members WHERE attribution_post_id = $1 AND created_at >= $4 AND created_at < $5), \
                     (SELECT COUNT(DISTINCT member_id) FROM paid_changes WHERE post_id = $1 AND kind = 'started' AND at >= $4 AND at < $5)",
                )
                .bind(post_id)
                .bind(from)
                .bind(to)
                .bind(start)
                .bind(end)
                .fetch_one(p)
                .await?
            }
        );
        Ok(Funnel {
            views,
            uniques,
            paywall_shown,
            signups,
            conversions,
        })
    }

    /// Members by kind as they stand at `now`: paid (a paying or trialing Stripe
    /// subscription), comped (a comp that has not ended), free (everyone else).
    pub async fn member_counts_now(&self, now: DateTime<Utc>) -> Result<MemberCounts, StoreError> {
        let sql = format!(
            "SELECT CAST(0 AS BIGINT) AS day, \
             (SELECT COUNT(*) FROM members) - \
             (SELECT COUNT(*) FROM subscriptions WHERE status IN {PAYING}) - \
             (SELECT COUNT(*) FROM subscriptions WHERE status = 'comped' AND (comped_until IS NULL OR comped_until > $1)) AS free, \
             (SELECT COUNT(*) FROM subscriptions WHERE status IN {PAYING}) AS paid, \
             (SELECT COUNT(*) FROM subscriptions WHERE status = 'comped' AND (comped_until IS NULL OR comped_until > $1)) AS comped"
        );
        Ok(on_pool!(&self.db, read, |p| {
            sqlx::query_as(&sql)
                .bind(to_micros(now))
                .fetch_one(p)
                .await?
        }))
    }

    /// The daily member snapshots from `from` to `to`.
    pub async fn member_counts_by_day(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<MemberCounts>, StoreError> {
        Ok(on_pool!(&self.db, read, |p| {
            sqlx::query_as(
                "SELECT day, free, paid, comped FROM member_counts_daily \
                 WHERE day >= $1 AND day <= $2 ORDER BY day",
            )
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?
        }))
    }

    /// Paid subscriptions started and ended from `from` to `to` (distinct members).
    pub async fn paid_totals(&self, from: i64, to: i64) -> Result<PaidTotals, StoreError> {
        let (started, ended): (i64, i64) = on_pool!(&self.db, read, |p| {
            sqlx::query_as(
                "SELECT \
                 (SELECT COUNT(DISTINCT member_id) FROM paid_changes WHERE kind = 'started' AND at >= $1 AND at < $2), \
                 (SELECT COUNT(DISTINCT member_id) FROM paid_changes WHERE kind = 'ended' AND at >= $1 AND at < $2)",
            )
            .bind(day_start_micros(from))
            .bind(day_start_micros(to + 1))
            .fetch_one(p)
            .await?
        });
        Ok(PaidTotals { started, ended })
    }

    /// Post `post_id`'s title and slug, if it exists.
    pub async fn post_title(&self, post_id: &str) -> Result<Option<(String, String)>, StoreError> {
        Ok(on_pool!(&self.db, read, |p| {
            sqlx::query_as("SELECT title, slug FROM posts WHERE id = $1")
                .bind(post_id)
                .fetch_optional(p)
                .await?
        }))
    }

    /// Paying subscriptions (active or past due; trials pay nothing yet) per tier slug.
    pub async fn paying_by_tier(&self) -> Result<Vec<TierRevenue>, StoreError> {
        Ok(on_pool!(&self.db, read, |p| {
            sqlx::query_as(
                "SELECT tier, COUNT(*) AS subscriptions FROM subscriptions \
                 WHERE status IN ('active', 'past_due') GROUP BY tier ORDER BY tier",
            )
            .fetch_all(p)
            .await?
        }))
    }
}
