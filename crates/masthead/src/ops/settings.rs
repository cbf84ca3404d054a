//! Changing a site setting: checked against the settings table (and, for `default_author`,
//! against the stored authors), then written. Nothing else needs doing: the write moves the
//! store's content clock, so this process's page cache and settings are read again at once, and
//! other processes' followers see the new value within a tick and clear their pages.

use super::{Ops, OpsError};
use crate::settings;

/// Sets `key` to `value` (trailing whitespace dropped, so a value read from a file or standard
/// input loses its last newline). A value that could not work is refused, saying what would.
pub async fn set(ops: &Ops<'_>, key: &str, value: &str) -> Result<(), OpsError> {
    let setting = settings::find(key).map_err(OpsError::Invalid)?;
    let value = value.trim_end();
    setting
        .check(value.trim_start())
        .map_err(OpsError::Invalid)?;
    if setting.key == "default_author" {
        check_author(ops, value.trim()).await?;
    }
    ops.store.set_setting(setting.key, value).await?;
    Ok(())
}

/// `default_author` must name an author, or be blank (Staff).
async fn check_author(ops: &Ops<'_>, slug: &str) -> Result<(), OpsError> {
    if !slug.is_empty() && ops.store.author_by_slug(slug).await?.is_none() {
        return Err(OpsError::Invalid(format!(
            "no author has the slug {slug:?}; `masthead author list` shows them, `masthead author add` adds one"
        )));
    }
    Ok(())
}
