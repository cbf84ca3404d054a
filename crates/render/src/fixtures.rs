//! Test data for this crate's unit tests: a site, authors, tags and posts with a gated part.

use crate::context::{Logo, SiteInfo};
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::{
    Author, Body, BodyPart, LeadImage, Post, PostKind, Slug, Status, Tag, TagKind, Visibility,
};

pub const CANARY: &str = "GATEDCANARY42";

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
}

pub fn site() -> SiteInfo {
    SiteInfo {
        navigation: None,
        footer_links: vec![],
        social: vec![],
        accent: None,
        title: "The Test Review".into(),
        description: "Analysis.".into(),
        url: "https://news.example".into(),
        language: "en".into(),
        paid_tier_name: "Subscriber+".into(),
        sections: vec![],
        topics: vec![],
        logo: Logo {
            url: "/logo.png".into(),
            width: Some(512),
            height: Some(512),
        },
        icon: "/favicon.ico".into(),
        code_head: String::new(),
        code_foot: String::new(),
        now: now(),
    }
}

pub fn tag(slug: &str, kind: TagKind) -> Tag {
    Tag {
        id: format!("tag-{slug}"),
        slug: Slug::parse(slug).unwrap(),
        name: slug.replace('-', " ").to_uppercase(),
        description: String::new(),
        kind,
        meta: domain::TagMeta::default(),
    }
}

pub fn author(slug: &str) -> Author {
    Author {
        id: format!("author-{slug}"),
        slug: Slug::parse(slug).unwrap(),
        name: format!("Writer {slug}"),
        bio: format!("{slug} covers defence."),
        credentials: "Former analyst".into(),
        avatar: None,
        website: None,
    }
}

/// A published post; `gated` adds a gated part holding `CANARY`.
pub fn post(slug: &str, visibility: Visibility, gated: bool) -> Post {
    let part = |html: &str, text: &str| BodyPart {
        html: html.into(),
        text: text.into(),
    };
    let gated_part = gated.then(|| {
        part(
            &format!("<p>Secret {CANARY}.</p>"),
            &format!("Secret {CANARY}."),
        )
    });
    Post {
        id: format!("id-{slug}"),
        kind: PostKind::Post,
        slug: Slug::parse(slug).unwrap(),
        title: format!("Title of {slug}"),
        dek: format!("Dek of {slug}"),
        tags: vec![
            tag("deep-dive", TagKind::Section),
            tag("china", TagKind::Topic),
        ],
        authors: vec![author("amy")],
        body: Body::new(
            "md".into(),
            part(
                r#"<p>Free opening with <a href="/tag/china/">a link</a> and <img src="/content/images/x.jpg" alt="x">.</p>"#,
                "Free opening.",
            ),
            gated_part,
        ),
        image: Some(LeadImage {
            url: "/content/images/lead.jpg".into(),
            width: Some(1200),
            height: Some(675),
            alt: "Cranes".into(),
            caption: "The port at dusk.".into(),
            credit: "Photo: Desk".into(),
        }),
        status: Status::Published,
        published_at: Some(now() - Duration::hours(2)),
        created_at: now() - Duration::hours(3),
        updated_at: now() - Duration::hours(1),
        visibility,
        featured: false,
        meta_title: None,
        meta_description: None,
        canonical_url: None,
        social: domain::Social::default(),
    }
}
