//! Applying Stripe events as a compare-and-set: concurrent events about one member never lose
//! an update, a replayed event id is decided once, and the event log shares the transaction.

use crate::*;
use domain::billing::{Subscription, comp};
use store::{StripeApplied, StripeEventRecord};

const EVENTS: usize = 16;

fn record(id: &str) -> StripeEventRecord<'_> {
    StripeEventRecord {
        id,
        event_type: "invoice.paid",
        member_id: Some("m1"),
        customer_id: None,
    }
}

/// One more day on the period end: applied once per event, so the final period end counts how
/// many decisions saw the write of the one before.
#[allow(
    clippy::unnecessary_wraps,
    reason = "the signature of `apply_stripe_event`'s decision"
)]
fn one_more_day(current: Option<&Subscription>) -> Option<Subscription> {
    let mut next = current
        .cloned()
        .unwrap_or_else(|| comp(Slug::parse("plus").unwrap(), None));
    next.current_period_end = Some(next.current_period_end.unwrap_or(now()) + Duration::days(1));
    Some(next)
}

/// `EVENTS` events (ids `{prefix}0`, …) applied at the same moment, on as many tasks.
async fn apply_all_at_once(store: &Store, ids: Vec<String>) -> Vec<StripeApplied> {
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(ids.len()));
    let tasks: Vec<_> = ids
        .into_iter()
        .map(|id| {
            let (store, barrier) = (store.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                store
                    .apply_stripe_event(record(&id), now(), one_more_day)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.unwrap());
    }
    out
}

async fn period_days(store: &Store) -> i64 {
    let sub = store.subscription("m1").await.unwrap().unwrap();
    (sub.current_period_end.unwrap() - now()).num_days()
}

async fn member(store: &Store) {
    let email = domain::Email::parse("ada@example.com").unwrap();
    store.create_member("m1", &email, "", now()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_events_never_lose_an_update() {
    each_backend(|store| async move {
        member(&store).await;
        // The first round starts with no row at all (nothing to lock on PostgreSQL), the second
        // with one.
        for round in 1..=2 {
            let ids = (0..EVENTS).map(|i| format!("evt_{round}_{i}")).collect();
            let applied = apply_all_at_once(&store, ids).await;
            assert!(applied.iter().all(|a| a.fresh && a.after.is_some()));
            assert_eq!(
                period_days(&store).await,
                i64::try_from(round * EVENTS).unwrap(),
                "{:?}: every event saw the one before it ({round})",
                store.backend()
            );
            let mut seen: Vec<_> = applied
                .iter()
                .map(|a| a.before.as_ref().and_then(|s| s.current_period_end))
                .collect();
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), EVENTS, "no two decisions saw the same row");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_replayed_event_is_decided_once() {
    each_backend(|store| async move {
        member(&store).await;
        let applied = apply_all_at_once(&store, vec!["evt_same".to_owned(); EVENTS]).await;
        assert_eq!(
            applied.iter().filter(|a| a.fresh).count(),
            1,
            "{:?}: one delivery applies it",
            store.backend()
        );
        assert!(
            applied
                .iter()
                .filter(|a| !a.fresh)
                .all(|a| a.after.is_none())
        );
        assert_eq!(period_days(&store).await, 1);
        let again = store
            .apply_stripe_event(record("evt_same"), now(), |_| {
                panic!("a replay is not decided")
            })
            .await
            .unwrap();
        assert!(!again.fresh);
    })
    .await;
}

#[tokio::test]
async fn the_customer_and_an_unchanged_decision_share_the_transaction() {
    each_backend(|store| async move {
        member(&store).await;
        let checkout = StripeEventRecord {
            customer_id: Some("cus_1"),
            ..record("evt_checkout")
        };
        let applied = store
            .apply_stripe_event(checkout, now(), |_| None)
            .await
            .unwrap();
        assert_eq!(
            (applied.fresh, applied.before, applied.after),
            (true, None, None)
        );
        let m = store.member_by_customer("cus_1").await.unwrap().unwrap();
        assert_eq!(m.id, "m1");
        assert!(store.subscription("m1").await.unwrap().is_none());
        let unknown = StripeEventRecord {
            member_id: None,
            ..record("evt_nobody")
        };
        let applied = store
            .apply_stripe_event(unknown, now(), |_| panic!("nobody to decide for"))
            .await
            .unwrap();
        assert!(applied.fresh);
    })
    .await;
}
