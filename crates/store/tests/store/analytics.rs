//! The dashboard's analytics: beacon batches into daily counters (views, uniques, paywall
//! shown), salts and visitor hashes kept only for their day, attribution, paid starts and
//! ends, member counts and the dashboard's reads — on both backends.

use crate::*;
use domain::billing::{Subscription, SubscriptionStatus, comp};
use store::{MemberCounts, PaidChange, ViewBatch, day_of, day_start_micros};

fn paid(tier: &str) -> Subscription {
    Subscription {
        status: SubscriptionStatus::Active,
        stripe_subscription_id: Some(format!("sub_{tier}")),
        ..comp(Slug::parse(tier).unwrap(), None)
    }
}

#[tokio::test]
async fn views_are_counted_per_post_per_day_with_uniques() {
    each_backend(|store| async move {
        let a = PostBuilder::new("alpha").build();
        let b = PostBuilder::new("beta").build();
        store
            .save_posts(&[a.clone(), b.clone()], now())
            .await
            .unwrap();
        let today = day_of(now());
        let mut batch = ViewBatch::default();
        batch.add(today, &a.id, "v1", true);
        batch.add(today, &a.id, "v1", false);
        batch.add(today, &a.id, "v2", true);
        batch.add(today, &b.id, "v1", false);
        batch.add(today, "01900000-0000-7000-8000-000000000000", "v3", false);
        store.record_views(&batch).await.unwrap();
        // A later batch: v1 is no new visitor of alpha, v4 is.
        let mut later = ViewBatch::default();
        later.add(today, &a.id, "v1", false);
        later.add(today, &a.id, "v4", false);
        store.record_views(&later).await.unwrap();

        let f = store.post_funnel(&a.id, today, today).await.unwrap();
        assert_eq!((f.views, f.uniques, f.paywall_shown), (5, 3, 2));
        let site = store.views_by_day(today - 1, today).await.unwrap();
        assert_eq!(site.len(), 1, "an unknown post id counts nowhere");
        assert_eq!(
            (site[0].views, site[0].visitors),
            (6, 3),
            "v1, v2 and v4 visited the site"
        );
        let top = store.top_posts_by_views(today, today, 10).await.unwrap();
        let order: Vec<(&str, i64)> = top.iter().map(|p| (p.slug.as_str(), p.count)).collect();
        assert_eq!(order, [("alpha", 5), ("beta", 1)]);
        assert!(
            store
                .top_posts_by_views(today + 1, today + 2, 10)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn a_salt_lives_for_its_day_only() {
    each_backend(|store| async move {
        let post = PostBuilder::new("salted").build();
        store
            .save_posts(std::slice::from_ref(&post), now())
            .await
            .unwrap();
        let day = day_of(now());
        let salt = store.view_salt(day, "first").await.unwrap();
        assert_eq!(salt, "first");
        assert_eq!(
            store.view_salt(day, "second").await.unwrap(),
            "first",
            "one salt per day, on every node"
        );
        let mut batch = ViewBatch::default();
        batch.add(day, &post.id, "yesterday-visitor", false);
        store.record_views(&batch).await.unwrap();
        assert_eq!(store.view_salt(day + 1, "next").await.unwrap(), "next");
        // Yesterday's visitor is forgotten with its salt: the same hash on the new day is new.
        let mut next = ViewBatch::default();
        next.add(day, &post.id, "yesterday-visitor", false);
        store.record_views(&next).await.unwrap();
        let f = store.post_funnel(&post.id, day, day).await.unwrap();
        assert_eq!((f.views, f.uniques), (2, 2));
    })
    .await;
}

#[tokio::test]
async fn attribution_conversions_members_and_revenue() {
    each_backend(|store| async move {
        let post = PostBuilder::new("scoop").build();
        store
            .save_posts(std::slice::from_ref(&post), now())
            .await
            .unwrap();
        let email = |s: &str| domain::Email::parse(&format!("{s}@example.com")).unwrap();
        for id in ["m1", "m2", "m3", "m4"] {
            store
                .create_member(id, &email(id), "", now())
                .await
                .unwrap();
        }
        store.attribute_member("m1", &post.id).await.unwrap();
        store.attribute_member("m2", &post.id).await.unwrap();
        store.attribute_member("m1", "another-post").await.unwrap();
        store
            .put_subscription("m1", &paid("plus"), now())
            .await
            .unwrap();
        store
            .put_subscription("m3", &comp(Slug::parse("plus").unwrap(), None), now())
            .await
            .unwrap();
        store
            .record_paid_change("c1", "m1", PaidChange::Started, "plus", now())
            .await
            .unwrap();
        store
            .record_paid_change("c2", "m4", PaidChange::Ended, "plus", now())
            .await
            .unwrap();
        let today = day_of(now());
        let f = store.post_funnel(&post.id, today, today).await.unwrap();
        assert_eq!(
            (f.signups, f.conversions),
            (2, 1),
            "m1's first attribution stands"
        );
        let top = store.top_posts_by_signups(today, today, 10).await.unwrap();
        assert_eq!(top.len(), 1);
        assert_eq!((top[0].slug.as_str(), top[0].count), ("scoop", 2));
        let totals = store.paid_totals(today, today).await.unwrap();
        assert_eq!((totals.started, totals.ended), (1, 1));
        let counts = store.member_counts_now(now()).await.unwrap();
        assert_eq!((counts.free, counts.paid, counts.comped), (2, 1, 1));
        let paying = store.paying_by_tier().await.unwrap();
        assert_eq!(paying.len(), 1);
        assert_eq!(
            (paying[0].tier.as_str(), paying[0].subscriptions),
            ("plus", 1)
        );
        store
            .save_member_counts(
                today - 1,
                MemberCounts {
                    day: 0,
                    free: 5,
                    paid: 2,
                    comped: 1,
                },
            )
            .await
            .unwrap();
        store
            .save_member_counts(
                today - 1,
                MemberCounts {
                    day: 0,
                    free: 6,
                    paid: 2,
                    comped: 1,
                },
            )
            .await
            .unwrap();
        let days = store.member_counts_by_day(today - 7, today).await.unwrap();
        assert_eq!(
            days,
            [MemberCounts {
                day: today - 1,
                free: 6,
                paid: 2,
                comped: 1
            }]
        );
        assert!(day_start_micros(today) <= now().timestamp_micros());
    })
    .await;
}
