//! The access matrix: every visibility × viewer × body split, checked for what leaks.

use super::*;
use crate::{Body, BodyPart};
use chrono::TimeZone;

const CANARY: &str = "CANARY-GATED-7f3a";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap()
}

fn part(s: &str) -> BodyPart {
    BodyPart {
        html: format!("<p>{s}</p>"),
        text: s.to_owned(),
    }
}

fn post(visibility: Visibility, gated: bool, status: Status) -> Post {
    let gated_part = gated.then(|| part(&format!("Secret {CANARY} analysis")));
    Post {
        id: "p1".into(),
        kind: PostKind::Post,
        slug: Slug::parse("a-post").unwrap(),
        title: "A post".into(),
        dek: String::new(),
        tags: vec![],
        authors: vec![],
        body: Body::new("md".into(), part("Free opening"), gated_part),
        image: None,
        status,
        published_at: Some(now() - chrono::Duration::days(1)),
        created_at: now(),
        updated_at: now(),
        visibility,
        featured: false,
        meta_title: None,
        meta_description: None,
        canonical_url: None,
        social: crate::Social::default(),
    }
}

fn member(paid: bool, tiers: &[&str]) -> Viewer {
    Viewer::member(MemberAccess {
        paid,
        tiers: tiers.iter().map(|t| Slug::parse(t).unwrap()).collect(),
    })
}

fn visibilities() -> Vec<Visibility> {
    vec![
        Visibility::Public,
        Visibility::Members,
        Visibility::Paid,
        Visibility::tiers(&["subscriber-plus"]).unwrap(),
    ]
}

fn expected(v: &Visibility, viewer: &Viewer) -> Access {
    let entitled = match (v, &viewer.who) {
        (Visibility::Public, _) | (_, Who::Staff) => true,
        (_, Who::Anonymous) => false,
        (Visibility::Members, _) => true,
        (Visibility::Paid, Who::Member(m)) => m.paid,
        (Visibility::Tiers(_), Who::Member(m)) => {
            m.paid && m.tiers.iter().any(|t| t.as_str() == "subscriber-plus")
        }
    };
    let unlocked = viewer.gift_for.as_deref() == Some("p1")
        || matches!(viewer.meter, Meter::Counted | Meter::Remaining(1..));
    if entitled || unlocked {
        Access::Full
    } else {
        Access::Preview
    }
}

/// Every kind of viewer the site knows, each with and without a meter allowance or a gift.
fn viewers() -> Vec<Viewer> {
    let base = [
        Viewer::anonymous(),
        member(false, &[]),
        member(true, &["subscriber-plus"]),
        member(true, &["other-tier"]),
        Viewer::staff(),
    ];
    let mut all = Vec::new();
    for v in base {
        all.push(v.clone().with_meter(Meter::Remaining(0)));
        all.push(v.clone().with_meter(Meter::Remaining(2)));
        all.push(v.clone().with_meter(Meter::Counted));
        all.push(v.clone().with_gift("another-post"));
        all.push(v.clone().with_gift("p1"));
        all.push(v);
    }
    all
}

#[test]
fn access_matrix() {
    for v in visibilities() {
        for viewer in &viewers() {
            for gated in [false, true] {
                let p = post(v.clone(), gated, Status::Published);
                let view = project(&p, viewer, now());
                let want = expected(&v, viewer);
                assert_eq!(view.access, want, "{v:?} {viewer:?}");
                let leaked = view.html.contains(CANARY) || view.text.contains(CANARY);
                assert_eq!(
                    leaked,
                    gated && want == Access::Full,
                    "{v:?} {viewer:?} gated={gated}"
                );
                assert_eq!(view.gated_withheld, gated && want != Access::Full);
                assert!(view.html.contains("Free opening"));
                assert_eq!(
                    view.html.contains("class=\"gated\""),
                    gated && want == Access::Full
                );
                for surface in [view.excerpt(1000), view.description()] {
                    assert!(!surface.contains(CANARY) || want == Access::Full);
                }
            }
        }
    }
}

#[test]
fn drafts_and_future_posts_are_denied_to_readers_but_not_staff() {
    let draft = post(Visibility::Public, true, Status::Draft);
    assert_eq!(
        project(&draft, &Viewer::anonymous(), now()).access,
        Access::Denied
    );
    assert!(project(&draft, &Viewer::anonymous(), now()).html.is_empty());
    assert_eq!(
        project(&draft, &Viewer::staff(), now()).access,
        Access::Full
    );

    let mut future = post(Visibility::Public, false, Status::Published);
    future.published_at = Some(now() + chrono::Duration::hours(1));
    assert_eq!(
        decide(&future, &member(true, &["subscriber-plus"]), now()).0,
        Access::Denied
    );
}

#[test]
fn excerpt_and_reading_time_come_from_the_visible_part() {
    let mut p = post(Visibility::Paid, true, Status::Published);
    p.body = Body::new(
        "md".into(),
        part("One two three four five six"),
        Some(part(&"gated ".repeat(1000))),
    );
    let preview = project(&p, &Viewer::anonymous(), now());
    assert_eq!(preview.reading_minutes(), 1);
    assert_eq!(preview.excerpt(12), "One two…");
    let full = project(&p, &Viewer::staff(), now());
    assert_eq!(full.reading_minutes(), 5);
}

#[test]
fn description_prefers_meta_then_dek() {
    let mut p = post(Visibility::Public, false, Status::Published);
    assert_eq!(
        project(&p, &Viewer::anonymous(), now()).description(),
        "Free opening"
    );
    p.dek = "The dek".into();
    assert_eq!(
        project(&p, &Viewer::anonymous(), now()).description(),
        "The dek"
    );
    p.meta_description = Some("Meta".into());
    assert_eq!(
        project(&p, &Viewer::anonymous(), now()).description(),
        "Meta"
    );
}

#[test]
fn meter_and_gift_report_what_unlocked_the_post() {
    let p = post(Visibility::Paid, true, Status::Published);
    let metered = project(
        &p,
        &Viewer::anonymous().with_meter(Meter::Remaining(1)),
        now(),
    );
    assert_eq!(
        (metered.access, metered.unlocked_by),
        (Access::Full, Some(Unlock::Meter))
    );
    let gifted = project(&p, &Viewer::anonymous().with_gift("p1"), now());
    assert_eq!(
        (gifted.access, gifted.unlocked_by),
        (Access::Full, Some(Unlock::Gift))
    );
    let paid = project(&p, &member(true, &[]), now());
    assert_eq!((paid.access, paid.unlocked_by), (Access::Full, None));
    let public = post(Visibility::Public, false, Status::Published);
    let reader = project(
        &public,
        &Viewer::anonymous().with_meter(Meter::Remaining(3)),
        now(),
    );
    assert_eq!(
        reader.unlocked_by, None,
        "public posts never use up the meter"
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn any_viewer() -> impl Strategy<Value = Viewer> {
        (0..5usize, 0..4u32, any::<bool>(), any::<bool>()).prop_map(
            |(kind, meter, counted, gift)| {
                let who = match kind {
                    0 => Who::Anonymous,
                    1 => Who::Member(MemberAccess::default()),
                    2 => Who::Member(MemberAccess {
                        paid: true,
                        tiers: vec![Slug::parse("subscriber-plus").unwrap()],
                    }),
                    3 => Who::Member(MemberAccess {
                        paid: true,
                        tiers: vec![Slug::parse("basic").unwrap()],
                    }),
                    _ => Who::Staff,
                };
                let meter = if counted {
                    Meter::Counted
                } else if meter == 0 {
                    Meter::Off
                } else {
                    Meter::Remaining(meter - 1)
                };
                Viewer {
                    who,
                    meter,
                    gift_for: gift.then(|| "p1".to_owned()),
                    preview_of: None,
                }
            },
        )
    }

    proptest! {
        /// Whatever the gated text, visibility and viewer, a view that is not Full carries none of it.
        #[test]
        fn a_non_full_view_never_contains_gated_text(
            gated_word in "[a-z]{12,20}",
            vis in 0..4usize,
            viewer in any_viewer(),
        ) {
            let mut p = post(visibilities()[vis].clone(), true, Status::Published);
            p.body = Body::new("md".into(), part("Free opening"), Some(part(&format!("ZQ{gated_word}"))));
            let view = project(&p, &viewer, now());
            if view.access != Access::Full {
                let needle = format!("ZQ{gated_word}");
                prop_assert!(!view.html.contains(&needle));
                prop_assert!(!view.text.contains(&needle));
                prop_assert!(!view.excerpt(10_000).contains(&needle));
                prop_assert!(!view.description().contains(&needle));
                let debug = format!("{view:?}");
                prop_assert!(!debug.contains(&needle));
            }
        }
    }
}

#[test]
fn subscriptions_map_to_entitlements() {
    use crate::billing::{Subscription, SubscriptionStatus, comp};
    let plus = Slug::parse("subscriber-plus").unwrap();
    let grace = chrono::Duration::days(7);
    let stripe = |status, past_due_days: i64| Subscription {
        tier: plus.clone(),
        status,
        stripe_subscription_id: Some("sub".into()),
        stripe_customer_id: Some("cus".into()),
        current_period_end: Some(now() + chrono::Duration::days(10)),
        past_due_since: (past_due_days > 0).then(|| now() - chrono::Duration::days(past_due_days)),
        comped_until: None,
        cancel_at_period_end: false,
        last_event_at: None,
    };
    let paid_post = post(Visibility::Paid, true, Status::Published);
    let cases: Vec<(&str, Option<Subscription>, bool)> = vec![
        ("free member", None, false),
        ("active", Some(stripe(SubscriptionStatus::Active, 0)), true),
        (
            "trialing",
            Some(stripe(SubscriptionStatus::Trialing, 0)),
            true,
        ),
        (
            "past due in grace",
            Some(stripe(SubscriptionStatus::PastDue, 3)),
            true,
        ),
        (
            "past due too long",
            Some(stripe(SubscriptionStatus::PastDue, 8)),
            false,
        ),
        (
            "canceled",
            Some(stripe(SubscriptionStatus::Canceled, 0)),
            false,
        ),
        ("comped", Some(comp(plus.clone(), None)), true),
        (
            "comp ended",
            Some(comp(plus.clone(), Some(now() - chrono::Duration::hours(1)))),
            false,
        ),
        (
            "comp to free tier",
            Some(comp(Slug::parse("free").unwrap(), None)),
            false,
        ),
    ];
    for (name, sub, full) in cases {
        let access = MemberAccess::from_subscription(sub.as_ref(), now(), grace);
        let view = project(&paid_post, &Viewer::member(access), now());
        assert_eq!(view.access == Access::Full, full, "{name}");
        assert_eq!(view.html.contains(CANARY), full, "{name}");
    }
}

#[test]
fn searching_follows_the_same_rule_as_reading() {
    for v in visibilities() {
        for viewer in viewers() {
            let p = post(v.clone(), true, Status::Published);
            // Meters and gift links open one post for reading, never the archive for searching.
            let plain = Viewer {
                meter: Meter::Off,
                gift_for: None,
                ..viewer.clone()
            };
            let reads = decide(&p, &plain, now()).0 == Access::Full;
            let searches = Entitlement::of(&viewer).admits(&audiences(&v));
            assert_eq!(searches, reads, "{v:?} {viewer:?}");
        }
    }
    let unpaid_tier = member(false, &["subscriber-plus"]);
    let tiered = Visibility::tiers(&["subscriber-plus"]).unwrap();
    assert!(!Entitlement::of(&unpaid_tier).admits(&audiences(&tiered)));
    let two = Visibility::tiers(&["basic", "subscriber-plus"]).unwrap();
    assert!(Entitlement::of(&member(true, &["subscriber-plus"])).admits(&audiences(&two)));
}

#[test]
fn only_the_search_index_receives_gated_text_and_never_in_a_log() {
    let p = post(Visibility::Paid, true, Status::Published);
    let gated = gated_text_for_search(&p).expect("a gated part");
    assert!(gated.text.contains(CANARY) && !gated.text.contains("Free opening"));
    assert_eq!(
        gated
            .audiences
            .iter()
            .map(Audience::as_str)
            .collect::<Vec<_>>(),
        ["paid"]
    );
    assert!(!format!("{gated:?}").contains(CANARY));
    let tiers = post(
        Visibility::tiers(&["a", "b"]).unwrap(),
        true,
        Status::Published,
    );
    let keys: Vec<String> = gated_text_for_search(&tiers)
        .unwrap()
        .audiences
        .iter()
        .map(|a| a.as_str().to_owned())
        .collect();
    assert_eq!(keys, ["tier:a", "tier:b"]);
    assert_eq!(
        gated_text_for_search(&post(Visibility::Paid, false, Status::Published)),
        None
    );
}

/// A preview (share link, newsroom preview) makes a draft or scheduled post visible to its
/// viewer, and decides how much exactly as for the live post: the same matrix, the same
/// canary rule. It opens only the post it names.
#[test]
fn a_preview_of_a_post_in_any_status_follows_the_live_rule() {
    for status in [Status::Draft, Status::Scheduled, Status::Published] {
        for v in visibilities() {
            for viewer in &viewers() {
                let p = post(v.clone(), true, status);
                let previewer = viewer.clone().with_preview("p1");
                let view = project(&p, &previewer, now());
                let want = expected(&v, viewer);
                assert_eq!(view.access, want, "{status:?} {v:?} {viewer:?}");
                assert_eq!(view.html.contains(CANARY), want == Access::Full);
                let elsewhere = viewer.clone().with_preview("another-post");
                let other = decide(&p, &elsewhere, now()).0;
                assert_eq!(other, decide(&p, viewer, now()).0, "{status:?} {viewer:?}");
            }
        }
    }
}
