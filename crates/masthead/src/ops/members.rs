//! Members as staff, the CLI and members themselves change them: add, edit, comp and delete.
//! Each queues its webhook event (`member.added`, `member.edited`, `member.deleted`) in the
//! write's own transaction; a change to what a member may read also forgets the remembered
//! session classes.

pub mod activity;
pub mod import;

use super::{Ops, OpsError};
use crate::compose::new_id;
use crate::webhooks::emit;
use chrono::{DateTime, Utc};
use domain::billing::{Subscription, SubscriptionStatus};
use domain::{ActivityKind, Email, Member, Slug, Tier};
use serde_json::Value;
use store::{MemberChanges, Outgoing};

/// A change to a member: each field given is set.
#[derive(Debug, Default)]
pub struct Changes {
    pub name: Option<String>,
    pub email: Option<Email>,
    /// A paid tier to give for free, with no end date.
    pub comp: Option<Slug>,
}

/// What `comp` gave, and to whom.
pub struct Comped {
    pub member: Member,
    pub tier: Tier,
}

/// Adds a member (the store keeps one that already has this address as it is), comped to
/// `comp` when given, and queues `member.added`.
pub async fn add(
    ops: &Ops<'_>,
    email: &Email,
    name: &str,
    comp: Option<&Slug>,
) -> Result<Member, OpsError> {
    let tiers = ops.store.tiers().await?;
    let comp = comp.map(|tier| domain::billing::comp(tier.clone(), None));
    let (id, now) = (new_id(), Utc::now());
    let done = ops
        .store
        .add_member_announced(&id, email, name, comp.as_ref(), now, |m, sub| {
            changed(None, m, sub, &tiers)
        })
        .await?;
    if done.member.id == id {
        activity::record_kind(ops, &id, ActivityKind::SignedUp, now).await;
    }
    if let Some(grant) = &comp {
        ops.forget_sessions();
        let event = activity::comped(&done.member.id, grant.tier.as_str(), None, now);
        activity::record(ops, &event).await;
    }
    wake(ops, done.queued);
    Ok(done.member)
}

/// Changes `member`'s name, email or comp, and queues `member.edited` if what webhooks show
/// changed. An email another member has is refused before anything changes.
pub async fn edit(ops: &Ops<'_>, member: &Member, changes: Changes) -> Result<Member, OpsError> {
    let new_email = changes.email.filter(|e| *e != member.email);
    if let Some(email) = &new_email
        && ops.store.member_by_email(email).await?.is_some()
    {
        return Err(OpsError::Conflict("Another member has that email.".into()));
    }
    let (before, tiers) = shown(ops, member).await?;
    let comp = changes.comp.map(|tier| domain::billing::comp(tier, None));
    let write = MemberChanges {
        name: changes.name.as_deref(),
        email: new_email.as_ref(),
        subscription: comp.as_ref(),
    };
    let now = Utc::now();
    let done = ops
        .store
        .edit_member_announced(&member.id, write, now, |m, sub| {
            changed(Some(&before), m, sub, &tiers)
        })
        .await?
        .ok_or(OpsError::NotFound("Member"))?;
    if new_email.is_some() {
        activity::record_kind(ops, &member.id, ActivityKind::EmailChanged, now).await;
    }
    if let Some(grant) = &comp {
        ops.forget_sessions();
        let event = activity::comped(&member.id, grant.tier.as_str(), None, now);
        activity::record(ops, &event).await;
    }
    wake(ops, done.queued);
    Ok(done.member)
}

/// Gives the member at `email` the tier `tier` (a slug) for free, until `until` or for good,
/// adding the member when there is none; queues `member.added` or `member.edited`.
pub async fn comp(
    ops: &Ops<'_>,
    email: &Email,
    tier: &str,
    until: Option<DateTime<Utc>>,
) -> Result<Comped, OpsError> {
    let Some(tier) = ops.store.tier_by_slug(tier).await? else {
        let known: Vec<String> = ops
            .store
            .tiers()
            .await?
            .iter()
            .map(|t| t.slug.to_string())
            .collect();
        return Err(OpsError::Invalid(format!(
            "there is no tier {tier:?}; tiers are: {}",
            known.join(", ")
        )));
    };
    let grant = domain::billing::comp(tier.slug.clone(), until);
    let now = Utc::now();
    let done = if let Some(m) = ops.store.member_by_email(email).await? {
        let (before, tiers) = shown(ops, &m).await?;
        let write = MemberChanges {
            subscription: Some(&grant),
            ..MemberChanges::default()
        };
        ops.store
            .edit_member_announced(&m.id, write, now, |m, sub| {
                changed(Some(&before), m, sub, &tiers)
            })
            .await?
            .ok_or(OpsError::NotFound("Member"))?
    } else {
        let tiers = ops.store.tiers().await?;
        ops.store
            .add_member_announced(&new_id(), email, "", Some(&grant), now, |m, sub| {
                changed(None, m, sub, &tiers)
            })
            .await?
    };
    ops.forget_sessions();
    let event = activity::comped(&done.member.id, tier.slug.as_str(), until, now);
    activity::record(ops, &event).await;
    wake(ops, done.queued);
    Ok(Comped {
        member: done.member,
        tier,
    })
}

/// Ends `member`'s comp: the complimentary subscription is kept as canceled (so the tier it
/// was stays on record) and queues `member.edited`. `false` when they held no comp.
pub async fn end_comp(ops: &Ops<'_>, member: &Member) -> Result<bool, OpsError> {
    let Some(sub) = ops.store.subscription(&member.id).await? else {
        return Ok(false);
    };
    if sub.status != SubscriptionStatus::Comped {
        return Ok(false);
    }
    let ended = Subscription {
        status: SubscriptionStatus::Canceled,
        comped_until: None,
        ..sub
    };
    let (before, tiers) = shown(ops, member).await?;
    let write = MemberChanges {
        subscription: Some(&ended),
        ..MemberChanges::default()
    };
    let now = Utc::now();
    let done = ops
        .store
        .edit_member_announced(&member.id, write, now, |m, sub| {
            changed(Some(&before), m, sub, &tiers)
        })
        .await?
        .ok_or(OpsError::NotFound("Member"))?;
    ops.forget_sessions();
    let mut event = domain::MemberEvent::new(new_id(), &member.id, ActivityKind::Canceled, now);
    event.tier = Some(ended.tier.to_string());
    activity::record(ops, &event).await;
    wake(ops, done.queued);
    Ok(true)
}

/// Deletes `member` (their sessions and subscription go with them) and queues `member.deleted`.
pub async fn delete(ops: &Ops<'_>, member: &Member) -> Result<(), OpsError> {
    let (before, _) = shown(ops, member).await?;
    let events: Vec<Outgoing> = emit::member_outgoing(Some(&before), None)
        .into_iter()
        .collect();
    let queued = ops
        .store
        .delete_member_announced(&member.id, &events, Utc::now())
        .await?;
    ops.forget_sessions();
    wake(ops, queued);
    Ok(())
}

/// The member as webhooks show them now, and the tiers that showing names.
async fn shown(ops: &Ops<'_>, member: &Member) -> Result<(Value, Vec<Tier>), OpsError> {
    let tiers = ops.store.tiers().await?;
    let sub = ops.store.subscription(&member.id).await?;
    Ok((emit::member_shown(member, sub.as_ref(), &tiers), tiers))
}

/// The event for a member shown as `before` and now as `m` holding `sub`.
fn changed(
    before: Option<&Value>,
    m: &Member,
    sub: Option<&Subscription>,
    tiers: &[Tier],
) -> Vec<Outgoing> {
    let after = emit::member_shown(m, sub, tiers);
    emit::member_outgoing(before, Some(&after))
        .into_iter()
        .collect()
}

/// Wakes this process's deliverer when a committed write queued deliveries (a detached caller
/// has none: a server's deliverer finds them within a second).
pub(super) fn wake(ops: &Ops<'_>, queued: usize) {
    if queued > 0
        && let Some(hooks) = ops.hooks
    {
        hooks.wake();
    }
}
