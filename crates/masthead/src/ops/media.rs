//! Media as the Admin API uploads it: an image already checked by the handler (its kind and
//! size) is written under `content/images/YYYY/MM/` with a name no other upload has.

use super::Ops;
use chrono::{DateTime, Datelike, Utc};
use std::path::Path;

/// Why an image could not be kept.
#[derive(Debug, thiserror::Error)]
#[error("the image could not be written: {0}")]
pub struct MediaError(#[from] std::io::Error);

/// Writes `bytes` (an image uploaded as `file_name`, of kind `ext`) under `media_dir` in this
/// month's folder, and returns its public URL.
pub async fn save_image(
    ops: &Ops<'_>,
    media_dir: &Path,
    file_name: &str,
    ext: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<String, MediaError> {
    let folder = format!("{}/{:02}", now.year(), now.month());
    let dir = media_dir.join(&folder);
    tokio::fs::create_dir_all(&dir).await?;
    let suffix = &crate::ghost::keys::new_id()[..8];
    let stored = format!("{}-{suffix}.{ext}", stem(file_name));
    tokio::fs::write(dir.join(&stored), bytes).await?;
    Ok(format!(
        "{}/content/images/{folder}/{stored}",
        ops.public_url
    ))
}

/// A safe file stem from the uploaded name: lowercase letters, digits and dashes.
fn stem(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let base = base.rsplit_once('.').map_or(base, |(b, _)| b);
    let slug = domain::Slug::from_text(base);
    let s = slug.as_str();
    if s.is_empty() {
        "image".into()
    } else {
        s.chars().take(60).collect()
    }
}
