//! Posts, tags, authors, listings, the change feed, related lists and settings.

use crate::*;
#[tokio::test]
async fn a_saved_post_reads_back_identically() {
    each_backend(|store| async move {
        let (section, topic) = (
            tag("deep-dive", TagKind::Section),
            tag("china", TagKind::Topic),
        );
        let (a, b) = (author("zed"), author("amy"));
        let mut post = PostBuilder::new("round-trip")
            .tags(&[&section, &topic])
            .authors(&[&a, &b])
            .featured()
            .build();
        post.body = Body::new(
            "free\n<!--members-only-->\ngated".into(),
            BodyPart {
                html: "<p>free</p>".into(),
                text: "free".into(),
            },
            Some(BodyPart {
                html: "<p>gated</p>".into(),
                text: "gated".into(),
            }),
        );
        post.visibility = Visibility::tiers(&["subscriber-plus", "founders"]).unwrap();
        post.image = Some(LeadImage {
            url: "/content/images/x.jpg".into(),
            width: Some(1200),
            height: Some(675),
            alt: "Alt".into(),
            caption: "Caption".into(),
            credit: "Credit".into(),
        });
        post.meta_description = Some("Meta".into());
        store
            .save_posts(std::slice::from_ref(&post), Utc::now())
            .await
            .unwrap();
        let back = store
            .post_by_slug("round-trip")
            .await
            .unwrap()
            .expect("saved post");
        assert_eq!(
            back, post,
            "tags and authors keep their order; timestamps keep microseconds"
        );
        assert!(store.post_by_slug("missing").await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn listings_show_live_posts_newest_first_with_filters() {
    each_backend(|store| async move {
        let (china, cyber) = (tag("china", TagKind::Topic), tag("cyber", TagKind::Topic));
        let amy = author("amy");
        let posts = vec![
            PostBuilder::new("old")
                .tags(&[&china])
                .authors(&[&amy])
                .published_hours_ago(30)
                .build(),
            PostBuilder::new("new")
                .tags(&[&china, &cyber])
                .published_hours_ago(2)
                .featured()
                .build(),
            PostBuilder::new("mid")
                .tags(&[&cyber])
                .authors(&[&amy])
                .published_hours_ago(10)
                .build(),
            PostBuilder::new("draft")
                .tags(&[&china])
                .status(Status::Draft)
                .build(),
            PostBuilder::new("future")
                .tags(&[&china])
                .published_hours_ago(-5)
                .build(),
            PostBuilder::new("about").page().build(),
        ];
        store.save_posts(&posts, Utc::now()).await.unwrap();
        let slugs = |posts: &[Post]| posts.iter().map(|p| p.slug.to_string()).collect::<Vec<_>>();

        let all = store
            .list_posts(&PostFilter::posts(), 10, 0, now())
            .await
            .unwrap();
        assert_eq!(slugs(&all), ["new", "mid", "old"]);
        assert_eq!(
            store.count_live(&PostFilter::posts(), now()).await.unwrap(),
            3
        );
        let second = store
            .list_posts(&PostFilter::posts(), 2, 2, now())
            .await
            .unwrap();
        assert_eq!(slugs(&second), ["old"]);

        let by_tag = PostFilter {
            tag: Some("china".into()),
            ..PostFilter::posts()
        };
        assert_eq!(
            slugs(&store.list_posts(&by_tag, 10, 0, now()).await.unwrap()),
            ["new", "old"]
        );
        let by_author = PostFilter {
            author: Some("amy".into()),
            ..PostFilter::posts()
        };
        assert_eq!(
            slugs(&store.list_posts(&by_author, 10, 0, now()).await.unwrap()),
            ["mid", "old"]
        );
        let featured = PostFilter {
            featured: Some(true),
            ..PostFilter::posts()
        };
        assert_eq!(
            slugs(&store.list_posts(&featured, 10, 0, now()).await.unwrap()),
            ["new"]
        );
        let exclude = PostFilter {
            exclude: vec![posts[1].id.clone()],
            ..PostFilter::posts()
        };
        assert_eq!(
            slugs(&store.list_posts(&exclude, 10, 0, now()).await.unwrap()),
            ["mid", "old"]
        );
        let pages = PostFilter {
            kind: PostKind::Page,
            ..PostFilter::posts()
        };
        assert_eq!(
            slugs(&store.list_posts(&pages, 10, 0, now()).await.unwrap()),
            ["about"]
        );

        let later = now() + Duration::hours(6);
        assert_eq!(
            store.count_live(&by_tag, later).await.unwrap(),
            3,
            "scheduled time passed"
        );
        assert_eq!(store.count_posts().await.unwrap(), 6);
    })
    .await;
}

#[tokio::test]
async fn a_failed_save_writes_nothing() {
    each_backend(|store| async move {
        store
            .save_posts(&[PostBuilder::new("taken").build()], Utc::now())
            .await
            .unwrap();
        let fresh_tag = tag("fresh", TagKind::Topic);
        let batch = [
            PostBuilder::new("ok").tags(&[&fresh_tag]).build(),
            PostBuilder::new("taken").build(),
        ];
        let err = store.save_posts(&batch, Utc::now()).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
        assert!(store.post_by_slug("ok").await.unwrap().is_none());
        assert!(store.tag_by_slug("fresh").await.unwrap().is_none());
        assert_eq!(store.count_posts().await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn existing_tags_and_authors_are_linked_not_duplicated() {
    each_backend(|store| async move {
        let china = tag("china", TagKind::Topic);
        store
            .save_posts(
                &[PostBuilder::new("one").tags(&[&china]).build()],
                Utc::now(),
            )
            .await
            .unwrap();
        let found = store
            .find_tag("no-such-slug", "cHiNa")
            .await
            .unwrap()
            .expect("found by name");
        assert_eq!(found.id, china.id);
        store
            .save_posts(
                &[PostBuilder::new("two").tags(&[&found]).build()],
                Utc::now(),
            )
            .await
            .unwrap();
        let by_tag = PostFilter {
            tag: Some("china".into()),
            ..PostFilter::posts()
        };
        assert_eq!(store.count_live(&by_tag, now()).await.unwrap(), 2);
        assert_eq!(store.tags_in_use(TagKind::Topic).await.unwrap().len(), 1);
        assert!(
            store
                .tags_in_use(TagKind::Section)
                .await
                .unwrap()
                .is_empty()
        );
        let amy = author("amy");
        store
            .save_posts(
                &[PostBuilder::new("three").authors(&[&amy]).build()],
                Utc::now(),
            )
            .await
            .unwrap();
        assert_eq!(
            store
                .author_by_slug("amy")
                .await
                .unwrap()
                .unwrap()
                .credentials,
            "Former analyst"
        );
        assert_eq!(
            store.find_author("x", "AMY").await.unwrap().unwrap().id,
            amy.id
        );
        assert_eq!(store.authors().await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn saving_again_replaces_the_post_and_its_links() {
    each_backend(|store| async move {
        let (a, b) = (tag("a", TagKind::Topic), tag("b", TagKind::Topic));
        let mut post = PostBuilder::new("story").tags(&[&a]).build();
        store
            .save_posts(std::slice::from_ref(&post), Utc::now())
            .await
            .unwrap();
        let created = store
            .post_by_slug("story")
            .await
            .unwrap()
            .unwrap()
            .created_at;
        post.title = "Rewritten".into();
        post.tags = vec![b.clone()];
        post.created_at = now() + Duration::days(1);
        store
            .save_posts(std::slice::from_ref(&post), Utc::now())
            .await
            .unwrap();
        let back = store.post_by_slug("story").await.unwrap().unwrap();
        assert_eq!(back.title, "Rewritten");
        assert_eq!(back.tags.len(), 1);
        assert_eq!(back.tags[0].slug.as_str(), "b");
        assert_eq!(back.created_at, created, "creation time survives a save");
        assert_eq!(store.count_posts().await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn the_change_feed_returns_every_write_once_in_order_and_tombstones_deletions() {
    each_backend(|store| async move {
        let posts: Vec<Post> = (0..5)
            .map(|i| PostBuilder::new(&format!("p{i}")).build())
            .collect();
        store.save_posts(&posts, Utc::now()).await.unwrap();
        // Pages of two walk the whole feed, each post once.
        let mut at = FeedPosition::default();
        let mut seen = vec![];
        loop {
            let page = store.changed_posts(&at, 2).await.unwrap();
            if page.is_empty() {
                break;
            }
            let (clock, last) = page.last().unwrap();
            at = FeedPosition {
                changed_at: *clock,
                id: last.id.clone(),
            };
            seen.extend(page.into_iter().map(|(_, p)| p.slug.to_string()));
        }
        seen.sort();
        assert_eq!(seen, ["p0", "p1", "p2", "p3", "p4"]);
        assert!(store.changed_posts(&at, 10).await.unwrap().is_empty());

        // A status change and a deletion are new entries.
        assert!(
            store
                .set_post_status(&posts[1].id, Status::Draft, None, now(), Utc::now())
                .await
                .unwrap()
        );
        let next = store.changed_posts(&at, 10).await.unwrap();
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].1.status, Status::Draft);
        assert!(store.delete_post(&posts[2].id, Utc::now()).await.unwrap());
        assert!(
            !store.delete_post(&posts[2].id, Utc::now()).await.unwrap(),
            "already gone"
        );
        let gone = store.deleted_posts(0, 10).await.unwrap();
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].0, posts[2].id);
        assert!(store.deleted_posts(gone[0].1, 10).await.unwrap().is_empty());
        assert!(store.post_by_slug("p2").await.unwrap().is_none());
        assert!(
            !store
                .set_post_status(&posts[2].id, Status::Published, None, now(), Utc::now())
                .await
                .unwrap()
        );
    })
    .await;
}

#[tokio::test]
async fn the_feed_head_went_live_and_the_content_clock_tell_caches_what_changed() {
    each_backend(|store| async move {
        assert_eq!(
            store.feed_head().await.unwrap(),
            (FeedPosition::default(), 0)
        );
        let ticks = store.content_ticks();
        let soon = PostBuilder::new("embargoed").build();
        let soon = Post {
            published_at: Some(now() + Duration::minutes(10)),
            ..soon
        };
        let page = PostBuilder::new("about")
            .page()
            .published_hours_ago(2)
            .build();
        let draft = Post {
            published_at: Some(now() + Duration::minutes(5)),
            ..PostBuilder::new("draft").status(Status::Draft).build()
        };
        store
            .save_posts(&[soon.clone(), page.clone(), draft], Utc::now())
            .await
            .unwrap();
        assert!(store.content_ticks() > ticks, "a save moves the clock");
        // The head is the newest change; a reader starting there sees nothing older.
        let (head, deleted) = store.feed_head().await.unwrap();
        assert_eq!(deleted, 0);
        assert!(store.changed_posts(&head, 10).await.unwrap().is_empty());
        // Behind a fresh head, late commits are still possible; behind an old one, no more.
        let late = head
            .late_window(chrono::Utc::now())
            .expect("a fresh head has a late window");
        assert_eq!(late.changed_at, head.changed_at - store::LATE_COMMIT_MICROS);
        assert_eq!(store.changed_posts(&late, 10).await.unwrap().len(), 3);
        assert!(
            head.late_window(chrono::Utc::now() + Duration::seconds(11))
                .is_none()
        );
        // Published posts whose time falls in the span, of any kind; never drafts.
        let live = store
            .went_live(now() - Duration::hours(3), now() + Duration::minutes(20))
            .await
            .unwrap();
        assert_eq!(live.len(), 2);
        assert!(live.contains(&soon.id) && live.contains(&page.id));
        let later = store
            .went_live(now(), now() + Duration::minutes(20))
            .await
            .unwrap();
        assert_eq!(later, vec![soon.id.clone()]);
        // Settings, tiers, status changes and deletions move the clock too; the head moves on.
        let ticks = store.content_ticks();
        store.set_setting("title", "Renamed").await.unwrap();
        store
            .set_post_status(&soon.id, Status::Draft, None, now(), Utc::now())
            .await
            .unwrap();
        store.delete_post(&page.id, Utc::now()).await.unwrap();
        assert_eq!(store.content_ticks(), ticks + 3);
        let (next, deleted) = store.feed_head().await.unwrap();
        assert_eq!(next.id, soon.id);
        assert!(next.changed_at >= head.changed_at && deleted > 0);
        // A waiter resolves once the clock has moved past what it saw.
        let seen = store.content_ticks();
        store.content_changed(seen - 1).await;
        let waiter = tokio::spawn({
            let store = store.clone();
            async move { store.content_changed(seen).await }
        });
        store.set_setting("title", "Again").await.unwrap();
        tokio::time::timeout(std::time::Duration::from_secs(5), waiter)
            .await
            .expect("woken by the write")
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn related_lists_are_stored_in_order_and_outlive_the_posts_they_name() {
    each_backend(|store| async move {
        let posts: Vec<Post> = (0..4)
            .map(|i| PostBuilder::new(&format!("r{i}")).build())
            .collect();
        store.save_posts(&posts, Utc::now()).await.unwrap();
        let (subject, others) = (&posts[0].id, [posts[3].id.clone(), posts[1].id.clone()]);
        assert_eq!(
            store.related_ids(subject).await.unwrap(),
            None,
            "never computed"
        );
        store.save_related(subject, &[], now()).await.unwrap();
        assert_eq!(
            store.related_ids(subject).await.unwrap(),
            Some(vec![]),
            "computed, empty"
        );
        store.save_related(subject, &others, now()).await.unwrap();
        assert_eq!(
            store.related_ids(subject).await.unwrap(),
            Some(others.to_vec())
        );
        assert_eq!(
            store.posts_listing_related(&posts[1].id).await.unwrap(),
            std::slice::from_ref(subject)
        );
        // Deleting a listed post keeps the row, so the indexer knows whose list to redo.
        store.delete_post(&posts[1].id, Utc::now()).await.unwrap();
        assert_eq!(
            store.posts_listing_related(&posts[1].id).await.unwrap(),
            std::slice::from_ref(subject)
        );
        // Deleting the subject removes its list; saving a list for a missing post is a no-op.
        store.delete_post(subject, Utc::now()).await.unwrap();
        assert!(
            store
                .posts_listing_related(&posts[3].id)
                .await
                .unwrap()
                .is_empty()
        );
        store.save_related(subject, &others, now()).await.unwrap();
        assert_eq!(store.related_ids(subject).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn settings_are_upserted() {
    each_backend(|store| async move {
        store.set_setting("title", "First").await.unwrap();
        store.set_setting("title", "Second").await.unwrap();
        store.set_setting("language", "en").await.unwrap();
        let s = store.settings().await.unwrap();
        assert_eq!(s.get("title").map(String::as_str), Some("Second"));
        assert_eq!(s.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let store = testing::sqlite(dir.path()).await.unwrap();
    store.set_setting("k", "v").await.unwrap();
    assert!(
        dir.path().join("masthead.db-wal").exists(),
        "WAL file exists while open"
    );
    store.close().await;
}
