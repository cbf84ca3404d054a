//! The application's state and its construction: `AppState` (what every handler and use case
//! can reach) and `build`, which opens the data directory, the database, the theme and the
//! search index, and starts the background tasks that keep them current.

use crate::cache::PageCache;
use crate::cache::follower::Follower;
use crate::config::{Config, Database};
use crate::indexer::{Indexer, Search};
use crate::members::crypto::Signer;
use crate::members::limits::Limits;
use crate::members::mail::Mailer;
use crate::settings::LiveSettings;
use crate::webhooks::{Deliverer, DeliverySettings, Hooks};
use anyhow::{Context, Result};
use render::Theme;
use std::sync::Arc;
use store::Store;

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
}

/// Creates the data directory, connects to the database and applies migrations.
pub async fn open_store(config: &Config) -> Result<Store> {
    std::fs::create_dir_all(&config.data_dir).with_context(|| {
        format!(
            "cannot create the data directory {}; pass --data DIR pointing at a writable folder",
            config.data_dir.display()
        )
    })?;
    let store = match &config.database {
        Database::Sqlite(path) => Store::open_sqlite(path).await.with_context(|| {
            format!("cannot open the SQLite database {}; check that the folder is writable", path.display())
        })?,
        Database::Postgres(url) => Store::connect_postgres(url.expose())
            .await
            .context("check that PostgreSQL is running and that --database-url (MASTHEAD_DATABASE_URL) is right")?,
    };
    store
        .migrate()
        .await
        .context("the database could not be migrated")?;
    Ok(store)
}

/// Everything the router needs, from a resolved configuration. Starts the search indexer.
pub async fn build(config: Config) -> Result<AppState> {
    let store = open_store(&config).await?;
    let theme = match &config.theme_dir {
        Some(dir) => Theme::from_dir(dir)
            .with_context(|| format!("the theme in {} cannot be used", dir.display()))?,
        None => Theme::embedded().context("the built-in theme is broken")?,
    };
    let signer = Signer::new(&site_secret(&store).await?);
    let mailer = Mailer::from_config(&config)?;
    let search = Search::open(&config.search_dir())?;
    let cache = PageCache::new(config.cache_mb);
    let settings = LiveSettings::new(store.clone(), cache.enabled());
    tokio::spawn(
        Indexer::new(store.clone(), search.clone())
            .evicting(cache.clone())
            .run(),
    );
    if cache.enabled() {
        let follower = Follower::start(store.clone(), cache.clone(), settings.clone())
            .await
            .context("the page cache cannot follow the database's changes")?;
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
    .context("webhooks cannot be delivered")?;
    tokio::spawn(deliverer.run());
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
    }))
}

/// The site's signing key: made once at random and kept in the database, so every node of a
/// cluster shares it.
async fn site_secret(store: &Store) -> Result<Vec<u8>> {
    if let Some(key) = store.settings().await?.get("secret_key") {
        return hex::decode(key).context("the stored secret_key setting is not hex");
    }
    let key = crate::members::crypto::random_token();
    store
        .set_setting("secret_key", &hex::encode(key.as_bytes()))
        .await?;
    Ok(key.into_bytes())
}
