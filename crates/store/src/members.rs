//! Members and tiers: accounts, passwords, Stripe customers, and the tiers on offer.

use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::{Email, Member, Slug, Tier};

mod announced;
mod console;
mod labels;
mod list;

pub use announced::{Announced, MemberChanges};
pub use console::{MemberProfile, SEEN_EVERY};
pub use labels::LabelCount;
pub use list::{ListedMember, MemberCursor, MemberQuery};

#[derive(sqlx::FromRow)]
pub(crate) struct MemberRow {
    pub(crate) id: String,
    email: String,
    name: String,
    stripe_customer_id: Option<String>,
    has_password: bool,
    created_at: i64,
}

const MEMBER_COLUMNS: &str =
    "id, email, name, stripe_customer_id, password_hash IS NOT NULL AS has_password, created_at";

impl TryFrom<MemberRow> for Member {
    type Error = StoreError;
    fn try_from(r: MemberRow) -> Result<Member, StoreError> {
        Ok(Member {
            id: r.id,
            email: Email::parse(&r.email)?,
            name: r.name,
            stripe_customer_id: r.stripe_customer_id,
            has_password: r.has_password,
            created_at: from_micros(r.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct TierRow {
    pub(crate) id: String,
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) benefits: String,
    pub(crate) monthly_price: i64,
    pub(crate) yearly_price: i64,
    pub(crate) currency: String,
    pub(crate) trial_days: i64,
    pub(crate) active: bool,
}

/// Adds a member (id, email, name, now); an address already stored is kept as it is.
const INSERT_MEMBER: &str = "INSERT INTO members (id, email, name, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $4) ON CONFLICT (email) DO NOTHING";

pub(crate) const TIER_COLUMNS: &str = "id, slug, name, description, benefits, monthly_price, yearly_price, currency, trial_days, active";

impl TryFrom<TierRow> for Tier {
    type Error = StoreError;
    fn try_from(r: TierRow) -> Result<Tier, StoreError> {
        let price = |v: i64| {
            u32::try_from(v)
                .map_err(|_| StoreError::Corrupt(format!("price {v} of tier {}", r.slug)))
        };
        Ok(Tier {
            id: r.id.clone(),
            slug: Slug::parse(&r.slug)?,
            name: r.name.clone(),
            description: r.description.clone(),
            benefits: serde_json::from_str(&r.benefits)
                .map_err(|e| StoreError::Corrupt(format!("benefits of tier {}: {e}", r.slug)))?,
            monthly_price: price(r.monthly_price)?,
            yearly_price: price(r.yearly_price)?,
            currency: r.currency.clone(),
            trial_days: price(r.trial_days)?,
            active: r.active,
        })
    }
}

impl Store {
    async fn member_where(&self, clause: &str, value: &str) -> Result<Option<Member>, StoreError> {
        let sql = format!("SELECT {MEMBER_COLUMNS} FROM members WHERE {clause} = $1");
        let row: Option<MemberRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(value)
            .fetch_optional(p)
            .await?);
        row.map(Member::try_from).transpose()
    }

    pub async fn member_by_email(&self, email: &Email) -> Result<Option<Member>, StoreError> {
        self.member_where("email", email.as_str()).await
    }

    pub async fn member_by_id(&self, id: &str) -> Result<Option<Member>, StoreError> {
        self.member_where("id", id).await
    }

    pub async fn member_by_customer(
        &self,
        customer_id: &str,
    ) -> Result<Option<Member>, StoreError> {
        self.member_where("stripe_customer_id", customer_id).await
    }

    /// Creates a member, or returns the existing one with that email.
    pub async fn create_member(
        &self,
        id: &str,
        email: &Email,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<Member, StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(INSERT_MEMBER)
                .bind(id)
                .bind(email.as_str())
                .bind(name.trim())
                .bind(to_micros(now))
                .execute(p)
                .await?;
        });
        self.member_by_email(email)
            .await?
            .ok_or_else(|| StoreError::Corrupt("member vanished after insert".into()))
    }

    /// Members, newest first.
    pub async fn members(&self, limit: u32, offset: u64) -> Result<Vec<Member>, StoreError> {
        let sql = format!(
            "SELECT {MEMBER_COLUMNS} FROM members ORDER BY created_at DESC, id LIMIT $1 OFFSET $2"
        );
        let rows: Vec<MemberRow> = on_pool!(&self.db, read, |p| {
            sqlx::query_as(&sql)
                .bind(i64::from(limit))
                .bind(crate::browse::sql_offset(offset))
                .fetch_all(p)
                .await?
        });
        rows.into_iter().map(Member::try_from).collect()
    }

    async fn update_member(
        &self,
        id: &str,
        column: &str,
        value: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sql = format!("UPDATE members SET {column} = $1, updated_at = $2 WHERE id = $3");
        on_pool!(&self.db, write, |p| {
            sqlx::query(&sql)
                .bind(value)
                .bind(to_micros(now))
                .bind(id)
                .execute(p)
                .await?;
        });
        Ok(())
    }

    /// Changes a member's name, updated at `now`.
    pub async fn set_member_name(
        &self,
        id: &str,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.update_member(id, "name", Some(name.trim()), now).await
    }

    /// Changes a member's email, updated at `now`; `Conflict` when another member has it.
    pub async fn set_member_email(
        &self,
        id: &str,
        email: &Email,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.update_member(id, "email", Some(email.as_str()), now)
            .await
    }

    /// Sets a member's password hash, updated at `now`.
    pub async fn set_password_hash(
        &self,
        id: &str,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.update_member(id, "password_hash", Some(hash), now)
            .await
    }

    /// The member with this email and their password hash, when they have set a password.
    pub async fn password_hash(
        &self,
        email: &Email,
    ) -> Result<Option<(Member, String)>, StoreError> {
        type Row = (String, String, String, Option<String>, bool, i64, String);
        let sql = format!(
            "SELECT {MEMBER_COLUMNS}, password_hash FROM members WHERE email = $1 AND password_hash IS NOT NULL"
        );
        let row: Option<Row> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(email.as_str())
            .fetch_optional(p)
            .await?);
        let Some((id, email, name, stripe_customer_id, has_password, created_at, hash)) = row
        else {
            return Ok(None);
        };
        let member = Member::try_from(MemberRow {
            id,
            email,
            name,
            stripe_customer_id,
            has_password,
            created_at,
        })?;
        Ok(Some((member, hash)))
    }

    /// Deletes a member and, through foreign keys, their sessions, subscription, reads and gifts.
    pub async fn delete_member(&self, id: &str) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query("DELETE FROM members WHERE id = $1")
                .bind(id)
                .execute(p)
                .await?;
        });
        Ok(())
    }

    /// Active tiers in their sort order, then free first and by monthly price.
    pub async fn tiers(&self) -> Result<Vec<Tier>, StoreError> {
        let sql = format!(
            "SELECT {TIER_COLUMNS} FROM tiers WHERE active ORDER BY sort_order, monthly_price, name"
        );
        let rows: Vec<TierRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(Tier::try_from).collect()
    }

    pub async fn tier_by_slug(&self, slug: &str) -> Result<Option<Tier>, StoreError> {
        let sql = format!("SELECT {TIER_COLUMNS} FROM tiers WHERE slug = $1");
        let row: Option<TierRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(slug)
            .fetch_optional(p)
            .await?);
        row.map(Tier::try_from).transpose()
    }

    /// Creates a tier (created at `now`) or updates the one with the same slug.
    pub async fn upsert_tier(&self, t: &Tier, now: DateTime<Utc>) -> Result<(), StoreError> {
        let benefits = serde_json::to_string(&t.benefits).unwrap_or_else(|_| "[]".into());
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO tiers (id, slug, name, description, benefits, monthly_price, yearly_price, currency, \
                 trial_days, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 ON CONFLICT (slug) DO UPDATE SET name = excluded.name, description = excluded.description, \
                 benefits = excluded.benefits, monthly_price = excluded.monthly_price, \
                 yearly_price = excluded.yearly_price, currency = excluded.currency, \
                 trial_days = excluded.trial_days, active = excluded.active",
            )
            .bind(&t.id)
            .bind(t.slug.as_str())
            .bind(&t.name)
            .bind(&t.description)
            .bind(benefits)
            .bind(i64::from(t.monthly_price))
            .bind(i64::from(t.yearly_price))
            .bind(&t.currency)
            .bind(i64::from(t.trial_days))
            .bind(t.active)
            .bind(to_micros(now))
            .execute(p)
            .await?;
        });
        self.clock.tick();
        Ok(())
    }
}
