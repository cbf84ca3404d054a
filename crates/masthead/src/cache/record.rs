//! What a page depends on, recorded while it renders. The page cache opens a recorder around
//! each handler it may store; handlers (and the helpers they share) say what they show through
//! the functions here, which do nothing when no recorder is open.

use domain::Post;
use std::cell::RefCell;
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

/// Something whose change makes a cached page stale.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Dep {
    /// The page shows this post (its own page, a card, a feed item, a search hit).
    Post(String),
    /// The page shows this post's stored Related Articles.
    Related(String),
    /// The page lists posts of the whole site (home, site feed, sitemaps).
    AllPosts,
    /// The page lists posts with this tag (tag pages and feeds, home's section blocks).
    Tag(String),
    /// The page lists posts by this author.
    Author(String),
    /// The page shows search results.
    Search,
}

impl Dep {
    /// Whether this is a list that a post can join or leave.
    pub fn is_listing(&self) -> bool {
        matches!(self, Dep::AllPosts | Dep::Tag(_) | Dep::Author(_))
    }
}

/// The facts about a post that decide which listings show it and in what order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    signature: u64,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
}

impl Facts {
    pub fn of(post: &Post) -> Facts {
        let tags: Vec<String> = post.tags.iter().map(|t| t.slug.to_string()).collect();
        let authors: Vec<String> = post.authors.iter().map(|a| a.slug.to_string()).collect();
        let mut h = DefaultHasher::new();
        (post.kind.as_str(), post.status.as_str(), post.published_at).hash(&mut h);
        (post.featured, &tags, &authors).hash(&mut h);
        Facts {
            signature: h.finish(),
            tags,
            authors,
        }
    }

    /// Whether a post with these facts may sit in other listings, or elsewhere in them, than
    /// one with `other`.
    pub fn lists_differently(&self, other: &Facts) -> bool {
        self.signature != other.signature
    }

    /// The listings a post with these facts can appear in.
    pub fn listings(&self) -> impl Iterator<Item = Dep> + '_ {
        std::iter::once(Dep::AllPosts)
            .chain(self.tags.iter().map(|t| Dep::Tag(t.clone())))
            .chain(self.authors.iter().map(|a| Dep::Author(a.clone())))
    }
}

/// A per-reader value inside a page that is otherwise the same for a whole access class.
/// A template may print a slot but not branch on it: while a page is recorded, a slot holds
/// its marker, the same text for every reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The browser's CSRF token in forms.
    Csrf,
    /// How many gift links the member has left this month.
    GiftsLeft,
    /// The member's name (`member.name` in templates).
    MemberName,
    /// The member's email address (`member.email` in templates).
    MemberEmail,
}

impl Slot {
    pub const ALL: [Slot; 4] = [
        Slot::Csrf,
        Slot::GiftsLeft,
        Slot::MemberName,
        Slot::MemberEmail,
    ];

    /// The text that stands for this slot in a stored page: letters and digits only, so
    /// escaping leaves it alone, and a per-process nonce, so no content can contain it.
    pub fn marker(self, nonce: &str) -> String {
        let name = match self {
            Slot::Csrf => "csrf",
            Slot::GiftsLeft => "giftsleft",
            Slot::MemberName => "membername",
            Slot::MemberEmail => "memberemail",
        };
        format!("mhslot{nonce}{name}")
    }
}

/// What one render recorded.
#[derive(Debug, Default)]
pub struct Recording {
    pub deps: HashSet<Dep>,
    pub facts: Vec<(String, Facts)>,
    /// The page used something of this reader beyond their access class (a meter, a gift
    /// link, their account), or changes with time alone: it must not be stored.
    pub dont_store: bool,
    /// Slots the page used, with this reader's values.
    pub slots: Vec<(Slot, String)>,
    pub nonce: String,
    /// The access class the page was rendered for, as the handler saw the reader (`None`: the
    /// page never looked at the reader). Two different classes in one render mark it
    /// `dont_store`.
    pub class: Option<Arc<str>>,
}

tokio::task_local! {
    static RECORDING: RefCell<Recording>;
}

/// Runs `render` with a recorder open, returning its output and what it recorded.
pub async fn recording<F: Future>(nonce: String, render: F) -> (F::Output, Recording) {
    let start = RefCell::new(Recording {
        nonce,
        ..Recording::default()
    });
    RECORDING
        .scope(start, async {
            let out = render.await;
            let rec = RECORDING.with(std::cell::RefCell::take);
            (out, rec)
        })
        .await
}

fn with(f: impl FnOnce(&mut Recording)) {
    let _ = RECORDING.try_with(|r| f(&mut r.borrow_mut()));
}

/// The page being rendered depends on `dep`.
pub fn depends_on(dep: Dep) {
    with(|r| {
        r.deps.insert(dep);
    });
}

/// The page being rendered shows `post`.
pub fn shows(post: &Post) {
    with(|r| {
        r.deps.insert(Dep::Post(post.id.clone()));
        r.facts.push((post.id.clone(), Facts::of(post)));
    });
}

/// The page being rendered is not to be stored: it used something only this reader has (a
/// meter, a gift link, their account), or it will change with time alone.
pub fn dont_store() {
    with(|r| r.dont_store = true);
}

/// The page being rendered is for readers of access class `class` (the class the handler
/// computed from the reader's session, which the cache may have remembered differently).
pub fn rendered_for(class: &str) {
    with(|r| match &r.class {
        None => r.class = Some(Arc::from(class)),
        Some(seen) if **seen == *class => {}
        // The reader's entitlement changed during the render: the page may mix both.
        Some(_) => r.dont_store = true,
    });
}

/// This reader's `value` for `slot`: the slot's marker while a page is being recorded (the
/// cache puts each reader's value in when it serves the page), otherwise `value` itself.
pub fn slot(slot: Slot, value: String) -> String {
    let mut out = None;
    with(|r| {
        out = Some(slot.marker(&r.nonce));
        r.slots.retain(|(s, _)| *s != slot);
        r.slots.push((slot, value.clone()));
    });
    out.unwrap_or(value)
}
