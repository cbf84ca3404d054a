//! Webhooks, their delivery queue, and the clocks webhook watchers advance.

use crate::*;
use domain::WebhookEvent;
use store::Webhook;

/// A named hook with a secret, as most registrations are.
fn hook(event: WebhookEvent) -> Webhook {
    Webhook {
        name: Some("Zap".into()),
        secret: Some("s3cret".into()),
        ..crate::hook(event)
    }
}

#[tokio::test]
async fn deliveries_are_queued_per_hook_claimed_once_and_retried_or_dropped() {
    each_backend(|store| async move {
        let published = hook(WebhookEvent::PostPublished);
        let deleted = hook(WebhookEvent::PostDeleted);
        store.create_webhook(&published).await.unwrap();
        store.create_webhook(&deleted).await.unwrap();
        let n = store
            .enqueue_webhook_event(WebhookEvent::PostPublished, r#"{"post":{}}"#, now())
            .await
            .unwrap();
        assert_eq!(n, 1, "only the hook following the event gets a delivery");
        assert!(
            store
                .due_deliveries(now() - Duration::seconds(1), 10)
                .await
                .unwrap()
                .is_empty()
        );
        let due = store.due_deliveries(now(), 10).await.unwrap();
        assert_eq!(due.len(), 1);
        let d = &due[0];
        assert_eq!(
            (d.webhook_id.as_str(), d.event.as_str(), d.attempts),
            (published.id.as_str(), "post.published", 0)
        );
        // Two workers see the same due row; one claim wins.
        let lease = now() + Duration::seconds(30);
        assert!(store.claim_delivery(d, lease).await.unwrap());
        assert!(!store.claim_delivery(d, lease).await.unwrap());
        assert!(
            store.due_deliveries(now(), 10).await.unwrap().is_empty(),
            "claimed rows wait for the lease"
        );
        // A failure moves it on with one more attempt counted, and notes the outcome on the hook.
        let retry = now() + Duration::seconds(60);
        store
            .record_delivery_attempt(
                d,
                now(),
                Some("500"),
                Some("Internal Server Error"),
                Some(retry),
            )
            .await
            .unwrap();
        let again = store.due_deliveries(retry, 10).await.unwrap();
        assert_eq!(again[0].attempts, 1);
        let h = store.webhook(&published.id).await.unwrap().unwrap();
        assert_eq!(h.last_triggered_status.as_deref(), Some("500"));
        assert_eq!(h.last_triggered_at, Some(now()));
        // Success drops it.
        store
            .record_delivery_attempt(&again[0], retry, Some("200"), None, None)
            .await
            .unwrap();
        assert!(store.due_deliveries(retry, 10).await.unwrap().is_empty());
        // Deleting a hook empties its queue.
        store
            .enqueue_webhook_event(WebhookEvent::PostDeleted, "{}", now())
            .await
            .unwrap();
        assert!(store.delete_webhook(&deleted.id).await.unwrap());
        assert!(store.due_deliveries(retry, 10).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn webhook_clocks_start_once_and_advance_by_compare_and_set() {
    each_backend(|store| async move {
        let start = now();
        assert_eq!(
            store.webhook_clock("went_live", start).await.unwrap(),
            start
        );
        let later = start + Duration::minutes(5);
        assert_eq!(
            store.webhook_clock("went_live", later).await.unwrap(),
            start,
            "a clock starts once"
        );
        assert!(
            store
                .advance_webhook_clock("went_live", start, later)
                .await
                .unwrap()
        );
        assert!(
            !store
                .advance_webhook_clock("went_live", start, later)
                .await
                .unwrap(),
            "a second process reading the old position loses"
        );
        assert_eq!(
            store.webhook_clock("went_live", start).await.unwrap(),
            later
        );
    })
    .await;
}

#[tokio::test]
async fn only_posts_that_went_live_by_the_clock_count_as_scheduled() {
    each_backend(|store| async move {
        let real_now = chrono::Utc::now();
        let scheduled = Post {
            published_at: Some(real_now + Duration::minutes(10)),
            ..PostBuilder::new("scheduled").build()
        };
        let scheduled_page = Post {
            published_at: Some(real_now + Duration::minutes(11)),
            ..PostBuilder::new("scheduled-page").page().build()
        };
        let backdated = Post {
            published_at: Some(real_now - Duration::minutes(10)),
            ..PostBuilder::new("backdated").build()
        };
        let draft = Post {
            published_at: Some(real_now + Duration::minutes(10)),
            ..PostBuilder::new("draft").status(Status::Draft).build()
        };
        store
            .save_posts(
                &[scheduled.clone(), scheduled_page.clone(), backdated, draft],
                Utc::now(),
            )
            .await
            .unwrap();
        let live = store
            .scheduled_went_live(real_now - Duration::hours(1), real_now + Duration::hours(1))
            .await
            .unwrap();
        assert_eq!(live, vec![scheduled.id.clone(), scheduled_page.id.clone()]);
        let none = store
            .scheduled_went_live(
                real_now + Duration::minutes(11),
                real_now + Duration::hours(1),
            )
            .await
            .unwrap();
        assert!(none.is_empty(), "the span is half-open at its start");
    })
    .await;
}
