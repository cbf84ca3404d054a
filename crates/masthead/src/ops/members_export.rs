//! The members CSV export in Ghost's column layout, written in batches so a response can
//! stream it: `id, email, name, note, subscribed_to_emails, complimentary_plan,
//! stripe_customer_id, created_at, deleted_at, labels, tiers`. A read, with no side effects;
//! it lives beside the console's writes because the console and the CLI both call it.

use super::OpsError;
use chrono::SecondsFormat;
use domain::billing::SubscriptionStatus;
use store::{ListedMember, MemberCursor, MemberQuery, Store};

/// Ghost's member CSV header.
pub const COLUMNS: [&str; 11] = [
    "id",
    "email",
    "name",
    "note",
    "subscribed_to_emails",
    "complimentary_plan",
    "stripe_customer_id",
    "created_at",
    "deleted_at",
    "labels",
    "tiers",
];

/// Members per batch.
pub const BATCH: u32 = 500;

/// The CSV header line.
pub fn header() -> Result<Vec<u8>, OpsError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).map_err(invalid)?;
    w.into_inner().map_err(|e| invalid(e.into_error()))
}

fn invalid(e: impl std::fmt::Display) -> OpsError {
    OpsError::Invalid(format!("The export could not be written: {e}"))
}

/// The CSV rows of the next batch of members `query` selects after `cursor`, and the cursor
/// after it (`None`: that was the last batch).
pub async fn batch(
    store: &Store,
    query: &MemberQuery,
    cursor: Option<&MemberCursor>,
) -> Result<(Vec<u8>, Option<MemberCursor>), OpsError> {
    let members = store.member_batch(query, cursor, BATCH).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    for m in &members {
        w.write_record(row(m)).map_err(invalid)?;
    }
    let next = members
        .last()
        .filter(|_| members.len() == BATCH as usize)
        .map(|m| MemberCursor {
            created_at: m.member.created_at,
            id: m.member.id.clone(),
        });
    Ok((w.into_inner().map_err(|e| invalid(e.into_error()))?, next))
}

/// A member as one CSV row. A cell that a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@` first) is written with a leading `'`, as OWASP advises for CSV exports.
fn row(m: &ListedMember) -> Vec<String> {
    let sub = m.subscription.as_ref();
    let live = sub.filter(|s| s.status != SubscriptionStatus::Canceled);
    let comped = sub.is_some_and(|s| s.status == SubscriptionStatus::Comped);
    let labels: Vec<&str> = m.labels.iter().map(|l| l.name.as_str()).collect();
    [
        m.member.id.clone(),
        m.member.email.to_string(),
        m.member.name.clone(),
        m.profile.note.clone(),
        m.profile.subscribed.to_string(),
        comped.to_string(),
        m.member.stripe_customer_id.clone().unwrap_or_default(),
        m.member
            .created_at
            .to_rfc3339_opts(SecondsFormat::Millis, true),
        String::new(),
        labels.join(","),
        live.map(|s| s.tier.to_string()).unwrap_or_default(),
    ]
    .into_iter()
    .map(defuse)
    .collect()
}

fn defuse(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}
