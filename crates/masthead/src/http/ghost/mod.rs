//! Ghost-compatible APIs under `/ghost/api/`: the Content API (`/content/`), read-only, for
//! holders of a content key, and the Admin API (`/admin/`: posts, pages, tags, members, tiers, offers, webhooks, …) for admin keys. Answers carry CORS headers for any origin, `Cache-Control` and an
//! `ETag`; errors have Ghost's shape; unknown paths are Ghost-shaped 404s.

mod admin;
mod admin_auth;
mod admin_labels;
mod admin_member_events;
mod admin_member_upload;
mod admin_members;
mod admin_newsletter;
mod admin_offers;
mod admin_site;
mod admin_tags;
mod admin_tiers;
mod admin_users;
mod admin_webhooks;
mod content;
mod envelope;
mod error;
mod images;

pub use error::GhostError;

use super::conditional;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::routing::{self, get};
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

/// Ghost's own Content API answers `public, max-age=0`: shared caches may keep a copy but must
/// revalidate, which the `ETag` makes cheap.
const CONTENT_CACHE: &str = "public, max-age=0";

/// The routes under `/ghost/api`.
pub fn router() -> Router<AppState> {
    Router::new()
        .nest("/content", content_api())
        .nest("/admin", admin_api())
}

/// The Admin API: every route but `/site/` needs an admin key's token (`admin_auth`).
fn admin_api() -> Router<AppState> {
    use admin::{
        add_page, add_post, delete_page, delete_post, edit_page, edit_post, page, page_by_slug,
        pages, post, post_by_slug, posts, site,
    };
    Router::new()
        .route("/site/", get(site))
        .route("/posts/", get(posts).post(add_post))
        .route("/posts/{id}/", get(post).put(edit_post).delete(delete_post))
        .route("/posts/slug/{slug}/", get(post_by_slug))
        .route("/pages/", get(pages).post(add_page))
        .route("/pages/{id}/", get(page).put(edit_page).delete(delete_page))
        .route("/pages/slug/{slug}/", get(page_by_slug))
        .route("/tags/", get(admin_tags::browse).post(admin_tags::add))
        .route(
            "/tags/{id}/",
            get(admin_tags::read)
                .put(admin_tags::edit)
                .delete(admin_tags::delete),
        )
        .route("/tags/slug/{slug}/", get(admin_tags::read_slug))
        .route(
            "/members/",
            get(admin_members::browse).post(admin_members::add),
        )
        .route("/members/events/", get(admin_member_events::browse))
        .route(
            "/members/upload/",
            routing::post(admin_member_upload::upload)
                // The handler caps the body at the import's own limit.
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/labels/",
            get(admin_labels::browse).post(admin_labels::add),
        )
        .route(
            "/labels/{id}/",
            get(admin_labels::read)
                .put(admin_labels::edit)
                .delete(admin_labels::delete),
        )
        .route(
            "/members/{id}/",
            get(admin_members::read)
                .put(admin_members::edit)
                .delete(admin_members::delete),
        )
        .route(
            "/webhooks/",
            get(admin_webhooks::browse).post(admin_webhooks::add),
        )
        .route(
            "/webhooks/{id}/",
            routing::put(admin_webhooks::edit).delete(admin_webhooks::delete),
        )
        .route("/settings/", get(admin_site::settings))
        .route("/users/", get(admin_users::browse))
        .route("/users/{id}/", get(admin_users::by_id))
        .route("/users/slug/{slug}/", get(admin_users::by_slug))
        .route("/users/email/{email}/", get(admin_users::by_email))
        .route("/tiers/", get(admin_tiers::browse).post(admin_tiers::add))
        .route(
            "/tiers/{id}/",
            get(admin_tiers::read).put(admin_tiers::edit),
        )
        .route(
            "/offers/",
            get(admin_offers::browse).post(admin_offers::add),
        )
        .route(
            "/offers/{id}/",
            get(admin_offers::read).put(admin_offers::edit),
        )
        .route(
            "/images/upload/",
            routing::post(images::upload)
                // The handler applies the configured limit (`media_max_bytes`) itself.
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/{*rest}",
            get(|| async { GhostError::not_found("Resource") }),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("content-version"),
            HeaderValue::from_static("v6.0"),
        ))
}

fn content_api() -> Router<AppState> {
    use content::{
        author_by_id, author_by_slug, authors, page_by_id, page_by_slug, pages, post_by_id,
        post_by_slug, posts, settings, tag_by_id, tag_by_slug, tags, tiers,
    };
    Router::new()
        .route("/posts/", get(posts))
        .route("/posts/{id}/", get(post_by_id))
        .route("/posts/slug/{slug}/", get(post_by_slug))
        .route("/pages/", get(pages))
        .route("/pages/{id}/", get(page_by_id))
        .route("/pages/slug/{slug}/", get(page_by_slug))
        .route("/tags/", get(tags))
        .route("/tags/{id}/", get(tag_by_id))
        .route("/tags/slug/{slug}/", get(tag_by_slug))
        .route("/authors/", get(authors))
        .route("/authors/{id}/", get(author_by_id))
        .route("/authors/slug/{slug}/", get(author_by_slug))
        .route("/tiers/", get(tiers))
        .route("/settings/", get(settings))
        // A route rather than a fallback: the site's own fallback (the theme's 404 page) would
        // otherwise answer unknown API paths.
        .route(
            "/{*rest}",
            get(|| async { GhostError::not_found("Resource") }),
        )
        .layer(axum::middleware::from_fn(conditional::etag))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CONTENT_CACHE),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("content-version"),
            HeaderValue::from_static("v6.0"),
        ))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::HEAD, Method::OPTIONS])
                .allow_headers([
                    header::ACCEPT,
                    header::CONTENT_TYPE,
                    header::AUTHORIZATION,
                    HeaderName::from_static("accept-version"),
                ])
                .max_age(std::time::Duration::from_hours(24)),
        )
}
