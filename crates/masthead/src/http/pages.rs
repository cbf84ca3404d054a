//! The public site's pages. Each handler: parse → identify viewer → load → project → render.

use super::AppError;
use super::collection::{Collection, Of};
use super::extract::{Segments, page_number};
use super::reader::Reader;
use super::site::{load, page_context};
use crate::cache::{self, Dep};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use domain::access::{Viewer, project};
use domain::{Access, Post, PostView, Slug};
use render::context::{self, SiteInfo};
use render::head::{Meta, PageKind};
use serde_json::{Value, json};
use store::PostFilter;

const PER_PAGE: u32 = 12;
const SECTION_BLOCK: u32 = 4;
/// Anonymous pages: shared caches keep them a minute; browsers revalidate every time (a cheap
/// 304 through the ETag), so a reader who signs in never sees a stale anonymous copy.
pub const PUBLIC_CACHE: &str = "public, max-age=0, s-maxage=60";
/// What signed-in members and unlocked reads get: never stored by shared caches.
pub const PRIVATE_CACHE: &str = "private, no-cache";

/// Listings and related boxes show every reader the anonymous view of each story.
fn viewer() -> Viewer {
    Viewer::anonymous()
}

/// What `viewer` sees of each post; the page being rendered depends on each.
pub(super) fn views(posts: &[Post], viewer: &Viewer, now: DateTime<Utc>) -> Vec<PostView> {
    posts
        .iter()
        .inspect(|p| cache::shows(p))
        .map(|p| project(p, viewer, now))
        .filter(|v| v.access != Access::Denied)
        .collect()
}

/// The page being rendered lists the posts `filter` selects.
pub(super) fn depends_on_listing(filter: &PostFilter) {
    match (&filter.tag, &filter.author) {
        (Some(tag), _) => cache::depends_on(Dep::Tag(tag.clone())),
        (None, Some(author)) => cache::depends_on(Dep::Author(author.clone())),
        (None, None) => cache::depends_on(Dep::AllPosts),
    }
}

pub(super) fn cards(views: &[PostView]) -> Vec<Value> {
    views.iter().map(context::card).collect()
}

pub(super) fn slug(raw: &str) -> Result<Slug, AppError> {
    Slug::parse(raw).map_err(|_| AppError::NotFound)
}

/// A rendered theme page. Anonymous pages are public; anything a signed-in member or an unlocked
/// read sees is private to that browser.
pub(super) async fn html_response(
    state: &AppState,
    reader: &Reader,
    template: &str,
    ctx: &mut Value,
    modified: Option<DateTime<Utc>>,
    private: bool,
) -> Result<Response, AppError> {
    ctx["member"] = reader.member_json(state).await?;
    let html = state.theme.render(template, ctx)?;
    let cache = if private || reader.member.is_some() {
        PRIVATE_CACHE
    } else {
        PUBLIC_CACHE
    };
    let mut res = ([(header::CACHE_CONTROL, cache)], Html(html)).into_response();
    if let Some(at) = modified {
        let value = httpdate::fmt_http_date(at.into());
        if let Ok(v) = value.parse() {
            res.headers_mut().insert(header::LAST_MODIFIED, v);
        }
    }
    Ok(res)
}

pub async fn home(State(state): State<AppState>, reader: Reader) -> Result<Response, AppError> {
    home_at(&state, &reader, 1).await
}

pub async fn home_page(
    State(state): State<AppState>,
    reader: Reader,
    Segments(n): Segments<String>,
) -> Result<Response, AppError> {
    home_at(&state, &reader, page_number(&n, PER_PAGE)?).await
}

async fn home_at(state: &AppState, reader: &Reader, page: u64) -> Result<Response, AppError> {
    let site = load(state).await?;
    let (viewer, now) = (viewer(), site.now);
    let mut data = serde_json::Map::new();
    let filter = PostFilter::posts();
    depends_on_listing(&filter);
    let mut lead_id = None;
    if page == 1 {
        let featured = PostFilter {
            featured: Some(true),
            ..PostFilter::posts()
        };
        let mut lead = state.store.list_posts(&featured, 1, 0, now).await?;
        if lead.is_empty() {
            lead = state.store.list_posts(&filter, 1, 0, now).await?;
        }
        if let Some(view) = views(&lead, &viewer, now).first() {
            data.insert("lead".into(), context::lead(view, 1, 3));
            lead_id = Some(view.id.clone());
        }
        let exclude: Vec<String> = lead_id.iter().cloned().collect();
        data.insert(
            "section_blocks".into(),
            section_blocks(state, &site, &exclude, &viewer).await?,
        );
    }
    // Every page lists the same slice of all posts, so pages never overlap; page 1 leaves out
    // the lead story, which it shows above the list.
    let listing = state
        .store
        .list_posts(&filter, PER_PAGE, (page - 1) * u64::from(PER_PAGE), now)
        .await?;
    if page > 1 && listing.is_empty() {
        return Err(AppError::NotFound);
    }
    let latest: Vec<Post> = listing
        .into_iter()
        .filter(|p| Some(&p.id) != lead_id.as_ref())
        .collect();
    data.insert("latest".into(), json!(cards(&views(&latest, &viewer, now))));
    let pagination = context::pagination(
        "/",
        page,
        PER_PAGE.into(),
        state.store.count_live(&filter, now).await?,
    );
    let meta = Meta {
        title: if page == 1 {
            site.title.clone()
        } else {
            format!("{} – page {page}", site.title)
        },
        description: site.description.clone(),
        canonical: if page == 1 {
            "/".into()
        } else {
            format!("/page/{page}/")
        },
        prev: pagination["prev_url"].as_str().map(String::from),
        next: pagination["next_url"].as_str().map(String::from),
        // Later pages are lists of stories; only the home page itself describes the site.
        kind: if page == 1 {
            PageKind::Home
        } else {
            PageKind::Collection
        },
        ..Meta::default()
    };
    data.insert("pagination".into(), pagination);
    let mut ctx = page_context(&site, &meta, "home-template", "", Value::Object(data));
    let modified = state.store.last_modified().await?;
    html_response(state, reader, "index", &mut ctx, modified, false).await
}

async fn section_blocks(
    state: &AppState,
    site: &SiteInfo,
    exclude: &[String],
    viewer: &Viewer,
) -> Result<Value, AppError> {
    let mut blocks = Vec::new();
    for section in &site.sections {
        let filter = PostFilter {
            tag: Some(section.slug.to_string()),
            exclude: exclude.to_vec(),
            ..PostFilter::posts()
        };
        depends_on_listing(&filter);
        let posts = state
            .store
            .list_posts(&filter, SECTION_BLOCK, 0, site.now)
            .await?;
        if !posts.is_empty() {
            blocks.push(json!({ "section": context::tag(section), "posts": cards(&views(&posts, viewer, site.now)) }));
        }
    }
    Ok(Value::Array(blocks))
}

pub async fn tag(
    State(state): State<AppState>,
    reader: Reader,
    Segments(raw): Segments<String>,
) -> Result<Response, AppError> {
    collection_at(&state, &reader, Of::Tag, &raw, 1).await
}

pub async fn tag_page(
    State(state): State<AppState>,
    reader: Reader,
    Segments((raw, n)): Segments<(String, String)>,
) -> Result<Response, AppError> {
    let page = page_number(&n, PER_PAGE)?;
    collection_at(&state, &reader, Of::Tag, &raw, page).await
}

pub async fn author(
    State(state): State<AppState>,
    reader: Reader,
    Segments(raw): Segments<String>,
) -> Result<Response, AppError> {
    collection_at(&state, &reader, Of::Author, &raw, 1).await
}

pub async fn author_page(
    State(state): State<AppState>,
    reader: Reader,
    Segments((raw, n)): Segments<(String, String)>,
) -> Result<Response, AppError> {
    let page = page_number(&n, PER_PAGE)?;
    collection_at(&state, &reader, Of::Author, &raw, page).await
}

/// Page `page` of a tag's or an author's list, with its header; its feed is at `base` + `rss/`.
async fn collection_at(
    state: &AppState,
    reader: &Reader,
    of: Of,
    raw: &str,
    page: u64,
) -> Result<Response, AppError> {
    let collection = Collection::load(&state.store, of, slug(raw)?).await?;
    let site = load(state).await?;
    depends_on_listing(&collection.filter);
    let result = state
        .store
        .list_posts(
            &collection.filter,
            PER_PAGE,
            (page - 1) * u64::from(PER_PAGE),
            site.now,
        )
        .await?;
    if page > 1 && result.is_empty() {
        return Err(AppError::NotFound);
    }
    let total = state.store.count_live(&collection.filter, site.now).await?;
    let pagination = context::pagination(&collection.base, page, PER_PAGE.into(), total);
    let template = collection.template;
    let mut data = collection.header.clone();
    data["posts"] = json!(cards(&views(&result, &viewer(), site.now)));
    let meta = collection_meta(collection, &site, page, &pagination);
    data["pagination"] = pagination;
    let mut ctx = page_context(&site, &meta, &format!("{template}-template"), "", data);
    let modified = state.store.last_modified().await?;
    html_response(state, reader, template, &mut ctx, modified, false).await
}

/// The head of a collection's page `page`: its own title, canonical URL and feed.
fn collection_meta(c: Collection, site: &SiteInfo, page: u64, pagination: &Value) -> Meta {
    let suffix = if page > 1 {
        format!(" – page {page}")
    } else {
        String::new()
    };
    Meta {
        title: format!(
            "{}{suffix} – {}",
            c.head_title.as_deref().unwrap_or(&c.name),
            site.title
        ),
        canonical: if page > 1 {
            format!("{}page/{page}/", c.base)
        } else {
            c.base.clone()
        },
        prev: pagination["prev_url"].as_str().map(String::from),
        next: pagination["next_url"].as_str().map(String::from),
        feed: Some(c.feed_link(&site.title)),
        description: c.head_description.unwrap_or(c.description),
        kind: c.kind,
        ..Meta::default()
    }
}

/// `/{slug}` without its trailing slash: one permanent redirect to the canonical form.
pub fn add_slash(Segments(raw): Segments<String>, uri: &Uri) -> Result<Response, AppError> {
    slug(&raw)?;
    let target = match uri.query() {
        Some(q) => format!("{}/?{q}", uri.path()),
        None => format!("{}/", uri.path()),
    };
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=3600")],
        Redirect::permanent(&target),
    )
        .into_response())
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// The theme's 404 page, with the search form and the latest stories.
pub async fn not_found_page(state: &AppState, reader: &Reader) -> Result<Response, AppError> {
    let site = load(state).await?;
    let latest = state
        .store
        .list_posts(&PostFilter::posts(), 6, 0, site.now)
        .await?;
    let meta = Meta {
        title: format!("Page not found – {}", site.title),
        description: "The page you were looking for is not here.".into(),
        canonical: "/404/".into(),
        noindex: true,
        ..Meta::default()
    };
    let data = json!({
        "error": { "status": 404, "title": "Page not found", "message": "The page you were looking for has moved or never existed. Try a search, or read the latest stories." },
        "latest": cards(&views(&latest, &viewer(), site.now)),
    });
    let mut ctx = page_context(&site, &meta, "error-template", "", data);
    let mut res = html_response(state, reader, "error", &mut ctx, None, false).await?;
    *res.status_mut() = StatusCode::NOT_FOUND;
    Ok(res)
}
