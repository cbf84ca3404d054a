//! Changing site settings: checked against the settings table (and, for `default_author`,
//! against the stored authors), then written. The write moves the store's content clock, so
//! this process's page cache and settings are read again at once, and other processes'
//! followers see the new value within a tick and clear their pages. A new `free_paragraphs`
//! queues the job that re-splits the stored gated posts (`jobs::resplit`). Staff change
//! settings through `change` (administrators only, audited); the CLI through `set`.

use super::staff::{Actor, audit};
use super::{Ops, OpsError, jobs};
use crate::settings::{self, SiteSettings};
use chrono::{DateTime, Utc};
use domain::Action;
use serde_json::{Map, Value, json};
use store::NewJob;

/// Sets `key` to `value` (trailing whitespace dropped, so a value read from a file or standard
/// input loses its last newline). A value that could not work is refused, saying what would.
/// Returns the id of the re-split job a changed `free_paragraphs` queued.
pub async fn set(ops: &Ops<'_>, key: &str, value: &str) -> Result<Option<String>, OpsError> {
    let setting = settings::find(key).map_err(OpsError::Invalid)?;
    let value = value.trim_end();
    setting
        .check(value.trim_start())
        .map_err(OpsError::Invalid)?;
    if setting.key == "default_author" {
        check_author(ops, value.trim()).await?;
    }
    let before = SiteSettings::load(ops.store).await?.free_paragraphs;
    ops.store.set_setting(setting.key, value).await?;
    if setting.key == "free_paragraphs" {
        let after = SiteSettings::load(ops.store).await?.free_paragraphs;
        if after != before {
            return resplit(ops, after, Utc::now()).await.map(Some);
        }
    }
    Ok(None)
}

/// What a staff change did: the keys whose value changed, and the re-split job it queued.
#[derive(Debug, Default)]
pub struct Changed {
    pub keys: Vec<&'static str>,
    pub resplit_job: Option<String>,
}

/// Sets every `(key, value)` of `changes` for `actor` (administrators and the owner: code
/// injection, keys and the paywall's numbers are theirs alone). Every value is checked before
/// any is written, so a refusal writes nothing; one `settings.changed` audit entry lists what
/// changed, before and after.
pub async fn change(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    changes: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Changed, OpsError> {
    actor.require(Action::Settings, false)?;
    let mut problems = Vec::new();
    for (key, value) in changes {
        match settings::find(key) {
            Ok(setting) => {
                if let Err(why) = setting.check(value.trim()) {
                    problems.push(why);
                }
            }
            Err(why) => problems.push(why),
        }
    }
    if !problems.is_empty() {
        return Err(OpsError::Invalid(problems.join(" ")));
    }
    let stored = ops.store.settings().await?;
    let shown: Map<String, Value> = settings::shown(&stored)
        .map(|(s, v)| (s.key.to_owned(), json!(v)))
        .collect();
    let mut done = Changed::default();
    let (mut before, mut after) = (Map::new(), Map::new());
    for (key, value) in changes {
        let setting = settings::find(key).map_err(OpsError::Invalid)?;
        let old = shown.get(setting.key).and_then(Value::as_str).unwrap_or("");
        if old == value.trim_end() {
            continue;
        }
        if let Some(job) = set(ops, setting.key, value).await? {
            done.resplit_job = Some(job);
        }
        before.insert(setting.key.to_owned(), json!(old));
        after.insert(setting.key.to_owned(), json!(value.trim_end()));
        done.keys.push(setting.key);
    }
    if !done.keys.is_empty() {
        let entry = audit(
            actor,
            "settings.changed",
            "settings",
            Value::Object(before),
            Value::Object(after),
            now,
        );
        ops.store.insert_audit_entry(&entry).await?;
    }
    Ok(done)
}

/// Queues the re-split of stored gated posts at `free_paragraphs`; the job's id.
async fn resplit(
    ops: &Ops<'_>,
    free_paragraphs: usize,
    now: DateTime<Utc>,
) -> Result<String, OpsError> {
    let job = NewJob::new(
        crate::jobs::resplit::KIND,
        json!({ "free_paragraphs": free_paragraphs }),
    );
    Ok(jobs::enqueue(ops, &job, now).await?.job.id)
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
