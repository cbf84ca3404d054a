//! Event sequences: delivery order, replays, upgrades, and invariants over random streams.

use super::*;

fn run(start: Option<Subscription>, events: &[Event]) -> Option<Subscription> {
    events.iter().fold(start, |current, event| {
        match apply(current.as_ref(), event, now()) {
            Transition::Unchanged => current,
            Transition::Set(sub) => Some(sub),
        }
    })
}

#[test]
fn a_late_update_does_not_resurrect_a_deleted_subscription() {
    let start = run(None, &[at(1, checkout(SUB, Some("plus")))]);
    let in_order = run(
        start.clone(),
        &[at(20, updated(SUB, "active")), at(30, deleted(SUB))],
    )
    .unwrap();
    let reversed = run(
        start,
        &[at(30, deleted(SUB)), at(20, updated(SUB, "active"))],
    )
    .unwrap();
    assert_eq!((in_order.status, reversed.status), (Canceled, Canceled));
}

#[test]
fn a_replayed_failure_does_not_override_a_newer_payment() {
    let start = Some(stripe(Active, SUB));
    let replayed = run(
        start.clone(),
        &[
            at(20, failed(Some(SUB))),
            at(30, paid(Some(SUB))),
            at(20, failed(Some(SUB))),
        ],
    )
    .unwrap();
    assert_eq!((replayed.status, replayed.past_due_since), (Active, None));
    let reversed = run(start, &[at(30, paid(Some(SUB))), at(20, failed(Some(SUB)))]).unwrap();
    assert_eq!(reversed.status, Active);
}

/// Every delivery order of these events ends in the same state as the order they were created in.
#[test]
fn delivery_order_does_not_matter() {
    let arrears = [
        at(20, failed(Some(SUB))),
        at(21, updated(SUB, "past_due")),
        at(30, paid(Some(SUB))),
    ];
    let ending = [
        at(20, updated(SUB, "active")),
        at(25, failed(Some(SUB))),
        at(30, deleted(SUB)),
    ];
    for (events, want) in [(arrears, Active), (ending, Canceled)] {
        for order in permutations(events.len()) {
            let delivered: Vec<Event> = order.iter().map(|&i| events[i].clone()).collect();
            let end = run(Some(stripe(Active, SUB)), &delivered).unwrap();
            assert_eq!(
                (end.status, end.last_event_at),
                (want, Some(t(30))),
                "order {order:?}"
            );
            assert_eq!(end.past_due_since, None, "order {order:?}");
        }
    }
}

/// `customer.subscription.deleted` and the `invoice.paid` of its final invoice, in either order of
/// creation and of delivery: the subscription ends, as it did in Stripe. (Applied concurrently,
/// the store's compare-and-set turns this into one of these delivery orders.)
#[test]
fn a_paid_invoice_never_outlives_the_deletion() {
    for (deleted_at, paid_at) in [(20, 30), (30, 20)] {
        let events = [at(deleted_at, deleted(SUB)), at(paid_at, paid(Some(SUB)))];
        for order in permutations(events.len()) {
            let delivered: Vec<Event> = order.iter().map(|&i| events[i].clone()).collect();
            let end = run(Some(stripe(Active, SUB)), &delivered).unwrap();
            assert_eq!(
                end.status, Canceled,
                "deleted at {deleted_at}, paid at {paid_at}, order {order:?}"
            );
        }
    }
}

fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![vec![]];
    }
    let mut out = Vec::new();
    for rest in permutations(n - 1) {
        for i in 0..=rest.len() {
            let mut order = rest.clone();
            order.insert(i, n - 1);
            out.push(order);
        }
    }
    out
}

/// Stripe often delivers `checkout.session.completed` before the older events of the same signup.
#[test]
fn a_signup_delivered_backwards_still_learns_its_period_end() {
    let events = [
        at(3, checkout(SUB, Some("plus"))),
        at(2, paid(Some(SUB))),
        at(1, updated(SUB, "active")),
    ];
    let sub = run(None, &events).unwrap();
    assert_eq!(
        (sub.status, sub.current_period_end, sub.last_event_at),
        (Active, Some(t(90 * DAY)), Some(t(3)))
    );
    let late = run(Some(sub.clone()), &[at(1, updated(SUB, "active"))]).unwrap();
    assert_eq!(
        late, sub,
        "a known period end is not overwritten by an older event"
    );
}

#[test]
fn buying_another_tier_survives_the_old_subscription_ending() {
    let start = Some(stripe(Active, OTHER));
    let events = [
        at(20, checkout(SUB, Some("gold"))),
        at(21, updated(OTHER, "canceled")),
        at(22, deleted(OTHER)),
        at(15, updated(OTHER, "active")),
    ];
    let sub = run(start, &events).unwrap();
    assert_eq!(
        (
            sub.status,
            sub.tier.as_str(),
            sub.stripe_subscription_id.as_deref()
        ),
        (Active, "gold", Some(SUB))
    );
}

/// Every stored state × every event kind × early, equal and late times keeps the invariants.
#[test]
fn invariants_hold_everywhere() {
    let currents = [
        None,
        Some(stripe(Active, SUB)),
        Some(stripe(Trialing, SUB)),
        Some(stripe(PastDue, SUB)),
        Some(stripe(Canceled, SUB)),
        Some(stripe(Active, OTHER)),
        Some(Subscription {
            current_period_end: None,
            ..stripe(Active, SUB)
        }),
        Some(comped(None)),
        Some(comped(Some(500))),
        Some(comped(Some(2_000))),
    ];
    let statuses = [
        "active",
        "trialing",
        "past_due",
        "unpaid",
        "canceled",
        "incomplete",
        "incomplete_expired",
        "paused",
        "?",
    ];
    let mut kinds = vec![
        checkout(SUB, Some("plus")),
        checkout(SUB, None),
        deleted(SUB),
        paid(Some(SUB)),
        paid(None),
        failed(Some(SUB)),
        failed(None),
        ignored(),
    ];
    kinds.extend(statuses.iter().map(|s| updated(SUB, s)));
    for current in &currents {
        for kind in &kinds {
            for secs in [5, 10, 20] {
                check_invariants(current.as_ref(), &at(secs, kind.clone()));
            }
        }
    }
}

fn check_invariants(current: Option<&Subscription>, event: &Event) {
    let Transition::Set(next) = apply(current, event, now()) else {
        return;
    };
    let context = format!("{current:?} + {event:?} → {next:?}");
    assert_eq!(
        next.status == PastDue,
        next.past_due_since.is_some(),
        "{context}"
    );
    assert!(
        next.status == Comped || next.comped_until.is_none(),
        "{context}"
    );
    let stale = current.is_some_and(|c| c.last_event_at.is_some_and(|last| event.created < last));
    if stale && next.status == Canceled {
        // A late end: only the status (and what goes with it) changes, time does not run back.
        let current = current.unwrap();
        assert_eq!(
            (&next.stripe_subscription_id, next.last_event_at),
            (&current.stripe_subscription_id, current.last_event_at),
            "{context}"
        );
        assert!(
            matches!(
                event.kind,
                BillingEvent::SubscriptionDeleted { .. } | BillingEvent::SubscriptionUpdated { .. }
            ),
            "{context}"
        );
    } else if stale {
        let current = current.unwrap();
        assert_eq!(
            Subscription {
                current_period_end: None,
                ..next.clone()
            },
            Subscription {
                current_period_end: None,
                ..current.clone()
            },
            "{context}"
        );
    } else {
        assert_eq!(next.last_event_at, Some(event.created), "{context}");
    }
    if let Some(c) = current.filter(|c| c.status == Canceled) {
        assert!(
            next.stripe_subscription_id != c.stripe_subscription_id || next.status == Canceled,
            "{context}"
        );
    }
    if current.is_some_and(|c| c.status == Comped)
        && matches!(
            event.kind,
            BillingEvent::InvoicePaid { .. } | BillingEvent::InvoicePaymentFailed { .. }
        )
    {
        panic!("invoices must leave comps alone: {context}");
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn any_event() -> impl Strategy<Value = Event> {
        let statuses = [
            "active",
            "trialing",
            "past_due",
            "unpaid",
            "canceled",
            "incomplete",
            "paused",
        ];
        (0..8usize, any::<bool>(), 0..7usize, 0..40i64).prop_map(
            move |(kind, other, status, secs)| {
                let id = if other { OTHER } else { SUB };
                let kind = match kind {
                    0 => checkout(id, Some("plus")),
                    1 | 2 => updated(id, statuses[status]),
                    3 => deleted(id),
                    4 => paid(Some(id)),
                    5 => failed(Some(id)),
                    6 => failed(None),
                    _ => ignored(),
                };
                at(secs, kind)
            },
        )
    }

    proptest! {
        /// Whatever Stripe delivers, in whatever order: time never runs backwards, a deleted
        /// subscription stays deleted, and the status-specific fields stay consistent.
        #[test]
        fn any_stream_keeps_the_invariants(
            start in prop::option::of(Just(comped(Some(500)))),
            events in prop::collection::vec(any_event(), 0..12),
        ) {
            let mut current = start;
            for event in &events {
                check_invariants(current.as_ref(), event);
                if let Transition::Set(next) = apply(current.as_ref(), event, now()) {
                    if let Some(c) = &current {
                        prop_assert!(next.last_event_at >= c.last_event_at);
                        let was_deleted = c.status == Canceled && c.stripe_subscription_id.is_some();
                        prop_assert!(!was_deleted || next.stripe_subscription_id != c.stripe_subscription_id || next.status == Canceled);
                    }
                    current = Some(next);
                }
            }
        }
    }
}
