//! The query language readers type, parsed without ever failing: words, "quoted phrases",
//! `-exclusions` and the filters `section:`, `tag:`, `author:`, `after:` and `before:`.
//! Anything that is not an operator is a word; what had to be ignored is explained in `notices`.

use chrono::NaiveDate;

/// Longer queries are cut here (and the reader told).
pub const MAX_QUERY_CHARS: usize = 200;
/// At most this many words, phrases and exclusions are used.
pub const MAX_CLAUSES: usize = 12;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub section: Option<String>,
    pub tags: Vec<String>,
    pub author: Option<String>,
    /// Published on or after this day.
    pub after: Option<NaiveDate>,
    /// Published before this day.
    pub before: Option<NaiveDate>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    /// Words every result must contain (in some form: stemmed, prefixed or nearly spelled).
    pub words: Vec<String>,
    /// Quoted phrases every result must contain, word for word.
    pub phrases: Vec<String>,
    /// Words or phrases no result may contain.
    pub excluded: Vec<String>,
    pub filters: Filters,
    /// The last word is still being typed: match it as a prefix too.
    pub prefix_last: bool,
    /// What was ignored and why, for the results page.
    pub notices: Vec<String>,
}

impl Parsed {
    /// Whether anything positive was asked: a word, a phrase or a filter.
    pub fn has_terms(&self) -> bool {
        !self.words.is_empty() || !self.phrases.is_empty()
    }

    pub fn is_empty(&self) -> bool {
        !self.has_terms() && self.filters.is_empty()
    }
}

/// The filters readers may use; any other `key:value` is read as words.
const FILTER_KEYS: [&str; 5] = ["section", "tag", "author", "after", "before"];

pub fn parse(raw: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut input: String = raw
        .chars()
        .filter(|c| !c.is_control() || *c == ' ')
        .collect();
    if input.chars().count() > MAX_QUERY_CHARS {
        input = input.chars().take(MAX_QUERY_CHARS).collect();
        out.notices.push(format!(
            "Your search was cut to its first {MAX_QUERY_CHARS} characters."
        ));
    }
    let ends_mid_word = input
        .chars()
        .last()
        .is_some_and(|c| !c.is_whitespace() && c != '"');
    let mut last_was_word = false;
    for token in lex(&input) {
        last_was_word = false;
        if out.words.len() + out.phrases.len() + out.excluded.len() >= MAX_CLAUSES {
            out.notices.push(format!(
                "Only the first {MAX_CLAUSES} words and phrases were used."
            ));
            break;
        }
        match token {
            Token::Phrase { negated, text } => {
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if text.is_empty() || !text.chars().any(char::is_alphanumeric) {
                    continue;
                }
                if negated {
                    out.excluded.push(text);
                } else {
                    out.phrases.push(text);
                }
            }
            Token::Word { negated, text } => {
                if let Some((key, value)) = filter(&text) {
                    if negated {
                        out.notices.push(format!(
                            "“-{text}” is not a filter you can negate; it was ignored."
                        ));
                    } else {
                        apply_filter(&mut out, key, value);
                    }
                    continue;
                }
                if !text.chars().any(char::is_alphanumeric) {
                    continue;
                }
                if negated {
                    out.excluded.push(text);
                } else {
                    out.words.push(text);
                    last_was_word = true;
                }
            }
        }
    }
    out.prefix_last = last_was_word && ends_mid_word;
    out
}

fn filter(text: &str) -> Option<(&str, &str)> {
    let (key, value) = text.split_once(':')?;
    let key = FILTER_KEYS.iter().find(|k| k.eq_ignore_ascii_case(key))?;
    Some((key, value))
}

fn apply_filter(out: &mut Parsed, key: &str, value: &str) {
    let value = value.trim();
    if value.is_empty() {
        out.notices.push(format!(
            "“{key}:” needs a value, e.g. {key}:{}.",
            example(key)
        ));
        return;
    }
    let slug = || value.to_lowercase();
    match key {
        "section" => out.filters.section = Some(slug()),
        "tag" if !out.filters.tags.contains(&slug()) => out.filters.tags.push(slug()),
        "author" => out.filters.author = Some(slug()),
        "after" | "before" => match date(value) {
            Some(day) if key == "after" => out.filters.after = Some(day),
            Some(day) => out.filters.before = Some(day),
            None => out.notices.push(format!(
                "“{key}:{value}” is not a date; use {key}:{}.",
                example(key)
            )),
        },
        _ => {}
    }
}

fn example(key: &str) -> &'static str {
    match key {
        "section" => "opinion",
        "tag" => "china",
        "author" => "jane-doe",
        _ => "2026-01-31",
    }
}

/// `YYYY-MM-DD`, `YYYY-MM` (the first of the month) or `YYYY` (the first of January).
fn date(value: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = value.split('-').collect();
    let num = |s: &str| s.parse::<u32>().ok();
    let year = |s: &str| num(s).and_then(|y| i32::try_from(y).ok());
    match parts.as_slice() {
        [y] if y.len() == 4 => NaiveDate::from_ymd_opt(year(y)?, 1, 1),
        [y, m] if y.len() == 4 => NaiveDate::from_ymd_opt(year(y)?, num(m)?, 1),
        [y, m, d] if y.len() == 4 => NaiveDate::from_ymd_opt(year(y)?, num(m)?, num(d)?),
        _ => None,
    }
}

#[derive(Debug, PartialEq)]
enum Token {
    Word { negated: bool, text: String },
    Phrase { negated: bool, text: String },
}

/// Splits on whitespace, keeping "quoted phrases" whole; an unclosed quote runs to the end.
/// A value may be quoted after a filter key (`tag:"foo"`), which the filter then reads.
fn lex(input: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut negated = false;
        if c == '-' {
            chars.next();
            negated = true;
        }
        if chars.peek() == Some(&'"') {
            chars.next();
            let text: String = chars.by_ref().take_while(|&c| c != '"').collect();
            tokens.push(Token::Phrase { negated, text });
            continue;
        }
        let mut text = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            if c == '"' {
                // `key:"value with spaces"`; elsewhere a stray quote just ends the word.
                if text.ends_with(':') {
                    text.extend(chars.by_ref().take_while(|&c| c != '"'));
                }
                break;
            }
            text.push(c);
        }
        if negated && text.is_empty() {
            continue;
        }
        tokens.push(Token::Word { negated, text });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_exclusions_and_filters() {
        let p = parse(
            r#"iran "nuclear deal" -israel section:Opinion tag:china after:2026-01 before:2026-03-15 sanc"#,
        );
        assert_eq!(p.words, ["iran", "sanc"]);
        assert_eq!(p.phrases, ["nuclear deal"]);
        assert_eq!(p.excluded, ["israel"]);
        assert_eq!(p.filters.section.as_deref(), Some("opinion"));
        assert_eq!(p.filters.tags, ["china"]);
        assert_eq!(p.filters.after, NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(p.filters.before, NaiveDate::from_ymd_opt(2026, 3, 15));
        assert!(p.prefix_last);
        assert!(p.notices.is_empty());
    }

    #[test]
    fn prefix_only_while_typing_a_plain_word() {
        assert!(!parse("iran ").prefix_last);
        assert!(!parse("\"iran\"").prefix_last);
        assert!(!parse("iran tag:china").prefix_last);
        assert!(!parse("iran -sanc").prefix_last);
        assert!(parse("ira").prefix_last);
    }

    #[test]
    fn odd_input_never_fails() {
        for raw in [
            "",
            "   ",
            "\"",
            "\"\"",
            "-",
            "--",
            "- -",
            "tag:",
            ":",
            "\"unclosed phrase",
            "-\"",
            "a:b:c",
            "\u{0}\u{7}",
            "„“”",
        ] {
            let p = parse(raw);
            assert!(
                p.words.iter().all(|w| w.chars().any(char::is_alphanumeric)),
                "{raw:?}"
            );
        }
        assert_eq!(parse("\"unclosed phrase").phrases, ["unclosed phrase"]);
        assert!(parse("tag:").notices[0].contains("needs a value"));
        assert!(parse("after:yesterday").notices[0].contains("not a date"));
        assert!(parse("-tag:china").notices[0].contains("negate"));
        assert_eq!(parse("10:30 ratio:2").words, ["10:30", "ratio:2"]);
    }

    #[test]
    fn long_queries_are_cut_with_a_notice() {
        let long = "word ".repeat(2_000);
        let p = parse(&long);
        assert_eq!(p.words.len(), MAX_CLAUSES);
        assert_eq!(p.notices.len(), 2);
        let one = "x".repeat(10_000);
        assert_eq!(parse(&one).words[0].len(), MAX_QUERY_CHARS);
    }

    #[test]
    fn quoted_filter_values() {
        assert_eq!(
            parse(r#"author:"jane-doe""#).filters.author.as_deref(),
            Some("jane-doe")
        );
    }
}
