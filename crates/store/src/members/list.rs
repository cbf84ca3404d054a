//! The console's member list: members a filter (Ghost's NQL, as a `Cond`) and a search select,
//! newest first, a page at a time or in keyset batches (export), with their totals.
//!
//! Every query reads `members m`, joined to `subscriptions s` (one per member, by primary key)
//! only when the filter tests them, and walks `members_by_created` newest first, so a page
//! stops after its rows.

use super::console::{MemberProfile, PROFILE_COLUMNS};
use super::{MEMBER_COLUMNS, MemberRow};
use crate::billing::{COLUMNS as SUBSCRIPTION_COLUMNS, SubscriptionRow};
use crate::browse::{Window, sql_count, sql_offset};
use crate::query::{Cond, MemberField, Test, Value, push_cond_probing};
use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::Label;
use domain::Member;
use domain::billing::Subscription;
use sqlx::QueryBuilder;
use std::collections::HashMap;

/// Which members: a filter and an optional search of emails and names (any case, anywhere).
#[derive(Debug, Clone, PartialEq)]
pub struct MemberQuery {
    pub filter: Cond<MemberField>,
    pub search: Option<String>,
}

impl Default for MemberQuery {
    fn default() -> Self {
        MemberQuery {
            filter: Cond::All(vec![]),
            search: None,
        }
    }
}

/// One member as the console lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedMember {
    pub member: Member,
    pub profile: MemberProfile,
    pub subscription: Option<Subscription>,
    pub labels: Vec<Label>,
}

/// Where a keyset batch starts: after this member in the list's order (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberCursor {
    pub created_at: DateTime<Utc>,
    pub id: String,
}

/// Whether `cond` reads a member's subscription (status, tier, comped). Without such a test the
/// subscriptions are not joined: counting every member then walks one index instead of looking
/// up each member's subscription (measured by `scripts/bench-members`).
fn reads_subscription(cond: &Cond<MemberField>) -> bool {
    match cond {
        Cond::All(conds) | Cond::Any(conds) => conds.iter().any(reads_subscription),
        Cond::Test { field, .. } => matches!(
            field,
            MemberField::Status | MemberField::Tier | MemberField::Comped
        ),
    }
}

/// `cond` with each plain `status:paid`, `status:comped` or `status:[paid,comped]` test made a
/// `HeldStatus` test, which reads the subscriptions first. Tests that take in free members
/// (`free`, negations) stay as they are: they select most members either way.
fn held_statuses(cond: &Cond<MemberField>) -> Cond<MemberField> {
    let held = |v: &Value| matches!(v, Value::Text(t) if t == "paid" || t == "comped");
    match cond {
        Cond::All(conds) => Cond::All(conds.iter().map(held_statuses).collect()),
        Cond::Any(conds) => Cond::Any(conds.iter().map(held_statuses).collect()),
        Cond::Test {
            field: MemberField::Status,
            negated: false,
            test,
        } if match test {
            Test::Eq(v) => held(v),
            Test::In(vs) => !vs.is_empty() && vs.iter().all(held),
            _ => false,
        } =>
        {
            Cond::Test {
                field: MemberField::HeldStatus,
                negated: false,
                test: test.clone(),
            }
        }
        other @ Cond::Test { .. } => other.clone(),
    }
}

/// How a statement reads the members it selects.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// All of them (counts, bulk changes): labels, offers and held statuses drive the query
    /// from their own index, visiting only the members they name.
    All,
    /// Newest first, stopping after a page: the query walks `members_by_created` and tests
    /// each member against labels and statuses, instead of fetching and sorting every member
    /// they name (8,000 comped members for 15 rows, measured by `scripts/bench-members`).
    Newest,
}

/// Appends ` FROM … WHERE …` selecting the members `query` names (aliases `m` and, when the
/// filter reads subscriptions, `s`).
pub(crate) fn push_member_query<'a, DB: sqlx::Database>(
    q: &mut QueryBuilder<'a, DB>,
    query: &MemberQuery,
    reading: Reading,
) where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let filter = held_statuses(&query.filter);
    q.push(" FROM members m");
    if reads_subscription(&filter) {
        q.push(" LEFT JOIN subscriptions s ON s.member_id = m.id");
    }
    q.push(" WHERE ");
    push_cond_probing(q, &filter, reading == Reading::Newest);
    if let Some(search) = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let escaped = search
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        q.push(" AND (LOWER(m.email) LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\' OR LOWER(m.name) LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\')");
    }
}

#[derive(sqlx::FromRow)]
struct ListRow {
    #[sqlx(flatten)]
    member: MemberRow,
    note: String,
    subscribed: bool,
    last_seen_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct SubRow {
    member_id: String,
    #[sqlx(flatten)]
    sub: SubscriptionRow,
}

impl Store {
    /// A page of the members `query` selects, newest first.
    pub async fn member_page(
        &self,
        query: &MemberQuery,
        window: Window,
    ) -> Result<Vec<ListedMember>, StoreError> {
        let ids: Vec<String> = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new("SELECT m.id");
            push_member_query(&mut q, query, Reading::Newest);
            q.push(" ORDER BY m.created_at DESC, m.id DESC LIMIT ")
                .push_bind(i64::from(window.limit))
                .push(" OFFSET ")
                .push_bind(sql_offset(window.offset));
            q.build_query_scalar().fetch_all(p).await?
        });
        self.listed_members(&ids).await
    }

    /// Up to `limit` members `query` selects after `cursor` (from the newest when `None`).
    pub async fn member_batch(
        &self,
        query: &MemberQuery,
        cursor: Option<&MemberCursor>,
        limit: u32,
    ) -> Result<Vec<ListedMember>, StoreError> {
        let ids: Vec<String> = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new("SELECT m.id");
            push_member_query(&mut q, query, Reading::Newest);
            if let Some(c) = cursor {
                let at = to_micros(c.created_at);
                q.push(" AND (m.created_at < ")
                    .push_bind(at)
                    .push(" OR (m.created_at = ")
                    .push_bind(at)
                    .push(" AND m.id < ")
                    .push_bind(c.id.clone())
                    .push("))");
            }
            q.push(" ORDER BY m.created_at DESC, m.id DESC LIMIT ")
                .push_bind(i64::from(limit));
            q.build_query_scalar().fetch_all(p).await?
        });
        self.listed_members(&ids).await
    }

    /// How many members `query` selects.
    pub async fn count_member_query(&self, query: &MemberQuery) -> Result<u64, StoreError> {
        let n: i64 = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new("SELECT COUNT(*)");
            push_member_query(&mut q, query, Reading::All);
            q.build_query_scalar().fetch_one(p).await?
        });
        Ok(sql_count(n))
    }

    /// The ids of every member `query` selects, newest first (for bulk actions that go
    /// through one member at a time).
    pub async fn member_ids_matching(
        &self,
        query: &MemberQuery,
    ) -> Result<Vec<String>, StoreError> {
        Ok(on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new("SELECT m.id");
            push_member_query(&mut q, query, Reading::All);
            q.push(" ORDER BY m.created_at DESC, m.id DESC");
            q.build_query_scalar().fetch_all(p).await?
        }))
    }

    /// These members (in this order), with their profiles, subscriptions and labels.
    pub async fn listed_members(&self, ids: &[String]) -> Result<Vec<ListedMember>, StoreError> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let (rows, subs): (Vec<ListRow>, Vec<SubRow>) = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new(format!(
                "SELECT {MEMBER_COLUMNS}, {PROFILE_COLUMNS} FROM members WHERE id IN ("
            ));
            let mut list = q.separated(", ");
            for id in ids {
                list.push_bind(id);
            }
            q.push(")");
            let mut s = QueryBuilder::new(format!(
                "SELECT member_id, {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE member_id IN ("
            ));
            let mut list = s.separated(", ");
            for id in ids {
                list.push_bind(id);
            }
            s.push(")");
            (
                q.build_query_as().fetch_all(p).await?,
                s.build_query_as().fetch_all(p).await?,
            )
        });
        let mut labels = self.labels_of(ids).await?;
        let mut subs: HashMap<String, SubscriptionRow> =
            subs.into_iter().map(|r| (r.member_id, r.sub)).collect();
        let mut by_id: HashMap<String, ListRow> =
            rows.into_iter().map(|r| (r.member.id.clone(), r)).collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(row) = by_id.remove(id) else {
                continue;
            };
            out.push(ListedMember {
                profile: MemberProfile {
                    note: row.note,
                    subscribed: row.subscribed,
                    last_seen_at: row.last_seen_at.map(from_micros),
                },
                member: Member::try_from(row.member)?,
                subscription: subs.remove(id).map(Subscription::try_from).transpose()?,
                labels: labels.remove(id).unwrap_or_default(),
            });
        }
        Ok(out)
    }
}
