//! Persistence for Masthead on SQLite (embedded default) and PostgreSQL (scale-out).
//!
//! One `Store` wraps native sqlx pools for either backend. Queries are written once in SQL both
//! databases accept (`$1` placeholders, `ON CONFLICT`, `RETURNING`) and run through `on_pool!`,
//! which expands the same code for each backend. Everything returns `domain` types.

mod analytics;
mod auth;
mod authors;
mod billing;
mod browse;
mod changes;
mod clock;
mod connect;
mod error;
mod jobs;
mod keys;
mod media;
mod member_events;
mod member_import;
mod members;
mod newsletters;
mod newsroom;
mod offers;
mod posts;
pub mod query;
mod reading;
mod related;
mod resplit;
mod revisions;
mod rows;
mod settings;
mod sitemaps;
pub mod staff;
mod taxonomy;
pub mod testing;
mod tiers;
mod time;
mod webhooks;

pub use analytics::{
    CountedTop, DayCounts, Funnel, MemberCounts, PaidChange, PaidTotals, PostCount, TierRevenue,
    TopList, ViewBatch, ViewTally, day_of, day_start_micros,
};
pub use auth::{CodeAttempt, LoginToken, MAX_CODE_ATTEMPTS};
pub use billing::{StripeApplied, StripeEventRecord};
pub use browse::{Scope, Window};
pub use changes::{FeedPosition, LATE_COMMIT_MICROS, StatusChange};
pub use connect::{Backend, Db};
pub use error::StoreError;
pub use jobs::{DEFAULT_MAX_ATTEMPTS, Enqueued, Job, JobStatus, Lease, NewJob};
pub use keys::{ApiKey, KeyKind, NewKey};
pub use media::{Media, MediaPage, VariantsState};
pub use member_import::{ImportCounts, ImportMode, ImportedMember, LinkedSubscription};
pub use members::{
    Announced, LabelCount, ListedMember, MemberChanges, MemberCursor, MemberProfile, MemberQuery,
    SEEN_EVERY,
};
pub use newsletters::PostNewsletter;
pub use newsroom::{NEWSROOM_COUNT_CAP, NewsroomFilter, NewsroomSort, Stage, Total};
pub use posts::PostFilter;
pub use reading::Gift;
pub use revisions::{NO_REVISION_YET, Presence, RevisionSave, RevisionSaved};
pub use sitemaps::SitemapSource;
pub use tiers::TierEntry;
pub use webhooks::{Attempt, Delivery, Outgoing, Webhook};

/// Runs `$body` with `$p` bound to the right pool of `$db` for reading or writing.
/// SQLite has one writer connection and a pool of readers; PostgreSQL uses one pool for both.
macro_rules! on_pool {
    ($db:expr, read, |$p:ident| $body:expr) => {
        match $db {
            $crate::connect::Db::Sqlite { read: $p, .. } => $body,
            $crate::connect::Db::Postgres($p) => $body,
        }
    };
    ($db:expr, write, |$p:ident| $body:expr) => {
        match $db {
            $crate::connect::Db::Sqlite { write: $p, .. } => $body,
            $crate::connect::Db::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_pool;

/// The handle the rest of Masthead uses for persistence. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    clock: std::sync::Arc<clock::ContentClock>,
}

impl Store {
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// This process's content clock: how many writes that change what readers see (posts,
    /// settings, tiers) have committed through this `Store` and its clones.
    pub fn content_ticks(&self) -> u64 {
        self.clock.now()
    }

    /// Resolves once the content clock has moved past `seen` (at once if it already has).
    pub async fn content_changed(&self, seen: u64) {
        self.clock.changed_since(seen).await;
    }
}
