//! Staff use cases through `ops::staff`, the layer the newsroom, the CLI and the Admin API
//! share: role × action through real calls, and their audit entries.

use crate::helpers::TestApp;
use domain::{Role, StaffStatus};
use masthead::ops::OpsError;
use masthead::ops::staff::{Actor, NewOwner, accounts};

/// A site with an owner and one staff user of every other role; returns their ids by role.
async fn newsroom(app: &TestApp) -> Vec<(Role, String)> {
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
    for role in [
        Role::Administrator,
        Role::Editor,
        Role::Author,
        Role::Contributor,
    ] {
        let email = format!("{}@news.example", role.as_str());
        let (id, _) = accounts::add(&ops, Actor::Console, &email, role, Some(role.label()))
            .await
            .unwrap();
        ids.push((role, id));
    }
    ids
}

#[tokio::test]
async fn setup_happens_once_and_sets_the_site_title() {
    let app = TestApp::empty().await;
    newsroom(&app).await;
    let again = accounts::setup(
        &app.state.ops(),
        &NewOwner {
            site_title: "Another",
            name: "Mallory",
            email: "mallory@news.example",
            password: "correct horse battery",
        },
    )
    .await;
    assert!(matches!(again, Err(OpsError::Conflict(_))), "{again:?}");
    let settings = masthead::settings::SiteSettings::load(&app.state.store)
        .await
        .unwrap();
    assert_eq!(settings.title, "The Review");
    let second_owner = accounts::add(
        &app.state.ops(),
        Actor::Console,
        "o2@news.example",
        Role::Owner,
        None,
    )
    .await;
    assert!(
        matches!(second_owner, Err(OpsError::Forbidden(_))),
        "{second_owner:?}"
    );
}

#[tokio::test]
async fn who_may_suspend_and_invite_whom() {
    let app = TestApp::empty().await;
    let staff = newsroom(&app).await;
    let ops = app.state.ops();
    let store = &app.state.store;
    let manageable = [
        Role::Administrator,
        Role::Editor,
        Role::Author,
        Role::Contributor,
    ];
    for (actor_role, actor_id) in &staff {
        let actor_user = store.staff_by_id(actor_id).await.unwrap().unwrap();
        let actor = Actor::Staff(&actor_user);
        for (target_role, target_id) in staff.iter().filter(|(r, _)| manageable.contains(r)) {
            let expected = domain::staff::may(
                *actor_role,
                domain::Action::ManageStaff(*target_role),
                actor_id == target_id,
            );
            let done = accounts::set_status(&ops, actor, target_id, StaffStatus::Suspended).await;
            assert_eq!(
                done.is_ok(),
                expected,
                "{actor_role} suspends {target_role}: {done:?}"
            );
            if done.is_ok() {
                accounts::set_status(&ops, actor, target_id, StaffStatus::Active)
                    .await
                    .unwrap();
            } else {
                assert!(matches!(done, Err(OpsError::Forbidden(_))));
            }
        }
        for invited in Role::ALL {
            let email = format!(
                "{}-by-{}@news.example",
                invited.as_str(),
                actor_role.as_str()
            );
            let done = accounts::invite(&ops, &app.state.mailer, actor, &email, invited).await;
            let expected = domain::staff::may(*actor_role, domain::Action::Invite(invited), false);
            assert_eq!(
                done.is_ok(),
                expected,
                "{actor_role} invites a new {invited}: {done:?}"
            );
        }
    }
    // An editor can invite an author but not an administrator.
    let editor = store.staff_by_id(&staff[2].1).await.unwrap().unwrap();
    assert!(
        accounts::invite(
            &ops,
            &app.state.mailer,
            Actor::Staff(&editor),
            "new-author@news.example",
            Role::Author
        )
        .await
        .is_ok()
    );
    assert!(matches!(
        accounts::invite(
            &ops,
            &app.state.mailer,
            Actor::Staff(&editor),
            "new-admin@news.example",
            Role::Administrator
        )
        .await,
        Err(OpsError::Forbidden(_))
    ));
    let log = store.audit_entries(500, None).await.unwrap();
    let count = |action: &str| log.iter().filter(|e| e.action == action).count();
    assert_eq!(count("staff.setup"), 1);
    assert_eq!(count("staff.added"), 4);
    assert_eq!(count("staff.suspended"), count("staff.restored"));
    assert!(count("staff.suspended") > 0);
    assert!(
        log.iter()
            .filter(|e| e.action == "staff.suspended")
            .all(|e| e.actor_id.is_some()
                && e.before.contains("active")
                && e.after.contains("suspended"))
    );
    assert_eq!(
        count("staff.invited"),
        Role::ALL
            .iter()
            .map(|&r| staff
                .iter()
                .filter(|(a, _)| domain::staff::may(*a, domain::Action::Invite(r), false))
                .count())
            .sum::<usize>()
            + 1
    );
}

#[tokio::test]
async fn roles_change_ownership_moves_and_deleted_staff_leave_their_posts() {
    let app = TestApp::empty().await;
    let staff = newsroom(&app).await;
    let ops = app.state.ops();
    let store = &app.state.store;
    let id = |r: Role| staff.iter().find(|(x, _)| *x == r).unwrap().1.clone();
    let editor = store.staff_by_id(&id(Role::Editor)).await.unwrap().unwrap();
    // An editor may make a contributor an author, not an editor, and not re-role an admin.
    accounts::change_role(
        &ops,
        Actor::Staff(&editor),
        &id(Role::Contributor),
        Role::Author,
    )
    .await
    .unwrap();
    assert!(matches!(
        accounts::change_role(
            &ops,
            Actor::Staff(&editor),
            &id(Role::Contributor),
            Role::Editor
        )
        .await,
        Err(OpsError::Forbidden(_))
    ));
    assert!(matches!(
        accounts::change_role(
            &ops,
            Actor::Staff(&editor),
            &id(Role::Administrator),
            Role::Author
        )
        .await,
        Err(OpsError::Forbidden(_))
    ));
    assert!(
        matches!(
            accounts::change_role(&ops, Actor::Staff(&editor), &id(Role::Editor), Role::Author)
                .await,
            Err(OpsError::Forbidden(_))
        ),
        "not oneself"
    );

    // Ownership goes to an administrator only, and only from the owner.
    let admin = store
        .staff_by_id(&id(Role::Administrator))
        .await
        .unwrap()
        .unwrap();
    let owner = store.staff_by_id(&id(Role::Owner)).await.unwrap().unwrap();
    assert!(matches!(
        accounts::transfer_ownership(&ops, Actor::Staff(&admin), &id(Role::Administrator)).await,
        Err(OpsError::Forbidden(_))
    ));
    assert!(matches!(
        accounts::transfer_ownership(&ops, Actor::Staff(&owner), &id(Role::Editor)).await,
        Err(OpsError::Invalid(_))
    ));
    accounts::transfer_ownership(&ops, Actor::Staff(&owner), &id(Role::Administrator))
        .await
        .unwrap();
    assert_eq!(
        store.staff_owner().await.unwrap().unwrap().id(),
        id(Role::Administrator)
    );

    // A deleted author's posts go to the heir.
    let author = store.staff_by_id(&id(Role::Author)).await.unwrap().unwrap();
    let new_admin = store
        .staff_by_id(&id(Role::Administrator))
        .await
        .unwrap()
        .unwrap();
    accounts::delete(&ops, Actor::Staff(&new_admin), author.id(), editor.id())
        .await
        .unwrap();
    assert!(store.staff_by_id(author.id()).await.unwrap().is_none());
    let log = store.audit_entries(100, None).await.unwrap();
    assert_eq!(log[0].action, "staff.deleted");
    assert_eq!(log[1].action, "staff.ownership_transferred");
}

#[tokio::test]
async fn set_password_links_and_invitations_work_once() {
    let app = TestApp::empty().await;
    let ops = app.state.ops();
    let (id, token) = accounts::add(
        &ops,
        Actor::Console,
        "first@news.example",
        Role::Owner,
        Some("First Owner"),
    )
    .await
    .unwrap();
    assert!(matches!(
        accounts::set_password_by_token(&ops, &token, "short").await,
        Err(OpsError::Invalid(_))
    ));
    assert_eq!(
        accounts::set_password_by_token(&ops, &token, "a long enough password")
            .await
            .unwrap(),
        id
    );
    assert!(matches!(
        accounts::set_password_by_token(&ops, &token, "a long enough password").await,
        Err(OpsError::NotFound(_))
    ));
    let url = accounts::set_password_url("https://news.example/", &token);
    assert!(url.starts_with("https://news.example/admin/password/"));
}
