//! The content clock: a counter this process bumps after every committed write that changes
//! what readers see (posts, settings, tiers), and a way to wait for the next bump. Caches use
//! it to stop serving what they hold the moment a write lands, before they have worked out what
//! the write affects. Writes by other processes are not seen here; they reach caches through
//! the change feed (`changes.rs`).
//!
//! The access clock is the database's own: a counter in `access_clock` that triggers move with
//! every committed change to a subscription and every ended session, whichever process made it.

use crate::{Store, StoreError, on_pool};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::Notify;

#[derive(Debug, Default)]
pub(crate) struct ContentClock {
    ticks: AtomicU64,
    notify: Notify,
}

impl ContentClock {
    pub(crate) fn new() -> Arc<ContentClock> {
        Arc::default()
    }

    pub(crate) fn tick(&self) {
        self.ticks.fetch_add(1, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    pub(crate) fn now(&self) -> u64 {
        self.ticks.load(Ordering::SeqCst)
    }

    pub(crate) async fn changed_since(&self, seen: u64) {
        let wait = self.notify.notified();
        if self.now() != seen {
            return;
        }
        wait.await;
    }
}

impl Store {
    /// The access clock's reading: it moves with every committed change to a subscription and
    /// every ended session, in any process. A cache of who may read what forgets it all when the
    /// reading differs from the last one it saw.
    pub async fn access_clock(&self) -> Result<i64, StoreError> {
        let ticks: i64 = on_pool!(&self.db, read, |p| {
            sqlx::query_scalar("SELECT ticks FROM access_clock WHERE id = 1")
                .fetch_one(p)
                .await?
        });
        Ok(ticks)
    }
}
