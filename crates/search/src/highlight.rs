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
        let Some((offset, window)) = self.window(visible_text) else {
            return escape(&opening(visible_text, SNIPPET_CHARS));
        };
        let snippet = self.body.snippet(window);
        if snippet.is_empty() {
            return escape(&opening(visible_text, SNIPPET_CHARS));
        }
        let range = snippet.fragment_range();
        let before = if offset + range.start > 0 { "…" } else { "" };
        let after = if offset + range.end < visible_text.trim_end().len() {
            "…"
        } else {
            ""
        };
        format!("{before}{}{after}", marked(snippet).trim())
    }

    /// The stretch of `text` around the first occurrence of any term (matched as the start of
    /// a word, ASCII case-insensitively), with its byte offset; `None` if no term occurs.
    fn window<'t>(&self, text: &'t str) -> Option<(usize, &'t str)> {
        let lower = text.to_ascii_lowercase();
        let starts_word = |i: usize| {
            i == 0
                || !lower[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
        };
        let at = self
            .terms
            .iter()
            .filter_map(|term| {
                lower
                    .match_indices(term.as_str())
                    .map(|(i, _)| i)
                    .find(|&i| starts_word(i))
            })
            .min()?;
        let mut start = at.saturating_sub(WINDOW_BEFORE);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        if start > 0 {
            start = text[..start]
                .rfind(char::is_whitespace)
                .map_or(0, |i| i + 1);
        }
        let mut end = (at + WINDOW_AFTER).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        if end < text.len() {
            end = text[..end].rfind(char::is_whitespace).unwrap_or(end);
        }
        Some((start, &text[start..end.max(start)]))
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
