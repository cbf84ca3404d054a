//! Search: `/search/?q=&sort=&page=` (HTML, `noindex`) and `/search.json` (the same results as
//! JSON). The index only chooses and orders post ids; what a hit shows comes from the store
//! through the access gate, and its snippet only from the requesting viewer's `PostView`.
//! Matches, counts and suggestions use gated text only where the viewer's `Entitlement`
//! (from `domain::access`) admits it, so search is no oracle for what they may not read.

use super::AppError;
use super::extract::query_param;
use super::pages::{PRIVATE_CACHE, PUBLIC_CACHE, html_response};
use super::reader::Reader;
use super::site::{load, page_context};
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use domain::access::{Entitlement, Viewer, project};
use domain::{Access, PostKind, PostView};
use render::context::{self, SiteInfo};
use render::head::Meta;
use search::{Parsed, Ranking, SearchRequest, Sort, parse};
use serde_json::{Value, json};

const PER_PAGE: usize = 10;
/// Results pages stop here (1,000 results); deeper paging costs more than it is worth.
const MAX_PAGE: usize = 100;

struct Ask {
    raw: String,
    parsed: Parsed,
    sort: Sort,
    page: usize,
}

fn ask(query: Option<&str>) -> Ask {
    let raw = query_param(query, "q");
    let raw = raw.trim().to_owned();
    let mut parsed = parse(&raw);
    let page = query_param(query, "page")
        .parse::<usize>()
        .unwrap_or(1)
        .max(1);
    if page > MAX_PAGE {
        parsed.notices.push(format!(
            "Results stop at page {MAX_PAGE}; narrow your search to see more."
        ));
    }
    Ask {
        raw,
        parsed,
        sort: Sort::parse(&query_param(query, "sort")),
        page: page.min(MAX_PAGE),
    }
}

struct Hit {
    view: PostView,
    title_html: String,
    snippet: String,
}

struct Outcome {
    total: usize,
    hits: Vec<Hit>,
    suggestion: Option<String>,
    /// The index is still being built, so results may be incomplete.
    indexing: bool,
}

/// Who is searching. A meter or gift link never applies: they unlock one article, not search.
fn viewer(reader: &Reader, now: DateTime<Utc>) -> Viewer {
    match &reader.member {
        Some(current) => Viewer::member(current.access(now, reader.grace)),
        None => Viewer::anonymous(),
    }
}

async fn run(
    state: &AppState,
    viewer: &Viewer,
    ask: &Ask,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let entitlement = Entitlement::of(viewer);
    let index = state.search.index();
    let request = SearchRequest {
        parsed: ask.parsed.clone(),
        sort: ask.sort,
        offset: (ask.page - 1) * PER_PAGE,
        limit: PER_PAGE,
        now,
        ranking: Ranking {
            recency_weight: state.config.search_recency_weight,
            ..Ranking::default()
        },
        entitlement: entitlement.clone(),
    };
    let raw = ask.raw.clone();
    let wants_suggestion = ask.parsed.has_terms();
    let started = std::time::Instant::now();
    let (results, suggestion) = tokio::task::spawn_blocking(move || {
        let results = index.search(&request)?;
        let suggestion = if results.total == 0 && wants_suggestion {
            index.suggest(&raw, &entitlement, now)
        } else {
            None
        };
        Ok::<_, search::SearchError>((results, suggestion))
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    let searched = started.elapsed();
    let posts = state.store.posts_by_ids(&results.ids).await?;
    let loaded = started.elapsed();
    crate::cache::depends_on(crate::cache::Dep::Search);
    let hits = posts
        .iter()
        // The index may lag the database by a tick: the store has the last word.
        .filter(|p| p.kind == PostKind::Post && p.is_live(now))
        .inspect(|p| crate::cache::shows(p))
        .map(|p| project(p, viewer, now))
        .filter(|v| v.access != Access::Denied)
        .map(|view| Hit {
            title_html: results.highlighter.title(&view.title),
            snippet: results.highlighter.snippet(&view.text),
            view,
        })
        .collect();
    tracing::debug!(
        total = results.total,
        index_us = searched.as_micros(),
        load_us = loaded.saturating_sub(searched).as_micros(),
        snippets_us = started.elapsed().saturating_sub(loaded).as_micros(),
        "search"
    );
    Ok(Outcome {
        total: results.total,
        hits,
        suggestion,
        indexing: {
            let indexing = !state.search.is_ready();
            if indexing {
                // Results while the index is rebuilt are incomplete: never stored.
                crate::cache::dont_store();
            }
            indexing
        },
    })
}

/// `/search/?q=…&sort=date&page=2` with the query and sort kept.
fn search_url(path: &str, q: &str, sort: Sort, page: usize) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("q", q);
    if sort != Sort::Relevance {
        s.append_pair("sort", sort.as_str());
    }
    if page > 1 {
        s.append_pair("page", &page.to_string());
    }
    format!("{path}?{}", s.finish())
}

/// The query with the words matching `drop` removed.
fn without(raw: &str, drop: impl Fn(&str) -> bool) -> String {
    raw.split_whitespace()
        .filter(|w| !drop(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn filters_json(parsed: &Parsed) -> Value {
    let f = &parsed.filters;
    json!({
        "section": f.section,
        "tags": f.tags,
        "author": f.author,
        "after": f.after.map(|d| d.to_string()),
        "before": f.before.map(|d| d.to_string()),
    })
}

/// Applied filters as links that remove them.
fn applied_filters(ask: &Ask) -> Vec<Value> {
    let f = &ask.parsed.filters;
    let mut out: Vec<(String, String)> = Vec::new();
    if let Some(s) = &f.section {
        out.push((format!("Section: {s}"), format!("section:{s}")));
    }
    for t in &f.tags {
        out.push((format!("Tag: {t}"), format!("tag:{t}")));
    }
    if let Some(a) = &f.author {
        out.push((format!("Author: {a}"), format!("author:{a}")));
    }
    if let Some(d) = f.after {
        out.push((format!("After {d}"), "after:".into()));
    }
    if let Some(d) = f.before {
        out.push((format!("Before {d}"), "before:".into()));
    }
    out.into_iter()
        .map(|(label, token)| {
            let key = token.split(':').next().unwrap_or_default().to_owned();
            let rest = without(&ask.raw, |w| {
                w.to_lowercase() == token
                    || (token.ends_with(':') && w.to_lowercase().starts_with(&format!("{key}:")))
            });
            json!({ "label": label, "remove_url": search_url("/search/", &rest, ask.sort, 1) })
        })
        .collect()
}

/// Links narrowing the results to each section, with how many results each would keep for
/// this viewer.
async fn section_links(
    state: &AppState,
    site: &SiteInfo,
    ask: &Ask,
    viewer: &Viewer,
) -> Result<Vec<Value>, AppError> {
    if !ask.parsed.has_terms() || ask.parsed.filters.section.is_some() {
        return Ok(vec![]);
    }
    let sections: Vec<(String, String)> = site
        .sections
        .iter()
        .map(|t| (t.slug.to_string(), t.name.clone()))
        .collect();
    let index = state.search.index();
    let parsed = ask.parsed.clone();
    let entitlement = Entitlement::of(viewer);
    let now = site.now;
    let counts = tokio::task::spawn_blocking(move || {
        sections
            .into_iter()
            .filter_map(|(slug, name)| {
                let mut narrowed = parsed.clone();
                narrowed.filters.section = Some(slug.clone());
                let n = index.count(&narrowed, &entitlement, now).ok()?;
                (n > 0).then_some((slug, name, n))
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(AppError::internal)?;
    Ok(counts
        .into_iter()
        .map(|(slug, name, n)| {
            let q = format!("{} section:{slug}", ask.raw);
            json!({ "name": name, "count": n, "url": search_url("/search/", &q, ask.sort, 1) })
        })
        .collect())
}

fn cache_header(reader: &Reader) -> &'static str {
    if reader.member.is_some() {
        PRIVATE_CACHE
    } else {
        PUBLIC_CACHE
    }
}

/// `/search/`: the results page; works without JavaScript.
pub async fn page(
    State(state): State<AppState>,
    reader: Reader,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let site = load(&state).await?;
    let ask = ask(query.as_deref());
    let viewer = viewer(&reader, site.now);
    let outcome = run(&state, &viewer, &ask, site.now).await?;
    let pages = outcome.total.div_ceil(PER_PAGE).clamp(1, MAX_PAGE);
    let link = |n: usize| search_url("/search/", &ask.raw, ask.sort, n);
    let posts: Vec<Value> = outcome
        .hits
        .iter()
        .map(|h| {
            let mut card = context::card(&h.view);
            card["title_html"] = json!(h.title_html);
            card["snippet"] = json!(h.snippet);
            card
        })
        .collect();
    let sorts: Vec<Value> = [Sort::Relevance, Sort::Date]
        .into_iter()
        .map(|s| {
            json!({
                "label": if s == Sort::Date { "Newest" } else { "Best match" },
                "url": search_url("/search/", &ask.raw, s, 1),
                "current": s == ask.sort,
            })
        })
        .collect();
    let meta = Meta {
        title: if ask.raw.is_empty() {
            format!("Search – {}", site.title)
        } else {
            format!("“{}” – Search – {}", ask.raw, site.title)
        },
        description: format!("Search {}", site.title),
        canonical: "/search/".into(),
        noindex: true,
        ..Meta::default()
    };
    let data = json!({
        "posts": posts,
        "total": outcome.total,
        "searched": !ask.parsed.is_empty(),
        "sorts": if outcome.total > 1 { sorts } else { vec![] },
        "filters": applied_filters(&ask),
        "sections": section_links(&state, &site, &ask, &viewer).await?,
        "suggestion": outcome.suggestion.as_ref().map(|s| json!({
            "query": s,
            "url": search_url("/search/", s, ask.sort, 1),
        })),
        "notices": ask.parsed.notices,
        "indexing": outcome.indexing,
        "pagination": {
            "page": ask.page,
            "pages": pages,
            "prev_url": (ask.page > 1).then(|| link(ask.page - 1)),
            "next_url": (ask.page < pages).then(|| link(ask.page + 1)),
            "prev_label": "Previous",
            "next_label": "Next",
        },
    });
    let mut ctx = page_context(&site, &meta, "search-template", &ask.raw, data);
    html_response(&state, &reader, "search", &mut ctx, None, false).await
}

/// `/search.json`: total, hits (title, url, kicker, dek, authors, date, snippet with `<mark>`
/// highlights), the applied filters, notices and a suggestion.
pub async fn json(
    State(state): State<AppState>,
    reader: Reader,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let now = Utc::now();
    let ask = ask(query.as_deref());
    let outcome = run(&state, &viewer(&reader, now), &ask, now).await?;
    let hits: Vec<Value> = outcome
        .hits
        .iter()
        .map(|h| {
            let v = &h.view;
            json!({
                "title": v.title,
                "title_html": h.title_html,
                "url": format!("{}{}", state.config.public_url, context::post_url(v.slug.as_str())),
                "kicker": v.section().map(|t| t.name.clone()),
                "dek": v.dek,
                "authors": v.authors.iter().map(|a| json!({
                    "name": a.name,
                    "url": format!("{}{}", state.config.public_url, context::author_url(a.slug.as_str())),
                })).collect::<Vec<_>>(),
                "date": v.published_at.map(|d| d.to_rfc3339()),
                "visibility": v.visibility.kind(),
                "snippet": h.snippet,
            })
        })
        .collect();
    let body = json!({
        "query": ask.raw,
        "sort": ask.sort.as_str(),
        "page": ask.page,
        "per_page": PER_PAGE,
        "total": outcome.total,
        "filters": filters_json(&ask.parsed),
        "notices": ask.parsed.notices,
        "suggestion": outcome.suggestion,
        "indexing": outcome.indexing,
        "hits": hits,
    });
    Ok(([(header::CACHE_CONTROL, cache_header(&reader))], Json(body)).into_response())
}
