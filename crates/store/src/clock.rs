//! The content clock: a counter this process bumps after every committed write that changes
//! what readers see (posts, settings, tiers), and a way to wait for the next bump. Caches use
//! it to stop serving what they hold the moment a write lands, before they have worked out what
//! the write affects. Writes by other processes are not seen here; they reach caches through
//! the change feed (`changes.rs`).

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
