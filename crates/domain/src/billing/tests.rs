//! Billing transitions: every event kind against every kind of stored subscription, events that
//! arrive late or twice, grace-period and comp boundaries.

use super::*;
use SubscriptionStatus::*;
use chrono::TimeZone;

const DAY: i64 = 86_400;
const SUB: &str = "sub_1";
const OTHER: &str = "sub_2";
const CUS: &str = "cus_1";

fn t(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap() + Duration::seconds(secs)
}

/// Events are created at t(0..100); "now" is later, and before the comps' ends used below.
fn now() -> DateTime<Utc> {
    t(1_000)
}

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

/// A stored Stripe subscription whose last applied event was created at t(10).
fn stripe(status: SubscriptionStatus, subscription_id: &str) -> Subscription {
    Subscription {
        tier: slug("plus"),
        status,
        stripe_subscription_id: Some(subscription_id.into()),
        stripe_customer_id: Some(CUS.into()),
        current_period_end: Some(t(30 * DAY)),
        past_due_since: (status == PastDue).then(|| t(5)),
        comped_until: None,
        cancel_at_period_end: false,
        last_event_at: Some(t(10)),
    }
}

fn comped(until: Option<i64>) -> Subscription {
    comp(slug("plus"), until.map(t))
}

fn at(secs: i64, kind: BillingEvent) -> Event {
    Event {
        id: format!("evt_{secs}"),
        created: t(secs),
        kind,
    }
}

fn checkout(subscription_id: &str, tier: Option<&str>) -> BillingEvent {
    BillingEvent::CheckoutCompleted {
        member_id: Some("m1".into()),
        customer_id: CUS.into(),
        subscription_id: subscription_id.into(),
        tier: tier.map(slug),
    }
}

fn updated(subscription_id: &str, stripe_status: &str) -> BillingEvent {
    BillingEvent::SubscriptionUpdated {
        member_id: Some("m1".into()),
        customer_id: CUS.into(),
        subscription_id: subscription_id.into(),
        tier: Some(slug("plus")),
        stripe_status: stripe_status.into(),
        current_period_end: Some(t(60 * DAY)),
        cancel_at_period_end: false,
    }
}

fn updated_without_tier(subscription_id: &str, stripe_status: &str) -> BillingEvent {
    match updated(subscription_id, stripe_status) {
        BillingEvent::SubscriptionUpdated {
            tier: _,
            member_id,
            customer_id,
            subscription_id,
            stripe_status,
            current_period_end,
            cancel_at_period_end,
        } => BillingEvent::SubscriptionUpdated {
            tier: None,
            member_id,
            customer_id,
            subscription_id,
            stripe_status,
            current_period_end,
            cancel_at_period_end,
        },
        _ => unreachable!(),
    }
}

fn deleted(subscription_id: &str) -> BillingEvent {
    BillingEvent::SubscriptionDeleted {
        member_id: None,
        customer_id: CUS.into(),
        subscription_id: subscription_id.into(),
    }
}

fn paid(subscription_id: Option<&str>) -> BillingEvent {
    BillingEvent::InvoicePaid {
        customer_id: CUS.into(),
        subscription_id: subscription_id.map(Into::into),
        period_end: Some(t(90 * DAY)),
    }
}

fn paid_by(customer_id: &str) -> BillingEvent {
    BillingEvent::InvoicePaid {
        customer_id: customer_id.into(),
        subscription_id: None,
        period_end: None,
    }
}

fn failed(subscription_id: Option<&str>) -> BillingEvent {
    BillingEvent::InvoicePaymentFailed {
        customer_id: CUS.into(),
        subscription_id: subscription_id.map(Into::into),
    }
}

fn ignored() -> BillingEvent {
    BillingEvent::Ignored {
        event_type: "customer.created".into(),
    }
}

/// The status `apply` leaves, or `None` for `Unchanged`.
fn outcome(current: Option<&Subscription>, event: &Event) -> Option<SubscriptionStatus> {
    match apply(current, event, now()) {
        Transition::Unchanged => None,
        Transition::Set(sub) => {
            assert_eq!(
                sub.last_event_at,
                Some(event.created),
                "Set records the event's time"
            );
            Some(sub.status)
        }
    }
}

#[test]
fn every_transition() {
    let active = stripe(Active, SUB);
    let trialing = stripe(Trialing, SUB);
    let past_due = stripe(PastDue, SUB);
    let canceled = stripe(Canceled, SUB);
    let other_active = stripe(Active, OTHER);
    let other_canceled = stripe(Canceled, OTHER);
    let comp_forever = comped(None);
    let comp_live = comped(Some(2_000));
    let comp_expired = comped(Some(500));
    #[rustfmt::skip]
    let cases: Vec<(&str, Option<&Subscription>, BillingEvent, Option<SubscriptionStatus>)> = vec![
        ("checkout starts a subscription", None, checkout(SUB, Some("plus")), Some(Active)),
        ("checkout without a tier records nothing", None, checkout(SUB, None), None),
        ("checkout keeps the tier it replaces", Some(&other_canceled), checkout(SUB, None), Some(Active)),
        ("checkout after created(trialing) stays trialing", Some(&trialing), checkout(SUB, Some("plus")), Some(Trialing)),
        ("checkout after updated(past_due) stays past due", Some(&past_due), checkout(SUB, None), Some(PastDue)),
        ("checkout does not revive a deleted subscription", Some(&canceled), checkout(SUB, None), None),
        ("checkout replaces a canceled subscription", Some(&other_canceled), checkout(SUB, Some("plus")), Some(Active)),
        ("checkout replaces a comp", Some(&comp_forever), checkout(SUB, Some("plus")), Some(Active)),
        ("newer checkout replaces another live subscription", Some(&other_active), checkout(SUB, Some("plus")), Some(Active)),

        ("created(active) starts a subscription", None, updated(SUB, "active"), Some(Active)),
        ("created(trialing) starts a trial", None, updated(SUB, "trialing"), Some(Trialing)),
        ("created(past_due) starts past due", None, updated(SUB, "past_due"), Some(PastDue)),
        ("created(unpaid) starts past due", None, updated(SUB, "unpaid"), Some(PastDue)),
        ("created(incomplete) is not started", None, updated(SUB, "incomplete"), None),
        ("created(paused) is not started", None, updated(SUB, "paused"), None),
        ("created(canceled) records nothing", None, updated(SUB, "canceled"), None),
        ("created(incomplete_expired) records nothing", None, updated(SUB, "incomplete_expired"), None),
        ("unknown stripe status records nothing", None, updated(SUB, "frobnicated"), None),
        ("created without a tier records nothing", None, updated_without_tier(SUB, "active"), None),
        ("updated without a tier keeps the stored one", Some(&active), updated_without_tier(SUB, "active"), Some(Active)),
        ("updated(past_due)", Some(&active), updated(SUB, "past_due"), Some(PastDue)),
        ("updated(unpaid)", Some(&active), updated(SUB, "unpaid"), Some(PastDue)),
        ("updated(canceled)", Some(&active), updated(SUB, "canceled"), Some(Canceled)),
        ("updated(incomplete_expired)", Some(&active), updated(SUB, "incomplete_expired"), Some(Canceled)),
        ("updated(trialing)", Some(&active), updated(SUB, "trialing"), Some(Trialing)),
        ("updated(active) ends a trial", Some(&trialing), updated(SUB, "active"), Some(Active)),
        ("updated(active) settles arrears", Some(&past_due), updated(SUB, "active"), Some(Active)),
        ("updated(paused) is past due", Some(&active), updated(SUB, "paused"), Some(PastDue)),
        ("updated(incomplete) is past due", Some(&active), updated(SUB, "incomplete"), Some(PastDue)),
        ("updated does not revive a deleted subscription", Some(&canceled), updated(SUB, "active"), None),
        ("a new subscription replaces a canceled one", Some(&other_canceled), updated(SUB, "active"), Some(Active)),
        ("a new past-due subscription replaces a canceled one", Some(&other_canceled), updated(SUB, "past_due"), Some(PastDue)),
        ("a paying subscription replaces a comp", Some(&comp_live), updated(SUB, "active"), Some(Active)),
        ("a trialing subscription replaces a comp", Some(&comp_live), updated(SUB, "trialing"), Some(Trialing)),
        ("a past-due subscription leaves a running comp", Some(&comp_live), updated(SUB, "past_due"), None),
        ("a past-due subscription replaces an expired comp", Some(&comp_expired), updated(SUB, "past_due"), Some(PastDue)),
        ("a canceled subscription leaves a comp", Some(&comp_forever), updated(SUB, "canceled"), None),
        ("cancellation of a replaced subscription changes nothing", Some(&other_active), updated(SUB, "canceled"), None),
        ("arrears of a replaced subscription change nothing", Some(&other_active), updated(SUB, "past_due"), None),
        ("a newer paying subscription replaces a live one", Some(&other_active), updated(SUB, "active"), Some(Active)),

        ("deleted cancels", Some(&active), deleted(SUB), Some(Canceled)),
        ("deleted cancels a past-due subscription", Some(&past_due), deleted(SUB), Some(Canceled)),
        ("deleted twice changes nothing", Some(&canceled), deleted(SUB), None),
        ("deleting a replaced subscription changes nothing", Some(&other_active), deleted(SUB), None),
        ("deleted with nothing stored", None, deleted(SUB), None),
        ("deleted leaves a comp", Some(&comp_forever), deleted(SUB), None),

        ("paid settles arrears", Some(&past_due), paid(Some(SUB)), Some(Active)),
        ("paid renews", Some(&active), paid(Some(SUB)), Some(Active)),
        ("paid keeps a trial", Some(&trialing), paid(Some(SUB)), Some(Trialing)),
        ("paid without a subscription id, same customer", Some(&past_due), paid(None), Some(Active)),
        ("paid without a subscription id, other customer", Some(&past_due), paid_by("cus_other"), None),
        ("paid for another subscription", Some(&past_due), paid(Some(OTHER)), None),
        ("paid does not revive a deleted subscription", Some(&canceled), paid(Some(SUB)), None),
        ("paid leaves a comp", Some(&comp_live), paid(None), None),
        ("paid with nothing stored", None, paid(Some(SUB)), None),

        ("failed makes past due", Some(&active), failed(Some(SUB)), Some(PastDue)),
        ("failed at the end of a trial", Some(&trialing), failed(Some(SUB)), Some(PastDue)),
        ("failed again stays past due", Some(&past_due), failed(Some(SUB)), Some(PastDue)),
        ("failed without a subscription id", Some(&active), failed(None), Some(PastDue)),
        ("failed for another subscription", Some(&active), failed(Some(OTHER)), None),
        ("failed leaves a comp", Some(&comp_forever), failed(None), None),
        ("failed leaves a deleted subscription", Some(&canceled), failed(Some(SUB)), None),
        ("failed with nothing stored", None, failed(Some(SUB)), None),

        ("ignored", Some(&active), ignored(), None),
        ("ignored with nothing stored", None, ignored(), None),
    ];
    for (name, current, kind, want) in cases {
        assert_eq!(outcome(current, &at(20, kind)), want, "{name}");
    }
}

#[test]
fn event_times_decide() {
    let active = stripe(Active, SUB);
    let other_active = stripe(Active, OTHER);
    #[rustfmt::skip]
    let cases: Vec<(&str, &Subscription, Event, Option<SubscriptionStatus>)> = vec![
        ("an older event changes nothing", &active, at(9, updated(SUB, "past_due")), None),
        ("an event from the same second applies", &active, at(10, updated(SUB, "past_due")), Some(PastDue)),
        ("an older checkout changes nothing", &active, at(9, checkout(SUB, Some("gold"))), None),
        ("an older failure changes nothing", &active, at(9, failed(Some(SUB))), None),
        ("a same-second checkout does not replace a live subscription", &other_active, at(10, checkout(SUB, Some("plus"))), None),
        ("a same-second update does not replace a live subscription", &other_active, at(10, updated(SUB, "active")), None),
    ];
    for (name, current, event, want) in cases {
        assert_eq!(outcome(Some(current), &event), want, "{name}");
    }
}

/// Stripe never revives a canceled subscription, so news of its end applies however late it is,
/// and keeps the newer `last_event_at`.
#[test]
fn late_news_of_an_end_still_cancels() {
    let active = stripe(Active, SUB);
    for kind in [
        deleted(SUB),
        updated(SUB, "canceled"),
        updated(SUB, "incomplete_expired"),
    ] {
        let next = set(Some(&active), &at(9, kind.clone()));
        assert_eq!(
            (next.status, next.last_event_at, next.cancel_at_period_end),
            (Canceled, Some(t(10)), false),
            "{kind:?}"
        );
    }
    #[rustfmt::skip]
    let unchanged: Vec<(&str, Subscription, BillingEvent)> = vec![
        ("a late deletion of a replaced subscription", stripe(Active, OTHER), deleted(SUB)),
        ("a late deletion of a deleted subscription", stripe(Canceled, SUB), deleted(SUB)),
        ("a late deletion leaves a comp", comped(None), deleted(SUB)),
        ("a late update that is not an end", stripe(Active, SUB), updated(SUB, "past_due")),
    ];
    for (name, current, kind) in unchanged {
        let current = Subscription {
            last_event_at: Some(t(10)),
            ..current
        };
        assert_eq!(
            apply(Some(&current), &at(9, kind), now()),
            Transition::Unchanged,
            "{name}"
        );
    }
}

fn set(current: Option<&Subscription>, event: &Event) -> Subscription {
    match apply(current, event, now()) {
        Transition::Set(sub) => sub,
        Transition::Unchanged => panic!("{event:?} left {current:?} unchanged"),
    }
}

#[test]
fn fields_follow_the_event() {
    let first_failure = set(Some(&stripe(Active, SUB)), &at(20, failed(Some(SUB))));
    assert_eq!(
        first_failure.past_due_since,
        Some(t(20)),
        "grace starts at the first failure"
    );
    let again = set(Some(&stripe(PastDue, SUB)), &at(20, failed(Some(SUB))));
    assert_eq!(
        again.past_due_since,
        Some(t(5)),
        "later failures do not extend the grace"
    );
    let again = set(Some(&stripe(PastDue, SUB)), &at(20, updated(SUB, "unpaid")));
    assert_eq!(again.past_due_since, Some(t(5)));

    let settled = set(Some(&stripe(PastDue, SUB)), &at(20, paid(Some(SUB))));
    assert_eq!(
        (settled.past_due_since, settled.current_period_end),
        (None, Some(t(90 * DAY)))
    );

    let mut change = updated(SUB, "active");
    if let BillingEvent::SubscriptionUpdated {
        tier,
        cancel_at_period_end,
        ..
    } = &mut change
    {
        *tier = Some(slug("gold"));
        *cancel_at_period_end = true;
    }
    let upgraded = set(Some(&stripe(Active, SUB)), &at(20, change));
    assert_eq!(upgraded.tier, slug("gold"));
    assert!(upgraded.cancel_at_period_end);
    assert_eq!(upgraded.current_period_end, Some(t(60 * DAY)));
    assert_eq!(upgraded.renews_at(), Some(t(60 * DAY)));

    let refreshed = set(
        Some(&stripe(Trialing, SUB)),
        &at(20, checkout(SUB, Some("gold"))),
    );
    assert_eq!(
        (refreshed.tier.as_str(), refreshed.current_period_end),
        ("gold", Some(t(30 * DAY)))
    );

    let renewed = set(Some(&stripe(Active, SUB)), &at(20, paid_by(CUS)));
    assert_eq!(
        renewed,
        Subscription {
            last_event_at: Some(t(20)),
            ..stripe(Active, SUB)
        },
        "only the time moves"
    );

    let ended = set(
        Some(&Subscription {
            cancel_at_period_end: true,
            ..stripe(Active, SUB)
        }),
        &at(20, deleted(SUB)),
    );
    assert_eq!(
        (ended.cancel_at_period_end, ended.renews_at()),
        (false, None)
    );
}

#[test]
fn a_new_subscription_replaces_a_comp_whole() {
    let sub = set(Some(&comped(Some(2_000))), &at(20, checkout(SUB, None)));
    let want = Subscription {
        tier: slug("plus"),
        status: Active,
        stripe_subscription_id: Some(SUB.into()),
        stripe_customer_id: Some(CUS.into()),
        current_period_end: None,
        past_due_since: None,
        comped_until: None,
        cancel_at_period_end: false,
        last_event_at: Some(t(20)),
    };
    assert_eq!(sub, want);
}

#[test]
fn entitlement_by_status() {
    let grace = Duration::days(3);
    let cases = [
        (Active, true),
        (Trialing, true),
        (PastDue, true),
        (Canceled, false),
        (Comped, true),
    ];
    for (status, want) in cases {
        let sub = Subscription {
            status,
            ..stripe(status, SUB)
        };
        assert_eq!(entitles(&sub, t(20), grace), want, "{status}");
    }
}

#[test]
fn grace_period_boundaries() {
    let grace = Duration::days(3);
    let sub = Subscription {
        past_due_since: Some(t(0)),
        ..stripe(PastDue, SUB)
    };
    assert!(entitles(&sub, t(0), grace));
    assert!(entitles(&sub, t(3 * DAY - 1), grace));
    assert!(!entitles(&sub, t(3 * DAY), grace));
    assert!(!entitles(&sub, t(3 * DAY), Duration::zero()));
    let unbounded = Subscription {
        past_due_since: None,
        ..sub
    };
    assert!(
        !entitles(&unbounded, t(0), grace),
        "a grace with no start is not granted"
    );
}

#[test]
fn comps_with_and_without_an_end() {
    let grace = Duration::days(3);
    let forever = comped(None);
    assert!(entitles(&forever, t(100 * 365 * DAY), grace));
    assert_eq!(forever.renews_at(), None);
    let until = comped(Some(100));
    assert!(entitles(&until, t(99), grace));
    assert!(!entitles(&until, t(100), grace), "a comp ends at its end");
    assert_eq!(until.renews_at(), Some(t(100)));
    assert_eq!(
        (
            until.status,
            until.stripe_subscription_id.as_deref(),
            until.last_event_at
        ),
        (Comped, None, None)
    );
}

#[test]
fn statuses_round_trip() {
    for status in SubscriptionStatus::ALL {
        assert_eq!(SubscriptionStatus::parse(status.as_str()), Ok(status));
    }
    assert_eq!(PastDue.to_string(), "past_due");
    assert!(SubscriptionStatus::parse("Active").is_err());
    assert!(
        SubscriptionStatus::parse("unpaid").is_err(),
        "Stripe's statuses are not ours"
    );
}

mod sequences;
