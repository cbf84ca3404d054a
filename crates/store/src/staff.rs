//! Staff users: authors with a role, who can sign in to the newsroom. Bylines, author pages and
//! the APIs keep reading the same `authors` rows; an author without a role is a byline only.
//! Every write that changes staff appends its audit entry in the same transaction.
//!
//! - `sessions` — staff sessions, known devices and emailed device codes (hashes only).
//! - `invitations` — invitations to join and one-time set-password tokens (hashes only).
//! - `audit` — the audit log.

mod audit;
mod invitations;
mod sessions;

pub use audit::AuditEntry;
pub use invitations::Invitation;
pub use sessions::{DeviceCodeAttempt, MAX_DEVICE_CODE_ATTEMPTS, NewStaffSession, StaffSession};

use crate::rows::AuthorRow;
use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::{Author, Role, StaffStatus};
use std::collections::BTreeMap;

/// A staff user as the newsroom shows them. Secrets (password hash, TOTP secret) are read
/// apart, by `staff_secrets`, only where sign-in needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub author: Author,
    pub email: String,
    pub role: Role,
    pub status: StaffStatus,
    /// Social links: network name → URL.
    pub social: BTreeMap<String, String>,
    pub has_password: bool,
    pub has_totp: bool,
    pub created_at: DateTime<Utc>,
}

impl StaffUser {
    pub fn id(&self) -> &str {
        &self.author.id
    }

    pub fn is_active(&self) -> bool {
        self.status == StaffStatus::Active
    }
}

/// What sign-in checks: the stored password hash and TOTP secret, if any.
#[derive(Debug, Clone, Default)]
pub struct StaffSecrets {
    pub password_hash: Option<String>,
    pub totp_secret: Option<String>,
}

/// A staff user to add: a new author row with a role, or (`promote`) an existing byline given
/// one.
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub author: Author,
    pub email: String,
    pub role: Role,
    pub password_hash: Option<String>,
}

/// The fields of a staff profile its owner edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub slug: domain::Slug,
    pub bio: String,
    pub credentials: String,
    pub avatar: Option<String>,
    pub website: Option<String>,
    pub social: BTreeMap<String, String>,
}

const STAFF_COLUMNS: &str = "a.id, a.slug, a.name, a.bio, a.credentials, a.avatar, a.website, \
    a.email, a.role, a.status, a.social, a.password_hash IS NOT NULL AS has_password, \
    a.totp_secret IS NOT NULL AS has_totp, a.created_at";

#[derive(sqlx::FromRow)]
struct StaffRow {
    #[sqlx(flatten)]
    author: AuthorRow,
    email: Option<String>,
    role: String,
    status: String,
    social: String,
    has_password: bool,
    has_totp: bool,
    created_at: i64,
}

impl TryFrom<StaffRow> for StaffUser {
    type Error = StoreError;
    fn try_from(r: StaffRow) -> Result<StaffUser, StoreError> {
        Ok(StaffUser {
            author: Author::try_from(r.author)?,
            email: r.email.unwrap_or_default(),
            role: Role::parse(&r.role)?,
            status: StaffStatus::parse(&r.status)?,
            social: serde_json::from_str(&r.social)
                .map_err(|e| StoreError::Corrupt(format!("staff social links: {e}")))?,
            has_password: r.has_password,
            has_totp: r.has_totp,
            created_at: from_micros(r.created_at),
        })
    }
}

fn social_json(social: &BTreeMap<String, String>) -> String {
    serde_json::to_string(social).unwrap_or_else(|_| "{}".to_owned())
}

/// Adds staff user `$new` (email `$email`, lowercased) inside transaction `$tx`, or gives an
/// existing author with that email the role; evaluates to the id. A staff user with the email
/// already returns `StoreError::Conflict` from the enclosing function.
macro_rules! insert_staff {
    ($tx:expr, $new:expr, $email:expr, $now:expr) => {{
        let existing: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT id, role FROM authors WHERE email = $1")
                .bind($email)
                .fetch_optional(&mut *$tx)
                .await?;
        match existing {
            Some((_, Some(_))) => {
                return Err(StoreError::Conflict(
                    "A staff user with that email already exists.".into(),
                ));
            }
            Some((id, None)) => {
                sqlx::query(
                    "UPDATE authors SET role = $1, status = 'active', \
                     password_hash = COALESCE($2, password_hash) WHERE id = $3",
                )
                .bind($new.role.as_str())
                .bind(&$new.password_hash)
                .bind(&id)
                .execute(&mut *$tx)
                .await?;
                id
            }
            None => {
                let a = &$new.author;
                sqlx::query(
                    "INSERT INTO authors (id, slug, name, bio, credentials, avatar, website, \
                     email, role, status, password_hash, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, $11)",
                )
                .bind(&a.id)
                .bind(a.slug.as_str())
                .bind(&a.name)
                .bind(&a.bio)
                .bind(&a.credentials)
                .bind(&a.avatar)
                .bind(&a.website)
                .bind($email)
                .bind($new.role.as_str())
                .bind(&$new.password_hash)
                .bind(to_micros($now))
                .execute(&mut *$tx)
                .await?;
                a.id.clone()
            }
        }
    }};
}
pub(crate) use insert_staff;

impl Store {
    /// Every staff user, owner first, then by role and name.
    pub async fn staff_users(&self) -> Result<Vec<StaffUser>, StoreError> {
        let sql = format!(
            "SELECT {STAFF_COLUMNS} FROM authors a WHERE a.role IS NOT NULL \
             ORDER BY CASE a.role WHEN 'owner' THEN 0 WHEN 'administrator' THEN 1 \
             WHEN 'editor' THEN 2 WHEN 'author' THEN 3 ELSE 4 END, a.name, a.id"
        );
        let rows: Vec<StaffRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(StaffUser::try_from).collect()
    }

    /// The staff user with this author id (`None` for a byline without a role).
    pub async fn staff_by_id(&self, id: &str) -> Result<Option<StaffUser>, StoreError> {
        self.staff_where("a.id = $1", id).await
    }

    /// The staff user with this email, whatever its case.
    pub async fn staff_by_email(&self, email: &str) -> Result<Option<StaffUser>, StoreError> {
        self.staff_where("a.email = $1", &email.to_lowercase())
            .await
    }

    /// The site's owner, if it has one yet.
    pub async fn staff_owner(&self) -> Result<Option<StaffUser>, StoreError> {
        self.staff_where("a.role = $1", Role::Owner.as_str()).await
    }

    async fn staff_where(&self, cond: &str, value: &str) -> Result<Option<StaffUser>, StoreError> {
        let sql =
            format!("SELECT {STAFF_COLUMNS} FROM authors a WHERE a.role IS NOT NULL AND {cond}");
        let row: Option<StaffRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(value)
            .fetch_optional(p)
            .await?);
        row.map(StaffUser::try_from).transpose()
    }

    /// A staff user's password hash and TOTP secret.
    pub async fn staff_secrets(&self, id: &str) -> Result<StaffSecrets, StoreError> {
        let row: Option<(Option<String>, Option<String>)> = on_pool!(&self.db, read, |p| {
            sqlx::query_as(
                "SELECT password_hash, totp_secret FROM authors WHERE id = $1 AND role IS NOT NULL",
            )
            .bind(id)
            .fetch_optional(p)
            .await?
        });
        Ok(
            row.map_or_else(StaffSecrets::default, |(password_hash, totp_secret)| {
                StaffSecrets {
                    password_hash,
                    totp_secret,
                }
            }),
        )
    }

    /// Adds a staff user. An author row with the same email and no role becomes the staff user
    /// (keeping its bylines); otherwise a new author row is inserted. A second owner, a taken
    /// email or slug is a `StoreError::Conflict`. Returns the staff user's author id.
    pub async fn create_staff(
        &self,
        new: &NewStaff,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<String, StoreError> {
        let email = new.email.to_lowercase();
        let id = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            let id = insert_staff!(tx, new, &email, now);
            audit::insert_audit!(&mut *tx, audit);
            tx.commit().await?;
            id
        });
        self.clock.tick();
        Ok(id)
    }

    /// Sets a staff user's password hash; returns whether the staff user exists.
    pub async fn set_staff_password(
        &self,
        id: &str,
        password_hash: &str,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        self.update_staff(
            "UPDATE authors SET password_hash = $1 WHERE id = $2 AND role IS NOT NULL",
            password_hash,
            id,
            audit,
        )
        .await
    }

    /// Sets or clears a staff user's TOTP secret.
    pub async fn set_staff_totp(
        &self,
        id: &str,
        secret: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            let n = sqlx::query(
                "UPDATE authors SET totp_secret = $1 WHERE id = $2 AND role IS NOT NULL",
            )
            .bind(secret)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            audit::insert_audit!(&mut *tx, audit);
            tx.commit().await?;
            n
        });
        Ok(n > 0)
    }

    /// Spends TOTP time step `step` for staff user `id`: true when it is newer than every step
    /// they spent before, so each code signs in once (replays within its 90 seconds fail).
    pub async fn spend_totp_step(&self, id: &str, step: i64) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| {
            sqlx::query(
                "UPDATE authors SET totp_last_step = $1 WHERE id = $2 AND role IS NOT NULL \
                 AND (totp_last_step IS NULL OR totp_last_step < $1)",
            )
            .bind(step)
            .bind(id)
            .execute(p)
            .await?
            .rows_affected()
        });
        Ok(n == 1)
    }

    /// Gives a staff user another role (never owner: see `transfer_ownership`).
    pub async fn set_staff_role(
        &self,
        id: &str,
        role: Role,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        self.update_staff(
            "UPDATE authors SET role = $1 WHERE id = $2 AND role IS NOT NULL AND role <> 'owner'",
            role.as_str(),
            id,
            audit,
        )
        .await
    }

    /// Suspends or restores a staff user; suspending ends their sessions.
    pub async fn set_staff_status(
        &self,
        id: &str,
        status: StaffStatus,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            let n = sqlx::query(
                "UPDATE authors SET status = $1 WHERE id = $2 AND role IS NOT NULL AND role <> 'owner'",
            )
            .bind(status.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if status == StaffStatus::Suspended {
                sqlx::query("DELETE FROM staff_sessions WHERE author_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            if n > 0 {
                audit::insert_audit!(&mut *tx, audit);
            }
            tx.commit().await?;
            n
        });
        Ok(n > 0)
    }

    async fn update_staff(
        &self,
        sql: &str,
        value: &str,
        id: &str,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            let n = sqlx::query(sql)
                .bind(value)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                audit::insert_audit!(&mut *tx, audit);
            }
            tx.commit().await?;
            n
        });
        Ok(n > 0)
    }

    /// Hands the site from its owner to `to` (an active staff user): the owner becomes an
    /// administrator, in one transaction. Returns false when `from` is not the owner or `to`
    /// is not an active staff user.
    pub async fn update_owner(
        &self,
        from: &str,
        to: &str,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let ok = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            let stepped = sqlx::query(
                "UPDATE authors SET role = 'administrator' WHERE id = $1 AND role = 'owner'",
            )
            .bind(from)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let raised = sqlx::query(
                "UPDATE authors SET role = 'owner' WHERE id = $1 AND id <> $2 \
                 AND role IS NOT NULL AND status = 'active'",
            )
            .bind(to)
            .bind(from)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if stepped == 1 && raised == 1 {
                audit::insert_audit!(&mut *tx, audit);
                tx.commit().await?;
                true
            } else {
                tx.rollback().await?;
                false
            }
        });
        Ok(ok)
    }

    /// Deletes a staff user, giving their posts to `heir` first (a post both wrote keeps
    /// `heir` once); their sessions, devices and tokens go with them. Every post that changed
    /// gets `now` on the change clock. Returns false when either is not a staff user.
    pub async fn delete_staff(
        &self,
        id: &str,
        heir: &str,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let ok = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            let found: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM authors WHERE id IN ($1, $2) AND role IS NOT NULL",
            )
            .bind(id)
            .bind(heir)
            .fetch_one(&mut *tx)
            .await?;
            if found != 2 || id == heir {
                tx.rollback().await?;
                false
            } else {
                sqlx::query(
                    "UPDATE posts SET changed_at = $1 WHERE id IN \
                     (SELECT post_id FROM post_authors WHERE author_id = $2)",
                )
                .bind(to_micros(now))
                .bind(id)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "DELETE FROM post_authors WHERE author_id = $1 AND post_id IN \
                     (SELECT post_id FROM post_authors WHERE author_id = $2)",
                )
                .bind(id)
                .bind(heir)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE post_authors SET author_id = $1 WHERE author_id = $2")
                    .bind(heir)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM authors WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                audit::insert_audit!(&mut *tx, audit);
                tx.commit().await?;
                true
            }
        });
        if ok {
            self.clock.tick();
        }
        Ok(ok)
    }

    /// Saves a staff user's own profile; their posts get `now` on the change clock so bylines
    /// follow. A taken slug is a `StoreError::Conflict`.
    pub async fn update_staff_profile(
        &self,
        id: &str,
        profile: &Profile,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            let n = sqlx::query(
                "UPDATE authors SET name = $1, slug = $2, bio = $3, credentials = $4, avatar = $5, \
                 website = $6, social = $7 WHERE id = $8 AND role IS NOT NULL",
            )
            .bind(&profile.name)
            .bind(profile.slug.as_str())
            .bind(&profile.bio)
            .bind(&profile.credentials)
            .bind(&profile.avatar)
            .bind(&profile.website)
            .bind(social_json(&profile.social))
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query(
                "UPDATE posts SET changed_at = $1 WHERE id IN \
                 (SELECT post_id FROM post_authors WHERE author_id = $2)",
            )
            .bind(to_micros(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if n > 0 {
                audit::insert_audit!(&mut *tx, audit);
            }
            tx.commit().await?;
            n
        });
        self.clock.tick();
        Ok(n > 0)
    }
}
