//! Turns a [`Parsed`] query into a tantivy query: each word becomes its stem, near spellings
//! and (for the word being typed) completions found in the index's own dictionary, weighted
//! per field; phrases, exclusions and filters are added as boolean clauses. Everything that
//! can touch gated text (matches, exclusions, dictionary lookups) goes through the viewer's
//! [`Scope`].

use crate::query::{Filters, Parsed};
use crate::schema::{Fields, tokens};
use crate::scope::Scope;
use chrono::{NaiveDate, NaiveTime};
use std::collections::BTreeMap;
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

/// Weight of a word spelled as typed (after stemming).
const EXACT: f32 = 1.0;
/// Weight of a completion of the word being typed.
const COMPLETION: f32 = 0.7;
/// Weight of a near spelling (typo tolerance).
const NEAR: f32 = 0.4;
/// How many near spellings or completions of one word are searched, most common first.
const MAX_VARIANTS: usize = 6;
/// A word in more than 1 document in this many is common: it is not completed.
const COMMON_WORD: u64 = 100;
/// A word in more than 1 document in this many is spelt as meant: no near spellings.
const RARE_WORD: u64 = 1_000;
/// Completions start at this many letters.
const MIN_PREFIX: usize = 3;

/// The two analysers a plan needs (cloned per query; they hold per-stream state).
pub struct Analyzers {
    pub stemmed: TextAnalyzer,
    pub plain: TextAnalyzer,
}

impl Analyzers {
    pub fn new() -> Analyzers {
        Analyzers {
            stemmed: crate::schema::stemmed(),
            plain: crate::schema::plain(),
        }
    }
}

/// A built query plus the terms to highlight in snippets (term text → weight).
pub struct Plan {
    pub query: Box<dyn Query>,
    pub highlight: BTreeMap<String, f32>,
}

/// Words of 5+ letters tolerate one typo, words of 9+ two.
pub fn typo_distance(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

pub(crate) fn build(
    parsed: &Parsed,
    scope: &Scope,
    analyzers: &mut Analyzers,
    now_micros: i64,
) -> Plan {
    let (fields, searcher) = (scope.fields(), scope.searcher());
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut highlight = BTreeMap::new();
    let last = parsed.words.len().saturating_sub(1);
    for (i, word) in parsed.words.iter().enumerate() {
        let stems = tokens(&mut analyzers.stemmed, word);
        let clause: Box<dyn Query> = match stems.as_slice() {
            [] => continue,
            [stem] => {
                let typing = parsed.prefix_last && i == last;
                let variants = variants(word, stem, typing, scope, analyzers);
                for (term, weight) in &variants {
                    highlight.insert(term.clone(), *weight);
                }
                word_query(scope, &variants)
            }
            // "al-Qaeda", "U.S.": one typed word, several tokens: a phrase.
            many => {
                highlight.extend(many.iter().map(|t| (t.clone(), EXACT)));
                phrase_query(scope, many)
            }
        };
        clauses.push((Occur::Must, clause));
    }
    for phrase in &parsed.phrases {
        let stems = tokens(&mut analyzers.stemmed, phrase);
        if stems.is_empty() {
            continue;
        }
        highlight.extend(stems.iter().map(|t| (t.clone(), EXACT)));
        clauses.push((Occur::Must, phrase_query(scope, &stems)));
    }
    let positive = !clauses.is_empty();
    // An exclusion considers gated text only where the viewer may match it: otherwise
    // "foo -word" would hide exactly the posts whose gated part holds the word.
    for excluded in &parsed.excluded {
        let stems = tokens(&mut analyzers.stemmed, excluded);
        match stems.as_slice() {
            [] => {}
            [stem] => clauses.push((Occur::MustNot, word_query(scope, &[(stem.clone(), EXACT)]))),
            // One exclusion per field: tantivy's phrase scorer cannot sit in a union under
            // MustNot (it seeks backwards).
            many => {
                clauses.extend(phrase_fields(fields).map(|(field, _)| {
                    (Occur::MustNot, in_scope(scope, field, phrase(field, many)))
                }));
            }
        }
    }
    if !positive {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    clauses.extend(filter_clauses(
        &parsed.filters,
        fields,
        searcher,
        now_micros,
    ));
    Plan {
        query: Box::new(BooleanQuery::new(clauses)),
        highlight,
    }
}

/// The newest `published_at` in the index (the live-date rule is only needed when it is in the
/// future).
pub fn latest_published(searcher: &Searcher) -> i64 {
    searcher
        .segment_readers()
        .iter()
        .filter_map(|s| s.fast_fields().i64("published_at").ok())
        .map(|c| c.max_value())
        .max()
        .unwrap_or(i64::MIN)
}

/// Filters and the live-date rule (nothing published in the future), as clauses that do not
/// change the ranking.
pub fn filter_clauses(
    filters: &Filters,
    f: &Fields,
    searcher: &Searcher,
    now_micros: i64,
) -> Vec<(Occur, Box<dyn Query>)> {
    let keyword = |field: Field, value: &str| -> Box<dyn Query> {
        unscored(Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        )))
    };
    let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(section) = &filters.section {
        out.push((Occur::Must, keyword(f.section, section)));
    }
    for tag in &filters.tags {
        out.push((Occur::Must, keyword(f.tag, tag)));
    }
    if let Some(author) = &filters.author {
        out.push((Occur::Must, keyword(f.author, author)));
    }
    let lower = filters
        .after
        .map_or(Bound::Unbounded, |d| Bound::Included(day_start(f, d)));
    let mut upper = Bound::Included(Term::from_field_i64(f.published_at, now_micros));
    if let Some(before) = filters.before {
        let end = day_start(f, before);
        if end.value().as_i64().unwrap_or(i64::MAX) <= now_micros {
            upper = Bound::Excluded(end);
        }
    }
    let nothing_scheduled = latest_published(searcher) <= now_micros;
    if nothing_scheduled && filters.after.is_none() && filters.before.is_none() {
        return out;
    }
    out.push((
        Occur::Must,
        unscored(Box::new(RangeQuery::new(lower, upper))),
    ));
    out
}

/// A clause that narrows without changing the ranking.
fn unscored(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

fn day_start(f: &Fields, day: NaiveDate) -> Term {
    let micros = day.and_time(NaiveTime::MIN).and_utc().timestamp_micros();
    Term::from_field_i64(f.published_at, micros)
}

/// The fields a quoted phrase may match in, public ones first, then the gated part.
fn phrase_fields(fields: &Fields) -> impl Iterator<Item = (Field, f32)> {
    fields
        .phrase_fields()
        .into_iter()
        .chain([fields.gated_text()])
}

/// `query` on `field` as far as the viewer may match it there.
fn in_scope(scope: &Scope, field: Field, query: Box<dyn Query>) -> Box<dyn Query> {
    if scope.fields().is_gated(field) {
        scope.gated(query)
    } else {
        query
    }
}

/// One word in any weighted field (the gated part only where the viewer may match it), in any
/// of its variants.
fn word_query(scope: &Scope, variants: &[(String, f32)]) -> Box<dyn Query> {
    let fields = scope.fields();
    let fields = fields
        .weighted_text()
        .into_iter()
        .chain([fields.gated_text()]);
    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (field, field_weight) in fields {
        let in_field: Vec<(Occur, Box<dyn Query>)> = variants
            .iter()
            .map(|(text, weight)| {
                let term = TermQuery::new(
                    Term::from_field_text(field, text),
                    IndexRecordOption::WithFreqs,
                );
                let boosted = BoostQuery::new(Box::new(term), field_weight * weight);
                (Occur::Should, Box::new(boosted) as Box<dyn Query>)
            })
            .collect();
        let query = in_scope(scope, field, Box::new(BooleanQuery::new(in_field)));
        any.push((Occur::Should, query));
    }
    Box::new(BooleanQuery::new(any))
}

/// Words in this order in the title, dek or body (the gated part only where the viewer may
/// match it).
fn phrase_query(scope: &Scope, stems: &[String]) -> Box<dyn Query> {
    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (field, weight) in phrase_fields(scope.fields()) {
        let query = Box::new(BoostQuery::new(phrase(field, stems), weight));
        any.push((Occur::Should, in_scope(scope, field, query)));
    }
    Box::new(BooleanQuery::new(any))
}

/// `stems` in this order in `field` (one stem: a term query).
fn phrase(field: Field, stems: &[String]) -> Box<dyn Query> {
    let terms: Vec<Term> = stems
        .iter()
        .map(|s| Term::from_field_text(field, s))
        .collect();
    if terms.len() == 1 {
        Box::new(TermQuery::new(
            terms[0].clone(),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(PhraseQuery::new(terms))
    }
}

/// The stem itself, plus completions (while typing) and near spellings. Both are looked up
/// twice: the stem in the stemmed title and body dictionaries, and the word as typed in the
/// unstemmed vocabulary (whose matches are then stemmed), because stemming can pull a misspelt
/// or half-typed word away from its neighbours ("hosptals" → "hosptal", not "hospit"). Gated
/// dictionaries count only the posts the viewer may match, so neither a variant nor the
/// decision to look for one can come from text the viewer may not read.
fn variants(
    word: &str,
    stem: &str,
    typing: bool,
    scope: &Scope,
    analyzers: &mut Analyzers,
) -> Vec<(String, f32)> {
    let fields = scope.fields();
    let plain_word = tokens(&mut analyzers.plain, word).into_iter().next();
    let mut found: BTreeMap<String, (f32, u64)> = BTreeMap::new();
    let mut add = |text: String, freq: u64, weight: f32| {
        let entry = found.entry(text).or_insert((weight, 0));
        entry.0 = entry.0.max(weight);
        entry.1 += freq;
    };
    // A word the archive already uses a lot was meant as typed: its near spellings would add
    // noise (and cost: every variant is one more posting list to merge), and completions of
    // a whole common word matter little. Expansion is for words the index hardly knows.
    let stemmed_fields = [fields.title, fields.body, fields.gated_body];
    let known = stemmed_fields
        .into_iter()
        .map(|f| scope.doc_freq(&Term::from_field_text(f, stem)))
        .max()
        .unwrap_or(0);
    let docs = scope.searcher().num_docs();
    let mut lookups: Vec<(u8, bool, f32)> = Vec::new();
    if typing && stem.chars().count() >= MIN_PREFIX && known * COMMON_WORD < docs.max(1) {
        lookups.push((0, true, COMPLETION));
    }
    let distance = typo_distance(word);
    if distance > 0 && known * RARE_WORD < docs.max(1) {
        lookups.push((distance, false, NEAR));
    }
    for (distance, prefix, weight) in lookups {
        let automaton = |field: Field, text: &str| {
            let term = Term::from_field_text(field, text);
            if prefix {
                FuzzyTermQuery::new_prefix(term, distance, true)
            } else {
                FuzzyTermQuery::new(term, distance, true)
            }
        };
        for field in stemmed_fields {
            for (text, freq) in scope.dictionary_matches(field, &automaton(field, stem)) {
                add(text, freq, weight);
            }
        }
        let Some(plain) = &plain_word else { continue };
        for field in [fields.words, fields.gated_words] {
            let query = automaton(field, plain);
            for (text, freq) in scope.dictionary_matches(field, &query) {
                if let Some(stemmed) = tokens(&mut analyzers.stemmed, &text).into_iter().next() {
                    add(stemmed, freq, weight);
                }
            }
        }
    }
    found.remove(stem);
    let mut ranked: Vec<(String, (f32, u64))> = found.into_iter().collect();
    ranked.sort_by(|a, b| b.1.1.cmp(&a.1.1).then_with(|| a.0.cmp(&b.0)));
    let mut out = vec![(stem.to_owned(), EXACT)];
    out.extend(
        ranked
            .into_iter()
            .take(MAX_VARIANTS)
            .map(|(text, (weight, _))| (text, weight)),
    );
    out
}
