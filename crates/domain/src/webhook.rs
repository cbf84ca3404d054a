//! Webhooks as the Admin API registers them: the events a hook may follow (an allow-list) and
//! the target URLs it may call (`target.rs`: http or https, and not inside the server's own
//! networks). No I/O: the store keeps hooks, the binary signs and delivers.

use crate::billing::{Subscription, SubscriptionStatus};
use crate::{Post, PostKind};
use chrono::{DateTime, Utc};
use std::fmt;

mod target;
pub use target::{BadTargetUrl, MAX_TARGET_URL, TargetUrl, inside_range, is_inside};

/// An event a webhook can follow: Ghost's names, plus the subscription events Ghost lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebhookEvent {
    PostPublished,
    PostPublishedEdited,
    PostUnpublished,
    PostDeleted,
    PagePublished,
    MemberAdded,
    MemberEdited,
    MemberDeleted,
    SubscriptionStarted,
    SubscriptionUpdated,
    SubscriptionCanceled,
    PaymentFailed,
}

impl WebhookEvent {
    /// Every event, in the order the docs list them.
    pub const ALL: [WebhookEvent; 12] = [
        WebhookEvent::PostPublished,
        WebhookEvent::PostPublishedEdited,
        WebhookEvent::PostUnpublished,
        WebhookEvent::PostDeleted,
        WebhookEvent::PagePublished,
        WebhookEvent::MemberAdded,
        WebhookEvent::MemberEdited,
        WebhookEvent::MemberDeleted,
        WebhookEvent::SubscriptionStarted,
        WebhookEvent::SubscriptionUpdated,
        WebhookEvent::SubscriptionCanceled,
        WebhookEvent::PaymentFailed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::PostPublished => "post.published",
            WebhookEvent::PostPublishedEdited => "post.published.edited",
            WebhookEvent::PostUnpublished => "post.unpublished",
            WebhookEvent::PostDeleted => "post.deleted",
            WebhookEvent::PagePublished => "page.published",
            WebhookEvent::MemberAdded => "member.added",
            WebhookEvent::MemberEdited => "member.edited",
            WebhookEvent::MemberDeleted => "member.deleted",
            WebhookEvent::SubscriptionStarted => "subscription.started",
            WebhookEvent::SubscriptionUpdated => "subscription.updated",
            WebhookEvent::SubscriptionCanceled => "subscription.canceled",
            WebhookEvent::PaymentFailed => "payment.failed",
        }
    }

    /// The event named `raw`, if it is on the allow-list (exact, case-sensitive, as Ghost).
    pub fn parse(raw: &str) -> Option<WebhookEvent> {
        WebhookEvent::ALL.into_iter().find(|e| e.as_str() == raw)
    }
}

impl fmt::Display for WebhookEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a post's webhooks need to know of one side of a change: its kind, and whether readers
/// could see it (published, with a publication time that has come).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostState {
    pub kind: PostKind,
    pub live: bool,
}

impl PostState {
    pub fn of(post: &Post, now: DateTime<Utc>) -> PostState {
        PostState {
            kind: post.kind,
            live: post.is_live(now),
        }
    }
}

/// The events a write to a post fires, as Ghost fires them: going live is `post.published`
/// (`page.published` for a page), an edit while live `post.published.edited`, leaving the site
/// `post.unpublished`, and deleting a post (in any status) `post.deleted`. `before` is `None`
/// for a new post, `after` `None` for a deleted one. A post scheduled for later fires nothing
/// now: it fires `post.published` when its time comes ([`went_live_event`]).
pub fn post_events(before: Option<PostState>, after: Option<PostState>) -> Vec<WebhookEvent> {
    use WebhookEvent as E;
    let was_live = before.is_some_and(|b| b.live);
    match after {
        None => match before {
            Some(b) if b.kind == PostKind::Post => vec![E::PostDeleted],
            _ => vec![],
        },
        Some(a) => match (a.kind, was_live, a.live) {
            (PostKind::Post, false, true) => vec![E::PostPublished],
            (PostKind::Post, true, true) => vec![E::PostPublishedEdited],
            (PostKind::Post, true, false) => vec![E::PostUnpublished],
            (PostKind::Page, false, true) => vec![E::PagePublished],
            _ => vec![],
        },
    }
}

/// The event a scheduled post fires when its publication time comes.
pub fn went_live_event(kind: PostKind) -> WebhookEvent {
    match kind {
        PostKind::Post => WebhookEvent::PostPublished,
        PostKind::Page => WebhookEvent::PagePublished,
    }
}

/// The event a change to a paid subscription fires: `subscription.started` when one begins
/// (none before, or the one before had ended), `subscription.canceled` when it ends, and
/// `subscription.updated` for any other change members or staff would notice (tier, status,
/// renewal date, a cancellation scheduled or withdrawn). Staff comps are not subscriptions
/// anyone paid for and fire nothing here (the member's `member.edited` tells of them).
pub fn subscription_event(
    before: Option<&Subscription>,
    after: &Subscription,
) -> Option<WebhookEvent> {
    use SubscriptionStatus as S;
    if after.status == S::Comped || after.stripe_subscription_id.is_none() {
        return None;
    }
    let ended = |s: &Subscription| s.status == S::Canceled || s.status == S::Comped;
    match before {
        None if after.status == S::Canceled => None,
        None => Some(WebhookEvent::SubscriptionStarted),
        Some(b) if ended(b) && !ended(after) => Some(WebhookEvent::SubscriptionStarted),
        Some(b) if !ended(b) && after.status == S::Canceled => {
            Some(WebhookEvent::SubscriptionCanceled)
        }
        Some(b)
            if b.tier != after.tier
                || b.status != after.status
                || b.current_period_end != after.current_period_end
                || b.cancel_at_period_end != after.cancel_at_period_end =>
        {
            Some(WebhookEvent::SubscriptionUpdated)
        }
        Some(_) => None,
    }
}

/// How many times a delivery is tried before it is given up.
pub const DELIVERY_ATTEMPTS: u32 = 6;

/// How long to wait before trying a delivery again after `failed` failed attempts, doubling from
/// `base_ms` each time; `None` once [`DELIVERY_ATTEMPTS`] have failed.
pub fn retry_delay_ms(failed: u32, base_ms: u64) -> Option<u64> {
    (failed < DELIVERY_ATTEMPTS).then(|| base_ms.saturating_mul(1u64 << (failed.max(1) - 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_and_unknown_ones_are_refused() {
        for e in WebhookEvent::ALL {
            assert_eq!(WebhookEvent::parse(e.as_str()), Some(e));
        }
        for bad in [
            "",
            "post",
            "Post.Published",
            "post.published ",
            "site.changed",
        ] {
            assert_eq!(WebhookEvent::parse(bad), None, "{bad:?}");
        }
    }

    #[allow(
        clippy::unnecessary_wraps,
        reason = "a cell of the table below, whose states are optional"
    )]
    fn state(kind: PostKind, live: bool) -> Option<PostState> {
        Some(PostState { kind, live })
    }

    #[test]
    fn post_writes_fire_ghosts_events() {
        use PostKind::{Page, Post as P};
        use WebhookEvent as E;
        let cases = [
            (None, state(P, false), vec![]),
            (None, state(P, true), vec![E::PostPublished]),
            (state(P, false), state(P, true), vec![E::PostPublished]),
            (state(P, true), state(P, true), vec![E::PostPublishedEdited]),
            (state(P, true), state(P, false), vec![E::PostUnpublished]),
            (state(P, false), state(P, false), vec![]),
            (state(P, false), None, vec![E::PostDeleted]),
            (state(P, true), None, vec![E::PostDeleted]),
            (None, state(Page, true), vec![E::PagePublished]),
            (state(Page, true), state(Page, true), vec![]),
            (state(Page, true), state(Page, false), vec![]),
            (state(Page, true), None, vec![]),
        ];
        for (before, after, want) in cases {
            assert_eq!(post_events(before, after), want, "{before:?} -> {after:?}");
        }
        assert_eq!(went_live_event(P), E::PostPublished);
        assert_eq!(went_live_event(Page), E::PagePublished);
    }

    fn sub(status: SubscriptionStatus) -> Subscription {
        Subscription {
            tier: crate::Slug::parse("plus").unwrap(),
            status,
            stripe_subscription_id: Some("sub_1".into()),
            stripe_customer_id: Some("cus_1".into()),
            current_period_end: None,
            past_due_since: None,
            comped_until: None,
            cancel_at_period_end: false,
            last_event_at: None,
        }
    }

    #[test]
    fn subscription_changes_fire_one_event() {
        use SubscriptionStatus as S;
        use WebhookEvent as E;
        let active = sub(S::Active);
        assert_eq!(
            subscription_event(None, &active),
            Some(E::SubscriptionStarted)
        );
        assert_eq!(subscription_event(None, &sub(S::Canceled)), None);
        assert_eq!(
            subscription_event(Some(&sub(S::Canceled)), &active),
            Some(E::SubscriptionStarted)
        );
        assert_eq!(
            subscription_event(Some(&active), &sub(S::Canceled)),
            Some(E::SubscriptionCanceled)
        );
        assert_eq!(
            subscription_event(Some(&active), &sub(S::PastDue)),
            Some(E::SubscriptionUpdated)
        );
        let mut leaving = active.clone();
        leaving.cancel_at_period_end = true;
        assert_eq!(
            subscription_event(Some(&active), &leaving),
            Some(E::SubscriptionUpdated)
        );
        let mut renewed = active.clone();
        renewed.last_event_at = DateTime::from_timestamp(1_796_000_000, 0);
        assert_eq!(subscription_event(Some(&active), &renewed), None);
        let mut comp = sub(S::Comped);
        comp.stripe_subscription_id = None;
        assert_eq!(subscription_event(None, &comp), None);
        assert_eq!(subscription_event(Some(&active), &comp), None);
    }

    #[test]
    fn retries_double_then_stop() {
        let delays: Vec<Option<u64>> = (1..=DELIVERY_ATTEMPTS)
            .map(|n| retry_delay_ms(n, 100))
            .collect();
        assert_eq!(
            delays,
            vec![Some(100), Some(200), Some(400), Some(800), Some(1600), None]
        );
        assert_eq!(retry_delay_ms(3, u64::MAX), Some(u64::MAX));
    }
}
