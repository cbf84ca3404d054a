//! The JSON bodies webhooks carry, in Ghost's `{"post": {"current": …, "previous": …}}` form.
//! Posts are shown as the Content API shows them to an anonymous reader (from `PostView`), so
//! a webhook never carries the gated part of a story: receivers are third parties.

use crate::ghost::params::Params;
use crate::ghost::shapes;
use chrono::{DateTime, Utc};
use domain::access::{Viewer, project};
use domain::billing::Subscription;
use domain::{Member, Post, Tier};
use serde_json::{Map, Value, json};

/// A post or page as an anonymous reader would see it, with Ghost's `status`.
pub fn post(public_url: &str, post: &Post, now: DateTime<Utc>) -> Value {
    let view = project(post, &Viewer::anonymous(), now);
    let params = Params {
        include: vec!["tags".into(), "authors".into()],
        formats: vec!["html".into(), "plaintext".into()],
        ..Params::default()
    };
    let mut v = shapes::post(&view, public_url, &params, &[]);
    v["status"] = json!(shapes::status(post, now));
    v
}

/// Ghost's change envelope: `current` in full, `previous` holding only what changed (its old
/// values), `{}` for either side that does not exist.
pub fn change(resource: &str, previous: Option<&Value>, current: Option<&Value>) -> Value {
    let empty = Value::Object(Map::new());
    let previous = match (previous, current) {
        (Some(Value::Object(old)), Some(Value::Object(new))) => Value::Object(
            old.iter()
                .filter(|(k, v)| new.get(*k) != Some(*v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        (Some(old), _) => old.clone(),
        (None, _) => empty.clone(),
    };
    json!({ resource: { "current": current.cloned().unwrap_or(empty), "previous": previous } })
}

/// A member with their subscription, as the Admin API shows them.
pub async fn member(store: &store::Store, m: &Member) -> Result<Value, store::StoreError> {
    let sub = store.subscription(&m.id).await?;
    member_holding(store, m, sub.as_ref()).await
}

/// A member as the Admin API shows them while holding `sub`, which need not be the stored one
/// (the subscription before a change already committed).
pub async fn member_holding(
    store: &store::Store,
    m: &Member,
    sub: Option<&Subscription>,
) -> Result<Value, store::StoreError> {
    let tiers = store.tiers().await?;
    Ok(shapes::member(m, sub, &tiers, &[]))
}

/// `{"subscription": {"current", "previous"}, "member": …}` for the subscription events.
pub fn subscription(
    member: Value,
    before: Option<&Subscription>,
    after: &Subscription,
    tiers: &[Tier],
) -> Value {
    let before = before.map(|s| shapes::subscription(s, tiers));
    let mut v = change(
        "subscription",
        before.as_ref(),
        Some(&shapes::subscription(after, tiers)),
    );
    v["member"] = member;
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_holds_only_the_old_values_of_what_changed() {
        let old = json!({ "title": "Old", "slug": "s", "status": "draft" });
        let new = json!({ "title": "New", "slug": "s", "status": "published" });
        let v = change("post", Some(&old), Some(&new));
        assert_eq!(v["post"]["current"], new);
        assert_eq!(
            v["post"]["previous"],
            json!({ "title": "Old", "status": "draft" })
        );
        let added = change("member", None, Some(&new));
        assert_eq!(added["member"]["previous"], json!({}));
        let deleted = change("post", Some(&old), None);
        assert_eq!(deleted["post"]["current"], json!({}));
        assert_eq!(deleted["post"]["previous"], old);
    }
}
