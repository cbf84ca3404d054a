//! Related Articles: posts that say similar things (more-like-this over title, dek and body
//! terms), blended with a shared section and shared tags, and a preference for recent stories.
//!
//! Only public text takes part: the free part of the body, never the gated part. A post's list is
//! computed once and shown to every reader, so a list driven by gated words would tell anyone
//! which stories share them.

use crate::SearchError;
use crate::document::{IndexDoc, micros};
use crate::index::SearchIndex;
use crate::plan::filter_clauses;
use crate::query::Filters;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue, Value};
use tantivy::{TantivyDocument, Term};

/// Related Articles shown under a story.
pub const RELATED_COUNT: usize = 4;
/// Candidates drawn from text similarity and from shared tags before blending.
const CANDIDATES: usize = 40;

const SAME_SECTION: f32 = 0.25;
const PER_SHARED_TAG: f32 = 0.12;
const MAX_SHARED_TAGS: usize = 3;
const RECENCY: f32 = 0.15;
const RECENCY_HALF_LIFE_DAYS: f32 = 120.0;

struct Candidate {
    text: f32,
    section: Option<String>,
    tags: Vec<String>,
    published_at: i64,
}

impl SearchIndex {
    /// Up to `limit` ids of live posts most related to `doc`, best first; never `doc` itself.
    pub fn related(
        &self,
        doc: &IndexDoc,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<String>, SearchError> {
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let now_micros = micros(now);
        let num_docs = searcher.num_docs();
        let similar = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(2)
            .with_max_doc_frequency((num_docs / 4).max(3))
            .with_min_term_frequency(1)
            .with_max_query_terms(30)
            .with_min_word_length(3)
            .with_document_fields(vec![
                (f.title, vec![OwnedValue::from(doc.title.as_str())]),
                (f.dek, vec![OwnedValue::from(doc.dek.as_str())]),
                (f.body, vec![OwnedValue::from(doc.body.as_str())]),
            ]);
        let tag_terms: Vec<Term> = doc
            .tags
            .iter()
            .map(|(slug, _)| Term::from_field_text(f.tag, slug))
            .collect();
        let restrict = |query: Box<dyn Query>| -> BooleanQuery {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
            clauses.push((
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.id, &doc.id),
                    IndexRecordOption::Basic,
                )),
            ));
            clauses.extend(filter_clauses(
                &Filters::default(),
                f,
                &searcher,
                now_micros,
            ));
            BooleanQuery::new(clauses)
        };
        let mut pool: HashMap<String, Candidate> = HashMap::new();
        let by_text = searcher.search(
            &restrict(Box::new(similar)),
            &TopDocs::with_limit(CANDIDATES).order_by_score(),
        )?;
        let best = by_text.first().map_or(1.0, |(s, _)| s.max(f32::EPSILON));
        let by_tags = if tag_terms.is_empty() {
            vec![]
        } else {
            searcher.search(
                &restrict(Box::new(BooleanQuery::new_multiterms_query(tag_terms))),
                &TopDocs::with_limit(CANDIDATES).order_by_score(),
            )?
        };
        for (score, address, text) in by_text
            .into_iter()
            .map(|(s, a)| (s, a, true))
            .chain(by_tags.into_iter().map(|(s, a)| (s, a, false)))
        {
            let stored: TantivyDocument = searcher.doc(address)?;
            let Some(id) = stored.get_first(f.id).and_then(|v| v.as_str()) else {
                continue;
            };
            let text_score = if text { score / best } else { 0.0 };
            if let Some(existing) = pool.get_mut(id) {
                existing.text = existing.text.max(text_score);
                continue;
            }
            pool.insert(
                id.to_owned(),
                Candidate {
                    text: text_score,
                    section: stored
                        .get_first(f.section)
                        .and_then(|v| v.as_str())
                        .map(str::to_owned),
                    tags: stored
                        .get_all(f.tag)
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                    published_at: stored
                        .get_first(f.published_at)
                        .and_then(|v| v.as_i64())
                        .unwrap_or(0),
                },
            );
        }
        let mut ranked: Vec<(f32, i64, String)> = pool
            .into_iter()
            .map(|(id, c)| (blend(doc, &c, now_micros), c.published_at, id))
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        Ok(ranked
            .into_iter()
            .take(limit)
            .map(|(_, _, id)| id)
            .collect())
    }
}

fn blend(doc: &IndexDoc, c: &Candidate, now: i64) -> f32 {
    let section = match (&doc.section, &c.section) {
        (Some(a), Some(b)) if a == b => SAME_SECTION,
        _ => 0.0,
    };
    let shared = doc
        .tags
        .iter()
        .filter(|(slug, _)| c.tags.contains(slug))
        .count()
        .min(MAX_SHARED_TAGS);
    let age_days = (now - c.published_at).max(0) as f32 / 86_400_000_000.0;
    let fresh = 0.5f32.powf(age_days / RECENCY_HALF_LIFE_DAYS);
    c.text + section + PER_SHARED_TAG * shared as f32 + RECENCY * fresh
}
