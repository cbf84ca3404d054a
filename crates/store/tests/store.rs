//! The store suite: every test runs on a temp SQLite file and, when available, on PostgreSQL.

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::{
    Author, Body, BodyPart, LeadImage, Post, PostKind, Slug, Status, Tag, TagKind, Visibility,
};
use store::{Backend, PostFilter, Store, StoreError, testing};

/// Runs `check` once per available backend.
async fn each_backend<F, Fut>(check: F)
where
    F: Fn(Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    check(testing::sqlite(dir.path()).await.unwrap()).await;
    if let Some(admin) = testing::postgres_admin_url() {
        let (store, _) = testing::postgres(&admin).await.unwrap();
        check(store).await;
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap() + Duration::microseconds(123_456)
}

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn tag(slug: &str, kind: TagKind) -> Tag {
    Tag {
        id: id(),
        slug: Slug::parse(slug).unwrap(),
        name: slug.to_uppercase(),
        description: format!("About {slug}"),
        kind,
    }
}

fn author(slug: &str) -> Author {
    Author {
        id: id(),
        slug: Slug::parse(slug).unwrap(),
        name: slug.to_owned(),
        bio: "Bio".into(),
        credentials: "Former analyst".into(),
        avatar: None,
        website: Some("https://example.com".into()),
    }
}

/// A test-data builder for posts.
struct PostBuilder(Post);

impl PostBuilder {
    fn new(slug: &str) -> PostBuilder {
        let part = |s: &str| BodyPart {
            html: format!("<p>{s}</p>"),
            text: s.to_owned(),
        };
        PostBuilder(Post {
            id: id(),
            kind: PostKind::Post,
            slug: Slug::parse(slug).unwrap(),
            title: format!("Title of {slug}"),
            dek: format!("Dek of {slug}"),
            tags: vec![],
            authors: vec![],
            body: Body::new("md".into(), part("free"), None),
            image: None,
            status: Status::Published,
            published_at: Some(now() - Duration::hours(1)),
            created_at: now(),
            updated_at: now(),
            visibility: Visibility::Public,
            featured: false,
            meta_title: None,
            meta_description: None,
            canonical_url: None,
        })
    }
    fn tags(mut self, tags: &[&Tag]) -> Self {
        self.0.tags = tags.iter().map(|t| (*t).clone()).collect();
        self
    }
    fn authors(mut self, authors: &[&Author]) -> Self {
        self.0.authors = authors.iter().map(|a| (*a).clone()).collect();
        self
    }
    fn published_hours_ago(mut self, h: i64) -> Self {
        self.0.published_at = Some(now() - Duration::hours(h));
        self
    }
    fn status(mut self, s: Status) -> Self {
        self.0.status = s;
        self
    }
    fn featured(mut self) -> Self {
        self.0.featured = true;
        self
    }
    fn page(mut self) -> Self {
        self.0.kind = PostKind::Page;
        self
    }
    fn build(self) -> Post {
        self.0
    }
}

#[test]
fn migration_versions_are_identical_on_both_backends() {
    let sqlite = Store::migration_versions(Backend::Sqlite);
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, Store::migration_versions(Backend::Postgres));
}

#[tokio::test]
async fn migrated_schemas_are_identical() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = testing::sqlite(dir.path())
        .await
        .unwrap()
        .schema()
        .await
        .unwrap();
    assert!(
        sqlite
            .iter()
            .any(|(t, c, ty, _)| t == "posts" && c == "published_at" && ty == "bigint")
    );
    if let Some(admin) = testing::postgres_admin_url() {
        let (pg, _) = testing::postgres(&admin).await.unwrap();
        assert_eq!(sqlite, pg.schema().await.unwrap());
    }
}

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
            .insert_posts(std::slice::from_ref(&post))
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
        store.insert_posts(&posts).await.unwrap();
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
        let text = PostFilter {
            text: Some("TITLE OF MI".into()),
            ..PostFilter::posts()
        };
        assert_eq!(
            slugs(&store.list_posts(&text, 10, 0, now()).await.unwrap()),
            ["mid"]
        );
        let hostile = PostFilter {
            text: Some("%' OR 1=1 --".into()),
            ..PostFilter::posts()
        };
        assert_eq!(store.count_live(&hostile, now()).await.unwrap(), 0);
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
            .insert_posts(&[PostBuilder::new("taken").build()])
            .await
            .unwrap();
        let fresh_tag = tag("fresh", TagKind::Topic);
        let batch = [
            PostBuilder::new("ok").tags(&[&fresh_tag]).build(),
            PostBuilder::new("taken").build(),
        ];
        let err = store.insert_posts(&batch).await.unwrap_err();
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
            .insert_posts(&[PostBuilder::new("one").tags(&[&china]).build()])
            .await
            .unwrap();
        let found = store
            .find_tag("no-such-slug", "cHiNa")
            .await
            .unwrap()
            .expect("found by name");
        assert_eq!(found.id, china.id);
        store
            .insert_posts(&[PostBuilder::new("two").tags(&[&found]).build()])
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
            .insert_posts(&[PostBuilder::new("three").authors(&[&amy]).build()])
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
async fn related_posts_share_the_most_tags_and_are_never_the_post_itself() {
    each_backend(|store| async move {
        let (a, b, c) = (
            tag("a", TagKind::Topic),
            tag("b", TagKind::Topic),
            tag("c", TagKind::Topic),
        );
        let posts = vec![
            PostBuilder::new("subject").tags(&[&a, &b, &c]).build(),
            PostBuilder::new("two-shared")
                .tags(&[&a, &b])
                .published_hours_ago(20)
                .build(),
            PostBuilder::new("one-shared-new")
                .tags(&[&c])
                .published_hours_ago(2)
                .build(),
            PostBuilder::new("one-shared-old")
                .tags(&[&a])
                .published_hours_ago(40)
                .build(),
            PostBuilder::new("draft-shared")
                .tags(&[&a, &b, &c])
                .status(Status::Draft)
                .build(),
            PostBuilder::new("unrelated").build(),
        ];
        store.insert_posts(&posts).await.unwrap();
        let related = store.related_posts(&posts[0], 4, now()).await.unwrap();
        let slugs: Vec<_> = related.iter().map(|p| p.slug.to_string()).collect();
        assert_eq!(slugs, ["two-shared", "one-shared-new", "one-shared-old"]);
        assert_eq!(
            related[0].tags.len(),
            2,
            "related posts come with their tags"
        );
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

#[tokio::test]
async fn members_sessions_and_tokens() {
    each_backend(|store| async move {
        let email = domain::Email::parse("ada@example.com").unwrap();
        let m = store
            .create_member("m1", &email, "Ada", now())
            .await
            .unwrap();
        assert_eq!(
            store
                .create_member("m2", &email, "Other", now())
                .await
                .unwrap()
                .id,
            "m1",
            "one member per email"
        );
        assert!(!m.has_password);
        store.set_password_hash("m1", "$argon2id$x").await.unwrap();
        let (found, hash) = store.password_hash(&email).await.unwrap().unwrap();
        assert!(found.has_password && hash == "$argon2id$x");
        store
            .create_member(
                "m3",
                &domain::Email::parse("bob@example.com").unwrap(),
                "",
                now(),
            )
            .await
            .unwrap();
        let taken = store.set_member_email("m3", &email).await.unwrap_err();
        assert!(matches!(taken, StoreError::Conflict(_)));

        store
            .create_session("h1", "m1", now(), now() + Duration::days(30))
            .await
            .unwrap();
        store
            .create_session("h2", "m1", now(), now() + Duration::days(30))
            .await
            .unwrap();
        assert_eq!(
            store
                .session_member("h1", now())
                .await
                .unwrap()
                .unwrap()
                .0
                .id,
            "m1"
        );
        assert!(
            store
                .session_member("h1", now() + Duration::days(31))
                .await
                .unwrap()
                .is_none(),
            "expired"
        );
        store.delete_sessions_of("m1").await.unwrap();
        assert!(store.session_member("h2", now()).await.unwrap().is_none());

        let token = store::LoginToken {
            token_hash: "t1".into(),
            code_hash: "c1".into(),
            email: "ada@example.com".into(),
            purpose: "signin".into(),
            member_id: None,
            name: String::new(),
            tier: String::new(),
            redirect: "/x/".into(),
            attempts: 0,
            created_at: now().timestamp_micros(),
            expires_at: (now() + Duration::minutes(15)).timestamp_micros(),
            used_at: None,
        };
        store.create_login_token(&token).await.unwrap();
        assert!(
            store
                .take_login_code("ada@example.com", "wrong", now())
                .await
                .unwrap()
                .is_none()
        );
        let taken = store
            .take_login_code("ada@example.com", "c1", now())
            .await
            .unwrap()
            .unwrap();
        assert_eq!((taken.redirect.as_str(), taken.attempts), ("/x/", 1));
        assert!(
            store.take_login_token("t1", now()).await.unwrap().is_none(),
            "single use"
        );
    })
    .await;
}

#[tokio::test]
async fn subscriptions_events_meter_and_gifts() {
    each_backend(|store| async move {
        let email = domain::Email::parse("ada@example.com").unwrap();
        store.create_member("m1", &email, "", now()).await.unwrap();
        let mut sub = domain::billing::comp(
            Slug::parse("plus").unwrap(),
            Some(now() + Duration::days(3)),
        );
        store.put_subscription("m1", &sub).await.unwrap();
        assert_eq!(store.subscription("m1").await.unwrap().unwrap(), sub);
        sub.stripe_subscription_id = Some("sub_1".into());
        assert!(
            store
                .apply_stripe_event("evt_1", "x", Some(("m1", &sub)), now())
                .await
                .unwrap()
        );
        assert!(
            !store
                .apply_stripe_event("evt_1", "x", None, now())
                .await
                .unwrap(),
            "idempotent"
        );
        assert_eq!(
            store
                .member_of_stripe_subscription("sub_1")
                .await
                .unwrap()
                .as_deref(),
            Some("m1")
        );

        let post = PostBuilder::new("gated").build();
        store
            .insert_posts(std::slice::from_ref(&post))
            .await
            .unwrap();
        assert_eq!(
            store
                .meter_state("m1", &post.id, now() - Duration::days(30))
                .await
                .unwrap(),
            (0, false)
        );
        store
            .record_meter_read("m1", &post.id, now())
            .await
            .unwrap();
        store
            .record_meter_read("m1", &post.id, now())
            .await
            .unwrap();
        assert_eq!(
            store
                .meter_state("m1", &post.id, now() - Duration::days(30))
                .await
                .unwrap(),
            (1, true)
        );
        assert_eq!(
            store
                .meter_state("m1", &post.id, now() + Duration::days(1))
                .await
                .unwrap(),
            (0, false),
            "outside the window"
        );

        let gift = store::Gift {
            id: "g1".into(),
            member_id: "m1".into(),
            post_id: post.id.clone(),
            created_at: now(),
            expires_at: now() + Duration::days(30),
            revoked: false,
        };
        store.create_gift(&gift).await.unwrap();
        assert_eq!(store.gift("g1").await.unwrap().unwrap(), gift);
        assert!(!store.revoke_gift("someone-else", "g1").await.unwrap());
        assert!(store.revoke_gift("m1", "g1").await.unwrap());
        assert!(store.gifts_of("m1").await.unwrap()[0].revoked);

        let tier = domain::Tier {
            id: "t1".into(),
            slug: Slug::parse("plus").unwrap(),
            name: "Plus".into(),
            description: "All".into(),
            benefits: vec!["Everything".into()],
            monthly_price: 800,
            yearly_price: 8000,
            currency: "usd".into(),
            trial_days: 7,
            active: true,
        };
        store.upsert_tier(&tier).await.unwrap();
        store
            .upsert_tier(&domain::Tier {
                monthly_price: 900,
                ..tier.clone()
            })
            .await
            .unwrap();
        assert_eq!(
            store
                .tier_by_slug("plus")
                .await
                .unwrap()
                .unwrap()
                .monthly_price,
            900
        );
        assert_eq!(store.tiers().await.unwrap().len(), 1);
        store.delete_member("m1").await.unwrap();
        assert!(
            store.subscription("m1").await.unwrap().is_none(),
            "deleting a member removes their subscription"
        );
        assert!(store.gifts_of("m1").await.unwrap().is_empty());
    })
    .await;
}
