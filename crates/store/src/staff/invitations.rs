//! Invitations to join the staff and one-time set-password tokens, stored only as hashes of
//! the tokens the caller mails or prints.

use super::audit::{AuditEntry, insert_audit};
use super::{NewStaff, insert_staff};
use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::Role;

/// A pending invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub email: String,
    pub role: Role,
    pub inviter_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Store {
    /// Stores an invitation under the hash of its token, with its audit entry.
    pub async fn create_invitation(
        &self,
        token_hash: &str,
        invitation: &Invitation,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO staff_invitations (token_hash, email, role, inviter_id, created_at, \
                 expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(token_hash)
            .bind(invitation.email.to_lowercase())
            .bind(invitation.role.as_str())
            .bind(&invitation.inviter_id)
            .bind(to_micros(invitation.created_at))
            .bind(to_micros(invitation.expires_at))
            .execute(&mut *tx)
            .await?;
            insert_audit!(&mut *tx, audit);
            tx.commit().await?;
        });
        Ok(())
    }

    /// The live invitation with this token hash: not accepted, not expired at `now`.
    pub async fn invitation(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Invitation>, StoreError> {
        let row: Option<(String, String, Option<String>, i64, i64)> =
            on_pool!(&self.db, read, |p| {
                sqlx::query_as(
                    "SELECT email, role, inviter_id, created_at, expires_at FROM staff_invitations \
                     WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2",
                )
                .bind(token_hash)
                .bind(to_micros(now))
                .fetch_optional(p)
                .await?
            });
        row.map(|(email, role, inviter_id, created, expires)| {
            Ok(Invitation {
                email,
                role: Role::parse(&role)?,
                inviter_id,
                created_at: from_micros(created),
                expires_at: from_micros(expires),
            })
        })
        .transpose()
    }

    /// Pending invitations, newest first.
    pub async fn pending_invitations(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<Invitation>, StoreError> {
        let rows: Vec<(String, String, Option<String>, i64, i64)> = on_pool!(&self.db, read, |p| {
            sqlx::query_as(
                "SELECT email, role, inviter_id, created_at, expires_at FROM staff_invitations \
                     WHERE accepted_at IS NULL AND expires_at > $1 ORDER BY created_at DESC",
            )
            .bind(to_micros(now))
            .fetch_all(p)
            .await?
        });
        rows.into_iter()
            .map(|(email, role, inviter_id, created, expires)| {
                Ok(Invitation {
                    email,
                    role: Role::parse(&role)?,
                    inviter_id,
                    created_at: from_micros(created),
                    expires_at: from_micros(expires),
                })
            })
            .collect()
    }

    /// Accepts a live invitation once: marks it accepted and adds the staff user (with the
    /// invitation's email and role) in one transaction. Returns the new staff user's id, or
    /// `None` when the invitation was not live (used, expired, unknown).
    pub async fn take_invitation(
        &self,
        token_hash: &str,
        new: &NewStaff,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        let email = new.email.to_lowercase();
        let id = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            let taken = sqlx::query(
                "UPDATE staff_invitations SET accepted_at = $1 \
                 WHERE token_hash = $2 AND accepted_at IS NULL AND expires_at > $1",
            )
            .bind(to_micros(now))
            .bind(token_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if taken == 0 {
                return Ok(None);
            }
            // A clash (the email became staff meanwhile) rolls the acceptance back with it.
            let id = insert_staff!(tx, new, &email, now);
            insert_audit!(&mut *tx, audit);
            tx.commit().await?;
            id
        });
        self.clock.tick();
        Ok(Some(id))
    }

    /// Stores a one-time set-password token (its hash) for a staff user.
    pub async fn create_password_token(
        &self,
        token_hash: &str,
        author_id: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO staff_password_tokens (token_hash, author_id, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(token_hash)
            .bind(author_id)
            .bind(to_micros(now))
            .bind(to_micros(expires))
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// The staff user a live set-password token is for (unused, unexpired).
    pub async fn password_token_owner(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        Ok(on_pool!(&self.db, read, |p| {
            sqlx::query_scalar(
                "SELECT author_id FROM staff_password_tokens \
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
            )
            .bind(token_hash)
            .bind(to_micros(now))
            .fetch_optional(p)
            .await?
        }))
    }

    /// Uses a set-password token once: sets the password hash of its staff user, in one
    /// transaction with the audit entry. Returns the staff user's id, or `None` when the token
    /// was not live.
    pub async fn take_password_token(
        &self,
        token_hash: &str,
        password_hash: &str,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        let id = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            let id: Option<String> = sqlx::query_scalar(
                "UPDATE staff_password_tokens SET used_at = $1 \
                 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING author_id",
            )
            .bind(to_micros(now))
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = &id {
                sqlx::query("UPDATE authors SET password_hash = $1 WHERE id = $2")
                    .bind(password_hash)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                let entry = AuditEntry {
                    subject: id.clone(),
                    ..audit.clone()
                };
                insert_audit!(&mut *tx, &entry);
            }
            tx.commit().await?;
            id
        });
        Ok(id)
    }
}
