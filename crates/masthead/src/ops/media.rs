//! The media library's use cases: an upload checked, cleaned of metadata and stored under an
//! immutable name with its row, then its variants job queued (`media.variants`); alt text set; an
//! item replaced; an item deleted when no post uses it; the library listed.
//!
//! Replacing never changes what a URL serves: the new bytes get a new name (names carry a hash
//! of the bytes) and a new row, and the old row points at it (`replaced_by`). The old URLs
//! keep serving the old bytes, so posts that name them keep working and caches holding them
//! for a year stay right; the library shows only the newest item, and deleting it deletes its
//! predecessors too, once no post names any of them.

mod newsroom;

use super::Ops;
use crate::media::names::{self, URL_PREFIX};
use crate::media::{CheckError, Limits, check, clean};
use chrono::{DateTime, Utc};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use std::sync::Arc;
use store::{Media, MediaPage, NewJob, StoreError, VariantsState};

/// Why a media use case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The upload was refused; the message tells the editor what to do.
    #[error(transparent)]
    Refused(#[from] CheckError),
    #[error("That image no longer exists.")]
    NotFound,
    /// The titles of (some of) the posts and pages that show the image.
    #[error(
        "This image is used in {}, so it cannot be deleted. Remove it from the posts that show it first.", in_use(.0)
    )]
    InUse(Vec<String>),
    /// The staff user's role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    #[error("Alt text is at most {MAX_ALT} characters.")]
    AltTooLong,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the media store failed: {0}")]
    Objects(#[from] object_store::Error),
    /// The checking task panicked or was cancelled.
    #[error(transparent)]
    Task(#[from] tokio::task::JoinError),
    /// Queueing the variants job failed.
    #[error(transparent)]
    Queue(#[from] super::OpsError),
}

impl MediaError {
    /// Whether the message is for the editor rather than a failure to log.
    pub fn is_for_editor(&self) -> bool {
        matches!(
            self,
            MediaError::Refused(_)
                | MediaError::NotFound
                | MediaError::InUse(_)
                | MediaError::Forbidden(_)
                | MediaError::AltTooLong
        )
    }
}

/// How many of the posts using an image a refused deletion names.
const SHOWN_USERS: u32 = 10;

/// "“A” and “B”" for the refusal's message (a post or page when none is named).
fn in_use(titles: &[String]) -> String {
    let quoted: Vec<String> = titles
        .iter()
        .map(|t| format!("\u{201c}{t}\u{201d}"))
        .collect();
    match quoted.split_last() {
        None => "a post or page".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The longest alt text kept (Ghost's limit for image alt text).
pub const MAX_ALT: usize = 2000;

/// A file as an editor uploaded it.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub alt: &'a str,
    /// The staff member uploading, when known.
    pub uploaded_by: Option<&'a str>,
}

/// The media library as a server (or a command) runs it: the use cases, the object store the
/// images live in, and the upload limits.
#[derive(Clone)]
pub struct Library<'a> {
    ops: Ops<'a>,
    objects: Arc<dyn ObjectStore>,
    limits: Limits,
}

impl<'a> Library<'a> {
    pub fn new(ops: Ops<'a>, objects: Arc<dyn ObjectStore>, limits: Limits) -> Library<'a> {
        Library {
            ops,
            objects,
            limits,
        }
    }

    /// The public URL of a stored item.
    pub fn url(&self, media: &Media) -> String {
        format!("{}{URL_PREFIX}{}", self.ops.public_url, media.path)
    }

    /// Checks, cleans and stores an upload, records it, and starts making its variants.
    pub async fn upload(
        &self,
        upload: Upload<'_>,
        now: DateTime<Utc>,
    ) -> Result<Media, MediaError> {
        let media = self.store_upload(upload, now).await?;
        self.ops.store.insert_media(&media).await?;
        self.start_variants(&media, now).await?;
        Ok(media)
    }

    /// Stores new bytes for item `id` under a new name (see the module's note): the new item
    /// keeps the old alt text unless the upload brings its own.
    pub async fn replace(
        &self,
        id: &str,
        upload: Upload<'_>,
        now: DateTime<Utc>,
    ) -> Result<Media, MediaError> {
        let old = self
            .ops
            .store
            .media_by_id(id)
            .await?
            .ok_or(MediaError::NotFound)?;
        let mut media = self.store_upload(upload, now).await?;
        if media.alt.is_empty() {
            media.alt = old.alt;
        }
        self.ops.store.replace_media(id, &media).await?;
        self.start_variants(&media, now).await?;
        Ok(media)
    }

    pub async fn set_alt(&self, id: &str, alt: &str) -> Result<(), MediaError> {
        let alt = checked_alt(alt)?;
        if self.ops.store.set_media_alt(id, &alt).await? {
            Ok(())
        } else {
            Err(MediaError::NotFound)
        }
    }

    /// Deletes item `id`, the items it replaced and all their variants, unless a post or page
    /// names any of them.
    pub async fn delete(&self, id: &str) -> Result<(), MediaError> {
        let lineage = self.ops.store.media_lineage(id).await?;
        if lineage.is_empty() {
            return Err(MediaError::NotFound);
        }
        let mut users: Vec<String> = Vec::new();
        for item in &lineage {
            for title in self.ops.store.media_users(&item.path, SHOWN_USERS).await? {
                if !users.contains(&title) {
                    users.push(title);
                }
            }
        }
        if !users.is_empty() {
            return Err(MediaError::InUse(users));
        }
        let ids: Vec<String> = lineage.iter().map(|m| m.id.clone()).collect();
        self.ops.store.delete_media(&ids).await?;
        for item in &lineage {
            self.delete_objects(item).await?;
        }
        Ok(())
    }

    /// A page of the library, newest first; `search` matches file names and alt text.
    pub async fn list(
        &self,
        search: Option<&str>,
        limit: u32,
        offset: u64,
    ) -> Result<MediaPage, MediaError> {
        Ok(self.ops.store.list_media(search, limit, offset).await?)
    }

    /// Checks and cleans an upload (on a blocking thread: decoding is CPU work) and writes the
    /// clean bytes under their immutable name.
    async fn store_upload(
        &self,
        upload: Upload<'_>,
        now: DateTime<Utc>,
    ) -> Result<Media, MediaError> {
        let alt = checked_alt(upload.alt)?;
        let bytes = upload.bytes.to_vec();
        let limits = self.limits;
        let cleaned = tokio::task::spawn_blocking(move || {
            let checked = check(&bytes, limits)?;
            clean(&bytes, checked)
        })
        .await??;
        let path = names::stored_path(
            upload.file_name,
            cleaned.kind.extension(),
            &cleaned.bytes,
            now,
        );
        let media = Media {
            id: uuid::Uuid::now_v7().to_string(),
            path,
            file_name: upload.file_name.chars().take(255).collect(),
            mime: cleaned.kind.mime().to_owned(),
            bytes: cleaned.bytes.len() as u64,
            width: cleaned.width,
            height: cleaned.height,
            alt,
            uploaded_by: upload.uploaded_by.map(str::to_owned),
            variants: if cleaned.kind.has_variants() {
                VariantsState::Pending
            } else {
                VariantsState::None
            },
            variant_widths: vec![],
            replaced_by: None,
            created_at: now,
        };
        let location = ObjectPath::parse(&media.path).map_err(object_store::Error::from)?;
        self.objects.put(&location, cleaned.bytes.into()).await?;
        Ok(media)
    }

    /// Queues the variants job of `media` (`jobs::media_variants`), once per item.
    async fn start_variants(&self, media: &Media, now: DateTime<Utc>) -> Result<(), MediaError> {
        if media.variants != VariantsState::Pending {
            return Ok(());
        }
        let job = NewJob::new(
            crate::jobs::media_variants::KIND,
            serde_json::json!({ "media_id": media.id }),
        )
        .key(format!("media.variants:{}", media.id));
        super::jobs::enqueue(&self.ops, &job, now).await?;
        Ok(())
    }

    async fn delete_objects(&self, item: &Media) -> Result<(), MediaError> {
        let mut paths = vec![item.path.clone()];
        for width in &item.variant_widths {
            paths.push(names::variant_path(&item.path, *width, false));
            paths.push(names::variant_path(&item.path, *width, true));
        }
        for path in paths {
            let location = ObjectPath::parse(&path).map_err(object_store::Error::from)?;
            match self.objects.delete(&location).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }
}

/// Gives a post's lead image the size of the library item it names, when the post does not
/// say (Ghost's clients send only the URL): themes need it for `width`, `height` and `srcset`.
pub async fn lead_dimensions(ops: &Ops<'_>, post: &mut domain::Post) -> Result<(), StoreError> {
    let Some(image) = post.image.as_mut() else {
        return Ok(());
    };
    if image.width.is_some() && image.height.is_some() {
        return Ok(());
    }
    let Some(path) = names::original_of(&image.url) else {
        return Ok(());
    };
    if let Some(media) = ops.store.media_by_path(path).await? {
        image.width = Some(media.width);
        image.height = Some(media.height);
    }
    Ok(())
}

/// Alt text trimmed and within `MAX_ALT`.
fn checked_alt(alt: &str) -> Result<String, MediaError> {
    let alt = alt.trim();
    if alt.chars().count() > MAX_ALT {
        return Err(MediaError::AltTooLong);
    }
    Ok(alt.to_owned())
}

impl crate::state::AppState {
    /// The media library as this server runs it.
    pub fn media_library(&self) -> Library<'_> {
        Library::new(
            self.ops(),
            self.media.clone(),
            Limits {
                max_bytes: self.config.media_max_bytes,
                max_pixels: self.config.media_max_pixels,
            },
        )
    }
}
