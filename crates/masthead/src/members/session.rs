//! Sessions as the store keeps them: a random opaque id, stored only as its hash, with a 30-day
//! sliding expiry and a 90-day absolute lifetime (counted from sign-in, however often the
//! session is used). Which member a session signs in is looked up here; starting and ending
//! sessions are use cases (`ops::sessions`), and the cookie that carries the id is HTTP's
//! (`http::session`).

use chrono::{DateTime, Duration, Utc};
use domain::Member;
use domain::access::MemberAccess;
use domain::billing::Subscription;
use store::{Store, StoreError};

pub const SESSION_DAYS: i64 = 30;
/// A session ends this many days after its sign-in even when used every day, so a stolen
/// cookie does not work for ever.
pub const SESSION_MAX_DAYS: i64 = 90;

/// The member a live session signs in.
#[derive(Debug, Clone)]
pub struct CurrentMember {
    pub member: Member,
    pub subscription: Option<Subscription>,
    session_hash: String,
}

impl CurrentMember {
    /// What the member's subscription entitles them to at `now`.
    pub fn access(&self, now: DateTime<Utc>, grace: Duration) -> MemberAccess {
        MemberAccess::from_subscription(self.subscription.as_ref(), now, grace)
    }

    /// The hash of the session's id, as the store keeps it.
    pub fn session_hash(&self) -> &str {
        &self.session_hash
    }
}

/// The member whose live session has the id hashing to `session_hash`, sliding its expiry
/// forward once a day.
pub async fn signed_in(
    store: &Store,
    session_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<CurrentMember>, StoreError> {
    let signed_in_after = now - Duration::days(SESSION_MAX_DAYS);
    let found = store
        .session_member(session_hash, now, signed_in_after)
        .await?;
    let Some((member, expires)) = found else {
        return Ok(None);
    };
    if expires < now + Duration::days(SESSION_DAYS - 1) {
        store
            .extend_session(session_hash, now + Duration::days(SESSION_DAYS))
            .await?;
    }
    // "Last seen" for the members console: written at most once an hour per member, after a
    // read that finds it fresh the rest of the time, so a member's requests rarely write.
    store.touch_member_seen(&member.id, now).await?;
    let subscription = store.subscription(&member.id).await?;
    Ok(Some(CurrentMember {
        member,
        subscription,
        session_hash: session_hash.to_owned(),
    }))
}
