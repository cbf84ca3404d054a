//! The members console's writes (administrators: `Action::Members`): notes, the newsletter
//! opt-out, labels (create, rename, merge, delete; a member's set), comps with an end date
//! (and ending one),
//! signing a member out everywhere, and bulk actions on every member a filter selects. Each
//! appends an audit entry; writes that change what a member may read forget session classes,
//! and member events go through `ops::members`, so webhooks hear of each.

use super::members;
use super::staff::{Actor, audit};
use super::{Ops, OpsError};
use crate::compose::new_id;
use chrono::{DateTime, Utc};
use domain::label::label_name;
use domain::{Action, Email, Label, Member, Slug};
use serde_json::{Value, json};
use store::{MemberQuery, StoreError};

/// A change applied to every member a filter selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bulk {
    AddLabel(String),
    RemoveLabel(String),
    /// Give this tier (a slug) for free, until the date or for good.
    Comp {
        tier: String,
        until: Option<DateTime<Utc>>,
    },
    Unsubscribe,
    Delete,
}

impl Bulk {
    fn name(&self) -> &'static str {
        match self {
            Bulk::AddLabel(_) => "label added",
            Bulk::RemoveLabel(_) => "label removed",
            Bulk::Comp { .. } => "comped",
            Bulk::Unsubscribe => "unsubscribed",
            Bulk::Delete => "deleted",
        }
    }
}

async fn record(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    action: &str,
    subject: &str,
    before: Value,
    after: Value,
) -> Result<(), OpsError> {
    let entry = audit(actor, action, subject, before, after, Utc::now());
    Ok(ops.store.insert_audit_entry(&entry).await?)
}

async fn member(ops: &Ops<'_>, id: &str) -> Result<Member, OpsError> {
    ops.store
        .member_by_id(id)
        .await?
        .ok_or(OpsError::NotFound("Member"))
}

/// Applies `action` to every member `query` selects; returns how many it changed.
pub async fn bulk(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    query: &MemberQuery,
    action: &Bulk,
) -> Result<u64, OpsError> {
    actor.require(Action::Members, false)?;
    let now = Utc::now();
    let changed = match action {
        Bulk::AddLabel(id) => {
            label_by_id(ops, id).await?;
            ops.store.label_members(id, query).await?
        }
        Bulk::RemoveLabel(id) => {
            label_by_id(ops, id).await?;
            ops.store.unlabel_members(id, query).await?
        }
        Bulk::Unsubscribe => ops.store.unsubscribe_members(query, now).await?,
        Bulk::Comp { tier, until } => {
            check_future(*until, now)?;
            check_paid_tier(ops, tier).await?;
            let mut n = 0;
            for id in ops.store.member_ids_matching(query).await? {
                let m = member(ops, &id).await?;
                members::comp(ops, &m.email, tier, *until).await?;
                n += 1;
            }
            n
        }
        Bulk::Delete => {
            let mut n = 0;
            for id in ops.store.member_ids_matching(query).await? {
                if let Some(m) = ops.store.member_by_id(&id).await? {
                    members::delete(ops, &m).await?;
                    n += 1;
                }
            }
            n
        }
    };
    let after = json!({ "action": action.name(), "members": changed });
    record(ops, actor, "members.bulk", "members", json!({}), after).await?;
    Ok(changed)
}

async fn check_paid_tier(ops: &Ops<'_>, slug: &str) -> Result<(), OpsError> {
    match ops.store.tier_by_slug(slug).await? {
        Some(t) if t.is_paid() => Ok(()),
        _ => Err(OpsError::Invalid(format!(
            "There is no paid tier {slug:?} to give."
        ))),
    }
}

fn check_future(until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<(), OpsError> {
    if until.is_some_and(|u| u <= now) {
        return Err(OpsError::Invalid(
            "A comp's end date must be in the future.".into(),
        ));
    }
    Ok(())
}

/// Ends `member_id`'s comp (see `members::end_comp`); `false` when they held none.
pub async fn remove_comp(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    member_id: &str,
) -> Result<bool, OpsError> {
    actor.require(Action::Members, false)?;
    let m = member(ops, member_id).await?;
    let ended = members::end_comp(ops, &m).await?;
    if ended {
        record(
            ops,
            actor,
            "member.comp_ended",
            member_id,
            json!({}),
            json!({}),
        )
        .await?;
    }
    Ok(ended)
}

/// Gives `member_id` the paid tier `tier` for free until `until` (or for good).
pub async fn comp(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    member_id: &str,
    tier: &str,
    until: Option<DateTime<Utc>>,
) -> Result<(), OpsError> {
    actor.require(Action::Members, false)?;
    check_future(until, Utc::now())?;
    check_paid_tier(ops, tier).await?;
    let m = member(ops, member_id).await?;
    members::comp(ops, &m.email, tier, until).await?;
    let after = json!({ "tier": tier, "until": until });
    record(ops, actor, "member.comped", member_id, json!({}), after).await
}

/// Sets a member's name, email, note and newsletter opt-in from the console's form.
pub async fn save(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    member_id: &str,
    name: &str,
    email: &Email,
    note: &str,
    subscribed: bool,
) -> Result<(), OpsError> {
    actor.require(Action::Members, false)?;
    if note.chars().count() > 2000 {
        return Err(OpsError::Invalid(
            "A note has at most 2,000 characters.".into(),
        ));
    }
    let m = member(ops, member_id).await?;
    let before = ops
        .store
        .member_profile(member_id)
        .await?
        .ok_or(OpsError::NotFound("Member"))?;
    let changes = members::Changes {
        name: Some(name.trim().to_owned()).filter(|n| *n != m.name),
        email: Some(email.clone()).filter(|e| *e != m.email),
        comp: None,
    };
    if changes.name.is_some() || changes.email.is_some() {
        members::edit(ops, &m, changes).await?;
    }
    let now = Utc::now();
    ops.store.set_member_note(member_id, note, now).await?;
    ops.store
        .set_member_subscribed(member_id, subscribed, now)
        .await?;
    let shown = |note: &str, subscribed: bool| json!({ "note": note, "subscribed": subscribed });
    record(
        ops,
        actor,
        "member.edited",
        member_id,
        shown(&before.note, before.subscribed),
        shown(note.trim(), subscribed),
    )
    .await
}

/// Gives a member exactly the labels named (any case; missing ones are created).
pub async fn set_labels(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    member_id: &str,
    names: &[String],
) -> Result<Vec<Label>, OpsError> {
    actor.require(Action::Members, false)?;
    member(ops, member_id).await?;
    let mut labels: Vec<Label> = Vec::new();
    for name in names.iter().filter(|n| !n.trim().is_empty()) {
        let label = match ops.store.label_by_name(name).await? {
            Some(l) => l,
            None => create_label(ops, actor, name).await?,
        };
        if !labels.iter().any(|l| l.id == label.id) {
            labels.push(label);
        }
    }
    let ids: Vec<String> = labels.iter().map(|l| l.id.clone()).collect();
    ops.store
        .set_member_labels(member_id, &ids, Utc::now())
        .await?;
    let after = json!({ "labels": labels.iter().map(|l| &l.name).collect::<Vec<_>>() });
    record(ops, actor, "member.labelled", member_id, json!({}), after).await?;
    Ok(labels)
}

/// Ends every session of the member, so every browser they use is signed out.
pub async fn sign_out_everywhere(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    member_id: &str,
) -> Result<(), OpsError> {
    actor.require(Action::Members, false)?;
    member(ops, member_id).await?;
    ops.store.delete_sessions_of(member_id).await?;
    ops.forget_sessions();
    record(
        ops,
        actor,
        "member.signed_out",
        member_id,
        json!({}),
        json!({}),
    )
    .await
}

async fn label_by_id(ops: &Ops<'_>, id: &str) -> Result<Label, OpsError> {
    ops.store
        .label_by_id(id)
        .await?
        .ok_or(OpsError::NotFound("Label"))
}

fn taken<T>(result: Result<T, StoreError>) -> Result<T, OpsError> {
    match result {
        Err(StoreError::Conflict(_)) => Err(OpsError::Conflict(
            "A label with that name already exists.".into(),
        )),
        other => Ok(other?),
    }
}

/// Creates a label named `name` (its slug from the name, numbered when taken).
pub async fn create_label(ops: &Ops<'_>, actor: Actor<'_>, name: &str) -> Result<Label, OpsError> {
    actor.require(Action::Members, false)?;
    let name = label_name(name).map_err(|e| OpsError::Invalid(format!("Label: {}", e.0)))?;
    if ops.store.label_by_name(&name).await?.is_some() {
        return taken(Err(StoreError::Conflict(String::new())));
    }
    let base = Slug::from_text(&name);
    let mut slug = base.clone();
    let mut n = 1;
    while ops.store.label_by_slug(slug.as_str()).await?.is_some() {
        n += 1;
        slug = base.with_suffix(n);
    }
    let now = Utc::now();
    let label = Label {
        id: new_id(),
        name,
        slug,
        created_at: now,
        updated_at: now,
    };
    taken(ops.store.create_label(&label).await)?;
    let after = json!({ "name": label.name, "slug": label.slug.as_str() });
    record(ops, actor, "label.added", &label.id, json!({}), after).await?;
    Ok(label)
}

/// Renames a label; its slug stays, so saved filters keep working.
pub async fn rename_label(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    id: &str,
    name: &str,
) -> Result<(), OpsError> {
    actor.require(Action::Members, false)?;
    let name = label_name(name).map_err(|e| OpsError::Invalid(format!("Label: {}", e.0)))?;
    let before = label_by_id(ops, id).await?;
    taken(ops.store.rename_label(id, &name, Utc::now()).await)?;
    let (b, a) = (json!({ "name": before.name }), json!({ "name": name }));
    record(ops, actor, "label.edited", id, b, a).await
}

/// Moves every member labelled `from` to `into`, and deletes `from`.
pub async fn merge_labels(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    from: &str,
    into: &str,
) -> Result<(), OpsError> {
    actor.require(Action::Members, false)?;
    if from == into {
        return Err(OpsError::Invalid(
            "Choose two different labels to merge.".into(),
        ));
    }
    let (a, b) = (label_by_id(ops, from).await?, label_by_id(ops, into).await?);
    if !ops.store.merge_labels(from, into).await? {
        return Err(OpsError::NotFound("Label"));
    }
    let after = json!({ "merged": a.name, "into": b.name });
    record(ops, actor, "label.merged", into, json!({}), after).await
}

/// Deletes a label; the members keep everything else.
pub async fn delete_label(ops: &Ops<'_>, actor: Actor<'_>, id: &str) -> Result<(), OpsError> {
    actor.require(Action::Members, false)?;
    let before = label_by_id(ops, id).await?;
    ops.store.delete_label(id).await?;
    let before = json!({ "name": before.name });
    record(ops, actor, "label.deleted", id, before, json!({})).await
}
