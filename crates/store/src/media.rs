//! The media library: stored images (`media`), found by path, listed and searched by file name
//! and alt text, their alt text and variants recorded, replaced, and deleted when no post names
//! them.

use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};

/// Where an image's variants stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantsState {
    /// The variants job has not run yet (the original is served for every width meanwhile).
    Pending,
    /// The widths in `Media::variant_widths` exist, in the original format and in WebP.
    Ready,
    /// The job gave up; the original is served for every width.
    Failed,
    /// Kept as uploaded, without variants (animated GIFs, AVIF).
    None,
}

impl VariantsState {
    pub fn as_str(self) -> &'static str {
        match self {
            VariantsState::Pending => "pending",
            VariantsState::Ready => "ready",
            VariantsState::Failed => "failed",
            VariantsState::None => "none",
        }
    }

    fn parse(raw: &str) -> Result<VariantsState, StoreError> {
        match raw {
            "pending" => Ok(VariantsState::Pending),
            "ready" => Ok(VariantsState::Ready),
            "failed" => Ok(VariantsState::Failed),
            "none" => Ok(VariantsState::None),
            other => Err(StoreError::Corrupt(format!(
                "media variants state {other:?}"
            ))),
        }
    }
}

/// One stored image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    pub id: String,
    /// Under `content/images/`: `YYYY/MM/name-<hash>.ext`. Only letters, digits, `-`, `/` and
    /// `.` (names are slugs), which the in-use search relies on.
    pub path: String,
    /// The name the file was uploaded as.
    pub file_name: String,
    pub mime: String,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    /// The staff member who uploaded it, when known.
    pub uploaded_by: Option<String>,
    pub variants: VariantsState,
    /// The widths made, smallest first.
    pub variant_widths: Vec<u32>,
    /// The item that replaced this one, if any.
    pub replaced_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct MediaRow {
    id: String,
    path: String,
    file_name: String,
    mime: String,
    bytes: i64,
    width: i64,
    height: i64,
    alt: String,
    uploaded_by: Option<String>,
    variants: String,
    variant_widths: String,
    replaced_by: Option<String>,
    created_at: i64,
}

const COLUMNS: &str = "id, path, file_name, mime, bytes, width, height, alt, uploaded_by, \
                       variants, variant_widths, replaced_by, created_at";

impl TryFrom<MediaRow> for Media {
    type Error = StoreError;
    fn try_from(r: MediaRow) -> Result<Media, StoreError> {
        let number = |v: i64, what: &str| {
            u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("media {what} {v}")))
        };
        Ok(Media {
            bytes: u64::try_from(r.bytes)
                .map_err(|_| StoreError::Corrupt(format!("media bytes {}", r.bytes)))?,
            width: number(r.width, "width")?,
            height: number(r.height, "height")?,
            variants: VariantsState::parse(&r.variants)?,
            variant_widths: serde_json::from_str(&r.variant_widths)
                .map_err(|e| StoreError::Corrupt(format!("media variant widths: {e}")))?,
            id: r.id,
            path: r.path,
            file_name: r.file_name,
            mime: r.mime,
            alt: r.alt,
            uploaded_by: r.uploaded_by,
            replaced_by: r.replaced_by,
            created_at: from_micros(r.created_at),
        })
    }
}

/// A page of the library and how many items match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaPage {
    pub items: Vec<Media>,
    pub total: u64,
}

/// `text` as a `LIKE` pattern matching it anywhere, lowercased, with its own `%`, `_` and `\`
/// taken literally.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

impl Store {
    pub async fn insert_media(&self, m: &Media) -> Result<(), StoreError> {
        let widths = serde_json::to_string(&m.variant_widths)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on_pool!(&self.db, write, |p| {
            sqlx::query(&format!(
                "INSERT INTO media ({COLUMNS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
            ))
            .bind(&m.id)
            .bind(&m.path)
            .bind(&m.file_name)
            .bind(&m.mime)
            .bind(i64::try_from(m.bytes).unwrap_or(i64::MAX))
            .bind(i64::from(m.width))
            .bind(i64::from(m.height))
            .bind(&m.alt)
            .bind(&m.uploaded_by)
            .bind(m.variants.as_str())
            .bind(&widths)
            .bind(&m.replaced_by)
            .bind(to_micros(m.created_at))
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// The item stored at `path` (replaced ones included: their URLs still serve).
    pub async fn media_by_path(&self, path: &str) -> Result<Option<Media>, StoreError> {
        self.media_where("path", path).await
    }

    pub async fn media_by_id(&self, id: &str) -> Result<Option<Media>, StoreError> {
        self.media_where("id", id).await
    }

    async fn media_where(&self, column: &str, value: &str) -> Result<Option<Media>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM media WHERE {column} = $1");
        let row: Option<MediaRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(value)
            .fetch_optional(p)
            .await?);
        row.map(Media::try_from).transpose()
    }

    /// The library, newest first: items not replaced, whose file name or alt text contains
    /// `search` (any case) when given, `limit` from `offset`.
    pub async fn list_media(
        &self,
        search: Option<&str>,
        limit: u32,
        offset: u64,
    ) -> Result<MediaPage, StoreError> {
        let pattern = contains_pattern(search.unwrap_or_default());
        let filter = "replaced_by IS NULL AND (lower(file_name) LIKE $1 ESCAPE '\\' \
                      OR lower(alt) LIKE $1 ESCAPE '\\')";
        let list = format!(
            "SELECT {COLUMNS} FROM media WHERE {filter} \
             ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
        );
        let count = format!("SELECT COUNT(*) FROM media WHERE {filter}");
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let (rows, total): (Vec<MediaRow>, i64) = on_pool!(&self.db, read, |p| {
            let rows = sqlx::query_as(&list)
                .bind(&pattern)
                .bind(i64::from(limit))
                .bind(offset)
                .fetch_all(p)
                .await?;
            let total = sqlx::query_scalar(&count)
                .bind(&pattern)
                .fetch_one(p)
                .await?;
            (rows, total)
        });
        Ok(MediaPage {
            items: rows
                .into_iter()
                .map(Media::try_from)
                .collect::<Result<_, _>>()?,
            total: u64::try_from(total).unwrap_or_default(),
        })
    }

    /// Sets an item's alt text; false when there is no such item.
    pub async fn set_media_alt(&self, id: &str, alt: &str) -> Result<bool, StoreError> {
        let done = on_pool!(&self.db, write, |p| sqlx::query(
            "UPDATE media SET alt = $2 WHERE id = $1"
        )
        .bind(id)
        .bind(alt)
        .execute(p)
        .await?
        .rows_affected());
        Ok(done == 1)
    }

    /// Records where an item's variants stand.
    pub async fn set_media_variants(
        &self,
        id: &str,
        state: VariantsState,
        widths: &[u32],
    ) -> Result<(), StoreError> {
        let widths =
            serde_json::to_string(widths).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on_pool!(&self.db, write, |p| {
            sqlx::query("UPDATE media SET variants = $2, variant_widths = $3 WHERE id = $1")
                .bind(id)
                .bind(state.as_str())
                .bind(&widths)
                .execute(p)
                .await?;
        });
        Ok(())
    }

    /// Stores `new`, which replaces item `old_id`, then points the old item (and whatever it
    /// had replaced) at it, so every predecessor names the newest item directly. A failure
    /// between the two leaves `new` in the library beside the old item, which is harmless.
    pub async fn replace_media(&self, old_id: &str, new: &Media) -> Result<(), StoreError> {
        self.insert_media(new).await?;
        on_pool!(&self.db, write, |p| {
            sqlx::query("UPDATE media SET replaced_by = $2 WHERE id = $1 OR replaced_by = $1")
                .bind(old_id)
                .bind(&new.id)
                .execute(p)
                .await?;
        });
        Ok(())
    }

    /// An item and every item it replaced.
    pub async fn media_lineage(&self, id: &str) -> Result<Vec<Media>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM media WHERE id = $1 OR replaced_by = $1 ORDER BY created_at"
        );
        let rows: Vec<MediaRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(id)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(Media::try_from).collect()
    }

    /// Whether any post or page names `path` (an original's or any of its variants' URL) in
    /// its Markdown, its HTML or its lead image.
    pub async fn media_in_use(&self, path: &str) -> Result<bool, StoreError> {
        let pattern = format!("%{path}%");
        let found: Option<String> = on_pool!(&self.db, read, |p| sqlx::query_scalar(
            "SELECT id FROM posts WHERE markdown LIKE $1 OR free_html LIKE $1 \
             OR gated_html LIKE $1 OR image_url LIKE $1 LIMIT 1"
        )
        .bind(&pattern)
        .fetch_optional(p)
        .await?);
        Ok(found.is_some())
    }

    /// The titles of the posts and pages that name `path` (as `media_in_use` finds them),
    /// at most `limit`, by title: what a refused deletion tells the editor.
    pub async fn media_users(&self, path: &str, limit: u32) -> Result<Vec<String>, StoreError> {
        let pattern = format!("%{path}%");
        Ok(on_pool!(&self.db, read, |p| sqlx::query_scalar(
            "SELECT title FROM posts WHERE markdown LIKE $1 OR free_html LIKE $1 \
             OR gated_html LIKE $1 OR image_url LIKE $1 ORDER BY title LIMIT $2"
        )
        .bind(&pattern)
        .bind(i64::from(limit))
        .fetch_all(p)
        .await?))
    }

    /// Deletes the items `ids`; how many there were.
    pub async fn delete_media(&self, ids: &[String]) -> Result<u64, StoreError> {
        let mut deleted = 0;
        for id in ids {
            deleted += on_pool!(&self.db, write, |p| sqlx::query(
                "DELETE FROM media WHERE id = $1"
            )
            .bind(id)
            .execute(p)
            .await?
            .rows_affected());
        }
        Ok(deleted)
    }
}
