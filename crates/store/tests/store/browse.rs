//! API listings by `Cond`: the same answers and totals on both backends, drafts and future
//! posts never listed, linked fields negated as "has no such tag".

use crate::*;
use store::query::{Attr, Cond, LikeOp, PostField as F, Sort, TagField, Test, Value};
use store::{Scope, Window};

fn is(field: F, test: Test) -> Cond<F> {
    Cond::Test {
        field,
        negated: false,
        test,
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

async fn slugs(store: &Store, cond: &Cond<F>, sort: &[Sort<F>]) -> (Vec<String>, u64) {
    let window = Window {
        limit: 2,
        offset: 0,
    };
    let posts = store
        .browse_posts(PostKind::Post, Scope::Live(now()), cond, sort, window)
        .await
        .unwrap();
    let total = store
        .count_posts_matching(PostKind::Post, Scope::Live(now()), cond)
        .await
        .unwrap();
    (posts.iter().map(|p| p.slug.to_string()).collect(), total)
}

#[tokio::test]
async fn browse_posts_by_condition_on_both_backends() {
    each_backend(|store| async move {
        let china = tag("china", TagKind::Section);
        let russia = tag("russia", TagKind::Topic);
        let dana = author("dana");
        let mut sure = PostBuilder::new("b-sure")
            .tags(&[&russia])
            .published_hours_ago(2)
            .build();
        sure.title = "We are 100%_ sure".into();
        store
            .save_posts(
                &[
                    PostBuilder::new("a-strait")
                        .tags(&[&china, &russia])
                        .authors(&[&dana])
                        .featured()
                        .published_hours_ago(1)
                        .build(),
                    sure,
                    PostBuilder::new("c-plain").published_hours_ago(3).build(),
                    PostBuilder::new("d-draft")
                        .tags(&[&china])
                        .status(Status::Draft)
                        .build(),
                    PostBuilder::new("e-future")
                        .tags(&[&china])
                        .published_hours_ago(-5)
                        .build(),
                    PostBuilder::new("f-page").tags(&[&china]).page().build(),
                ],
                Utc::now(),
            )
            .await
            .unwrap();
        let everything = Cond::All(vec![]);
        assert_eq!(
            slugs(&store, &everything, &[]).await,
            (vec!["a-strait".into(), "b-sure".into()], 3)
        );
        let tagged = is(F::Tag(Attr::Slug), Test::Eq(text("china")));
        assert_eq!(
            slugs(&store, &tagged, &[]).await,
            (vec!["a-strait".into()], 1)
        );
        let untagged = Cond::Test {
            field: F::Tag(Attr::Slug),
            negated: true,
            test: Test::Eq(text("china")),
        };
        assert_eq!(slugs(&store, &untagged, &[]).await.1, 2);
        let primary = is(F::PrimaryTag(Attr::Slug), Test::Eq(text("russia")));
        assert_eq!(
            slugs(&store, &primary, &[]).await.0,
            vec!["b-sure".to_owned()]
        );
        let featured = is(F::Featured, Test::Eq(Value::Bool(true)));
        assert_eq!(slugs(&store, &featured, &[]).await.1, 1);
        let either = Cond::Any(vec![
            featured.clone(),
            is(F::Slug, Test::Eq(text("c-plain"))),
        ]);
        assert_eq!(slugs(&store, &either, &[]).await.1, 2);
        let by = is(
            F::Author(Attr::Name),
            Test::In(vec![text("dana"), text("nobody")]),
        );
        assert_eq!(slugs(&store, &by, &[]).await.1, 1);
        // `%` and `_` are literal in a contains-match; the match ignores case.
        let like = is(F::Title, Test::Like(LikeOp::Contains, "100%_".into()));
        assert_eq!(slugs(&store, &like, &[]).await.1, 1);
        let like_title = is(
            F::Title,
            Test::Like(LikeOp::StartsWith, "TITLE OF C".into()),
        );
        assert_eq!(slugs(&store, &like_title, &[]).await.1, 1);
        let recent = is(
            F::PublishedAt,
            Test::Cmp(
                store::query::CmpOp::Gt,
                Value::Time(now() - Duration::minutes(150)),
            ),
        );
        assert_eq!(slugs(&store, &recent, &[]).await.1, 2);
        let no_image = is(F::FeatureImage, Test::Eq(Value::Null));
        assert_eq!(slugs(&store, &no_image, &[]).await.1, 3);
        let oldest = [Sort {
            field: F::PublishedAt,
            descending: false,
        }];
        assert_eq!(
            slugs(&store, &everything, &oldest).await.0,
            vec!["c-plain".to_owned(), "b-sure".into()]
        );

        let (tags, total) = store
            .browse_tags(
                &Cond::Test {
                    field: TagField::Slug,
                    negated: false,
                    test: Test::Eq(text("china")),
                },
                &[],
                Window {
                    limit: 10,
                    offset: 0,
                },
            )
            .await
            .unwrap();
        assert_eq!((tags.len(), total), (1, 1));
        let counts = store
            .live_posts_per_tag(&[china.id.clone(), russia.id.clone()], now())
            .await
            .unwrap();
        assert_eq!(
            counts.get(&china.id),
            Some(&1),
            "drafts, future posts and pages do not count"
        );
        assert_eq!(counts.get(&russia.id), Some(&2));
    })
    .await;
}

#[tokio::test]
async fn api_keys_round_trip_and_revoke() {
    each_backend(|store| async move {
        let key = store::ApiKey {
            id: "0123456789abcdef01234567".into(),
            kind: store::KeyKind::Content,
            name: "front end".into(),
            hint: "abcdef".into(),
            created_at: now(),
            revoked_at: None,
        };
        store
            .create_api_key(&store::NewKey {
                key: &key,
                secret_hash: "hash-1",
                admin_secret: None,
            })
            .await
            .unwrap();
        assert_eq!(
            store
                .live_api_key(store::KeyKind::Content, "hash-1")
                .await
                .unwrap(),
            Some(key.clone())
        );
        assert_eq!(
            store
                .live_api_key(store::KeyKind::Admin, "hash-1")
                .await
                .unwrap(),
            None
        );
        assert!(store.revoke_api_key(&key.id, now()).await.unwrap());
        assert!(!store.revoke_api_key(&key.id, now()).await.unwrap());
        assert_eq!(
            store
                .live_api_key(store::KeyKind::Content, "hash-1")
                .await
                .unwrap(),
            None
        );
        assert_eq!(store.api_keys().await.unwrap()[0].revoked_at, Some(now()));
    })
    .await;
}

/// Regression (issue 13): `/page/18446744073709551615/` wrapped to a negative OFFSET, an error
/// on PostgreSQL. Offsets past any row give an empty page on both backends.
#[tokio::test]
async fn huge_offsets_give_empty_pages() {
    each_backend(|store| async move {
        store
            .save_posts(&[PostBuilder::new("only").build()], Utc::now())
            .await
            .unwrap();
        for offset in [1, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX] {
            let posts = store
                .list_posts(&PostFilter::posts(), 12, offset, now())
                .await
                .unwrap_or_else(|e| panic!("offset {offset}: {e}"));
            assert!(posts.is_empty(), "offset {offset}");
            let window = Window { limit: 15, offset };
            let browsed = store
                .browse_posts(
                    PostKind::Post,
                    Scope::Live(now()),
                    &Cond::All(vec![]),
                    &[],
                    window,
                )
                .await
                .unwrap_or_else(|e| panic!("offset {offset}: {e}"));
            assert!(browsed.is_empty(), "offset {offset}");
        }
    })
    .await;
}
