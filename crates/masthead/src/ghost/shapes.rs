//! Ghost's JSON shapes for posts, pages, tags, authors, tiers and offers, built from what a reader may
//! see: posts only from a `PostView`. Our own typed fields (kicker, dek, image credit, author
//! credentials) sit under a `masthead` object, a name Ghost does not use.

use super::params::Params;
use chrono::{DateTime, SecondsFormat, Utc};
use domain::billing::{Subscription, SubscriptionStatus};
use domain::{Access, Author, Label, Member, Offer, Post, PostView, Status, Tag, Tier};
use render::context::{author_url, post_url, tag_url};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Ghost's timestamps: `2026-11-20T09:30:00.000+00:00`.
pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, false)
}

/// A URL as Ghost gives it: absolute.
pub fn absolute(base: &str, url: &str) -> String {
    if url.starts_with('/') {
        format!("{base}{url}")
    } else {
        url.to_owned()
    }
}

fn non_empty(s: &str) -> Value {
    if s.trim().is_empty() {
        Value::Null
    } else {
        Value::String(s.to_owned())
    }
}

/// Post counts for `include=count.posts`, when asked for.
pub type Counts = Option<HashMap<String, u64>>;

pub fn tag(t: &Tag, base: &str, counts: &Counts) -> Value {
    let mut v = json!({
        "id": t.id,
        "name": t.name,
        "slug": t.slug.as_str(),
        "description": non_empty(&t.description),
        "feature_image": t.meta.feature_image,
        "visibility": "public",
        "og_image": null, "og_title": null, "og_description": null,
        "twitter_image": null, "twitter_title": null, "twitter_description": null,
        "meta_title": t.meta.meta_title, "meta_description": t.meta.meta_description,
        "codeinjection_head": null, "codeinjection_foot": null,
        "canonical_url": null,
        "accent_color": t.meta.accent_color,
        "url": absolute(base, &tag_url(t.slug.as_str())),
        "masthead": { "kind": t.kind.as_str() },
    });
    if let Some(counts) = counts {
        v["count"] = json!({ "posts": counts.get(&t.id).copied().unwrap_or(0) });
    }
    v
}

pub fn author(a: &Author, base: &str, counts: &Counts) -> Value {
    let mut v = json!({
        "id": a.id,
        "name": a.name,
        "slug": a.slug.as_str(),
        "profile_image": a.avatar.as_deref().map(|u| absolute(base, u)),
        "cover_image": null,
        "bio": non_empty(&a.bio),
        "website": a.website,
        "location": null,
        "facebook": null,
        "twitter": null,
        "meta_title": null,
        "meta_description": null,
        "url": absolute(base, &author_url(a.slug.as_str())),
        "masthead": { "credentials": non_empty(&a.credentials) },
    });
    if let Some(counts) = counts {
        v["count"] = json!({ "posts": counts.get(&a.id).copied().unwrap_or(0) });
    }
    v
}

pub fn tier(t: &Tier) -> Value {
    let paid = t.is_paid();
    json!({
        "id": t.id,
        "name": t.name,
        "slug": t.slug.as_str(),
        "description": non_empty(&t.description),
        "active": t.active,
        "type": if paid { "paid" } else { "free" },
        "welcome_page_url": null,
        "visibility": "public",
        "trial_days": t.trial_days,
        "currency": paid.then(|| t.currency.to_uppercase()),
        "monthly_price": paid.then_some(t.monthly_price),
        "yearly_price": paid.then_some(t.yearly_price),
        "benefits": t.benefits,
    })
}

/// A tier as the Admin API shows it: `visibility` is `public` when it is on the sign-up page,
/// `none` when it is not.
pub fn tier_entry(e: &store::TierEntry) -> Value {
    let mut v = tier(&e.tier);
    v["visibility"] = json!(if e.listing.visible { "public" } else { "none" });
    v
}

/// An offer as the Admin API shows it, with the tier it discounts (`None` if that is gone).
pub fn offer(o: &Offer, on: Option<&Tier>) -> Value {
    json!({
        "id": o.id,
        "name": o.name,
        "code": o.code.as_str(),
        "display_title": non_empty(&o.display_title),
        "display_description": non_empty(&o.display_description),
        "type": o.kind.as_str(),
        "cadence": o.cadence.as_str(),
        "amount": o.kind.amount(),
        "duration": o.duration.as_str(),
        "duration_in_months": o.duration.months(),
        "currency_restriction": o.kind.currency().is_some(),
        "currency": o.kind.currency().map(str::to_uppercase),
        "status": if o.active { "active" } else { "archived" },
        "redemption_count": o.redemptions,
        "tier": { "id": o.tier_id, "name": on.map(|t| t.name.as_str()) },
    })
}

/// Ghost's status of a stored post: a published post with a future date is scheduled.
pub fn status(post: &Post, now: DateTime<Utc>) -> &'static str {
    match post.status {
        Status::Published if post.published_at.is_some_and(|at| at > now) => "scheduled",
        s => s.as_str(),
    }
}

/// A member label as Ghost's Admin API shows it (in a member's `labels` and under `/labels/`).
pub fn label(l: &Label) -> Value {
    json!({
        "id": l.id,
        "name": l.name,
        "slug": l.slug.as_str(),
        "created_at": time(l.created_at),
        "updated_at": time(l.updated_at),
    })
}

/// A member as the Admin API shows it, with the paid tiers their subscription (`sub`) holds
/// and their `labels`.
pub fn member(m: &Member, sub: Option<&Subscription>, tiers: &[Tier], labels: &[Label]) -> Value {
    let held: Vec<Value> = sub
        .iter()
        .filter(|s| s.status != SubscriptionStatus::Canceled)
        .filter_map(|s| tiers.iter().find(|t| t.slug == s.tier && t.is_paid()))
        .map(tier)
        .collect();
    let status = match sub {
        _ if held.is_empty() => "free",
        Some(s) if s.status == SubscriptionStatus::Comped => "comped",
        _ => "paid",
    };
    let created = time(m.created_at);
    json!({
        "id": m.id,
        "uuid": m.id,
        "email": m.email.as_str(),
        "name": (!m.name.is_empty()).then_some(&m.name),
        "note": null,
        "status": status,
        "comped": status == "comped",
        "tiers": held,
        "labels": labels.iter().map(label).collect::<Vec<_>>(),
        "newsletters": [],
        "subscriptions": [],
        "email_count": 0,
        "created_at": created,
        "updated_at": created,
    })
}

/// A subscription, for the webhooks Ghost lacks (`subscription.*`, `payment.failed`).
pub fn subscription(s: &Subscription, tiers: &[Tier]) -> Value {
    json!({
        "tier": tiers.iter().find(|t| t.slug == s.tier).map_or_else(
            || json!({ "slug": s.tier.as_str() }),
            tier,
        ),
        "status": s.status.as_str(),
        "stripe_subscription_id": s.stripe_subscription_id,
        "stripe_customer_id": s.stripe_customer_id,
        "current_period_end": s.current_period_end.map(time),
        "cancel_at_period_end": s.cancel_at_period_end,
        "past_due_since": s.past_due_since.map(time),
        "comped_until": s.comped_until.map(time),
    })
}

/// A post or page as the Content API shows it to an anonymous reader holding a content key:
/// `html`, `plaintext`, `excerpt` and `reading_time` come from the view, so a gated post
/// shows its free part only.
pub fn post(v: &PostView, base: &str, params: &Params, tiers: &[Tier]) -> Value {
    let image = v.image.as_ref();
    let custom_excerpt = non_empty(&v.dek);
    let excerpt = match &custom_excerpt {
        Value::String(dek) => dek.clone(),
        _ => v.excerpt(500),
    };
    let mut out = json!({
        "id": v.id,
        "uuid": v.id,
        "title": v.title,
        "slug": v.slug.as_str(),
        "comment_id": v.id,
        "feature_image": image.map(|i| absolute(base, &i.url)),
        "feature_image_alt": image.map(|i| non_empty(&i.alt)),
        "feature_image_caption": image.map(|i| non_empty(&i.caption)),
        "featured": v.featured,
        "visibility": v.visibility.kind(),
        "created_at": time(v.created_at),
        "updated_at": time(v.updated_at),
        "published_at": v.published_at.map(time),
        "custom_excerpt": custom_excerpt,
        "codeinjection_head": null,
        "codeinjection_foot": null,
        "custom_template": null,
        "canonical_url": v.canonical_url,
        "url": absolute(base, &post_url(v.slug.as_str())),
        "excerpt": excerpt,
        "reading_time": v.reading_minutes(),
        "access": v.access == Access::Full,
        "comments": false,
        "og_image": v.social.og_image.as_deref().map(|u| absolute(base, u)),
        "og_title": v.social.og_title,
        "og_description": v.social.og_description,
        "twitter_image": v.social.twitter_image.as_deref().map(|u| absolute(base, u)),
        "twitter_title": v.social.twitter_title,
        "twitter_description": v.social.twitter_description,
        "meta_title": v.meta_title,
        "meta_description": v.meta_description,
        "email_subject": null,
        "frontmatter": null,
        "masthead": {
            "kicker": v.section().map(|t| t.name.clone()),
            "dek": non_empty(&v.dek),
            "image_credit": image.map(|i| non_empty(&i.credit)),
            "image_width": image.and_then(|i| i.width),
            "image_height": image.and_then(|i| i.height),
        },
    });
    if params.wants_format("html") {
        out["html"] = json!(v.html);
    }
    if params.wants_format("plaintext") {
        out["plaintext"] = json!(v.text);
    }
    let mut out = only_fields(out, &params.fields);
    let none = None;
    if params.includes("tags") {
        let tags: Vec<Value> = v.tags.iter().map(|t| tag(t, base, &none)).collect();
        out.insert(
            "primary_tag".into(),
            tags.first().cloned().unwrap_or(Value::Null),
        );
        out.insert("tags".into(), Value::Array(tags));
    }
    if params.includes("authors") {
        let authors: Vec<Value> = v.authors.iter().map(|a| author(a, base, &none)).collect();
        out.insert(
            "primary_author".into(),
            authors.first().cloned().unwrap_or(Value::Null),
        );
        out.insert("authors".into(), Value::Array(authors));
    }
    if params.includes("tiers") {
        out.insert("tiers".into(), Value::Array(post_tiers(v, tiers)));
    }
    Value::Object(out)
}

/// The tiers whose members may read the post in full (Ghost's `tiers` on a post).
fn post_tiers(v: &PostView, tiers: &[Tier]) -> Vec<Value> {
    use domain::Visibility as V;
    tiers
        .iter()
        .filter(|t| {
            let paid = t.is_paid();
            match &v.visibility {
                V::Public | V::Members => true,
                V::Paid => paid,
                V::Tiers(slugs) => paid && slugs.contains(&t.slug),
            }
        })
        .map(tier)
        .collect()
}

/// Keeps only the `fields` asked for (all when none are named).
pub fn only_fields(v: Value, fields: &[String]) -> Map<String, Value> {
    let Value::Object(map) = v else {
        return Map::new();
    };
    if fields.is_empty() {
        return map;
    }
    map.into_iter()
        .filter(|(k, _)| fields.iter().any(|f| f == k))
        .collect()
}
