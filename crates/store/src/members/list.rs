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
    index: &SearchIndex,
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
        let search = search.to_lowercase();
        let escaped = search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        if let SearchIndex::Narrow(phrase) = index {
            // The trigram index narrows the members to those containing the search in any
            // case; the LIKE below stays the final test, so results are the same without it.
            q.push(
                " AND m.id IN (SELECT k.member_id FROM fts_member_search f \
                 CROSS JOIN fts_member_keys k ON k.key = f.rowid \
                 WHERE f.fts_member_search MATCH ",
            )
            .push_bind(phrase.clone())
            .push(")");
        }
        q.push(" AND (LOWER(m.email) LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\' OR LOWER(m.name) LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\')");
    }
}

/// At most this many members are looked up from SQLite's trigram index; a search matching
/// more is answered as before (a page walks `members_by_created` and finds its rows at once;
/// a count scans), which beats fetching and sorting most members from the index.
const LOOKUP_LIMIT: i64 = 1_000;

/// Whether a search reads SQLite's trigram index (migration `20261206000070_member_search`).
/// SQLite cannot weigh an FTS5 match against the members' own indexes, so
/// [`Store::member_search_index`] counts the matches first, as the newsroom's title search does.
/// PostgreSQL's `pg_trgm` indexes serve the search's LIKE themselves.
pub(crate) enum SearchIndex {
    /// No search, a search of 1–2 characters (too short for trigrams), many matches, or
    /// PostgreSQL.
    Unused,
    /// Few matches: the FTS5 phrase that finds them.
    Narrow(String),
}

/// `search` as one FTS5 phrase: with the trigram tokenizer it matches any email or name that
/// contains it (case aside), whatever characters it holds.
fn fts_phrase(search: &str) -> String {
    format!("\"{}\"", search.replace('"', "\"\""))
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
    /// Whether `query`'s search reads SQLite's trigram index (see [`SearchIndex`]).
    pub(crate) async fn member_search_index(
        &self,
        query: &MemberQuery,
    ) -> Result<SearchIndex, StoreError> {
        let crate::connect::Db::Sqlite { read, .. } = &self.db else {
            return Ok(SearchIndex::Unused);
        };
        let Some(search) = query.search.as_deref().map(|s| s.trim().to_lowercase()) else {
            return Ok(SearchIndex::Unused);
        };
        if search.chars().count() < 3 {
            return Ok(SearchIndex::Unused);
        }
        let phrase = fts_phrase(&search);
        let matches: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM fts_member_search \
             WHERE fts_member_search MATCH $1 LIMIT $2)",
        )
        .bind(&phrase)
        .bind(LOOKUP_LIMIT + 1)
        .fetch_one(read)
        .await?;
        Ok(if matches > LOOKUP_LIMIT {
            SearchIndex::Unused
        } else {
            SearchIndex::Narrow(phrase)
        })
    }

    /// A page of the members `query` selects, newest first.
    pub async fn member_page(
        &self,
        query: &MemberQuery,
        window: Window,
    ) -> Result<Vec<ListedMember>, StoreError> {
        let index = self.member_search_index(query).await?;
        let ids: Vec<String> = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new("SELECT m.id");
            push_member_query(&mut q, query, Reading::Newest, &index);
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
        let index = self.member_search_index(query).await?;
        let ids: Vec<String> = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new("SELECT m.id");
            push_member_query(&mut q, query, Reading::Newest, &index);
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
        let index = self.member_search_index(query).await?;
        let n: i64 = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new("SELECT COUNT(*)");
            push_member_query(&mut q, query, Reading::All, &index);
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
        let index = self.member_search_index(query).await?;
        Ok(on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new("SELECT m.id");
            push_member_query(&mut q, query, Reading::All, &index);
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
