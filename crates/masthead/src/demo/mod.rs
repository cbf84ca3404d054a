//! The demo publication: generated tags, authors, posts, pages and lead images, saved into an
//! empty site by `masthead demo`.

pub mod content;
pub mod model;
mod phrasebook;
pub mod picture;
#[cfg(test)]
mod tests;
mod vocabulary;
mod writer;

use crate::compose::{ComposeError, Composer, Draft, new_id, save};
use crate::ops::signin::sign_in_link;
use crate::ops::{Ops, OpsError};
use chrono::Utc;
use domain::{
    Author, Email, InvalidInput, LeadImage, PostKind, Slug, Status, Tag, TagKind, Tier, Visibility,
};
use indicatif::{ProgressBar, ProgressStyle};
use model::{DemoKind, DemoPost, DemoSite};
use std::path::{Path, PathBuf};
use store::{Store, StoreError};

/// Why the demo (or `masthead seed`) could not be installed.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot write {}", .0.display())]
    Write(PathBuf, #[source] std::io::Error),
    #[error("generating demo images failed")]
    Images,
    #[error("a generated post is invalid: {0}")]
    Invalid(#[from] InvalidInput),
    #[error("saving posts failed; nothing was written")]
    Save(#[source] StoreError),
    #[error(transparent)]
    Compose(#[from] ComposeError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ops(#[from] OpsError),
}

type Result<T, E = DemoError> = std::result::Result<T, E>;

/// Installs the demo publication when the site has no posts yet. Returns whether it did.
pub async fn install_if_empty(store: &Store, media_dir: &Path) -> Result<bool> {
    if store.count_posts().await? > 0 {
        tracing::info!("the site already has posts; leaving it as it is");
        return Ok(false);
    }
    install(store, media_dir).await?;
    Ok(true)
}

/// Writes the demo's images and saves its content in one transaction.
pub async fn install(store: &Store, media_dir: &Path) -> Result<()> {
    let now = Utc::now();
    let site = content::demo_site(now);
    let image_dir = media_dir.join("demo");
    std::fs::create_dir_all(&image_dir).map_err(|e| DemoError::Write(image_dir.clone(), e))?;
    let progress =
        ProgressBar::new(site.posts.len() as u64).with_message("creating the demo publication");
    progress.set_style(
        ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let images = write_images(&image_dir, &site.posts)?;
    let mut composer = Composer::new(store);
    register(&mut composer, &site)?;
    let mut posts = Vec::with_capacity(site.posts.len());
    for (demo, image) in site.posts.into_iter().zip(images) {
        let mut post = composer.compose(draft(demo, image)?, now).await?;
        // Demo stories were "published" in the past; their last edit is their publication.
        post.updated_at = post.published_at.unwrap_or(now);
        posts.push(post);
        progress.inc(1);
    }
    save(store, &posts).await.map_err(DemoError::Save)?;
    store.set_setting("title", &site.title).await?;
    store.set_setting("description", &site.description).await?;
    install_membership(store).await?;
    progress.finish_with_message("demo publication ready");
    Ok(())
}

fn register(composer: &mut Composer<'_>, site: &DemoSite) -> Result<()> {
    for t in &site.tags {
        composer.known_tag(Tag {
            id: new_id(),
            slug: Slug::parse(&t.slug)?,
            name: t.name.clone(),
            description: t.description.clone(),
            kind: if t.section {
                TagKind::Section
            } else {
                TagKind::Topic
            },
            meta: domain::TagMeta::default(),
        });
    }
    for a in &site.authors {
        composer.known_author(Author {
            id: new_id(),
            slug: Slug::parse(&a.slug)?,
            name: a.name.clone(),
            bio: a.bio.clone(),
            credentials: a.credentials.clone(),
            avatar: None,
            website: a.website.clone(),
        });
    }
    Ok(())
}

/// Generates every post's lead image, on all cores (this is most of the demo's start-up time).
fn write_images(dir: &Path, posts: &[DemoPost]) -> Result<Vec<Option<LeadImage>>> {
    let threads = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let chunk = posts.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = posts
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|demo| {
                            demo.image
                                .as_ref()
                                .map(|img| write_image(dir, demo, img))
                                .transpose()
                        })
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        let mut all = Vec::with_capacity(posts.len());
        for worker in workers {
            let part = worker.join().map_err(|_| DemoError::Images)??;
            all.extend(part);
        }
        Ok(all)
    })
}

fn write_image(dir: &Path, demo: &DemoPost, img: &model::DemoImage) -> Result<LeadImage> {
    let (width, height) = picture::dimensions();
    let name = format!("{}.jpg", Slug::from_text(&demo.title));
    let path = dir.join(&name);
    std::fs::write(&path, picture::lead_image_jpeg(img.seed, width, height))
        .map_err(|e| DemoError::Write(path.clone(), e))?;
    Ok(LeadImage {
        url: format!("/content/images/demo/{name}"),
        width: Some(width),
        height: Some(height),
        alt: img.alt.clone(),
        caption: img.caption.clone(),
        credit: img.credit.clone(),
    })
}

/// A generated post as an editor's draft.
pub fn draft(demo: DemoPost, image: Option<LeadImage>) -> Result<Draft> {
    let kind = match demo.kind {
        DemoKind::Post => PostKind::Post,
        DemoKind::Page => PostKind::Page,
    };
    let mut d = Draft::new(kind, &demo.title, &demo.markdown);
    d.slug = demo.slug;
    d.dek = demo.dek;
    d.section = demo.section;
    d.tags = demo.tags;
    d.authors = demo.authors;
    d.visibility = Visibility::parse(demo.visibility)?;
    d.status = Status::Published;
    d.published_at = Some(demo.published_at);
    d.featured = demo.featured;
    d.image = image;
    Ok(d)
}

/// The demo's free reader and Subscriber+ member.
pub const DEMO_MEMBERS: [(&str, &str, Option<&str>); 2] = [
    ("reader@example.com", "Riley Reader", None),
    (
        "subscriber@example.com",
        "Sam Subscriber",
        Some("subscriber-plus"),
    ),
];

/// Tiers (Free and Subscriber+), the meter for signed-in free members, and two demo members.
async fn install_membership(store: &Store) -> Result<()> {
    let tier = |slug: &str,
                name: &str,
                description: &str,
                benefits: &[&str],
                monthly: u32,
                yearly: u32| Tier {
        id: new_id(),
        slug: Slug::parse(slug).unwrap_or_else(|_| Slug::from_text(slug)),
        name: name.into(),
        description: description.into(),
        benefits: benefits.iter().map(|b| (*b).to_owned()).collect(),
        monthly_price: monthly,
        yearly_price: yearly,
        currency: "usd".into(),
        trial_days: 0,
        active: true,
    };
    store
        .upsert_tier(
            &tier(
                "free",
                "Free",
                "News, opinion and members-only stories.",
                &["Members-only stories", "Three paid articles a month"],
                0,
                0,
            ),
            Utc::now(),
        )
        .await?;
    store
        .upsert_tier(
            &tier(
                "subscriber-plus",
                "Subscriber+",
                "Every analysis, interview and briefing in full.",
                &[
                    "All Deep Dives and Expert Interviews",
                    "Ten gift links a month",
                    "The weekly briefing",
                ],
                800,
                8000,
            ),
            Utc::now(),
        )
        .await?;
    // Signed-in free members read three paid stories a month; anonymous readers meet the paywall.
    store.set_setting("meter_members", "3").await?;
    store.set_setting("meter_anonymous", "0").await?;
    for (email, name, tier) in DEMO_MEMBERS {
        let member = store
            .create_member(&new_id(), &Email::parse(email)?, name, Utc::now())
            .await?;
        if let Some(tier) = tier {
            store
                .put_subscription(
                    &member.id,
                    &domain::billing::comp(Slug::parse(tier)?, None),
                    Utc::now(),
                )
                .await?;
        }
    }
    Ok(())
}

/// A demo member's fresh sign-in link.
pub struct MemberLink {
    /// "free member" or "Subscriber+ member".
    pub who: &'static str,
    pub email: Email,
    /// Works once, for 15 minutes.
    pub link: String,
}

/// Fresh sign-in links for the demo members the site has.
pub async fn member_links(store: &Store, public_url: &str) -> Result<Vec<MemberLink>> {
    let ops = Ops::detached(store, public_url);
    let mut links = Vec::new();
    for (email, _, tier) in DEMO_MEMBERS {
        let Ok(email) = Email::parse(email) else {
            continue;
        };
        if store.member_by_email(&email).await?.is_none() {
            continue;
        }
        let link = sign_in_link(&ops, &email).await?;
        let who = if tier.is_some() {
            "Subscriber+ member"
        } else {
            "free member"
        };
        links.push(MemberLink { who, email, link });
    }
    Ok(links)
}
