//! The newsroom's posts list: every status, each filter, the sorts, pages and totals.

use crate::*;
use store::{NewsroomFilter, NewsroomSort, Stage, Total, Window};

fn exactly(count: u64) -> Total {
    Total {
        count,
        capped: false,
    }
}

fn slugs(posts: &[Post]) -> Vec<&str> {
    posts.iter().map(|p| p.slug.as_str()).collect()
}

#[tokio::test]
async fn the_newsroom_lists_posts_in_any_status_by_filter_sort_and_page() {
    each_backend(|store| async move {
        let (world, china) = (tag("world", TagKind::Section), tag("china", TagKind::Topic));
        let (nadia, omar) = (author("nadia"), author("omar"));
        let mut posts = vec![
            PostBuilder::new("alpha-draft")
                .status(Status::Draft)
                .tags(&[&world, &china])
                .authors(&[&nadia])
                .build(),
            PostBuilder::new("bravo-live")
                .published_hours_ago(5)
                .tags(&[&china])
                .authors(&[&omar])
                .build(),
            PostBuilder::new("charlie-scheduled")
                .authors(&[&nadia, &omar])
                .build(),
            PostBuilder::new("delta-page").page().build(),
        ];
        posts[2].published_at = Some(now() + Duration::hours(3));
        posts[1].visibility = Visibility::Paid;
        for (i, p) in (0..).zip(posts.iter_mut()) {
            p.updated_at = now() + Duration::minutes(i);
        }
        store.save_posts(&posts, now()).await.unwrap();
        let window = Window {
            limit: 10,
            offset: 0,
        };
        let list = |filter: NewsroomFilter, sort| {
            let store = store.clone();
            async move {
                store
                    .newsroom_posts(PostKind::Post, &filter, sort, window, now())
                    .await
                    .unwrap()
            }
        };
        let (all, total) = list(NewsroomFilter::default(), NewsroomSort::Updated).await;
        assert_eq!(
            (slugs(&all), total),
            (
                vec!["charlie-scheduled", "bravo-live", "alpha-draft"],
                exactly(3)
            )
        );
        for (stage, want) in [
            (Stage::Draft, "alpha-draft"),
            (Stage::Scheduled, "charlie-scheduled"),
            (Stage::Published, "bravo-live"),
        ] {
            let filter = NewsroomFilter {
                stage: Some(stage),
                ..NewsroomFilter::default()
            };
            let (found, total) = list(filter, NewsroomSort::Updated).await;
            assert_eq!(
                (slugs(&found), total),
                (vec![want], exactly(1)),
                "{stage:?}"
            );
        }
        let cases = [
            (
                NewsroomFilter {
                    section: Some("world".into()),
                    ..NewsroomFilter::default()
                },
                vec!["alpha-draft"],
            ),
            (
                NewsroomFilter {
                    tag: Some("china".into()),
                    ..NewsroomFilter::default()
                },
                vec!["bravo-live", "alpha-draft"],
            ),
            (
                NewsroomFilter {
                    author: Some("omar".into()),
                    ..NewsroomFilter::default()
                },
                vec!["charlie-scheduled", "bravo-live"],
            ),
            (
                NewsroomFilter {
                    visibility: Some("paid".into()),
                    ..NewsroomFilter::default()
                },
                vec!["bravo-live"],
            ),
            (
                NewsroomFilter {
                    search: Some("OF CHARLIE".into()),
                    ..NewsroomFilter::default()
                },
                vec!["charlie-scheduled"],
            ),
            (
                NewsroomFilter {
                    from: Some(now() - Duration::hours(2)),
                    until: Some(now() + Duration::hours(1)),
                    ..NewsroomFilter::default()
                },
                vec!["alpha-draft"],
            ),
        ];
        for (filter, want) in cases {
            let (found, _) = list(filter.clone(), NewsroomSort::Updated).await;
            assert_eq!(slugs(&found), want, "{filter:?}");
        }
        let (by_title, _) = list(NewsroomFilter::default(), NewsroomSort::Title).await;
        assert_eq!(
            slugs(&by_title),
            ["alpha-draft", "bravo-live", "charlie-scheduled"]
        );
        let (by_date, _) = list(NewsroomFilter::default(), NewsroomSort::Published).await;
        assert_eq!(
            slugs(&by_date),
            ["charlie-scheduled", "alpha-draft", "bravo-live"]
        );
        let second = Window {
            limit: 2,
            offset: 2,
        };
        let (page, total) = store
            .newsroom_posts(
                PostKind::Post,
                &NewsroomFilter::default(),
                NewsroomSort::Updated,
                second,
                now(),
            )
            .await
            .unwrap();
        assert_eq!((slugs(&page), total), (vec!["alpha-draft"], exactly(3)));
        let (pages, _) = store
            .newsroom_posts(
                PostKind::Page,
                &NewsroomFilter::default(),
                NewsroomSort::Updated,
                window,
                now(),
            )
            .await
            .unwrap();
        assert_eq!(slugs(&pages), ["delta-page"]);
    })
    .await;
}

/// The title search is answered from an index (FTS5 words on SQLite, `pg_trgm` on PostgreSQL)
/// yet finds what an editor types: every word or its beginning, in any case and order, with
/// punctuation as text; and it follows renames and deletions.
#[tokio::test]
async fn the_title_search_finds_every_word_and_follows_edits() {
    each_backend(|store| async move {
        let mut posts = vec![
            PostBuilder::new("sanctions").build(),
            PostBuilder::new("quotes").build(),
            PostBuilder::new("other").build(),
        ];
        posts[0].title = "Sanctions bite in Tehran".into();
        posts[1].title = "The \"50%\" rule, explained".into();
        posts[2].title = "Elections in Ohio".into();
        store.save_posts(&posts, now()).await.unwrap();
        let search = |text: &str| {
            let (store, filter) = (
                store.clone(),
                NewsroomFilter {
                    search: Some(text.into()),
                    ..NewsroomFilter::default()
                },
            );
            async move {
                let window = Window {
                    limit: 10,
                    offset: 0,
                };
                let (found, total) = store
                    .newsroom_posts(PostKind::Post, &filter, NewsroomSort::Title, window, now())
                    .await
                    .unwrap();
                assert_eq!(total, exactly(found.len() as u64));
                found
                    .iter()
                    .map(|p| p.slug.as_str().to_owned())
                    .collect::<Vec<_>>()
            }
        };
        let none = Vec::<String>::new();
        assert_eq!(search("sanctions").await, ["sanctions"]);
        assert_eq!(
            search("TEHR sanct").await,
            ["sanctions"],
            "prefixes, any order"
        );
        assert_eq!(search("oh").await, ["other"], "a short word");
        assert_eq!(
            search("\"50%\"").await,
            ["quotes"],
            "punctuation is no syntax"
        );
        assert_eq!(search("50%_").await, ["quotes"], "nor a wildcard");
        assert_eq!(search("%").await, ["quotes"], "punctuation alone is text");
        assert_eq!(search("tehran ohio").await, none, "every word");

        posts[0].title = "Tariffs bite in Beijing".into();
        store.save_posts(&posts[..1], now()).await.unwrap();
        assert_eq!(search("sanctions").await, none, "renamed");
        assert_eq!(search("beijing").await, ["sanctions"]);
        store.delete_post(&posts[0].id, now()).await.unwrap();
        assert_eq!(search("beijing").await, none, "deleted");
    })
    .await;
}

/// Past the cap the total is "at least", and a search matching more posts than are looked up
/// from the index (the walk) lists the same newest posts.
#[tokio::test]
async fn totals_are_capped_and_a_common_word_still_lists_the_newest() {
    each_backend(|store| async move {
        let n = store::NEWSROOM_COUNT_CAP + 40;
        let mut posts: Vec<Post> = (0..n)
            .map(|i| {
                let mut p = PostBuilder::new(&format!("post-{i}")).build();
                p.title = format!("Briefing number {i}");
                p.updated_at = now() + Duration::seconds(i64::try_from(i).unwrap());
                p
            })
            .collect();
        posts[3].title = "A rare headline".into();
        store.save_posts(&posts, now()).await.unwrap();
        let window = Window {
            limit: 5,
            offset: 0,
        };
        let list = |search: Option<&str>| {
            let (store, filter) = (
                store.clone(),
                NewsroomFilter {
                    search: search.map(Into::into),
                    ..NewsroomFilter::default()
                },
            );
            async move {
                store
                    .newsroom_posts(
                        PostKind::Post,
                        &filter,
                        NewsroomSort::Updated,
                        window,
                        now(),
                    )
                    .await
                    .unwrap()
            }
        };
        let newest: Vec<String> = (0..5).map(|i| format!("post-{}", n - 1 - i)).collect();
        for search in [None, Some("briefing"), Some("BRIEF numb")] {
            let (found, total) = list(search).await;
            assert_eq!(slugs(&found), newest, "{search:?}");
            let want = Total {
                count: store::NEWSROOM_COUNT_CAP + 5,
                capped: true,
            };
            assert_eq!(total, want, "{search:?}");
        }
        let (found, total) = list(Some("rare")).await;
        assert_eq!((slugs(&found), total), (vec!["post-3"], exactly(1)));
    })
    .await;
}
