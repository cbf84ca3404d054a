//! The article page: a post or static page, as much of it as this reader may read, with its
//! call to action, meter notice, gift box and Related Articles.

use super::extract::{Segments, query_param};
use super::pages::{cards, html_response, slug, views};
use super::reader::Reader;
use super::site::{load, page_context};
use super::{AppError, gifts, unlock};
use crate::cache::{self, Dep, Slot};
use crate::indexer;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use domain::access::{Unlock, Viewer, project};
use domain::{Access, Post, PostKind, PostView, Visibility};
use render::context;
use render::context::SiteInfo;
use render::head::Meta;
use serde_json::{Value, json};

/// The stored Related Articles of `post` that are live now; computed on the spot if the
/// indexer has not done it yet (after a bulk import), and kept once the index is complete.
async fn related(state: &AppState, post: &Post, now: DateTime<Utc>) -> Result<Vec<Post>, AppError> {
    cache::depends_on(Dep::Related(post.id.clone()));
    let ids = if let Some(ids) = state.store.related_ids(&post.id).await? {
        ids
    } else {
        let keep = state.search.is_ready();
        indexer::related_for(&state.store, &state.search.index(), post, keep).await?
    };
    let mut related = state.store.posts_by_ids(&ids).await?;
    related.retain(|p| p.id != post.id && p.kind == PostKind::Post && p.is_live(now));
    Ok(related)
}

/// `/{slug}/`: a post or a static page, as much of it as this reader may read.
pub async fn post(
    State(state): State<AppState>,
    reader: Reader,
    Segments(raw): Segments<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let slug = slug(&raw)?;
    let post = state
        .store
        .post_by_slug(slug.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    cache::shows(&post);
    let site = load(&state).await?;
    let gift = query_param(query.as_deref(), "gift");
    // A staff user reads everything in full, with an "Edit" link: a page for them alone, never
    // stored by the page cache (which also passes requests with a staff cookie by).
    let staff = super::admin::staff::signed_in(&state, &reader.jar).await?;
    let plan = if staff.is_some() {
        cache::dont_store();
        unlock::Plan::staff()
    } else {
        unlock::plan(
            &state,
            &reader,
            &post,
            Some(gift.as_str()).filter(|g| !g.is_empty()),
            site.now,
        )
        .await?
    };
    let view = project(&post, &plan.viewer, site.now);
    if view.access == Access::Denied {
        return Err(AppError::NotFound);
    }
    let (jar, meter) = unlock::record(&state, &reader, &plan, &view).await?;
    let page = Article {
        post: &post,
        view,
        meta_viewer: Viewer::anonymous(),
        meter,
        query: query.as_deref(),
        preview: false,
        staff: staff.is_some(),
    };
    page.respond(&state, Reader { jar, ..reader }, &site).await
}

/// One render of an article: the post, the view `project` made of it for the reader, the
/// viewer its meta tags and JSON-LD are built for (the same for every reader), and what the
/// public page adds (the meter notice, the gift box). A preview (`preview.rs`) is the same
/// page for a post in any status, private, never stored and not for search engines.
pub(super) struct Article<'a> {
    pub post: &'a Post,
    pub view: PostView,
    pub meta_viewer: Viewer,
    pub meter: Value,
    pub query: Option<&'a str>,
    pub preview: bool,
    /// Rendered for a signed-in staff user: an "Edit" link, private.
    pub staff: bool,
}

impl Article<'_> {
    /// Renders the page for `reader`.
    pub async fn respond(
        self,
        state: &AppState,
        reader: Reader,
        site: &SiteInfo,
    ) -> Result<Response, AppError> {
        let Article { post, view, .. } = &self;
        let mut meta = Meta::for_post(&project(post, &self.meta_viewer, site.now), site);
        meta.noindex |= self.preview;
        let (template, class, data) = match view.kind {
            PostKind::Page => (
                "page",
                "page-template",
                json!({ "post": context::article(view) }),
            ),
            PostKind::Post => {
                let related = related(state, post, site.now).await?;
                let offer = paywall_offer(state, &reader, post).await?;
                let mut data = json!({
                    "post": context::article(view),
                    "related": cards(&views(&related, &Viewer::anonymous(), site.now)),
                    "paywall": context::paywall(view, site, offer.as_ref()),
                    "meter": self.meter,
                    "gifted": view.unlocked_by == Some(Unlock::Gift),
                });
                if !self.preview {
                    gift_box(state, &reader, post, view, self.query, &mut data).await?;
                }
                ("post", "post-template", data)
            }
        };
        let mut ctx = page_context(site, &meta, class, "", data);
        if self.staff {
            ctx["edit_url"] = json!(format!("/admin/posts/{}/", post.id));
        }
        // Only members see forms on an article (the gift form); anonymous pages stay
        // cookie-free so they can be shared-cached.
        let reader = if reader.member.is_some() && !self.preview {
            let (reader, csrf) = reader.csrf(state);
            ctx["csrf"] = json!(cache::slot(Slot::Csrf, csrf));
            reader
        } else {
            reader
        };
        let private = view.unlocked_by.is_some() || self.preview || self.staff;
        let mut res = html_response(
            state,
            &reader,
            template,
            &mut ctx,
            Some(post.updated_at),
            private,
        )
        .await?;
        if self.preview {
            preview_headers(&mut res);
        }
        Ok((reader.jar, res).into_response())
    }
}

/// A preview is for whoever holds the link: never kept by any cache, never indexed.
fn preview_headers(res: &mut Response) {
    cache::dont_store();
    let headers = res.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
}

/// What unlocks a gated post: the cheapest tier that includes it, with its price and button.
async fn paywall_offer(
    state: &AppState,
    reader: &Reader,
    post: &Post,
) -> Result<Option<context::Offer>, AppError> {
    let tiers = state.store.tiers().await?;
    let tier = match &post.visibility {
        Visibility::Public | Visibility::Members => None,
        Visibility::Paid => tiers.iter().find(|t| t.is_paid()),
        Visibility::Tiers(slugs) => tiers.iter().find(|t| slugs.contains(&t.slug)),
    };
    let signed_in = reader.member.is_some();
    let cta_url = match (tier, signed_in, state.config.stripe.is_some()) {
        (Some(t), true, true) => format!("/members/checkout?tier={}&cadence=month", t.slug),
        // The article's path rides along, so a sign-up is attributed to it (`ops::analytics`).
        (Some(t), _, _) => format!("/signup/?tier={}&redirect=/{}/", t.slug, post.slug),
        (None, _, _) => format!("/signup/?redirect=/{}/", post.slug),
    };
    Ok(Some(context::Offer {
        tier_name: tier.map(|t| t.name.clone()),
        price: tier.and_then(|t| t.price_label(false)),
        cta_label: if signed_in {
            "Upgrade".into()
        } else {
            "Subscribe".into()
        },
        cta_url,
        signed_in,
    }))
}

/// The "Gift this article" form for paid members on gated posts they may give (those their
/// membership lets them read in full), and a just-created link.
async fn gift_box(
    state: &AppState,
    reader: &Reader,
    post: &Post,
    view: &PostView,
    query: Option<&str>,
    data: &mut Value,
) -> Result<(), AppError> {
    let now = Utc::now();
    let (Some(current), Some(access)) = (&reader.member, reader.access(now)) else {
        return Ok(());
    };
    if view.visibility.is_public() || !gifts::may_give(post, &access, now) {
        return Ok(());
    }
    let remaining = gifts::remaining(state, &current.member.id).await?;
    let remaining = cache::slot(Slot::GiftsLeft, remaining.to_string());
    data["gift"] = json!({ "action": "/members/gift", "post_id": view.id, "remaining": remaining });
    let created = query_param(query, "gift_created");
    if !created.is_empty() {
        cache::dont_store();
    }
    if let Some(gift) = gifts::open(state, &created, now).await?
        && gift.member_id == current.member.id
        && gift.post_id == view.id
    {
        data["gift_url"] = json!(gifts::url(state, view.slug.as_str(), &gift.id));
    }
    Ok(())
}
