//! Member labels: the labels themselves (create, rename, merge, delete) and which members
//! carry them, one member at a time or every member a console filter selects.

use super::list::{MemberQuery, Reading, push_member_query};
use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::{Label, Slug};
use sqlx::QueryBuilder;
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
pub(crate) struct LabelRow {
    id: String,
    name: String,
    slug: String,
    created_at: i64,
    updated_at: i64,
}

pub(crate) const LABEL_COLUMNS: &str = "l.id, l.name, l.slug, l.created_at, l.updated_at";

impl TryFrom<LabelRow> for Label {
    type Error = StoreError;
    fn try_from(r: LabelRow) -> Result<Label, StoreError> {
        Ok(Label {
            id: r.id,
            name: r.name,
            slug: Slug::parse(&r.slug)?,
            created_at: from_micros(r.created_at),
            updated_at: from_micros(r.updated_at),
        })
    }
}

/// A label and how many members carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelCount {
    pub label: Label,
    pub members: u64,
}

#[derive(sqlx::FromRow)]
struct LabelCountRow {
    #[sqlx(flatten)]
    label: LabelRow,
    members: i64,
}

#[derive(sqlx::FromRow)]
struct MemberLabelRow {
    member_id: String,
    #[sqlx(flatten)]
    label: LabelRow,
}

impl Store {
    /// Every label with its member count, by name (any case).
    pub async fn labels(&self) -> Result<Vec<LabelCount>, StoreError> {
        let sql = format!(
            "SELECT {LABEL_COLUMNS}, (SELECT COUNT(*) FROM member_labels ml WHERE ml.label_id = l.id) \
             AS members FROM labels l ORDER BY LOWER(l.name), l.id"
        );
        let rows: Vec<LabelCountRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .fetch_all(p)
            .await?);
        rows.into_iter()
            .map(|r| {
                Ok(LabelCount {
                    label: Label::try_from(r.label)?,
                    members: crate::browse::sql_count(r.members),
                })
            })
            .collect()
    }

    async fn label_where(&self, clause: &str, value: &str) -> Result<Option<Label>, StoreError> {
        let sql = format!("SELECT {LABEL_COLUMNS} FROM labels l WHERE {clause}");
        let row: Option<LabelRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(value)
            .fetch_optional(p)
            .await?);
        row.map(Label::try_from).transpose()
    }

    pub async fn label_by_id(&self, id: &str) -> Result<Option<Label>, StoreError> {
        self.label_where("l.id = $1", id).await
    }

    pub async fn label_by_slug(&self, slug: &str) -> Result<Option<Label>, StoreError> {
        self.label_where("l.slug = $1", slug).await
    }

    /// The label with this name in any case.
    pub async fn label_by_name(&self, name: &str) -> Result<Option<Label>, StoreError> {
        self.label_where("LOWER(l.name) = LOWER($1)", name.trim())
            .await
    }

    /// Stores a new label; `Conflict` when its name (in any case) or slug is taken.
    pub async fn create_label(&self, label: &Label) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO labels (id, name, slug, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&label.id)
            .bind(&label.name)
            .bind(label.slug.as_str())
            .bind(to_micros(label.created_at))
            .bind(to_micros(label.updated_at))
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// Renames a label (its slug stays, so saved filters keep working); `false` when there is
    /// no such label, `Conflict` when another label has the name.
    pub async fn rename_label(
        &self,
        id: &str,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(&self.db, write, |p| {
            sqlx::query("UPDATE labels SET name = $1, updated_at = $2 WHERE id = $3")
                .bind(name)
                .bind(to_micros(now))
                .bind(id)
                .execute(p)
                .await?
                .rows_affected()
        });
        Ok(done > 0)
    }

    /// Gives every member labelled `from` the label `into` and deletes `from`, in one
    /// transaction; `false` (nothing changed) when either label is missing or they are one.
    pub async fn merge_labels(&self, from: &str, into: &str) -> Result<bool, StoreError> {
        if from == into {
            return Ok(false);
        }
        on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            let found: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM labels WHERE id IN ($1, $2)")
                .bind(from)
                .bind(into)
                .fetch_one(&mut *tx)
                .await?;
            if found != 2 {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO member_labels (member_id, label_id) \
                 SELECT member_id, $1 FROM member_labels WHERE label_id = $2 \
                 ON CONFLICT (member_id, label_id) DO NOTHING",
            )
            .bind(into)
            .bind(from)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM labels WHERE id = $1")
                .bind(from)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Deletes a label (members lose it through the foreign key); `false` when there was none.
    pub async fn delete_label(&self, id: &str) -> Result<bool, StoreError> {
        let done = on_pool!(&self.db, write, |p| {
            sqlx::query("DELETE FROM labels WHERE id = $1")
                .bind(id)
                .execute(p)
                .await?
                .rows_affected()
        });
        Ok(done > 0)
    }

    /// A member's labels, by name.
    pub async fn member_labels(&self, member_id: &str) -> Result<Vec<Label>, StoreError> {
        let ids = [member_id.to_owned()];
        let mut by_member = self.labels_of(&ids).await?;
        Ok(by_member.remove(member_id).unwrap_or_default())
    }

    /// The labels of each of these members, by name; members without labels are absent.
    pub async fn labels_of(
        &self,
        member_ids: &[String],
    ) -> Result<HashMap<String, Vec<Label>>, StoreError> {
        let mut out: HashMap<String, Vec<Label>> = HashMap::new();
        if member_ids.is_empty() {
            return Ok(out);
        }
        let rows: Vec<MemberLabelRow> = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new(format!(
                "SELECT ml.member_id, {LABEL_COLUMNS} FROM member_labels ml \
                 JOIN labels l ON l.id = ml.label_id WHERE ml.member_id IN ("
            ));
            let mut ids = q.separated(", ");
            for id in member_ids {
                ids.push_bind(id);
            }
            q.push(") ORDER BY LOWER(l.name), l.id");
            q.build_query_as().fetch_all(p).await?
        });
        for row in rows {
            out.entry(row.member_id)
                .or_default()
                .push(Label::try_from(row.label)?);
        }
        Ok(out)
    }

    /// Replaces a member's labels with these (ids of existing labels), updated at `now`.
    pub async fn set_member_labels(
        &self,
        member_id: &str,
        label_ids: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM member_labels WHERE member_id = $1")
                .bind(member_id)
                .execute(&mut *tx)
                .await?;
            for label in label_ids {
                sqlx::query(
                    "INSERT INTO member_labels (member_id, label_id) VALUES ($1, $2) \
                     ON CONFLICT (member_id, label_id) DO NOTHING",
                )
                .bind(member_id)
                .bind(label)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("UPDATE members SET updated_at = $1 WHERE id = $2")
                .bind(to_micros(now))
                .bind(member_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Gives the label to every member `query` selects that lacks it; returns how many.
    pub async fn label_members(
        &self,
        label_id: &str,
        query: &MemberQuery,
    ) -> Result<u64, StoreError> {
        let index = self.member_search_index(query).await?;
        let n = on_pool!(&self.db, write, |p| {
            let mut q =
                QueryBuilder::new("INSERT INTO member_labels (member_id, label_id) SELECT m.id, ");
            q.push_bind(label_id);
            push_member_query(&mut q, query, Reading::All, &index);
            q.push(" ON CONFLICT (member_id, label_id) DO NOTHING");
            q.build().execute(p).await?.rows_affected()
        });
        Ok(n)
    }

    /// Takes the label from every member `query` selects; returns how many had it.
    pub async fn unlabel_members(
        &self,
        label_id: &str,
        query: &MemberQuery,
    ) -> Result<u64, StoreError> {
        let index = self.member_search_index(query).await?;
        let n = on_pool!(&self.db, write, |p| {
            let mut q = QueryBuilder::new("DELETE FROM member_labels WHERE label_id = ");
            q.push_bind(label_id);
            q.push(" AND member_id IN (SELECT m.id");
            push_member_query(&mut q, query, Reading::All, &index);
            q.push(")");
            q.build().execute(p).await?.rows_affected()
        });
        Ok(n)
    }
}
