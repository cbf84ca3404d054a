//! Staff sessions (their own table and cookie, never a member's), the devices a staff user has
//! verified, and the codes mailed to verify a new one. Ids, device tokens and codes are stored
//! only as hashes computed by the caller.

use super::{STAFF_COLUMNS, StaffRow, StaffUser};
use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};

/// A session to start.
#[derive(Debug, Clone)]
pub struct NewStaffSession<'a> {
    pub id_hash: &'a str,
    pub author_id: &'a str,
    pub user_agent: &'a str,
    /// The client address as the log may show it (not the full IP).
    pub client: &'a str,
    pub now: DateTime<Utc>,
    pub expires: DateTime<Utc>,
}

/// A live staff session, as the staff user's sessions page lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StaffSession {
    pub id_hash: String,
    pub author_id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub user_agent: String,
    pub client: String,
}

impl StaffSession {
    pub fn created(&self) -> DateTime<Utc> {
        from_micros(self.created_at)
    }

    pub fn last_seen(&self) -> DateTime<Utc> {
        from_micros(self.last_seen_at)
    }

    pub fn expires(&self) -> DateTime<Utc> {
        from_micros(self.expires_at)
    }
}

/// Wrong guesses a device code takes before it stops accepting any.
pub const MAX_DEVICE_CODE_ATTEMPTS: i64 = 5;

/// What one guess at a device code came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceCodeAttempt {
    /// Right: the code is used up; the staff user it signs in.
    Taken(String),
    Wrong,
    /// Too many wrong guesses: no code was compared.
    Locked,
    /// Unknown, used or expired.
    NoLiveCode,
}

const SESSION_COLUMNS: &str =
    "id_hash, author_id, created_at, last_seen_at, expires_at, user_agent, client";

impl Store {
    pub async fn create_staff_session(&self, s: &NewStaffSession<'_>) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO staff_sessions (id_hash, author_id, created_at, last_seen_at, \
                 expires_at, user_agent, client) VALUES ($1, $2, $3, $3, $4, $5, $6)",
            )
            .bind(s.id_hash)
            .bind(s.author_id)
            .bind(to_micros(s.now))
            .bind(to_micros(s.expires))
            .bind(s.user_agent)
            .bind(s.client)
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// The active staff user of a live session (unexpired at `now`, begun after
    /// `signed_in_after`), and the session. Suspended staff have no live sessions.
    pub async fn staff_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
        signed_in_after: DateTime<Utc>,
    ) -> Result<Option<(StaffUser, StaffSession)>, StoreError> {
        let session: Option<StaffSession> = on_pool!(&self.db, read, |p| {
            sqlx::query_as(&format!(
                "SELECT {SESSION_COLUMNS} FROM staff_sessions \
                 WHERE id_hash = $1 AND expires_at > $2 AND created_at > $3"
            ))
            .bind(id_hash)
            .bind(to_micros(now))
            .bind(to_micros(signed_in_after))
            .fetch_optional(p)
            .await?
        });
        let Some(session) = session else {
            return Ok(None);
        };
        let sql = format!(
            "SELECT {STAFF_COLUMNS} FROM authors a WHERE a.id = $1 AND a.role IS NOT NULL \
             AND a.status = 'active'"
        );
        let row: Option<StaffRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(&session.author_id)
            .fetch_optional(p)
            .await?);
        Ok(row
            .map(StaffUser::try_from)
            .transpose()?
            .map(|u| (u, session)))
    }

    /// Records a session's use and slides its expiry.
    pub async fn extend_staff_session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "UPDATE staff_sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3",
            )
            .bind(to_micros(now))
            .bind(to_micros(expires))
            .bind(id_hash)
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// A staff user's live sessions, most recently used first.
    pub async fn staff_sessions_of(
        &self,
        author_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<StaffSession>, StoreError> {
        Ok(on_pool!(&self.db, read, |p| {
            sqlx::query_as(&format!(
                "SELECT {SESSION_COLUMNS} FROM staff_sessions WHERE author_id = $1 \
                 AND expires_at > $2 ORDER BY last_seen_at DESC, id_hash"
            ))
            .bind(author_id)
            .bind(to_micros(now))
            .fetch_all(p)
            .await?
        }))
    }

    /// Ends one session of this staff user; returns whether it existed.
    pub async fn delete_staff_session(
        &self,
        author_id: &str,
        id_hash: &str,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| {
            sqlx::query("DELETE FROM staff_sessions WHERE author_id = $1 AND id_hash = $2")
                .bind(author_id)
                .bind(id_hash)
                .execute(p)
                .await?
                .rows_affected()
        });
        Ok(n > 0)
    }

    /// Whether this staff user has verified the device whose token hashes to `device_hash`.
    pub async fn is_known_device(
        &self,
        author_id: &str,
        device_hash: &str,
    ) -> Result<bool, StoreError> {
        let n: i64 = on_pool!(&self.db, read, |p| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM staff_devices WHERE author_id = $1 AND device_hash = $2",
            )
            .bind(author_id)
            .bind(device_hash)
            .fetch_one(p)
            .await?
        });
        Ok(n > 0)
    }

    /// Remembers a verified device (again: its last use moves).
    pub async fn record_device(
        &self,
        author_id: &str,
        device_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO staff_devices (author_id, device_hash, created_at, last_seen_at) \
                 VALUES ($1, $2, $3, $3) ON CONFLICT (author_id, device_hash) \
                 DO UPDATE SET last_seen_at = excluded.last_seen_at",
            )
            .bind(author_id)
            .bind(device_hash)
            .bind(to_micros(now))
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// Stores a device code (hashes of the pending sign-in's token and of the code).
    pub async fn create_device_code(
        &self,
        token_hash: &str,
        code_hash: &str,
        author_id: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO staff_device_codes (token_hash, code_hash, author_id, created_at, \
                 expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash)
            .bind(code_hash)
            .bind(author_id)
            .bind(to_micros(now))
            .bind(to_micros(expires))
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// One guess at the code of a pending sign-in: counted, capped and compared in one
    /// statement, so parallel guesses get no more comparisons than sequential ones.
    pub async fn take_device_code(
        &self,
        token_hash: &str,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<DeviceCodeAttempt, StoreError> {
        let row: Option<(String, Option<i64>)> = on_pool!(&self.db, write, |p| {
            sqlx::query_as(
                "UPDATE staff_device_codes SET attempts = attempts + 1, \
                 used_at = CASE WHEN code_hash = $2 THEN $3 ELSE used_at END \
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $3 AND attempts < $4 \
                 RETURNING author_id, used_at",
            )
            .bind(token_hash)
            .bind(code_hash)
            .bind(to_micros(now))
            .bind(MAX_DEVICE_CODE_ATTEMPTS)
            .fetch_optional(p)
            .await?
        });
        if let Some((author_id, used)) = row {
            return Ok(if used.is_some() {
                DeviceCodeAttempt::Taken(author_id)
            } else {
                DeviceCodeAttempt::Wrong
            });
        }
        let locked: i64 = on_pool!(&self.db, read, |p| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM staff_device_codes WHERE token_hash = $1 \
                 AND used_at IS NULL AND expires_at > $2 AND attempts >= $3",
            )
            .bind(token_hash)
            .bind(to_micros(now))
            .bind(MAX_DEVICE_CODE_ATTEMPTS)
            .fetch_one(p)
            .await?
        });
        Ok(if locked > 0 {
            DeviceCodeAttempt::Locked
        } else {
            DeviceCodeAttempt::NoLiveCode
        })
    }

    /// Stores a pending sign-in that waits for a TOTP code (in the device-code table, with no
    /// code of its own: `-` is never a code's hash).
    pub async fn create_totp_challenge(
        &self,
        token_hash: &str,
        author_id: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.create_device_code(token_hash, TOTP_MARK, author_id, now, expires)
            .await
    }

    /// Counts one guess at a TOTP challenge: the staff user it is for, while it is live and has
    /// guesses left (`MAX_DEVICE_CODE_ATTEMPTS`); `None` otherwise. The caller compares the
    /// code and, when right, ends the challenge with `take_totp_challenge`.
    pub async fn record_totp_attempt(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        Ok(on_pool!(&self.db, write, |p| {
            sqlx::query_scalar(
                "UPDATE staff_device_codes SET attempts = attempts + 1 WHERE token_hash = $1 \
                 AND code_hash = $2 AND used_at IS NULL AND expires_at > $3 AND attempts < $4 \
                 RETURNING author_id",
            )
            .bind(token_hash)
            .bind(TOTP_MARK)
            .bind(to_micros(now))
            .bind(MAX_DEVICE_CODE_ATTEMPTS)
            .fetch_optional(p)
            .await?
        }))
    }

    /// Ends a TOTP challenge once; returns whether this call ended it.
    pub async fn take_totp_challenge(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| {
            sqlx::query(
                "UPDATE staff_device_codes SET used_at = $1 WHERE token_hash = $2 \
                 AND code_hash = $3 AND used_at IS NULL",
            )
            .bind(to_micros(now))
            .bind(token_hash)
            .bind(TOTP_MARK)
            .execute(p)
            .await?
            .rows_affected()
        });
        Ok(n == 1)
    }
}

/// The `code_hash` of a pending TOTP sign-in.
const TOTP_MARK: &str = "-";
