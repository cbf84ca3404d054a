//! What members write as they read: gift links made and revoked (within a monthly quota), and
//! the metered reads of signed-in free members.

use super::members::activity;
use super::{Ops, OpsError};
use crate::compose::new_id;
use chrono::{DateTime, Duration, Utc};
use domain::{ActivityKind, MemberEvent};
use store::Gift;

/// How long a gift link works.
pub const GIFT_DAYS: i64 = 30;

/// How many more gift links the member may make in the 30 days up to `now` (the `gift_quota`
/// setting).
pub async fn remaining(
    ops: &Ops<'_>,
    member_id: &str,
    now: DateTime<Utc>,
) -> Result<u32, OpsError> {
    let since = now - Duration::days(30);
    let made = ops
        .store
        .gifts_of(member_id)
        .await?
        .iter()
        .filter(|g| g.created_at > since)
        .count();
    let quota = crate::settings::SiteSettings::load(ops.store)
        .await?
        .gift_quota;
    Ok(quota.saturating_sub(u32::try_from(made).unwrap_or(u32::MAX)))
}

/// Makes a gift link to `post_id` for the member; `None` when their quota is used up.
pub async fn create(
    ops: &Ops<'_>,
    member_id: &str,
    post_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<Gift>, OpsError> {
    if remaining(ops, member_id, now).await? == 0 {
        return Ok(None);
    }
    let gift = Gift {
        id: new_id(),
        member_id: member_id.to_owned(),
        post_id: post_id.to_owned(),
        created_at: now,
        expires_at: now + Duration::days(GIFT_DAYS),
        revoked: false,
    };
    ops.store.create_gift(&gift).await?;
    let mut event = MemberEvent::new(new_id(), member_id, ActivityKind::Gifted, now);
    event.post_id = Some(post_id.to_owned());
    event.detail = serde_json::json!({ "direction": "given" });
    activity::record(ops, &event).await;
    Ok(Some(gift))
}

/// Revokes the member's gift `gift_id` (another member's gift is left alone).
pub async fn revoke(ops: &Ops<'_>, member_id: &str, gift_id: &str) -> Result<(), OpsError> {
    ops.store.revoke_gift(member_id, gift_id).await?;
    Ok(())
}

/// Counts a signed-in member's metered read of `post_id` at `now`.
pub async fn count_metered_read(
    ops: &Ops<'_>,
    member_id: &str,
    post_id: &str,
    now: DateTime<Utc>,
) -> Result<(), OpsError> {
    // A re-read inside the window restarts its window but is no new hit on the meter.
    let since = now - Duration::days(30);
    let (_, counted) = ops.store.meter_state(member_id, post_id, since).await?;
    ops.store.record_meter_read(member_id, post_id, now).await?;
    if !counted {
        let mut event = MemberEvent::new(new_id(), member_id, ActivityKind::MeterHit, now);
        event.post_id = Some(post_id.to_owned());
        activity::record(ops, &event).await;
    }
    Ok(())
}
