//! Story-writing machinery shared by the demo publication and the synthetic posts: template
//! filling, body plans and the picks of authors, tags and images.

use std::fmt::Write as _;

use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use super::model::DemoImage;
use super::phrasebook::{
    ANSWER_OPENERS, CAPITALS, CAPTIONS, EDIT_NOTE, INTRO_TOPIC, INTRO_WHO, LIST_INTROS, MIX,
    NUMBER_WORDS, P_ANALYSIS, P_ANSWER, P_CLOSING, P_CONTEXT, P_HEADING, P_IMPLICATION,
    P_INTERVIEW_HEADING, P_LIST_ITEM, P_NEWS_LEDE, P_OPENING, P_OPINION, P_QUESTION, POOLS, ROLES,
    SMALL_WORDS, SOURCES,
};
use super::picture::palette_description;
use super::vocabulary::{AUTHORS, SEC_INTERVIEWS, SEC_NEWS, SEC_OPINION, STAFF, TOPICS};

/// The line that separates a gated post's free preview from the rest.
pub const MEMBERS_MARKER: &str = "<!--members-only-->";
pub const IMAGE_CREDIT: &str = "Illustration: The Meridian Review / generated";
// ---------------------------------------------------------------------------
// Template filling
// ---------------------------------------------------------------------------

/// The choices one story is written around.
#[derive(Clone, Copy)]
pub(super) struct Ctx {
    pub(super) topic: usize,
    pub(super) related: usize,
    pub(super) actor: (&'static str, &'static str, bool),
    pub(super) subject: &'static str,
    pub(super) place: &'static str,
    pub(super) capital: &'static str,
    pub(super) role: usize,
    pub(super) years: u32,
}

pub(super) fn pick<T: Copy>(rng: &mut ChaCha8Rng, xs: &[T]) -> T {
    *xs.choose(rng).expect("template pools are never empty")
}

/// Whether a template suits the story's actor (see `Topic::actors`).
pub(super) fn suits(tpl: &str, c: &Ctx) -> bool {
    match tpl.as_bytes().first() {
        Some(b'!') => c.actor.2,
        Some(b'+') => !c.actor.2,
        _ => true,
    }
}

/// A random template from `items` that suits the story's actor.
pub(super) fn pick_tpl(rng: &mut ChaCha8Rng, items: &[&'static str], c: &Ctx) -> &'static str {
    for _ in 0..8 {
        let t = pick(rng, items);
        if suits(t, c) {
            return t;
        }
    }
    items
        .iter()
        .copied()
        .find(|t| suits(t, c))
        .unwrap_or(items[0])
}

pub(super) fn story(rng: &mut ChaCha8Rng, topic: usize) -> Ctx {
    let t = &TOPICS[topic];
    let actor = pick(rng, t.actors);
    let mut capital = pick(rng, CAPITALS);
    while capital == actor.0 {
        capital = pick(rng, CAPITALS);
    }
    Ctx {
        topic,
        related: pick(rng, t.related),
        actor,
        subject: pick(rng, t.subjects),
        place: pick(rng, t.places),
        capital,
        role: pick(rng, t.roles),
        years: rng.random_range(18..=34),
    }
}

pub(super) fn push_title(out: &mut String, s: &str) {
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if SMALL_WORDS.contains(&word) {
            out.push_str(word);
            continue;
        }
        // Each hyphenated part is capitalized except small words after the
        // first ("Hack-and-Leak").
        for (k, part) in word.split('-').enumerate() {
            if k > 0 {
                out.push('-');
            }
            let mut chars = part.chars();
            match chars.next() {
                Some(ch) if k == 0 || !SMALL_WORDS.contains(&part) => {
                    out.push(ch.to_ascii_uppercase());
                    out.push_str(chars.as_str());
                }
                _ => out.push_str(part),
            }
        }
    }
}

pub(super) fn push_slot(out: &mut String, s: &str, title: bool) {
    if title {
        push_title(out, s);
    } else {
        out.push_str(s);
    }
}

pub(super) fn capitalize_at(s: &mut str, at: usize) {
    if s[at..].starts_with(|c: char| c.is_ascii_lowercase()) {
        s[at..=at].make_ascii_uppercase();
    }
}

/// Appends `tpl` with its slots filled; in `title` mode the slot values are
/// title-cased. The first letter written is always capitalized.
pub(super) fn fill(out: &mut String, tpl: &str, c: &Ctx, rng: &mut ChaCha8Rng, title: bool) {
    let start = out.len();
    let mut rest = tpl.trim_start_matches(['!', '+']);
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let tail = &rest[open + 1..];
        let close = tail.find('}').unwrap_or(tail.len());
        let key = &tail[..close];
        rest = tail.get(close + 1..).unwrap_or("");
        let topic = &TOPICS[c.topic];
        let role = &ROLES[c.role];
        match key {
            "A" => push_slot(out, c.actor.0, title),
            "Ap" => push_slot(out, c.actor.1, title),
            "S" => push_slot(out, c.subject, title),
            "P" => push_slot(out, c.place, title),
            "T" => push_slot(out, topic.phrase, title),
            "R" => push_slot(out, TOPICS[c.related].focus, title),
            "C" => out.push_str(c.capital),
            "O" => out.push_str(pick(rng, SOURCES)),
            "N" => out.push_str(pick(rng, NUMBER_WORDS)),
            "K" => {
                let _ = write!(out, "{}", rng.random_range(12..=58u32));
            }
            "Y" => {
                let _ = write!(out, "{}", c.years);
            }
            "RT" => out.push_str(role.title),
            "RS" => out.push_str(role.sentence),
            "RC" => out.push_str(role.career),
            other => debug_assert!(false, "unknown template slot {{{other}}}"),
        }
    }
    out.push_str(rest);
    capitalize_at(out, start);
}

/// Remembers which template of each pool a post has used so sentences do not
/// repeat within one post.
pub(super) struct Picker {
    pub(super) used: [u64; POOLS.len()],
}

impl Picker {
    pub(super) fn new() -> Self {
        Picker {
            used: [0; POOLS.len()],
        }
    }

    pub(super) fn take(&mut self, rng: &mut ChaCha8Rng, pool: usize, c: &Ctx) -> usize {
        let items = POOLS[pool];
        let n = items.len();
        let used = &mut self.used[pool];
        let ok = |j: usize| *used & (1 << j) == 0 && suits(items[j], c);
        // A few random draws, then a walk from a random start to an unused
        // template that fits; once all are used, repeats are allowed.
        let mut idx = rng.random_range(0..n);
        let mut tries = 0;
        while !ok(idx) && tries < 4 {
            idx = rng.random_range(0..n);
            tries += 1;
        }
        if !ok(idx) {
            idx = (0..n)
                .map(|k| (idx + k) % n)
                .find(|&j| ok(j))
                .or_else(|| (0..n).map(|k| (idx + k) % n).find(|&j| suits(items[j], c)))
                .unwrap_or(idx);
        }
        *used |= 1 << idx;
        idx
    }

    pub(super) fn sentence(
        &mut self,
        out: &mut String,
        pool: usize,
        c: &Ctx,
        rng: &mut ChaCha8Rng,
    ) -> usize {
        let idx = self.take(rng, pool, c);
        fill(out, POOLS[pool][idx], c, rng, false);
        idx
    }
}

// ---------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------

pub(super) struct Plan {
    pub(super) section: usize,
    /// Prose paragraphs (interview answers count; questions do not).
    pub(super) paras: usize,
    /// Paragraphs in an interview's introduction before the Q&A starts.
    pub(super) intro_paras: usize,
    /// The marker goes after this many paragraphs.
    pub(super) marker_after: Option<usize>,
    /// Bit i set: a `## ` heading before paragraph i.
    pub(super) heading_mask: u32,
    pub(super) quote_after: Option<usize>,
    pub(super) list_after: Option<usize>,
}

pub(super) fn sep(out: &mut String) {
    if !out.is_empty() {
        out.push_str("\n\n");
    }
}

pub(super) fn write_body(
    out: &mut String,
    plan: &Plan,
    c: &Ctx,
    rng: &mut ChaCha8Rng,
    picker: &mut Picker,
) {
    let sec = plan.section;
    let interview = sec == SEC_INTERVIEWS;
    let mix = MIX[sec];
    let last = plan.paras - 1;
    let mut question = None;
    for i in 0..plan.paras {
        if plan.marker_after == Some(i) {
            sep(out);
            out.push_str(MEMBERS_MARKER);
        }
        if plan.heading_mask & (1 << i) != 0 {
            sep(out);
            out.push_str("## ");
            let pool = if interview {
                P_INTERVIEW_HEADING
            } else {
                P_HEADING
            };
            picker.sentence(out, pool, c, rng);
        }
        if interview && i >= plan.intro_paras {
            sep(out);
            out.push_str("**");
            question = Some(picker.sentence(out, P_QUESTION, c, rng));
            out.push_str("**");
        }
        sep(out);
        if interview && i == 0 {
            fill(out, pick(rng, INTRO_WHO), c, rng, false);
            out.push(' ');
            fill(out, pick(rng, INTRO_TOPIC), c, rng, false);
            out.push(' ');
            out.push_str(EDIT_NOTE);
        } else {
            let n = rng.random_range(2..=4);
            let first = if interview && i < plan.intro_paras {
                P_CONTEXT
            } else if interview {
                P_ANSWER
            } else if i == 0 {
                match sec {
                    SEC_NEWS => P_NEWS_LEDE,
                    _ => P_OPENING,
                }
            } else if i == last {
                P_IMPLICATION
            } else {
                pick(rng, mix)
            };
            match question.take() {
                Some(q) => fill(out, ANSWER_OPENERS[q], c, rng, false),
                None => {
                    picker.sentence(out, first, c, rng);
                }
            }
            for k in 1..n {
                out.push(' ');
                let pool = if sec == SEC_OPINION && i == 0 && k == 1 {
                    P_OPINION
                } else if i == last && k == n - 1 && !interview {
                    P_CLOSING
                } else if interview && i < plan.intro_paras {
                    P_CONTEXT
                } else {
                    pick(rng, mix)
                };
                picker.sentence(out, pool, c, rng);
            }
        }
        if plan.quote_after == Some(i) {
            sep(out);
            out.push_str("> ");
            picker.sentence(out, P_ANALYSIS, c, rng);
        }
        if plan.list_after == Some(i) {
            sep(out);
            out.push_str(pick(rng, LIST_INTROS));
            out.push('\n');
            for _ in 0..rng.random_range(3..=4) {
                out.push_str("\n- ");
                picker.sentence(out, P_LIST_ITEM, c, rng);
            }
        }
    }
    out.push('\n');
}

pub(super) fn image_for(rng: &mut ChaCha8Rng, c: &Ctx) -> DemoImage {
    let seed: u64 = rng.random();
    let mut caption = String::new();
    fill(&mut caption, pick_tpl(rng, CAPTIONS, c), c, rng, false);
    DemoImage {
        seed,
        alt: format!(
            "Abstract illustration in {} for a story on {}",
            palette_description(seed),
            TOPICS[c.topic].phrase
        ),
        caption,
        credit: IMAGE_CREDIT.to_string(),
    }
}

/// Picks a byline for a story on `topic`: a contributor who covers it, or the
/// newsroom for some news pieces (and when nobody covers the topic).
pub(super) fn pick_author(
    rng: &mut ChaCha8Rng,
    topic: usize,
    section: usize,
    not: Option<usize>,
) -> usize {
    if section == SEC_NEWS && not != Some(STAFF) && rng.random_bool(0.3) {
        return STAFF;
    }
    let fits = |i: &usize| AUTHORS[*i].topics.contains(&topic) && Some(*i) != not;
    let count = (0..AUTHORS.len()).filter(fits).count();
    if count == 0 {
        return STAFF;
    }
    let nth = rng.random_range(0..count);
    (0..AUTHORS.len()).filter(fits).nth(nth).unwrap_or(STAFF)
}

pub(super) fn pick_tags(rng: &mut ChaCha8Rng, c: &Ctx, out: &mut Vec<String>) {
    out.push(TOPICS[c.topic].slug.to_string());
    let extra = match rng.random_range(0..10) {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    };
    if extra >= 1 {
        out.push(TOPICS[c.related].slug.to_string());
    }
    if extra >= 2 {
        let other = pick(rng, TOPICS[c.topic].related);
        if other != c.related {
            out.push(TOPICS[other].slug.to_string());
        }
    }
}
