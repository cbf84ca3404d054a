//! Authors as the Admin API and the `author` commands manage them: added one at a time, and
//! their email addresses, which is how Ghost's clients name a post's authors. Emails are stored
//! lowercased, never part of `domain::Author`, and so never reach a reader's page or the
//! Content API.

use crate::rows::{AUTHOR_COLUMNS, AuthorRow};
use crate::time::to_micros;
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::Author;
use std::collections::HashMap;

impl Store {
    /// Adds one author, with an email or none. A slug or email already taken is a
    /// `StoreError::Conflict`.
    pub async fn create_author(
        &self,
        author: &Author,
        email: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO authors (id, slug, name, bio, credentials, avatar, website, email, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&author.id)
            .bind(author.slug.as_str())
            .bind(&author.name)
            .bind(&author.bio)
            .bind(&author.credentials)
            .bind(&author.avatar)
            .bind(&author.website)
            .bind(email.map(str::to_lowercase))
            .bind(to_micros(now))
            .execute(p)
            .await?;
        });
        self.clock.tick();
        Ok(())
    }

    /// The author whose email is `email`, whatever its case.
    pub async fn author_by_email(&self, email: &str) -> Result<Option<Author>, StoreError> {
        let sql = format!("SELECT {AUTHOR_COLUMNS} FROM authors a WHERE a.email = $1");
        let row: Option<AuthorRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(email.to_lowercase())
            .fetch_optional(p)
            .await?);
        row.map(Author::try_from).transpose()
    }

    /// Sets or clears an author's email; returns whether the author exists. An email another
    /// author holds is a `StoreError::Conflict`.
    pub async fn set_author_email(
        &self,
        author_id: &str,
        email: Option<&str>,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| {
            sqlx::query("UPDATE authors SET email = $1 WHERE id = $2")
                .bind(email.map(str::to_lowercase))
                .bind(author_id)
                .execute(p)
                .await?
                .rows_affected()
        });
        Ok(n > 0)
    }

    /// Changes an author's display name; returns whether the author exists. Every post they
    /// wrote gets `now` as its change-clock reading, so search and page caches show the new
    /// byline.
    pub async fn rename_author(
        &self,
        author_id: &str,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            let n = sqlx::query("UPDATE authors SET name = $1 WHERE id = $2")
                .bind(name)
                .bind(author_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query(
                "UPDATE posts SET changed_at = $1 WHERE id IN \
                 (SELECT post_id FROM post_authors WHERE author_id = $2)",
            )
            .bind(to_micros(now))
            .bind(author_id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            n
        });
        self.clock.tick();
        Ok(n > 0)
    }

    /// The emails of these authors by author id; authors without one are absent.
    pub async fn author_emails(
        &self,
        author_ids: &[String],
    ) -> Result<HashMap<String, String>, StoreError> {
        if author_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(String, String)> = on_pool!(&self.db, read, |p| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT id, email FROM authors WHERE email IS NOT NULL AND id IN (",
            );
            let mut ids = q.separated(", ");
            for id in author_ids {
                ids.push_bind(id);
            }
            q.push(")");
            q.build_query_as().fetch_all(p).await?
        });
        Ok(rows.into_iter().collect())
    }
}
