//! Stripe webhooks: checking the `Stripe-Signature` header and reading event JSON into
//! `domain::billing::Event`s.
//!
//! Verify first, then parse: `parse` trusts nothing, but only a verified payload should reach it.

use chrono::{DateTime, Duration, Utc};
use domain::Slug;
use domain::billing::{BillingEvent, Event};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("the request has no Stripe-Signature header")]
    MissingHeader,
    #[error("malformed webhook: {0}")]
    Malformed(String),
    #[error(
        "the webhook was signed {skew_secs} seconds away from now, outside the allowed tolerance"
    )]
    StaleTimestamp { skew_secs: i64 },
    #[error("no webhook signature matches a configured signing secret")]
    BadSignature,
}

/// Checks a `Stripe-Signature` header (`t=…,v1=…[,v1=…][,v0=…]`) against the raw request body.
///
/// Any `v1` signature made with any of `secrets` is accepted, so a secret can be rolled while the
/// old one still signs. The signature is checked before the timestamp, so `StaleTimestamp` only
/// ever describes a genuine event that arrived too late (or a replay), never a forgery.
///
/// An empty secret is never used: HMAC accepts an empty key, and anyone can sign with it. The
/// configuration drops empty entries already; this is the last line should one slip through.
pub fn verify(
    signature_header: &str,
    payload: &[u8],
    secrets: &[String],
    now: DateTime<Utc>,
    tolerance: Duration,
) -> Result<(), WebhookError> {
    let header = SignatureHeader::parse(signature_header)?;
    let signed = secrets
        .iter()
        .filter(|secret| !secret.is_empty())
        .any(|secret| {
            header.signatures.iter().any(|signature| {
                // `verify_slice` compares in constant time, so timing reveals nothing about the MAC.
                mac(secret, header.timestamp_raw, payload)
                    .verify_slice(signature)
                    .is_ok()
            })
        });
    if !signed {
        return Err(WebhookError::BadSignature);
    }
    let skew_secs = now.timestamp().saturating_sub(header.timestamp);
    if skew_secs.unsigned_abs() > tolerance.num_seconds().unsigned_abs() {
        return Err(WebhookError::StaleTimestamp { skew_secs });
    }
    Ok(())
}

/// A valid `Stripe-Signature` header for `payload`, as Stripe would send it at time `t`.
/// For tests and the fake Stripe server.
pub fn sign(payload: &[u8], secret: &str, t: i64) -> String {
    let signature = mac(secret, &t.to_string(), payload).finalize().into_bytes();
    format!("t={t},v1={}", hex::encode(signature))
}

/// Stripe signs `"{t}.{payload}"` with HMAC-SHA256, keyed by the endpoint's signing secret.
fn mac(secret: &str, timestamp: &str, payload: &[u8]) -> HmacSha256 {
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac
}

struct SignatureHeader<'a> {
    /// The timestamp exactly as sent, because that text is what Stripe signed.
    timestamp_raw: &'a str,
    timestamp: i64,
    signatures: Vec<Vec<u8>>,
}

impl<'a> SignatureHeader<'a> {
    /// Reads `key=value` pairs in any order. Unknown keys (such as `v0`, the test-mode scheme) are
    /// skipped, and so is a `v1` that is not hex: it could never match anyway.
    fn parse(header: &'a str) -> Result<SignatureHeader<'a>, WebhookError> {
        if header.trim().is_empty() {
            return Err(WebhookError::MissingHeader);
        }
        let malformed =
            |what: &str| WebhookError::Malformed(format!("Stripe-Signature header {what}"));
        let mut timestamp = None;
        let mut signatures = Vec::new();
        for pair in header.split(',') {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| malformed("has an item without '='"))?;
            match key.trim() {
                "t" if timestamp.is_some() => return Err(malformed("has two timestamps")),
                "t" => timestamp = Some(value.trim()),
                "v1" => signatures.extend(hex::decode(value.trim()).ok()),
                _ => {}
            }
        }
        let timestamp_raw = timestamp.ok_or_else(|| malformed("has no timestamp (t=)"))?;
        let timestamp = timestamp_raw
            .parse()
            .map_err(|_| malformed("has a timestamp that is not a number"))?;
        if signatures.is_empty() {
            return Err(malformed("has no v1 signature"));
        }
        Ok(SignatureHeader {
            timestamp_raw,
            timestamp,
            signatures,
        })
    }
}

/// Reads a Stripe event. Types that billing does not act on become `BillingEvent::Ignored`; a
/// handled type missing a field billing needs is `Malformed`, naming the field.
pub fn parse(payload: &[u8]) -> Result<Event, WebhookError> {
    let envelope: Envelope = serde_json::from_slice(payload)
        .map_err(|e| WebhookError::Malformed(format!("event JSON: {e}")))?;
    let id = envelope
        .id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| missing("event", "id"))?;
    let event_type = envelope
        .event_type
        .ok_or_else(|| missing("event", "type"))?;
    let created = timestamp(
        envelope
            .created
            .ok_or_else(|| missing("event", "created"))?,
        "created",
    )?;
    let object = envelope.data.and_then(|data| data.object);
    let kind = match event_type.as_str() {
        "checkout.session.completed" => {
            checkout_completed(object_of(&event_type, object)?, &event_type)?
        }
        "customer.subscription.created"
        | "customer.subscription.updated"
        | "customer.subscription.deleted" => {
            subscription_event(object_of(&event_type, object)?, &event_type)?
        }
        "invoice.paid" | "invoice.payment_failed" => {
            invoice_event(object_of(&event_type, object)?, &event_type)?
        }
        _ => BillingEvent::Ignored { event_type },
    };
    Ok(Event { id, created, kind })
}

#[derive(Deserialize)]
struct Envelope {
    id: Option<String>,
    #[serde(rename = "type")]
    event_type: Option<String>,
    created: Option<i64>,
    data: Option<EventData>,
}

#[derive(Deserialize)]
struct EventData {
    object: Option<serde_json::Value>,
}

/// Stripe sends a related object as its id, or as the whole object when it was expanded.
#[derive(Deserialize)]
#[serde(untagged)]
enum IdOrObject {
    Id(String),
    Object { id: String },
}

impl IdOrObject {
    fn into_id(self) -> String {
        match self {
            IdOrObject::Id(id) | IdOrObject::Object { id } => id,
        }
    }
}

/// The keys Masthead puts into Stripe metadata at checkout.
#[derive(Deserialize, Default)]
struct Metadata {
    tier: Option<String>,
    member_id: Option<String>,
}

#[derive(Deserialize)]
struct List<T> {
    data: Option<Vec<T>>,
}

impl<T> List<T> {
    fn items(list: Option<List<T>>) -> Vec<T> {
        list.and_then(|list| list.data).unwrap_or_default()
    }
}

#[derive(Deserialize)]
struct CheckoutSession {
    customer: Option<IdOrObject>,
    subscription: Option<IdOrObject>,
    client_reference_id: Option<String>,
    metadata: Option<Metadata>,
    mode: Option<String>,
}

/// A completed Checkout Session. One-off payments (any mode but `subscription`) do not touch
/// billing state, so they are ignored rather than rejected.
fn checkout_completed(
    object: serde_json::Value,
    event_type: &str,
) -> Result<BillingEvent, WebhookError> {
    let session: CheckoutSession = read_object(object, event_type)?;
    if session
        .mode
        .as_deref()
        .is_some_and(|mode| mode != "subscription")
    {
        return Ok(BillingEvent::Ignored {
            event_type: event_type.to_owned(),
        });
    }
    let metadata = session.metadata.unwrap_or_default();
    Ok(BillingEvent::CheckoutCompleted {
        member_id: non_empty(session.client_reference_id).or(non_empty(metadata.member_id)),
        customer_id: session
            .customer
            .map(IdOrObject::into_id)
            .ok_or_else(|| missing(event_type, "customer"))?,
        subscription_id: session
            .subscription
            .map(IdOrObject::into_id)
            .ok_or_else(|| missing(event_type, "subscription"))?,
        tier: tier(metadata.tier)?,
    })
}

#[derive(Deserialize)]
struct StripeSubscription {
    id: Option<String>,
    customer: Option<IdOrObject>,
    status: Option<String>,
    cancel_at_period_end: Option<bool>,
    /// Older API versions; newer ones only have it on each item.
    current_period_end: Option<i64>,
    metadata: Option<Metadata>,
    items: Option<List<SubscriptionItem>>,
}

#[derive(Deserialize)]
struct SubscriptionItem {
    current_period_end: Option<i64>,
    price: Option<Price>,
}

#[derive(Deserialize)]
struct Price {
    metadata: Option<Metadata>,
}

/// `customer.subscription.*`. The tier comes from the subscription's metadata (set at checkout),
/// else from its first price's metadata (prices created in the Stripe dashboard).
fn subscription_event(
    object: serde_json::Value,
    event_type: &str,
) -> Result<BillingEvent, WebhookError> {
    let sub: StripeSubscription = read_object(object, event_type)?;
    let subscription_id = sub.id.ok_or_else(|| missing(event_type, "id"))?;
    let customer_id = sub
        .customer
        .map(IdOrObject::into_id)
        .ok_or_else(|| missing(event_type, "customer"))?;
    let metadata = sub.metadata.unwrap_or_default();
    let member_id = non_empty(metadata.member_id);
    if event_type == "customer.subscription.deleted" {
        return Ok(BillingEvent::SubscriptionDeleted {
            member_id,
            customer_id,
            subscription_id,
        });
    }
    let items = List::items(sub.items);
    let first = items.into_iter().next();
    let item_period_end = first.as_ref().and_then(|item| item.current_period_end);
    let price_tier = first.and_then(|item| item.price?.metadata?.tier);
    let period_end = sub.current_period_end.or(item_period_end);
    Ok(BillingEvent::SubscriptionUpdated {
        member_id,
        customer_id,
        subscription_id,
        tier: tier(non_empty(metadata.tier).or(price_tier))?,
        stripe_status: sub.status.ok_or_else(|| missing(event_type, "status"))?,
        current_period_end: period_end
            .map(|secs| timestamp(secs, "current_period_end"))
            .transpose()?,
        cancel_at_period_end: sub.cancel_at_period_end.unwrap_or(false),
    })
}

#[derive(Deserialize)]
struct Invoice {
    customer: Option<IdOrObject>,
    /// Older API versions; newer ones name it under `parent.subscription_details`.
    subscription: Option<IdOrObject>,
    parent: Option<InvoiceParent>,
    lines: Option<List<InvoiceLine>>,
}

#[derive(Deserialize)]
struct InvoiceParent {
    subscription_details: Option<SubscriptionDetails>,
}

#[derive(Deserialize)]
struct SubscriptionDetails {
    subscription: Option<IdOrObject>,
}

#[derive(Deserialize)]
struct InvoiceLine {
    period: Option<Period>,
}

#[derive(Deserialize)]
struct Period {
    end: Option<i64>,
}

/// `invoice.paid` and `invoice.payment_failed`. The period end is the latest end among the lines:
/// proration lines end no later than the subscription's own line. (The invoice's top-level
/// `period_end` is the previous period's end, so it is not used.)
fn invoice_event(
    object: serde_json::Value,
    event_type: &str,
) -> Result<BillingEvent, WebhookError> {
    let invoice: Invoice = read_object(object, event_type)?;
    let customer_id = invoice
        .customer
        .map(IdOrObject::into_id)
        .ok_or_else(|| missing(event_type, "customer"))?;
    let parent_subscription = invoice
        .parent
        .and_then(|p| p.subscription_details?.subscription);
    let subscription_id = invoice
        .subscription
        .or(parent_subscription)
        .map(IdOrObject::into_id);
    if event_type == "invoice.payment_failed" {
        return Ok(BillingEvent::InvoicePaymentFailed {
            customer_id,
            subscription_id,
        });
    }
    let period_end = List::items(invoice.lines)
        .into_iter()
        .filter_map(|line| line.period?.end)
        .max();
    let period_end = period_end
        .map(|secs| timestamp(secs, "lines.data.period.end"))
        .transpose()?;
    Ok(BillingEvent::InvoicePaid {
        customer_id,
        subscription_id,
        period_end,
    })
}

fn object_of(
    event_type: &str,
    object: Option<serde_json::Value>,
) -> Result<serde_json::Value, WebhookError> {
    object.ok_or_else(|| WebhookError::Malformed(format!("{event_type} event has no data.object")))
}

fn read_object<T: DeserializeOwned>(
    object: serde_json::Value,
    event_type: &str,
) -> Result<T, WebhookError> {
    serde_json::from_value(object)
        .map_err(|e| WebhookError::Malformed(format!("{event_type} data.object: {e}")))
}

fn missing(what: &str, field: &str) -> WebhookError {
    WebhookError::Malformed(format!("{what} is missing {field}"))
}

fn timestamp(secs: i64, field: &str) -> Result<DateTime<Utc>, WebhookError> {
    DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| WebhookError::Malformed(format!("{field} {secs} is not a valid time")))
}

/// Stripe metadata cannot hold null, so an empty value is how a key is left unset.
fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

fn tier(raw: Option<String>) -> Result<Option<Slug>, WebhookError> {
    non_empty(raw)
        .map(|raw| {
            Slug::parse(&raw).map_err(|e| WebhookError::Malformed(format!("metadata tier: {e}")))
        })
        .transpose()
}

#[cfg(test)]
mod tests;
