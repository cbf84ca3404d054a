//! The page cache: rendered pages kept in memory with their compressed bodies and validators,
//! keyed by URL and the reader's access class, and evicted precisely when what they show
//! changes.
//!
//! - `record` — what a page depends on, recorded while it renders; per-reader slots.
//! - `class` — the access class of a request (anonymous, free member, paid member's tiers).
//! - `entry` — a stored page, its br/gzip bodies, and answering a request from it.
//! - `validators` — `ETags` and conditional requests.
//! - `follower` — follows the store's change feed and evicts what each change affects.
//!
//! The middleware that answers from the cache and stores renders in it is HTTP's
//! (`http/page_cache.rs`); it tells the cache a session's class and fills the slots.
//!
//! Correctness rules: a page is stored only if the render recorded nothing per-reader, sent no
//! cookie, was rendered for the class of its key, and (for anonymous readers) was marked
//! public; per-member values reach a stored page only as slots; nothing is served while this
//! process's own writes are not yet applied (`synced`); an entry rendered while anything was
//! evicted that it depends on is dropped again (the eviction log), so a render that raced a
//! change never outlives it.

pub mod class;
pub mod entry;
pub mod follower;
pub mod record;
pub mod validators;

pub use record::{Dep, Slot, depends_on, dont_store, rendered_for, shows, slot};

use chrono::{DateTime, Utc};
use entry::Entry;
use moka::notification::RemovalCause;
use record::{Facts, Recording};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::watch;

/// A page's identity in the cache: the access class and the request target.
pub type Key = Arc<str>;

type DepIndex = HashMap<Dep, HashMap<Key, u64>>;

/// Above this many remembered posts, the facts are forgotten (each then evicts every listing
/// when it next changes, which is correct, only less precise).
const MAX_FACTS: usize = 200_000;

#[derive(Clone)]
pub struct PageCache {
    inner: Arc<Inner>,
}

struct Inner {
    pages: moka::sync::Cache<Key, Arc<Entry>>,
    /// Which stored pages (and which entry of each key) depend on what.
    deps: Arc<Mutex<DepIndex>>,
    /// What decides the listings of each post shown on a stored page or seen changing, and
    /// since when every post the follower saw is in there.
    facts: Mutex<(HashMap<String, Facts>, DateTime<Utc>)>,
    /// Recent evictions, to tell whether a render raced one.
    log: Mutex<EvictionLog>,
    /// The store's content clock up to which changes have been applied.
    synced: AtomicU64,
    /// Pages being rendered, so identical misses wait for one render.
    inflight: Mutex<HashMap<Key, watch::Receiver<()>>>,
    /// Stands for per-reader slots in stored pages.
    nonce: String,
    /// The access class of recently seen sessions.
    sessions: class::Sessions,
    enabled: bool,
    closed: std::sync::atomic::AtomicBool,
}

impl PageCache {
    /// A cache holding at most `mib` MiB of pages (0 turns caching off), remembering session
    /// classes for `class_ttl`.
    pub fn new(mib: u64, class_ttl: std::time::Duration) -> PageCache {
        let deps: Arc<Mutex<DepIndex>> = Arc::default();
        let index = deps.clone();
        // Pages pushed out for room leave the dependency index too; an entry that replaced
        // them under the same key has another id and keeps its registrations.
        let evicted = move |key: Arc<Key>, entry: Arc<Entry>, cause: RemovalCause| {
            if matches!(cause, RemovalCause::Size | RemovalCause::Expired) {
                let mut index = lock(&index);
                for dep in &entry.deps {
                    if let Some(keys) = index.get_mut(dep) {
                        if keys.get(&*key) == Some(&entry.id) {
                            keys.remove(&*key);
                        }
                        if keys.is_empty() {
                            index.remove(dep);
                        }
                    }
                }
            }
        };
        let pages = moka::sync::Cache::builder()
            .max_capacity(mib.saturating_mul(1024 * 1024))
            .weigher(|key: &Key, entry: &Arc<Entry>| {
                u32::try_from(key.len() + entry.weight()).unwrap_or(u32::MAX)
            })
            .eviction_listener(evicted)
            .build();
        PageCache {
            inner: Arc::new(Inner {
                pages,
                deps,
                facts: Mutex::new((HashMap::new(), Utc::now())),
                log: Mutex::default(),
                synced: AtomicU64::new(0),
                inflight: Mutex::default(),
                nonce: crate::members::crypto::random_token()
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .take(16)
                    .collect(),
                sessions: class::sessions(class_ttl),
                enabled: mib > 0,
                closed: std::sync::atomic::AtomicBool::default(),
            }),
        }
    }

    pub fn enabled(&self) -> bool {
        self.inner.enabled
    }

    /// Stops the follower (the server is shutting down).
    pub fn close(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
    }

    fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::SeqCst)
    }

    pub(crate) fn nonce(&self) -> &str {
        &self.inner.nonce
    }

    fn sessions(&self) -> &class::Sessions {
        &self.inner.sessions
    }

    /// Whether stored pages may be served: every write this process made has been applied.
    pub(crate) fn usable(&self, ticks: u64) -> bool {
        self.inner.synced.load(Ordering::SeqCst) == ticks
    }

    /// Records that changes up to the store's content clock reading `ticks` are applied.
    pub fn synced_to(&self, ticks: u64) {
        self.inner.synced.store(ticks, Ordering::SeqCst);
    }

    /// The eviction log's position, read before a render starts.
    pub(crate) fn epoch(&self) -> u64 {
        lock(&self.inner.log).next
    }

    pub(crate) fn get(&self, key: &Key) -> Option<Arc<Entry>> {
        self.inner.pages.get(key)
    }

    /// Stores a page rendered from `epoch` on; drops it again if anything it depends on was
    /// evicted since, so a render that raced a change is never kept. Returns whether it was.
    pub(crate) fn insert(
        &self,
        key: &Key,
        entry: &Arc<Entry>,
        rec: &Recording,
        epoch: u64,
    ) -> bool {
        if lock(&self.inner.log).touched_since(epoch, &entry.deps) {
            return false;
        }
        {
            let mut deps = lock(&self.inner.deps);
            for dep in &entry.deps {
                deps.entry(dep.clone())
                    .or_default()
                    .insert(key.clone(), entry.id);
            }
        }
        self.inner.pages.insert(key.clone(), entry.clone());
        // An eviction logged before this check is seen here; one logged after it finds the
        // entry registered above and removes it.
        if lock(&self.inner.log).touched_since(epoch, &entry.deps) {
            self.inner.pages.invalidate(key);
            return false;
        }
        for (id, f) in &rec.facts {
            self.remember(id, f.clone());
        }
        true
    }

    /// Evicts every page that depends on any of `deps`.
    pub fn evict(&self, deps: &[Dep]) {
        if !self.enabled() || deps.is_empty() {
            return;
        }
        lock(&self.inner.log).push(Evicted::Deps(deps.to_vec()));
        let keys: Vec<Key> = {
            let mut index = lock(&self.inner.deps);
            deps.iter()
                .filter_map(|d| index.remove(d))
                .flat_map(HashMap::into_keys)
                .collect()
        };
        for key in &keys {
            self.inner.pages.invalidate(key);
        }
        if !keys.is_empty() {
            tracing::debug!(pages = keys.len(), ?deps, "page cache: evicted");
        }
    }

    /// Evicts every page that lists posts (home, sections, tags, authors, feeds, sitemaps).
    pub fn evict_listings(&self) {
        if !self.enabled() {
            return;
        }
        lock(&self.inner.log).push(Evicted::Listings);
        let listings: Vec<Dep> = lock(&self.inner.deps)
            .keys()
            .filter(|d| d.is_listing())
            .cloned()
            .collect();
        self.evict(&listings);
    }

    /// Evicts everything (settings, tiers, navigation or theme changed).
    pub fn clear(&self) {
        if !self.enabled() {
            return;
        }
        lock(&self.inner.log).push(Evicted::All);
        lock(&self.inner.deps).clear();
        self.inner.pages.invalidate_all();
        tracing::debug!("page cache: cleared");
    }

    /// What was last seen of a post, if anything, and since when the facts hold every post
    /// seen: a post created after that and not in them is new, so was in no listing.
    fn facts(&self, id: &str) -> (Option<Facts>, DateTime<Utc>) {
        let facts = lock(&self.inner.facts);
        (facts.0.get(id).cloned(), facts.1)
    }

    fn remember(&self, id: &str, f: Facts) {
        let mut facts = lock(&self.inner.facts);
        if facts.0.len() >= MAX_FACTS && !facts.0.contains_key(id) {
            *facts = (HashMap::new(), Utc::now());
        }
        facts.0.insert(id.to_owned(), f);
    }

    /// Starts the facts afresh: every post created from now on will be seen by the follower.
    fn reset_facts(&self) {
        *lock(&self.inner.facts) = (HashMap::new(), Utc::now());
    }

    fn forget(&self, id: &str) {
        lock(&self.inner.facts).0.remove(id);
    }

    /// Waits (up to `patience`) for a render of `key` already under way; `None` if there is
    /// none, and then the caller leads: others wait for it until the returned guard drops.
    pub(crate) async fn wait_or_lead(&self, key: &Key, patience: Duration) -> Option<Lead> {
        let waiting = {
            let mut inflight = lock(&self.inner.inflight);
            if let Some(rx) = inflight.get(key) {
                Some(rx.clone())
            } else {
                let (tx, rx) = watch::channel(());
                inflight.insert(key.clone(), rx);
                return Some(Lead {
                    cache: self.clone(),
                    key: key.clone(),
                    _done: tx,
                });
            }
        };
        if let Some(mut rx) = waiting {
            // Resolves with an error when the leader's sender drops: its render is done.
            let _ = tokio::time::timeout(patience, rx.changed()).await;
        }
        None
    }

    /// Number of stored pages (for tests and logs).
    pub fn len(&self) -> u64 {
        self.inner.pages.run_pending_tasks();
        self.inner.pages.entry_count()
    }

    /// Bytes the stored pages take, as the size bound counts them.
    pub fn weighted_size(&self) -> u64 {
        self.inner.pages.run_pending_tasks();
        self.inner.pages.weighted_size()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Evictions since some point, kept so a render can tell whether it raced one.
#[derive(Default)]
struct EvictionLog {
    /// The position the next eviction gets.
    next: u64,
    recent: VecDeque<(u64, Evicted)>,
}

enum Evicted {
    All,
    Listings,
    Deps(Vec<Dep>),
}

/// How many evictions the log remembers; a render older than that is dropped.
const LOG_LEN: usize = 4096;

impl EvictionLog {
    fn push(&mut self, what: Evicted) {
        if self.recent.len() == LOG_LEN {
            self.recent.pop_front();
        }
        self.recent.push_back((self.next, what));
        self.next += 1;
    }

    /// Whether anything evicted at or after position `since` touches `deps`.
    fn touched_since(&self, since: u64, deps: &[Dep]) -> bool {
        if since == self.next {
            return false;
        }
        if self.recent.front().is_none_or(|(at, _)| *at > since) {
            return true;
        }
        self.recent
            .iter()
            .filter(|(at, _)| *at >= since)
            .any(|(_, what)| match what {
                Evicted::All => true,
                Evicted::Listings => deps.iter().any(Dep::is_listing),
                Evicted::Deps(evicted) => evicted.iter().any(|d| deps.contains(d)),
            })
    }
}

/// The render of one key under way; dropping it lets waiting requests look again.
pub(crate) struct Lead {
    cache: PageCache,
    key: Key,
    _done: watch::Sender<()>,
}

impl Drop for Lead {
    fn drop(&mut self) {
        lock(&self.cache.inner.inflight).remove(&self.key);
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Bytes;
    use axum::response::{IntoResponse, Response};

    fn page(deps: &[Dep]) -> (Arc<Entry>, Recording) {
        let res: Response = ([("cache-control", "public")], "<p>page</p>").into_response();
        let (parts, _) = res.into_parts();
        let rec = Recording {
            deps: deps.iter().cloned().collect(),
            ..Recording::default()
        };
        (
            Arc::new(Entry::new(
                &parts,
                &Bytes::from_static(b"<p>page</p>"),
                &rec,
            )),
            rec,
        )
    }

    fn key(s: &str) -> Key {
        Arc::from(s)
    }

    #[test]
    fn eviction_removes_exactly_the_dependent_pages() {
        let cache = PageCache::new(16, class::TTL);
        let post = Dep::Post("p1".into());
        let tag = Dep::Tag("china".into());
        for (k, deps) in [("a", vec![post.clone()]), ("b", vec![tag.clone()])] {
            let (entry, rec) = page(&deps);
            assert!(cache.insert(&key(k), &entry, &rec, cache.epoch()));
        }
        cache.evict(std::slice::from_ref(&post));
        assert!(cache.get(&key("a")).is_none());
        assert!(cache.get(&key("b")).is_some());
        cache.evict_listings();
        assert!(cache.get(&key("b")).is_none());
    }

    #[test]
    fn a_render_that_raced_an_eviction_of_its_dependencies_is_not_kept() {
        let cache = PageCache::new(16, class::TTL);
        let started = cache.epoch();
        cache.evict(&[Dep::Post("p1".into())]);
        let (entry, rec) = page(&[Dep::Post("p1".into()), Dep::AllPosts]);
        assert!(!cache.insert(&key("raced"), &entry, &rec, started));
        assert!(cache.get(&key("raced")).is_none());
        // An eviction of something else does not matter.
        let (entry, rec) = page(&[Dep::Post("p2".into())]);
        assert!(cache.insert(&key("other"), &entry, &rec, started));
        // Listings and clears touch what they cover.
        let started = cache.epoch();
        cache.evict_listings();
        let (entry, rec) = page(&[Dep::Tag("china".into())]);
        assert!(!cache.insert(&key("listing"), &entry, &rec, started));
        let (entry, rec) = page(&[Dep::Search]);
        assert!(cache.insert(&key("search"), &entry, &rec, started));
        let started = cache.epoch();
        cache.clear();
        let (entry, rec) = page(&[Dep::Search]);
        assert!(!cache.insert(&key("cleared"), &entry, &rec, started));
    }

    #[test]
    fn a_render_older_than_the_log_is_not_kept() {
        let cache = PageCache::new(16, class::TTL);
        let started = cache.epoch();
        for i in 0..=LOG_LEN {
            cache.evict(&[Dep::Post(format!("x{i}"))]);
        }
        let (entry, rec) = page(&[Dep::Post("unrelated".into())]);
        assert!(!cache.insert(&key("old"), &entry, &rec, started));
    }

    #[test]
    fn pages_pushed_out_for_room_leave_the_dependency_index() {
        let cache = PageCache::new(1, class::TTL);
        for i in 0..2000 {
            let (entry, rec) = page(&[Dep::Post(format!("p{i}"))]);
            cache.insert(&key(&format!("k{i}")), &entry, &rec, cache.epoch());
        }
        assert!(cache.weighted_size() <= 1024 * 1024);
        let indexed = lock(&cache.inner.deps).len() as u64;
        assert!(
            indexed <= cache.len() + 64,
            "{indexed} deps for {} pages",
            cache.len()
        );
    }
}
