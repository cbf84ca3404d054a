//! Revisions kept by saves, the refusal of a save based on an old revision, editors'
//! presence, and preview ids.

use crate::*;
use domain::Editor;
use store::{RevisionSave, RevisionSaved};

async fn save(store: &Store, post: &Post, by: &Editor, base: Option<&str>) -> RevisionSaved {
    store
        .save_post_revision(
            post,
            &[],
            RevisionSave {
                by,
                base,
                fold_within: None,
            },
            now(),
        )
        .await
        .unwrap()
}

fn saved(outcome: RevisionSaved) -> domain::Revision {
    match outcome {
        RevisionSaved::Saved { revision, .. } => revision,
        RevisionSaved::Conflict(newer) => panic!("unexpected conflict with {newer:?}"),
    }
}

#[tokio::test]
async fn every_save_keeps_a_numbered_revision_with_its_source_fields_and_editor() {
    each_backend(|store| async move {
        let nadia = Editor::named("staff-1", "Nadia Rahman");
        let mut post = PostBuilder::new("revised").build();
        let first = saved(save(&store, &post, &nadia, None).await);
        post.title = "A better title".into();
        let second = saved(save(&store, &post, &Editor::nobody(), Some(&first.id)).await);

        assert_eq!((first.number, second.number), (1, 2));
        let listed = store.revisions(&post.id, 10).await.unwrap();
        assert_eq!(listed, vec![second.clone(), first.clone()]);
        assert_eq!(
            store.revision(&first.id).await.unwrap(),
            Some(first.clone())
        );
        assert_eq!(first.by.name.as_deref(), Some("Nadia Rahman"));
        assert_eq!(first.markdown, "md");
        assert_eq!(first.fields.title, "Title of revised");
        assert_eq!(second.fields.title, "A better title");
        assert_eq!(second.by, Editor::nobody());
        let latest = store.latest_revision(&post.id).await.unwrap().unwrap();
        assert_eq!(latest.id, second.id);
    })
    .await;
}

#[tokio::test]
async fn a_save_based_on_an_old_revision_is_refused_and_writes_nothing() {
    each_backend(|store| async move {
        let (nadia, omar) = (
            Editor::named("staff-1", "Nadia Rahman"),
            Editor::named("staff-2", "Omar"),
        );
        let mut post = PostBuilder::new("contested").build();
        let base = saved(save(&store, &post, &omar, None).await);
        post.title = "Nadia's title".into();
        let nadias = saved(save(&store, &post, &nadia, Some(&base.id)).await);

        post.title = "Omar's title".into();
        let outcome = save(&store, &post, &omar, Some(&base.id)).await;
        assert_eq!(outcome, RevisionSaved::Conflict(nadias.clone()));
        let stored = store.post_by_slug("contested").await.unwrap().unwrap();
        assert_eq!(stored.title, "Nadia's title");
        assert_eq!(store.revisions(&post.id, 10).await.unwrap().len(), 2);

        // Based on the newest revision, or on none (the Admin API checks `updated_at`), it saves.
        saved(save(&store, &post, &omar, Some(&nadias.id)).await);
        let fourth = saved(save(&store, &post, &omar, None).await);
        assert_eq!(fourth.number, 4);
    })
    .await;
}

#[tokio::test]
async fn revisions_and_presence_go_with_their_post() {
    each_backend(|store| async move {
        let post = PostBuilder::new("short-lived").build();
        saved(save(&store, &post, &Editor::nobody(), None).await);
        store
            .heartbeat(&post.id, "staff-1", "Nadia", now(), now())
            .await
            .unwrap();
        assert!(store.delete_post(&post.id, now()).await.unwrap());
        assert!(store.revisions(&post.id, 10).await.unwrap().is_empty());
        assert!(
            store
                .present_editors(&post.id, "someone", now() - Duration::seconds(30))
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn presence_shows_the_other_editors_seen_recently() {
    each_backend(|store| async move {
        let post = PostBuilder::new("open-twice").build();
        store
            .save_posts(std::slice::from_ref(&post), now())
            .await
            .unwrap();
        let window = Duration::seconds(30);
        let at = |s: i64| now() + Duration::seconds(s);
        let beat = |editor: &'static str, name: &'static str, s: i64| {
            let store = store.clone();
            let id = post.id.clone();
            async move {
                store
                    .heartbeat(&id, editor, name, at(s), at(s) - window)
                    .await
                    .unwrap()
            }
        };
        assert!(beat("staff-1", "Nadia Rahman", 0).await);
        assert!(beat("staff-2", "Omar", 10).await);
        assert!(beat("staff-3", "Lena", 15).await);
        let others = store
            .present_editors(&post.id, "staff-2", at(35) - window)
            .await
            .unwrap();
        let names: Vec<&str> = others.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Lena"], "Nadia's heartbeat is 35 s old");

        assert!(beat("staff-1", "Nadia R.", 40).await);
        let others = store
            .present_editors(&post.id, "staff-2", at(41) - window)
            .await
            .unwrap();
        let names: Vec<&str> = others.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Lena", "Nadia R."]);
        assert!(
            !store
                .heartbeat("no-such-post", "staff-1", "Nadia", now(), now())
                .await
                .unwrap()
        );
    })
    .await;
}

#[tokio::test]
async fn a_preview_id_is_made_once_and_finds_its_post_in_any_status() {
    each_backend(|store| async move {
        let post = PostBuilder::new("secret-draft")
            .status(Status::Draft)
            .build();
        store
            .save_posts(std::slice::from_ref(&post), now())
            .await
            .unwrap();
        let first = store
            .ensure_preview_id(&post.id, "0193a3c0-0000-7000-8000-000000000001")
            .await
            .unwrap()
            .unwrap();
        let again = store
            .ensure_preview_id(&post.id, "0193a3c0-0000-7000-8000-000000000002")
            .await
            .unwrap();
        assert_eq!(again.as_deref(), Some(first.as_str()));
        let found = store.post_by_preview_id(&first).await.unwrap().unwrap();
        assert_eq!((found.id, found.status), (post.id.clone(), Status::Draft));
        assert!(store.post_by_preview_id("nope").await.unwrap().is_none());
        assert!(
            store
                .ensure_preview_id("nope", "x")
                .await
                .unwrap()
                .is_none()
        );
        // An edit keeps the preview id.
        store
            .save_posts(std::slice::from_ref(&post), now())
            .await
            .unwrap();
        assert!(store.post_by_preview_id(&first).await.unwrap().is_some());
    })
    .await;
}

#[tokio::test]
async fn autosaves_fold_into_the_editors_recent_revision_and_still_refuse_stale_bases() {
    each_backend(|store| async move {
        let (nadia, omar) = (
            Editor::named("staff-1", "Nadia Rahman"),
            Editor::named("staff-2", "Omar"),
        );
        let fold = Some(Duration::minutes(10));
        let autosave = |post: Post, by: Editor, base: Option<String>, at: DateTime<Utc>| {
            let store = store.clone();
            async move {
                let save = RevisionSave {
                    by: &by,
                    base: base.as_deref(),
                    fold_within: fold,
                };
                store
                    .save_post_revision(&post, &[], save, at)
                    .await
                    .unwrap()
            }
        };
        let mut post = PostBuilder::new("typed").build();
        let first = saved(autosave(post.clone(), nadia.clone(), None, now()).await);
        post.title = "Typing".into();
        let second = saved(
            autosave(
                post.clone(),
                nadia.clone(),
                Some(first.id.clone()),
                now() + Duration::seconds(3),
            )
            .await,
        );
        assert_eq!(second.number, 1, "folded");
        assert_ne!(second.id, first.id, "a folded revision gets a new id");
        assert_eq!(
            store.revisions(&post.id, 10).await.unwrap(),
            vec![second.clone()]
        );
        // A copy based on the revision before the fold is still refused.
        let stale = autosave(
            post.clone(),
            omar.clone(),
            Some(first.id.clone()),
            now() + Duration::seconds(4),
        )
        .await;
        assert_eq!(stale, RevisionSaved::Conflict(second.clone()));
        // Another editor, or the same one after ten minutes, starts a new revision.
        let omars = saved(
            autosave(
                post.clone(),
                omar,
                Some(second.id.clone()),
                now() + Duration::seconds(5),
            )
            .await,
        );
        assert_eq!(omars.number, 2);
        let later = now() + Duration::minutes(30);
        let nadias =
            saved(autosave(post.clone(), nadia.clone(), Some(omars.id.clone()), later).await);
        let again = saved(
            autosave(
                post.clone(),
                nadia.clone(),
                Some(nadias.id.clone()),
                later + Duration::minutes(11),
            )
            .await,
        );
        assert_eq!((nadias.number, again.number), (3, 4));
        // A manual save is never replaced by an autosave.
        let manual = saved(save(&store, &post, &nadia, Some(&again.id)).await);
        let next = saved(autosave(post, nadia, Some(manual.id.clone()), now()).await);
        assert_eq!((manual.number, next.number), (5, 6));
    })
    .await;
}
