//! Keeps the search index and Related Articles current: a background loop follows the store's
//! change feed, applies each batch to the index (with its cursor, atomically), then recomputes
//! the related lists the batch affects. Writes from any process (the CLI, another node) are seen
//! within one tick.

use crate::cache::{Dep, PageCache};
use chrono::Utc;
use domain::Post;
use search::{Cursor, IndexDoc, Opened, RELATED_COUNT, SearchError, SearchIndex};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use store::{FeedPosition, LATE_COMMIT_MICROS, Store, StoreError};
use tokio::task::JoinError;

/// How often the change feed is polled.
const TICK: Duration = Duration::from_millis(200);
/// Posts read from the feed per query.
const PAGE: u32 = 500;
/// Posts applied per index commit while catching up.
const COMMIT_EVERY: usize = 5_000;
/// Batches larger than this (a bulk import, a rebuild) leave related lists to be computed when
/// each story is first viewed, rather than all at once.
const RELATED_BATCH_LIMIT: usize = 200;

/// Why the index could not be opened, read or kept current.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("cannot open the search index in {}", dir.display())]
    Open {
        dir: PathBuf,
        #[source]
        source: SearchError,
    },
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the search index writer stopped")]
    WriterStopped(#[source] JoinError),
    #[error("the Related Articles computation stopped")]
    RelatedStopped(#[source] JoinError),
}

type Result<T, E = IndexError> = std::result::Result<T, E>;

/// The shared handle on the search index. The index can be swapped for a fresh one (when its
/// folder disappears), so readers take the current one per request.
#[derive(Clone)]
pub struct Search {
    current: Arc<RwLock<Arc<SearchIndex>>>,
    ready: Arc<AtomicBool>,
    closed: Arc<AtomicBool>,
    dir: PathBuf,
}

impl Search {
    /// Opens (or starts rebuilding) the index in `dir`.
    pub fn open(dir: &Path) -> Result<Search> {
        let index = open_index(dir)?;
        Ok(Search {
            current: Arc::new(RwLock::new(Arc::new(index))),
            ready: Arc::new(AtomicBool::new(false)),
            closed: Arc::new(AtomicBool::new(false)),
            dir: dir.to_owned(),
        })
    }

    pub fn index(&self) -> Arc<SearchIndex> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Whether the index has caught up with the database at least once since starting.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Relaxed)
    }

    /// Stops the indexer loop and lets go of the index folder (searches still answer from what
    /// was committed). Used at shutdown.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
        self.index().release();
    }

    /// Replaces the index with an empty one (its folder vanished); the loop refills it.
    fn reopen(&self) -> Result<()> {
        self.ready.store(false, Ordering::Relaxed);
        let mut slot = self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // The old index lets go of its writer first; searches in flight finish on it.
        slot.release();
        *slot = Arc::new(open_index(&self.dir)?);
        Ok(())
    }
}

fn open_index(dir: &Path) -> Result<SearchIndex> {
    let (index, opened) = SearchIndex::open(dir).map_err(|source| IndexError::Open {
        dir: dir.to_owned(),
        source,
    })?;
    match opened {
        Opened::Existing => {
            tracing::info!(dir = %dir.display(), docs = index.num_docs(), "search index opened");
        }
        Opened::Rebuilt(reason) => {
            tracing::info!(dir = %dir.display(), %reason, "search index will be rebuilt from the database");
        }
    }
    Ok(index)
}

/// What one pass over the change feed did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Pass {
    pub indexed: usize,
    pub removed: usize,
    pub related: usize,
}

pub struct Indexer {
    store: Store,
    search: Search,
    /// Change-clock readings already applied within the late window, by post id.
    seen: HashMap<String, i64>,
    seen_deleted: HashMap<String, i64>,
    /// Told which search results and related boxes each pass changed.
    cache: Option<PageCache>,
}

impl Indexer {
    pub fn new(store: Store, search: Search) -> Indexer {
        Indexer {
            store,
            search,
            seen: HashMap::new(),
            seen_deleted: HashMap::new(),
            cache: None,
        }
    }

    /// Evicts from `cache` the search pages and related boxes each pass changes.
    pub fn evicting(self, cache: PageCache) -> Indexer {
        Indexer {
            cache: Some(cache),
            ..self
        }
    }

    fn evict(&self, deps: &[Dep]) {
        if let Some(cache) = &self.cache {
            cache.evict(deps);
        }
    }

    /// Runs until the index is closed: one pass per tick. Errors are logged and retried.
    pub async fn run(mut self) {
        while !self.search.closed.load(Ordering::Relaxed) {
            if let Err(err) = self.tick().await {
                if self.search.closed.load(Ordering::Relaxed) {
                    break;
                }
                tracing::warn!(error = %format!("{err:#}"), "search sync failed; retrying");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            tokio::time::sleep(TICK).await;
        }
    }

    async fn tick(&mut self) -> Result<()> {
        if !self.search.index().is_on_disk() {
            tracing::warn!("the search index folder disappeared; rebuilding it");
            self.seen.clear();
            self.seen_deleted.clear();
            self.search.reopen()?;
        }
        let started = std::time::Instant::now();
        let pass = self.catch_up(&mut |_| {}).await?;
        if pass.indexed + pass.removed > 0 {
            tracing::info!(
                indexed = pass.indexed,
                removed = pass.removed,
                related = pass.related,
                ms = started.elapsed().as_millis(),
                "search index updated"
            );
        }
        self.search.ready.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Applies everything the feed holds beyond the index's cursor. `progress` hears the
    /// number of posts read so far.
    pub async fn catch_up(&mut self, progress: &mut (dyn FnMut(u64) + Send)) -> Result<Pass> {
        let index = self.search.index();
        let mut cursor = index.cursor();
        let mut pass = Pass::default();
        let mut read = 0u64;
        loop {
            let mut upserts: Vec<IndexDoc> = Vec::new();
            let mut deletes: Vec<String> = Vec::new();
            let mut changed: Vec<Post> = Vec::new();
            // Forward through the feed, a page at a time, until caught up or a commit is due.
            let mut full = true;
            while full && upserts.len() + deletes.len() < COMMIT_EVERY {
                let at = FeedPosition {
                    changed_at: cursor.changed_at,
                    id: cursor.id.clone(),
                };
                let page = self.store.changed_posts(&at, PAGE).await?;
                full = page.len() == PAGE as usize;
                read += page.len() as u64;
                progress(read);
                if let Some((clock, post)) = page.last() {
                    cursor.changed_at = *clock;
                    cursor.id.clone_from(&post.id);
                }
                for (clock, post) in page {
                    self.take(clock, post, &mut upserts, &mut deletes, &mut changed);
                }
            }
            let behind = FeedPosition {
                changed_at: cursor.changed_at,
                id: cursor.id.clone(),
            };
            if !full && let Some(late) = behind.late_window(Utc::now()) {
                // Writes that committed late, behind the cursor.
                for (clock, post) in self.store.changed_posts(&late, PAGE).await? {
                    if self.seen.get(&post.id) != Some(&clock) {
                        self.take(clock, post, &mut upserts, &mut deletes, &mut changed);
                    }
                }
            }
            let mut gone = Vec::new();
            for (id, at) in self
                .store
                .deleted_posts(cursor.deleted_at - LATE_COMMIT_MICROS, PAGE)
                .await?
            {
                if self.seen_deleted.insert(id.clone(), at) != Some(at) {
                    cursor.deleted_at = cursor.deleted_at.max(at);
                    gone.push(id);
                }
            }
            deletes.extend(gone.iter().cloned());
            if upserts.is_empty() && deletes.is_empty() {
                if cursor != index.cursor() {
                    apply(&index, vec![], vec![], cursor.clone()).await?;
                }
                break;
            }
            pass.indexed += upserts.len();
            pass.removed += deletes.len();
            apply(&index, upserts, deletes, cursor.clone()).await?;
            self.evict(&[Dep::Search]);
            if changed.len() + gone.len() <= RELATED_BATCH_LIMIT {
                pass.related += self.refresh_related(&changed, &gone).await?;
            }
            if !full {
                break;
            }
        }
        self.forget_old(&cursor);
        Ok(pass)
    }

    fn take(
        &mut self,
        clock: i64,
        post: Post,
        upserts: &mut Vec<IndexDoc>,
        deletes: &mut Vec<String>,
        changed: &mut Vec<Post>,
    ) {
        self.seen.insert(post.id.clone(), clock);
        upserts.retain(|d| d.id != post.id);
        deletes.retain(|id| *id != post.id);
        changed.retain(|p| p.id != post.id);
        match IndexDoc::from_post(&post) {
            Some(doc) => upserts.push(doc),
            None => deletes.push(post.id.clone()),
        }
        changed.push(post);
    }

    fn forget_old(&mut self, cursor: &Cursor) {
        let horizon = cursor.changed_at - LATE_COMMIT_MICROS;
        self.seen.retain(|_, at| *at >= horizon);
        let horizon = cursor.deleted_at - LATE_COMMIT_MICROS;
        self.seen_deleted.retain(|_, at| *at >= horizon);
    }

    /// Recomputes the related lists of changed posts, of the posts now related to them, and of
    /// posts that listed a post which is gone or no longer published. Returns how many.
    async fn refresh_related(&self, changed: &[Post], gone: &[String]) -> Result<usize> {
        let mut redo: BTreeSet<String> = BTreeSet::new();
        let mut listed_elsewhere: Vec<&str> = gone.iter().map(String::as_str).collect();
        let now = Utc::now();
        for post in changed {
            if post.is_live(now) && IndexDoc::from_post(post).is_some() {
                let related = compute_and_save(&self.store, &self.search.index(), post).await?;
                // Stories this one is now related to may want it in their own lists.
                redo.extend(related);
            } else {
                listed_elsewhere.push(&post.id);
            }
        }
        for id in listed_elsewhere {
            redo.extend(self.store.posts_listing_related(id).await?);
        }
        for post in changed {
            redo.remove(&post.id);
        }
        let ids: Vec<String> = redo.into_iter().collect();
        let posts = self.store.posts_by_ids(&ids).await?;
        for post in &posts {
            compute_and_save(&self.store, &self.search.index(), post).await?;
        }
        let recomputed: Vec<Dep> = changed
            .iter()
            .chain(&posts)
            .map(|p| Dep::Related(p.id.clone()))
            .collect();
        self.evict(&recomputed);
        Ok(changed.len() + posts.len())
    }
}

async fn apply(
    index: &Arc<SearchIndex>,
    upserts: Vec<IndexDoc>,
    deletes: Vec<String>,
    cursor: Cursor,
) -> Result<()> {
    let index = index.clone();
    tokio::task::spawn_blocking(move || index.apply(&upserts, &deletes, &cursor))
        .await
        .map_err(IndexError::WriterStopped)??;
    Ok(())
}

/// Computes and stores the Related Articles of `post` (empty for posts that are not indexed).
pub async fn compute_and_save(
    store: &Store,
    index: &Arc<SearchIndex>,
    post: &Post,
) -> Result<Vec<String>> {
    related_for(store, index, post, true).await
}

/// Computes the Related Articles of `post`, storing them if `keep` (a list computed from an
/// index still being rebuilt is shown but not kept).
pub async fn related_for(
    store: &Store,
    index: &Arc<SearchIndex>,
    post: &Post,
    keep: bool,
) -> Result<Vec<String>> {
    let Some(doc) = IndexDoc::from_post(post) else {
        return Ok(vec![]);
    };
    let now = Utc::now();
    let index = index.clone();
    let ids = tokio::task::spawn_blocking(move || index.related(&doc, now, RELATED_COUNT))
        .await
        .map_err(IndexError::RelatedStopped)??;
    if keep {
        store.save_related(&post.id, &ids, now).await?;
    }
    Ok(ids)
}

/// `masthead search reindex`: empties the index and refills it from the database, with
/// progress. Related lists are recomputed for small sites; on large ones each story's list is
/// computed on its first view.
pub async fn reindex(
    store: &Store,
    dir: &Path,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<Pass> {
    let search = Search::open(dir)?;
    search.index().clear()?;
    let mut indexer = Indexer::new(store.clone(), search.clone());
    indexer.catch_up(progress).await
}
