//! The site's primary navigation as administrators change it: stored as the `navigation`
//! setting (through `ops::settings`, which checks it) and audited. Apart from `settings` so
//! that `settings` needs nothing from `staff` (whose first-run setup sets the title).

use super::staff::{Actor, audit};
use super::{Ops, OpsError, settings};
use crate::settings::SiteSettings;
use chrono::Utc;
use domain::{Action, NavLink};
use serde_json::json;

/// Replaces the primary navigation with `links` (administrators), as the `navigation` setting
/// the theme's header reads, and appends a `navigation.changed` audit entry with the links
/// before and after.
pub async fn set_navigation(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    links: &[NavLink],
) -> Result<(), OpsError> {
    actor.require(Action::Settings, false)?;
    let before = SiteSettings::load(ops.store).await?.navigation;
    let value = serde_json::to_string(links).map_err(|e| OpsError::Invalid(e.to_string()))?;
    settings::set(ops, "navigation", &value).await?;
    let entry = audit(
        actor,
        "navigation.changed",
        "navigation",
        json!({ "links": before }),
        json!({ "links": links }),
        Utc::now(),
    );
    Ok(ops.store.insert_audit_entry(&entry).await?)
}
