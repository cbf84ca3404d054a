//! Ghost's filter language (NQL), parsed into a `store::query::Cond` over allow-listed fields.
//!
//! `field:value`, `-field:value` and `field:-value` (not), `field:[a,b]` and `field:-[a,b]`,
//! `>`, `>=`, `<`, `<=`, `~` (contains), `~^` (starts with), `~$` (ends with), `+` (and), `,`
//! (or, binding looser than and), parentheses, 'quoted strings' with `\'`, `null`, `true` and
//! `false`, and dates: `2026-11-20`, `'2026-11-20 09:30:00'`, RFC 3339, `now` and `now-7d`
//! (units s, m, h, d, w, M, y). A field the caller's allow-list does not name is an error, so a
//! filter cannot probe columns a reader may not see. Input is bounded in size, depth and list
//! length; every failure is a `FilterError`, never a panic.

use chrono::{DateTime, Duration, Months, NaiveDate, NaiveDateTime, Utc};
use store::query::{CmpOp, Cond, Field, Kind, LikeOp, Test, Value};

/// Longer filters are refused: real ones are a few hundred bytes.
pub const MAX_LEN: usize = 4096;
const MAX_DEPTH: usize = 16;
const MAX_LIST: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FilterError(pub String);

fn fail<T>(message: impl Into<String>) -> Result<T, FilterError> {
    Err(FilterError(message.into()))
}

/// Parses `input` (empty means "everything"); `field` maps a name to an allowed field.
pub fn parse<F: Field>(
    input: &str,
    field: impl Fn(&str) -> Option<F>,
    now: DateTime<Utc>,
) -> Result<Cond<F>, FilterError> {
    if input.len() > MAX_LEN {
        return fail(format!("filter is longer than {MAX_LEN} bytes"));
    }
    let tokens = lex(input)?;
    if tokens.is_empty() {
        return Ok(Cond::All(vec![]));
    }
    let mut p = Parser {
        tokens,
        at: 0,
        field: &field,
        now,
        depth: 0,
    };
    let cond = p.or()?;
    match p.peek() {
        None => Ok(cond),
        Some(t) => fail(format!("unexpected {} in filter", t.describe())),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A bare word: field name, value, `null`, `now-7d`, …
    Word(String),
    Quoted(String),
    Colon,
    Plus,
    Comma,
    Minus,
    Open,
    Close,
    OpenList,
    CloseList,
    /// `>`, `>=`, `<`, `<=`, `~`, `~^`, `~$`
    Op(&'static str),
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Word(w) | Token::Quoted(w) => format!("{:?}", truncate(w)),
            Token::Colon => "':'".into(),
            Token::Plus => "'+'".into(),
            Token::Comma => "','".into(),
            Token::Minus => "'-'".into(),
            Token::Open => "'('".into(),
            Token::Close => "')'".into(),
            Token::OpenList => "'['".into(),
            Token::CloseList => "']'".into(),
            Token::Op(op) => format!("'{op}'"),
        }
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !"'\":+,()[]<>~=!".contains(c)
}

fn lex(input: &str) -> Result<Vec<Token>, FilterError> {
    let mut out = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let token = match c {
            c if c.is_whitespace() => continue,
            ':' => Token::Colon,
            '+' => Token::Plus,
            ',' => Token::Comma,
            '(' => Token::Open,
            ')' => Token::Close,
            '[' => Token::OpenList,
            ']' => Token::CloseList,
            '-' if !out.last().is_some_and(|t| matches!(t, Token::Word(_))) => Token::Minus,
            '>' | '<' => {
                let eq = chars.next_if(|&(_, c)| c == '=').is_some();
                Token::Op(match (c, eq) {
                    ('>', false) => ">",
                    ('>', true) => ">=",
                    ('<', false) => "<",
                    _ => "<=",
                })
            }
            '~' => match chars.next_if(|&(_, c)| c == '^' || c == '$') {
                Some((_, '^')) => Token::Op("~^"),
                Some(_) => Token::Op("~$"),
                None => Token::Op("~"),
            },
            '\'' | '"' => Token::Quoted(quoted(c, &mut chars)?),
            c if is_word_char(c) => {
                let mut end = i + c.len_utf8();
                while let Some((j, c)) = chars.next_if(|&(_, c)| is_word_char(c) || c == '-') {
                    end = j + c.len_utf8();
                }
                Token::Word(input[i..end].to_owned())
            }
            other => return fail(format!("unexpected character {other:?} in filter")),
        };
        out.push(token);
    }
    Ok(out)
}

fn quoted(
    quote: char,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
) -> Result<String, FilterError> {
    let mut text = String::new();
    while let Some((_, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, escaped)) => text.push(escaped),
                None => break,
            },
            c if c == quote => return Ok(text),
            c => text.push(c),
        }
    }
    fail("a quoted string in the filter is not closed")
}

struct Parser<'f, F> {
    tokens: Vec<Token>,
    at: usize,
    field: &'f dyn Fn(&str) -> Option<F>,
    now: DateTime<Utc>,
    depth: usize,
}

impl<F: Field> Parser<'_, F> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn eat(&mut self, token: &Token) -> bool {
        let hit = self.peek() == Some(token);
        if hit {
            self.at += 1;
        }
        hit
    }

    fn or(&mut self) -> Result<Cond<F>, FilterError> {
        let mut items = vec![self.and()?];
        while self.eat(&Token::Comma) {
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Cond::Any(items)
        })
    }

    fn and(&mut self) -> Result<Cond<F>, FilterError> {
        let mut items = vec![self.unary()?];
        while self.eat(&Token::Plus) {
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Cond::All(items)
        })
    }

    fn unary(&mut self) -> Result<Cond<F>, FilterError> {
        if self.eat(&Token::Open) {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return fail(format!("filter nests deeper than {MAX_DEPTH} parentheses"));
            }
            let inner = self.or()?;
            if !self.eat(&Token::Close) {
                return fail("a '(' in the filter is not closed");
            }
            self.depth -= 1;
            return Ok(inner);
        }
        let negated_field = self.eat(&Token::Minus);
        let name = match self.next() {
            Some(Token::Word(name)) => name,
            Some(t) => return fail(format!("expected a field name, found {}", t.describe())),
            None => return fail("the filter ends where a field name was expected"),
        };
        let Some(field) = (self.field)(&name) else {
            return fail(format!("cannot filter on {:?}", truncate(&name)));
        };
        if !self.eat(&Token::Colon) {
            return fail(format!("expected ':' after {:?}", truncate(&name)));
        }
        let negated_value = self.eat(&Token::Minus);
        let (negated, test) = self.test(field)?;
        Ok(Cond::Test {
            field,
            negated: negated ^ negated_field ^ negated_value,
            test,
        })
    }

    /// The operator and value(s) after `field:`; the flag says the operator negates.
    fn test(&mut self, field: F) -> Result<(bool, Test), FilterError> {
        if self.eat(&Token::OpenList) {
            let mut values = Vec::new();
            loop {
                values.push(self.value(field)?);
                if values.len() > MAX_LIST {
                    return fail(format!("a filter list holds more than {MAX_LIST} values"));
                }
                match self.next() {
                    Some(Token::Comma) => {}
                    Some(Token::CloseList) => break,
                    _ => return fail("a '[' in the filter is not closed"),
                }
            }
            return Ok((false, Test::In(values)));
        }
        let op = match self.peek() {
            Some(Token::Op(op)) => {
                let op = *op;
                self.at += 1;
                op
            }
            _ => return Ok((false, Test::Eq(self.value(field)?))),
        };
        if op.starts_with('~') {
            if field.kind() != Kind::Text {
                return fail(format!("'{op}' only applies to text"));
            }
            let like = match op {
                "~^" => LikeOp::StartsWith,
                "~$" => LikeOp::EndsWith,
                _ => LikeOp::Contains,
            };
            return Ok((false, Test::Like(like, self.text()?)));
        }
        let cmp = match op {
            ">" => CmpOp::Gt,
            ">=" => CmpOp::Gte,
            "<" => CmpOp::Lt,
            _ => CmpOp::Lte,
        };
        match self.value(field)? {
            Value::Null | Value::Bool(_) => fail(format!("'{op}' needs a text or date value")),
            v => Ok((false, Test::Cmp(cmp, v))),
        }
    }

    fn text(&mut self) -> Result<String, FilterError> {
        match self.next() {
            Some(Token::Word(w) | Token::Quoted(w)) => Ok(w),
            Some(t) => fail(format!("expected a value, found {}", t.describe())),
            None => fail("the filter ends where a value was expected"),
        }
    }

    fn value(&mut self, field: F) -> Result<Value, FilterError> {
        let (raw, quoted) = match self.next() {
            Some(Token::Word(w)) => (w, false),
            Some(Token::Quoted(w)) => (w, true),
            Some(t) => return fail(format!("expected a value, found {}", t.describe())),
            None => return fail("the filter ends where a value was expected"),
        };
        if !quoted && raw == "null" {
            return Ok(Value::Null);
        }
        match field.kind() {
            Kind::Text => Ok(Value::Text(raw)),
            Kind::Bool => match raw.as_str() {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                other => fail(format!("{:?} is not true or false", truncate(other))),
            },
            Kind::Time => time(&raw, self.now).map(Value::Time),
        }
    }
}

/// A date or time: absolute (UTC) or relative to `now`.
fn time(raw: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, FilterError> {
    let bad = || FilterError(format!("{:?} is not a date", truncate(raw)));
    if let Some(rest) = raw.strip_prefix("now") {
        if rest.is_empty() {
            return Ok(now);
        }
        let (sign, amount) = match rest.split_at_checked(1) {
            Some(("-", a)) => (-1, a),
            Some(("+", a)) => (1, a),
            _ => return Err(bad()),
        };
        let unit = amount.chars().last().ok_or_else(bad)?;
        let n: i64 = amount[..amount.len() - unit.len_utf8()]
            .parse()
            .map_err(|_| bad())?;
        if !(0..=100_000).contains(&n) {
            return Err(bad());
        }
        // n is at most 100,000 (checked above), so years in months fit in a u32.
        let months = |m: i64| Months::new(u32::try_from(m).unwrap_or(u32::MAX));
        let shifted = match unit {
            's' => Some(now + Duration::seconds(sign * n)),
            'm' => Some(now + Duration::minutes(sign * n)),
            'h' => Some(now + Duration::hours(sign * n)),
            'd' => Some(now + Duration::days(sign * n)),
            'w' => Some(now + Duration::weeks(sign * n)),
            'M' | 'y' => {
                let m = if unit == 'y' { n * 12 } else { n };
                if sign < 0 {
                    now.checked_sub_months(months(m))
                } else {
                    now.checked_add_months(months(m))
                }
            }
            _ => None,
        };
        return shifted.ok_or_else(bad);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(raw, format) {
            return Ok(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(bad)
}

pub mod member;

#[cfg(test)]
mod tests;
