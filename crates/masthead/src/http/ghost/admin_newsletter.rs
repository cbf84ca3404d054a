//! The newsletter request of Admin API post adds and edits. Ghost takes it as query parameters
//! (`?newsletter=<slug>&email_segment=<segment>`, as `@tryghost/admin-api` sends its options);
//! we also read the same names from the post body. As Ghost emails a post only when it is
//! published, the request is stored only when the post is being published (now or scheduled),
//! and a request already sent is never changed. Every Admin post shows it; the Content API
//! never does.

use super::error::GhostError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::{NewsletterRequest, Post, Status};
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

/// Checks, before anything is saved, that `asked` does not try to change a request that was
/// sent already (repeating it is fine). Returns the stored request.
pub async fn check(
    state: &AppState,
    post_id: &str,
    asked: Option<&NewsletterRequest>,
) -> Result<Option<PostNewsletter>, GhostError> {
    let stored = state.store.post_newsletter(post_id).await?;
    if let (Some(sent), Some(asked)) = (stored.as_ref().filter(|n| n.sent_at.is_some()), asked)
        && sent.request != *asked
    {
        return Err(already_sent());
    }
    Ok(stored)
}

fn already_sent() -> GhostError {
    GhostError::validation("Validation error, cannot email post. This post was already emailed.")
}

/// After the post is saved: stores `asked` when the post is being published (it was not live
/// before, and is published or scheduled now); drops an unsent request when the post is back
/// to draft, so publishing it later emails only if asked again, as in Ghost.
pub async fn record(
    state: &AppState,
    before: Option<&Post>,
    after: &Post,
    stored: Option<PostNewsletter>,
    asked: Option<NewsletterRequest>,
    now: DateTime<Utc>,
) -> Result<(), GhostError> {
    let sent = stored.as_ref().is_some_and(|n| n.sent_at.is_some());
    if after.status == Status::Draft && stored.is_some() && !sent {
        state.store.clear_post_newsletter(&after.id).await?;
        return Ok(());
    }
    let publishing = after.status == Status::Published && !before.is_some_and(|b| b.is_live(now));
    // `check` refused a change to a sent request; the store refuses one that raced it.
    if let Some(asked) = asked.filter(|_| publishing && !sent)
        && !state
            .store
            .set_post_newsletter(&after.id, &asked, now)
            .await?
    {
        return Err(already_sent());
    }
    Ok(())
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
