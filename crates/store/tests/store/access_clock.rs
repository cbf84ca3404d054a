//! The access clock: every committed change to a subscription or end of a session moves it, on
//! both databases, whichever write path made the change; nothing else does.

use crate::{PostBuilder, each_backend, now};
use chrono::Duration;
use domain::Slug;
use store::{Store, StripeEventRecord};

/// Runs `write` and tells whether it moved the access clock.
async fn moves<F: std::future::Future<Output = ()>>(store: &Store, write: F) -> bool {
    let before = store.access_clock().await.unwrap();
    write.await;
    store.access_clock().await.unwrap() != before
}

#[tokio::test]
async fn subscription_writes_and_ended_sessions_move_the_access_clock() {
    each_backend(|store| async move {
        let email = domain::Email::parse("ada@example.com").unwrap();
        assert!(
            !moves(&store, async {
                store.create_member("m1", &email, "", now()).await.unwrap();
            })
            .await,
            "a new member holds no subscription"
        );
        let sub = domain::billing::comp(Slug::parse("plus").unwrap(), None);
        assert!(
            moves(&store, async {
                store
                    .put_subscription("m1", &sub, chrono::Utc::now())
                    .await
                    .unwrap();
            })
            .await,
            "a comp"
        );
        assert!(
            moves(&store, async {
                store
                    .put_subscription("m1", &sub, chrono::Utc::now())
                    .await
                    .unwrap();
            })
            .await,
            "a rewrite"
        );
        assert!(
            moves(&store, async {
                let record = StripeEventRecord {
                    id: "evt_1",
                    event_type: "x",
                    member_id: Some("m1"),
                    customer_id: None,
                };
                let applied = store
                    .apply_stripe_event(record, now(), |_| Some(sub.clone()))
                    .await
                    .unwrap();
                assert!(applied.fresh);
            })
            .await,
            "a Stripe event that changes the subscription"
        );
        assert!(
            !moves(&store, async {
                let record = StripeEventRecord {
                    id: "evt_2",
                    event_type: "x",
                    member_id: None,
                    customer_id: None,
                };
                store
                    .apply_stripe_event(record, now(), |_| None)
                    .await
                    .unwrap();
            })
            .await,
            "a Stripe event that changes nothing"
        );
        assert!(
            !moves(&store, async {
                let post = PostBuilder::new("unrelated").build();
                store.save_posts(&[post], chrono::Utc::now()).await.unwrap();
                store
                    .create_session("s1", "m1", now(), now() + Duration::days(30))
                    .await
                    .unwrap();
                store
                    .create_session("s2", "m1", now(), now() + Duration::days(30))
                    .await
                    .unwrap();
            })
            .await,
            "posts and new sessions"
        );
        assert!(
            moves(&store, async {
                store.delete_session("s1").await.unwrap();
            })
            .await,
            "a sign-out"
        );
        assert!(
            moves(&store, async {
                store.delete_sessions_of("m1").await.unwrap();
            })
            .await,
            "a sign-out everywhere"
        );
        assert!(
            moves(&store, async {
                store.delete_member("m1").await.unwrap();
            })
            .await,
            "a deleted member takes their subscription"
        );
        assert!(store.subscription("m1").await.unwrap().is_none());
    })
    .await;
}
