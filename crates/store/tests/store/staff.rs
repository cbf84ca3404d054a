//! Staff users, their sessions, devices, codes, invitations and the audit log.

use crate::{PostBuilder, author, each_backend, id, now};
use chrono::Duration;
use domain::{Role, StaffStatus};
use store::StoreError;
use store::staff::{AuditEntry, DeviceCodeAttempt, Invitation, NewStaff, NewStaffSession};

fn audit(action: &str, subject: &str) -> AuditEntry {
    AuditEntry {
        id: id(),
        actor_id: None,
        action: action.into(),
        subject: subject.into(),
        before: "{}".into(),
        after: "{}".into(),
        at: now(),
    }
}

fn new_staff(slug: &str, role: Role) -> NewStaff {
    NewStaff {
        author: author(slug),
        email: format!("{slug}@Paper.example"),
        role,
        password_hash: Some("$argon2id$fake".into()),
    }
}

#[tokio::test]
async fn one_owner_and_bylines_become_staff_keeping_their_posts() {
    each_backend(|store| async move {
        assert!(store.staff_owner().await.unwrap().is_none());
        let owner = store
            .create_staff(
                &new_staff("olga", Role::Owner),
                &audit("staff.setup", "olga"),
                now(),
            )
            .await
            .unwrap();
        let second = store
            .create_staff(
                &new_staff("oscar", Role::Owner),
                &audit("staff.setup", "oscar"),
                now(),
            )
            .await;
        assert!(matches!(second, Err(StoreError::Conflict(_))), "{second:?}");
        let found = store.staff_owner().await.unwrap().unwrap();
        assert_eq!((found.id(), found.role), (owner.as_str(), Role::Owner));
        assert_eq!(found.email, "olga@paper.example", "lowercased");
        assert!(found.has_password && !found.has_totp);

        // A byline with an email becomes a staff user, keeping its id and its posts.
        let byline = author("bea");
        store
            .create_author(&byline, Some("bea@paper.example"), now())
            .await
            .unwrap();
        store
            .save_posts(
                &[PostBuilder::new("beas-post").authors(&[&byline]).build()],
                now(),
            )
            .await
            .unwrap();
        let bea = store
            .create_staff(
                &new_staff("bea", Role::Author),
                &audit("staff.added", "bea"),
                now(),
            )
            .await
            .unwrap();
        assert_eq!(bea, byline.id);
        let again = store
            .create_staff(
                &new_staff("bea", Role::Editor),
                &audit("staff.added", "bea"),
                now(),
            )
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))));
        let staff = store.staff_users().await.unwrap();
        assert_eq!(
            staff.iter().map(|s| s.role).collect::<Vec<_>>(),
            [Role::Owner, Role::Author],
            "owner first"
        );
        assert!(
            store
                .staff_by_email("BEA@paper.example")
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(
            store.audit_entries(10, None).await.unwrap().len(),
            2,
            "the refused add left no entry"
        );
    })
    .await;
}

#[tokio::test]
async fn roles_status_ownership_and_deletion_with_transfer() {
    each_backend(|store| async move {
        let owner = store
            .create_staff(&new_staff("olga", Role::Owner), &audit("a", "olga"), now())
            .await
            .unwrap();
        let ed = store
            .create_staff(&new_staff("ed", Role::Editor), &audit("a", "ed"), now())
            .await
            .unwrap();
        let al = store
            .create_staff(&new_staff("al", Role::Author), &audit("a", "al"), now())
            .await
            .unwrap();
        assert!(
            store
                .set_staff_role(&al, Role::Contributor, &audit("r", &al))
                .await
                .unwrap()
        );
        assert!(
            !store
                .set_staff_role(&owner, Role::Author, &audit("r", &owner))
                .await
                .unwrap(),
            "the owner's role moves only by transfer"
        );

        let s = NewStaffSession {
            id_hash: "h-al",
            author_id: &al,
            user_agent: "Firefox",
            client: "127.0.0.x",
            now: now(),
            expires: now() + Duration::days(30),
        };
        store.create_staff_session(&s).await.unwrap();
        let live = store
            .staff_session("h-al", now(), now() - Duration::days(90))
            .await
            .unwrap();
        assert_eq!(
            live.map(|(u, s)| (u.role, s.user_agent)),
            Some((Role::Contributor, "Firefox".into()))
        );
        assert!(
            store
                .set_staff_status(&al, StaffStatus::Suspended, &audit("s", &al))
                .await
                .unwrap()
        );
        assert!(
            store
                .staff_session("h-al", now(), now() - Duration::days(90))
                .await
                .unwrap()
                .is_none(),
            "suspension ends sessions"
        );
        assert!(
            store
                .staff_sessions_of(&al, now())
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .set_staff_status(&al, StaffStatus::Active, &audit("s", &al))
                .await
                .unwrap()
        );

        // Ownership moves in one step; a suspended or unknown heir is refused.
        assert!(
            !store
                .update_owner(&owner, "nobody", &audit("t", "x"))
                .await
                .unwrap()
        );
        assert_eq!(store.staff_owner().await.unwrap().unwrap().id(), owner);
        assert!(
            store
                .update_owner(&owner, &ed, &audit("t", &ed))
                .await
                .unwrap()
        );
        assert_eq!(store.staff_owner().await.unwrap().unwrap().id(), ed);
        assert_eq!(
            store.staff_by_id(&owner).await.unwrap().unwrap().role,
            Role::Administrator
        );

        // Deleting gives the posts to the heir; a post both wrote keeps the heir once.
        let al_author = store.staff_by_id(&al).await.unwrap().unwrap().author;
        let ed_author = store.staff_by_id(&ed).await.unwrap().unwrap().author;
        store
            .save_posts(
                &[
                    PostBuilder::new("alone").authors(&[&al_author]).build(),
                    PostBuilder::new("together")
                        .authors(&[&al_author, &ed_author])
                        .build(),
                ],
                now(),
            )
            .await
            .unwrap();
        assert!(
            !store
                .delete_staff(&al, &al, &audit("d", &al), now())
                .await
                .unwrap()
        );
        assert!(
            store
                .delete_staff(&al, &ed, &audit("d", &al), now())
                .await
                .unwrap()
        );
        assert!(store.staff_by_id(&al).await.unwrap().is_none());
        for slug in ["alone", "together"] {
            let post = store.post_by_slug(slug).await.unwrap().unwrap();
            assert_eq!(
                post.authors
                    .iter()
                    .map(|a| a.id.as_str())
                    .collect::<Vec<_>>(),
                [ed.as_str()],
                "{slug}"
            );
        }
        let log = store.audit_entries(100, None).await.unwrap();
        assert_eq!(
            log.first().map(|e| e.action.as_str()),
            Some("d"),
            "newest first"
        );
    })
    .await;
}

#[tokio::test]
async fn invitations_password_tokens_and_device_codes_are_single_use() {
    each_backend(|store| async move {
        let invitation = Invitation {
            email: "New@Paper.example".into(),
            role: Role::Editor,
            inviter_id: None,
            created_at: now(),
            expires_at: now() + Duration::days(7),
        };
        store
            .create_invitation("inv-hash", &invitation, &audit("staff.invited", "new"))
            .await
            .unwrap();
        let live = store.invitation("inv-hash", now()).await.unwrap().unwrap();
        assert_eq!(
            (live.email.as_str(), live.role),
            ("new@paper.example", Role::Editor)
        );
        assert!(
            store
                .invitation("inv-hash", now() + Duration::days(8))
                .await
                .unwrap()
                .is_none(),
            "expired"
        );
        assert_eq!(store.pending_invitations(now()).await.unwrap().len(), 1);
        let new = NewStaff {
            email: live.email.clone(),
            ..new_staff("nina", Role::Editor)
        };
        let id = store
            .take_invitation("inv-hash", &new, &audit("staff.joined", "nina"), now())
            .await
            .unwrap();
        assert!(id.is_some());
        let twice = store
            .take_invitation(
                "inv-hash",
                &new_staff("nora", Role::Editor),
                &audit("x", "x"),
                now(),
            )
            .await
            .unwrap();
        assert_eq!(twice, None, "an invitation is accepted once");
        assert!(store.pending_invitations(now()).await.unwrap().is_empty());

        let nina = id.unwrap();
        store
            .create_password_token("pw-hash", &nina, now(), now() + Duration::days(1))
            .await
            .unwrap();
        assert_eq!(
            store.password_token_owner("pw-hash", now()).await.unwrap(),
            Some(nina.clone())
        );
        let taken = store
            .take_password_token(
                "pw-hash",
                "$argon2id$new",
                &audit("staff.password_set", ""),
                now(),
            )
            .await
            .unwrap();
        assert_eq!(taken, Some(nina.clone()));
        assert_eq!(
            store
                .staff_secrets(&nina)
                .await
                .unwrap()
                .password_hash
                .as_deref(),
            Some("$argon2id$new")
        );
        assert_eq!(
            store
                .take_password_token("pw-hash", "$other", &audit("x", ""), now())
                .await
                .unwrap(),
            None
        );

        assert!(!store.is_known_device(&nina, "dev").await.unwrap());
        store.record_device(&nina, "dev", now()).await.unwrap();
        store.record_device(&nina, "dev", now()).await.unwrap();
        assert!(store.is_known_device(&nina, "dev").await.unwrap());

        store
            .create_device_code("tok", "right", &nina, now(), now() + Duration::minutes(15))
            .await
            .unwrap();
        assert_eq!(
            store.take_device_code("tok", "wrong", now()).await.unwrap(),
            DeviceCodeAttempt::Wrong
        );
        assert_eq!(
            store.take_device_code("tok", "right", now()).await.unwrap(),
            DeviceCodeAttempt::Taken(nina.clone())
        );
        assert_eq!(
            store.take_device_code("tok", "right", now()).await.unwrap(),
            DeviceCodeAttempt::NoLiveCode
        );
        store
            .create_device_code("tok2", "right", &nina, now(), now() + Duration::minutes(15))
            .await
            .unwrap();
        for _ in 0..store::staff::MAX_DEVICE_CODE_ATTEMPTS {
            assert_eq!(
                store
                    .take_device_code("tok2", "wrong", now())
                    .await
                    .unwrap(),
                DeviceCodeAttempt::Wrong
            );
        }
        assert_eq!(
            store
                .take_device_code("tok2", "right", now())
                .await
                .unwrap(),
            DeviceCodeAttempt::Locked,
            "capped"
        );
    })
    .await;
}

#[tokio::test]
async fn an_invitation_whose_email_became_staff_stays_open_and_adds_nobody() {
    each_backend(|store| async move {
        let invitation = Invitation {
            email: "taken@paper.example".into(),
            role: Role::Editor,
            inviter_id: None,
            created_at: now(),
            expires_at: now() + Duration::days(7),
        };
        store
            .create_invitation("clash-hash", &invitation, &audit("staff.invited", "x"))
            .await
            .unwrap();
        let meanwhile = NewStaff {
            email: "taken@paper.example".into(),
            ..new_staff("nell", Role::Author)
        };
        store
            .create_staff(&meanwhile, &audit("staff.added", "nell"), now())
            .await
            .unwrap();
        let logged = store.audit_entries(100, None).await.unwrap().len();
        let joining = NewStaff {
            email: "taken@paper.example".into(),
            ..new_staff("nina", Role::Editor)
        };
        let refused = store
            .take_invitation(
                "clash-hash",
                &joining,
                &audit("staff.joined", "nina"),
                now(),
            )
            .await;
        assert!(
            matches!(refused, Err(StoreError::Conflict(_))),
            "{refused:?}"
        );
        assert!(
            store
                .invitation("clash-hash", now())
                .await
                .unwrap()
                .is_some(),
            "the acceptance rolled back with the clash"
        );
        assert!(store.author_by_slug("nina").await.unwrap().is_none());
        assert_eq!(store.audit_entries(100, None).await.unwrap().len(), logged);
    })
    .await;
}
