//! `/admin/tags/`: sections and topics for editors and up — the list with post counts, a form
//! to add or edit one (name, slug, description, colour, image, meta title and description,
//! kind), and deletion after a confirmation. Every write goes through `ops::tags`.

use super::signin::status_of;
use super::staff::Staff;
use super::view;
use crate::http::AppError;
use crate::ops::{OpsError, tags};
use crate::state::AppState;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Action, Slug, Tag, TagKind, TagMeta};
use serde::Deserialize;
use serde_json::{Value, json};

/// `GET /admin/tags/`.
pub async fn list(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Action::ManageTags, false)?;
    let counts = state.store.tag_post_counts().await?;
    let rows: Vec<Value> = state
        .store
        .tags()
        .await?
        .iter()
        .map(|t| {
            let mut row = tag_json(t);
            row["posts"] = json!(counts.get(&t.id).copied().unwrap_or(0));
            row
        })
        .collect();
    staff.page("tags/list", "Tags", json!({ "tags": rows }))
}

/// `GET /admin/tags/new/`.
pub async fn new_page(staff: Staff) -> Result<Response, AppError> {
    staff.require(Action::ManageTags, false)?;
    form_page(staff, &TagForm::default(), None, None)
}

/// `GET /admin/tags/{id}/`.
pub async fn edit_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Action::ManageTags, false)?;
    let tag = found(&state, &id).await?;
    form_page(staff, &TagForm::of(&tag), Some(&tag.id), None)
}

/// `POST /admin/tags/new/`.
pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<TagForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let done = match form.tag(crate::compose::new_id()) {
        Ok(tag) => tags::add(&state.ops(), staff.actor(), &tag).await,
        Err(e) => Err(e),
    };
    after(staff, &form, None, done)
}

/// `POST /admin/tags/{id}/`.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<TagForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let done = match form.tag(id.clone()) {
        Ok(tag) => tags::edit(&state.ops(), staff.actor(), &tag).await,
        Err(e) => Err(e),
    };
    after(staff, &form, Some(&id), done)
}

/// `GET /admin/tags/{id}/delete`: the confirmation.
pub async fn delete_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Action::ManageTags, false)?;
    let tag = found(&state, &id).await?;
    let posts = state.store.tag_post_counts().await?;
    let data = json!({ "tag": tag_json(&tag), "posts": posts.get(&tag.id).copied().unwrap_or(0) });
    staff.page("tags/delete", "Delete tag", data)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/tags/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    tags::delete(&state.ops(), staff.actor(), &id).await?;
    Ok(back_to_list())
}

async fn found(state: &AppState, id: &str) -> Result<Tag, AppError> {
    state.store.tag_by_id(id).await?.ok_or(AppError::NotFound)
}

/// After a save: the list, or the form again with what was typed and the error.
fn after(
    staff: Staff,
    form: &TagForm,
    id: Option<&str>,
    done: Result<(), OpsError>,
) -> Result<Response, AppError> {
    match done {
        Ok(()) => Ok(back_to_list()),
        Err(e) if e.is_for_reader() => form_page(staff, form, id, Some(&e)),
        Err(e) => Err(e.into()),
    }
}

fn back_to_list() -> Response {
    let mut r = Redirect::to("/admin/tags/").into_response();
    view::headers(&mut r);
    r
}

fn form_page(
    staff: Staff,
    form: &TagForm,
    id: Option<&str>,
    error: Option<&OpsError>,
) -> Result<Response, AppError> {
    let action = id.map_or_else(
        || "/admin/tags/new/".to_owned(),
        |id| format!("/admin/tags/{id}/"),
    );
    let data = json!({
        "form": form,
        "action": action,
        "id": id,
        "section": form.kind == "section",
        "error": error.map(ToString::to_string),
    });
    let title = if id.is_some() { "Edit tag" } else { "New tag" };
    let status = error.map_or(axum::http::StatusCode::OK, status_of);
    view::page_with_status(
        staff.visitor,
        Some(&staff.user),
        status,
        "tags/edit",
        title,
        data,
    )
}

fn tag_json(t: &Tag) -> Value {
    json!({
        "id": t.id, "name": t.name, "slug": t.slug.as_str(), "kind": t.kind.as_str(),
        "description": t.description, "accent_color": t.meta.accent_color,
    })
}

/// The tag form as posted (and as shown again).
#[derive(Deserialize, serde::Serialize, Default)]
#[serde(default)]
pub struct TagForm {
    #[serde(skip_serializing)]
    csrf: String,
    name: String,
    slug: String,
    description: String,
    accent_color: String,
    feature_image: String,
    meta_title: String,
    meta_description: String,
    kind: String,
}

impl TagForm {
    fn of(t: &Tag) -> TagForm {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        TagForm {
            csrf: String::new(),
            name: t.name.clone(),
            slug: t.slug.to_string(),
            description: t.description.clone(),
            accent_color: text(&t.meta.accent_color),
            feature_image: text(&t.meta.feature_image),
            meta_title: text(&t.meta.meta_title),
            meta_description: text(&t.meta.meta_description),
            kind: t.kind.as_str().to_owned(),
        }
    }

    /// The tag this form describes, with `id`; a blank slug comes from the name.
    fn tag(&self, id: String) -> Result<Tag, OpsError> {
        let name = self.name.trim().to_owned();
        let slug = match self.slug.trim() {
            "" => Slug::from_text(&name),
            s => Slug::parse(s).map_err(|e| OpsError::Invalid(format!("Slug: {}", e.0)))?,
        };
        let kind = TagKind::parse(self.kind.trim()).map_err(|e| OpsError::Invalid(e.0))?;
        let optional = |v: &str| Some(v.trim()).filter(|v| !v.is_empty()).map(str::to_owned);
        Ok(Tag {
            id,
            slug,
            name,
            description: self.description.trim().to_owned(),
            kind,
            meta: TagMeta {
                accent_color: optional(&self.accent_color),
                feature_image: optional(&self.feature_image),
                meta_title: optional(&self.meta_title),
                meta_description: optional(&self.meta_description),
            },
        })
    }
}
