//! The editor page: `/admin/posts/new/` and `/admin/posts/{id}/`, a plain form that works
//! without JavaScript (the rich-text bundle enhances its `textarea[data-editor]`). A save
//! names the revision the editor's copy was based on; if someone saved since, nothing is
//! written and the page offers to reload or to save this version as a copy.

use super::form::PostForm;
use super::lead;
use super::{AppError, UPLOAD_URL, check_form_csrf, edit_url, find, refused, stage, when};
use crate::compose::Composer;
use crate::http::admin::staff::Staff;
use crate::http::extract::query_param;
use crate::ops::posts::PostError;
use crate::ops::posts::newsroom;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::{Action, Post, PostKind, RevisionFields, Status, TagKind};
use serde_json::{Value, json};

/// `GET /admin/posts/new/` (`?kind=page` for a page).
pub async fn new_page(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    staff.require(Action::EditDraft, true)?;
    let kind = PostKind::parse(&query_param(query.as_deref(), "kind")).unwrap_or(PostKind::Post);
    let form = PostForm {
        authors: vec![staff.user.author.slug.to_string()],
        // "Use as lead image" in the media library starts a post with it.
        image_url: query_param(query.as_deref(), "image"),
        // The settings' "New posts are readable by" until the writer chooses.
        visibility: state
            .settings
            .get()
            .await?
            .default_content_visibility
            .clone(),
        ..PostForm::default()
    };
    render(&state, staff, None, kind, &form, None, StatusCode::OK).await
}

/// `GET /admin/posts/{id}/`.
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let post = find(&state, &id).await?;
    staff.require(Action::Browse, false)?;
    let form = form_of(&state, &post).await?;
    let notice = (query_param(query.as_deref(), "saved") == "1").then_some("saved");
    render(
        &state,
        staff,
        Some(&post),
        post.kind,
        &form,
        notice,
        StatusCode::OK,
    )
    .await
}

/// The form filled from the stored post and its newest revision.
async fn form_of(state: &AppState, post: &Post) -> Result<PostForm, AppError> {
    let markdown = state.store.post_source(&post.id).await?.unwrap_or_default();
    let base = state.store.latest_revision(&post.id).await?;
    Ok(PostForm {
        base_revision: base.map_or_else(|| store::NO_REVISION_YET.to_owned(), |r| r.id),
        ..PostForm::of_fields(RevisionFields::of(post), markdown)
    })
}

/// The editor page for `post` (or a new one of `kind`) showing `form`; `notice` is `saved`
/// or an error message.
async fn render(
    state: &AppState,
    staff: Staff,
    post: Option<&Post>,
    kind: PostKind,
    form: &PostForm,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let now = Utc::now();
    let tags = state.store.tags().await?;
    let authors = state.store.authors().await?;
    let tiers = state.store.tiers().await?;
    let library = super::library::choices(state).await?;
    let noun = if kind == PostKind::Page {
        "page"
    } else {
        "post"
    };
    let choices = [
        ("public", "Public"),
        ("members", "Members only"),
        ("paid", "Paid members"),
        ("tiers", "Chosen tiers"),
    ];
    let visibilities: Vec<Value> = choices
        .iter()
        .map(|(v, l)| {
            let selected = *v == form.visibility || (form.visibility.is_empty() && *v == "public");
            json!({"value": v, "label": l, "selected": selected})
        })
        .collect();
    let mut data = json!({
        "noun": noun,
        "form": {
            "title": form.title, "slug": form.slug, "section": form.section, "dek": form.dek,
            "authors": form.authors.join(", "), "tags": form.tags.join(", "),
            "image_url": form.image_url, "image_alt": form.image_alt,
            "image_caption": form.image_caption, "image_credit": form.image_credit,
            "markdown": form.markdown, "meta_title": form.meta_title,
            "meta_description": form.meta_description, "canonical_url": form.canonical_url,
            "og_title": form.og_title, "og_description": form.og_description,
            "og_image": form.og_image, "twitter_title": form.twitter_title,
            "twitter_description": form.twitter_description,
            "twitter_image": form.twitter_image,
            "featured": form.featured, "published_at": form.published_at,
            "base_revision": form.base_revision,
        },
        "saved": notice == Some("saved"),
        "error": notice.filter(|n| *n != "saved"),
        "upload_url": UPLOAD_URL,
        "library": library,
        "max_mb": state.config.media_max_bytes.div_ceil(1024 * 1024),
        // The rich-text bundle, when it is built into `assets/admin/`.
        "editor_js": crate::http::admin::assets::url("editor.js"),
        "editor_css": crate::http::admin::assets::url("editor.css"),
        "sections": tags.iter().filter(|t| t.kind == TagKind::Section)
            .map(|t| json!({"slug": t.slug.as_str(), "name": t.name})).collect::<Vec<_>>(),
        "author_options": authors.iter()
            .map(|a| json!({"slug": a.slug.as_str(), "name": a.name})).collect::<Vec<_>>(),
        "visibilities": visibilities,
        "tiers": tiers.iter().filter(|t| t.is_paid()).map(|t| json!({"slug": t.slug.as_str(), "name": t.name,
            "selected": form.tiers.iter().any(|s| s == t.slug.as_str())})).collect::<Vec<_>>(),
    });
    let title = if let Some(post) = post {
        fill_post(state, &staff, post, now, &mut data).await?;
        format!("Edit: {}", post.title)
    } else {
        data["action"] = json!(format!("/admin/posts/new/?kind={}", kind.as_str()));
        format!("New {noun}")
    };
    let mut response = staff.page("posts/edit", &title, data)?;
    *response.status_mut() = status;
    Ok(response)
}

/// What the editor page shows of a stored post: its URLs and the actions the role allows.
async fn fill_post(
    state: &AppState,
    staff: &Staff,
    post: &Post,
    now: chrono::DateTime<Utc>,
    data: &mut Value,
) -> Result<(), AppError> {
    let id = &post.id;
    let url = |tail: &str| format!("/admin/posts/{id}/{tail}");
    let (_, stage_label) = stage(post, now);
    let actor = staff.actor();
    let others = crate::ops::posts::revisions::PRESENCE_WINDOW_SECS;
    let present = state
        .store
        .present_editors(id, staff.user.id(), now - chrono::Duration::seconds(others))
        .await?;
    let names: Vec<&str> = present.iter().map(|p| p.name.as_str()).collect();
    let preview_id = state.store.preview_id(id).await?;
    let fields = json!({
        "post": true,
        "action": edit_url(id),
        "autosave_url": url("autosave"),
        "presence_url": url("presence"),
        "copy_url": url("copy"),
        "preview_url": url("preview/"),
        "revisions_url": url("revisions/"),
        "publish_url": url("publish"),
        "schedule_url": url("schedule"),
        "unpublish_url": url("unpublish"),
        "delete_url": url("delete"),
        "duplicate_url": url("duplicate"),
        "share_url": preview_id.map(|p| format!("/p/{p}/")),
        "share_make_url": url("share"),
        "public_url": post.is_live(now).then(|| format!("/{}/", post.slug)),
        "stage_label": stage_label,
        "published_label": post.published_at.map(when),
        "live_or_scheduled": post.status != Status::Draft,
        "can_publish": newsroom::may(actor, Action::Publish, post),
        "can_delete": newsroom::may(actor, if post.status == Status::Draft { Action::EditDraft } else { Action::DeletePublished }, post),
        "others": names.join(", "),
        "others_many": names.len() > 1,
    });
    if let (Value::Object(data), Value::Object(fields)) = (data, fields) {
        data.extend(fields);
    }
    Ok(())
}

/// `POST /admin/posts/new/`: starts a draft, then opens it in the editor.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
    request: Request,
) -> Result<Response, AppError> {
    let read = lead::read(&state, &staff, request).await?;
    check_form_csrf(&staff, &read.body)?;
    let kind = PostKind::parse(&query_param(query.as_deref(), "kind")).unwrap_or(PostKind::Post);
    let form = PostForm::parse(&read.body);
    if let Some(refused) = read.refused {
        return render(
            &state,
            staff,
            None,
            kind,
            &form,
            Some(&refused.message),
            refused.status,
        )
        .await;
    }
    let draft = match form
        .lead_alt()
        .and_then(|()| form.to_draft(kind, Status::Draft))
    {
        Ok(draft) => draft,
        Err(message) => {
            return render(
                &state,
                staff,
                None,
                kind,
                &form,
                Some(&message),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    let mut composer = Composer::new(&state.store);
    match newsroom::create(
        &state.ops(),
        &mut composer,
        staff.actor(),
        draft,
        Utc::now(),
    )
    .await
    {
        Ok(post) => Ok(Redirect::to(&format!("{}?saved=1", edit_url(&post.id))).into_response()),
        Err(PostError::Invalid(message)) => {
            render(
                &state,
                staff,
                None,
                kind,
                &form,
                Some(&message),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(err) => Err(refused(err)),
    }
}

/// `POST /admin/posts/{id}/`: saves the form over the revision it was based on.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let read = lead::read(&state, &staff, request).await?;
    check_form_csrf(&staff, &read.body)?;
    let post = find(&state, &id).await?;
    let form = PostForm::parse(&read.body);
    if let Some(refused) = read.refused {
        let message = Some(refused.message.as_str());
        return render(
            &state,
            staff,
            Some(&post),
            post.kind,
            &form,
            message,
            refused.status,
        )
        .await;
    }
    let draft = match form.lead_alt().and_then(|()| form.to_edit(&post)) {
        Ok(draft) => draft,
        Err(message) => {
            return render(
                &state,
                staff,
                Some(&post),
                post.kind,
                &form,
                Some(&message),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    let mut composer = Composer::new(&state.store);
    let saved = newsroom::save(
        &state.ops(),
        &mut composer,
        staff.actor(),
        &post,
        form.base(),
        draft,
        Utc::now(),
    )
    .await;
    match saved {
        Ok(_) => Ok(Redirect::to(&format!("{}?saved=1", edit_url(&id))).into_response()),
        Err(err @ PostError::Stale { .. }) => conflict(staff, &post, &form, &err.to_string()),
        Err(PostError::Invalid(message)) => {
            render(
                &state,
                staff,
                Some(&post),
                post.kind,
                &form,
                Some(&message),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(err) => Err(refused(err)),
    }
}

/// The 409 page of a save based on an old revision: reload, or save this version as a copy.
fn conflict(
    staff: Staff,
    post: &Post,
    form: &PostForm,
    message: &str,
) -> Result<Response, AppError> {
    let social = form
        .social_pairs()
        .map(|(name, value)| (name, value.to_owned()));
    let fields: Vec<Value> = [
        ("title", form.title.clone()),
        ("section", form.section.clone()),
        ("dek", form.dek.clone()),
        ("authors", form.authors.join(", ")),
        ("tags", form.tags.join(", ")),
        ("image_url", form.image_url.clone()),
        ("image_alt", form.image_alt.clone()),
        ("image_caption", form.image_caption.clone()),
        ("image_credit", form.image_credit.clone()),
        ("visibility", form.visibility.clone()),
        ("tiers", form.tiers.join(", ")),
        ("markdown", form.markdown.clone()),
        ("meta_title", form.meta_title.clone()),
        ("meta_description", form.meta_description.clone()),
        ("canonical_url", form.canonical_url.clone()),
        (
            "featured",
            if form.featured {
                "on".into()
            } else {
                String::new()
            },
        ),
    ]
    .into_iter()
    .chain(social)
    .map(|(name, value)| json!({"name": name, "value": value}))
    .collect();
    let data = json!({
        "message": message,
        "reload_url": edit_url(&post.id),
        "copy_url": format!("/admin/posts/{}/copy", post.id),
        "fields": fields,
        "markdown": form.markdown,
    });
    let mut response = staff.page("posts/conflict", "Someone saved first", data)?;
    *response.status_mut() = StatusCode::CONFLICT;
    Ok(response)
}

/// `POST /admin/posts/{id}/copy`: this version of the post as a new draft ("Copy of …").
pub async fn copy(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    check_form_csrf(&staff, &body)?;
    let post = find(&state, &id).await?;
    let form = PostForm::parse(&body);
    let mut draft =
        form.to_draft(post.kind, Status::Draft)
            .map_err(|message| AppError::BadRequest {
                code: "invalid",
                message,
            })?;
    draft.slug = None;
    draft.title = format!("Copy of {}", draft.title);
    let mut composer = Composer::new(&state.store);
    let copy = newsroom::create(
        &state.ops(),
        &mut composer,
        staff.actor(),
        draft,
        Utc::now(),
    )
    .await
    .map_err(refused)?;
    Ok(Redirect::to(&format!("{}?saved=1", edit_url(&copy.id))).into_response())
}
