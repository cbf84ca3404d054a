//! The HTTP surface: the router, its middleware, and the public site's handlers.

pub(crate) mod admin;
mod article;
mod assets;
mod beacon;
mod billing;
mod cancel;
mod client_addr;
mod collection;
pub(crate) mod conditional;
mod csp;
mod error;
mod extract;
mod feeds;
pub(crate) mod ghost;
pub(crate) mod gifts;
mod member_form;
mod members;
mod newsroom;
mod not_found;
mod offers;
mod page_cache;
mod pages;
mod preview;
pub mod reader;
mod search;
pub mod serve;
pub mod session;
mod site;
mod sitemaps;
mod unlock;

pub use error::AppError;

use crate::config::Config;
use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::routing::{get, post};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Builds the whole application.
pub fn app(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(pages::home))
        .route("/page/{n}/", get(pages::home_page))
        .route("/tag/{slug}/", get(pages::tag))
        .route("/tag/{slug}/page/{n}/", get(pages::tag_page))
        .route("/author/{slug}/", get(pages::author))
        .route("/author/{slug}/page/{n}/", get(pages::author_page))
        .route("/rss/", get(feeds::site_feed))
        .route("/feed/", get(feeds::feed_alias))
        .route("/tag/{slug}/rss/", get(feeds::tag_feed))
        .route("/author/{slug}/rss/", get(feeds::author_feed))
        .route("/sitemap.xml", get(sitemaps::index))
        .route("/sitemap-news.xml", get(sitemaps::news))
        .route("/robots.txt", get(sitemaps::robots))
        .route("/search/", get(search::page))
        .route("/search.json", get(search::json))
        .route("/signin/", get(members::signin_page))
        .route("/signup/", get(members::signup_page))
        .route("/account/", get(members::account))
        .route("/{slug}/", get(article::post))
        // Also serves sitemap parts: `/sitemap-posts-2.xml` is one segment without a slash.
        .route("/{slug}", get(sitemaps::part_or_add_slash))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csp::code_injection,
        ))
        .layer(axum::middleware::from_fn(conditional::etag))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_cache::serve,
        ));
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route("/healthz", get(|| async { ([(header::CACHE_CONTROL, "no-store")], "ok") }))
        .route("/p/{id}/", get(preview::share))
        .route("/assets/{*path}", get(assets::theme_asset))
        .route("/logo.png", get(assets::logo))
        .route("/favicon.ico", get(assets::favicon))
        .route("/accent.css", get(assets::accent_css))
        .route("/members/signin", post(members::request_signin))
        .route("/members/signup", post(members::request_signup))
        .route("/members/verify", get(members::verify_link))
        .route("/members/verify-code", post(members::verify_code))
        .route("/members/password-signin", post(members::password_signin))
        .route("/members/signout", post(members::signout))
        .route("/members/signout-all", post(members::signout_all))
        .route("/members/checkout", get(billing::checkout))
        .route("/offers/{code}/", get(offers::landing))
        .route("/members/billing-portal", post(billing::portal))
        .route("/members/gift", post(gifts::create_gift))
        .route("/account/name", post(members::set_name))
        .route("/account/email", post(members::change_email))
        .route("/account/password", post(members::set_password))
        .route("/account/delete", post(members::delete_account))
        .route("/account/gifts/revoke", post(gifts::revoke_gift))
        .route("/account/cancel/", get(cancel::page_or_portal))
        .route("/account/cancel/accept", post(cancel::accept))
        .route("/webhooks/stripe", post(billing::webhook))
        .route("/api/views", post(beacon::record))
        .route("/content/images/{*path}", get(assets::media))
        .nest("/ghost/api", ghost::router())
        .merge(admin::router())
        .merge(newsroom::router())
        .merge(pages)
        .layer(axum::middleware::from_fn_with_state(state.clone(), not_found::themed_not_found))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), RequestIds::new()))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                }).on_response(DefaultOnResponse::new().level(Level::INFO)))
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(CompressionLayer::new().br(true).gzip(true))
                .layer(security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .layer(security_header(header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    csp::header(state.config.stripe.as_ref()),
                ))
                .layer(security_header(header::X_FRAME_OPTIONS, "SAMEORIGIN"))
                .option_layer(hsts(&state.config))
                .layer(security_header(header::CACHE_CONTROL, "no-cache")),
        )
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .with_state(state)
}

/// Request ids for log lines: this process's random prefix and a counter. A UUID per request
/// costs a `getrandom` system call, a noticeable share of serving a cached page.
#[derive(Clone)]
struct RequestIds {
    prefix: Arc<str>,
    next: Arc<std::sync::atomic::AtomicU64>,
}

impl RequestIds {
    fn new() -> RequestIds {
        RequestIds {
            prefix: Arc::from(&crate::members::crypto::random_token()[..8]),
            next: Arc::default(),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n:x}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// `Strict-Transport-Security` for a site served over https (a year, subdomains included), so
/// browsers never send its cookies over plain http again; none for an http site, where it would
/// be ignored and could only mislead.
fn hsts(config: &Config) -> Option<SetResponseHeaderLayer<HeaderValue>> {
    config.public_url.starts_with("https://").then(|| {
        security_header(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        )
    })
}
