//! HTTP behaviour: caching headers, conditional GET, compression, security headers, errors.

use crate::helpers::TestApp;
use axum::http::{Method, StatusCode};

#[tokio::test]
async fn every_response_has_cache_control_and_security_headers() {
    let app = TestApp::demo().await;
    let article = app
        .get("/")
        .await
        .attrs("main a[href^='/']", "href")
        .into_iter()
        .find(|h| !h.starts_with("/tag/") && !h.starts_with("/author/") && h != "/")
        .unwrap();
    let css = app
        .get("/")
        .await
        .attrs("link[rel=stylesheet]", "href")
        .remove(0);
    let image = app.get(&article).await.attrs("figure img", "src").remove(0);
    for path in [
        "/",
        article.as_str(),
        css.as_str(),
        image.as_str(),
        "/healthz",
        "/no-such-page/",
        "/tag/china/",
        "/search/?q=china",
    ] {
        let res = app.get(path).await;
        assert!(
            !res.header("cache-control").is_empty(),
            "{path} has no Cache-Control"
        );
        assert_eq!(res.header("x-content-type-options"), "nosniff", "{path}");
        assert!(
            res.header("content-security-policy")
                .contains("frame-ancestors 'self'"),
            "{path}"
        );
        assert!(!res.header("referrer-policy").is_empty(), "{path}");
        assert!(
            !res.header("x-request-id").is_empty(),
            "{path} has no request id"
        );
    }
    let post = app.request(Method::POST, "/", &[]).await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(!post.header("cache-control").is_empty());
}

#[tokio::test]
async fn pages_answer_conditional_gets_with_304() {
    let app = TestApp::demo().await;
    for path in ["/", "/tag/china/", "/about/"] {
        let first = app.get(path).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        let etag = first.header("etag").to_owned();
        assert!(etag.starts_with("W/\""), "{path} etag {etag}");
        let again = app
            .request(Method::GET, path, &[("if-none-match", &etag)])
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), etag);
        let other = app
            .request(Method::GET, path, &[("if-none-match", "W/\"stale\"")])
            .await;
        assert_eq!(other.status, StatusCode::OK);

        let modified = first.header("last-modified").to_owned();
        assert!(!modified.is_empty(), "{path} has no Last-Modified");
        let since = app
            .request(Method::GET, path, &[("if-modified-since", &modified)])
            .await;
        assert_eq!(since.status, StatusCode::NOT_MODIFIED, "{path}");
        let old = app
            .request(
                Method::GET,
                path,
                &[("if-modified-since", "Mon, 01 Jan 2001 00:00:00 GMT")],
            )
            .await;
        assert_eq!(old.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn text_is_compressed_with_brotli_or_gzip() {
    let app = TestApp::demo().await;
    let br = app
        .request(Method::GET, "/", &[("accept-encoding", "br")])
        .await;
    assert_eq!(br.header("content-encoding"), "br");
    let gz = app
        .request(Method::GET, "/", &[("accept-encoding", "gzip")])
        .await;
    assert_eq!(gz.header("content-encoding"), "gzip");
    let plain = app.get("/").await;
    assert!(plain.header("content-encoding").is_empty());
    assert!(plain.body.contains("</html>"));
}

#[tokio::test]
async fn fingerprinted_assets_are_immutable() {
    let app = TestApp::demo().await;
    let css = app
        .get("/")
        .await
        .attrs("link[rel=stylesheet]", "href")
        .remove(0);
    assert!(css.contains("?v="), "{css}");
    let res = app.get(&css).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header("content-type").starts_with("text/css"));
    assert!(res.header("cache-control").contains("immutable"));
    assert!(
        res.body.len() < 20 * 1024,
        "theme CSS is {} bytes",
        res.body.len()
    );
    let unversioned = app.get(css.split('?').next().unwrap()).await;
    assert!(!unversioned.header("cache-control").contains("immutable"));
    assert_eq!(
        app.get("/assets/no/such.css").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/assets/../Cargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bad_paths_get_404_never_500() {
    let app = TestApp::demo().await;
    for path in [
        "/no-such-post/",
        "/tag/no-such-tag/",
        "/author/nobody/",
        "/tag/Bad%20Slug/",
        "/%ff%fe/",
        "/page/0/",
        "/page/1/",
        "/page/abc/",
        "/page/99999/",
        "/tag/china/page/500/",
        "/a/b/c/d/",
        "/content/images/../../masthead.db",
        "/content/images/nothing.jpg",
        // Served since issue 13 (`seo::the_favicon_is_served_linked_and_can_be_replaced`).
        "/apple-touch-icon.png",
        "/search/?q=%00%ff",
        "/x.php",
    ] {
        let res = app.get(path).await;
        assert!(
            res.status == StatusCode::NOT_FOUND
                || (path.starts_with("/search") && res.status == StatusCode::OK),
            "{path}: {}",
            res.status
        );
    }
    let nf = app.get("/no-such-post/").await;
    assert!(nf.body.contains("<form"), "the 404 page offers search");
    let redirect = app.get("/about").await;
    assert_eq!(redirect.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(redirect.header("location"), "/about/");
    assert_eq!(
        app.request(Method::DELETE, "/about/", &[]).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        app.request(Method::HEAD, "/about/", &[]).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn served_over_a_real_socket() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::demo().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(axum::serve(listener, app.router.clone()).into_future());
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.ends_with("ok"), "{reply}");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.unwrap();
    assert!(reply.contains("The Meridian Review"), "home page over TCP");
    server.abort();
}

/// A quick request-head timeout, so the tests below end soon; what they assert is that the
/// connection is closed at all (without the timeout it never is).
fn quick() -> masthead::http::serve::Timeouts {
    masthead::http::serve::Timeouts {
        request_head: std::time::Duration::from_millis(300),
    }
}

/// Reads until the server closes the connection; panics if it is still open after 30 s.
async fn until_closed(stream: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut reply = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        stream.read_to_end(&mut reply),
    )
    .await;
    assert!(read.is_ok(), "the server kept the connection open");
    String::from_utf8_lossy(&reply).into_owned()
}

#[tokio::test]
async fn a_client_that_stalls_in_its_request_line_is_disconnected() {
    use tokio::io::AsyncWriteExt;
    let app = TestApp::empty().await;
    let addr = crate::helpers::socket::serve(&app, quick()).await;
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"GET /heal").await.unwrap();
    let reply = until_closed(&mut stream).await;
    assert!(!reply.contains(" 200 "), "{reply}");
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::empty().await;
    let addr = crate::helpers::socket::serve(&app, quick()).await;
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut reply = Vec::new();
    while !reply.ends_with(b"\r\n\r\nok") {
        let mut chunk = [0; 1024];
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "closed before the response");
        reply.extend_from_slice(&chunk[..n]);
    }
    assert!(reply.starts_with(b"HTTP/1.1 200"));
    // The response kept the connection alive; sending nothing more, it is closed.
    assert_eq!(until_closed(&mut stream).await, "");
}

#[tokio::test]
async fn https_sites_send_strict_transport_security_and_http_sites_do_not() {
    let paths = ["/", "/healthz", "/no-such-page/", "/signin/", "/robots.txt"];
    let https = TestApp::empty().await;
    assert!(https.state.config.public_url.starts_with("https://"));
    for path in paths {
        let res = https.get(path).await;
        assert_eq!(
            res.header("strict-transport-security"),
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
    let refused = https.post_form("/members/signin", "", &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.header("strict-transport-security").is_empty());

    let http = TestApp::boot_with(tempfile::tempdir().unwrap(), |c| masthead::config::Config {
        public_url: "http://news.example".into(),
        ..c
    })
    .await;
    for path in paths {
        let res = http.get(path).await;
        assert_eq!(res.header("strict-transport-security"), "", "{path}");
    }
}
