//! Revisions through `ops::posts`: every save keeps one (the Admin API's and the CLI's too),
//! a save based on an old revision is refused naming who saved the newer one and when, two
//! revisions compare as a field list and a line diff, a restore is a new revision, and
//! presence lists the other editors with the post open.

use crate::helpers::TestApp;
use chrono::{Duration, Utc};
use domain::{Editor, PostKind, Status};
use masthead::compose::{Composer, Draft};
use masthead::ops::Ops;
use masthead::ops::posts::revisions::{self, DiffLine};
use masthead::ops::posts::{self, PostError};

fn draft(title: &str, markdown: &str) -> Draft {
    let mut d = Draft::new(PostKind::Post, title, markdown);
    d.status = Status::Draft;
    d
}

#[tokio::test]
async fn an_edit_based_on_an_old_revision_is_refused_with_who_and_when() {
    let app = TestApp::empty().await;
    let store = &app.state.store;
    let ops = Ops::detached(store, &app.state.config.public_url);
    let mut composer = Composer::new(store);
    let (nadia, omar) = (
        Editor::named("staff-nadia", "Nadia Rahman"),
        Editor::named("staff-omar", "Omar Haddad"),
    );
    let t0 = Utc::now();
    let post = posts::create_by(
        &ops,
        &mut composer,
        draft("Strait", "One.\n"),
        None,
        &omar,
        t0,
    )
    .await
    .unwrap();
    let first = store.latest_revision(&post.id).await.unwrap().unwrap();
    assert_eq!(first.by, omar);

    // Both open revision 1; Nadia saves first.
    let t1 = t0 + Duration::seconds(5);
    let edit = posts::begin_revision_edit(&ops, &post, Some(first.id.clone()), nadia.clone())
        .await
        .unwrap();
    let nadias = posts::save_edit(
        &ops,
        edit,
        &mut composer,
        draft("Strait", "One.\nTwo.\n"),
        t1,
    )
    .await
    .unwrap();
    assert_eq!(nadias.revision.number, 2);

    let stored = store
        .post_by_slug(post.slug.as_str())
        .await
        .unwrap()
        .unwrap();
    let edit = posts::begin_revision_edit(&ops, &stored, Some(first.id.clone()), omar.clone())
        .await
        .unwrap();
    let refused = posts::save_edit(&ops, edit, &mut composer, draft("Omar's", "Gone.\n"), t1)
        .await
        .unwrap_err();
    let PostError::Stale { revision, by, at } = &refused else {
        panic!("expected a stale edit, got {refused:?}");
    };
    assert_eq!(
        (revision, by.as_deref(), at.timestamp_micros()),
        (
            &nadias.revision.id,
            Some("Nadia Rahman"),
            t1.timestamp_micros()
        )
    );
    assert!(
        refused
            .to_string()
            .starts_with("Nadia Rahman saved a newer version")
    );
    let unchanged = store
        .post_by_slug(post.slug.as_str())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unchanged.title, "Strait");
    assert_eq!(store.revisions(&post.id, 10).await.unwrap().len(), 2);
}

#[tokio::test]
async fn revisions_compare_and_restore_as_a_new_revision() {
    let app = TestApp::empty().await;
    let store = &app.state.store;
    let ops = Ops::detached(store, &app.state.config.public_url);
    let mut composer = Composer::new(store);
    let nadia = Editor::named("staff-nadia", "Nadia Rahman");
    let now = Utc::now();
    let post = posts::create(
        &ops,
        &mut composer,
        draft("First title", "Keep.\nOld line.\n"),
        None,
        now,
    )
    .await
    .unwrap();
    let first = store.latest_revision(&post.id).await.unwrap().unwrap();
    assert_eq!(first.by, Editor::nobody(), "a tool's save names nobody");
    let edit = posts::begin_revision_edit(&ops, &post, Some(first.id.clone()), nadia.clone())
        .await
        .unwrap();
    let mut second_draft = draft("Second title", "Keep.\nNew line.\n");
    second_draft.dek = "A dek".into();
    let second = posts::save_edit(&ops, edit, &mut composer, second_draft, now)
        .await
        .unwrap();

    let diff = revisions::diff(&first, &second.revision);
    let fields: Vec<(&str, &str, &str)> = diff
        .fields
        .iter()
        .map(|c| (c.field, c.before.as_str(), c.after.as_str()))
        .collect();
    // An edit keeps the slug unless the editor changes it.
    assert_eq!(
        fields,
        [
            ("title", "First title", "Second title"),
            ("dek", "", "A dek")
        ]
    );
    assert_eq!(
        diff.lines,
        [
            DiffLine::Same("Keep.".into()),
            DiffLine::Removed("Old line.".into()),
            DiffLine::Added("New line.".into()),
        ]
    );
    assert!(revisions::diff(&first, &first).is_empty());

    let current = second.post;
    let restored = revisions::restore(&ops, &mut composer, &current, &first, nadia.clone(), now)
        .await
        .unwrap();
    assert_eq!(restored.revision.number, 3);
    assert_eq!(restored.post.title, "First title");
    assert_eq!(restored.post.slug.as_str(), "first-title");
    assert_eq!(restored.revision.markdown, first.markdown);
    assert_eq!(restored.revision.by, nadia);
    assert_eq!(restored.post.status, Status::Draft);
    let history: Vec<i64> = store
        .revisions(&post.id, 10)
        .await
        .unwrap()
        .iter()
        .map(|r| r.number)
        .collect();
    assert_eq!(history, [3, 2, 1], "history is kept");
    assert!(matches!(
        revisions::revision_of(&ops, &post, "no-such-revision").await,
        Err(PostError::NotFound)
    ));
}

#[tokio::test]
async fn presence_names_the_other_editors_of_a_post() {
    let app = TestApp::empty().await;
    let store = &app.state.store;
    let ops = Ops::detached(store, &app.state.config.public_url);
    let mut composer = Composer::new(store);
    let now = Utc::now();
    let post = posts::create(&ops, &mut composer, draft("Open", "Text.\n"), None, now)
        .await
        .unwrap();
    let nadia = Editor::named("staff-nadia", "Nadia Rahman");
    let omar = Editor::named("staff-omar", "Omar Haddad");
    assert!(
        revisions::present(&ops, &post.id, &nadia, now)
            .await
            .unwrap()
            .is_empty()
    );
    let later = now + Duration::seconds(10);
    assert_eq!(
        revisions::present(&ops, &post.id, &omar, later)
            .await
            .unwrap(),
        ["Nadia Rahman"]
    );
    // Nadia closed her tab 31 s ago.
    let much_later = now + Duration::seconds(31);
    assert!(
        revisions::present(&ops, &post.id, &omar, much_later)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        revisions::present(&ops, "no-such-post", &omar, now).await,
        Err(PostError::NotFound)
    ));
    assert!(matches!(
        revisions::present(&ops, &post.id, &Editor::nobody(), now).await,
        Err(PostError::Invalid(_))
    ));
}
