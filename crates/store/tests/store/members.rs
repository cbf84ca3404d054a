//! Members, sessions, sign-in tokens, subscriptions, the Stripe event log, meter and gifts.

use crate::*;
#[tokio::test]
async fn members_sessions_and_tokens() {
    each_backend(|store| async move {
        let email = domain::Email::parse("ada@example.com").unwrap();
        let m = store
            .create_member("m1", &email, "Ada", now())
            .await
            .unwrap();
        assert_eq!(
            store
                .create_member("m2", &email, "Other", now())
                .await
                .unwrap()
                .id,
            "m1",
            "one member per email"
        );
        assert!(!m.has_password);
        store
            .set_password_hash("m1", "$argon2id$x", Utc::now())
            .await
            .unwrap();
        let (found, hash) = store.password_hash(&email).await.unwrap().unwrap();
        assert!(found.has_password && hash == "$argon2id$x");
        store
            .create_member(
                "m3",
                &domain::Email::parse("bob@example.com").unwrap(),
                "",
                now(),
            )
            .await
            .unwrap();
        let taken = store
            .set_member_email("m3", &email, Utc::now())
            .await
            .unwrap_err();
        assert!(matches!(taken, StoreError::Conflict(_)));

        store
            .create_session("h1", "m1", now(), now() + Duration::days(30))
            .await
            .unwrap();
        store
            .create_session("h2", "m1", now(), now() + Duration::days(30))
            .await
            .unwrap();
        assert_eq!(
            store
                .session_member("h1", now(), now() - Duration::days(90))
                .await
                .unwrap()
                .unwrap()
                .0
                .id,
            "m1"
        );
        assert!(
            store
                .session_member("h1", now() + Duration::days(31), now() - Duration::days(1))
                .await
                .unwrap()
                .is_none(),
            "expired"
        );
        store.delete_sessions_of("m1").await.unwrap();
        assert!(
            store
                .session_member("h2", now(), now() - Duration::days(90))
                .await
                .unwrap()
                .is_none()
        );

        let token = store::LoginToken {
            token_hash: "t1".into(),
            code_hash: "c1".into(),
            email: "ada@example.com".into(),
            purpose: "signin".into(),
            member_id: None,
            name: String::new(),
            tier: String::new(),
            redirect: "/x/".into(),
            attempts: 0,
            created_at: now().timestamp_micros(),
            expires_at: (now() + Duration::minutes(15)).timestamp_micros(),
            used_at: None,
        };
        store.create_login_token(&token).await.unwrap();
        assert_eq!(
            store
                .take_login_code("ada@example.com", "wrong", now())
                .await
                .unwrap(),
            store::CodeAttempt::Wrong
        );
        let store::CodeAttempt::Taken(taken) = store
            .take_login_code("ada@example.com", "c1", now())
            .await
            .unwrap()
        else {
            panic!("the right code is taken");
        };
        assert_eq!((taken.redirect.as_str(), taken.attempts), ("/x/", 2));
        assert!(
            store.take_login_token("t1", now()).await.unwrap().is_none(),
            "single use"
        );
    })
    .await;
}

#[tokio::test]
async fn subscriptions_events_meter_and_gifts() {
    each_backend(|store| async move {
        let email = domain::Email::parse("ada@example.com").unwrap();
        store.create_member("m1", &email, "", now()).await.unwrap();
        let mut sub = domain::billing::comp(
            Slug::parse("plus").unwrap(),
            Some(now() + Duration::days(3)),
        );
        store
            .put_subscription("m1", &sub, Utc::now())
            .await
            .unwrap();
        assert_eq!(store.subscription("m1").await.unwrap().unwrap(), sub);
        sub.stripe_subscription_id = Some("sub_1".into());
        let event = store::StripeEventRecord {
            id: "evt_1",
            event_type: "x",
            member_id: Some("m1"),
            customer_id: None,
        };
        let applied = store
            .apply_stripe_event(event, now(), |_| Some(sub.clone()))
            .await
            .unwrap();
        assert!(applied.fresh);
        assert!(
            !store
                .apply_stripe_event(event, now(), |_| None)
                .await
                .unwrap()
                .fresh,
            "idempotent"
        );
        assert_eq!(
            store
                .member_of_stripe_subscription("sub_1")
                .await
                .unwrap()
                .as_deref(),
            Some("m1")
        );

        let post = PostBuilder::new("gated").build();
        store
            .save_posts(std::slice::from_ref(&post), Utc::now())
            .await
            .unwrap();
        assert_eq!(
            store
                .meter_state("m1", &post.id, now() - Duration::days(30))
                .await
                .unwrap(),
            (0, false)
        );
        store
            .record_meter_read("m1", &post.id, now())
            .await
            .unwrap();
        store
            .record_meter_read("m1", &post.id, now())
            .await
            .unwrap();
        assert_eq!(
            store
                .meter_state("m1", &post.id, now() - Duration::days(30))
                .await
                .unwrap(),
            (1, true)
        );
        assert_eq!(
            store
                .meter_state("m1", &post.id, now() + Duration::days(1))
                .await
                .unwrap(),
            (0, false),
            "outside the window"
        );

        let gift = store::Gift {
            id: "g1".into(),
            member_id: "m1".into(),
            post_id: post.id.clone(),
            created_at: now(),
            expires_at: now() + Duration::days(30),
            revoked: false,
        };
        store.create_gift(&gift).await.unwrap();
        assert_eq!(store.gift("g1").await.unwrap().unwrap(), gift);
        assert!(!store.revoke_gift("someone-else", "g1").await.unwrap());
        assert!(store.revoke_gift("m1", "g1").await.unwrap());
        assert!(store.gifts_of("m1").await.unwrap()[0].revoked);

        let tier = domain::Tier {
            id: "t1".into(),
            slug: Slug::parse("plus").unwrap(),
            name: "Plus".into(),
            description: "All".into(),
            benefits: vec!["Everything".into()],
            monthly_price: 800,
            yearly_price: 8000,
            currency: "usd".into(),
            trial_days: 7,
            active: true,
        };
        store.upsert_tier(&tier, Utc::now()).await.unwrap();
        store
            .upsert_tier(
                &domain::Tier {
                    monthly_price: 900,
                    ..tier.clone()
                },
                Utc::now(),
            )
            .await
            .unwrap();
        assert_eq!(
            store
                .tier_by_slug("plus")
                .await
                .unwrap()
                .unwrap()
                .monthly_price,
            900
        );
        assert_eq!(store.tiers().await.unwrap().len(), 1);
        store.delete_member("m1").await.unwrap();
        assert!(
            store.subscription("m1").await.unwrap().is_none(),
            "deleting a member removes their subscription"
        );
        assert!(store.gifts_of("m1").await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn member_writes_queue_their_events_in_their_own_transaction() {
    use domain::WebhookEvent::{MemberAdded, MemberDeleted, MemberEdited};
    each_backend(|store| async move {
        for event in [MemberAdded, MemberAdded, MemberEdited] {
            store.create_webhook(&hook(event)).await.unwrap();
        }
        let ada = domain::Email::parse("ada@example.com").unwrap();
        let added = store
            .add_member_announced("m1", &ada, "Ada", None, now(), |m, sub| {
                assert_eq!((m.id.as_str(), sub), ("m1", None), "the member as written");
                vec![outgoing(MemberAdded, r#"{"member":"m1"}"#)]
            })
            .await
            .unwrap();
        assert_eq!(added.member.name, "Ada");
        assert_eq!(added.queued, 2, "one delivery per hook following the event");
        let due = store.due_deliveries(now(), 10).await.unwrap();
        assert_eq!(due.len(), 2);
        assert!(
            due.iter()
                .all(|d| d.event == "member.added" && d.body == r#"{"member":"m1"}"#)
        );

        // A write that fails queues nothing, and changes nothing.
        let grace = domain::Email::parse("grace@example.com").unwrap();
        store
            .add_member_announced("m2", &grace, "Grace", None, now(), |_, _| Vec::new())
            .await
            .unwrap();
        let clash = store::MemberChanges {
            name: Some("Renamed"),
            email: Some(&ada),
            subscription: None,
        };
        let failed = store
            .edit_member_announced("m2", clash, now(), |_, _| {
                vec![outgoing(MemberEdited, "{}")]
            })
            .await;
        assert!(matches!(failed, Err(StoreError::Conflict(_))), "{failed:?}");
        assert_eq!(store.due_deliveries(now(), 10).await.unwrap().len(), 2);
        let grace_now = store.member_by_id("m2").await.unwrap().unwrap();
        assert_eq!(
            grace_now.name, "Grace",
            "the name set before the clash is rolled back"
        );

        // The events are built from what the transaction leaves: here, a comp.
        let comp = domain::billing::comp(Slug::parse("plus").unwrap(), None);
        let comped = store::MemberChanges {
            subscription: Some(&comp),
            ..store::MemberChanges::default()
        };
        let edited = store
            .edit_member_announced("m2", comped, now(), |m, sub| {
                assert_eq!((m.id.as_str(), sub), ("m2", Some(&comp)));
                vec![outgoing(MemberEdited, "{}")]
            })
            .await
            .unwrap()
            .unwrap();
        assert_eq!(edited.queued, 1);
        let none = store
            .edit_member_announced("nobody", comped, now(), |_, _| {
                vec![outgoing(MemberEdited, "{}")]
            })
            .await
            .unwrap();
        assert!(none.is_none(), "no such member: nothing written or queued");
        assert_eq!(store.due_deliveries(now(), 10).await.unwrap().len(), 3);

        let deleted = [outgoing(MemberDeleted, "{}")];
        let queued = store
            .delete_member_announced("m2", &deleted, now())
            .await
            .unwrap();
        assert_eq!(queued, 0, "no hook follows member.deleted");
        assert!(store.member_by_id("m2").await.unwrap().is_none());
        assert!(store.subscription("m2").await.unwrap().is_none());
    })
    .await;
}
