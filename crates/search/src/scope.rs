//! What one viewer may match: public fields and free parts in every post, gated parts only in
//! posts whose audience the viewer's `Entitlement` admits.
//!
//! Every clause, dictionary lookup and ranking statistic that touches a gated field goes through
//! a `Scope`, so that for a viewer the index behaves as if the gated text they may not read were
//! not there: no match, no completion, no near spelling, no did-you-mean and no change in the
//! weight of a word can tell them what it says.

use crate::schema::Fields;
use domain::access::Entitlement;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use tantivy::query::{
    Bm25StatisticsProvider, BooleanQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocSet, Searcher, SegmentReader, TERMINATED, Term};

/// Dictionary terms collected per lookup, and examined per lookup (bounding the postings read
/// for a viewer who may match only some posts' gated text).
const MAX_FOUND: usize = 500;
const MAX_EXAMINED: usize = 5_000;

pub(crate) struct Scope<'s> {
    searcher: &'s Searcher,
    fields: Fields,
    /// The viewer's audience keywords; `None` when every post's gated text is theirs (staff).
    audiences: Option<Vec<Term>>,
    /// Per segment, the posts whose gated text the viewer may match; built on first use.
    entitled: OnceCell<Vec<BitSet>>,
}

impl<'s> Scope<'s> {
    pub fn new(searcher: &'s Searcher, fields: Fields, entitlement: &Entitlement) -> Scope<'s> {
        let audiences = match entitlement {
            Entitlement::Everything => None,
            Entitlement::Audiences(list) => Some(
                list.iter()
                    .map(|a| Term::from_field_text(fields.audience, a.as_str()))
                    .collect(),
            ),
        };
        Scope {
            searcher,
            fields,
            audiences,
            entitled: OnceCell::new(),
        }
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    pub fn searcher(&self) -> &'s Searcher {
        self.searcher
    }

    /// `query`, over a gated field, narrowed to the posts whose gated text the viewer may match.
    /// The narrowing adds nothing to the score.
    pub fn gated(&self, query: Box<dyn Query>) -> Box<dyn Query> {
        let Some(audiences) = &self.audiences else {
            return query;
        };
        let any: Vec<(Occur, Box<dyn Query>)> = audiences
            .iter()
            .map(|t| {
                let term = TermQuery::new(t.clone(), IndexRecordOption::Basic);
                (Occur::Should, Box::new(term) as Box<dyn Query>)
            })
            .collect();
        let audience = ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0);
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (Occur::Must, Box::new(audience)),
        ]))
    }

    /// How many posts hold `term` where the viewer may match it.
    pub fn doc_freq(&self, term: &Term) -> u64 {
        if !self.restricts(term.field()) {
            return self.searcher.doc_freq(term).unwrap_or(0);
        }
        let mut n = 0;
        for (segment, bits) in self.searcher.segment_readers().iter().zip(self.entitled()) {
            let Ok(inverted) = segment.inverted_index(term.field()) else {
                continue;
            };
            if let Ok(Some(mut postings)) = inverted.read_postings(term, IndexRecordOption::Basic) {
                n += count_in(&mut postings, bits);
            }
        }
        n
    }

    /// Terms of `field` the automaton of `query` accepts, with how many posts hold each where
    /// the viewer may match it; terms only other readers' gated text holds are left out.
    pub fn dictionary_matches(&self, field: Field, query: &FuzzyTermQuery) -> Vec<(String, u64)> {
        let Ok(automaton) = query.automaton() else {
            return vec![];
        };
        let restricted = self.restricts(field);
        let mut out: BTreeMap<String, u64> = BTreeMap::new();
        let mut examined = 0;
        let segments = self.searcher.segment_readers().iter().enumerate();
        for (ord, segment) in segments {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                continue;
            };
            while out.len() < MAX_FOUND && examined < MAX_EXAMINED && stream.advance() {
                examined += 1;
                let info = stream.value();
                let n = if restricted {
                    let bits = &self.entitled()[ord];
                    match inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic) {
                        Ok(mut postings) => count_in(&mut postings, bits),
                        Err(_) => 0,
                    }
                } else {
                    u64::from(info.doc_freq)
                };
                if n == 0 {
                    continue;
                }
                if let Ok(text) = std::str::from_utf8(stream.key()) {
                    *out.entry(text.to_owned()).or_default() += n;
                }
            }
        }
        out.into_iter().collect()
    }

    /// Whether matches in `field` depend on the viewer.
    fn restricts(&self, field: Field) -> bool {
        self.audiences.is_some() && self.fields.is_gated(field)
    }

    fn entitled(&self) -> &[BitSet] {
        self.entitled.get_or_init(|| {
            let audiences = self.audiences.as_deref().unwrap_or_default();
            self.searcher
                .segment_readers()
                .iter()
                .map(|segment| entitled_in(segment, self.fields.audience, audiences))
                .collect()
        })
    }
}

/// The live posts of `segment` holding one of `audiences`.
fn entitled_in(segment: &SegmentReader, field: Field, audiences: &[Term]) -> BitSet {
    let mut bits = BitSet::with_max_value(segment.max_doc());
    let Ok(inverted) = segment.inverted_index(field) else {
        return bits;
    };
    for term in audiences {
        let Ok(Some(mut postings)) = inverted.read_postings(term, IndexRecordOption::Basic) else {
            continue;
        };
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if segment
                .alive_bitset()
                .is_none_or(|alive| alive.is_alive(doc))
            {
                bits.insert(doc);
            }
            doc = postings.advance();
        }
    }
    bits
}

fn count_in(postings: &mut impl DocSet, bits: &BitSet) -> u64 {
    let mut n = 0;
    let mut doc = postings.doc();
    while doc != TERMINATED {
        n += u64::from(bits.contains(doc));
        doc = postings.advance();
    }
    n
}

/// BM25 weighs a word by how many posts hold it: in gated fields, only the posts the viewer may
/// match count, so a ranking cannot hint at how often other readers' gated text uses a word.
/// (Field lengths stay index-wide: a total over every post, which says nothing of any word.)
impl Bm25StatisticsProvider for Scope<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_tokens(self.searcher, field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(self.searcher)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        Ok(Scope::doc_freq(self, term))
    }
}
