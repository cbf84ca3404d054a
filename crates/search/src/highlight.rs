//! Snippets and highlighted titles, built from whatever text the caller passes — which must be
//! the requesting viewer's `PostView`, never the indexed text.

use crate::schema;
use std::collections::BTreeMap;
use tantivy::snippet::{Snippet, SnippetGenerator};

/// Characters of body text in a snippet.
pub const SNIPPET_CHARS: usize = 220;

pub struct Highlighter {
    body: SnippetGenerator,
    title: SnippetGenerator,
    /// The highlighted terms (stems, lowercase), to find where in a long text to look.
    terms: Vec<String>,
}

/// Text examined around the first place a term occurs: tokenizing and stemming a whole long
/// article for every hit would cost more than the search itself.
const WINDOW_BEFORE: usize = 160;
const WINDOW_AFTER: usize = 480;

impl Highlighter {
    pub(crate) fn new(terms: BTreeMap<String, f32>, field: tantivy::schema::Field) -> Highlighter {
        Highlighter {
            terms: terms.keys().filter(|t| t.len() >= 2).cloned().collect(),
            body: SnippetGenerator::new(terms.clone(), schema::stemmed(), field, SNIPPET_CHARS),
            title: SnippetGenerator::new(terms, schema::stemmed(), field, 1_000),
        }
    }

    /// The passage of `visible_text` that best matches the query, HTML-escaped, with matches in
    /// `<mark>`; the opening of the text when nothing in it matches.
    pub fn snippet(&self, visible_text: &str) -> String {
        let snippet = self.body.snippet(visible_text);
        if snippet.is_empty() {
            return escape(&opening(visible_text, SNIPPET_CHARS));
        }
        let range = snippet.fragment_range();
        let before = if range.start > 0 { "…" } else { "" };
        let after = if range.end < visible_text.trim_end().len() {
            "…"
        } else {
            ""
        };
        format!("{before}{}{after}", marked(snippet).trim())
    }

    /// `title` HTML-escaped with its matching words in `<mark>`.
    pub fn title(&self, title: &str) -> String {
        let snippet = self.title.snippet(title);
        if snippet.is_empty() || snippet.fragment().len() < title.len() {
            return escape(title);
        }
        marked(snippet)
    }
}

fn marked(mut snippet: Snippet) -> String {
    snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
    snippet.to_html()
}

/// Up to `max` characters of `text`, cut at a space, with an ellipsis when cut.
fn opening(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..at])
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
