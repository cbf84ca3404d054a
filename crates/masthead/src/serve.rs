//! Opening the site (data directory, database, theme) and serving it until SIGINT or SIGTERM.

use crate::cache::PageCache;
use crate::cache::follower::Follower;
use crate::config::{Config, Database};
use crate::http::{AppState, Shared, app};
use crate::indexer::{Indexer, Search};
use crate::members::{crypto::Signer, limits::Limits, mail::Mailer};
use crate::webhooks::{Deliverer, Hooks};
use anyhow::{Context, Result};
use render::Theme;
use std::sync::Arc;
use store::Store;
use tokio::net::TcpListener;

pub mod connections;
pub use connections::Timeouts;

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
pub async fn state(config: Config) -> Result<AppState> {
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
    tokio::spawn(
        Indexer::new(store.clone(), search.clone())
            .evicting(cache.clone())
            .run(),
    );
    if cache.enabled() {
        let follower = Follower::start(store.clone(), cache.clone())
            .await
            .context("the page cache cannot follow the database's changes")?;
        tokio::spawn(follower.run());
    }
    let state = AppState::new(Shared {
        store,
        theme: Arc::new(theme),
        config: Arc::new(config),
        signer,
        mailer: Arc::new(mailer),
        limits: Arc::new(Limits::default()),
        search,
        cache,
        webhooks: Hooks::default(),
    });
    let deliverer = Deliverer::new(state.clone()).context("webhooks cannot be delivered")?;
    tokio::spawn(deliverer.run());
    Ok(state)
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

/// Binds the address and serves until a shutdown signal, then closes the database cleanly.
pub async fn run(state: AppState) -> Result<()> {
    let addr = state.config.addr;
    // Before the port opens: a client may connect and the signal arrive at once.
    let shutdown = shutdown_signal()?;
    let listener = TcpListener::bind(addr).await.with_context(|| {
        format!("cannot listen on {addr} (is another server using it?); stop it or pass --addr with a free port")
    })?;
    let local = listener.local_addr()?;
    tracing::info!(addr = %local, url = %state.config.public_url, "serving");
    println!(
        "Masthead is running at {}/ (press Ctrl+C to stop)",
        state.config.public_url
    );
    let (store, search, cache) = (
        state.store.clone(),
        state.search.clone(),
        state.cache.clone(),
    );
    connections::serve(listener, app(state), Timeouts::default(), shutdown).await;
    search.close();
    cache.close();
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed when this is called, not when the
/// future is first polled, so a signal that arrives right after the port opens still stops the
/// server gracefully rather than killing it.
fn shutdown_signal() -> Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    let (mut int, mut term) = {
        use tokio::signal::unix::{SignalKind, signal};
        let install = |kind| signal(kind).context("cannot install the shutdown signal handlers");
        (
            install(SignalKind::interrupt())?,
            install(SignalKind::terminate())?,
        )
    };
    Ok(async move {
        #[cfg(unix)]
        tokio::select! { _ = int.recv() => {}, _ = term.recv() => {} }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    })
}
