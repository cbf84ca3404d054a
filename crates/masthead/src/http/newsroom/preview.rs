//! `/admin/posts/{id}/preview/`: the post exactly as a chosen reader will see it —
//! anonymous, a free member, a member of each paid tier, staff — at desktop and phone widths.
//! The frames render the public article page through `domain::access::project` with the
//! chosen viewer and a preview pass (`http::preview::chosen_viewer`), as `/p/{id}/` does.

use super::{AppError, edit_url, find};
use crate::http::admin::staff::Staff;
use crate::http::article::Article;
use crate::http::extract::query_param;
use crate::http::preview::chosen_viewer;
use crate::http::reader::Reader;
use crate::http::site::load;
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use domain::Action;
use domain::access::{Viewer, project};
use serde_json::{Value, json};

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    staff.require(Action::Browse, false)?;
    let post = find(&state, &id).await?;
    let choice = query_param(query.as_deref(), "as");
    let choice = if chosen_viewer(&choice).is_some() {
        choice
    } else {
        "anonymous".into()
    };
    let mut viewers = vec![
        ("anonymous".to_owned(), "Anonymous reader".to_owned()),
        ("free".to_owned(), "Free member".to_owned()),
    ];
    for tier in state.store.tiers().await?.iter().filter(|t| t.is_paid()) {
        viewers.push((
            format!("tier:{}", tier.slug),
            format!("{} member", tier.name),
        ));
    }
    viewers.push(("staff".into(), "Staff".into()));
    let label = viewers
        .iter()
        .find(|(v, _)| *v == choice)
        .map_or_else(String::new, |(_, l)| l.clone());
    let encoded: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("as", &choice)
        .finish();
    let data = json!({
        "edit_url": edit_url(&id),
        "preview_url": format!("/admin/posts/{id}/preview/"),
        "frame_url": format!("/admin/posts/{id}/preview/frame?{encoded}"),
        "viewer_label": label,
        "viewers": viewers.iter().map(|(v, l)| json!({"value": v, "label": l, "selected": *v == choice})).collect::<Vec<_>>(),
    });
    staff.page("posts/preview", &format!("Preview: {}", post.title), data)
}

/// The article page as the chosen reader sees it (`noindex`, `private, no-store`).
pub async fn frame(
    State(state): State<AppState>,
    staff: Staff,
    reader: Reader,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    staff.require(Action::Browse, false)?;
    let post = find(&state, &id).await?;
    let viewer = chosen_viewer(&query_param(query.as_deref(), "as")).ok_or(AppError::NotFound)?;
    let site = load(&state).await?;
    let view = project(&post, &viewer.with_preview(&post.id), site.now);
    let page = Article {
        post: &post,
        view,
        meta_viewer: Viewer::anonymous().with_preview(&post.id),
        meter: Value::Null,
        query: None,
        preview: true,
        staff: false,
    };
    page.respond(&state, reader, &site).await
}
