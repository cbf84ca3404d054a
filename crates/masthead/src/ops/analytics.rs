//! The dashboard's writes: a beacon's page view counted (bots skipped), a new member
//! attributed to the post they signed up from, and a paid subscription's start or end
//! recorded (with that attribution) when a Stripe event changes whether a member pays.
//! The dashboard's reads, for administrators, are in `analytics/dashboard.rs`.

pub mod dashboard;

use super::{Ops, OpsError};
use crate::analytics::{Beacon, Views, is_bot};
use crate::compose::new_id;
use chrono::{DateTime, Utc};
use domain::billing::{Subscription, SubscriptionStatus};
use store::PaidChange;

/// What became of a beacon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// A view was counted (written within a second or so).
    Yes,
    /// A bot's, or the batch was full: nothing counted.
    No,
}

/// Counts a beacon's view of post `beacon.post_id` unless its user agent is a bot's. A post
/// id that is no UUID is refused; one that is no post is dropped when the batch is written.
pub async fn record_view(
    ops: &Ops<'_>,
    views: &Views,
    beacon: &Beacon<'_>,
    now: DateTime<Utc>,
) -> Result<Counted, OpsError> {
    let canonical = uuid::Uuid::parse_str(beacon.post_id)
        .is_ok_and(|id| id.hyphenated().to_string() == beacon.post_id);
    if !canonical {
        return Err(OpsError::Invalid(
            "A page view names its post by id: post=<uuid>.".into(),
        ));
    }
    if is_bot(beacon.user_agent) {
        return Ok(Counted::No);
    }
    Ok(if views.count(ops.store, beacon, now).await? {
        Counted::Yes
    } else {
        Counted::No
    })
}

/// Attributes a member who just signed up to the post at `redirect` (the article whose
/// sign-up link they followed: `/{slug}/`), when it names a post.
pub async fn attribute_signup(
    ops: &Ops<'_>,
    member_id: &str,
    redirect: &str,
) -> Result<(), OpsError> {
    let Some(slug) = redirect
        .strip_prefix('/')
        .and_then(|r| r.strip_suffix('/'))
        .filter(|s| !s.is_empty() && !s.contains('/'))
    else {
        return Ok(());
    };
    if let Some(post) = ops.store.post_by_slug(slug).await? {
        ops.store.attribute_member(member_id, &post.id).await?;
    }
    Ok(())
}

/// Whether `sub` is a paying (or trialing) Stripe subscription.
fn pays(sub: Option<&Subscription>) -> bool {
    sub.is_some_and(|s| {
        s.stripe_subscription_id.is_some()
            && matches!(
                s.status,
                SubscriptionStatus::Active
                    | SubscriptionStatus::Trialing
                    | SubscriptionStatus::PastDue
            )
    })
}

/// Records a paid start or end when a fresh Stripe event changed whether `member_id` pays.
pub async fn paid_change(
    ops: &Ops<'_>,
    member_id: &str,
    before: Option<&Subscription>,
    after: Option<&Subscription>,
    now: DateTime<Utc>,
) -> Result<(), OpsError> {
    let Some(after) = after else {
        return Ok(());
    };
    let change = match (pays(before), pays(Some(after))) {
        (false, true) => PaidChange::Started,
        (true, false) => PaidChange::Ended,
        _ => return Ok(()),
    };
    let tier = match (change, before) {
        (PaidChange::Ended, Some(b)) => b.tier.as_str(),
        _ => after.tier.as_str(),
    };
    ops.store
        .record_paid_change(&new_id(), member_id, change, tier, now)
        .await?;
    Ok(())
}
