//! The member event log: appended, read newest first a page at a time, counted, and gone
//! with its member.

use crate::*;
use domain::{ActivityKind, MemberEvent};

#[tokio::test]
async fn member_events_page_newest_first_and_go_with_their_member() {
    each_backend(|store| async move {
        let email = domain::Email::parse("log@example.com").unwrap();
        let m = store
            .create_member(&id(), &email, "Log", now())
            .await
            .unwrap();
        for (i, kind) in [
            ActivityKind::SignedUp,
            ActivityKind::SignedIn,
            ActivityKind::MeterHit,
        ]
        .into_iter()
        .zip(0_i64..)
        .map(|(kind, i)| (i, kind))
        {
            let mut e = MemberEvent::new(id(), &m.id, kind, now() + Duration::minutes(i));
            if kind == ActivityKind::MeterHit {
                e.post_id = Some("p1".into());
                e.amount = Some(800);
                e.detail = serde_json::json!({ "cadence": "month" });
            }
            store.record_member_event(&e).await.unwrap();
        }
        assert_eq!(store.count_member_events(&m.id).await.unwrap(), 3);
        let first = store.member_events(&m.id, 2, 0).await.unwrap();
        let kinds: Vec<_> = first.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [ActivityKind::MeterHit, ActivityKind::SignedIn]);
        assert_eq!(first[0].post_id.as_deref(), Some("p1"));
        assert_eq!(first[0].amount, Some(800));
        assert_eq!(first[0].detail_str("cadence"), Some("month"));
        assert_eq!(first[0].at, now() + Duration::minutes(2));
        let rest = store.member_events(&m.id, 2, 2).await.unwrap();
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].kind, ActivityKind::SignedUp);
        store
            .delete_member_announced(&m.id, &[], now())
            .await
            .unwrap();
        assert_eq!(store.count_member_events(&m.id).await.unwrap(), 0);
    })
    .await;
}
