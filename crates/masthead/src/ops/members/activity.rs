//! The member event log as use cases write it and the console words it. Events are appended
//! right after the write they record has committed (the writes that make them live in other
//! use cases: sign-up, sign-in, Stripe events, gifts, the meter, comps, email changes); a
//! failure to append is logged, never returned, since the change itself happened.

use super::super::Ops;
use crate::compose::new_id;
use chrono::{DateTime, Utc};
use domain::billing::{Subscription, SubscriptionStatus};
use domain::{ActivityKind, MemberEvent};
use serde_json::json;

/// Appends `event`, logging (not returning) a failure.
pub async fn record(ops: &Ops<'_>, event: &MemberEvent) {
    if let Err(e) = ops.store.record_member_event(event).await {
        tracing::warn!(member.id = %event.member_id, kind = event.kind.as_str(), error = %e,
            "member event not recorded");
    }
}

/// Appends an event of `kind` with nothing but its time.
pub async fn record_kind(ops: &Ops<'_>, member_id: &str, kind: ActivityKind, at: DateTime<Utc>) {
    record(ops, &MemberEvent::new(new_id(), member_id, kind, at)).await;
}

/// A comp of `tier` (until `until`, or for good).
pub fn comped(
    member_id: &str,
    tier: &str,
    until: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> MemberEvent {
    let mut e = MemberEvent::new(new_id(), member_id, ActivityKind::Comped, at);
    e.tier = Some(tier.to_owned());
    if let Some(until) = until {
        e.detail = json!({ "until": until.to_rfc3339() });
    }
    e
}

/// A paid subscription to `tier`, with its cadence (`month`/`year`) and amount when known.
pub fn subscribed(
    member_id: &str,
    tier: &str,
    price: Option<(&str, i64, &str)>,
    at: DateTime<Utc>,
) -> MemberEvent {
    let mut e = MemberEvent::new(new_id(), member_id, ActivityKind::Subscribed, at);
    e.tier = Some(tier.to_owned());
    if let Some((cadence, amount, currency)) = price {
        e.amount = Some(amount);
        e.detail = json!({ "cadence": cadence, "currency": currency });
    }
    e
}

/// The events a subscription's change from `before` to `after` (by a Stripe event) makes:
/// a new or moved paid subscription, a cancellation, a failed payment.
pub fn billing_events(
    member_id: &str,
    before: Option<&Subscription>,
    after: &Subscription,
    payment_failed: bool,
    at: DateTime<Utc>,
) -> Vec<MemberEvent> {
    use SubscriptionStatus::{Active, Canceled, Comped, PastDue, Trialing};
    let paying = |s: &Subscription| matches!(s.status, Active | Trialing | PastDue);
    let mut events = Vec::new();
    let was_paying_this = before.is_some_and(|b| paying(b) && b.tier == after.tier);
    if paying(after) && !was_paying_this {
        events.push(subscribed(member_id, after.tier.as_str(), None, at));
    }
    let was_canceled = before.is_some_and(|b| matches!(b.status, Canceled));
    if matches!(after.status, Canceled) && !was_canceled {
        let mut e = MemberEvent::new(new_id(), member_id, ActivityKind::Canceled, at);
        e.tier = Some(after.tier.to_string());
        events.push(e);
    }
    if payment_failed && !matches!(after.status, Comped) {
        let mut e = MemberEvent::new(new_id(), member_id, ActivityKind::PaymentFailed, at);
        e.tier = Some(after.tier.to_string());
        events.push(e);
    }
    events
}

/// What staff read for `event`, given the name of its tier and the title of its post when the
/// caller could find them.
pub fn describe(event: &MemberEvent, tier: Option<&str>, post: Option<&str>) -> String {
    let tier = tier.or(event.tier.as_deref()).unwrap_or("a tier");
    let post = post.unwrap_or("a deleted post");
    match event.kind {
        ActivityKind::SignedUp => "Signed up".to_owned(),
        ActivityKind::SignedIn => "Signed in".to_owned(),
        ActivityKind::Subscribed => subscribed_words(event, tier),
        ActivityKind::PaymentFailed => format!("A payment for {tier} failed"),
        ActivityKind::Canceled => format!("Canceled {tier}"),
        ActivityKind::Gifted => match event.detail_str("direction") {
            Some("redeemed") => format!("Redeemed a gift link: {post}"),
            _ => format!("Gave a gift link: {post}"),
        },
        ActivityKind::Unsubscribed => "Unsubscribed from emails".to_owned(),
        ActivityKind::Comped => match event.detail_str("until") {
            Some(until) => format!(
                "Given {tier} for free until {}",
                until.get(..10).unwrap_or(until)
            ),
            None => format!("Given {tier} for free"),
        },
        ActivityKind::MeterHit => format!("Read a metered article: {post}"),
        ActivityKind::EmailChanged => "Changed their email address".to_owned(),
    }
}

/// "Subscribed to Subscriber+ monthly, $8.00" (the cadence and price when known).
fn subscribed_words(event: &MemberEvent, tier: &str) -> String {
    let cadence = match event.detail_str("cadence") {
        Some("month") => " monthly",
        Some("year") => " yearly",
        _ => "",
    };
    match event.amount {
        Some(amount) => {
            let currency = event.detail_str("currency").unwrap_or("usd");
            format!("Subscribed to {tier}{cadence}, {}", price(amount, currency))
        }
        None => format!("Subscribed to {tier}{cadence}"),
    }
}

/// `800, usd` → `$8.00`; currencies without a symbol here: `800, chf` → `8.00 CHF`.
pub fn price(minor: i64, currency: &str) -> String {
    let number = format!("{}.{:02}", minor / 100, (minor % 100).abs());
    match currency.to_ascii_lowercase().as_str() {
        "usd" => format!("${number}"),
        "eur" => format!("€{number}"),
        "gbp" => format!("£{number}"),
        other => format!("{number} {}", other.to_uppercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_subscription_reads_with_its_cadence_and_price() {
        let e = subscribed("m", "plus", Some(("month", 800, "usd")), at());
        assert_eq!(
            describe(&e, Some("Subscriber+"), None),
            "Subscribed to Subscriber+ monthly, $8.00"
        );
        let e = subscribed("m", "plus", None, at());
        assert_eq!(describe(&e, None, None), "Subscribed to plus");
    }

    #[test]
    fn a_metered_read_names_its_post() {
        let mut e = MemberEvent::new("e".into(), "m", ActivityKind::MeterHit, at());
        e.post_id = Some("p".into());
        assert_eq!(
            describe(&e, None, Some("Rates rise")),
            "Read a metered article: Rates rise"
        );
        assert_eq!(
            describe(&e, None, None),
            "Read a metered article: a deleted post"
        );
    }

    #[test]
    fn billing_changes_make_the_events_a_person_would_name() {
        let tier = domain::Slug::parse("plus").unwrap();
        let mut active = domain::billing::comp(tier.clone(), None);
        active.status = SubscriptionStatus::Active;
        let kinds = |b: Option<&Subscription>, a: &Subscription, failed| {
            billing_events("m", b, a, failed, at())
                .iter()
                .map(|e| e.kind)
                .collect::<Vec<_>>()
        };
        assert_eq!(kinds(None, &active, false), [ActivityKind::Subscribed]);
        assert!(
            kinds(Some(&active), &active, false).is_empty(),
            "a renewal is no new subscription"
        );
        let mut canceled = active.clone();
        canceled.status = SubscriptionStatus::Canceled;
        assert_eq!(
            kinds(Some(&active), &canceled, false),
            [ActivityKind::Canceled]
        );
        let mut past_due = active.clone();
        past_due.status = SubscriptionStatus::PastDue;
        assert_eq!(
            kinds(Some(&active), &past_due, true),
            [ActivityKind::PaymentFailed]
        );
    }

    #[test]
    fn prices_keep_their_cents() {
        assert_eq!(price(850, "eur"), "€8.50");
        assert_eq!(price(1200, "chf"), "12.00 CHF");
    }
}
