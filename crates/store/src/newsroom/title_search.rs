//! The newsroom's title search, answered from indexes: every word of the search must appear in
//! the title. On PostgreSQL each word is a `LOWER(title) LIKE '%word%'` that the `pg_trgm` index
//! answers; on SQLite each word must begin a word of the title, through the FTS5 table
//! `fts_post_titles` (migration `20261205000007_newsroom_search`).
//!
//! SQLite cannot weigh an FTS5 match against the list's own indexes, so the plan is chosen here
//! from the number of matches: a few are looked up from the index and sorted
//! ([`SearchPlan::FromIndex`]); many are found by walking the list's order and keeping the
//! matching rows, which finds a page after a few rows ([`SearchPlan::Walk`]).

use crate::query::{Cond, LikeOp, PostField, Test};
use sqlx::QueryBuilder;

/// At most this many matches are looked up from the FTS5 index and sorted; more are walked.
pub(crate) const LOOKUP_LIMIT: i64 = 1_000;

/// The words of a search: runs of letters and digits, as FTS5's `unicode61` tokenizer sees them.
pub(crate) fn words(search: &str) -> Vec<&str> {
    search
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// An FTS5 query: each word as a quoted prefix, all required (a word is letters and digits, so
/// it needs no escaping inside the quotes).
pub(crate) fn fts_query(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The search as conditions on the title for PostgreSQL (one `LIKE` a word, each indexed) and
/// for a search without words (punctuation only) on either backend.
pub(crate) fn like_conds(search: &str) -> Vec<Cond<PostField>> {
    let like = |text: &str| Cond::Test {
        field: PostField::Title,
        negated: false,
        test: Test::Like(LikeOp::Contains, text.to_owned()),
    };
    let words = words(search);
    if words.is_empty() {
        vec![like(search)]
    } else {
        words.into_iter().map(like).collect()
    }
}

/// How SQLite finds the posts a search matches.
#[derive(Debug, Clone)]
pub(crate) enum SearchPlan {
    /// No FTS5 part: no search, PostgreSQL, or a search without words (in the conditions).
    None,
    /// Few matches: from the FTS5 index to the posts, then sorted.
    FromIndex(String),
    /// Many matches: walk the list's order, keeping posts whose key the FTS5 query matches.
    Walk(String),
}

impl SearchPlan {
    /// `FROM` the posts `p`, joined from the FTS5 index when the plan starts there.
    pub(crate) fn push_from<DB: sqlx::Database>(&self, q: &mut QueryBuilder<'_, DB>) {
        q.push(match self {
            SearchPlan::FromIndex(_) => {
                // CROSS JOIN keeps this order: SQLite would otherwise start from `posts`.
                " FROM fts_post_titles f CROSS JOIN fts_post_keys k ON k.key = f.rowid \
                 CROSS JOIN posts p ON p.id = k.post_id"
            }
            SearchPlan::None | SearchPlan::Walk(_) => " FROM posts p",
        });
    }

    /// The plan's condition, `AND …`, if any.
    pub(crate) fn push_cond<'a, DB: sqlx::Database>(&'a self, q: &mut QueryBuilder<'a, DB>)
    where
        &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    {
        match self {
            SearchPlan::None => {}
            SearchPlan::FromIndex(query) => {
                q.push(" AND f.fts_post_titles MATCH ")
                    .push_bind(query.as_str());
            }
            SearchPlan::Walk(query) => {
                q.push(
                    " AND (SELECT key FROM fts_post_keys WHERE post_id = p.id) IN \
                     (SELECT rowid FROM fts_post_titles WHERE fts_post_titles MATCH ",
                )
                .push_bind(query.as_str())
                .push(")");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_its_words_as_required_prefixes() {
        assert_eq!(
            words(" Sanctions, \"50%\" O'Brien "),
            ["Sanctions", "50", "O", "Brien"]
        );
        assert_eq!(fts_query(&words("tehran sanc")), "\"tehran\"* \"sanc\"*");
        assert!(words("%_\"").is_empty());
        assert_eq!(like_conds("%_").len(), 1);
        assert_eq!(like_conds("two words").len(), 2);
    }
}
