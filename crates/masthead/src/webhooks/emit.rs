//! Firing events. Post, member and subscription writes queue theirs in their own transaction,
//! built by the pure `post_outgoing`, `member_outgoing` and `subscription_outgoing`. Writers
//! that cannot yet (sign-up by link, the scheduled-post watcher) call the async functions after
//! their write has committed, through an `Emitter` (`ops::Ops::emitter`). Each event is queued
//! in the store for every hook following it (the durable queue the deliverer works through) and
//! the deliverer is woken. A failure to queue after the commit is logged, never the writer's
//! failure: the write itself has happened.

use super::payload;
use crate::ghost::shapes;
use chrono::{DateTime, Utc};
use domain::billing::Subscription;
use domain::webhook::{PostState, post_events, subscription_event, went_live_event};
use domain::{Member, Post, PostKind, Tier, WebhookEvent};
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

/// A member was added (`before` `None`), edited, or deleted (`after` `None`), and the write has
/// committed. An edit that changed nothing webhooks show fires nothing.
pub async fn member_changed(state: &Emitter<'_>, before: Option<Value>, after: Option<&Member>) {
    let after = match after {
        Some(m) => match member_snapshot(state, m).await {
            Some(v) => Some(v),
            None => return,
        },
        None => None,
    };
    if let Some((event, body)) = member_change(before.as_ref(), after.as_ref()) {
        fire(state, event, &body).await;
    }
}

/// The member as webhooks show them while holding `sub` (the Admin API's shape).
pub fn member_shown(m: &Member, sub: Option<&Subscription>, tiers: &[Tier]) -> Value {
    shapes::member(m, sub, tiers, &[])
}

/// The event a member write fires, for a write queued in its own transaction: `member.added`
/// (`before` `None`), `member.edited` or `member.deleted` (`after` `None`), from the member as
/// `member_shown` showed them before and after; none when an edit changed nothing shown.
pub fn member_outgoing(before: Option<&Value>, after: Option<&Value>) -> Option<Outgoing> {
    member_change(before, after).map(|(event, body)| Outgoing {
        event,
        body: body.to_string(),
    })
}

fn member_change(before: Option<&Value>, after: Option<&Value>) -> Option<(WebhookEvent, Value)> {
    let event = match (before, after) {
        (None, Some(_)) => WebhookEvent::MemberAdded,
        (Some(_), None) => WebhookEvent::MemberDeleted,
        (Some(old), Some(new)) if old != new => WebhookEvent::MemberEdited,
        _ => return None,
    };
    Some((event, payload::change("member", before, after)))
}

/// What a Stripe event that took `member`'s subscription from `before` to `after` (`None`: left
/// it as it was) fires, queued with the change: the subscription's event and `member.edited`
/// when it changed, then `member.payment_failed` for a failed payment. `member` is as the
/// event left them.
pub fn subscription_outgoing(
    member: &Member,
    tiers: &[Tier],
    payment_failed: bool,
    before: Option<&Subscription>,
    after: Option<&Subscription>,
) -> Vec<Outgoing> {
    let held = after.or(before);
    let shown = member_shown(member, held, tiers);
    let body = |sub: &Subscription| payload::subscription(shown.clone(), before, sub, tiers);
    let mut events = Vec::new();
    if let Some(sub) = after {
        if let Some(event) = subscription_event(before, sub) {
            events.push(Outgoing {
                event,
                body: body(sub).to_string(),
            });
        }
        let was = member_shown(member, before, tiers);
        events.extend(member_outgoing(Some(&was), Some(&shown)));
    }
    if payment_failed && let Some(sub) = held {
        events.push(Outgoing {
            event: WebhookEvent::PaymentFailed,
            body: body(sub).to_string(),
        });
    }
    events
}
