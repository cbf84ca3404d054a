//! The dashboard's periods and top posts (by views, by sign-ups). Summing a year of per-post
//! daily views over 100,000 posts takes seconds, so a slow count is kept (`store::Store::
//! save_top_posts`) and stands for an hour: the hourly `analytics.snapshot` job recounts every
//! period (`recount`), and a page finding no fresh count of its period counts it (`current`).
//! A count quicker than `KEEP_SLOWER_THAN` is not worth keeping: small sites see every view
//! in the top lists at once.

use chrono::{DateTime, Duration, Utc};
use std::time::Instant;
use store::{CountedTop, PostCount, Store, StoreError, day_of};

pub use store::TopList;

/// How many posts a top list shows.
const TOP: i64 = 10;

/// How long a count of the top posts stands before a page counts again.
pub const FRESH: Duration = Duration::hours(1);

/// Counts taking less than this (in milliseconds) are made afresh for every page.
pub const KEEP_SLOWER_THAN: i64 = 50;

/// The periods the dashboard offers, in days.
pub const PERIODS: [i64; 3] = [30, 90, 365];

/// A period of whole days, `from` to `to` inclusive (days since 1970-01-01 UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub days: i64,
    pub from: i64,
    pub to: i64,
}

impl Period {
    /// The last `days` days up to `now`'s; anything but 30, 90 or 365 is 30.
    pub fn last(days: i64, now: DateTime<Utc>) -> Period {
        let days = if PERIODS.contains(&days) { days } else { 30 };
        let to = day_of(now);
        Period {
            days,
            from: to - days + 1,
            to,
        }
    }
}

/// The top `list` of `period` and when it was counted: the kept count when it is of this
/// period, fresh and was slow to make, else a new count.
pub async fn current(
    store: &Store,
    list: TopList,
    period: Period,
    now: DateTime<Utc>,
) -> Result<(Vec<PostCount>, DateTime<Utc>), StoreError> {
    if let Some(kept) = store.counted_top_posts(list, period.days).await?
        && kept.to_day == period.to
        && kept.counted_at <= now
        && now - kept.counted_at < FRESH
        && kept.cost_ms >= KEEP_SLOWER_THAN
    {
        return Ok((kept.posts, kept.counted_at));
    }
    Ok((count(store, list, period, now).await?, now))
}

/// Counts both top lists of every period afresh.
pub async fn recount(store: &Store, now: DateTime<Utc>) -> Result<(), StoreError> {
    for days in PERIODS {
        let period = Period::last(days, now);
        for list in [TopList::Views, TopList::Signups] {
            count(store, list, period, now).await?;
        }
    }
    Ok(())
}

/// Counts the top `list` of `period` and keeps the count.
async fn count(
    store: &Store,
    list: TopList,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Vec<PostCount>, StoreError> {
    let started = Instant::now();
    let posts = match list {
        TopList::Views => {
            store
                .top_posts_by_views(period.from, period.to, TOP)
                .await?
        }
        TopList::Signups => {
            store
                .top_posts_by_signups(period.from, period.to, TOP)
                .await?
        }
    };
    let count = CountedTop {
        to_day: period.to,
        counted_at: now,
        cost_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
        posts,
    };
    store.save_top_posts(list, period.days, &count).await?;
    Ok(count.posts)
}
