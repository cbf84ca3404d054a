//! Members as staff, the CLI and members themselves change them: add, edit, comp and delete.
//! Each fires its webhook event (`member.added`, `member.edited`, `member.deleted`); a change to
//! what a member may read also forgets the remembered session classes.

use super::{Ops, OpsError};
use crate::compose::new_id;
use crate::webhooks::emit;
use chrono::{DateTime, Utc};
use domain::{Email, Member, Slug, Tier};

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
/// `comp` when given, and fires `member.added`.
pub async fn add(
    ops: &Ops<'_>,
    email: &Email,
    name: &str,
    comp: Option<&Slug>,
) -> Result<Member, OpsError> {
    let member = ops
        .store
        .create_member(&new_id(), email, name, Utc::now())
        .await?;
    if let Some(tier) = comp {
        grant(ops, &member, tier, None).await?;
    }
    emit::member_changed(&ops.emitter(), None, Some(&member)).await;
    Ok(member)
}

/// Changes `member`'s name, email or comp, and fires `member.edited` if what webhooks show
/// changed. An email another member has is refused before anything changes.
pub async fn edit(ops: &Ops<'_>, member: &Member, changes: Changes) -> Result<Member, OpsError> {
    let new_email = changes.email.filter(|e| *e != member.email);
    if let Some(email) = &new_email
        && ops.store.member_by_email(email).await?.is_some()
    {
        return Err(OpsError::Conflict("Another member has that email.".into()));
    }
    let before = emit::member_snapshot(&ops.emitter(), member).await;
    if let Some(name) = &changes.name {
        ops.store
            .set_member_name(&member.id, name, Utc::now())
            .await?;
    }
    if let Some(email) = &new_email {
        ops.store
            .set_member_email(&member.id, email, Utc::now())
            .await?;
    }
    let after = ops
        .store
        .member_by_id(&member.id)
        .await?
        .ok_or(OpsError::NotFound("Member"))?;
    if let Some(tier) = &changes.comp {
        grant(ops, &after, tier, None).await?;
    }
    emit::member_changed(&ops.emitter(), before, Some(&after)).await;
    Ok(after)
}

/// Gives the member at `email` the tier `tier` (a slug) for free, until `until` or for good,
/// adding the member when there is none; fires `member.added` or `member.edited`.
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
    let existing = ops.store.member_by_email(email).await?;
    let before = match &existing {
        Some(m) => emit::member_snapshot(&ops.emitter(), m).await,
        None => None,
    };
    let member = match existing {
        Some(m) => m,
        None => {
            ops.store
                .create_member(&new_id(), email, "", Utc::now())
                .await?
        }
    };
    grant(ops, &member, &tier.slug, until).await?;
    emit::member_changed(&ops.emitter(), before, Some(&member)).await;
    Ok(Comped { member, tier })
}

/// Deletes `member` (their sessions and subscription go with them) and fires `member.deleted`.
pub async fn delete(ops: &Ops<'_>, member: &Member) -> Result<(), OpsError> {
    let before = emit::member_snapshot(&ops.emitter(), member).await;
    ops.store.delete_member(&member.id).await?;
    ops.forget_sessions();
    emit::member_changed(&ops.emitter(), before, None).await;
    Ok(())
}

/// Gives `member` the tier for free; their signed-in sessions get the new access class at once.
async fn grant(
    ops: &Ops<'_>,
    member: &Member,
    tier: &Slug,
    until: Option<DateTime<Utc>>,
) -> Result<(), OpsError> {
    let comp = domain::billing::comp(tier.clone(), until);
    ops.store
        .put_subscription(&member.id, &comp, Utc::now())
        .await?;
    ops.forget_sessions();
    Ok(())
}
