//! The newsroom's extra fields on both backends: a post's social-card overrides and a tag's
//! presentation (colour, image, meta title and description), and a tag edit onto another
//! tag's slug refused as a conflict.

use crate::*;

#[tokio::test]
async fn social_overrides_and_tag_meta_read_back() {
    each_backend(|store| async move {
        let mut section = tag("energy", TagKind::Section);
        section.meta = domain::TagMeta {
            accent_color: Some("#ff1a75".into()),
            feature_image: Some("/content/images/energy.jpg".into()),
            meta_title: Some("Energy coverage".into()),
            meta_description: Some("Everything on energy.".into()),
        };
        // Tag fields are the tag pages' to write; a post's save links the tag and keeps them.
        store.create_tag(&section, now()).await.unwrap();
        let mut post = PostBuilder::new("carded").tags(&[&section]).build();
        post.social = domain::Social {
            og_title: Some("Card".into()),
            og_description: Some("Card text".into()),
            og_image: Some("/content/images/card.jpg".into()),
            twitter_title: Some("Tweet".into()),
            twitter_description: None,
            twitter_image: Some("/content/images/tweet.jpg".into()),
        };
        store
            .save_posts(std::slice::from_ref(&post), now())
            .await
            .unwrap();
        let read = store.post_by_slug("carded").await.unwrap().unwrap();
        assert_eq!(read.social, post.social);
        assert_eq!(read.tags[0].meta, section.meta);
        let stored = store.tag_by_id(&section.id).await.unwrap().unwrap();
        assert_eq!(stored.meta, section.meta);

        // Blank again, and a slug another tag has is a conflict that changes nothing.
        let mut plain = PostBuilder::new("carded").build();
        plain.id.clone_from(&post.id);
        store
            .save_posts(std::slice::from_ref(&plain), now())
            .await
            .unwrap();
        let read = store.post_by_slug("carded").await.unwrap().unwrap();
        assert_eq!(read.social, domain::Social::default());
        let other = tag("trade", TagKind::Topic);
        store.create_tag(&other, now()).await.unwrap();
        let mut clash = section.clone();
        clash.slug = other.slug.clone();
        assert!(matches!(
            store.update_tag(&clash, now()).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(
            store.tag_by_id(&section.id).await.unwrap().unwrap().slug,
            section.slug
        );
    })
    .await;
}
