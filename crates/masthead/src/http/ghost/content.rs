//! The Content API handlers: posts, pages, tags, authors, tiers and settings, read-only and
//! for anonymous readers. Each handler: check the key → parse parameters → query the store →
//! project through the access gate (posts) → shape as Ghost does.

use super::error::GhostError;
use crate::ghost::fields;
use crate::ghost::params::{self, Params, pagination};
use crate::ghost::shapes;
use crate::http::extract::Segments;
use crate::members::crypto;
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use chrono::{DateTime, Utc};
use domain::access::{Viewer, project};
use domain::{Access, Author, Post, PostKind, Tag};
use serde_json::{Value, json};
use std::collections::HashMap;
use store::query::{AuthorField, Cond, Field, PostField, Sort, TagField, Test, Value as V};
use store::{KeyKind, Scope, Store, StoreError, Window};

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
        Some(_) => Ok(Params::parse(query)?),
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

/// Tags and authors: the Content API lists, reads and counts them alike.
trait Taxonomy: Sized {
    type Field: Field;
    /// The list's name in answers ("tags") and the resource's in errors ("Tag").
    const NAMES: (&'static str, &'static str);
    /// The fields `filter` and `order` may name.
    fn field(name: &str) -> Option<Self::Field>;
    fn id(&self) -> &str;
    fn shape(&self, base: &str, counts: &shapes::Counts) -> Value;
    async fn browse(
        store: &Store,
        filter: &Cond<Self::Field>,
        sort: &[Sort<Self::Field>],
        window: Window,
    ) -> Result<(Vec<Self>, u64), StoreError>;
    async fn live_posts(
        store: &Store,
        ids: &[String],
        now: DateTime<Utc>,
    ) -> Result<HashMap<String, u64>, StoreError>;
}

/// Tags: `filter` on id, slug, name, visibility; `include=count.posts`.
impl Taxonomy for Tag {
    type Field = TagField;
    const NAMES: (&'static str, &'static str) = ("tags", "Tag");
    fn field(name: &str) -> Option<TagField> {
        fields::tag(name)
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn shape(&self, base: &str, counts: &shapes::Counts) -> Value {
        shapes::tag(self, base, counts)
    }
    async fn browse(
        store: &Store,
        filter: &Cond<TagField>,
        sort: &[Sort<TagField>],
        window: Window,
    ) -> Result<(Vec<Tag>, u64), StoreError> {
        store.browse_tags(filter, sort, window).await
    }
    async fn live_posts(
        store: &Store,
        ids: &[String],
        now: DateTime<Utc>,
    ) -> Result<HashMap<String, u64>, StoreError> {
        store.live_posts_per_tag(ids, now).await
    }
}

/// Authors: `filter` on id, slug, name; `include=count.posts`.
impl Taxonomy for Author {
    type Field = AuthorField;
    const NAMES: (&'static str, &'static str) = ("authors", "Author");
    fn field(name: &str) -> Option<AuthorField> {
        fields::author(name)
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn shape(&self, base: &str, counts: &shapes::Counts) -> Value {
        shapes::author(self, base, counts)
    }
    async fn browse(
        store: &Store,
        filter: &Cond<AuthorField>,
        sort: &[Sort<AuthorField>],
        window: Window,
    ) -> Result<(Vec<Author>, u64), StoreError> {
        store.browse_authors(filter, sort, window).await
    }
    async fn live_posts(
        store: &Store,
        ids: &[String],
        now: DateTime<Utc>,
    ) -> Result<HashMap<String, u64>, StoreError> {
        store.live_posts_per_author(ids, now).await
    }
}

/// One page of tags or authors matching `filter`, shaped, and their total.
async fn taxonomy_list<T: Taxonomy>(
    state: &AppState,
    params: &Params,
    filter: &Cond<T::Field>,
) -> Result<(Vec<Value>, u64), GhostError> {
    let sort = params.sort(T::field)?;
    let (items, total) = T::browse(&state.store, filter, &sort, params.window()).await?;
    let counts = if params.includes("count.posts") {
        let ids: Vec<String> = items.iter().map(|i| i.id().to_owned()).collect();
        Some(T::live_posts(&state.store, &ids, Utc::now()).await?)
    } else {
        None
    };
    let base = &state.config.public_url;
    let shaped = items
        .iter()
        .map(|i| Value::Object(shapes::only_fields(i.shape(base, &counts), &params.fields)))
        .collect();
    Ok((shaped, total))
}

async fn browse_taxonomy<T: Taxonomy>(state: &AppState, q: Option<&str>) -> Reply {
    let params = authorized(state, q).await?;
    let filter = params.condition(T::field, Utc::now())?;
    let (items, total) = taxonomy_list::<T>(state, &params, &filter).await?;
    let (name, _) = T::NAMES;
    Ok(Json(
        json!({ name: items, "meta": pagination(&params, total) }),
    ))
}

async fn read_taxonomy<T: Taxonomy>(
    state: &AppState,
    field: T::Field,
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
    let (items, _) = taxonomy_list::<T>(state, &params, &filter).await?;
    let (name, singular) = T::NAMES;
    if items.is_empty() {
        return Err(GhostError::not_found(singular));
    }
    Ok(Json(json!({ name: items })))
}

pub async fn tags(State(state): State<AppState>, RawQuery(q): RawQuery) -> Reply {
    browse_taxonomy::<Tag>(&state, q.as_deref()).await
}

pub async fn tag_by_id(
    State(state): State<AppState>,
    Segments(id): Segments<String>,
    RawQuery(q): RawQuery,
) -> Reply {
    read_taxonomy::<Tag>(&state, TagField::Id, id, q.as_deref()).await
}

pub async fn tag_by_slug(
    State(state): State<AppState>,
    Segments(slug): Segments<String>,
    RawQuery(q): RawQuery,
) -> Reply {
    read_taxonomy::<Tag>(&state, TagField::Slug, slug, q.as_deref()).await
}

pub async fn authors(State(state): State<AppState>, RawQuery(q): RawQuery) -> Reply {
    browse_taxonomy::<Author>(&state, q.as_deref()).await
}

pub async fn author_by_id(
    State(state): State<AppState>,
    Segments(id): Segments<String>,
    RawQuery(q): RawQuery,
) -> Reply {
    read_taxonomy::<Author>(&state, AuthorField::Id, id, q.as_deref()).await
}

pub async fn author_by_slug(
    State(state): State<AppState>,
    Segments(slug): Segments<String>,
    RawQuery(q): RawQuery,
) -> Reply {
    read_taxonomy::<Author>(&state, AuthorField::Slug, slug, q.as_deref()).await
}

/// Tiers: every active tier in the sign-up page's order (a handful; no filter), each with its
/// `visibility` there (`public`, or `none` for a tier kept off the sign-up page).
pub async fn tiers(State(state): State<AppState>, RawQuery(q): RawQuery) -> Reply {
    let mut params = authorized(&state, q.as_deref()).await?;
    let tiers: Vec<Value> = state
        .store
        .tier_entries()
        .await?
        .iter()
        .filter(|e| e.tier.active)
        .map(|e| Value::Object(shapes::only_fields(shapes::tier_entry(e), &params.fields)))
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
    let navigation = render::context::navigation(&site);
    let settings = json!({
        "title": site.title,
        "description": site.description,
        "logo": shapes::absolute(base, &site.logo.url),
        "icon": shapes::absolute(base, &site.icon),
        "accent_color": site.accent,
        "cover_image": null,
        "facebook": null,
        "twitter": null,
        "lang": site.language,
        "locale": site.language,
        "timezone": "Etc/UTC",
        "codeinjection_head": Some(&site.code_head).filter(|c| !c.is_empty()),
        "codeinjection_foot": Some(&site.code_foot).filter(|c| !c.is_empty()),
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
