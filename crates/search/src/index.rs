//! The index on disk: opening (rebuilding what is missing, outdated or corrupt), applying
//! changes with the sync cursor in the same commit, and the reader every search uses.

use crate::SearchError;
use crate::document::IndexDoc;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::directory::error::LockError;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError, Term};

/// Memory the writer may use before flushing a segment (split across its threads).
const WRITER_HEAP: usize = 96 * 1024 * 1024;
const VERSION_FILE: &str = "VERSION";

/// How far the index has caught up with the database: the last post change applied (by the
/// store's change clock, then id) and the last deletion. Saved inside each commit, so the
/// index and its cursor can never disagree.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub changed_at: i64,
    pub id: String,
    pub deleted_at: i64,
}

/// Why the index was built from scratch on opening, if it was.
#[derive(Debug, Clone, PartialEq)]
pub enum Opened {
    Existing,
    Rebuilt(String),
}

pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    /// `None` once released (the index is being replaced).
    writer: Mutex<Option<IndexWriter>>,
    dir: PathBuf,
}

impl SearchIndex {
    /// Opens the index in `dir`, or starts an empty one there when it is missing, of another
    /// schema version, or fails its checksums. An empty index has a zero cursor, so the
    /// caller's sync loop refills it from the database.
    pub fn open(dir: &Path) -> Result<(SearchIndex, Opened), SearchError> {
        let (schema, fields) = schema::build();
        let (index, opened) = match Self::existing(dir) {
            Ok(index) => (index, Opened::Existing),
            Err(reason) => {
                if dir.exists() {
                    std::fs::remove_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
                }
                std::fs::create_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
                let index = Index::create_in_dir(dir, schema)?;
                std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string())
                    .map_err(|e| SearchError::io(dir, e))?;
                (index, Opened::Rebuilt(reason))
            }
        };
        schema::register_tokenizers(&index);
        let writer = index
            .writer_with_num_threads(2, WRITER_HEAP)
            .map_err(|e| match e {
                TantivyError::LockFailure(LockError::LockBusy, _) => SearchError::Busy(dir.into()),
                other => SearchError::Tantivy(other),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok((
            SearchIndex {
                index,
                reader,
                fields,
                writer: Mutex::new(Some(writer)),
                dir: dir.to_owned(),
            },
            opened,
        ))
    }

    /// The index in `dir` if it is whole and of this version; otherwise why not.
    fn existing(dir: &Path) -> Result<Index, String> {
        let version = std::fs::read_to_string(dir.join(VERSION_FILE))
            .map_err(|_| "no index yet".to_owned())?;
        if version.trim() != SCHEMA_VERSION.to_string() {
            return Err(format!(
                "index version {} is not {SCHEMA_VERSION}",
                version.trim()
            ));
        }
        let index = Index::open_in_dir(dir).map_err(|e| format!("cannot open: {e}"))?;
        let damaged = index
            .validate_checksum()
            .map_err(|e| format!("damaged: {e}"))?;
        if !damaged.is_empty() {
            return Err(format!("{} damaged files", damaged.len()));
        }
        Ok(index)
    }

    /// Whether the index files are still on disk (someone may delete the folder under us).
    pub fn is_on_disk(&self) -> bool {
        self.dir.join("meta.json").is_file()
    }

    pub fn cursor(&self) -> Cursor {
        self.index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or_default()
    }

    /// Replaces or adds `upserts`, removes `deletes` (ids), and records `cursor`, atomically;
    /// searches see the change when this returns.
    pub fn apply(
        &self,
        upserts: &[IndexDoc],
        deletes: &[String],
        cursor: &Cursor,
    ) -> Result<(), SearchError> {
        let mut guard = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        let writer = guard.as_mut().ok_or(SearchError::Released)?;
        for id in deletes.iter().chain(upserts.iter().map(|d| &d.id)) {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
        }
        for doc in upserts {
            writer.add_document(doc.to_tantivy(&self.fields))?;
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&serde_json::to_string(cursor).unwrap_or_default());
        commit.commit()?;
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// Lets go of the writer (and its lock on the folder), so a new index can take its place.
    /// Searches keep working on what was committed.
    pub fn release(&self) {
        if let Ok(mut guard) = self.writer.lock() {
            guard.take();
        }
    }

    /// Empties the index and zeroes its cursor, so the next sync rebuilds it from scratch.
    pub fn clear(&self) -> Result<(), SearchError> {
        let mut guard = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        let writer = guard.as_mut().ok_or(SearchError::Released)?;
        writer.delete_all_documents()?;
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&serde_json::to_string(&Cursor::default()).unwrap_or_default());
        commit.commit()?;
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// Indexed posts (published, including future-dated ones).
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}
