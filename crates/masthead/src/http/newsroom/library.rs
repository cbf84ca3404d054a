//! The media library pages (`/admin/media/`): a grid of thumbnails (the 320-wide variant)
//! searched by file name and alt text, 24 a page; an upload form; and each item's page, with
//! its alt text to edit, a form to replace it, deletion (refused, naming the posts, while any
//! post shows it), its URL to copy and a link starting a post with it as the lead image.
//! The forms are plain (multipart for files) and work without JavaScript; every write goes
//! through `ops::media`'s staff-checked use cases.

use super::upload::{Refusal, read_form, refusal};
use crate::http::AppError;
use crate::http::admin::staff::Staff;
use crate::http::extract::query_param;
use crate::media::names::{URL_PREFIX, variant_path};
use crate::ops::media::Upload;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::Action;
use serde_json::{Value, json};
use store::Media;

/// Items on one page of the library.
const PER_PAGE: u32 = 24;
/// The thumbnail's width (a variant every image wider than it has).
const THUMB: u32 = 320;

fn item_url(id: &str) -> String {
    format!("/admin/media/{id}/")
}

/// The site path of `media`'s thumbnail: the 320-wide WebP once made, else the original.
fn thumbnail(media: &Media) -> String {
    if media.variant_widths.contains(&THUMB) {
        format!("{URL_PREFIX}{}", variant_path(&media.path, THUMB, true))
    } else {
        format!("{URL_PREFIX}{}", media.path)
    }
}

fn card(media: &Media) -> Value {
    json!({
        "id": media.id, "file_name": media.file_name, "alt": media.alt,
        "thumb": thumbnail(media), "width": media.width, "height": media.height,
        "url": format!("{URL_PREFIX}{}", media.path), "edit_url": item_url(&media.id),
    })
}

/// How many of the newest items the editor's lead-image field offers.
const CHOICES: u32 = 12;

/// The newest items, for the editor's "Choose from the library".
pub async fn choices(state: &AppState) -> Result<Vec<Value>, AppError> {
    let newest = state
        .media_library()
        .list(None, CHOICES, 0)
        .await
        .map_err(AppError::internal)?;
    Ok(newest
        .items
        .iter()
        .map(|m| {
            let mut card = card(m);
            card["public_url"] = json!(state.media_library().url(m));
            card
        })
        .collect())
}

/// `GET /admin/media/` (`?q=` searches, `?page=`).
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    staff.require(Action::UploadMedia, true)?;
    let query = query.as_deref();
    let q = query_param(query, "q").trim().to_owned();
    let notice = match query_param(query, "done").as_str() {
        "uploaded" => Some("Uploaded."),
        "deleted" => Some("Deleted."),
        _ => None,
    };
    list(
        &state,
        staff,
        &q,
        page_number(query),
        notice,
        None,
        StatusCode::OK,
    )
    .await
}

fn page_number(query: Option<&str>) -> u32 {
    query_param(query, "page")
        .parse()
        .unwrap_or(1)
        .clamp(1, 10_000)
}

async fn list(
    state: &AppState,
    staff: Staff,
    q: &str,
    page: u32,
    notice: Option<&str>,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let offset = u64::from(page - 1) * u64::from(PER_PAGE);
    let search = Some(q).filter(|q| !q.is_empty());
    let found = state
        .media_library()
        .list(search, PER_PAGE, offset)
        .await
        .map_err(AppError::internal)?;
    let pages = found.total.div_ceil(u64::from(PER_PAGE)).max(1);
    let page_url = |n: u32| {
        let pairs = [("q", q.to_owned()), ("page", n.to_string())];
        let encoded = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs.iter().filter(|(_, v)| !v.is_empty()))
            .finish();
        format!("/admin/media/?{encoded}")
    };
    let data = json!({
        "q": q,
        "items": found.items.iter().map(card).collect::<Vec<_>>(),
        "total": found.total,
        "page": page,
        "pages": pages,
        "prev_url": (page > 1).then(|| page_url(page - 1)),
        "next_url": (u64::from(page) < pages).then(|| page_url(page + 1)),
        "notice": notice,
        "error": error,
        "max_mb": state.config.media_max_bytes.div_ceil(1024 * 1024),
    });
    let mut response = staff.page("media/list", "Media", data)?;
    *response.status_mut() = status;
    Ok(response)
}

/// `POST /admin/media/`: the library's upload form (multipart: `csrf`, `file`, `alt`).
pub async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    request: Request,
) -> Result<Response, AppError> {
    let form = match read_form(&state, request).await {
        Ok(form) => form,
        Err(refused) => return shown_on_list(&state, staff, &refused).await,
    };
    staff.check_csrf(&form.csrf)?;
    let Some((name, bytes)) = &form.file else {
        let missing = Refusal {
            status: StatusCode::BAD_REQUEST,
            code: "invalid",
            message: "Choose an image to upload.".into(),
        };
        return shown_on_list(&state, staff, &missing).await;
    };
    let upload = Upload {
        file_name: name,
        bytes,
        alt: &form.alt,
        uploaded_by: None,
    };
    let uploaded = state
        .media_library()
        .upload_as(staff.actor(), upload, Utc::now())
        .await;
    match uploaded {
        Ok(media) => Ok(Redirect::to(&item_url(&media.id)).into_response()),
        Err(err) => shown_on_list(&state, staff, &refusal(err)?).await,
    }
}

async fn shown_on_list(
    state: &AppState,
    staff: Staff,
    refused: &Refusal,
) -> Result<Response, AppError> {
    let message = Some(refused.message.as_str());
    list(state, staff, "", 1, None, message, refused.status).await
}

/// `GET /admin/media/{id}/`.
pub async fn item(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    staff.require(Action::UploadMedia, true)?;
    let notice = match query_param(query.as_deref(), "done").as_str() {
        "saved" => Some("Saved."),
        "replaced" => {
            Some("Replaced. Posts that show the old image keep showing it until you change them.")
        }
        _ => None,
    };
    show(&state, staff, &id, notice, None, StatusCode::OK).await
}

async fn show(
    state: &AppState,
    staff: Staff,
    id: &str,
    notice: Option<&str>,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let library = state.media_library();
    let media = state
        .store
        .media_by_id(id)
        .await?
        .filter(|m| m.replaced_by.is_none())
        .ok_or(AppError::NotFound)?;
    let users = state.store.media_users(&media.path, 10).await?;
    let data = json!({
        "item": card(&media),
        "public_url": library.url(&media),
        "lead_url": format!("/admin/posts/new/?image={}", urlencoding(&library.url(&media))),
        "can_change": library.may_change(staff.actor(), &media),
        "used_by": users,
        "mime": media.mime,
        "kb": media.bytes.div_ceil(1024),
        "alt_url": format!("{}alt", item_url(id)),
        "replace_url": format!("{}replace", item_url(id)),
        "delete_url": format!("{}delete", item_url(id)),
        "notice": notice,
        "error": error,
    });
    let title = format!("Image: {}", media.file_name);
    let mut response = staff.page("media/item", &title, data)?;
    *response.status_mut() = status;
    Ok(response)
}

fn urlencoding(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// `POST /admin/media/{id}/alt` (urlencoded: `csrf`, `alt`).
pub async fn alt(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let field = |name: &str| {
        form_urlencoded::parse(&body)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    staff.check_csrf(&field("csrf"))?;
    let saved = state
        .media_library()
        .set_alt_as(staff.actor(), &id, &field("alt"))
        .await;
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("{}?done=saved", item_url(&id))).into_response()),
        Err(err) => shown_on_item(&state, staff, &id, &refusal(err)?).await,
    }
}

/// `POST /admin/media/{id}/replace` (multipart: `csrf`, `file`, optional `alt`).
pub async fn replace(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let form = match read_form(&state, request).await {
        Ok(form) => form,
        Err(refused) => return shown_on_item(&state, staff, &id, &refused).await,
    };
    staff.check_csrf(&form.csrf)?;
    let Some((name, bytes)) = &form.file else {
        let missing = Refusal {
            status: StatusCode::BAD_REQUEST,
            code: "invalid",
            message: "Choose the image that replaces this one.".into(),
        };
        return shown_on_item(&state, staff, &id, &missing).await;
    };
    let upload = Upload {
        file_name: name,
        bytes,
        alt: &form.alt,
        uploaded_by: None,
    };
    let replaced = state
        .media_library()
        .replace_as(staff.actor(), &id, upload, Utc::now())
        .await;
    match replaced {
        Ok(media) => {
            Ok(Redirect::to(&format!("{}?done=replaced", item_url(&media.id))).into_response())
        }
        Err(err) => shown_on_item(&state, staff, &id, &refusal(err)?).await,
    }
}

/// `POST /admin/media/{id}/delete` (urlencoded: `csrf`).
pub async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    super::check_form_csrf(&staff, &body)?;
    match state.media_library().delete_as(staff.actor(), &id).await {
        Ok(()) => Ok(Redirect::to("/admin/media/?done=deleted").into_response()),
        Err(err) => shown_on_item(&state, staff, &id, &refusal(err)?).await,
    }
}

async fn shown_on_item(
    state: &AppState,
    staff: Staff,
    id: &str,
    refused: &Refusal,
) -> Result<Response, AppError> {
    if refused.status == StatusCode::NOT_FOUND {
        return Err(AppError::NotFound);
    }
    show(
        state,
        staff,
        id,
        None,
        Some(&refused.message),
        refused.status,
    )
    .await
}
