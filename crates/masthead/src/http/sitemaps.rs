//! Sitemaps and robots: `/sitemap.xml` (the index), its parts `/sitemap-{posts,pages,tags,authors}
//! [-N].xml` cut at 50,000 URLs, the Google News sitemap `/sitemap-news.xml` (the last 48 hours)
//! and `/robots.txt`. Only live content is listed; gated posts are, since their URLs and titles
//! are public. Nothing here reads a body: posts arrive as `PostStub`s.

use super::extract::Segments;
use super::feeds::public_text;
use super::site::load;
use super::{AppError, pages};
use crate::cache::{self, Dep};
use crate::state::AppState;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use chrono::Duration;
use domain::{PostKind, PostStub};
use render::context::{self, SiteInfo};
use render::sitemap::{
    self, MAX_NEWS_URLS, MAX_URLS, NewsEntry, Part, SitemapRef, UrlEntry, file_window,
};
use store::SitemapSource;

const XML_TYPE: &str = "application/xml; charset=utf-8";
/// How far back the news sitemap reaches (Google News' window).
const NEWS_HOURS: i64 = 48;

fn source(part: Part) -> SitemapSource {
    match part {
        Part::Posts => SitemapSource::Posts,
        Part::Pages => SitemapSource::Pages,
        Part::Tags => SitemapSource::Tags,
        Part::Authors => SitemapSource::Authors,
    }
}

/// `/sitemap.xml`: every file of every part that has something to list.
pub async fn index(State(state): State<AppState>) -> Result<Response, AppError> {
    cache::depends_on(Dep::AllPosts);
    let site = load(&state).await?;
    let mut files = Vec::new();
    for part in Part::ALL {
        let lastmods = state
            .store
            .sitemap_files(source(part), MAX_URLS, site.now)
            .await?;
        for (n, lastmod) in (1u32..).zip(lastmods) {
            files.push(SitemapRef {
                loc: site.absolute(&part.path(n)),
                lastmod: Some(lastmod),
            });
        }
    }
    if files.is_empty() {
        // An index names at least one sitemap; an empty site has an empty list of posts.
        files.push(SitemapRef {
            loc: site.absolute(&Part::Posts.path(1)),
            lastmod: None,
        });
    }
    respond(&state, sitemap::index(&files)).await
}

/// `/{name}` without a trailing slash: a sitemap part such as `sitemap-posts-2.xml`, or else
/// the redirect to `/{name}/`.
pub async fn part_or_add_slash(
    State(state): State<AppState>,
    Segments(raw): Segments<String>,
    uri: Uri,
) -> Result<Response, AppError> {
    match Part::parse_file(&raw) {
        Some((part, n)) => part_file(&state, part, n).await,
        None => pages::add_slash(Segments(raw), &uri),
    }
}

/// File `n` of `part`. The first file always exists (maybe empty); later ones only while
/// there is something left to list.
async fn part_file(state: &AppState, part: Part, n: u32) -> Result<Response, AppError> {
    cache::depends_on(Dep::AllPosts);
    let site = load(state).await?;
    let (limit, offset) = file_window(n, MAX_URLS);
    let entries: Vec<UrlEntry> = match part {
        Part::Posts | Part::Pages => {
            let kind = if part == Part::Posts {
                PostKind::Post
            } else {
                PostKind::Page
            };
            let stubs = state
                .store
                .live_stubs(kind, limit, offset, site.now)
                .await?;
            if stubs.is_empty() && n > 1 {
                return Err(AppError::NotFound);
            }
            stubs.iter().filter_map(|s| post_entry(s, &site)).collect()
        }
        Part::Tags | Part::Authors => {
            let rows = state
                .store
                .taxonomy_lastmods(source(part), limit, offset, site.now)
                .await?;
            if rows.is_empty() && n > 1 {
                return Err(AppError::NotFound);
            }
            rows.into_iter()
                .map(|(slug, lastmod)| {
                    let path = match part {
                        Part::Tags => context::tag_url(slug.as_str()),
                        _ => context::author_url(slug.as_str()),
                    };
                    UrlEntry {
                        loc: site.absolute(&path),
                        lastmod: Some(lastmod),
                        images: vec![],
                    }
                })
                .collect()
        }
    };
    respond(state, sitemap::urlset(&entries)).await
}

/// The canonical URL of a post, or nothing when its canonical URL is on another site (that
/// site's sitemap lists it).
fn canonical(stub: &PostStub, site: &SiteInfo) -> Option<String> {
    let url = match &stub.canonical_url {
        Some(url) => site.absolute(url),
        None => site.absolute(&context::post_url(stub.slug.as_str())),
    };
    url.starts_with(&format!("{}/", site.url.trim_end_matches('/')))
        .then_some(url)
}

fn post_entry(stub: &PostStub, site: &SiteInfo) -> Option<UrlEntry> {
    Some(UrlEntry {
        loc: canonical(stub, site)?,
        lastmod: Some(stub.updated_at),
        images: stub.image.iter().map(|i| site.absolute(&i.url)).collect(),
    })
}

/// `/sitemap-news.xml`: posts published in the last 48 hours, newest first.
pub async fn news(State(state): State<AppState>) -> Result<Response, AppError> {
    // Stories leave it 48 hours after publication, with no change to see.
    cache::dont_store();
    let site = load(&state).await?;
    let since = site.now - Duration::hours(NEWS_HOURS);
    let stubs = state
        .store
        .live_stubs_since(since, MAX_NEWS_URLS, site.now)
        .await?;
    let entries: Vec<NewsEntry> = stubs
        .iter()
        .filter_map(|s| {
            Some(NewsEntry {
                loc: canonical(s, &site)?,
                publication_name: site.title.clone(),
                language: site.language.clone(),
                published: s.published_at,
                title: s.title.clone(),
            })
        })
        .collect();
    respond(&state, sitemap::news(&entries)).await
}

/// `/robots.txt`: the default rules, the `robots_extra` setting, and the sitemaps.
pub async fn robots(State(state): State<AppState>) -> Result<Response, AppError> {
    let settings = state.settings.get().await?;
    let body = sitemap::robots(&state.config.public_url, &settings.robots_extra);
    Ok(public_text("text/plain; charset=utf-8", body, None))
}

async fn respond(state: &AppState, xml: String) -> Result<Response, AppError> {
    let modified = state.store.last_modified().await?;
    Ok(public_text(XML_TYPE, xml, modified))
}
