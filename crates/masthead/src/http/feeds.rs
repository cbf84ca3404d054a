//! RSS feeds: the latest posts of the site (`/rss/`, also `/feed/`), of a tag and of an author,
//! always as an anonymous reader sees them, whoever asks.

use super::AppError;
use super::collection::{Collection, Of};
use super::extract::Segments;
use super::pages::{PUBLIC_CACHE, slug, views};
use super::site::load;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use domain::Viewer;
use render::context::{RSS_URL, SiteInfo};
use render::feed::{FeedInfo, rss};
use store::PostFilter;

/// How many posts a feed carries.
pub const FEED_SIZE: u32 = 20;
const RSS_TYPE: &str = "application/rss+xml; charset=utf-8";

/// `/rss/`: the whole site.
pub async fn site_feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let site = load(&state).await?;
    let info = FeedInfo {
        title: site.title.clone(),
        description: site.description.clone(),
        page: "/".into(),
        feed: RSS_URL.into(),
    };
    respond(&state, &site, &PostFilter::posts(), &info).await
}

/// `/feed/`: the name other platforms use. A 301 (which every feed reader follows and most
/// remember) rather than a copy, so each reader ends up subscribed to the one canonical URL.
pub async fn feed_alias() -> Response {
    (
        StatusCode::MOVED_PERMANENTLY,
        [
            (header::LOCATION, RSS_URL),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
    )
        .into_response()
}

/// `/tag/{slug}/rss/`.
pub async fn tag_feed(
    State(state): State<AppState>,
    Segments(raw): Segments<String>,
) -> Result<Response, AppError> {
    collection_feed(&state, Of::Tag, &raw).await
}

/// `/author/{slug}/rss/`.
pub async fn author_feed(
    State(state): State<AppState>,
    Segments(raw): Segments<String>,
) -> Result<Response, AppError> {
    collection_feed(&state, Of::Author, &raw).await
}

/// A tag's or an author's feed, described as its page is.
async fn collection_feed(state: &AppState, of: Of, raw: &str) -> Result<Response, AppError> {
    let collection = Collection::load(&state.store, of, slug(raw)?).await?;
    let site = load(state).await?;
    let info = collection.feed_info(&site.title);
    respond(state, &site, &collection.filter, &info).await
}

async fn respond(
    state: &AppState,
    site: &SiteInfo,
    filter: &PostFilter,
    info: &FeedInfo,
) -> Result<Response, AppError> {
    super::pages::depends_on_listing(filter);
    let posts = state
        .store
        .list_posts(filter, FEED_SIZE, 0, site.now)
        .await?;
    let xml = rss(info, site, &views(&posts, &Viewer::anonymous(), site.now));
    let modified = state.store.last_modified().await?;
    Ok(public_text(RSS_TYPE, xml, modified))
}

/// A document every reader gets alike: shared-cacheable, with `Last-Modified` for conditional
/// GET (the `ETag` is added by `conditional::etag`).
pub(super) fn public_text(
    content_type: &'static str,
    body: String,
    modified: Option<DateTime<Utc>>,
) -> Response {
    let mut res = (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, PUBLIC_CACHE),
        ],
        body,
    )
        .into_response();
    if let Some(v) = modified.and_then(|at| httpdate::fmt_http_date(at.into()).parse().ok()) {
        res.headers_mut().insert(header::LAST_MODIFIED, v);
    }
    res
}
