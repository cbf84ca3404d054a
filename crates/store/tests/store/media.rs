//! The media library: stored images found, searched, described, replaced and deleted.

use crate::{PostBuilder, each_backend, id, now};
use chrono::Duration;
use domain::LeadImage;
use store::{Media, VariantsState};

fn item(path: &str, file_name: &str, minutes: i64) -> Media {
    Media {
        id: id(),
        path: path.to_owned(),
        file_name: file_name.to_owned(),
        mime: "image/jpeg".into(),
        bytes: 1234,
        width: 4000,
        height: 3000,
        alt: String::new(),
        uploaded_by: None,
        variants: VariantsState::Pending,
        variant_widths: vec![],
        replaced_by: None,
        created_at: now() + Duration::minutes(minutes),
    }
}

#[tokio::test]
async fn the_library_lists_newest_first_and_searches_names_and_alt_text() {
    each_backend(|store| async move {
        let harbour = item("2026/11/harbour-aaaa.jpg", "Harbour at dawn.jpg", 0);
        let summit = item("2026/11/summit-bbbb.jpg", "summit_100%.jpg", 1);
        let chart = item("2026/11/chart-cccc.png", "chart.png", 2);
        for m in [&harbour, &summit, &chart] {
            store.insert_media(m).await.unwrap();
        }
        assert!(
            store
                .set_media_alt(&chart.id, "Oil prices, 2020–2026")
                .await
                .unwrap()
        );
        assert!(!store.set_media_alt("no-such-id", "x").await.unwrap());

        let all = store.list_media(None, 2, 0).await.unwrap();
        assert_eq!(all.total, 3);
        let names: Vec<_> = all.items.iter().map(|m| m.file_name.as_str()).collect();
        assert_eq!(names, ["chart.png", "summit_100%.jpg"]);
        let rest = store.list_media(None, 2, 2).await.unwrap();
        assert_eq!(rest.items, vec![harbour.clone()]);

        let by_alt = store.list_media(Some("OIL"), 10, 0).await.unwrap();
        assert_eq!(by_alt.items.len(), 1);
        assert_eq!(by_alt.items[0].alt, "Oil prices, 2020–2026");
        let by_name = store.list_media(Some("harbour"), 10, 0).await.unwrap();
        assert_eq!(by_name.items, vec![harbour.clone()]);
        // The searcher's `%` and `_` are taken literally.
        let literal = store.list_media(Some("_100%"), 10, 0).await.unwrap();
        assert_eq!(literal.items.len(), 1);
        assert_eq!(store.list_media(Some("%"), 10, 0).await.unwrap().total, 1);

        store
            .set_media_variants(&summit.id, VariantsState::Ready, &[320, 640])
            .await
            .unwrap();
        let found = store.media_by_path(&summit.path).await.unwrap().unwrap();
        assert_eq!(found.variants, VariantsState::Ready);
        assert_eq!(found.variant_widths, vec![320, 640]);
        assert!(
            store
                .media_by_path("2026/11/none.jpg")
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}

#[tokio::test]
async fn a_replaced_item_leaves_the_library_but_keeps_its_path() {
    each_backend(|store| async move {
        let first = item("2026/11/map-1111.png", "map.png", 0);
        let second = item("2026/11/map-2222.png", "map.png", 1);
        let third = item("2026/11/map-3333.png", "map.png", 2);
        store.insert_media(&first).await.unwrap();
        store.replace_media(&first.id, &second).await.unwrap();
        store.replace_media(&second.id, &third).await.unwrap();

        let listed = store.list_media(None, 10, 0).await.unwrap();
        assert_eq!(listed.items, vec![third.clone()]);
        let old = store.media_by_path(&first.path).await.unwrap().unwrap();
        assert_eq!(old.replaced_by.as_deref(), Some(third.id.as_str()));
        let lineage = store.media_lineage(&third.id).await.unwrap();
        let paths: Vec<_> = lineage.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, [&first.path, &second.path, &third.path]);

        let ids: Vec<String> = lineage.into_iter().map(|m| m.id).collect();
        assert_eq!(store.delete_media(&ids).await.unwrap(), 3);
        assert!(store.media_by_path(&first.path).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn media_named_by_a_post_body_or_lead_image_is_in_use() {
    each_backend(|store| async move {
        let mut post = PostBuilder::new("with-images").build();
        post.body = domain::Body::new(
            "![](https://site.example/content/images/size/w640/2026/11/inline-aaaa.jpg)".into(),
            domain::BodyPart {
                html: String::new(),
                text: String::new(),
            },
            None,
        );
        post.image = Some(LeadImage {
            url: "/content/images/2026/11/lead-bbbb.jpg".into(),
            width: None,
            height: None,
            alt: String::new(),
            caption: String::new(),
            credit: String::new(),
        });
        store.save_posts(&[post], now()).await.unwrap();
        assert!(store.media_in_use("2026/11/inline-aaaa.jpg").await.unwrap());
        assert!(store.media_in_use("2026/11/lead-bbbb.jpg").await.unwrap());
        assert!(!store.media_in_use("2026/11/unused-cccc.jpg").await.unwrap());
        let users = store
            .media_users("2026/11/lead-bbbb.jpg", 10)
            .await
            .unwrap();
        assert_eq!(users.len(), 1, "the post that names it, by title");
        assert!(
            store
                .media_users("2026/11/unused-cccc.jpg", 10)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}
