//! A post's newsletter request: which newsletter (by slug) and which segment of its members
//! are to get the post by email when it goes live, as Ghost's Admin API asks for it
//! (`?newsletter=<slug>&email_segment=<segment>`). No I/O: the store keeps requests, a sender
//! (not built yet) makes the **send**.

use crate::{InvalidInput, Slug};
use std::fmt;

/// Which of a newsletter's members get a post: Ghost's three segments, nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmailSegment {
    /// `all`: every member who opted in.
    All,
    /// `status:free`: members without a paid or comped subscription.
    Free,
    /// `status:-free`: members with a paid or comped subscription.
    NotFree,
}

impl EmailSegment {
    pub const ALL: [EmailSegment; 3] =
        [EmailSegment::All, EmailSegment::Free, EmailSegment::NotFree];

    pub fn as_str(self) -> &'static str {
        match self {
            EmailSegment::All => "all",
            EmailSegment::Free => "status:free",
            EmailSegment::NotFree => "status:-free",
        }
    }

    /// The segment named `raw`, exactly as Ghost spells it (no aliases such as `status:paid`:
    /// a client that sends one would otherwise believe Ghost semantics apply).
    pub fn parse(raw: &str) -> Result<EmailSegment, InvalidInput> {
        EmailSegment::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| {
                let shown: String = raw.chars().take(60).collect();
                InvalidInput(format!(
                    "email_segment {shown:?} is not one of all, status:free, status:-free"
                ))
            })
    }
}

impl fmt::Display for EmailSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// "Email this post to `newsletter`'s `segment` when it goes live."
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsletterRequest {
    pub newsletter: Slug,
    pub segment: EmailSegment,
}

impl NewsletterRequest {
    /// Reads the pair as the Admin API receives it: nothing when neither is given, the `all`
    /// segment when only a newsletter is; a segment without a newsletter is an error (it
    /// would say who gets an email without saying which).
    pub fn parse(
        newsletter: Option<&str>,
        segment: Option<&str>,
    ) -> Result<Option<NewsletterRequest>, InvalidInput> {
        let segment = segment.map(EmailSegment::parse).transpose()?;
        let Some(raw) = newsletter else {
            return match segment {
                None => Ok(None),
                Some(_) => Err(InvalidInput(
                    "email_segment needs a newsletter to send to".into(),
                )),
            };
        };
        let newsletter = Slug::parse(raw)
            .map_err(|e| InvalidInput(format!("newsletter is not a newsletter slug: {e}")))?;
        Ok(Some(NewsletterRequest {
            newsletter,
            segment: segment.unwrap_or(EmailSegment::All),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ghosts_three_segments_are_accepted() {
        for s in EmailSegment::ALL {
            assert_eq!(EmailSegment::parse(s.as_str()), Ok(s));
        }
        for bad in [
            "",
            "ALL",
            "status:paid",
            "status:free ",
            "label:vip",
            "status:-free,all",
        ] {
            assert!(EmailSegment::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_request_needs_a_newsletter_and_defaults_to_everyone() {
        assert_eq!(NewsletterRequest::parse(None, None), Ok(None));
        let only = NewsletterRequest::parse(Some("default-newsletter"), None)
            .unwrap()
            .unwrap();
        assert_eq!(only.newsletter.as_str(), "default-newsletter");
        assert_eq!(only.segment, EmailSegment::All);
        let both = NewsletterRequest::parse(Some("weekly"), Some("status:-free"))
            .unwrap()
            .unwrap();
        assert_eq!(both.segment, EmailSegment::NotFree);
        assert!(NewsletterRequest::parse(None, Some("all")).is_err());
        assert!(NewsletterRequest::parse(Some("Not A Slug"), None).is_err());
        assert!(NewsletterRequest::parse(Some(""), Some("all")).is_err());
        assert!(NewsletterRequest::parse(Some("weekly"), Some("status:paid")).is_err());
    }
}
