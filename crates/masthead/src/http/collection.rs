//! Collections: the tag or the author a listing page and its feed are about, loaded by slug and
//! described once, so `/tag/{slug}/` and `/tag/{slug}/rss/` (and an author's two) cannot drift.
//!
//! A plain struct rather than the Content API's `Taxonomy` trait: that trait abstracts how tags
//! and authors are browsed, filtered and counted, which differs in types per resource; a page
//! and a feed need only a few facts about one of them, and those are the same shape for both.

use super::AppError;
use domain::{Author, Slug, Tag};
use render::context;
use render::feed::FeedInfo;
use render::head::{FeedLink, PageKind};
use serde_json::{Value, json};
use store::{PostFilter, Store};

/// What a collection is of: the first segment of its URL.
#[derive(Clone, Copy, Debug)]
pub(super) enum Of {
    Tag,
    Author,
}

/// The tag or author a page lists, with everything its page and its feed say about it.
pub(super) struct Collection {
    /// Its name, as titles print it.
    pub name: String,
    /// The page's meta description and the feed's channel description, one text for both.
    pub description: String,
    /// Site-relative URL of its first page, e.g. `/tag/china/`; its feed is at `base` + `rss/`.
    pub base: String,
    /// The live posts it lists.
    pub filter: PostFilter,
    /// What the page is, for `{{ghost_head}}` and JSON-LD.
    pub kind: PageKind,
    /// The theme template, which also names the body class (`{template}-template`).
    pub template: &'static str,
    /// The template's header object: `{"tag": …}` or `{"author": …}`.
    pub header: Value,
    /// The page's `<title>` (before the site's name) and meta description when an editor set
    /// them for the tag; the feed keeps `name` and `description`.
    pub head_title: Option<String>,
    pub head_description: Option<String>,
}

impl Collection {
    /// The tag or author named by `slug`; unknown ones are a 404.
    pub async fn load(store: &Store, of: Of, slug: Slug) -> Result<Collection, AppError> {
        let found = match of {
            Of::Tag => store.tag_by_slug(slug.as_str()).await?.map(Self::of_tag),
            Of::Author => store
                .author_by_slug(slug.as_str())
                .await?
                .map(Self::of_author),
        };
        found.ok_or(AppError::NotFound)
    }

    pub fn of_tag(tag: Tag) -> Collection {
        Collection {
            description: described(&tag.description, || format!("The latest on {}.", tag.name)),
            base: context::tag_url(tag.slug.as_str()),
            filter: PostFilter {
                tag: Some(tag.slug.to_string()),
                ..PostFilter::posts()
            },
            kind: PageKind::Collection,
            template: "tag",
            header: json!({ "tag": context::tag(&tag) }),
            head_title: tag.meta.meta_title.clone(),
            head_description: tag.meta.meta_description.clone(),
            name: tag.name,
        }
    }

    pub fn of_author(author: Author) -> Collection {
        Collection {
            name: author.name.clone(),
            description: described(&author.bio, || format!("Stories by {}.", author.name)),
            base: context::author_url(author.slug.as_str()),
            filter: PostFilter {
                author: Some(author.slug.to_string()),
                ..PostFilter::posts()
            },
            template: "author",
            header: json!({ "author": context::author(&author) }),
            head_title: None,
            head_description: None,
            kind: PageKind::Profile(Box::new(author)),
        }
    }

    /// The feed's title, alike in the feed and in the page's autodiscovery link.
    fn feed_title(&self, site_title: &str) -> String {
        format!("{} – {site_title}", self.name)
    }

    /// The page's `<link rel=alternate>` to its feed.
    pub fn feed_link(&self, site_title: &str) -> FeedLink {
        FeedLink {
            title: self.feed_title(site_title),
            url: context::feed_url(&self.base),
        }
    }

    /// The feed's channel: its title, description and the page it follows.
    pub fn feed_info(&self, site_title: &str) -> FeedInfo {
        FeedInfo {
            title: self.feed_title(site_title),
            description: self.description.clone(),
            page: self.base.clone(),
            feed: context::feed_url(&self.base),
        }
    }
}

/// The editor's text when there is any; a blank one would leave the meta tag and the channel
/// saying nothing, so a line made from the name stands in.
fn described(text: &str, fallback: impl FnOnce() -> String) -> String {
    if text.trim().is_empty() {
        fallback()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::TagKind;

    fn tag(description: &str) -> Tag {
        Tag {
            id: "t1".into(),
            slug: Slug::parse("china").unwrap(),
            name: "China".into(),
            description: description.into(),
            kind: TagKind::Topic,
            meta: domain::TagMeta::default(),
        }
    }

    fn author(bio: &str) -> Author {
        Author {
            id: "a1".into(),
            slug: Slug::parse("ada-ng").unwrap(),
            name: "Ada Ng".into(),
            bio: bio.into(),
            credentials: String::new(),
            avatar: None,
            website: None,
        }
    }

    #[test]
    fn a_tag_is_described_by_its_description_else_by_its_name() {
        let told = "Beijing, Taiwan and the sea between.";
        assert_eq!(Collection::of_tag(tag(told)).description, told);
        for blank in ["", "  \n"] {
            let c = Collection::of_tag(tag(blank));
            assert_eq!(c.description, "The latest on China.");
        }
    }

    #[test]
    fn an_author_is_described_by_their_bio_else_by_their_name() {
        let bio = "Ada Ng covers the Pacific.";
        assert_eq!(Collection::of_author(author(bio)).description, bio);
        for blank in ["", " "] {
            let c = Collection::of_author(author(blank));
            assert_eq!(c.description, "Stories by Ada Ng.");
        }
    }

    #[test]
    fn the_feed_follows_the_page_and_says_what_it_says() {
        for c in [
            Collection::of_tag(tag("")),
            Collection::of_author(author("")),
        ] {
            let info = c.feed_info("The Review");
            assert_eq!(info.page, c.base);
            assert_eq!(info.feed, format!("{}rss/", c.base));
            assert_eq!(info.description, c.description);
            assert_eq!(info.title, format!("{} – The Review", c.name));
            assert_eq!(c.feed_link("The Review").title, info.title);
            assert_eq!(c.feed_link("The Review").url, info.feed);
        }
    }
}
