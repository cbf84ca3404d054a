//! Full-text search over published posts with tantivy: the index (`index`), what it holds
//! (`document`, `schema`), the readers' query language (`query`), how a query is planned
//! (`plan`) and run (`search`), snippets built only from text the viewer may read
//! (`highlight`), and Related Articles (`related`).
//!
//! This crate knows posts, not storage or HTTP: callers feed it `IndexDoc`s and turn the ids
//! it returns into `PostView`s through the access gate. A post's gated part is indexed apart
//! and matched only for viewers entitled to it (`scope`), so search is no oracle for it.

mod document;
mod highlight;
mod index;
mod plan;
pub mod query;
mod related;
mod schema;
mod scope;
mod search;

pub use document::IndexDoc;
pub use highlight::Highlighter;
pub use index::{Cursor, Opened, SearchIndex};
pub use query::{Filters, Parsed, parse};
pub use related::RELATED_COUNT;
pub use search::{Ranking, Results, SearchRequest, Sort};

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(
        "another masthead process is using the search index in {0}; stop it first (the running server keeps the index current by itself)"
    )]
    Busy(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("the search index writer panicked earlier; restart the server")]
    Poisoned,
    #[error("this search index was replaced by a new one")]
    Released,
}

impl SearchError {
    fn io(path: &Path, source: std::io::Error) -> SearchError {
        SearchError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

#[cfg(test)]
mod tests;
