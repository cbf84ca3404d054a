//! The application's state and its construction: `AppState` (what every handler and use case
//! can reach) and `build`, which opens the data directory, the database, the theme and the
//! search index, and starts the background tasks that keep them current.

use crate::cache::PageCache;
use crate::cache::follower::Follower;
use crate::config::{Config, Database};
use crate::indexer::{IndexError, Indexer, Search};
use crate::jobs::{JobSignal, Worker, WorkerHandle, WorkerSettings};
use crate::members::crypto::Signer;
use crate::members::limits::Limits;
use crate::members::mail::{MailSetupError, Mailer};
use crate::settings::LiveSettings;
use crate::webhooks::{Deliverer, DeliverySettings, Hooks};
use object_store::ObjectStore;
use render::{Theme, ThemeError};
use std::path::PathBuf;
use std::sync::Arc;
use store::{Store, StoreError};

/// What every handler can reach: one `Arc`, so the clones axum makes per request and per
/// middleware cost a reference count, not a dozen.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub store: Store,
    pub theme: Arc<Theme>,
    pub config: Arc<Config>,
    /// The site settings, read once per change.
    pub settings: LiveSettings,
    /// Signs values handed to browsers (meter cookies, gift links, CSRF).
    pub signer: Signer,
    pub mailer: Arc<Mailer>,
    pub limits: Arc<Limits>,
    /// The full-text index, kept current by `indexer`.
    pub search: Search,
    /// Rendered pages, kept current by `cache::follower`.
    pub cache: PageCache,
    /// Wakes the webhook deliverer when an event is queued.
    pub webhooks: Hooks,
    /// Where images and their variants are stored (`DATA/content/images` by default).
    pub media: Arc<dyn ObjectStore>,
    /// Wakes this process's job worker when a job is queued.
    pub jobs: JobSignal,
    /// The in-process job worker (none with `worker` off), stopped before the store closes.
    pub worker: Option<WorkerHandle>,
    /// Page views from the beacon not yet written (`analytics`), flushed every second.
    pub views: Arc<crate::analytics::Views>,
}

/// Why the site could not start; each message says what to check or change.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "cannot create the data directory {}; pass --data DIR pointing at a writable folder",
        .0.display()
    )]
    DataDir(PathBuf, #[source] std::io::Error),
    #[error("cannot open the SQLite database {}; check that the folder is writable", .0.display())]
    Sqlite(PathBuf, #[source] StoreError),
    #[error(
        "check that PostgreSQL is running and that --database-url (MASTHEAD_DATABASE_URL) is right"
    )]
    Postgres(#[source] StoreError),
    #[error("the database could not be migrated")]
    Migrate(#[source] StoreError),
    /// The theme's own error is part of the message (not a source), so whoever prints this one
    /// line tells the designer which template to fix.
    #[error("the theme in {} cannot be used: {}", .0.display(), .1)]
    Theme(PathBuf, ThemeError),
    #[error("the built-in theme is broken")]
    BuiltInTheme(#[source] ThemeError),
    #[error(
        "the stored secret_key setting is not hex; remove it and a new one is made (readers then sign in again)"
    )]
    SecretKey(#[source] hex::FromHexError),
    #[error("the page cache cannot follow the database's changes")]
    Follow(#[source] StoreError),
    #[error("webhooks cannot be delivered")]
    Webhooks(#[source] reqwest::Error),
    #[error("the media folder {} cannot be used; check that it is writable", .0.display())]
    Media(PathBuf, #[source] object_store::Error),
    #[error(transparent)]
    Mail(#[from] MailSetupError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Creates the data directory, connects to the database and applies migrations.
pub async fn open_store(config: &Config) -> Result<Store, StartError> {
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| StartError::DataDir(config.data_dir.clone(), e))?;
    let store = match &config.database {
        Database::Sqlite(path) => Store::open_sqlite(path)
            .await
            .map_err(|e| StartError::Sqlite(path.clone(), e))?,
        Database::Postgres(url) => Store::connect_postgres(url.expose())
            .await
            .map_err(StartError::Postgres)?,
    };
    store.migrate().await.map_err(StartError::Migrate)?;
    Ok(store)
}

/// Everything the router needs, from a resolved configuration. Starts the search indexer.
pub async fn build(config: Config) -> Result<AppState, StartError> {
    let store = open_store(&config).await?;
    let theme = match &config.theme_dir {
        Some(dir) => Theme::from_dir(dir).map_err(|e| StartError::Theme(dir.clone(), e))?,
        None => Theme::embedded().map_err(StartError::BuiltInTheme)?,
    };
    let signer = Signer::new(&site_secret(&store).await?);
    let mailer = Mailer::from_config(&config)?;
    let search = Search::open(&config.search_dir())?;
    let cache = PageCache::new(
        config.cache_mb,
        std::time::Duration::from_millis(config.cache_class_ttl_ms),
    );
    let settings = LiveSettings::new(store.clone(), cache.enabled());
    tokio::spawn(
        Indexer::new(store.clone(), search.clone())
            .evicting(cache.clone())
            .run(),
    );
    if cache.enabled() {
        let follower = Follower::start(store.clone(), cache.clone(), settings.clone())
            .await
            .map_err(StartError::Follow)?;
        tokio::spawn(follower.run());
    }
    let webhooks = Hooks::default();
    let deliverer = Deliverer::new(
        store.clone(),
        webhooks.clone(),
        DeliverySettings {
            public_url: config.public_url.clone(),
            retry_ms: config.webhook_retry_ms,
            allow_private: config.webhook_allow_private,
        },
    )
    .map_err(StartError::Webhooks)?;
    tokio::spawn(deliverer.run());
    let media = crate::media::storage::open(&config.media_dir())
        .map_err(|e| StartError::Media(config.media_dir(), e))?;
    let jobs = JobSignal::default();
    let worker = config
        .worker
        .then(|| start_worker(&store, &config, jobs.clone()));
    let views = Arc::new(crate::analytics::Views::default());
    views.spawn_flusher(store.clone());
    Ok(AppState::new(Shared {
        store,
        theme: Arc::new(theme),
        config: Arc::new(config),
        settings,
        signer,
        mailer: Arc::new(mailer),
        limits: Arc::new(Limits::default()),
        search,
        cache,
        webhooks,
        media,
        jobs,
        worker,
        views,
    }))
}

/// Starts a job worker on `store` running every kind this site has (`jobs::kinds`).
pub fn start_worker(store: &Store, config: &Config, signal: JobSignal) -> WorkerHandle {
    let settings =
        WorkerSettings::with_lease(std::time::Duration::from_millis(config.job_lease_ms));
    Worker::new(
        store.clone(),
        crate::jobs::kinds::registry(config),
        signal,
        settings,
    )
    .spawn()
}

/// The site's signing key: made once at random and kept in the database, so every node of a
/// cluster shares it.
async fn site_secret(store: &Store) -> Result<Vec<u8>, StartError> {
    if let Some(key) = store.settings().await?.get("secret_key") {
        return hex::decode(key).map_err(StartError::SecretKey);
    }
    let key = crate::members::crypto::random_token();
    store
        .set_setting("secret_key", &hex::encode(key.as_bytes()))
        .await?;
    Ok(key.into_bytes())
}
