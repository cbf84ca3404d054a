//! A server's settings, read once per change: reloaded after this process writes (the store's
//! content clock moved) and after another process did (the page cache's follower, which already
//! reads the settings every tick, says so with `changed`). Without a follower (the page cache
//! is off) nothing would tell of other processes' writes, so every read goes to the store, as
//! each page's render did before.

use super::SiteSettings;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use store::{Store, StoreError};

/// The settings as last read, and when: shared by every clone.
#[derive(Clone)]
pub struct LiveSettings {
    inner: Arc<Inner>,
}

/// When a copy was read: the content clock and the follower's generation at the time.
type Version = (u64, u64);

/// The kept copy and when it was read.
type Kept = Option<(Version, Arc<SiteSettings>)>;

struct Inner {
    store: Store,
    /// Whether a follower reports other processes' changes (else nothing is kept).
    followed: bool,
    /// Moves each time the follower sees the stored settings change.
    generation: AtomicU64,
    /// The settings, with the (content clock, generation) they were read at.
    current: Mutex<Kept>,
}

impl LiveSettings {
    /// The settings of `store`; `followed` when the page cache's follower will call `changed`.
    pub fn new(store: Store, followed: bool) -> LiveSettings {
        LiveSettings {
            inner: Arc::new(Inner {
                store,
                followed,
                generation: AtomicU64::new(0),
                current: Mutex::new(None),
            }),
        }
    }

    /// The current settings: the kept copy while nothing changed since it was read, else a
    /// fresh read.
    pub async fn get(&self) -> Result<Arc<SiteSettings>, StoreError> {
        let inner = &self.inner;
        // Read before the store: a change landing during the read leaves the copy stale-marked.
        let version: Version = (
            inner.store.content_ticks(),
            inner.generation.load(Ordering::SeqCst),
        );
        if inner.followed
            && let Some((at, settings)) = &*self.current()
            && *at == version
        {
            return Ok(settings.clone());
        }
        let settings = Arc::new(SiteSettings::load(&inner.store).await?);
        if inner.followed {
            *self.current() = Some((version, settings.clone()));
        }
        Ok(settings)
    }

    /// Another process changed the stored settings: the next `get` reads them again.
    pub fn changed(&self) {
        self.inner.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn current(&self) -> MutexGuard<'_, Kept> {
        self.inner
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
