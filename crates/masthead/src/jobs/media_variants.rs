//! `media.variants`: an item's original read from the object store, resized to each width it
//! allows, each variant written in WebP and in the original's format, and the widths made
//! recorded on its row. Safe to run again: variants are overwritten with the same bytes.
//! Payload: `{"media_id": "…"}`; progress is reported per width.

use crate::media::names;
use crate::media::variants::{self, VariantError, widths_for};
use crate::media::{Kind, Variant};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use std::path::PathBuf;
use store::{Store, StoreError, VariantsState};

use super::{JobContext, JobError};

pub const KIND: &str = "media.variants";

/// The job's handler, storing variants in the media store at `media_dir`.
pub fn handler(
    media_dir: PathBuf,
) -> impl Fn(JobContext) -> futures_util::future::BoxFuture<'static, Result<(), JobError>>
+ Send
+ Sync
+ 'static {
    move |ctx: JobContext| {
        let dir = media_dir.clone();
        Box::pin(async move {
            let id = ctx
                .payload()
                .get("media_id")
                .and_then(serde_json::Value::as_str)
                .ok_or("a media.variants job needs a media_id")?
                .to_owned();
            let objects = crate::media::storage::open(&dir)?;
            let report = |p: VariantsProgress| {
                tracing::info!(media.id = %p.media_id, width = p.width, done = p.done, of = p.total, "media variant made");
                ctx.progress(p.done as u64, Some(p.total as u64));
            };
            make_variants(&ctx.store, objects.as_ref(), &id, report).await?;
            Ok(())
        })
    }
}

/// How far one item's variants have got: `done` of `total` widths, the last at `width`.
#[derive(Debug, Clone)]
pub struct VariantsProgress {
    pub media_id: String,
    pub width: u32,
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum VariantsError {
    #[error("no media item {0}")]
    Missing(String),
    #[error(transparent)]
    Variant(#[from] VariantError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the media store failed: {0}")]
    Objects(#[from] object_store::Error),
    #[error(transparent)]
    Task(#[from] tokio::task::JoinError),
}

/// Makes every variant of item `media_id`, reporting each width as it is written, and returns
/// the widths made. A failure marks the item `failed` (the original is served meanwhile).
pub async fn make_variants(
    store: &Store,
    objects: &dyn ObjectStore,
    media_id: &str,
    mut progress: impl FnMut(VariantsProgress),
) -> Result<Vec<u32>, VariantsError> {
    let media = store
        .media_by_id(media_id)
        .await?
        .ok_or_else(|| VariantsError::Missing(media_id.to_owned()))?;
    let Some(kind) = media
        .path
        .rsplit_once('.')
        .and_then(|(_, ext)| Kind::from_extension(ext))
        .filter(|k| k.has_variants())
    else {
        store
            .set_media_variants(media_id, VariantsState::None, &[])
            .await?;
        return Ok(vec![]);
    };
    let result = write_all(
        objects,
        &media.path,
        kind,
        media.width,
        |width, done, total| {
            progress(VariantsProgress {
                media_id: media_id.to_owned(),
                width,
                done,
                total,
            });
        },
    )
    .await;
    match result {
        Ok(widths) => {
            store
                .set_media_variants(media_id, VariantsState::Ready, &widths)
                .await?;
            Ok(widths)
        }
        Err(e) => {
            store
                .set_media_variants(media_id, VariantsState::Failed, &[])
                .await?;
            Err(e)
        }
    }
}

async fn write_all(
    objects: &dyn ObjectStore,
    path: &str,
    kind: Kind,
    width: u32,
    mut progress: impl FnMut(u32, usize, usize),
) -> Result<Vec<u32>, VariantsError> {
    let location = ObjectPath::parse(path).map_err(object_store::Error::from)?;
    let original = objects.get(&location).await?.bytes().await?;
    let image = tokio::task::spawn_blocking(move || variants::decode(&original)).await??;
    let image = std::sync::Arc::new(image);
    let widths = widths_for(width);
    for (i, w) in widths.iter().copied().enumerate() {
        let source = image.clone();
        let made = tokio::task::spawn_blocking(move || variants::make(&source, kind, w)).await??;
        for Variant { width, webp, bytes } in made {
            let target = names::variant_path(path, width, webp);
            let target = ObjectPath::parse(&target).map_err(object_store::Error::from)?;
            objects.put(&target, bytes.into()).await?;
        }
        progress(w, i + 1, widths.len());
    }
    Ok(widths)
}
