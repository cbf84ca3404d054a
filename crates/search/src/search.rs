//! Running a query for one viewer: ranking (relevance with recency as a tie-breaker, or
//! date), pagination, counts, and did-you-mean suggestions drawn from the index's own words —
//! only those the viewer may read.

use crate::SearchError;
use crate::highlight::Highlighter;
use crate::index::SearchIndex;
use crate::plan::{self, Analyzers, typo_distance};
use crate::query::{Parsed, parse};
use crate::schema::{self, tokens};
use crate::scope::Scope;
use chrono::{DateTime, Utc};
use domain::access::Entitlement;
use std::collections::BTreeMap;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Value;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    Date,
}

impl Sort {
    pub fn parse(raw: &str) -> Sort {
        if raw.eq_ignore_ascii_case("date") {
            Sort::Date
        } else {
            Sort::Relevance
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Date => "date",
        }
    }
}

/// How much newer stories are preferred among similarly relevant ones: a score is multiplied
/// by `1 + recency_weight / (1 + age / half_life_days)`.
#[derive(Debug, Clone, Copy)]
pub struct Ranking {
    pub recency_weight: f32,
    pub half_life_days: f32,
}

impl Default for Ranking {
    fn default() -> Ranking {
        Ranking {
            recency_weight: 0.25,
            half_life_days: 180.0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub parsed: Parsed,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
    pub now: DateTime<Utc>,
    pub ranking: Ranking,
    /// Whose gated text the viewer may match (`Entitlement::of` their `Viewer`).
    pub entitlement: Entitlement,
}

pub struct Results {
    /// Matching live posts in all.
    pub total: usize,
    /// Post ids of this page, best first.
    pub ids: Vec<String>,
    pub highlighter: Highlighter,
}

const MICROS_PER_DAY: f32 = 86_400_000_000.0;

impl SearchIndex {
    /// Runs `req`. A query with neither words nor filters matches nothing.
    pub fn search(&self, req: &SearchRequest) -> Result<Results, SearchError> {
        let searcher = self.reader.searcher();
        let scope = Scope::new(&searcher, self.fields, &req.entitlement);
        let now = req.now.timestamp_micros();
        let plan = plan::build(&req.parsed, &scope, &mut Analyzers::new(), now);
        let highlighter = Highlighter::new(plan.highlight, self.fields.body);
        if req.parsed.is_empty() {
            return Ok(Results {
                total: 0,
                ids: vec![],
                highlighter,
            });
        }
        let top = TopDocs::with_limit(req.limit.max(1)).and_offset(req.offset);
        let relevance = req.parsed.has_terms() && req.sort == Sort::Relevance;
        let (total, addresses): (usize, Vec<DocAddress>) = if relevance {
            let ranking = req.ranking;
            let collector = top.tweak_score(move |segment: &tantivy::SegmentReader| {
                let dates = segment.fast_fields().i64("published_at").ok();
                move |doc: tantivy::DocId, score: tantivy::Score| {
                    let published = dates.as_ref().and_then(|c| c.first(doc)).unwrap_or(now);
                    let age_days = ((now - published).max(0) as f32) / MICROS_PER_DAY;
                    // Hyperbolic decay: ½ at one half-life, and no `exp` per matching document.
                    let fresh = 1.0 / (1.0 + age_days / ranking.half_life_days.max(1.0));
                    score * (1.0 + ranking.recency_weight * fresh)
                }
            });
            let collectors = (Count, collector);
            let (total, top) =
                searcher.search_with_statistics_provider(&plan.query, &collectors, &scope)?;
            (total, top.into_iter().map(|(_, a)| a).collect())
        } else {
            let collector = top.order_by_fast_field::<i64>("published_at", Order::Desc);
            let (total, top) = searcher.search(&plan.query, &(Count, collector))?;
            (total, top.into_iter().map(|(_, a)| a).collect())
        };
        let ids = addresses
            .into_iter()
            .filter_map(|a| self.stored_id(&searcher, a))
            .collect();
        Ok(Results {
            total,
            ids,
            highlighter,
        })
    }

    /// How many live posts match `parsed` for a viewer with `entitlement` (for filter links
    /// with counts).
    pub fn count(
        &self,
        parsed: &Parsed,
        entitlement: &Entitlement,
        now: DateTime<Utc>,
    ) -> Result<usize, SearchError> {
        if parsed.is_empty() {
            return Ok(0);
        }
        let searcher = self.reader.searcher();
        let scope = Scope::new(&searcher, self.fields, entitlement);
        let plan = plan::build(
            parsed,
            &scope,
            &mut Analyzers::new(),
            now.timestamp_micros(),
        );
        Ok(searcher.search(&plan.query, &Count)?)
    }

    /// A corrected query when some word looks misspelled: each word of 4+ letters that the
    /// viewer's vocabulary lacks is replaced by its most common word within typo distance.
    /// Offered only if the corrected query finds something for this viewer. The vocabulary is
    /// every public field and free part, and gated parts only where `entitlement` admits them.
    pub fn suggest(
        &self,
        raw: &str,
        entitlement: &Entitlement,
        now: DateTime<Utc>,
    ) -> Option<String> {
        let parsed = parse(raw);
        let searcher = self.reader.searcher();
        let scope = Scope::new(&searcher, self.fields, entitlement);
        let mut plain = schema::plain();
        let mut corrected = raw.to_owned();
        let mut changed = false;
        for word in &parsed.words {
            let Ok([token]) = <[String; 1]>::try_from(tokens(&mut plain, word)) else {
                continue;
            };
            if token.chars().count() < 4 || self.word_known(&scope, &token) {
                continue;
            }
            if let Some(better) = self.nearest_word(&scope, &token) {
                corrected = corrected.replacen(word.as_str(), &better, 1);
                changed = true;
            }
        }
        if !changed || self.count(&parse(&corrected), entitlement, now).ok()? == 0 {
            return None;
        }
        Some(corrected)
    }

    /// The viewer's vocabulary: public words and the gated words they may match.
    fn vocabulary(&self) -> [tantivy::schema::Field; 2] {
        [self.fields.words, self.fields.gated_words]
    }

    fn word_known(&self, scope: &Scope, token: &str) -> bool {
        self.vocabulary()
            .into_iter()
            .any(|field| scope.doc_freq(&Term::from_field_text(field, token)) > 0)
    }

    /// The most common word of the viewer's vocabulary within typo distance of `token`.
    fn nearest_word(&self, scope: &Scope, token: &str) -> Option<String> {
        let distance = typo_distance(token).max(1);
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for field in self.vocabulary() {
            let query = FuzzyTermQuery::new(Term::from_field_text(field, token), distance, true);
            for (text, n) in scope.dictionary_matches(field, &query) {
                *counts.entry(text).or_default() += n;
            }
        }
        counts
            .into_iter()
            .filter(|(text, _)| text != token)
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(text, _)| text)
    }

    pub(crate) fn stored_id(&self, searcher: &Searcher, address: DocAddress) -> Option<String> {
        let doc: TantivyDocument = searcher.doc(address).ok()?;
        doc.get_first(self.fields.id)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    }
}
