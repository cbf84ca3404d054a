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

    /// The member of a live session and when the session expires.
    pub async fn session_member(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(Member, DateTime<Utc>)>, StoreError> {
        let row: Option<(String, i64)> = on_pool!(&self.db, read, |p| {
            sqlx::query_as("SELECT member_id, expires_at FROM member_sessions WHERE id_hash = $1 AND expires_at > $2")
                .bind(id_hash)
                .bind(to_micros(now))
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

    /// Consumes the newest live token for `email` when `code_hash` matches its code; otherwise
    /// counts a failed attempt against it (after `MAX_CODE_ATTEMPTS` it accepts no code).
    pub async fn take_login_code(
        &self,
        email: &str,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<LoginToken>, StoreError> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM login_tokens WHERE email = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC LIMIT 1"
        );
        let newest: Option<LoginToken> = on_pool!(&self.db, read, |p| {
            sqlx::query_as(&sql)
                .bind(email)
                .bind(to_micros(now))
                .fetch_optional(p)
                .await?
        });
        let Some(token) = newest else { return Ok(None) };
        if token.attempts >= MAX_CODE_ATTEMPTS {
            return Ok(None);
        }
        if token.code_hash != code_hash {
            on_pool!(&self.db, write, |p| {
                sqlx::query(
                    "UPDATE login_tokens SET attempts = attempts + 1 WHERE token_hash = $1",
                )
                .bind(&token.token_hash)
                .execute(p)
                .await?;
            });
            return Ok(None);
        }
        self.take_login_token(&token.token_hash, now).await
    }
}
