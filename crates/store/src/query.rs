//! Filters for API listings: a tree of conditions over allow-listed fields, and its SQL.
//!
//! Callers (the Ghost-compatible APIs) parse their own filter language into a `Cond`; only the
//! fields named by `PostField`, `TagField` and `AuthorField` exist, so no filter can reach a
//! column outside them (an author's email, a gated body). Values are always bound, never
//! spliced into the SQL text.

use crate::time::to_micros;
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

/// A condition over fields of type `F`.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond<F> {
    /// Every condition holds (an empty list holds).
    All(Vec<Cond<F>>),
    /// At least one condition holds.
    Any(Vec<Cond<F>>),
    /// One field tested against values; `negated` turns "is" into "is not".
    Test { field: F, negated: bool, test: Test },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Eq(Value),
    In(Vec<Value>),
    Cmp(CmpOp, Value),
    /// Case-insensitive text match.
    Like(LikeOp, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Gt,
    Gte,
    Lt,
    Lte,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LikeOp {
    Contains,
    StartsWith,
    EndsWith,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Bool(bool),
    Time(DateTime<Utc>),
    Null,
}

/// What type a field's values have, so a caller can type its literals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Bool,
    Time,
}

/// One sort key of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort<F> {
    pub field: F,
    pub descending: bool,
}

/// Where a field lives: a column of the listed row, or a column of rows linked to it (a post's
/// tags), tested as `p.id [NOT] IN (select)` so "not" means "has no such linked row", and the
/// database can start from the link table's index instead of visiting every post.
#[doc(hidden)]
pub enum Target {
    Column(&'static str),
    Linked {
        /// The listed row's key the select's rows name (`p.id`, `m.id`).
        key: &'static str,
        select: &'static str,
        column: &'static str,
    },
}

/// Only this module's field enums implement `Field`, so every `Target` (SQL text) comes from
/// here.
pub trait Field: Copy + sealed::Sealed {
    fn kind(&self) -> Kind;
    #[doc(hidden)]
    fn target(&self) -> Target;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::PostField {}
    impl Sealed for super::TagField {}
    impl Sealed for super::AuthorField {}
    impl Sealed for super::MemberField {}
}

/// An attribute of a post's tag or author.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    Id,
    Slug,
    Name,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostField {
    Id,
    Slug,
    Title,
    Featured,
    Visibility,
    PublishedAt,
    UpdatedAt,
    CreatedAt,
    FeatureImage,
    /// Any of the post's tags.
    Tag(Attr),
    /// The first tag (the section).
    PrimaryTag(Attr),
    Author(Attr),
    PrimaryAuthor(Attr),
}

const POST_TAG: &str = "SELECT pt.post_id FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE ";
const POST_PRIMARY_TAG: &str = "SELECT pt.post_id FROM post_tags pt JOIN tags t ON t.id = pt.tag_id \
    WHERE pt.position = 0 AND ";
const POST_AUTHOR: &str =
    "SELECT pa.post_id FROM post_authors pa JOIN authors a ON a.id = pa.author_id WHERE ";
const POST_PRIMARY_AUTHOR: &str = "SELECT pa.post_id FROM post_authors pa \
    JOIN authors a ON a.id = pa.author_id WHERE pa.position = 0 AND ";

fn attr_column(attr: Attr, alias: char) -> &'static str {
    match (attr, alias) {
        (Attr::Id, 't') => "t.id",
        (Attr::Slug, 't') => "t.slug",
        (Attr::Name, 't') => "t.name",
        (Attr::Id, _) => "a.id",
        (Attr::Slug, _) => "a.slug",
        (Attr::Name, _) => "a.name",
    }
}

impl Field for PostField {
    fn kind(&self) -> Kind {
        match self {
            PostField::Featured => Kind::Bool,
            PostField::PublishedAt | PostField::UpdatedAt | PostField::CreatedAt => Kind::Time,
            _ => Kind::Text,
        }
    }

    fn target(&self) -> Target {
        use PostField as F;
        let linked = |select, column| Target::Linked {
            key: "p.id",
            select,
            column,
        };
        match *self {
            F::Id => Target::Column("p.id"),
            F::Slug => Target::Column("p.slug"),
            F::Title => Target::Column("p.title"),
            F::Featured => Target::Column("p.featured"),
            F::Visibility => Target::Column("p.visibility"),
            F::PublishedAt => Target::Column("p.published_at"),
            F::UpdatedAt => Target::Column("p.updated_at"),
            F::CreatedAt => Target::Column("p.created_at"),
            F::FeatureImage => Target::Column("p.image_url"),
            F::Tag(a) => linked(POST_TAG, attr_column(a, 't')),
            F::PrimaryTag(a) => linked(POST_PRIMARY_TAG, attr_column(a, 't')),
            F::Author(a) => linked(POST_AUTHOR, attr_column(a, 'a')),
            F::PrimaryAuthor(a) => linked(POST_PRIMARY_AUTHOR, attr_column(a, 'a')),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagField {
    Id,
    Slug,
    Name,
    /// Every tag is public (Ghost's internal `#tags` do not exist here).
    Visibility,
}

impl Field for TagField {
    fn kind(&self) -> Kind {
        Kind::Text
    }

    fn target(&self) -> Target {
        Target::Column(match self {
            TagField::Id => "t.id",
            TagField::Slug => "t.slug",
            TagField::Name => "t.name",
            TagField::Visibility => "'public'",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorField {
    Id,
    Slug,
    Name,
}

impl Field for AuthorField {
    fn kind(&self) -> Kind {
        Kind::Text
    }

    fn target(&self) -> Target {
        Target::Column(match self {
            AuthorField::Id => "a.id",
            AuthorField::Slug => "a.slug",
            AuthorField::Name => "a.name",
        })
    }
}

/// A member's fields for the console and the Admin API (Ghost's member filter). Queries that
/// use them read `members m`, joined to `subscriptions s ON s.member_id = m.id` for the status,
/// tier and comped tests (`members::list`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberField {
    Id,
    Email,
    Name,
    /// `free`, `paid` or `comped`, derived from the subscription as Ghost shows it.
    Status,
    /// The slug of the tier a member holds (a canceled subscription holds none).
    Tier,
    /// The slug of any of the member's labels.
    Label,
    CreatedAt,
    LastSeenAt,
    /// Gets newsletters (Ghost's `subscribed`).
    Subscribed,
    /// Does not get newsletters: `subscribed` negated.
    EmailDisabled,
    /// Holds a complimentary subscription.
    Comped,
    /// The id of an offer the member redeemed (Ghost's `offer_redemptions`).
    Offer,
    /// `Status` when it is `paid` or `comped`, tested from the subscriptions' side
    /// (`m.id IN (SELECT … FROM subscriptions …)`). The members list rewrites such `status`
    /// tests to it, so the database reads the few subscriptions instead of every member.
    HeldStatus,
}

/// Ghost's member status, from the subscription (a past-due one is still paid).
const MEMBER_STATUS: &str = "(CASE WHEN s.status = 'comped' THEN 'comped' \
    WHEN s.status IN ('active', 'trialing', 'past_due') THEN 'paid' ELSE 'free' END)";
const MEMBER_TIER: &str = "COALESCE(CASE WHEN s.status <> 'canceled' THEN s.tier END, '')";
const MEMBER_LABEL: &str =
    "SELECT ml.member_id FROM member_labels ml JOIN labels l ON l.id = ml.label_id WHERE ";
const MEMBER_OFFER: &str =
    "SELECT r.member_id FROM offer_redemptions r WHERE r.member_id IS NOT NULL AND ";

impl Field for MemberField {
    fn kind(&self) -> Kind {
        match self {
            MemberField::CreatedAt | MemberField::LastSeenAt => Kind::Time,
            MemberField::Subscribed | MemberField::EmailDisabled | MemberField::Comped => {
                Kind::Bool
            }
            _ => Kind::Text,
        }
    }

    fn target(&self) -> Target {
        Target::Column(match self {
            MemberField::Id => "m.id",
            MemberField::Email => "m.email",
            MemberField::Name => "m.name",
            MemberField::Status => MEMBER_STATUS,
            MemberField::Tier => MEMBER_TIER,
            MemberField::Label => {
                return Target::Linked {
                    key: "m.id",
                    select: MEMBER_LABEL,
                    column: "l.slug",
                };
            }
            MemberField::Offer => {
                return Target::Linked {
                    key: "m.id",
                    select: MEMBER_OFFER,
                    column: "r.offer_id",
                };
            }
            MemberField::HeldStatus => {
                return Target::Linked {
                    key: "m.id",
                    select: "SELECT s.member_id FROM subscriptions s WHERE ",
                    column: MEMBER_STATUS,
                };
            }
            MemberField::CreatedAt => "m.created_at",
            MemberField::LastSeenAt => "m.last_seen_at",
            MemberField::Subscribed => "m.subscribed",
            MemberField::EmailDisabled => "(NOT m.subscribed)",
            MemberField::Comped => "COALESCE(s.status = 'comped', FALSE)",
        })
    }
}

/// Appends `cond` as one parenthesized SQL boolean expression.
pub(crate) fn push_cond<'a, DB: sqlx::Database, F: Field>(
    q: &mut QueryBuilder<'a, DB>,
    cond: &Cond<F>,
) where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    push_cond_probing(q, cond, false);
}

/// `push_cond`; with `probe`, linked rows are tested per listed row (`key || ''` keeps SQLite
/// from starting at the linked select), for a page that walks an index in its own order.
pub(crate) fn push_cond_probing<'a, DB: sqlx::Database, F: Field>(
    q: &mut QueryBuilder<'a, DB>,
    cond: &Cond<F>,
    probe: bool,
) where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    match cond {
        Cond::All(items) | Cond::Any(items) if items.is_empty() => {
            q.push(if matches!(cond, Cond::All(_)) {
                "(1 = 1)"
            } else {
                "(1 = 0)"
            });
        }
        Cond::All(items) | Cond::Any(items) => {
            let joiner = if matches!(cond, Cond::All(_)) {
                " AND "
            } else {
                " OR "
            };
            q.push("(");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    q.push(joiner);
                }
                push_cond_probing(q, item, probe);
            }
            q.push(")");
        }
        Cond::Test {
            field,
            negated,
            test,
        } => match field.target() {
            Target::Column(column) => {
                q.push(if *negated { "(NOT " } else { "(" });
                push_test(q, column, test);
                q.push(")");
            }
            Target::Linked {
                key,
                select,
                column,
            } => {
                q.push("(").push(key);
                if probe {
                    q.push(" || ''");
                }
                q.push(if *negated { " NOT IN (" } else { " IN (" });
                q.push(select);
                push_test(q, column, test);
                q.push("))");
            }
        },
    }
}

fn push_test<'a, DB: sqlx::Database>(q: &mut QueryBuilder<'a, DB>, column: &str, test: &Test)
where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    match test {
        Test::Eq(Value::Null) => {
            q.push(column).push(" IS NULL");
        }
        Test::Eq(value) => {
            q.push(column).push(" = ");
            push_value(q, value);
        }
        Test::In(values) if values.is_empty() => {
            q.push("1 = 0");
        }
        Test::In(values) => {
            q.push(column).push(" IN (");
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                push_value(q, value);
            }
            q.push(")");
        }
        Test::Cmp(op, value) => {
            let op = match op {
                CmpOp::Gt => " > ",
                CmpOp::Gte => " >= ",
                CmpOp::Lt => " < ",
                CmpOp::Lte => " <= ",
            };
            q.push(column).push(op);
            push_value(q, value);
        }
        Test::Like(op, text) => {
            let escaped = text
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            let pattern = match op {
                LikeOp::Contains => format!("%{escaped}%"),
                LikeOp::StartsWith => format!("{escaped}%"),
                LikeOp::EndsWith => format!("%{escaped}"),
            };
            q.push("LOWER(")
                .push(column)
                .push(") LIKE ")
                .push_bind(pattern)
                .push(" ESCAPE '\\'");
        }
    }
}

fn push_value<'a, DB: sqlx::Database>(q: &mut QueryBuilder<'a, DB>, value: &Value)
where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    match value {
        Value::Text(s) => q.push_bind(s.clone()),
        Value::Bool(b) => q.push_bind(*b),
        Value::Time(t) => q.push_bind(to_micros(*t)),
        Value::Null => q.push("NULL"),
    };
}

/// Appends `ORDER BY` for the sort keys that name columns, then `tiebreak`.
pub(crate) fn push_order<DB: sqlx::Database, F: Field>(
    q: &mut QueryBuilder<'_, DB>,
    sort: &[Sort<F>],
    tiebreak: &str,
) {
    q.push(" ORDER BY ");
    for s in sort {
        if let Target::Column(column) = s.field.target() {
            q.push(column)
                .push(if s.descending { " DESC, " } else { " ASC, " });
        }
    }
    q.push(tiebreak);
}
