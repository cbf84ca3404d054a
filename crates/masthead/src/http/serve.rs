//! Serving the site until SIGINT or SIGTERM, then closing the database cleanly.

use super::app;
use crate::state::AppState;
use std::net::SocketAddr;
use tokio::net::TcpListener;

pub mod connections;
pub use connections::Timeouts;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "cannot listen on {0} (is another server using it?); stop it or pass --addr with a free port"
    )]
    Listen(SocketAddr, #[source] std::io::Error),
    #[error("cannot install the shutdown signal handlers")]
    Signals(#[source] std::io::Error),
}

/// Binds the address and serves until a shutdown signal, then closes the database cleanly.
pub async fn run(state: AppState) -> Result<(), ServeError> {
    let addr = state.config.addr;
    // Before the port opens: a client may connect and the signal arrive at once.
    let shutdown = shutdown_signal()?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| ServeError::Listen(addr, e))?;
    let local = listener
        .local_addr()
        .map_err(|e| ServeError::Listen(addr, e))?;
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
    let worker = state.worker.clone();
    let views = state.views.clone();
    connections::serve(listener, app(state), Timeouts::default(), shutdown).await;
    if let Some(worker) = worker {
        worker.stop().await;
    }
    views.stop();
    if let Err(e) = views.flush(&store).await {
        tracing::warn!(error = %crate::telemetry::chain(&e), "last page views lost");
    }
    search.close();
    cache.close();
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed when this is called, not when the
/// future is first polled, so a signal that arrives right after the port opens still stops the
/// server gracefully rather than killing it.
fn shutdown_signal() -> Result<impl Future<Output = ()>, ServeError> {
    #[cfg(unix)]
    let (mut int, mut term) = {
        use tokio::signal::unix::{SignalKind, signal};
        let install = |kind| signal(kind).map_err(ServeError::Signals);
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
