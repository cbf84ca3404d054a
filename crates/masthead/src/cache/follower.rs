//! Keeps the page cache true to the store: follows the change feed (every write, from any
//! process, on either database) and evicts exactly the pages each change affects; notices
//! scheduled posts going live; clears everything when settings, tiers, tags, authors or the
//! navigation change; forgets the remembered session classes when the store's access clock
//! moves (a subscription changed or a session ended, in any process). It tells the server's
//! `LiveSettings` when the stored settings changed, before clearing the pages that show them.
//!
//! This process's own writes wake the follower at once, and until it has applied them the
//! cache serves nothing (`PageCache::synced_to`). Writes by other processes are seen within one
//! tick.

use super::PageCache;
use super::record::{Dep, Facts};
use crate::settings::LiveSettings;
use chrono::{DateTime, Utc};
use domain::{Post, TagKind};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::Duration;
use store::{FeedPosition, LATE_COMMIT_MICROS, Store, StoreError};

type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How often the feed is polled for other processes' writes.
const TICK: Duration = Duration::from_millis(200);
const PAGE: u32 = 500;

pub struct Follower {
    store: Store,
    cache: PageCache,
    settings: LiveSettings,
    position: FeedPosition,
    deleted_after: i64,
    /// Change-clock readings already applied within the late window, by post id.
    seen: HashMap<String, i64>,
    seen_deleted: HashMap<String, i64>,
    live_checked: DateTime<Utc>,
    /// Fingerprints of the stored settings, of the other site-wide tables, of the navigation.
    stored_settings: u64,
    site: u64,
    nav: u64,
    /// The store's access clock as last seen.
    access: i64,
}

impl Follower {
    /// A follower starting at the feed's head: the cache starts empty, so history is moot.
    pub async fn start(store: Store, cache: PageCache, settings: LiveSettings) -> Result<Follower> {
        let (position, deleted_after) = store.feed_head().await?;
        let access = store.access_clock().await?;
        // After reading the head: a post created later is then sure to come through the feed.
        cache.reset_facts();
        let mut follower = Follower {
            cache,
            settings,
            position,
            deleted_after,
            seen: HashMap::new(),
            seen_deleted: HashMap::new(),
            live_checked: Utc::now(),
            stored_settings: 0,
            site: 0,
            nav: 0,
            access,
            store,
        };
        // The late window behind the head holds writes made before the cache existed.
        follower.changed_posts().await?;
        follower.deleted_posts().await?;
        follower.stored_settings = follower.settings_fingerprint().await?;
        follower.site = follower.site_fingerprint().await?;
        follower.nav = follower.nav_fingerprint().await?;
        follower.cache.synced_to(follower.store.content_ticks());
        Ok(follower)
    }

    /// Applies changes until the cache is closed: at once after this process writes, and every
    /// tick otherwise. Errors are logged and retried; meanwhile the cache serves nothing new.
    pub async fn run(mut self) {
        while !self.cache.is_closed() {
            let ticks = self.store.content_ticks();
            match self.pass().await {
                Ok(()) => self.cache.synced_to(ticks),
                Err(err) => {
                    if self.cache.is_closed() {
                        break;
                    }
                    tracing::warn!(error = %format!("{err:#}"), "page cache: following changes failed; clearing and retrying");
                    self.cache.clear();
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    continue;
                }
            }
            tokio::select! {
                () = self.store.content_changed(ticks) => {}
                () = tokio::time::sleep(TICK) => {}
            }
        }
    }

    /// One look at everything that may have changed since the last.
    pub async fn pass(&mut self) -> Result<()> {
        self.access_changes().await?;
        let mut deps: Vec<Dep> = Vec::new();
        let mut all_listings = false;
        for post in self.changed_posts().await? {
            let new = Facts::of(&post);
            match self.cache.facts(&post.id) {
                (Some(old), _) if !old.lists_differently(&new) => {}
                (Some(old), _) => {
                    deps.extend(old.listings());
                    deps.extend(new.listings());
                }
                // Created since the facts are complete, and not in them: a new post.
                (None, complete_since) if post.created_at > complete_since => {
                    deps.extend(new.listings());
                }
                // Where it was listed before is unknown.
                (None, _) => all_listings = true,
            }
            deps.push(Dep::Post(post.id.clone()));
            self.cache.remember(&post.id, new);
        }
        for id in self.deleted_posts().await? {
            match self.cache.facts(&id).0 {
                Some(old) => deps.extend(old.listings()),
                None => all_listings = true,
            }
            self.cache.forget(&id);
            deps.push(Dep::Post(id));
        }
        let now = Utc::now();
        let live = self.store.went_live(self.live_checked, now).await?;
        self.live_checked = now;
        if !live.is_empty() {
            deps.push(Dep::Search);
        }
        if live.len() > PAGE as usize {
            // A bulk embargo lifting: cheaper to redo every listing than to read each post
            // (their own pages were 404s until now, never stored).
            all_listings = true;
        } else {
            for post in self.store.posts_by_ids(&live).await? {
                let new = Facts::of(&post);
                deps.extend(new.listings());
                deps.push(Dep::Post(post.id.clone()));
                self.cache.remember(&post.id, new);
            }
        }
        let listings_changed = all_listings || deps.iter().any(Dep::is_listing);
        let stored_settings = self.settings_fingerprint().await?;
        let site = self.site_fingerprint().await?;
        let nav = if listings_changed {
            self.nav_fingerprint().await?
        } else {
            self.nav
        };
        if stored_settings != self.stored_settings {
            // Before the pages go: a page rendered after the clear must show the new settings.
            self.settings.changed();
            // A session's class depends on settings too (the past-due grace period).
            self.cache.forget_sessions();
        }
        if stored_settings != self.stored_settings || site != self.site || nav != self.nav {
            (self.stored_settings, self.site, self.nav) = (stored_settings, site, nav);
            tracing::info!("page cache: settings, tiers or navigation changed; cleared");
            self.cache.clear();
            return Ok(());
        }
        if all_listings {
            self.cache.evict_listings();
        }
        deps.sort_by_key(|d| format!("{d:?}"));
        deps.dedup();
        self.cache.evict(&deps);
        Ok(())
    }

    /// Forgets the remembered session classes when the store's access clock has moved: a
    /// member's subscription changed or a session ended, maybe in another process.
    async fn access_changes(&mut self) -> Result<()> {
        let access = self.store.access_clock().await?;
        if access != self.access {
            self.access = access;
            self.cache.forget_sessions();
        }
        Ok(())
    }

    /// Posts written since the last pass, each once, including writes that committed late.
    async fn changed_posts(&mut self) -> Result<Vec<Post>> {
        let mut out: Vec<Post> = Vec::new();
        loop {
            let page = self.store.changed_posts(&self.position, PAGE).await?;
            let full = page.len() == PAGE as usize;
            if let Some((clock, post)) = page.last() {
                self.position = FeedPosition {
                    changed_at: *clock,
                    id: post.id.clone(),
                };
            }
            for (clock, post) in page {
                if self.seen.insert(post.id.clone(), clock) != Some(clock) {
                    out.push(post);
                }
            }
            if !full {
                break;
            }
        }
        if let Some(late) = self.position.late_window(Utc::now()) {
            for (clock, post) in self.store.changed_posts(&late, PAGE).await? {
                if self.seen.insert(post.id.clone(), clock) != Some(clock) {
                    out.push(post);
                }
            }
        }
        let horizon = self.position.changed_at - LATE_COMMIT_MICROS;
        self.seen.retain(|_, at| *at >= horizon);
        Ok(out)
    }

    async fn deleted_posts(&mut self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for (id, at) in self
            .store
            .deleted_posts(self.deleted_after - LATE_COMMIT_MICROS, PAGE)
            .await?
        {
            if self.seen_deleted.insert(id.clone(), at) != Some(at) {
                self.deleted_after = self.deleted_after.max(at);
                out.push(id);
            }
        }
        let horizon = self.deleted_after - LATE_COMMIT_MICROS;
        self.seen_deleted.retain(|_, at| *at >= horizon);
        Ok(out)
    }

    /// The stored settings: every page shows some of them (the title, the language).
    async fn settings_fingerprint(&self) -> Result<u64> {
        let mut h = DefaultHasher::new();
        self.store.settings().await?.hash(&mut h);
        Ok(h.finish())
    }

    /// Tiers, tags and authors: every page shows some of them (the navigation, kickers,
    /// bylines), and each is a small table.
    async fn site_fingerprint(&self) -> Result<u64> {
        let mut h = DefaultHasher::new();
        format!("{:?}", self.store.tiers().await?).hash(&mut h);
        format!("{:?}", self.store.tags().await?).hash(&mut h);
        format!("{:?}", self.store.authors().await?).hash(&mut h);
        Ok(h.finish())
    }

    /// The sections and topics in use: every page's navigation.
    async fn nav_fingerprint(&self) -> Result<u64> {
        let mut h = DefaultHasher::new();
        for kind in [TagKind::Section, TagKind::Topic] {
            format!("{:?}", self.store.tags_in_use(kind).await?).hash(&mut h);
        }
        Ok(h.finish())
    }
}
