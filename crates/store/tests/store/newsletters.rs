//! Posts' newsletter requests: set, replace, read, clear, sent (and then fixed), what the
//! sender sees, and the request going with its post.

use crate::*;
use domain::{EmailSegment, NewsletterRequest};

fn request(newsletter: &str, segment: EmailSegment) -> NewsletterRequest {
    NewsletterRequest {
        newsletter: Slug::parse(newsletter).unwrap(),
        segment,
    }
}

#[tokio::test]
async fn a_request_is_stored_replaced_and_cleared_until_it_is_sent() {
    each_backend(|store| async move {
        let post = PostBuilder::new("to-email").build();
        store
            .save_posts(std::slice::from_ref(&post), Utc::now())
            .await
            .unwrap();
        assert_eq!(store.post_newsletter(&post.id).await.unwrap(), None);

        let first = request("default-newsletter", EmailSegment::NotFree);
        assert!(
            store
                .set_post_newsletter(&post.id, &first, now())
                .await
                .unwrap()
        );
        let stored = store.post_newsletter(&post.id).await.unwrap().unwrap();
        assert_eq!(
            (stored.request, stored.requested_at, stored.sent_at),
            (first, now(), None)
        );

        let second = request("weekly", EmailSegment::All);
        let later = now() + Duration::minutes(1);
        assert!(
            store
                .set_post_newsletter(&post.id, &second, later)
                .await
                .unwrap()
        );
        let stored = store.post_newsletter(&post.id).await.unwrap().unwrap();
        assert_eq!((&stored.request, stored.requested_at), (&second, later));

        // Saving the post again (an edit) keeps its request.
        store
            .save_posts(std::slice::from_ref(&post), Utc::now())
            .await
            .unwrap();
        assert!(store.post_newsletter(&post.id).await.unwrap().is_some());

        assert!(store.clear_post_newsletter(&post.id).await.unwrap());
        assert!(!store.clear_post_newsletter(&post.id).await.unwrap());
        assert_eq!(store.post_newsletter(&post.id).await.unwrap(), None);

        // Once sent, a request is fixed: neither replaced nor cleared.
        store
            .set_post_newsletter(&post.id, &second, now())
            .await
            .unwrap();
        let sent_at = now() + Duration::hours(1);
        assert!(store.mark_newsletter_sent(&post.id, sent_at).await.unwrap());
        assert!(
            !store.mark_newsletter_sent(&post.id, sent_at).await.unwrap(),
            "sent once"
        );
        let third = request("other", EmailSegment::Free);
        assert!(
            !store
                .set_post_newsletter(&post.id, &third, now())
                .await
                .unwrap()
        );
        assert!(!store.clear_post_newsletter(&post.id).await.unwrap());
        let stored = store.post_newsletter(&post.id).await.unwrap().unwrap();
        assert_eq!((stored.request, stored.sent_at), (second, Some(sent_at)));
    })
    .await;
}

#[tokio::test]
async fn the_sender_sees_unsent_requests_of_live_posts_only() {
    each_backend(|store| async move {
        let live_old = PostBuilder::new("live-old").published_hours_ago(3).build();
        let live_new = PostBuilder::new("live-new").published_hours_ago(1).build();
        let scheduled = PostBuilder::new("scheduled")
            .published_hours_ago(-2)
            .build();
        let draft = PostBuilder::new("draft").status(Status::Draft).build();
        let sent = PostBuilder::new("sent").build();
        let posts = [live_old, live_new, scheduled, draft, sent];
        store.save_posts(&posts, Utc::now()).await.unwrap();
        for p in &posts {
            let r = request("default-newsletter", EmailSegment::All);
            store.set_post_newsletter(&p.id, &r, now()).await.unwrap();
        }
        store
            .mark_newsletter_sent(&posts[4].id, now())
            .await
            .unwrap();

        let due = store.unsent_live_newsletters(now(), 10).await.unwrap();
        let ids: Vec<&str> = due.iter().map(|n| n.post_id.as_str()).collect();
        assert_eq!(
            ids,
            [posts[0].id.as_str(), posts[1].id.as_str()],
            "earliest first"
        );
        assert_eq!(
            store.unsent_live_newsletters(now(), 1).await.unwrap().len(),
            1
        );
        // The scheduled post joins when its time comes.
        let later = store
            .unsent_live_newsletters(now() + Duration::hours(3), 10)
            .await
            .unwrap();
        assert_eq!(later.len(), 3);
        assert_eq!(later[2].post_id, posts[2].id);

        let all = store
            .post_newsletters(&posts.iter().map(|p| p.id.clone()).collect::<Vec<_>>())
            .await
            .unwrap();
        assert_eq!(all.len(), 5);
        assert!(store.post_newsletters(&[]).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_deleted_post_takes_its_request_with_it() {
    each_backend(|store| async move {
        let post = PostBuilder::new("doomed").build();
        store
            .save_posts(std::slice::from_ref(&post), Utc::now())
            .await
            .unwrap();
        let r = request("default-newsletter", EmailSegment::Free);
        store
            .set_post_newsletter(&post.id, &r, now())
            .await
            .unwrap();
        store.mark_newsletter_sent(&post.id, now()).await.unwrap();
        assert!(store.delete_post(&post.id, Utc::now()).await.unwrap());
        assert_eq!(store.post_newsletter(&post.id).await.unwrap(), None);
        // Nothing is left behind for a post saved again under the same id.
        store
            .save_posts(std::slice::from_ref(&post), Utc::now())
            .await
            .unwrap();
        assert_eq!(store.post_newsletter(&post.id).await.unwrap(), None);
        assert!(
            store
                .unsent_live_newsletters(now(), 10)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}
