//! API keys for the Ghost-compatible APIs: created, listed, revoked, and looked up by the hash
//! of the secret a client presents.

use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// Read-only access to published content (`?key=`).
    Content,
    /// Signs JWTs for the Admin API.
    Admin,
}

impl KeyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Content => "content",
            KeyKind::Admin => "admin",
        }
    }

    fn parse(raw: &str) -> Result<KeyKind, StoreError> {
        match raw {
            "content" => Ok(KeyKind::Content),
            "admin" => Ok(KeyKind::Admin),
            other => Err(StoreError::Corrupt(format!("api key kind {other:?}"))),
        }
    }
}

/// A key as listed: never its content secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: String,
    pub kind: KeyKind,
    pub name: String,
    /// The first characters of the secret, to tell keys apart.
    pub hint: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What is stored for a new key: the hash of its secret, and for admin keys the secret itself
/// (verifying an HMAC signature needs it).
pub struct NewKey<'a> {
    pub key: &'a ApiKey,
    pub secret_hash: &'a str,
    pub admin_secret: Option<&'a str>,
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: String,
    kind: String,
    name: String,
    hint: String,
    created_at: i64,
    revoked_at: Option<i64>,
}

const KEY_COLUMNS: &str = "id, kind, name, hint, created_at, revoked_at";

impl TryFrom<KeyRow> for ApiKey {
    type Error = StoreError;
    fn try_from(r: KeyRow) -> Result<ApiKey, StoreError> {
        Ok(ApiKey {
            id: r.id,
            kind: KeyKind::parse(&r.kind)?,
            name: r.name,
            hint: r.hint,
            created_at: from_micros(r.created_at),
            revoked_at: r.revoked_at.map(from_micros),
        })
    }
}

impl Store {
    pub async fn create_api_key(&self, new: &NewKey<'_>) -> Result<(), StoreError> {
        let k = new.key;
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO api_keys (id, kind, name, secret_hash, secret, hint, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&k.id)
            .bind(k.kind.as_str())
            .bind(&k.name)
            .bind(new.secret_hash)
            .bind(new.admin_secret)
            .bind(&k.hint)
            .bind(to_micros(k.created_at))
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// Every key, revoked ones included, oldest first.
    pub async fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created_at, id");
        let rows: Vec<KeyRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(ApiKey::try_from).collect()
    }

    /// The unrevoked key of `kind` whose secret hashes to `secret_hash`.
    pub async fn live_api_key(
        &self,
        kind: KeyKind,
        secret_hash: &str,
    ) -> Result<Option<ApiKey>, StoreError> {
        let sql = format!(
            "SELECT {KEY_COLUMNS} FROM api_keys WHERE secret_hash = $1 AND kind = $2 \
             AND revoked_at IS NULL"
        );
        let row: Option<KeyRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(secret_hash)
            .bind(kind.as_str())
            .fetch_optional(p)
            .await?);
        row.map(ApiKey::try_from).transpose()
    }

    /// The secret of the unrevoked admin key `id`, for verifying the JWTs it signs.
    pub async fn admin_key_secret(&self, id: &str) -> Result<Option<String>, StoreError> {
        let secret: Option<Option<String>> = on_pool!(&self.db, read, |p| {
            sqlx::query_scalar(
            "SELECT secret FROM api_keys WHERE id = $1 AND kind = 'admin' AND revoked_at IS NULL"
        )
        .bind(id)
        .fetch_optional(p)
        .await?
        });
        Ok(secret.flatten())
    }

    /// Revokes key `id`; returns whether an unrevoked key had that id.
    pub async fn revoke_api_key(&self, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let done = on_pool!(&self.db, write, |p| sqlx::query(
            "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL"
        )
        .bind(to_micros(now))
        .bind(id)
        .execute(p)
        .await?
        .rows_affected());
        Ok(done > 0)
    }
}
