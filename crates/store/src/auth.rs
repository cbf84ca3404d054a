//! Sign-in state: sessions and single-use magic-link tokens. Secrets are stored only as hashes
//! computed by the caller; this module never sees a raw token.

use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::Member;

/// A pending sign-in, sign-up or email change.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LoginToken {
    pub token_hash: String,
    pub code_hash: String,
    pub email: String,
    /// `signup`, `signin` or `email_change`.
    pub purpose: String,
    pub member_id: Option<String>,
    pub name: String,
    pub tier: String,
    pub redirect: String,
    pub attempts: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// Wrong codes allowed per token before it stops accepting codes.
pub const MAX_CODE_ATTEMPTS: i64 = 5;

/// What one guess at a one-time code came to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "one is returned per guess and matched at once; a box would only add an allocation"
)]
pub enum CodeAttempt {
    /// The code was right: the token is consumed and returned.
    Taken(LoginToken),
    /// The code was wrong; the attempt was counted.
    Wrong,
    /// The newest live token has used up its `MAX_CODE_ATTEMPTS`; no code was compared.
    Locked,
    /// No live token for the address: never sent, expired or already used.
    NoLiveCode,
}

/// The newest live token of address `$1` at time `$2`: the only one whose code is accepted.
const NEWEST_LIVE: &str = "SELECT token_hash FROM login_tokens WHERE email = $1 AND used_at IS NULL \
    AND expires_at > $2 ORDER BY created_at DESC, token_hash DESC LIMIT 1";

const TOKEN_COLUMNS: &str = "token_hash, code_hash, email, purpose, member_id, name, tier, redirect, attempts, \
    created_at, expires_at, used_at";

impl Store {
    pub async fn create_session(
        &self,
        id_hash: &str,
        member_id: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query("INSERT INTO member_sessions (id_hash, member_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(id_hash)
                .bind(member_id)
                .bind(to_micros(now))
                .bind(to_micros(expires))
                .execute(p)
                .await?;
        });
        Ok(())
    }

    /// The member of a live session and when the session's sliding expiry falls. A session is
    /// live until `expires_at` and only while it began after `signed_in_after` (the caller's
    /// absolute lifetime), however often it is used.
    pub async fn session_member(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
        signed_in_after: DateTime<Utc>,
    ) -> Result<Option<(Member, DateTime<Utc>)>, StoreError> {
        let row: Option<(String, i64)> = on_pool!(&self.db, read, |p| {
            sqlx::query_as(
                "SELECT member_id, expires_at FROM member_sessions \
                 WHERE id_hash = $1 AND expires_at > $2 AND created_at > $3",
            )
            .bind(id_hash)
            .bind(to_micros(now))
            .bind(to_micros(signed_in_after))
            .fetch_optional(p)
            .await?
        });
        let Some((member_id, expires)) = row else {
            return Ok(None);
        };
        Ok(self
            .member_by_id(&member_id)
            .await?
            .map(|m| (m, from_micros(expires))))
    }

    /// Sets a session's times as if it had been signed in at `created_at` (tests, imports).
    pub async fn set_session_times(
        &self,
        id_hash: &str,
        created_at: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "UPDATE member_sessions SET created_at = $1, expires_at = $2 WHERE id_hash = $3",
            )
            .bind(to_micros(created_at))
            .bind(to_micros(expires))
            .bind(id_hash)
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// Slides a session's expiry forward.
    pub async fn extend_session(
        &self,
        id_hash: &str,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query("UPDATE member_sessions SET expires_at = $1 WHERE id_hash = $2")
                .bind(to_micros(expires))
                .bind(id_hash)
                .execute(p)
                .await?;
        });
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query("DELETE FROM member_sessions WHERE id_hash = $1")
                .bind(id_hash)
                .execute(p)
                .await?;
        });
        Ok(())
    }

    /// Housekeeping: deletes sessions that expired by `now`, and sign-in tokens that expired by
    /// `now` and were created before `counted_since` (the start of the window the daily cap
    /// per address still counts). Returns how many sessions and tokens went.
    pub async fn prune_sign_ins(
        &self,
        now: DateTime<Utc>,
        counted_since: DateTime<Utc>,
    ) -> Result<(u64, u64), StoreError> {
        Ok(on_pool!(&self.db, write, |p| {
            let sessions = sqlx::query("DELETE FROM member_sessions WHERE expires_at < $1")
                .bind(to_micros(now))
                .execute(p)
                .await?
                .rows_affected();
            let tokens =
                sqlx::query("DELETE FROM login_tokens WHERE expires_at < $1 AND created_at < $2")
                    .bind(to_micros(now))
                    .bind(to_micros(counted_since))
                    .execute(p)
                    .await?
                    .rows_affected();
            (sessions, tokens)
        }))
    }

    /// Ends every session of a member ("sign out everywhere").
    pub async fn delete_sessions_of(&self, member_id: &str) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query("DELETE FROM member_sessions WHERE member_id = $1")
                .bind(member_id)
                .execute(p)
                .await?;
        });
        Ok(())
    }

    /// How many of a member's sessions are live at `now` (begun after `signed_in_after`, the
    /// caller's absolute lifetime, as `session_member` counts them).
    pub async fn live_sessions_of(
        &self,
        member_id: &str,
        now: DateTime<Utc>,
        signed_in_after: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let n: i64 = on_pool!(&self.db, read, |p| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM member_sessions \
                 WHERE member_id = $1 AND expires_at > $2 AND created_at > $3",
            )
            .bind(member_id)
            .bind(to_micros(now))
            .bind(to_micros(signed_in_after))
            .fetch_one(p)
            .await?
        });
        Ok(crate::browse::sql_count(n))
    }

    /// After a credential change: ends every session of `member_id` except `current`, and gives
    /// `current` the new id `rotated` (keeping its sign-in time, so its absolute lifetime does
    /// not restart). One transaction: no other session survives a failure half-way.
    pub async fn restart_sessions(
        &self,
        member_id: &str,
        current: &str,
        rotated: &str,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM member_sessions WHERE member_id = $1 AND id_hash <> $2")
                .bind(member_id)
                .bind(current)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE member_sessions SET id_hash = $1 WHERE id_hash = $2 AND member_id = $3",
            )
            .bind(rotated)
            .bind(current)
            .bind(member_id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn create_login_token(&self, t: &LoginToken) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO login_tokens (token_hash, code_hash, email, purpose, member_id, name, tier, redirect, \
                 attempts, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(&t.token_hash)
            .bind(&t.code_hash)
            .bind(&t.email)
            .bind(&t.purpose)
            .bind(&t.member_id)
            .bind(&t.name)
            .bind(&t.tier)
            .bind(&t.redirect)
            .bind(t.attempts)
            .bind(t.created_at)
            .bind(t.expires_at)
            .bind(t.used_at)
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// Consumes the unexpired, unused token with this hash. A token works once.
    pub async fn take_login_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<LoginToken>, StoreError> {
        let sql = format!(
            "UPDATE login_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
             RETURNING {TOKEN_COLUMNS}"
        );
        let row = on_pool!(&self.db, write, |p| {
            sqlx::query_as(&sql)
                .bind(token_hash)
                .bind(to_micros(now))
                .fetch_optional(p)
                .await?
        });
        Ok(row)
    }

    /// Stores `t` unless `cap` tokens for its address were created after `since`; returns
    /// whether it was stored. One statement, so on SQLite (one writer) the cap is exact; on
    /// PostgreSQL requests racing in the same instant may pass it by their number.
    pub async fn create_login_token_capped(
        &self,
        t: &LoginToken,
        since: DateTime<Utc>,
        cap: u32,
    ) -> Result<bool, StoreError> {
        let inserted = on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO login_tokens (token_hash, code_hash, email, purpose, member_id, name, tier, redirect, \
                 attempts, created_at, expires_at, used_at) \
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 \
                 WHERE (SELECT COUNT(*) FROM login_tokens WHERE email = $3 AND created_at > $13) < $14",
            )
            .bind(&t.token_hash)
            .bind(&t.code_hash)
            .bind(&t.email)
            .bind(&t.purpose)
            .bind(&t.member_id)
            .bind(&t.name)
            .bind(&t.tier)
            .bind(&t.redirect)
            .bind(t.attempts)
            .bind(t.created_at)
            .bind(t.expires_at)
            .bind(t.used_at)
            .bind(to_micros(since))
            .bind(i64::from(cap))
            .execute(p)
            .await?
            .rows_affected()
        });
        Ok(inserted == 1)
    }

    /// One guess at the code of the newest live token for `email`. Counting the attempt,
    /// checking the cap and comparing the code are one statement, so parallel guesses cannot
    /// all read "under the cap": at most `MAX_CODE_ATTEMPTS` guesses per token are ever
    /// compared. The right code consumes the token in the same statement.
    pub async fn take_login_code(
        &self,
        email: &str,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<CodeAttempt, StoreError> {
        let sql = format!(
            "UPDATE login_tokens SET attempts = attempts + 1, \
             used_at = CASE WHEN code_hash = $3 THEN $2 ELSE used_at END \
             WHERE token_hash = ({NEWEST_LIVE}) AND used_at IS NULL AND expires_at > $2 AND attempts < $4 \
             RETURNING {TOKEN_COLUMNS}"
        );
        let counted: Option<LoginToken> = on_pool!(&self.db, write, |p| {
            sqlx::query_as(&sql)
                .bind(email)
                .bind(to_micros(now))
                .bind(code_hash)
                .bind(MAX_CODE_ATTEMPTS)
                .fetch_optional(p)
                .await?
        });
        match counted {
            Some(t) if t.used_at.is_some() => Ok(CodeAttempt::Taken(t)),
            Some(_) => Ok(CodeAttempt::Wrong),
            None => self.why_no_code(email, now).await,
        }
    }

    /// Why a guess was not counted: the newest live token has used up its attempts, or there
    /// is no live token (never sent, expired, already used).
    async fn why_no_code(
        &self,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<CodeAttempt, StoreError> {
        let sql = format!("SELECT attempts FROM login_tokens WHERE token_hash = ({NEWEST_LIVE})");
        let attempts: Option<i64> = on_pool!(&self.db, write, |p| {
            sqlx::query_scalar(&sql)
                .bind(email)
                .bind(to_micros(now))
                .fetch_optional(p)
                .await?
        });
        Ok(match attempts {
            Some(n) if n >= MAX_CODE_ATTEMPTS => CodeAttempt::Locked,
            _ => CodeAttempt::NoLiveCode,
        })
    }

    /// The attempts counted against the token with this hash (tests and diagnostics).
    pub async fn login_token_attempts(&self, token_hash: &str) -> Result<Option<i64>, StoreError> {
        let attempts = on_pool!(&self.db, read, |p| {
            sqlx::query_scalar("SELECT attempts FROM login_tokens WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(p)
                .await?
        });
        Ok(attempts)
    }
}
