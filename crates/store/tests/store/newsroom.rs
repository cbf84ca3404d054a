//! The newsroom's posts list: every status, each filter, the sorts, pages and totals.

use crate::*;
use store::{NewsroomFilter, NewsroomSort, Stage, Window};

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
            (vec!["charlie-scheduled", "bravo-live", "alpha-draft"], 3)
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
            assert_eq!((slugs(&found), total), (vec![want], 1), "{stage:?}");
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
        assert_eq!((slugs(&page), total), (vec!["alpha-draft"], 3));
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
