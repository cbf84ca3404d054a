//! The newsletter request of Admin API post adds and edits, in Ghost's wire format. Ghost takes
//! it as query parameters (`?newsletter=<slug>&email_segment=<segment>`, as `@tryghost/admin-api`
//! sends its options); we also read the same names from the post body. When it is stored is
//! the rule of every post write (`ops::posts`). Every Admin post shows it; the Content API
//! never does.

use super::error::GhostError;
use domain::NewsletterRequest;
use serde_json::{Value, json};
use store::PostNewsletter;

/// What a request carried: the query pair wins; otherwise the body's `newsletter` (a slug, or an
/// object with a `slug`, as our responses show it) and `email_segment`.
pub fn asked(
    query: Option<&str>,
    body_newsletter: Option<&Value>,
    body_segment: Option<&str>,
) -> Result<Option<NewsletterRequest>, GhostError> {
    let mut newsletter = None;
    let mut segment = None;
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "newsletter" => newsletter = Some(v.into_owned()),
            "email_segment" => segment = Some(v.into_owned()),
            _ => {}
        }
    }
    if newsletter.is_none() && segment.is_none() {
        newsletter = match body_newsletter {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Object(o)) => o.get("slug").and_then(Value::as_str).map(str::to_owned),
            _ => None,
        };
        // Every Admin post we answer says `"email_segment": "all"`, `"newsletter": null`; a
        // client that edits by sending a read post back must not be refused for that.
        segment = body_segment
            .filter(|s| newsletter.is_some() || *s != "all")
            .map(str::to_owned);
    }
    NewsletterRequest::parse(newsletter.as_deref(), segment.as_deref())
        .map_err(|e| GhostError::validation(&format!("Validation error, cannot email post. {e}.")))
}

/// Ghost's answer to a request that would change a newsletter request already sent.
pub(super) fn already_sent() -> GhostError {
    GhostError::validation("Validation error, cannot email post. This post was already emailed.")
}

/// Sets `newsletter` and `email_segment` on an Admin post. There is no newsletters table yet,
/// so the slug stands in for the newsletter's name.
pub fn show(post: &mut Value, request: Option<&PostNewsletter>) {
    post["newsletter"] = request.map_or(Value::Null, |n| {
        let slug = n.request.newsletter.as_str();
        json!({ "slug": slug, "name": slug })
    });
    post["email_segment"] = json!(request.map_or("all", |n| n.request.segment.as_str()));
}
