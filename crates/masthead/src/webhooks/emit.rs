//! Firing events: the writers of members and subscriptions call these after their write
//! has committed, through an `Emitter` (`ops::Ops::emitter`; a detached one in CLI commands,
//! whose events a running server's deliverer finds within a second); post writes queue theirs
//! in their own transaction instead, built by `post_outgoing`. Each event
//! is queued in the store for every hook following it (the durable queue the deliverer works
//! through) and the deliverer is woken. A failure to queue is logged, never the writer's
//! failure: the write itself has happened.

use super::payload;
use chrono::{DateTime, Utc};
use domain::billing::Subscription;
use domain::webhook::{PostState, post_events, subscription_event, went_live_event};
use domain::{Member, Post, PostKind, WebhookEvent};
use serde_json::Value;
use std::sync::Arc;
use store::{Outgoing, Store};
use tokio::sync::Notify;

/// Wakes the deliverer when something is queued (it also looks every second, for other
/// processes' events and retries that come due).
#[derive(Clone, Default)]
pub struct Hooks {
    wake: Arc<Notify>,
}

impl Hooks {
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub async fn woken(&self) {
        self.wake.notified().await;
    }
}

/// What firing needs: the store that holds the queue, the site's URL for the payloads, and
/// (in the server) the deliverer to wake.
pub struct Emitter<'a> {
    pub store: &'a Store,
    pub public_url: &'a str,
    pub hooks: Option<&'a Hooks>,
}

async fn fire(state: &Emitter<'_>, event: WebhookEvent, body: &Value) {
    match state
        .store
        .enqueue_webhook_event(event, &body.to_string(), Utc::now())
        .await
    {
        Ok(0) => {}
        Ok(hooks) => {
            tracing::debug!(%event, hooks, "webhook event queued");
            if let Some(h) = state.hooks {
                h.wake();
            }
        }
        Err(err) => tracing::error!(
            %event, error = %err,
            "a webhook event could not be queued; its receivers will not hear of it"
        ),
    }
}

/// The events a post write fires, with their bodies, from the post before and after it
/// (`before` `None`: created; `after` `None`: deleted), as seen at `now`. The write queues them
/// in its own transaction (`ops::posts`). Bodies show the posts as an anonymous reader sees
/// them (`payload::post`), never the gated part.
pub fn post_outgoing(
    public_url: &str,
    before: Option<&Post>,
    after: Option<&Post>,
    now: DateTime<Utc>,
) -> Vec<Outgoing> {
    let events = post_events(
        before.map(|p| PostState::of(p, now)),
        after.map(|p| PostState::of(p, now)),
    );
    if events.is_empty() {
        return vec![];
    }
    let kind = after.or(before).map_or(PostKind::Post, |p| p.kind);
    let before = before.map(|p| payload::post(public_url, p, now));
    let after = after.map(|p| payload::post(public_url, p, now));
    let body = payload::change(resource(kind), before.as_ref(), after.as_ref()).to_string();
    events
        .into_iter()
        .map(|event| Outgoing {
            event,
            body: body.clone(),
        })
        .collect()
}

/// A post or page that went live by the clock alone (it was scheduled).
pub async fn went_live(state: &Emitter<'_>, post: &Post) {
    let now = Utc::now();
    let mut before = payload::post(state.public_url, post, now);
    before["status"] = "scheduled".into();
    let after = payload::post(state.public_url, post, now);
    fire(
        state,
        went_live_event(post.kind),
        &payload::change(resource(post.kind), Some(&before), Some(&after)),
    )
    .await;
}

/// The key Ghost's payloads put a post or page under.
fn resource(kind: PostKind) -> &'static str {
    match kind {
        PostKind::Post => "post",
        PostKind::Page => "page",
    }
}

/// The member as webhooks show them, taken before a write so `member.edited` can say what
/// changed; `None` if it cannot be read (the event then shows no previous values).
pub async fn member_snapshot(state: &Emitter<'_>, m: &Member) -> Option<Value> {
    payload::member(state.store, m)
        .await
        .inspect_err(|err| tracing::warn!(error = %err, "a member could not be read for webhooks"))
        .ok()
}

/// The member as webhooks showed them while holding `sub`: the previous side of a subscription
/// change that is already committed.
pub async fn member_snapshot_holding(
    state: &Emitter<'_>,
    m: &Member,
    sub: Option<&Subscription>,
) -> Option<Value> {
    payload::member_holding(state.store, m, sub)
        .await
        .inspect_err(|err| tracing::warn!(error = %err, "a member could not be read for webhooks"))
        .ok()
}

/// A member was added (`before` `None`), edited, or deleted (`after` `None`). An edit that
/// changed nothing webhooks show fires nothing.
pub async fn member_changed(state: &Emitter<'_>, before: Option<Value>, after: Option<&Member>) {
    let after = match after {
        Some(m) => match member_snapshot(state, m).await {
            Some(v) => Some(v),
            None => return,
        },
        None => None,
    };
    let event = match (&before, &after) {
        (None, Some(_)) => WebhookEvent::MemberAdded,
        (Some(_), None) => WebhookEvent::MemberDeleted,
        (Some(old), Some(new)) if old != new => WebhookEvent::MemberEdited,
        _ => return,
    };
    fire(
        state,
        event,
        &payload::change("member", before.as_ref(), after.as_ref()),
    )
    .await;
}

/// What a member's subscription became, from Stripe's webhooks.
pub async fn subscription_changed(
    state: &Emitter<'_>,
    member: &Member,
    before: Option<&Subscription>,
    after: &Subscription,
) {
    if let Some(event) = subscription_event(before, after) {
        subscription_fire(state, event, member, before, after).await;
    }
}

/// Stripe could not collect a payment for the member's subscription (`after`: what the
/// subscription became, e.g. past due).
pub async fn payment_failed(
    state: &Emitter<'_>,
    member: &Member,
    before: Option<&Subscription>,
    after: &Subscription,
) {
    subscription_fire(state, WebhookEvent::PaymentFailed, member, before, after).await;
}

async fn subscription_fire(
    state: &Emitter<'_>,
    event: WebhookEvent,
    member: &Member,
    before: Option<&Subscription>,
    after: &Subscription,
) {
    let (Some(shown), Ok(tiers)) = (
        member_snapshot(state, member).await,
        state.store.tiers().await,
    ) else {
        tracing::error!(%event, "a subscription webhook could not be built; its receivers will not hear of it");
        return;
    };
    fire(
        state,
        event,
        &payload::subscription(shown, before, after, &tiers),
    )
    .await;
}
