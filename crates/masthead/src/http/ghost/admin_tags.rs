//! The Admin API's tags: browse, read, add, edit, delete. A tag added here is a topic; its
//! slug comes from the name unless given.

use super::admin_auth::AdminKey;
use super::envelope;
use super::error::GhostError;
use crate::ghost::fields;
use crate::ghost::params::{Params, pagination};
use crate::ghost::shapes;
use crate::http::extract::Segments;
use crate::ops::staff::Actor;
use crate::ops::tags;
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use domain::{Slug, Tag, TagKind, TagMeta};
use serde::Deserialize;
use serde_json::{Value, json};
use store::query::{Cond, TagField, Test, Value as V};

type Reply = Result<Response, GhostError>;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TagInput {
    name: Option<String>,
    slug: Option<String>,
    description: Option<String>,
    accent_color: Option<String>,
    feature_image: Option<String>,
    meta_title: Option<String>,
    meta_description: Option<String>,
}

impl TagInput {
    /// `meta` with the fields the request names replaced (blank clears one; `null` or absent
    /// keeps it, as serde reads both as absent).
    fn meta(&self, mut meta: TagMeta) -> TagMeta {
        for (field, input) in [
            (&mut meta.accent_color, &self.accent_color),
            (&mut meta.feature_image, &self.feature_image),
            (&mut meta.meta_title, &self.meta_title),
            (&mut meta.meta_description, &self.meta_description),
        ] {
            if let Some(value) = input {
                *field = Some(value.trim())
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned);
            }
        }
        meta
    }
}

async fn by(
    state: &AppState,
    field: TagField,
    value: &str,
    params: &Params,
) -> Result<(Tag, Value), GhostError> {
    let filter = Cond::Test {
        field,
        negated: false,
        test: Test::Eq(V::Text(value.to_owned())),
    };
    let window = store::Window {
        limit: 1,
        offset: 0,
    };
    let (mut tags, _) = state.store.browse_tags(&filter, &[], window).await?;
    let tag = tags.pop().ok_or_else(|| GhostError::not_found("Tag"))?;
    let shaped = shape(state, &tag, params).await?;
    Ok((tag, shaped))
}

async fn shape(state: &AppState, tag: &Tag, params: &Params) -> Result<Value, GhostError> {
    let counts = if params.includes("count.posts") {
        Some(
            state
                .store
                .live_posts_per_tag(std::slice::from_ref(&tag.id), Utc::now())
                .await?,
        )
    } else {
        None
    };
    Ok(shapes::tag(tag, &state.config.public_url, &counts))
}

pub async fn browse(_: AdminKey, State(state): State<AppState>, RawQuery(q): RawQuery) -> Reply {
    let params = Params::parse(q.as_deref())?;
    let filter = params.condition(fields::tag, Utc::now())?;
    let sort = params.sort(fields::tag)?;
    let (tags, total) = state
        .store
        .browse_tags(&filter, &sort, params.window())
        .await?;
    let mut shaped = Vec::new();
    for t in &tags {
        shaped.push(shape(&state, t, &params).await?);
    }
    Ok(Json(json!({ "tags": shaped, "meta": pagination(&params, total) })).into_response())
}

pub async fn read(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
    RawQuery(q): RawQuery,
) -> Reply {
    let params = Params::parse(q.as_deref())?;
    let (_, shaped) = by(&state, TagField::Id, &id, &params).await?;
    Ok(Json(json!({ "tags": [shaped] })).into_response())
}

pub async fn read_slug(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(slug): Segments<String>,
    RawQuery(q): RawQuery,
) -> Reply {
    let params = Params::parse(q.as_deref())?;
    let (_, shaped) = by(&state, TagField::Slug, &slug, &params).await?;
    Ok(Json(json!({ "tags": [shaped] })).into_response())
}

fn slug_of(input: &TagInput, name: &str) -> Result<Slug, GhostError> {
    match input
        .slug
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => Slug::parse(s).map_err(|e| GhostError::validation(&e.0)),
        None => Ok(Slug::from_text(name)),
    }
}

pub async fn add(_: AdminKey, State(state): State<AppState>, body: envelope::Body) -> Reply {
    let input: TagInput = envelope::one(body, &["tags"], "tag")?;
    let name = input.name.clone().unwrap_or_default().trim().to_owned();
    if name.is_empty() {
        return Err(GhostError::validation("A tag needs a name."));
    }
    let tag = Tag {
        id: crate::compose::new_id(),
        slug: slug_of(&input, &name)?,
        name,
        description: input.description.clone().unwrap_or_default(),
        kind: TagKind::Topic,
        meta: input.meta(TagMeta::default()),
    };
    tags::add(&state.ops(), Actor::Console, &tag).await?;
    let shaped = shape(&state, &tag, &Params::default()).await?;
    Ok((StatusCode::CREATED, Json(json!({ "tags": [shaped] }))).into_response())
}

pub async fn edit(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
    body: envelope::Body,
) -> Reply {
    let input: TagInput = envelope::one(body, &["tags"], "tag")?;
    let (mut tag, _) = by(&state, TagField::Id, &id, &Params::default()).await?;
    if let Some(name) = input
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        tag.name = name.to_owned();
    }
    if input.slug.is_some() {
        tag.slug = slug_of(&input, &tag.name)?;
    }
    if let Some(d) = &input.description {
        tag.description = d.clone();
    }
    tag.meta = input.meta(tag.meta);
    tags::edit(&state.ops(), Actor::Console, &tag).await?;
    let shaped = shape(&state, &tag, &Params::default()).await?;
    Ok(Json(json!({ "tags": [shaped] })).into_response())
}

pub async fn delete(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Reply {
    tags::delete(&state.ops(), Actor::Console, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
