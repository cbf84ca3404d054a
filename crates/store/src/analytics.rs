//! The dashboard's own analytics: page views aggregated per post per UTC day, the day's salt
//! and visitor hashes (never a raw address or user agent), members' attribution to the post
//! they signed up from, paid starts and ends, and daily member counts. Days are whole days
//! since 1970-01-01 UTC, computed by the caller (`day_of`).
//!
//! The read side (the dashboard's queries) is in `analytics/dashboard.rs`; the top posts as
//! last counted in `analytics/top_posts.rs`.

mod dashboard;
mod top_posts;

pub use dashboard::{DayCounts, Funnel, MemberCounts, PaidTotals, PostCount, TierRevenue};
pub use top_posts::{CountedTop, TopList};

use crate::time::to_micros;
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// Microseconds in a day.
const DAY_MICROS: i64 = 86_400_000_000;

/// Visitor rows per `INSERT` (three bound values each, far under both databases' limits).
const CHUNK: usize = 500;

/// The UTC day `t` falls on, as days since 1970-01-01.
pub fn day_of(t: DateTime<Utc>) -> i64 {
    to_micros(t).div_euclid(DAY_MICROS)
}

/// The first microsecond of `day`.
pub fn day_start_micros(day: i64) -> i64 {
    day.saturating_mul(DAY_MICROS)
}

/// One post's counts in a batch of beacons.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ViewTally {
    pub views: i64,
    pub paywall_shown: i64,
}

/// Beacons gathered in memory since the last flush: counts per (day, post), and the salted
/// visitor hashes seen, per (day, post), each once.
#[derive(Debug, Default)]
pub struct ViewBatch {
    pub tallies: HashMap<(i64, String), ViewTally>,
    pub visitors: HashSet<(i64, String, String)>,
}

impl ViewBatch {
    pub fn is_empty(&self) -> bool {
        self.tallies.is_empty()
    }

    /// Adds one view of `post_id` on `day` by the visitor hashed as `visitor`.
    pub fn add(&mut self, day: i64, post_id: &str, visitor: &str, paywall_shown: bool) {
        let tally = self.tallies.entry((day, post_id.to_owned())).or_default();
        tally.views += 1;
        tally.paywall_shown += i64::from(paywall_shown);
        self.visitors
            .insert((day, post_id.to_owned(), visitor.to_owned()));
    }
}

/// What a paid subscription did, as `paid_changes` records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaidChange {
    Started,
    Ended,
}

impl PaidChange {
    fn as_str(self) -> &'static str {
        match self {
            PaidChange::Started => "started",
            PaidChange::Ended => "ended",
        }
    }
}

impl Store {
    /// Today's salt for visitor hashes: the stored one, or `candidate` when today has none
    /// yet (every node ends up with the same). Salts and visitor hashes of earlier days are
    /// deleted here, so none outlives its day by more than the first beacon of the next.
    pub async fn view_salt(&self, day: i64, candidate: &str) -> Result<String, StoreError> {
        let salt = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM view_salts WHERE day < $1")
                .bind(day)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM view_visitors WHERE day < $1")
                .bind(day)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO view_salts (day, salt) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
            )
            .bind(day)
            .bind(candidate)
            .execute(&mut *tx)
            .await?;
            let (salt,): (String,) = sqlx::query_as("SELECT salt FROM view_salts WHERE day = $1")
                .bind(day)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            salt
        });
        Ok(salt)
    }

    /// Adds a batch of beacons to the daily counters in one transaction. Views of ids that
    /// are no post are dropped; a visitor hash is new (a unique) only if no earlier batch of
    /// its day stored it. The site's visitors are counted over all posts at once.
    pub async fn record_views(&self, batch: &ViewBatch) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let ids: Vec<&str> = batch
            .tallies
            .keys()
            .map(|(_, id)| id.as_str())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let known = self.existing_posts(&ids).await?;
        let mut visitors: Vec<(i64, &str, &str)> = Vec::new();
        let mut site: HashSet<(i64, &str)> = HashSet::new();
        for (day, post, visitor) in &batch.visitors {
            if known.contains(post.as_str()) {
                visitors.push((*day, post, visitor));
                site.insert((*day, visitor));
            }
        }
        visitors.extend(site.into_iter().map(|(day, v)| (day, "", v)));
        on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            let mut uniques: HashMap<(i64, String), i64> = HashMap::new();
            for chunk in visitors.chunks(CHUNK) {
                let mut sql =
                    String::from("INSERT INTO view_visitors (day, post_id, visitor) VALUES ");
                for i in 0..chunk.len() {
                    let n = i * 3;
                    if i > 0 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&format!("(${}, ${}, ${})", n + 1, n + 2, n + 3));
                }
                sql.push_str(
                    " ON CONFLICT (day, post_id, visitor) DO NOTHING RETURNING day, post_id",
                );
                let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
                for (day, post, visitor) in chunk {
                    q = q.bind(*day).bind(*post).bind(*visitor);
                }
                for key in q.fetch_all(&mut *tx).await? {
                    *uniques.entry(key).or_default() += 1;
                }
            }
            let mut site_views: HashMap<i64, i64> = HashMap::new();
            for ((day, post), tally) in &batch.tallies {
                if !known.contains(post.as_str()) {
                    continue;
                }
                *site_views.entry(*day).or_default() += tally.views;
                let new = uniques.get(&(*day, post.clone())).copied().unwrap_or(0);
                sqlx::query(
                    "INSERT INTO post_views_daily (post_id, day, views, uniques, paywall_shown) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (post_id, day) DO UPDATE SET \
                     views = post_views_daily.views + excluded.views, \
                     uniques = post_views_daily.uniques + excluded.uniques, \
                     paywall_shown = post_views_daily.paywall_shown + excluded.paywall_shown",
                )
                .bind(post)
                .bind(day)
                .bind(tally.views)
                .bind(new)
                .bind(tally.paywall_shown)
                .execute(&mut *tx)
                .await?;
            }
            for (day, views) in site_views {
                let new = uniques.get(&(day, String::new())).copied().unwrap_or(0);
                sqlx::query(
                    "INSERT INTO site_views_daily (day, views, visitors) VALUES ($1, $2, $3) \
                     ON CONFLICT (day) DO UPDATE SET views = site_views_daily.views + excluded.views, \
                     visitors = site_views_daily.visitors + excluded.visitors",
                )
                .bind(day)
                .bind(views)
                .bind(new)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Which of `ids` are posts or pages.
    async fn existing_posts(&self, ids: &[&str]) -> Result<HashSet<String>, StoreError> {
        let mut found = HashSet::new();
        for chunk in ids.chunks(CHUNK) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!("SELECT id FROM posts WHERE id IN ({})", marks.join(", "));
            let rows: Vec<(String,)> = on_pool!(&self.db, read, |p| {
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.fetch_all(p).await?
            });
            found.extend(rows.into_iter().map(|(id,)| id));
        }
        Ok(found)
    }

    /// Attributes member `member_id` to the post `post_id` they signed up from, unless they
    /// already are attributed to one.
    pub async fn attribute_member(&self, member_id: &str, post_id: &str) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "UPDATE members SET attribution_post_id = $2 \
                 WHERE id = $1 AND attribution_post_id IS NULL",
            )
            .bind(member_id)
            .bind(post_id)
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// Records that `member_id`'s paid subscription to `tier` started or ended at `now`, with
    /// the post the member is attributed to.
    pub async fn record_paid_change(
        &self,
        id: &str,
        member_id: &str,
        change: PaidChange,
        tier: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO paid_changes (id, member_id, kind, tier, post_id, at) \
                 SELECT $1, $2, $3, $4, (SELECT attribution_post_id FROM members WHERE id = $2), $5",
            )
            .bind(id)
            .bind(member_id)
            .bind(change.as_str())
            .bind(tier)
            .bind(to_micros(now))
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// Stores the member counts of `day` (replacing an earlier snapshot of the same day).
    pub async fn save_member_counts(
        &self,
        day: i64,
        counts: MemberCounts,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO member_counts_daily (day, free, paid, comped) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (day) DO UPDATE SET free = excluded.free, paid = excluded.paid, \
                 comped = excluded.comped",
            )
            .bind(day)
            .bind(counts.free)
            .bind(counts.paid)
            .bind(counts.comped)
            .execute(p)
            .await?;
        });
        Ok(())
    }
}
