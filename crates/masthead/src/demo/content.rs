//! Deterministic generator for "The Meridian Review", a fictional
//! national-security analysis publication used as demo content, and for cheap
//! synthetic posts used in load tests.
//!
//! All wording is assembled from the templates in this file. Identical inputs
//! give identical output (`ChaCha8` seeded from fixed values; no clock reads).
use std::collections::HashSet;
use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::model::{DemoAuthor, DemoKind, DemoPost, DemoSite, DemoTag};

pub const SITE_TITLE: &str = "The Meridian Review";
pub const SITE_DESCRIPTION: &str =
    "Clear-eyed analysis of national security, written by people who have worked the problems.";

/// Number of posts (kind `Post`) in [`demo_site`].
pub const DEMO_POST_COUNT: usize = 72;

const DEMO_SEED: u64 = 0x4D45_5249_4449_414E;

use super::phrasebook::{DEKS, HEADLINES};
pub use super::vocabulary::{AUTHOR_SLUGS, SECTION_SLUGS, TOPIC_SLUGS};
use super::vocabulary::{
    AUTHORS, SEC_DEEP, SEC_INTERVIEWS, SEC_NEWS, SEC_OPINION, SECTIONS, STAFF, TOPICS,
};

use super::writer::{
    Picker, Plan, fill, image_for, pick_author, pick_tags, pick_tpl, story, write_body,
};

// ---------------------------------------------------------------------------
// The demo site
// ---------------------------------------------------------------------------

/// The complete demo publication: tags, authors, [`DEMO_POST_COUNT`] posts
/// dated over the 182 days before `now` (newest first), then the About and
/// Contact pages. Everything except the dates is independent of `now`.
pub fn demo_site(now: DateTime<Utc>) -> DemoSite {
    let mut rng = ChaCha8Rng::seed_from_u64(DEMO_SEED);

    let mut tags: Vec<DemoTag> = SECTIONS
        .iter()
        .map(|s| DemoTag {
            name: s.name.to_string(),
            slug: s.slug.to_string(),
            description: s.description.to_string(),
            section: true,
        })
        .collect();
    tags.extend(TOPICS.iter().map(|t| DemoTag {
        name: t.name.to_string(),
        slug: t.slug.to_string(),
        description: t.description.to_string(),
        section: false,
    }));

    let authors = AUTHORS
        .iter()
        .map(|a| DemoAuthor {
            name: a.name.to_string(),
            slug: a.slug.to_string(),
            bio: a.bio.to_string(),
            credentials: a.credentials.to_string(),
            website: a.website.map(str::to_string),
        })
        .collect();

    let mut posts = demo_posts(&mut rng, now);
    posts.push(about_page(now));
    posts.push(contact_page(now));

    DemoSite {
        title: SITE_TITLE.to_string(),
        description: SITE_DESCRIPTION.to_string(),
        tags,
        authors,
        posts,
    }
}

#[allow(
    clippy::cast_possible_wrap,
    reason = "a few hundred demo posts: their indices fit an i64"
)]
fn demo_posts(rng: &mut ChaCha8Rng, now: DateTime<Utc>) -> Vec<DemoPost> {
    const N: usize = DEMO_POST_COUNT;

    // Section mix: 16 interviews, 18 opinion, 18 deep dives, 20 news.
    let mut sections: Vec<usize> = [
        (SEC_INTERVIEWS, 16),
        (SEC_OPINION, 18),
        (SEC_DEEP, 18),
        (SEC_NEWS, 20),
    ]
    .iter()
    .flat_map(|&(s, k)| std::iter::repeat_n(s, k))
    .collect();
    sections.shuffle(rng);
    // Lead with a deep dive.
    if let Some(j) = sections.iter().position(|&s| s == SEC_DEEP) {
        sections.swap(0, j);
    }

    // Every topic gets six stories.
    let mut topics: Vec<usize> = (0..N).map(|i| i % TOPICS.len()).collect();
    topics.shuffle(rng);

    // 18 members-only (1 in 4), 14 paid (about 1 in 5), the rest public.
    let mut vis: Vec<&'static str> = std::iter::repeat_n("members", 18)
        .chain(std::iter::repeat_n("paid", 14))
        .chain(std::iter::repeat_n("public", N - 32))
        .collect();
    vis.shuffle(rng);
    // The newest story is public; the second newest (a few days old) is paid
    // so a gated paid post sits near the top of the front page.
    if vis[0] != "public" {
        let j = vis.iter().position(|&v| v == "public").unwrap_or(0);
        vis.swap(0, j);
    }
    if vis[1] != "paid" {
        let j = (2..N).find(|&j| vis[j] == "paid").unwrap_or(1);
        vis.swap(1, j);
    }

    // Four featured stories: the newest plus three longer pieces.
    let mut featured = [false; N];
    featured[0] = true;
    let mut candidates: Vec<usize> = (2..N).filter(|&i| sections[i] != SEC_NEWS).collect();
    candidates.shuffle(rng);
    for &i in candidates.iter().take(3) {
        featured[i] = true;
    }

    // Ages in minutes: the newest within the last day, the rest evenly spread
    // (with jitter) back to about 178 days.
    let spacing = (178 * 1440) / (N as i64 - 1);
    let jitter = spacing * 2 / 5;

    let mut seen: HashSet<String> = HashSet::with_capacity(N);
    let mut posts = Vec::with_capacity(N + 2);
    for i in 0..N {
        let sec = sections[i];
        let age_min = if i == 0 {
            rng.random_range(45..=20 * 60)
        } else {
            (i as i64 * spacing + rng.random_range(-jitter..=jitter)).clamp(22 * 60, 181 * 1440)
        };

        // A headline unique across the site.
        let mut title = String::new();
        let mut c = story(rng, topics[i]);
        for attempt in 0.. {
            title.clear();
            fill(&mut title, pick_tpl(rng, HEADLINES[sec], &c), &c, rng, true);
            if !seen.contains(&title) {
                break;
            }
            if attempt > 200 {
                let _ = write!(title, ", Part {}", i + 2);
                break;
            }
            c = story(rng, topics[i]);
        }
        seen.insert(title.clone());

        let mut dek = String::new();
        fill(&mut dek, pick_tpl(rng, DEKS[sec], &c), &c, rng, false);

        let first = pick_author(rng, c.topic, sec, None);
        let mut authors = vec![AUTHORS[first].slug.to_string()];
        if (sec == SEC_DEEP || sec == SEC_NEWS) && rng.random_bool(0.2) {
            let second = pick_author(rng, c.topic, sec, Some(first));
            if second != first {
                authors.push(AUTHORS[second].slug.to_string());
            }
        }

        let mut tags = Vec::with_capacity(3);
        pick_tags(rng, &c, &mut tags);

        let visibility = vis[i];
        let plan = demo_plan(rng, sec, visibility != "public");
        let mut markdown = String::with_capacity(4096);
        let mut picker = Picker::new();
        write_body(&mut markdown, &plan, &c, rng, &mut picker);

        let image = Some(image_for(rng, &c));
        posts.push(DemoPost {
            kind: DemoKind::Post,
            title,
            slug: None,
            dek,
            section: Some(SECTIONS[sec].slug.to_string()),
            tags,
            authors,
            markdown,
            visibility,
            featured: featured[i],
            published_at: now - Duration::minutes(age_min),
            image,
        });
    }
    posts
}

fn demo_plan(rng: &mut ChaCha8Rng, sec: usize, gated: bool) -> Plan {
    let paras = match sec {
        SEC_NEWS => rng.random_range(6..=8),
        SEC_DEEP => rng.random_range(9..=12),
        SEC_OPINION => rng.random_range(6..=10),
        _ => rng.random_range(7..=10),
    };
    let intro_paras = if sec == SEC_INTERVIEWS {
        rng.random_range(1..=2)
    } else {
        0
    };
    let marker_after = gated.then(|| rng.random_range(2..=3));
    let first_heading = if sec == SEC_INTERVIEWS {
        rng.random_range(intro_paras + 1..=intro_paras + 3)
    } else {
        rng.random_range(2..=4)
    };
    let mut heading_mask = 1u32 << first_heading;
    let extra_headings = match sec {
        SEC_DEEP => rng.random_range(1..=2),
        SEC_OPINION => rng.random_range(0..=1),
        _ => 0,
    };
    let mut at = first_heading;
    for _ in 0..extra_headings {
        at += rng.random_range(2..=3);
        if at < paras - 1 {
            heading_mask |= 1 << at;
        }
    }
    let quote_chance = match sec {
        SEC_DEEP => 0.6,
        SEC_OPINION => 0.7,
        SEC_INTERVIEWS => 0.3,
        _ => 0.15,
    };
    let list_chance = match sec {
        SEC_DEEP => 0.4,
        SEC_NEWS => 0.35,
        SEC_OPINION => 0.2,
        _ => 0.0,
    };
    let quote_after = rng
        .random_bool(quote_chance)
        .then(|| rng.random_range(3..=paras - 2));
    let list_after = rng
        .random_bool(list_chance)
        .then(|| rng.random_range(2..=paras - 2))
        .filter(|&l| Some(l) != quote_after);
    Plan {
        section: sec,
        paras,
        intro_paras,
        marker_after,
        heading_mask,
        quote_after,
        list_after,
    }
}

fn page(now: DateTime<Utc>, title: &str, slug: &str, dek: &str, markdown: &str) -> DemoPost {
    DemoPost {
        kind: DemoKind::Page,
        title: title.to_string(),
        slug: Some(slug.to_string()),
        dek: dek.to_string(),
        section: None,
        tags: Vec::new(),
        authors: vec![AUTHORS[STAFF].slug.to_string()],
        markdown: markdown.to_string(),
        visibility: "public",
        featured: false,
        published_at: now - Duration::days(180),
        image: None,
    }
}

fn about_page(now: DateTime<Utc>) -> DemoPost {
    page(
        now,
        "About",
        "about",
        "Who we are, what we publish and how membership works.",
        ABOUT_MARKDOWN,
    )
}

fn contact_page(now: DateTime<Utc>) -> DemoPost {
    page(
        now,
        "Contact",
        "contact",
        "How to reach the editors, the membership team and the newsroom.",
        CONTACT_MARKDOWN,
    )
}

const ABOUT_MARKDOWN: &str = "\
The Meridian Review is an independent publication about national security, intelligence and foreign policy. Our contributors are former intelligence officers, retired military officers, diplomats and researchers who spent their careers close to the problems they now write about.

We publish four kinds of work. **Expert Interviews** are long conversations with practitioners. **Opinion** pieces make an argument and defend it. **Deep Dive** articles follow the evidence, the budgets and the history behind one question. **News** briefs explain what happened, why it matters and what to watch next.

## Membership

Reading The Meridian Review starts free. There are two levels of membership:

- **Free**: our weekly newsletter, every public article, and members-only pieces once you sign in with your email address.
- **Subscriber+**: everything in Free, plus every paid interview and deep dive, the full archive, and invitations to occasional live briefings with our contributors.

Subscriber+ costs $9 a month or $90 a year. You can cancel at any time from your account page, and you keep access until the end of the period you paid for.

## Editorial standards

Contributors disclose relevant affiliations at the foot of each piece. We correct errors promptly and note every correction on the article it concerns. Opinion pieces represent the views of their authors, not of the publication.

## About this site

The Meridian Review is a demonstration publication. Its contributors, sources, quotations and reporting are invented and generated automatically; they do not describe real people or real events.
";

const CONTACT_MARKDOWN: &str = "\
We read everything that comes in, although we cannot reply to every message.

## Editorial

- Story ideas and pitches: [pitches@example.com](mailto:pitches@example.com)
- Corrections: [corrections@example.com](mailto:corrections@example.com)
- Letters to the editor: [letters@example.com](mailto:letters@example.com)

## Membership and billing

Questions about Free or Subscriber+ membership, receipts, gift memberships or group subscriptions: [members@example.com](mailto:members@example.com). We aim to answer within two working days.

## Tips

If you have information you believe is in the public interest, write to [tips@example.com](mailto:tips@example.com) from a personal device and account. We will reply with more secure ways to continue the conversation.

## Press and partnerships

[press@example.com](mailto:press@example.com)

## By post

The Meridian Review, 1200 Example Avenue, Suite 300, Springfield, ST 00000
";

// ---------------------------------------------------------------------------
// Synthetic posts for load tests
// ---------------------------------------------------------------------------

fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One cheap, varied post for load tests: post number `index` of the stream
/// selected by `seed`. Titles carry the index so they are unique per seed;
/// dates fall within the three years before `now`.
pub fn synthetic_post(seed: u64, index: u64, now: DateTime<Utc>) -> DemoPost {
    let mut rng = ChaCha8Rng::seed_from_u64(mix64(mix64(seed) ^ index));
    let rng = &mut rng;

    let sec = match rng.random_range(0..100) {
        0..=14 => SEC_INTERVIEWS,
        15..=39 => SEC_OPINION,
        40..=64 => SEC_DEEP,
        _ => SEC_NEWS,
    };
    let topic = rng.random_range(0..TOPICS.len());
    let c = story(rng, topic);

    let mut title = String::with_capacity(96);
    let _ = write!(title, "{} {}: ", SECTIONS[sec].label, index);
    fill(&mut title, pick_tpl(rng, HEADLINES[sec], &c), &c, rng, true);

    let mut dek = String::with_capacity(128);
    fill(&mut dek, pick_tpl(rng, DEKS[sec], &c), &c, rng, false);

    let mut tags = Vec::with_capacity(3);
    pick_tags(rng, &c, &mut tags);
    let author = pick_author(rng, c.topic, sec, None);

    let visibility = match rng.random_range(0..100) {
        0..=9 => "paid",
        10..=24 => "members",
        _ => "public",
    };
    let paras = rng.random_range(4..=6);
    let plan = Plan {
        section: sec,
        paras,
        intro_paras: 1,
        marker_after: (visibility != "public").then_some(2),
        heading_mask: 1 << rng.random_range(2..paras),
        quote_after: rng.random_bool(0.2).then_some(paras - 2),
        list_after: None,
    };
    let mut markdown = String::with_capacity(3072);
    let mut picker = Picker::new();
    write_body(&mut markdown, &plan, &c, rng, &mut picker);

    let age_min = rng.random_range(1..=3 * 365 * 1440i64);
    DemoPost {
        kind: DemoKind::Post,
        title,
        slug: None,
        dek,
        section: Some(SECTIONS[sec].slug.to_string()),
        tags,
        authors: vec![AUTHORS[author].slug.to_string()],
        markdown,
        visibility,
        featured: false,
        published_at: now - Duration::minutes(age_min),
        image: None,
    }
}
