//! The newsroom's post writes through `ops::posts::newsroom`, role × action with real staff
//! users: contributors write their own drafts and cannot publish, authors publish their own
//! posts only, editors handle every post; a refused write changes nothing; bulk actions report
//! each post; every save is a revision naming its staff editor.

use crate::helpers::TestApp;
use chrono::{Duration, Utc};
use domain::{PostKind, Role, Status};
use masthead::compose::{Composer, Draft};
use masthead::ops::posts::PostError;
use masthead::ops::posts::newsroom::{self, Bulk};
use masthead::ops::staff::{Actor, NewOwner, accounts};
use store::staff::StaffUser;

/// A site with an owner and one staff user of each other role.
async fn staff(app: &TestApp) -> Vec<(Role, StaffUser)> {
    let ops = app.state.ops();
    let owner = accounts::setup(
        &ops,
        &NewOwner {
            site_title: "The Review",
            name: "Olga Owner",
            email: "olga@news.example",
            password: "correct horse battery",
        },
    )
    .await
    .unwrap();
    let mut ids = vec![(Role::Owner, owner)];
    for role in [Role::Editor, Role::Author, Role::Contributor] {
        let email = format!("{}@news.example", role.as_str());
        let (id, _) = accounts::add(&ops, Actor::Console, &email, role, Some(role.label()))
            .await
            .unwrap();
        ids.push((role, id));
    }
    let mut users = Vec::new();
    for (role, id) in ids {
        users.push((
            role,
            app.state.store.staff_by_id(&id).await.unwrap().unwrap(),
        ));
    }
    users
}

fn user(users: &[(Role, StaffUser)], role: Role) -> &StaffUser {
    &users.iter().find(|(r, _)| *r == role).unwrap().1
}

fn draft(title: &str) -> Draft {
    Draft::new(PostKind::Post, title, "Words.\n")
}

#[tokio::test]
async fn contributors_write_their_own_drafts_and_cannot_publish() {
    let app = TestApp::empty().await;
    let users = staff(&app).await;
    let ops = app.state.ops();
    let mut composer = Composer::new(&app.state.store);
    let now = Utc::now();
    let contributor = Actor::Staff(user(&users, Role::Contributor));
    let editor = Actor::Staff(user(&users, Role::Editor));

    let mut published_draft = draft("Mine");
    published_draft.status = Status::Published;
    let mine = newsroom::create(&ops, &mut composer, contributor, published_draft, now)
        .await
        .unwrap();
    assert_eq!(mine.status, Status::Draft, "creating never publishes");
    assert_eq!(mine.authors[0].name, "Contributor");
    let revision = app
        .state
        .store
        .latest_revision(&mine.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(revision.by.name.as_deref(), Some("Contributor"));

    let refused = newsroom::publish(&ops, contributor, &mine, None, now).await;
    assert!(
        matches!(&refused, Err(PostError::Forbidden(m)) if m == "Contributors may not publish."),
        "{refused:?}"
    );
    let stored = app.state.store.post_by_slug("mine").await.unwrap().unwrap();
    assert_eq!(stored.status, Status::Draft);

    let base = Some(revision.id.clone());
    let saved = newsroom::save(
        &ops,
        &mut composer,
        contributor,
        &mine,
        base,
        draft("Mine, better"),
        now,
    )
    .await
    .unwrap();
    assert_eq!(saved.post.title, "Mine, better");

    let theirs = newsroom::create(&ops, &mut composer, editor, draft("Theirs"), now)
        .await
        .unwrap();
    let edit = newsroom::save(
        &ops,
        &mut composer,
        contributor,
        &theirs,
        None,
        draft("Mine now"),
        now,
    )
    .await;
    assert!(matches!(edit, Err(PostError::Forbidden(_))), "{edit:?}");
    let mut for_others = draft("For the editor");
    for_others.authors = vec![user(&users, Role::Editor).author.slug.to_string()];
    let ghost = newsroom::create(&ops, &mut composer, contributor, for_others, now).await;
    assert!(matches!(ghost, Err(PostError::Forbidden(_))), "{ghost:?}");

    // The editor publishes the contributor's draft.
    let live = newsroom::publish(&ops, editor, &saved.post, None, now)
        .await
        .unwrap();
    assert!(live.is_live(now));
    // Now it is live, the contributor may neither change nor delete it.
    let late = newsroom::save(
        &ops,
        &mut composer,
        contributor,
        &live,
        None,
        draft("Sneaky"),
        now,
    )
    .await;
    assert!(matches!(late, Err(PostError::Forbidden(_))), "{late:?}");
    assert!(matches!(
        newsroom::delete(&ops, contributor, &live, now).await,
        Err(PostError::Forbidden(_))
    ));
}

#[tokio::test]
async fn authors_publish_their_own_posts_and_editors_any() {
    let app = TestApp::empty().await;
    let users = staff(&app).await;
    let ops = app.state.ops();
    let mut composer = Composer::new(&app.state.store);
    let now = Utc::now();
    let author = Actor::Staff(user(&users, Role::Author));
    let editor = Actor::Staff(user(&users, Role::Editor));
    let own = newsroom::create(&ops, &mut composer, author, draft("Own story"), now)
        .await
        .unwrap();
    let other = newsroom::create(&ops, &mut composer, editor, draft("Desk story"), now)
        .await
        .unwrap();
    let later = now + Duration::hours(2);
    let scheduled = newsroom::publish(&ops, author, &own, Some(later), now)
        .await
        .unwrap();
    assert_eq!(scheduled.published_at, Some(later));
    assert!(!scheduled.is_live(now));
    assert!(matches!(
        newsroom::publish(&ops, author, &other, None, now).await,
        Err(PostError::Forbidden(_))
    ));
    newsroom::unpublish(&ops, editor, &scheduled, now)
        .await
        .unwrap();

    let copy = newsroom::duplicate(
        &ops,
        &mut composer,
        author,
        &other,
        draft("Desk story"),
        now,
    )
    .await
    .unwrap();
    assert_eq!(copy.title, "Copy of Desk story");
    assert_eq!(copy.status, Status::Draft);
    assert_eq!(
        copy.authors[0].name, "Author",
        "a copy is bylined to whoever made it"
    );
}

#[tokio::test]
async fn bulk_actions_report_each_post() {
    let app = TestApp::empty().await;
    let users = staff(&app).await;
    let ops = app.state.ops();
    let mut composer = Composer::new(&app.state.store);
    let now = Utc::now();
    let author = Actor::Staff(user(&users, Role::Author));
    let editor = Actor::Staff(user(&users, Role::Editor));
    let mut posts = Vec::new();
    for (who, title) in [(author, "Author's"), (editor, "Editor's")] {
        let p = newsroom::create(&ops, &mut composer, who, draft(title), now)
            .await
            .unwrap();
        posts.push(
            newsroom::publish(&ops, editor, &p, None, now)
                .await
                .unwrap(),
        );
    }
    let outcome = newsroom::bulk(&ops, author, Bulk::Unpublish, &posts, now)
        .await
        .unwrap();
    assert_eq!(outcome.done, ["Author's"]);
    assert_eq!(outcome.refused.len(), 1);
    assert_eq!(outcome.refused[0].0, "Editor's");
    let outcome = newsroom::bulk(&ops, editor, Bulk::Delete, &posts, now)
        .await
        .unwrap();
    assert_eq!(outcome.done.len(), 2);
    assert_eq!(app.state.store.count_posts().await.unwrap(), 0);
}
