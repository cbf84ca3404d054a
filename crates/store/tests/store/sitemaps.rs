//! What sitemaps list: live posts and pages without bodies, tags and authors in use, and the
//! `lastmod` of each file when a list is cut into files.

use crate::*;
use domain::PostStub;
use store::SitemapSource;

fn slugs(stubs: &[PostStub]) -> Vec<String> {
    stubs.iter().map(|s| s.slug.to_string()).collect()
}

#[tokio::test]
async fn sitemaps_list_live_content_oldest_first_and_cut_into_files() {
    each_backend(|store| async move {
        let (china, cyber) = (tag("china", TagKind::Topic), tag("cyber", TagKind::Topic));
        let (amy, bob) = (author("amy"), author("bob"));
        let mut posts: Vec<Post> = (1..=5)
            .map(|i| {
                let mut p = PostBuilder::new(&format!("p{i}"))
                    .tags(&[&china])
                    .authors(&[&amy])
                    .published_hours_ago(10 - i)
                    .build();
                p.updated_at = now() - Duration::minutes(i * 7);
                p
            })
            .collect();
        posts[4].tags = vec![china.clone(), cyber.clone()];
        posts[4].image = Some(LeadImage {
            url: "/content/images/p5.jpg".into(),
            width: Some(1200),
            height: Some(675),
            alt: String::new(),
            caption: String::new(),
            credit: String::new(),
        });
        posts.push(
            PostBuilder::new("draft")
                .authors(&[&bob])
                .status(Status::Draft)
                .build(),
        );
        posts.push(
            PostBuilder::new("future")
                .tags(&[&cyber])
                .authors(&[&bob])
                .published_hours_ago(-2)
                .build(),
        );
        posts.push(PostBuilder::new("about").page().build());
        store.save_posts(&posts, Utc::now()).await.unwrap();

        let all = store
            .live_stubs(PostKind::Post, 10, 0, now())
            .await
            .unwrap();
        assert_eq!(slugs(&all), ["p1", "p2", "p3", "p4", "p5"]);
        assert_eq!(all[4].image.as_ref().unwrap().url, "/content/images/p5.jpg");
        assert_eq!(all[0].updated_at, now() - Duration::minutes(7));
        let second = store.live_stubs(PostKind::Post, 2, 2, now()).await.unwrap();
        assert_eq!(slugs(&second), ["p3", "p4"]);
        let pages = store
            .live_stubs(PostKind::Page, 10, 0, now())
            .await
            .unwrap();
        assert_eq!(slugs(&pages), ["about"]);

        // Files of two: [p1 p2] [p3 p4] [p5], each dated by its newest change.
        let files = store
            .sitemap_files(SitemapSource::Posts, 2, now())
            .await
            .unwrap();
        let minutes = |m: i64| now() - Duration::minutes(m);
        assert_eq!(files, [minutes(7), minutes(21), minutes(35)]);
        let none = store
            .sitemap_files(SitemapSource::Posts, 2, now() - Duration::days(30))
            .await
            .unwrap();
        assert!(none.is_empty());

        // Tags and authors with a live post; cyber's and bob's only other posts are not live.
        let tags = store
            .taxonomy_lastmods(SitemapSource::Tags, 10, 0, now())
            .await
            .unwrap();
        let tag_slugs: Vec<&str> = tags.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(tag_slugs, ["china", "cyber"]);
        assert_eq!(tags[0].1, minutes(7), "china's newest change");
        assert_eq!(tags[1].1, minutes(35));
        let authors = store
            .taxonomy_lastmods(SitemapSource::Authors, 10, 0, now())
            .await
            .unwrap();
        assert_eq!(authors.len(), 1);
        assert_eq!(authors[0].0.as_str(), "amy");
        assert_eq!(
            store
                .sitemap_files(SitemapSource::Tags, 1, now())
                .await
                .unwrap(),
            [minutes(7), minutes(35)]
        );

        // The news window: published since a moment, newest first.
        let since = now() - Duration::hours(7);
        let recent = store.live_stubs_since(since, 10, now()).await.unwrap();
        assert_eq!(slugs(&recent), ["p5", "p4", "p3"]);
        assert_eq!(
            slugs(&store.live_stubs_since(since, 1, now()).await.unwrap()),
            ["p5"]
        );
    })
    .await;
}
