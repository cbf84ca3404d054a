//! The store suite: every test runs on a temp SQLite file and, when available, on PostgreSQL.
#![allow(
    clippy::unwrap_used,
    clippy::missing_panics_doc,
    reason = "test helpers panic on failure, and the failing test says where"
)]
#![allow(
    clippy::too_many_lines,
    reason = "a test is one scenario, read from top to bottom"
)]

mod access_clock;
mod analytics;
mod auth;
mod authors;
mod browse;
mod content;
mod jobs;
mod media;
mod member_console;
mod member_events;
mod members;
mod newsletters;
mod newsroom;
mod newsroom_fields;
mod outbox;
mod revisions;
mod schema;
mod sitemaps;
mod staff;
mod stripe_events;
mod tiers_offers;
mod webhooks;

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::{
    Author, Body, BodyPart, LeadImage, Post, PostKind, Slug, Status, Tag, TagKind, Visibility,
};
use store::{Backend, FeedPosition, PostFilter, Store, StoreError, testing};

/// Runs `check` once per available backend.
pub async fn each_backend<F, Fut>(check: F)
where
    F: Fn(Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    check(testing::sqlite(dir.path()).await.unwrap()).await;
    if let Some(admin) = testing::postgres_admin_url() {
        let (store, _) = testing::postgres(&admin).await.unwrap();
        check(store).await;
    }
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap() + Duration::microseconds(123_456)
}

pub fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn tag(slug: &str, kind: TagKind) -> Tag {
    Tag {
        id: id(),
        slug: Slug::parse(slug).unwrap(),
        name: slug.to_uppercase(),
        description: format!("About {slug}"),
        kind,
        meta: domain::TagMeta::default(),
    }
}

pub fn author(slug: &str) -> Author {
    Author {
        id: id(),
        slug: Slug::parse(slug).unwrap(),
        name: slug.to_owned(),
        bio: "Bio".into(),
        credentials: "Former analyst".into(),
        avatar: None,
        website: Some("https://example.com".into()),
    }
}

/// A test-data builder for posts.
pub struct PostBuilder(Post);

impl PostBuilder {
    pub fn new(slug: &str) -> PostBuilder {
        let part = |s: &str| BodyPart {
            html: format!("<p>{s}</p>"),
            text: s.to_owned(),
        };
        PostBuilder(Post {
            id: id(),
            kind: PostKind::Post,
            slug: Slug::parse(slug).unwrap(),
            title: format!("Title of {slug}"),
            dek: format!("Dek of {slug}"),
            tags: vec![],
            authors: vec![],
            body: Body::new("md".into(), part("free"), None),
            image: None,
            status: Status::Published,
            published_at: Some(now() - Duration::hours(1)),
            created_at: now(),
            updated_at: now(),
            visibility: Visibility::Public,
            featured: false,
            meta_title: None,
            meta_description: None,
            canonical_url: None,
            social: domain::Social::default(),
        })
    }
    pub fn tags(mut self, tags: &[&Tag]) -> Self {
        self.0.tags = tags.iter().map(|t| (*t).clone()).collect();
        self
    }
    pub fn authors(mut self, authors: &[&Author]) -> Self {
        self.0.authors = authors.iter().map(|a| (*a).clone()).collect();
        self
    }
    pub fn published_hours_ago(mut self, h: i64) -> Self {
        self.0.published_at = Some(now() - Duration::hours(h));
        self
    }
    pub fn status(mut self, s: Status) -> Self {
        self.0.status = s;
        self
    }
    pub fn featured(mut self) -> Self {
        self.0.featured = true;
        self
    }
    pub fn page(mut self) -> Self {
        self.0.kind = PostKind::Page;
        self
    }
    pub fn build(self) -> Post {
        self.0
    }
}

/// A webhook following `event`, to a closed port on loopback (the store never sends).
pub fn hook(event: domain::WebhookEvent) -> store::Webhook {
    store::Webhook {
        id: id(),
        event,
        target_url: domain::TargetUrl::parse("http://127.0.0.1:9/hook").unwrap(),
        name: None,
        secret: None,
        api_version: "v6".into(),
        integration_id: None,
        created_at: now(),
        updated_at: now(),
        last_triggered_at: None,
        last_triggered_status: None,
        last_triggered_error: None,
    }
}

/// An event a write queues in its transaction, with `body`.
pub fn outgoing(event: domain::WebhookEvent, body: &str) -> store::Outgoing {
    store::Outgoing {
        event,
        body: body.into(),
    }
}
