//! A member's activity: the kinds of event the member event log records, and one event as
//! read back. What each kind says to staff is worded by the console, which knows tier names
//! and post titles.

use chrono::{DateTime, Utc};
use serde_json::Value;

/// What happened to or was done by a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivityKind {
    SignedUp,
    SignedIn,
    /// A paid subscription began or moved to another tier (tier, cadence, amount).
    Subscribed,
    PaymentFailed,
    Canceled,
    /// A gift link given (post id) or redeemed.
    Gifted,
    /// Unsubscribed from emails.
    Unsubscribed,
    /// Given a tier for free.
    Comped,
    /// A metered read counted (post id).
    MeterHit,
    EmailChanged,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 10] = [
        ActivityKind::SignedUp,
        ActivityKind::SignedIn,
        ActivityKind::Subscribed,
        ActivityKind::PaymentFailed,
        ActivityKind::Canceled,
        ActivityKind::Gifted,
        ActivityKind::Unsubscribed,
        ActivityKind::Comped,
        ActivityKind::MeterHit,
        ActivityKind::EmailChanged,
    ];

    /// The name stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::SignedUp => "signed_up",
            ActivityKind::SignedIn => "signed_in",
            ActivityKind::Subscribed => "subscribed",
            ActivityKind::PaymentFailed => "payment_failed",
            ActivityKind::Canceled => "canceled",
            ActivityKind::Gifted => "gifted",
            ActivityKind::Unsubscribed => "unsubscribed",
            ActivityKind::Comped => "comped",
            ActivityKind::MeterHit => "meter_hit",
            ActivityKind::EmailChanged => "email_changed",
        }
    }

    /// The kind stored as `name`, if it is one.
    pub fn parse(name: &str) -> Option<ActivityKind> {
        ActivityKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// One entry of a member's activity. `amount` is in the currency's minor unit (cents);
/// `detail` holds what a kind adds (a subscription's cadence and currency, a gift's direction).
#[derive(Debug, Clone, PartialEq)]
pub struct MemberEvent {
    pub id: String,
    pub member_id: String,
    pub kind: ActivityKind,
    pub at: DateTime<Utc>,
    pub post_id: Option<String>,
    pub tier: Option<String>,
    pub amount: Option<i64>,
    pub detail: Value,
}

impl MemberEvent {
    /// An event of `kind` with nothing but its time.
    pub fn new(id: String, member_id: &str, kind: ActivityKind, at: DateTime<Utc>) -> Self {
        MemberEvent {
            id,
            member_id: member_id.to_owned(),
            kind,
            at,
            post_id: None,
            tier: None,
            amount: None,
            detail: Value::Null,
        }
    }

    /// A string field of `detail`, if set.
    pub fn detail_str(&self, key: &str) -> Option<&str> {
        self.detail.get(key).and_then(Value::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::ActivityKind;

    #[test]
    fn every_kind_reads_back_from_its_stored_name() {
        for kind in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ActivityKind::parse("signed_out"), None);
    }
}
