//! Page views from the theme's beacon, counted without cookies or personal data: bots are
//! told apart by their user agent (`isbot`, the patterns of the npm package of that name), a
//! visitor is a salted SHA-256 of (client address, user agent, day) whose salt is random per
//! UTC day and shared through the database (`store::Store::view_salt`, which deletes earlier
//! days' salts and hashes), and views are gathered in memory and written as aggregated daily
//! counters about once a second (`Views::flush`), so a beacon costs a hash and a lock, not a
//! write. Neither the address nor the user agent leaves this module.

pub mod top_posts;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;
use store::{Store, StoreError, ViewBatch, day_of};
use tokio::sync::Notify;

/// How often gathered views are written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// Distinct (day, post) counters one batch may hold; beacons past it wait for the next flush
/// (dropped), so a flood of made-up post ids cannot grow memory without bound.
const MAX_KEYS: usize = 50_000;

static BOTS: LazyLock<isbot::Bots> = LazyLock::new(isbot::Bots::default);

/// Whether `user_agent` is a crawler, a monitor, a preview fetcher or a script (an empty user
/// agent counts as one: browsers always send theirs).
pub fn is_bot(user_agent: &str) -> bool {
    user_agent.trim().is_empty() || BOTS.is_bot(user_agent)
}

/// This process's views not yet written, and the day's salt.
#[derive(Default)]
pub struct Views {
    batch: Mutex<ViewBatch>,
    salt: Mutex<Option<(i64, String)>>,
    stop: Notify,
}

/// One beacon, as the handler read it.
pub struct Beacon<'a> {
    pub post_id: &'a str,
    pub client: &'a str,
    pub user_agent: &'a str,
    pub paywall_shown: bool,
}

impl Views {
    /// Counts one view (the caller filtered bots). Returns false when the batch is full.
    pub async fn count(
        &self,
        store: &Store,
        beacon: &Beacon<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let day = day_of(now);
        let salt = self.salt(store, day).await?;
        let visitor = visitor_hash(&salt, beacon.client, beacon.user_agent, day);
        let mut batch = self
            .batch
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if batch.tallies.len() >= MAX_KEYS
            && !batch
                .tallies
                .contains_key(&(day, beacon.post_id.to_owned()))
        {
            return Ok(false);
        }
        batch.add(day, beacon.post_id, &visitor, beacon.paywall_shown);
        Ok(true)
    }

    /// Today's salt: remembered, or read (made if need be) once per day and process.
    async fn salt(&self, store: &Store, day: i64) -> Result<String, StoreError> {
        {
            let cached = self
                .salt
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some((d, salt)) = cached.as_ref()
                && *d == day
            {
                return Ok(salt.clone());
            }
        }
        let salt = store
            .view_salt(day, &crate::members::crypto::random_token())
            .await?;
        *self
            .salt
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((day, salt.clone()));
        Ok(salt)
    }

    /// Writes what was gathered. On failure the views go back into the batch to be tried again.
    pub async fn flush(&self, store: &Store) -> Result<(), StoreError> {
        let batch = std::mem::take(
            &mut *self
                .batch
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        if batch.is_empty() {
            return Ok(());
        }
        match store.record_views(&batch).await {
            Ok(()) => Ok(()),
            Err(e) => {
                let mut current = self
                    .batch
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                for (key, tally) in batch.tallies {
                    let t = current.tallies.entry(key).or_default();
                    t.views += tally.views;
                    t.paywall_shown += tally.paywall_shown;
                }
                current.visitors.extend(batch.visitors);
                Err(e)
            }
        }
    }

    /// Writes gathered views every `FLUSH_EVERY` until `stop`, then once more.
    pub fn spawn_flusher(self: &Arc<Self>, store: Store) -> tokio::task::JoinHandle<()> {
        let views = Arc::clone(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(FLUSH_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    () = views.stop.notified() => break,
                }
                if let Err(e) = views.flush(&store).await {
                    tracing::warn!(error = %crate::telemetry::chain(&e), "page views not written yet");
                }
            }
            if let Err(e) = views.flush(&store).await {
                tracing::warn!(error = %crate::telemetry::chain(&e), "last page views lost");
            }
        })
    }

    /// Ends the flusher after one last write (the server is stopping).
    pub fn stop(&self) {
        self.stop.notify_one();
    }
}

/// The visitor's hash for `day`: hex SHA-256 of the salt, address, user agent and day, cut to
/// 128 bits. Without the day's salt (deleted with the day) it cannot be linked back.
fn visitor_hash(salt: &str, client: &str, user_agent: &str, day: i64) -> String {
    let mut h = Sha256::new();
    for part in [salt.as_bytes(), client.as_bytes(), user_agent.as_bytes()] {
        h.update(part);
        h.update([0]);
    }
    h.update(day.to_be_bytes());
    hex::encode(&h.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bots_and_browsers() {
        assert!(is_bot(
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
        ));
        assert!(is_bot("curl/8.5.0"));
        assert!(is_bot(""));
        assert!(!is_bot(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
        ));
    }

    #[test]
    fn the_hash_changes_with_the_day_and_salt() {
        let a = visitor_hash("s1", "203.0.113.9", "UA", 1);
        assert_eq!(a, visitor_hash("s1", "203.0.113.9", "UA", 1));
        assert_ne!(a, visitor_hash("s1", "203.0.113.9", "UA", 2));
        assert_ne!(a, visitor_hash("s2", "203.0.113.9", "UA", 1));
        assert!(!a.contains("203.0.113.9"));
    }
}
