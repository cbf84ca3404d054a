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
    }
}

fn member(paid: bool, tiers: &[&str]) -> Viewer {
    Viewer::Member(MemberAccess {
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
    let full = match (v, viewer) {
        (Visibility::Public, _) | (_, Viewer::Staff) => true,
        (_, Viewer::Anonymous) => false,
        (Visibility::Members, _) => true,
        (Visibility::Paid, Viewer::Member(m)) => m.paid,
        (Visibility::Tiers(_), Viewer::Member(m)) => {
            m.paid && m.tiers.iter().any(|t| t.as_str() == "subscriber-plus")
        }
    };
    if full { Access::Full } else { Access::Preview }
}

#[test]
fn access_matrix() {
    let viewers = [
        Viewer::Anonymous,
        member(false, &[]),
        member(true, &["subscriber-plus"]),
        member(true, &["other-tier"]),
        Viewer::Staff,
    ];
    for v in visibilities() {
        for viewer in &viewers {
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
        project(&draft, &Viewer::Anonymous, now()).access,
        Access::Denied
    );
    assert!(project(&draft, &Viewer::Anonymous, now()).html.is_empty());
    assert_eq!(project(&draft, &Viewer::Staff, now()).access, Access::Full);

    let mut future = post(Visibility::Public, false, Status::Published);
    future.published_at = Some(now() + chrono::Duration::hours(1));
    assert_eq!(
        decide(&future, &member(true, &["subscriber-plus"]), now()),
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
    let preview = project(&p, &Viewer::Anonymous, now());
    assert_eq!(preview.reading_minutes(), 1);
    assert_eq!(preview.excerpt(12), "One two…");
    let full = project(&p, &Viewer::Staff, now());
    assert_eq!(full.reading_minutes(), 5);
}

#[test]
fn description_prefers_meta_then_dek() {
    let mut p = post(Visibility::Public, false, Status::Published);
    assert_eq!(
        project(&p, &Viewer::Anonymous, now()).description(),
        "Free opening"
    );
    p.dek = "The dek".into();
    assert_eq!(
        project(&p, &Viewer::Anonymous, now()).description(),
        "The dek"
    );
    p.meta_description = Some("Meta".into());
    assert_eq!(project(&p, &Viewer::Anonymous, now()).description(), "Meta");
}
