//! The editor form (`/admin/posts/{id}/`, `/admin/posts/new/`) as the browser sends it,
//! urlencoded, with or without the rich-text editor: parsed into a `Draft` for `ops::posts`,
//! plus the revision the editor's copy was based on. Nothing here is trusted: the Markdown is
//! sanitized when it is composed, exactly as Admin API input is.

use crate::compose::Draft;
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::{LeadImage, Post, PostKind, RevisionFields, Social, Status, Visibility};

/// Longest title, dek or meta field we keep, in characters; the body is bounded by the
/// request body limit.
const MAX_FIELD: usize = 2_000;

/// One submitted editor form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostForm {
    pub title: String,
    pub slug: String,
    pub section: String,
    pub dek: String,
    /// Authors by slug, in byline order (one `authors` field each, or separated by commas).
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub image_url: String,
    pub image_alt: String,
    pub image_caption: String,
    pub image_credit: String,
    pub visibility: String,
    pub tiers: Vec<String>,
    pub markdown: String,
    pub meta_title: String,
    pub meta_description: String,
    pub canonical_url: String,
    /// OpenGraph and Twitter card overrides, blank for "use the post's own".
    pub og_title: String,
    pub og_description: String,
    pub og_image: String,
    pub twitter_title: String,
    pub twitter_description: String,
    pub twitter_image: String,
    /// Whether the body carried any social field: a form from before they existed (a page
    /// left open across a deploy, a script) keeps the stored overrides instead of clearing
    /// them.
    pub social_sent: bool,
    pub featured: bool,
    /// `datetime-local` (`2026-12-05T09:30`), read as UTC; empty for none.
    pub published_at: String,
    pub base_revision: String,
}

/// Splits `a, b,,c` into its non-empty trimmed items.
fn list(raw: &str) -> impl Iterator<Item = String> + '_ {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl PostForm {
    /// Reads the urlencoded body; unknown fields (the CSRF token, buttons) are ignored.
    pub fn parse(body: &[u8]) -> PostForm {
        let mut form = PostForm::default();
        let mut pick = None;
        for (key, value) in form_urlencoded::parse(body) {
            let value = value.into_owned();
            match key.as_ref() {
                "title" => form.title = value,
                "slug" => form.slug = value,
                "section" => form.section = value,
                "dek" => form.dek = value,
                "authors" => form.authors.extend(list(&value)),
                "tags" => form.tags.extend(list(&value)),
                "image_url" => form.image_url = value,
                // A library item chosen without the page script (which copies it to
                // `image_url`); a chosen item wins over the typed URL.
                "image_pick" if !value.trim().is_empty() => pick = Some(value),
                "image_alt" => form.image_alt = value,
                "image_caption" => form.image_caption = value,
                "image_credit" => form.image_credit = value,
                "visibility" => form.visibility = value,
                "tiers" => form.tiers.extend(list(&value)),
                "markdown" => form.markdown = value.replace("\r\n", "\n"),
                "meta_title" => form.meta_title = value,
                "meta_description" => form.meta_description = value,
                "canonical_url" => form.canonical_url = value,
                "og_title"
                | "og_description"
                | "og_image"
                | "twitter_title"
                | "twitter_description"
                | "twitter_image" => {
                    form.social_sent = true;
                    *form.social_field(&key) = value;
                }
                "featured" => form.featured = !value.is_empty(),
                "published_at" => form.published_at = value,
                "base_revision" => form.base_revision = value,
                _ => {}
            }
        }
        if let Some(pick) = pick {
            form.image_url = pick;
        }
        form
    }

    /// The form filled from a stored post's edited fields and Markdown source.
    pub fn of_fields(f: RevisionFields, markdown: String) -> PostForm {
        let text = |v: Option<String>| v.unwrap_or_default();
        PostForm {
            title: f.title,
            slug: f.slug,
            section: text(f.section),
            dek: f.dek,
            authors: f.authors,
            tags: f.tags,
            image_url: text(f.image_url),
            image_alt: f.image_alt,
            image_caption: f.image_caption,
            image_credit: f.image_credit,
            visibility: f.visibility,
            tiers: f.tiers,
            markdown,
            meta_title: text(f.meta_title),
            meta_description: text(f.meta_description),
            canonical_url: text(f.canonical_url),
            og_title: text(f.social.og_title),
            og_description: text(f.social.og_description),
            og_image: text(f.social.og_image),
            twitter_title: text(f.social.twitter_title),
            twitter_description: text(f.social.twitter_description),
            twitter_image: text(f.social.twitter_image),
            social_sent: true,
            featured: f.featured,
            published_at: f
                .published_at
                .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
                .unwrap_or_default(),
            base_revision: String::new(),
        }
    }

    /// The social field named `key` (one of the six `og_`/`twitter_` names).
    fn social_field(&mut self, key: &str) -> &mut String {
        match key {
            "og_title" => &mut self.og_title,
            "og_description" => &mut self.og_description,
            "og_image" => &mut self.og_image,
            "twitter_title" => &mut self.twitter_title,
            "twitter_description" => &mut self.twitter_description,
            _ => &mut self.twitter_image,
        }
    }

    /// The social fields by name, in the form's order (for re-sending them).
    pub fn social_pairs(&self) -> [(&'static str, &str); 6] {
        [
            ("og_title", &self.og_title),
            ("og_description", &self.og_description),
            ("og_image", &self.og_image),
            ("twitter_title", &self.twitter_title),
            ("twitter_description", &self.twitter_description),
            ("twitter_image", &self.twitter_image),
        ]
    }

    /// The draft of an edit of `existing`: `to_draft`, keeping the stored social overrides
    /// when the form did not carry them.
    pub fn to_edit(&self, existing: &Post) -> Result<Draft, String> {
        let mut draft = self.to_draft(existing.kind, existing.status)?;
        if !self.social_sent {
            draft.social = existing.social.clone();
        }
        Ok(draft)
    }

    /// A saved lead image needs alt text (autosave keeps a half-filled field as it is): the
    /// message for the editor otherwise.
    pub fn lead_alt(&self) -> Result<(), String> {
        if !self.image_url.trim().is_empty() && self.image_alt.trim().is_empty() {
            return Err("Add alt text for the lead image: describe what it shows for readers who cannot see it.".into());
        }
        Ok(())
    }

    /// The revision the editor's copy was based on, if the form names one.
    pub fn base(&self) -> Option<String> {
        Some(self.base_revision.trim().to_owned()).filter(|b| !b.is_empty())
    }

    /// The draft this form describes, keeping `status` (saving never publishes: publish,
    /// schedule and unpublish are their own actions). A message for the editor if it is wrong.
    pub fn to_draft(&self, kind: PostKind, status: Status) -> Result<Draft, String> {
        let title = self.title.trim();
        if title.is_empty() {
            return Err("Give the post a title.".into());
        }
        for (name, value) in [
            ("title", &self.title),
            ("dek", &self.dek),
            ("meta title", &self.meta_title),
            ("meta description", &self.meta_description),
            ("caption", &self.image_caption),
            ("OpenGraph title", &self.og_title),
            ("OpenGraph description", &self.og_description),
            ("Twitter title", &self.twitter_title),
            ("Twitter description", &self.twitter_description),
        ] {
            if value.chars().count() > MAX_FIELD {
                return Err(format!("The {name} is too long."));
            }
        }
        let mut draft = Draft::new(kind, title, &self.markdown);
        draft.slug = optional(&self.slug);
        draft.section = optional(&self.section);
        self.dek.trim().clone_into(&mut draft.dek);
        draft.authors.clone_from(&self.authors);
        draft.tags.clone_from(&self.tags);
        draft.image = optional(&self.image_url).map(|url| LeadImage {
            url,
            width: None,
            height: None,
            alt: self.image_alt.trim().to_owned(),
            caption: self.image_caption.trim().to_owned(),
            credit: self.image_credit.trim().to_owned(),
        });
        draft.visibility = self.visibility()?;
        draft.status = status;
        draft.published_at = self.published_at()?;
        draft.featured = self.featured;
        draft.meta_title = optional(&self.meta_title);
        draft.meta_description = optional(&self.meta_description);
        draft.canonical_url = optional(&self.canonical_url);
        draft.social = Social {
            og_title: optional(&self.og_title),
            og_description: optional(&self.og_description),
            og_image: optional(&self.og_image),
            twitter_title: optional(&self.twitter_title),
            twitter_description: optional(&self.twitter_description),
            twitter_image: optional(&self.twitter_image),
        };
        Ok(draft)
    }

    fn visibility(&self) -> Result<Visibility, String> {
        match self.visibility.trim() {
            "" => Ok(Visibility::Public),
            "tiers" => Visibility::tiers(&self.tiers).map_err(|e| e.0),
            other => Visibility::parse(other).map_err(|e| e.0),
        }
    }

    fn published_at(&self) -> Result<Option<DateTime<Utc>>, String> {
        let raw = self.published_at.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
            .map(|t| Some(t.and_utc()))
            .ok_or_else(|| format!("The publish date {raw:?} is not a date and time."))
    }
}

fn optional(raw: &str) -> Option<String> {
    Some(raw.trim().to_owned()).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_form_becomes_a_draft() {
        let body = "title=+The+Strait+&slug=&section=world&dek=Why+it+matters\
            &authors=nadia&authors=omar&tags=china%2C+taiwan&image_url=%2Fcontent%2Fa.jpg\
            &image_alt=Ships&image_caption=At+dawn&image_credit=Reuters&visibility=tiers\
            &tiers=subscriber-plus&markdown=One.%0D%0A%0D%0A%3C%21--members-only--%3E%0D%0ATwo.\
            &featured=on&published_at=2026-12-05T09%3A30&base_revision=r1&csrf=x";
        let form = PostForm::parse(body.as_bytes());
        assert_eq!(form.base().as_deref(), Some("r1"));
        let draft = form.to_draft(PostKind::Post, Status::Draft).unwrap();
        assert_eq!(draft.title, "The Strait");
        assert_eq!(draft.slug, None, "an empty slug is made from the title");
        assert_eq!(draft.section.as_deref(), Some("world"));
        assert_eq!(draft.authors, ["nadia", "omar"]);
        assert_eq!(draft.tags, ["china", "taiwan"]);
        assert_eq!(draft.markdown, "One.\n\n<!--members-only-->\nTwo.");
        assert_eq!(draft.image.as_ref().unwrap().credit, "Reuters");
        assert_eq!(
            draft.visibility,
            Visibility::tiers(&["subscriber-plus"]).unwrap()
        );
        assert_eq!(draft.status, Status::Draft);
        assert!(draft.featured);
        assert_eq!(
            draft.published_at.unwrap().to_rfc3339(),
            "2026-12-05T09:30:00+00:00"
        );
    }

    #[test]
    fn social_overrides_are_read_and_blank_ones_are_none() {
        let form = PostForm::parse(
            b"title=a&og_title=+Card+title+&og_description=&twitter_image=%2Fcontent%2Ft.jpg",
        );
        assert!(form.social_sent);
        let social = form.to_draft(PostKind::Post, Status::Draft).unwrap().social;
        assert_eq!(social.og_title.as_deref(), Some("Card title"));
        assert_eq!(social.og_description, None);
        assert_eq!(social.twitter_image.as_deref(), Some("/content/t.jpg"));
        assert!(!PostForm::parse(b"title=a").social_sent);
    }

    #[test]
    fn mistakes_are_told_not_guessed() {
        let cases = [
            ("title=+", "Give the post a title."),
            ("title=a&visibility=secret", "visibility"),
            ("title=a&visibility=tiers", "at least one tier"),
            ("title=a&published_at=tomorrow", "not a date"),
        ];
        for (body, message) in cases {
            let err = PostForm::parse(body.as_bytes())
                .to_draft(PostKind::Post, Status::Draft)
                .unwrap_err();
            assert!(err.contains(message), "{body}: {err}");
        }
        let long = format!("title={}", "a".repeat(MAX_FIELD + 1));
        assert!(
            PostForm::parse(long.as_bytes())
                .to_draft(PostKind::Post, Status::Draft)
                .is_err()
        );
        assert_eq!(PostForm::parse(b"base_revision=+").base(), None);
    }

    #[test]
    fn a_lead_image_needs_alt_text_and_a_library_choice_wins() {
        let form = PostForm::parse(b"title=a&image_url=%2Fcontent%2Fimages%2Fa.jpg&image_alt=+");
        assert!(form.lead_alt().unwrap_err().contains("alt text"));
        assert!(PostForm::parse(b"title=a&image_alt=").lead_alt().is_ok());
        let picked =
            PostForm::parse(b"image_url=%2Ftyped.jpg&image_pick=%2Fpicked.jpg&image_alt=x");
        assert_eq!(picked.image_url, "/picked.jpg");
        assert!(picked.lead_alt().is_ok());
        let unpicked = PostForm::parse(b"image_url=%2Ftyped.jpg&image_pick=");
        assert_eq!(unpicked.image_url, "/typed.jpg");
    }
}
