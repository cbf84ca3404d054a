//! The Admin API's posts and pages: browse (every status), read, add, edit (with Ghost's
//! `updated_at` collision check), delete, and status changes (draft, published, scheduled as a
//! published post with a future date, which goes live by itself at that time, also across
//! restarts). Content is accepted as `html` (with or without `?source=html`) or as `markdown`;
//! Lexical and Mobiledoc are refused with a 422. Tags and authors are named as Ghost's clients
//! name them (`crate::ghost::refs`); a post naming no author gets the site's default author.
//! Responses carry `tags`, `authors`, `primary_tag` and `primary_author` unless `include` or
//! `fields` says otherwise, as Ghost's Admin API does.

use super::admin_auth::AdminKey;
use super::admin_newsletter;
use super::envelope;
use super::error::GhostError;
use crate::compose::{Composer, Draft};
use crate::ghost::fields;
use crate::ghost::params::{Params, pagination};
use crate::ghost::refs::{self, AuthorRef, RefError, TagRef};
use crate::ghost::shapes;
use crate::http::extract::Segments;
use crate::ops::posts::{self, PostError};
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use domain::access::{Viewer, project};
use domain::{Post, PostKind, Status, Visibility};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use store::query::Cond;
use store::{PostNewsletter, Scope, Store, Window};

type Reply = Result<Response, GhostError>;

/// What add and edit accept of a Ghost post.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PostInput {
    title: Option<String>,
    slug: Option<String>,
    html: Option<String>,
    markdown: Option<String>,
    lexical: Option<Value>,
    mobiledoc: Option<Value>,
    status: Option<String>,
    published_at: Option<DateTime<Utc>>,
    updated_at: Option<DateTime<Utc>>,
    featured: Option<bool>,
    visibility: Option<String>,
    tiers: Option<Vec<Named>>,
    tags: Option<Vec<TagRef>>,
    authors: Option<Vec<AuthorRef>>,
    custom_excerpt: Option<String>,
    feature_image: Option<String>,
    feature_image_alt: Option<String>,
    feature_image_caption: Option<String>,
    meta_title: Option<String>,
    meta_description: Option<String>,
    canonical_url: Option<String>,
    og_title: Option<String>,
    og_description: Option<String>,
    og_image: Option<String>,
    twitter_title: Option<String>,
    twitter_description: Option<String>,
    twitter_image: Option<String>,
    /// The newsletter request (`admin_newsletter`), here or as query parameters.
    newsletter: Option<Value>,
    email_segment: Option<String>,
}

/// A tier as Ghost accepts it: a name, or an object with a slug or name.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum Named {
    Text(String),
    Object {
        slug: Option<String>,
        name: Option<String>,
    },
}

impl Named {
    fn key(&self) -> Option<String> {
        match self {
            Named::Text(s) => Some(s.clone()),
            Named::Object { slug, name } => slug.clone().or_else(|| name.clone()),
        }
    }
}

fn names(kind: PostKind) -> (&'static str, &'static str) {
    match kind {
        PostKind::Post => ("posts", "Post"),
        PostKind::Page => ("pages", "Page"),
    }
}

fn invalid(message: &str) -> GhostError {
    GhostError::validation(message)
}

/// Authors' emails by author id: the Admin API shows them, as Ghost shows its staff users'.
type Emails = HashMap<String, String>;

fn shape(
    state: &AppState,
    post: &Post,
    newsletter: Option<&PostNewsletter>,
    emails: &Emails,
    params: &Params,
    now: DateTime<Utc>,
) -> Value {
    let view = project(post, &Viewer::staff(), now);
    let mut params_html = Params {
        formats: vec!["html".into()],
        ..Params::default()
    };
    params_html.include = included(params);
    params_html.fields.clone_from(&params.fields);
    let mut v = shapes::post(&view, &state.config.public_url, &params_html, &[]);
    v["status"] = json!(shapes::status(post, now));
    admin_newsletter::show(&mut v, newsletter);
    show_emails(&mut v, emails);
    v
}

/// What a response includes: what was asked for, else (unless `fields` narrows the answer)
/// tags and authors, as Ghost's Admin API includes them by default.
fn included(params: &Params) -> Vec<String> {
    if params.include.is_empty() && params.fields.is_empty() {
        vec!["tags".into(), "authors".into()]
    } else {
        params.include.clone()
    }
}

/// Adds each shown author's email, when they have one.
fn show_emails(v: &mut Value, emails: &Emails) {
    let mut add = |author: &mut Value| {
        if let Some(email) = author["id"].as_str().and_then(|id| emails.get(id)) {
            author["email"] = json!(email);
        }
    };
    if let Some(authors) = v.get_mut("authors").and_then(Value::as_array_mut) {
        authors.iter_mut().for_each(&mut add);
    }
    if let Some(primary) = v.get_mut("primary_author").filter(|p| p.is_object()) {
        add(primary);
    }
}

/// The emails of every author of `posts`.
async fn emails_of(store: &Store, posts: &[Post]) -> Result<Emails, GhostError> {
    let mut ids: Vec<String> = posts
        .iter()
        .flat_map(|p| p.authors.iter().map(|a| a.id.clone()))
        .collect();
    ids.sort();
    ids.dedup();
    Ok(store.author_emails(&ids).await?)
}

async fn find(state: &AppState, kind: PostKind, id: &str) -> Result<Post, GhostError> {
    let mut posts = state.store.posts_by_ids(&[id.to_owned()]).await?;
    match posts.pop() {
        Some(p) if p.kind == kind => Ok(p),
        _ => Err(GhostError::not_found(names(kind).1)),
    }
}

async fn browse(state: &AppState, kind: PostKind, q: Option<&str>) -> Reply {
    let params = Params::parse(q)?;
    let now = Utc::now();
    let filter = params.condition(fields::post, now)?;
    let sort = params.sort(fields::post_order)?;
    let total = state
        .store
        .count_posts_matching(kind, Scope::AnyStatus, &filter)
        .await?;
    let posts = state
        .store
        .browse_posts(kind, Scope::AnyStatus, &filter, &sort, params.window())
        .await?;
    let ids: Vec<String> = posts.iter().map(|p| p.id.clone()).collect();
    let newsletters = state.store.post_newsletters(&ids).await?;
    let emails = emails_of(&state.store, &posts).await?;
    let shaped: Vec<Value> = posts
        .iter()
        .map(|p| shape(state, p, newsletters.get(&p.id), &emails, &params, now))
        .collect();
    let (name, _) = names(kind);
    Ok(Json(json!({ name: shaped, "meta": pagination(&params, total) })).into_response())
}

async fn read(state: &AppState, kind: PostKind, id: &str, q: Option<&str>) -> Reply {
    let params = Params::parse(q)?;
    let post = find(state, kind, id).await?;
    shown(state, kind, &post, &params, StatusCode::OK).await
}

async fn read_slug(state: &AppState, kind: PostKind, slug: &str, q: Option<&str>) -> Reply {
    let params = Params::parse(q)?;
    let filter = Cond::Test {
        field: store::query::PostField::Slug,
        negated: false,
        test: store::query::Test::Eq(store::query::Value::Text(slug.to_owned())),
    };
    let window = Window {
        limit: 1,
        offset: 0,
    };
    let posts = state
        .store
        .browse_posts(kind, Scope::AnyStatus, &filter, &[], window)
        .await?;
    let post = posts
        .first()
        .ok_or_else(|| GhostError::not_found(names(kind).1))?;
    shown(state, kind, post, &params, StatusCode::OK).await
}

/// The Markdown source a post is composed from: Markdown as is, HTML as raw HTML blocks with
/// Ghost's paywall comment on a line of its own (where `Body` splits).
fn source(input: &PostInput) -> Result<Option<String>, GhostError> {
    if let Some(md) = &input.markdown {
        return Ok(Some(md.clone()));
    }
    if let Some(html) = &input.html {
        let marker = domain::body::PAYWALL_MARKER;
        return Ok(Some(html.replace(marker, &format!("\n\n{marker}\n\n"))));
    }
    if input.lexical.is_some() || input.mobiledoc.is_some() {
        return Err(invalid(
            "Masthead accepts post content as html (?source=html) or markdown, not Lexical or Mobiledoc.",
        ));
    }
    Ok(None)
}

/// Applies `input` over `draft` (a new post's defaults, or an existing post's fields).
fn apply(draft: &mut Draft, input: &PostInput, now: DateTime<Utc>) -> Result<(), GhostError> {
    if let Some(t) = &input.title {
        draft.title.clone_from(t);
    }
    if let Some(s) = &input.slug {
        draft.slug = Some(s.clone());
    }
    if let Some(md) = source(input)? {
        draft.markdown = md;
    }
    if let Some(e) = &input.custom_excerpt {
        draft.dek.clone_from(e);
    }
    if let Some(f) = input.featured {
        draft.featured = f;
    }
    if input.published_at.is_some() {
        draft.published_at = input.published_at;
    }
    if let Some(status) = &input.status {
        draft.status = match status.as_str() {
            "draft" => Status::Draft,
            "published" => Status::Published,
            // Stored as published with a future date: live by itself when the time comes.
            "scheduled" if draft.published_at.is_some_and(|at| at > now) => Status::Published,
            "scheduled" => {
                return Err(invalid(
                    "A scheduled post needs a published_at in the future.",
                ));
            }
            other => return Err(invalid(&format!("Unknown status {other:?}."))),
        };
        if draft.status == Status::Draft {
            draft.published_at = input.published_at;
        }
    }
    if let Some(v) = &input.visibility {
        draft.visibility = match v.as_str() {
            "tiers" => {
                let slugs: Vec<String> = input
                    .tiers
                    .iter()
                    .flatten()
                    .filter_map(Named::key)
                    .collect();
                Visibility::tiers(&slugs).map_err(|e| invalid(&e.0))?
            }
            other => Visibility::parse(other).map_err(|e| invalid(&e.0))?,
        };
    }
    if let Some(url) = &input.feature_image {
        draft.image = (!url.trim().is_empty()).then(|| domain::LeadImage {
            url: url.clone(),
            width: None,
            height: None,
            alt: input.feature_image_alt.clone().unwrap_or_default(),
            caption: input.feature_image_caption.clone().unwrap_or_default(),
            credit: String::new(),
        });
    }
    for (field, value) in [
        (&mut draft.meta_title, &input.meta_title),
        (&mut draft.meta_description, &input.meta_description),
        (&mut draft.canonical_url, &input.canonical_url),
    ] {
        if value.is_some() {
            field.clone_from(value);
        }
    }
    let social = &mut draft.social;
    for (field, value) in [
        (&mut social.og_title, &input.og_title),
        (&mut social.og_description, &input.og_description),
        (&mut social.og_image, &input.og_image),
        (&mut social.twitter_title, &input.twitter_title),
        (&mut social.twitter_description, &input.twitter_description),
        (&mut social.twitter_image, &input.twitter_image),
    ] {
        // Present sets it; blank clears it (the card falls back to the post's own values).
        if let Some(value) = value {
            *field = Some(value.trim())
                .filter(|v| !v.is_empty())
                .map(str::to_owned);
        }
    }
    Ok(())
}

/// Applies the tags and authors `input` names, when it names them, to `draft`: tags found or
/// made by `composer` (the first becomes the primary tag, shown as the section), authors found
/// or refused with a 422.
async fn apply_links(
    store: &Store,
    composer: &mut Composer<'_>,
    draft: &mut Draft,
    input: &PostInput,
) -> Result<(), GhostError> {
    if let Some(tags) = &input.tags {
        draft.section = None;
        draft.tags = refs::tags(store, composer, tags).await.map_err(ref_error)?;
    }
    if let Some(authors) = &input.authors {
        draft.authors = refs::authors(store, authors).await.map_err(ref_error)?;
    }
    Ok(())
}

fn ref_error(err: RefError) -> GhostError {
    match err {
        RefError::Invalid(message) => invalid(&message),
        RefError::Store(e) => e.into(),
    }
}

/// One post (with its newsletter request) as the answer to a read, add or edit.
async fn shown(
    state: &AppState,
    kind: PostKind,
    post: &Post,
    params: &Params,
    status: StatusCode,
) -> Reply {
    let newsletter = state.store.post_newsletter(&post.id).await?;
    let emails = emails_of(&state.store, std::slice::from_ref(post)).await?;
    let shaped = shape(
        state,
        post,
        newsletter.as_ref(),
        &emails,
        params,
        Utc::now(),
    );
    let (name, _) = names(kind);
    Ok((status, Json(json!({ name: [shaped] }))).into_response())
}

fn one(body: envelope::Body) -> Result<PostInput, GhostError> {
    envelope::one(body, &["posts", "pages"], "post")
}

/// The newsletter request of an add or edit. Pages are never emailed (Ghost's pages take no
/// newsletter), so theirs is ignored.
fn newsletter_asked(
    kind: PostKind,
    q: Option<&str>,
    input: &PostInput,
) -> Result<Option<domain::NewsletterRequest>, GhostError> {
    match kind {
        PostKind::Post => {
            admin_newsletter::asked(q, input.newsletter.as_ref(), input.email_segment.as_deref())
        }
        PostKind::Page => Ok(None),
    }
}

async fn add(state: &AppState, kind: PostKind, q: Option<&str>, input: PostInput) -> Reply {
    let params = Params::parse(q)?;
    let asked = newsletter_asked(kind, q, &input)?;
    let now = Utc::now();
    let mut draft = Draft::new(kind, "", "");
    draft.status = Status::Draft;
    apply(&mut draft, &input, now)?;
    if draft.title.trim().is_empty() {
        draft.title = "(Untitled)".into();
    }
    let mut composer = Composer::new(&state.store);
    apply_links(&state.store, &mut composer, &mut draft, &input).await?;
    let post = posts::create(&state.ops(), &mut composer, draft, asked, now)
        .await
        .map_err(|e| refused(kind, e))?;
    shown(state, kind, &post, &params, StatusCode::CREATED).await
}

/// The editable fields of a stored post, as a draft (the caller fills in the source).
fn draft_of(post: &Post) -> Draft {
    Draft {
        kind: post.kind,
        title: post.title.clone(),
        slug: None,
        dek: post.dek.clone(),
        section: None,
        tags: post.tags.iter().map(|t| t.slug.to_string()).collect(),
        authors: post.authors.iter().map(|a| a.slug.to_string()).collect(),
        markdown: String::new(),
        image: post.image.clone(),
        visibility: post.visibility.clone(),
        status: post.status,
        published_at: post.published_at,
        featured: post.featured,
        meta_title: post.meta_title.clone(),
        meta_description: post.meta_description.clone(),
        canonical_url: post.canonical_url.clone(),
        social: post.social.clone(),
    }
}

async fn edit(
    state: &AppState,
    kind: PostKind,
    id: &str,
    q: Option<&str>,
    input: PostInput,
) -> Reply {
    let params = Params::parse(q)?;
    let asked = newsletter_asked(kind, q, &input)?;
    let now = Utc::now();
    let existing = find(state, kind, id).await?;
    let Some(seen) = input.updated_at else {
        return Err(invalid(
            "An edit must carry the updated_at it started from.",
        ));
    };
    let ops = state.ops();
    let started = posts::begin_edit(&ops, &existing, seen, asked)
        .await
        .map_err(|e| refused(kind, e))?;
    let mut draft = draft_of(&existing);
    // The stored source is recomposed too, so a change of visibility moves the free/gated split.
    draft.markdown = state
        .store
        .post_source(&existing.id)
        .await?
        .unwrap_or_default();
    apply(&mut draft, &input, now)?;
    let mut composer = Composer::new(&state.store);
    apply_links(&state.store, &mut composer, &mut draft, &input).await?;
    let post = posts::edit(&ops, started, &mut composer, draft, now)
        .await
        .map_err(|e| refused(kind, e))?;
    shown(state, kind, &post, &params, StatusCode::OK).await
}

async fn delete(state: &AppState, kind: PostKind, id: &str) -> Reply {
    let post = find(state, kind, id).await?;
    posts::delete(&state.ops(), &post, Utc::now())
        .await
        .map_err(|e| refused(kind, e))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A post write's refusal in Ghost's terms: the editor's mistakes are 422s with their message,
/// a stale edit Ghost's update collision, a store failure an opaque 500 (logged here, once).
fn refused(kind: PostKind, err: PostError) -> GhostError {
    match err {
        PostError::Invalid(message) | PostError::Forbidden(message) => invalid(&message),
        PostError::NotFound => GhostError::not_found(names(kind).1),
        PostError::Collision | PostError::Stale { .. } => GhostError::collision(),
        PostError::AlreadySent => admin_newsletter::already_sent(),
        PostError::Store(err) => GhostError::internal(err),
    }
}

macro_rules! handlers {
    ($kind:expr, $browse:ident, $read:ident, $read_slug:ident, $add:ident, $edit:ident, $delete:ident) => {
        pub async fn $browse(
            _: AdminKey,
            State(s): State<AppState>,
            RawQuery(q): RawQuery,
        ) -> Reply {
            browse(&s, $kind, q.as_deref()).await
        }
        pub async fn $read(
            _: AdminKey,
            State(s): State<AppState>,
            Segments(id): Segments<String>,
            RawQuery(q): RawQuery,
        ) -> Reply {
            read(&s, $kind, &id, q.as_deref()).await
        }
        pub async fn $read_slug(
            _: AdminKey,
            State(s): State<AppState>,
            Segments(slug): Segments<String>,
            RawQuery(q): RawQuery,
        ) -> Reply {
            read_slug(&s, $kind, &slug, q.as_deref()).await
        }
        pub async fn $add(
            _: AdminKey,
            State(s): State<AppState>,
            RawQuery(q): RawQuery,
            body: envelope::Body,
        ) -> Reply {
            add(&s, $kind, q.as_deref(), one(body)?).await
        }
        pub async fn $edit(
            _: AdminKey,
            State(s): State<AppState>,
            Segments(id): Segments<String>,
            RawQuery(q): RawQuery,
            body: envelope::Body,
        ) -> Reply {
            edit(&s, $kind, &id, q.as_deref(), one(body)?).await
        }
        pub async fn $delete(
            _: AdminKey,
            State(s): State<AppState>,
            Segments(id): Segments<String>,
        ) -> Reply {
            delete(&s, $kind, &id).await
        }
    };
}

handlers!(
    PostKind::Post,
    posts,
    post,
    post_by_slug,
    add_post,
    edit_post,
    delete_post
);
handlers!(
    PostKind::Page,
    pages,
    page,
    page_by_slug,
    add_page,
    edit_page,
    delete_page
);

/// `GET /site/`: what Ghost's clients read first.
pub async fn site(State(state): State<AppState>) -> Reply {
    let site = crate::http::site::load(&state)
        .await
        .map_err(GhostError::internal)?;
    Ok(Json(json!({ "site": {
        "title": site.title,
        "description": site.description,
        "logo": shapes::absolute(&state.config.public_url, &site.logo.url),
        "url": format!("{}/", state.config.public_url),
        "version": "6.0",
    }}))
    .into_response())
}
