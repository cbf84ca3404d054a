//! The transactional outbox of post writes: a save, a status change or a deletion queues its
//! webhook events in its own transaction, so they exist if and only if the write committed.

use crate::*;
use domain::WebhookEvent;
use store::StatusChange;

async fn queued(store: &Store) -> Vec<(String, String)> {
    let due = store
        .due_deliveries(now() + Duration::days(1), 100)
        .await
        .unwrap();
    due.into_iter().map(|d| (d.webhook_id, d.event)).collect()
}

#[tokio::test]
async fn a_post_save_queues_one_delivery_per_subscribed_hook_and_a_failed_one_none() {
    each_backend(|store| async move {
        let published = [
            hook(WebhookEvent::PostPublished),
            hook(WebhookEvent::PostPublished),
        ];
        let deleted = hook(WebhookEvent::PostDeleted);
        for h in published.iter().chain([&deleted]) {
            store.create_webhook(h).await.unwrap();
        }
        let events = [
            outgoing(WebhookEvent::PostPublished, "{}"),
            outgoing(WebhookEvent::PostPublishedEdited, "{}"),
        ];
        let post = PostBuilder::new("taken").build();
        let n = store
            .save_posts_with_events(std::slice::from_ref(&post), &events, now())
            .await
            .unwrap();
        assert_eq!(
            n, 2,
            "two hooks follow post.published, none post.published.edited"
        );
        let mut hooks: Vec<String> = queued(&store).await.into_iter().map(|(h, _)| h).collect();
        hooks.sort();
        let mut expected: Vec<String> = published.iter().map(|h| h.id.clone()).collect();
        expected.sort();
        assert_eq!(hooks, expected);

        // Another post with the same slug: the save fails, and queues nothing.
        let clash = PostBuilder::new("taken").build();
        let err = store
            .save_posts_with_events(&[clash], &events, now())
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
        assert_eq!(
            queued(&store).await.len(),
            2,
            "the failed save queued nothing"
        );
    })
    .await;
}

#[tokio::test]
async fn status_changes_and_deletions_queue_only_when_the_post_exists() {
    each_backend(|store| async move {
        let deleted = hook(WebhookEvent::PostDeleted);
        let unpublished = hook(WebhookEvent::PostUnpublished);
        store.create_webhook(&deleted).await.unwrap();
        store.create_webhook(&unpublished).await.unwrap();
        let post = PostBuilder::new("story").build();
        store
            .save_posts(std::slice::from_ref(&post), now())
            .await
            .unwrap();
        let draft = StatusChange {
            status: Status::Draft,
            published_at: post.published_at,
            updated_at: now(),
        };
        let events = [outgoing(WebhookEvent::PostUnpublished, "{}")];
        let n = store
            .set_post_status_with_events(&post.id, &draft, &events, now())
            .await
            .unwrap();
        assert_eq!(n, Some(1));
        let none = store
            .set_post_status_with_events("no-such-post", &draft, &events, now())
            .await
            .unwrap();
        assert_eq!(none, None, "no post, nothing queued");
        assert_eq!(
            queued(&store).await,
            vec![(unpublished.id.clone(), "post.unpublished".to_owned())]
        );

        let events = [outgoing(WebhookEvent::PostDeleted, "{}")];
        let n = store
            .delete_post_with_events(&post.id, &events, now())
            .await
            .unwrap();
        assert_eq!(n, Some(1));
        let again = store
            .delete_post_with_events(&post.id, &events, now())
            .await
            .unwrap();
        assert_eq!(
            again, None,
            "a second deletion finds nothing and queues nothing"
        );
        assert_eq!(queued(&store).await.len(), 2);
    })
    .await;
}
