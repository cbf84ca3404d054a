//! The index layout: which fields exist, how their text is analysed, and the layout's version.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

/// Bump whenever fields or analysers change: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 2;

/// English words: split on non-alphanumerics, lowercased, accents folded, stemmed.
pub const STEMMED: &str = "masthead_en";
/// The same without stemming, for did-you-mean suggestions that must read as real words.
pub const PLAIN: &str = "masthead_plain";

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub id: Field,
    pub title: Field,
    pub dek: Field,
    pub tags: Field,
    pub authors: Field,
    /// The free part of the body.
    pub body: Field,
    /// Every word anyone may read (title, dek, free part, tag and author names), unstemmed: the
    /// vocabulary of typo tolerance and suggestions.
    pub words: Field,
    /// The gated part, matched only for viewers entitled to it (see `scope`); never stored.
    pub gated_body: Field,
    /// The gated part's words, unstemmed, for the same viewers only.
    pub gated_words: Field,
    /// Who may match the gated part: `domain::access::Audience` keywords.
    pub audience: Field,
    pub section: Field,
    pub tag: Field,
    pub author: Field,
    pub published_at: Field,
}

impl Fields {
    /// The text fields every reader's words are matched against, with their ranking weights.
    pub fn weighted_text(&self) -> [(Field, f32); 5] {
        [
            (self.title, 4.0),
            (self.dek, 2.0),
            (self.tags, 1.5),
            (self.authors, 1.5),
            (self.body, 1.0),
        ]
    }

    /// Text fields indexed with positions, where quoted phrases can match.
    pub fn phrase_fields(&self) -> [(Field, f32); 3] {
        [(self.title, 4.0), (self.dek, 2.0), (self.body, 1.0)]
    }

    /// The gated part and its weight (the body's): searched only through a `Scope`.
    pub fn gated_text(&self) -> (Field, f32) {
        (self.gated_body, 1.0)
    }

    /// Whether `field` holds gated text, which only some viewers may match.
    pub fn is_gated(&self, field: Field) -> bool {
        field == self.gated_body || field == self.gated_words
    }
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text(STEMMED, positions)),
        dek: b.add_text_field("dek", text(STEMMED, positions)),
        tags: b.add_text_field("tags", text(STEMMED, IndexRecordOption::WithFreqs)),
        authors: b.add_text_field("authors", text(STEMMED, IndexRecordOption::WithFreqs)),
        body: b.add_text_field("body", text(STEMMED, positions)),
        words: b.add_text_field("words", text(PLAIN, IndexRecordOption::Basic)),
        gated_body: b.add_text_field("gated_body", text(STEMMED, positions)),
        gated_words: b.add_text_field("gated_words", text(PLAIN, IndexRecordOption::Basic)),
        audience: b.add_text_field("audience", STRING),
        section: b.add_text_field("section", STRING | STORED),
        tag: b.add_text_field("tag", STRING | STORED),
        author: b.add_text_field("author", STRING),
        published_at: b.add_i64_field("published_at", INDEXED | FAST | STORED),
    };
    (b.build(), fields)
}

/// Registers the analysers; tantivy does not persist them, so every opened index needs this.
pub fn register_tokenizers(index: &tantivy::Index) {
    index.tokenizers().register(STEMMED, stemmed());
    index.tokenizers().register(PLAIN, plain());
}

pub fn stemmed() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

pub fn plain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The tokens `analyzer` makes of `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}
