//! The members console: labels (create, rename, merge, delete), console fields, the filtered
//! list and bulk changes by filter, on both backends.

use crate::*;
use domain::billing::{Subscription, SubscriptionStatus, comp};
use domain::{Email, Label};
use store::query::{Cond, MemberField, Test, Value};
use store::{ImportMode, ImportedMember, MemberQuery, Window};

fn label(id: &str, name: &str) -> Label {
    Label {
        id: id.into(),
        name: name.into(),
        slug: Slug::from_text(name),
        created_at: now(),
        updated_at: now(),
    }
}

fn is(field: MemberField, value: Value) -> Cond<MemberField> {
    Cond::Test {
        field,
        negated: false,
        test: Test::Eq(value),
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn query(filter: Cond<MemberField>) -> MemberQuery {
    MemberQuery {
        filter,
        search: None,
    }
}

async fn emails(store: &Store, q: &MemberQuery) -> Vec<String> {
    let window = Window {
        limit: 50,
        offset: 0,
    };
    let page = store.member_page(q, window).await.unwrap();
    assert_eq!(
        store.count_member_query(q).await.unwrap(),
        page.len() as u64,
        "the total counts the page's members"
    );
    page.into_iter()
        .map(|m| m.member.email.to_string())
        .collect()
}

/// Ada (paid gold, oldest), Bob (comped gold), Cy (free), Di (canceled gold, newest).
async fn seed(store: &Store) {
    for (i, (id, email, name)) in [
        ("ma", "ada@example.com", "Ada Lovelace"),
        ("mb", "bob@example.com", "Bob"),
        ("mc", "cy@example.org", "Cy"),
        ("md", "di@example.org", "Di"),
    ]
    .into_iter()
    .enumerate()
    {
        let at = now() + Duration::days(i64::try_from(i).unwrap());
        store
            .create_member(id, &Email::parse(email).unwrap(), name, at)
            .await
            .unwrap();
    }
    let gold = Slug::parse("gold").unwrap();
    let paid = Subscription {
        status: SubscriptionStatus::Active,
        current_period_end: Some(now() + Duration::days(30)),
        ..comp(gold.clone(), None)
    };
    store.put_subscription("ma", &paid, now()).await.unwrap();
    let until = Some(now() + Duration::days(10));
    store
        .put_subscription("mb", &comp(gold.clone(), until), now())
        .await
        .unwrap();
    let canceled = Subscription {
        status: SubscriptionStatus::Canceled,
        ..paid.clone()
    };
    store
        .put_subscription("md", &canceled, now())
        .await
        .unwrap();
}

#[tokio::test]
async fn labels_are_created_renamed_merged_and_deleted() {
    each_backend(|store| async move {
        seed(&store).await;
        store.create_label(&label("l1", "VIP")).await.unwrap();
        store.create_label(&label("l2", "Press")).await.unwrap();
        let same_name = store.create_label(&label("l3", "vip")).await.unwrap_err();
        assert!(
            matches!(same_name, StoreError::Conflict(_)),
            "names are unique in any case"
        );
        assert_eq!(store.label_by_name("vIp").await.unwrap().unwrap().id, "l1");

        let both = ["l1".to_owned(), "l2".to_owned()];
        store.set_member_labels("ma", &both, now()).await.unwrap();
        store
            .set_member_labels("mb", &both[1..], now())
            .await
            .unwrap();
        let names: Vec<String> = store
            .member_labels("ma")
            .await
            .unwrap()
            .into_iter()
            .map(|l| l.name)
            .collect();
        assert_eq!(names, ["Press", "VIP"]);

        assert!(store.rename_label("l1", "Patrons", now()).await.unwrap());
        let renamed = store.label_by_id("l1").await.unwrap().unwrap();
        assert_eq!(
            (renamed.name.as_str(), renamed.slug.as_str()),
            ("Patrons", "vip")
        );
        let taken = store.rename_label("l1", "PRESS", now()).await.unwrap_err();
        assert!(matches!(taken, StoreError::Conflict(_)));

        // Merging Press into Patrons: Ada keeps one label, Bob gains Patrons.
        assert!(store.merge_labels("l2", "l1").await.unwrap());
        assert!(store.label_by_id("l2").await.unwrap().is_none());
        let counts = store.labels().await.unwrap();
        assert_eq!(counts.len(), 1);
        assert_eq!((counts[0].label.id.as_str(), counts[0].members), ("l1", 2));
        assert!(!store.merge_labels("l1", "l1").await.unwrap());
        assert!(!store.merge_labels("gone", "l1").await.unwrap());

        assert!(store.delete_label("l1").await.unwrap());
        assert!(store.member_labels("ma").await.unwrap().is_empty());
        assert!(!store.delete_label("l1").await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn filters_select_by_status_tier_label_dates_and_search() {
    each_backend(|store| async move {
        seed(&store).await;
        store.create_label(&label("l1", "VIP")).await.unwrap();
        store
            .set_member_labels("mc", &["l1".to_owned()], now())
            .await
            .unwrap();
        let all = emails(&store, &MemberQuery::default()).await;
        assert_eq!(
            all,
            [
                "di@example.org",
                "cy@example.org",
                "bob@example.com",
                "ada@example.com"
            ],
            "newest first"
        );
        let status = |s: &str| query(is(MemberField::Status, text(s)));
        assert_eq!(emails(&store, &status("paid")).await, ["ada@example.com"]);
        assert_eq!(emails(&store, &status("comped")).await, ["bob@example.com"]);
        assert_eq!(
            emails(&store, &status("free")).await,
            ["di@example.org", "cy@example.org"],
            "a canceled subscription is free"
        );
        // Held statuses are read from the subscriptions' side; the answers stay the same.
        let held = Cond::Test {
            field: MemberField::Status,
            negated: false,
            test: Test::In(vec![text("paid"), text("comped")]),
        };
        assert_eq!(
            emails(&store, &query(held)).await,
            ["bob@example.com", "ada@example.com"]
        );
        let not_paid = Cond::Test {
            field: MemberField::Status,
            negated: true,
            test: Test::Eq(text("paid")),
        };
        assert_eq!(
            emails(&store, &query(not_paid)).await,
            ["di@example.org", "cy@example.org", "bob@example.com"]
        );
        let paid_or_vip = Cond::Any(vec![
            is(MemberField::Status, text("paid")),
            is(MemberField::Label, text("vip")),
        ]);
        assert_eq!(
            emails(&store, &query(paid_or_vip)).await,
            ["cy@example.org", "ada@example.com"]
        );
        assert_eq!(store.count_member_query(&status("paid")).await.unwrap(), 1);
        let gold = query(is(MemberField::Tier, text("gold")));
        assert_eq!(
            emails(&store, &gold).await,
            ["bob@example.com", "ada@example.com"]
        );
        let not_gold = Cond::Test {
            field: MemberField::Tier,
            negated: true,
            test: Test::Eq(text("gold")),
        };
        assert_eq!(
            emails(&store, &query(not_gold)).await,
            ["di@example.org", "cy@example.org"],
            "members without the tier include free ones"
        );
        let vip = query(is(MemberField::Label, text("vip")));
        assert_eq!(emails(&store, &vip).await, ["cy@example.org"]);
        let comped = query(is(MemberField::Comped, Value::Bool(true)));
        assert_eq!(emails(&store, &comped).await, ["bob@example.com"]);
        let since = Cond::Test {
            field: MemberField::CreatedAt,
            negated: false,
            test: Test::Cmp(
                store::query::CmpOp::Gte,
                Value::Time(now() + Duration::days(2)),
            ),
        };
        assert_eq!(
            emails(&store, &query(since)).await,
            ["di@example.org", "cy@example.org"]
        );

        let search = |s: &str| MemberQuery {
            filter: Cond::All(vec![]),
            search: Some(s.into()),
        };
        assert_eq!(emails(&store, &search("LOVEL")).await, ["ada@example.com"]);
        assert_eq!(
            emails(&store, &search("example.org")).await,
            ["di@example.org", "cy@example.org"]
        );
        assert!(
            emails(&store, &search("%")).await.is_empty(),
            "wildcards are literal"
        );
        assert!(
            emails(&store, &search("'; DROP TABLE members; --"))
                .await
                .is_empty()
        );
        assert_eq!(store.count_members().await.unwrap(), 4);
    })
    .await;
}

#[tokio::test]
async fn bulk_changes_touch_exactly_the_filtered_members() {
    each_backend(|store| async move {
        seed(&store).await;
        store.create_label(&label("l1", "Gold fans")).await.unwrap();
        let gold = query(is(MemberField::Tier, text("gold")));
        assert_eq!(store.label_members("l1", &gold).await.unwrap(), 2);
        assert_eq!(
            store.label_members("l1", &gold).await.unwrap(),
            0,
            "already labelled"
        );
        let labelled = query(is(MemberField::Label, text("gold-fans")));
        assert_eq!(
            emails(&store, &labelled).await,
            ["bob@example.com", "ada@example.com"]
        );
        let comped = query(is(MemberField::Status, text("comped")));
        assert_eq!(store.unlabel_members("l1", &comped).await.unwrap(), 1);
        assert_eq!(emails(&store, &labelled).await, ["ada@example.com"]);

        let free = query(is(MemberField::Status, text("free")));
        assert_eq!(store.unsubscribe_members(&free, now()).await.unwrap(), 2);
        let disabled = query(is(MemberField::EmailDisabled, Value::Bool(true)));
        assert_eq!(
            emails(&store, &disabled).await,
            ["di@example.org", "cy@example.org"]
        );
        let subscribed = query(is(MemberField::Subscribed, Value::Bool(true)));
        assert_eq!(
            emails(&store, &subscribed).await,
            ["bob@example.com", "ada@example.com"]
        );
        assert_eq!(
            store.member_ids_matching(&free).await.unwrap(),
            ["md", "mc"]
        );
    })
    .await;
}

#[tokio::test]
async fn console_fields_and_last_seen_at_most_hourly() {
    each_backend(|store| async move {
        seed(&store).await;
        let fresh = store.member_profile("ma").await.unwrap().unwrap();
        assert_eq!(
            (fresh.note.as_str(), fresh.subscribed, fresh.last_seen_at),
            ("", true, None)
        );
        store
            .set_member_note("ma", "  Met at the fair ", now())
            .await
            .unwrap();
        store
            .set_member_subscribed("ma", false, now())
            .await
            .unwrap();
        assert!(store.touch_member_seen("ma", now()).await.unwrap());
        assert!(
            !store
                .touch_member_seen("ma", now() + Duration::minutes(59))
                .await
                .unwrap(),
            "seen within the hour: no write"
        );
        let later = now() + Duration::minutes(61);
        assert!(store.touch_member_seen("ma", later).await.unwrap());
        let p = store.member_profile("ma").await.unwrap().unwrap();
        assert_eq!(p.note, "Met at the fair");
        assert!(!p.subscribed);
        assert_eq!(p.last_seen_at, Some(later));
        assert!(store.member_profile("nobody").await.unwrap().is_none());

        let seen = Cond::Test {
            field: MemberField::LastSeenAt,
            negated: false,
            test: Test::Cmp(store::query::CmpOp::Gt, Value::Time(now())),
        };
        assert_eq!(emails(&store, &query(seen)).await, ["ada@example.com"]);
    })
    .await;
}

#[tokio::test]
async fn a_members_live_sessions_are_counted() {
    each_backend(|store| async move {
        seed(&store).await;
        let old = now() - Duration::days(100);
        let day = Duration::days(1);
        for (id, member, created, expires) in [
            ("s1", "ma", now(), now() + day),
            ("s2", "ma", now(), now() + day),
            ("s3", "ma", now() - day * 2, now() - day),
            ("s4", "ma", old, now() + day),
            ("s5", "mb", now(), now() + day),
        ] {
            store
                .create_session(id, member, created, expires)
                .await
                .unwrap();
        }
        let after = now() - Duration::days(90);
        assert_eq!(
            store.live_sessions_of("ma", now(), after).await.unwrap(),
            2,
            "expired and too old sessions are not counted, nor other members'"
        );
        store.delete_sessions_of("ma").await.unwrap();
        assert_eq!(store.live_sessions_of("ma", now(), after).await.unwrap(), 0);
        assert_eq!(store.live_sessions_of("mb", now(), after).await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn search_follows_sign_ups_changes_deletions_and_imports() {
    each_backend(|store| async move {
        seed(&store).await;
        let search = |s: &str| MemberQuery {
            filter: Cond::All(vec![]),
            search: Some(s.into()),
        };
        // Part of an email, part of a name, in any case, anywhere in them.
        assert_eq!(emails(&store, &search("DA@EXA")).await, ["ada@example.com"]);
        assert_eq!(emails(&store, &search("ove")).await, ["ada@example.com"]);
        assert_eq!(
            emails(&store, &search("lOvElAcE")).await,
            ["ada@example.com"]
        );
        // Short searches (one or two characters) still find every member containing them.
        assert_eq!(emails(&store, &search("y")).await, ["cy@example.org"]);
        assert_eq!(
            emails(&store, &search("Di")).await,
            ["di@example.org"],
            "two characters, in a name and an email"
        );
        assert_eq!(emails(&store, &search("a_")).await, Vec::<String>::new());

        // A rename and an email change are found by the new text, not the old.
        store
            .set_member_name("mb", "Roberta Quixote", now())
            .await
            .unwrap();
        store
            .set_member_email("mc", &Email::parse("zephyr@sample.net").unwrap(), now())
            .await
            .unwrap();
        assert_eq!(emails(&store, &search("quixo")).await, ["bob@example.com"]);
        assert_eq!(
            emails(&store, &search("ZEPHYR")).await,
            ["zephyr@sample.net"]
        );
        assert!(emails(&store, &search("cy@example")).await.is_empty());
        assert_eq!(
            emails(&store, &search("bob@")).await,
            ["bob@example.com"],
            "a rename keeps the email searchable"
        );

        // A deleted member is forgotten.
        store.delete_member("ma").await.unwrap();
        assert!(emails(&store, &search("lovelace")).await.is_empty());
        assert!(emails(&store, &search("ada@")).await.is_empty());

        // Imported members are found, including one the import renames.
        let imported = |email: &str, name: &str| ImportedMember {
            email: Email::parse(email).unwrap(),
            name: Some(name.into()),
            note: None,
            subscribed: None,
            created_at: None,
            labels: vec![],
            comp: None,
            stripe_customer_id: None,
            linked: None,
        };
        let n = std::sync::atomic::AtomicUsize::new(0);
        let new_id = || format!("imp{}", n.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
        store
            .import_members(
                &[
                    imported("grace@navy.example", "Grace Hopper"),
                    imported("di@example.org", "Diana Prince"),
                ],
                ImportMode::Write,
                now(),
                &new_id,
                &mut |_| {},
            )
            .await
            .unwrap();
        assert_eq!(
            emails(&store, &search("HOPP")).await,
            ["grace@navy.example"]
        );
        assert_eq!(
            emails(&store, &search("navy")).await,
            ["grace@navy.example"]
        );
        assert_eq!(emails(&store, &search("prince")).await, ["di@example.org"]);
        assert_eq!(
            emails(&store, &search("example")).await.len(),
            3,
            "Bob, Di and Grace: Ada is deleted and Cy's email changed"
        );
    })
    .await;
}
