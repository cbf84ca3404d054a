//! The real server (`masthead::http::serve::connections`, as `masthead serve` runs it) on a loopback
//! socket, and HTTP clients that connect from a chosen loopback address (Linux routes all of
//! 127.0.0.0/8 to loopback, so 127.0.0.2 and 127.0.0.3 are two clients on one machine).

use super::TestApp;
use masthead::http::serve::{Timeouts, connections};
use std::net::{IpAddr, SocketAddr};

/// Serves the app on 127.0.0.1 until the test ends; returns where.
pub async fn serve(app: &TestApp, timeouts: Timeouts) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    tokio::spawn(connections::serve(
        listener,
        router,
        timeouts,
        std::future::pending(),
    ));
    addr
}

/// A client whose connections come from `ip` (no redirects followed).
pub fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<IpAddr>().unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap()
}
