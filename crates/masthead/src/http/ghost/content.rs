//! The Content API handlers: posts, pages, tags, authors, tiers and settings, read-only and
//! for anonymous readers. Each handler: check the key → parse parameters → query the store →
//! project through the access gate (posts) → shape as Ghost does.

use super::error::GhostError;
use super::params::{self, Params, pagination};
use super::shapes;
use crate::ghost::fields;
use crate::http::AppState;
use crate::http::extract::Segments;
use crate::members::crypto;
use axum::Json;
use axum::extract::{RawQuery, State};
use chrono::{DateTime, Utc};
use domain::access::{Viewer, project};
use domain::{Access, Post, PostKind};
use serde_json::{Value, json};
use store::query::{AuthorField, Cond, PostField, TagField, Test, Value as V};
use store::{KeyKind, Scope};

type Reply = Result<Json<Value>, GhostError>;

/// Checks the content key, then parses the other parameters (a stranger learns nothing about
/// them).
async fn authorized(state: &AppState, query: Option<&str>) -> Result<Params, GhostError> {
    let key = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "key")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    if key.is_empty() {
        return Err(GhostError::unauthorized(
            "Authorization failed",
            Some(
                "Unable to determine the authenticated member or integration. Check the supplied Content API Key and ensure cookies are being passed through if member auth is failing.",
            ),
        ));
    }
    let hash = crypto::hash(&key);
    match state.store.live_api_key(KeyKind::Content, &hash).await? {
        Some(_) => Params::parse(query),
        None => Err(GhostError::unauthorized("Unknown Content API Key", None)),
    }
}

fn resource(kind: PostKind) -> (&'static str, &'static str) {
    match kind {
        PostKind::Post => ("posts", "Post"),
        PostKind::Page => ("pages", "Page"),
    }
}

async fn browse_posts(state: &AppState, kind: PostKind, query: Option<&str>) -> Reply {
    let params = authorized(state, query).await?;
    let now = Utc::now();
    let filter = params.condition(fields::post, now)?;
    let sort = params.sort(fields::post_order)?;
    let store = &state.store;
    let scope = Scope::Live(now);
    let total = store.count_posts_matching(kind, scope, &filter).await?;
    let posts = store
        .browse_posts(kind, scope, &filter, &sort, params.window())
        .await?;
    let shaped = shape_posts(state, &posts, &params, now).await?;
    let (name, _) = resource(kind);
    Ok(Json(
        json!({ name: shaped, "meta": pagination(&params, total) }),
    ))
}

async fn shape_posts(
    state: &AppState,
    posts: &[Post],
    params: &Params,
    now: DateTime<Utc>,
) -> Result<Vec<Value>, GhostError> {
    let tiers = if params.includes("tiers") {
        state.store.tiers().await?
    } else {
        vec![]
    };
    let base = &state.config.public_url;
    // The anonymous reader's view: a content key is no member, so gated posts show their free
    // part only, exactly as the site's own pages and feeds do.
    let viewer = Viewer::anonymous();
    Ok(posts
        .iter()
        .map(|p| project(p, &viewer, now))
        .filter(|v| v.access != Access::Denied)
        .map(|v| shapes::post(&v, base, params, &tiers))
        .collect())
}

async fn read_post(
    state: &AppState,
    kind: PostKind,
    by: PostField,
    value: String,
    query: Option<&str>,
) -> Reply {
    let params = authorized(state, query).await?;
    let now = Utc::now();
    let (name, label) = resource(kind);
    let filter = Cond::Test {
        field: by,
        negated: false,
        test: Test::Eq(V::Text(value)),
    };
    let window = store::Window {
        limit: 1,
        offset: 0,
    };
    let posts = state
        .store
        .browse_posts(kind, Scope::Live(now), &filter, &[], window)
        .await?;
    let shaped = shape_posts(state, &posts, &params, now).await?;
    if shaped.is_empty() {
        return Err(GhostError::not_found(label));
    }
    Ok(Json(json!({ name: shaped })))
}

pub async fn posts(State(state): State<AppState>, RawQuery(q): RawQuery) -> Reply {
    browse_posts(&state, PostKind::Post, q.as_deref()).await
}

pub async fn pages(State(state): State<AppState>, RawQuery(q): RawQuery) -> Reply {
    browse_posts(&state, PostKind::Page, q.as_deref()).await
}

pub async fn post_by_id(
    State(state): State<AppState>,
    Segments(id): Segments<String>,
    RawQuery(q): RawQuery,
) -> Reply {
    read_post(&state, PostKind::Post, PostField::Id, id, q.as_deref()).await
}

pub async fn post_by_slug(
    State(state): State<AppState>,
    Segments(slug): Segments<String>,
    RawQuery(q): RawQuery,
) -> Reply {
    read_post(&state, PostKind::Post, PostField::Slug, slug, q.as_deref()).await
}

pub async fn page_by_id(
    State(state): State<AppState>,
    Segments(id): Segments<String>,
    RawQuery(q): RawQuery,
) -> Reply {
    read_post(&state, PostKind::Page, PostField::Id, id, q.as_deref()).await
}

pub async fn page_by_slug(
    State(state): State<AppState>,
    Segments(slug): Segments<String>,
    RawQuery(q): RawQuery,
) -> Reply {
    read_post(&state, PostKind::Page, PostField::Slug, slug, q.as_deref()).await
}

/// Tags: `filter` on id, slug, name, visibility; `include=count.posts`.
async fn tag_list(
    state: &AppState,
    params: &Params,
    filter: &Cond<TagField>,
) -> Result<(Vec<Value>, u64), GhostError> {
    let now = Utc::now();
    let sort = params.sort(fields::tag)?;
    let (tags, total) = state
        .store
        .browse_tags(filter, &sort, params.window())
        .await?;
    let counts = if params.includes("count.posts") {
        let ids: Vec<String> = tags.iter().map(|t| t.id.clone()).collect();
        Some(state.store.live_posts_per_tag(&ids, now).await?)
    } else {
        None
    };
    let base = &state.config.public_url;
    let shaped = tags
        .iter()
        .map(|t| {
            Value::Object(shapes::only_fields(
                shapes::tag(t, base, &counts),
                &params.fields,
            ))
        })
        .collect();
    Ok((shaped, total))
}

pub async fn tags(State(state): State<AppState>, RawQuery(q): RawQuery) -> Reply {
    let params = authorized(&state, q.as_deref()).await?;
    let filter = params.condition(fields::tag, Utc::now())?;
    let (tags, total) = tag_list(&state, &params, &filter).await?;
    Ok(Json(
        json!({ "tags": tags, "meta": pagination(&params, total) }),
    ))
}

async fn read_tag(state: &AppState, field: TagField, value: String, q: Option<&str>) -> Reply {
    let mut params = authorized(state, q).await?;
    params.limit = 1;
    params.page = 1;
    let filter = Cond::Test {
        field,
        negated: false,
        test: Test::Eq(V::Text(value)),
    };
    let (tags, _) = tag_list(state, &params, &filter).await?;
    if tags.is_empty() {
        return Err(GhostError::not_found("Tag"));
    }
    Ok(Json(json!({ "tags": tags })))
}

pub async fn tag_by_id(
    State(state): State<AppState>,
    Segments(id): Segments<String>,
    RawQuery(q): RawQuery,
) -> Reply {
    read_tag(&state, TagField::Id, id, q.as_deref()).await
}

pub async fn tag_by_slug(
    State(state): State<AppState>,
    Segments(slug): Segments<String>,
    RawQuery(q): RawQuery,
) -> Reply {
    read_tag(&state, TagField::Slug, slug, q.as_deref()).await
}

/// Authors: `filter` on id, slug, name; `include=count.posts`.
async fn author_list(
    state: &AppState,
    params: &Params,
    filter: &Cond<AuthorField>,
) -> Result<(Vec<Value>, u64), GhostError> {
    let now = Utc::now();
    let sort = params.sort(fields::author)?;
    let (authors, total) = state
        .store
        .browse_authors(filter, &sort, params.window())
        .await?;
    let counts = if params.includes("count.posts") {
        let ids: Vec<String> = authors.iter().map(|a| a.id.clone()).collect();
        Some(state.store.live_posts_per_author(&ids, now).await?)
    } else {
        None
    };
    let base = &state.config.public_url;
    let shaped = authors
        .iter()
        .map(|a| {
            Value::Object(shapes::only_fields(
                shapes::author(a, base, &counts),
                &params.fields,
            ))
        })
        .collect();
    Ok((shaped, total))
}

pub async fn authors(State(state): State<AppState>, RawQuery(q): RawQuery) -> Reply {
    let params = authorized(&state, q.as_deref()).await?;
    let filter = params.condition(fields::author, Utc::now())?;
    let (authors, total) = author_list(&state, &params, &filter).await?;
    Ok(Json(
        json!({ "authors": authors, "meta": pagination(&params, total) }),
    ))
}

async fn read_author(
    state: &AppState,
    field: AuthorField,
    value: String,
    q: Option<&str>,
) -> Reply {
    let mut params = authorized(state, q).await?;
    params.limit = 1;
    params.page = 1;
    let filter = Cond::Test {
        field,
        negated: false,
        test: Test::Eq(V::Text(value)),
    };
    let (authors, _) = author_list(state, &params, &filter).await?;
    if authors.is_empty() {
        return Err(GhostError::not_found("Author"));
    }
    Ok(Json(json!({ "authors": authors })))
}

pub async fn author_by_id(
    State(state): State<AppState>,
    Segments(id): Segments<String>,
    RawQuery(q): RawQuery,
) -> Reply {
    read_author(&state, AuthorField::Id, id, q.as_deref()).await
}

pub async fn author_by_slug(
    State(state): State<AppState>,
    Segments(slug): Segments<String>,
    RawQuery(q): RawQuery,
) -> Reply {
    read_author(&state, AuthorField::Slug, slug, q.as_deref()).await
}

/// Tiers: every active tier, free first (a handful; no filter).
pub async fn tiers(State(state): State<AppState>, RawQuery(q): RawQuery) -> Reply {
    let mut params = authorized(&state, q.as_deref()).await?;
    let tiers: Vec<Value> = state
        .store
        .tiers()
        .await?
        .iter()
        .map(|t| Value::Object(shapes::only_fields(shapes::tier(t), &params.fields)))
        .collect();
    params.limit = params::MAX_LIMIT;
    let total = tiers.len() as u64;
    Ok(Json(
        json!({ "tiers": tiers, "meta": pagination(&params, total) }),
    ))
}

/// Settings: the public site settings only (never the signing key or meter settings).
pub async fn settings(State(state): State<AppState>, RawQuery(q): RawQuery) -> Reply {
    let params = authorized(&state, q.as_deref()).await?;
    let site = crate::http::site::load(&state)
        .await
        .map_err(GhostError::internal)?;
    let base = &state.config.public_url;
    let navigation: Vec<Value> = site
        .sections
        .iter()
        .map(|t| json!({ "label": t.name, "url": render::context::tag_url(t.slug.as_str()) }))
        .collect();
    let settings = json!({
        "title": site.title,
        "description": site.description,
        "logo": shapes::absolute(base, &site.logo.url),
        "icon": null,
        "accent_color": null,
        "cover_image": null,
        "facebook": null,
        "twitter": null,
        "lang": site.language,
        "locale": site.language,
        "timezone": "Etc/UTC",
        "codeinjection_head": null,
        "codeinjection_foot": null,
        "navigation": navigation,
        "secondary_navigation": [],
        "meta_title": null,
        "meta_description": null,
        "og_image": null, "og_title": null, "og_description": null,
        "twitter_image": null, "twitter_title": null, "twitter_description": null,
        "members_support_address": null,
        "url": format!("{base}/"),
    });
    let settings = Value::Object(shapes::only_fields(settings, &params.fields));
    Ok(Json(json!({ "settings": settings, "meta": {} })))
}
