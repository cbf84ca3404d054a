//! Serving accepted connections with hyper (HTTP/1.1): every request carries its peer's
//! address (`ConnectInfo`, which abuse limits count by), a client that is slow to send a request
//! head, or idles on a kept-alive connection, is disconnected, and a shutdown lets requests in
//! flight finish. `axum::serve` offers neither the peer-by-default nor the timeouts.

use axum::Router;
use axum::extract::ConnectInfo;
use axum::middleware::AddExtension;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tower::Service;

/// How long a client may keep a connection without sending a complete request head.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// Counted from when the connection is ready for a request: when it opens, and again after
    /// each response. So it bounds both a slow request head (slowloris) and an idle keep-alive
    /// connection — hyper starts this one clock for both.
    pub request_head: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            request_head: Duration::from_secs(10),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then stops accepting and waits for the
/// open connections to finish the requests they are serving.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
) {
    let mut make = app.into_make_service_with_connect_info::<SocketAddr>();
    let (stop, stopping) = watch::channel(false);
    // Each connection holds a sender; `recv` returns `None` once the last one is dropped.
    let (open, mut all_closed) = mpsc::channel::<()>(1);
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    accept_failed(err).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = match make.call(peer).await {
            Ok(service) => service,
            Err(never) => match never {},
        };
        let (stopping, open) = (stopping.clone(), open.clone());
        tokio::spawn(async move {
            connection(stream, service, timeouts, stopping).await;
            drop(open);
        });
    }
    drop(listener);
    let _ = stop.send(true);
    drop(open);
    let _ = all_closed.recv().await;
}

/// The app as one connection serves it: the router with the peer's `ConnectInfo`.
type PerConnection = AddExtension<Router, ConnectInfo<SocketAddr>>;

/// Serves one connection until the client leaves, a timeout ends it, or the server stops.
async fn connection(
    stream: TcpStream,
    service: PerConnection,
    timeouts: Timeouts,
    mut stopping: watch::Receiver<bool>,
) {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.request_head);
    let service = TowerToHyperService::new(service);
    let mut conn = pin!(builder.serve_connection(TokioIo::new(stream), service));
    let finished = tokio::select! {
        result = conn.as_mut() => Some(result),
        _ = stopping.wait_for(|stop| *stop) => None,
    };
    let result = if let Some(result) = finished {
        result
    } else {
        conn.as_mut().graceful_shutdown();
        conn.await
    };
    if let Err(err) = result {
        // Timeouts, resets and malformed requests end here: routine, so not worth a warning.
        tracing::debug!(error = %err, "connection closed with an error");
    }
}

/// Keeps accepting after an error: a reset before accept is the client's business; running out
/// of file descriptors passes once connections close, so wait a moment rather than spin.
async fn accept_failed(err: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        err.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::warn!(error = %err, "cannot accept a connection; retrying in a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
