//! Members from a CSV file in Ghost's column layout (`email, name, note, subscribed_to_emails,
//! complimentary_plan, stripe_customer_id, created_at, labels, tiers`; other columns, such as
//! `id` and `deleted_at`, are ignored). Pure: bytes and the site's tiers in, rows and per-row
//! errors out. Rows are numbered as a spreadsheet shows them: the header is row 1.
//! Cells are kept as text exactly (a name `=cmd` stays `=cmd`: nothing here evaluates it).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use domain::{Email, Slug, Tier};
use std::collections::HashMap;
use std::fmt;
use store::ImportedMember;

/// The largest file accepted (about 50,000 rows of Ghost's export), by every caller.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// The most rows one file may hold: the whole file is written in one transaction.
pub const MAX_ROWS: usize = 50_000;
/// Longest name and note, as Ghost allows.
const MAX_NAME: usize = 191;
const MAX_NOTE: usize = 2000;

/// A row that could be read, and its number.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    pub row: usize,
    pub member: ImportedMember,
}

/// Why a row is skipped; shown as "row 14: email 'bob@' is not an address".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}: {}", self.row, self.message)
    }
}

/// A file read: its good rows and the errors of the others.
#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: Vec<ParsedRow>,
    pub errors: Vec<RowError>,
}

impl Parsed {
    /// How many data rows the file had.
    pub fn total(&self) -> usize {
        // A skipped row has exactly one error.
        self.rows.len() + self.errors.len()
    }
}

/// Why a whole file cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("The file is empty.")]
    Empty,
    #[error(
        "The file is not UTF-8 text (row {row} is not). Save it as \"CSV UTF-8\" and try again."
    )]
    NotUtf8 { row: usize },
    #[error("The file has no email column; its first row must name the columns (email, name, …).")]
    NoEmailColumn,
    #[error("The file has more than {MAX_ROWS} rows; split it into smaller files.")]
    TooManyRows,
    #[error("The file could not be read as CSV at row {row}: {message}")]
    Malformed { row: usize, message: String },
}

/// The columns we read, by position in the file.
#[derive(Default)]
struct Columns {
    email: usize,
    name: Option<usize>,
    note: Option<usize>,
    subscribed: Option<usize>,
    comp: Option<usize>,
    customer: Option<usize>,
    created_at: Option<usize>,
    labels: Option<usize>,
    tiers: Option<usize>,
}

impl Columns {
    fn of(header: &[String]) -> Result<Columns, FileError> {
        let find = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        Ok(Columns {
            email: find("email").ok_or(FileError::NoEmailColumn)?,
            name: find("name"),
            note: find("note"),
            subscribed: find("subscribed_to_emails"),
            comp: find("complimentary_plan"),
            customer: find("stripe_customer_id"),
            created_at: find("created_at"),
            labels: find("labels"),
            tiers: find("tiers"),
        })
    }
}

/// Reads `bytes` as a members CSV for a site with `tiers`.
///
/// # Errors
/// A `FileError` when the file as a whole cannot be read; problems of single rows are
/// reported in `Parsed::errors` and those rows skipped.
pub fn parse(bytes: &[u8], tiers: &[Tier]) -> Result<Parsed, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(FileError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(record) => text(&record.map_err(|e| malformed(1, &e))?, 1)?,
        None => return Err(FileError::Empty),
    };
    let columns = Columns::of(&header)?;
    let mut parsed = Parsed::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, record) in records.enumerate() {
        let row = i + 2;
        if i >= MAX_ROWS {
            return Err(FileError::TooManyRows);
        }
        let cells = text(&record.map_err(|e| malformed(row, &e))?, row)?;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match read_row(&cells, &columns, tiers) {
            Ok(member) => {
                if let Some(first) = seen.get(member.email.as_str()) {
                    parsed.errors.push(RowError {
                        row,
                        message: format!(
                            "email '{}' is already on row {first}",
                            member.email.as_str()
                        ),
                    });
                } else {
                    seen.insert(member.email.as_str().to_owned(), row);
                    parsed.rows.push(ParsedRow { row, member });
                }
            }
            Err(message) => parsed.errors.push(RowError { row, message }),
        }
    }
    Ok(parsed)
}

fn malformed(row: usize, e: &csv::Error) -> FileError {
    FileError::Malformed {
        row,
        message: e.to_string(),
    }
}

/// A record's cells as text, or the row that is not UTF-8.
fn text(record: &csv::ByteRecord, row: usize) -> Result<Vec<String>, FileError> {
    record
        .iter()
        .map(|cell| {
            std::str::from_utf8(cell)
                .map(str::to_owned)
                .map_err(|_| FileError::NotUtf8 { row })
        })
        .collect()
}

/// One row as a member, or what is wrong with it.
fn read_row(cells: &[String], c: &Columns, tiers: &[Tier]) -> Result<ImportedMember, String> {
    let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).map_or("", |s| s.trim());
    let raw_email = cell(Some(c.email));
    if raw_email.is_empty() {
        return Err("the email is empty".into());
    }
    let email = Email::parse(raw_email)
        .map_err(|_| format!("email '{}' is not an address", shown(raw_email)))?;
    let name = limited("name", cell(c.name), MAX_NAME)?;
    let note = limited("note", cell(c.note), MAX_NOTE)?;
    let subscribed = boolean("subscribed_to_emails", cell(c.subscribed))?;
    let comp = boolean("complimentary_plan", cell(c.comp))?.unwrap_or(false);
    let created_at = date(cell(c.created_at))?;
    let labels = list(cell(c.labels))
        .map(|l| domain::label::label_name(l).map_err(|e| format!("label '{}': {e}", shown(l))))
        .collect::<Result<Vec<_>, _>>()?;
    let named = list(cell(c.tiers))
        .map(|t| tier_named(t, tiers))
        .collect::<Result<Vec<_>, _>>()?;
    let comp = if comp {
        Some(comp_tier(&named, tiers)?)
    } else {
        None
    };
    let customer = cell(c.customer);
    let stripe_customer_id = if customer.is_empty() {
        None
    } else if customer.starts_with("cus_")
        && customer[4..].chars().all(|ch| ch.is_ascii_alphanumeric())
        && customer.len() > 4
        && customer.len() <= 255
    {
        Some(customer.to_owned())
    } else {
        return Err(format!(
            "stripe_customer_id '{}' is not a Stripe customer id (cus_…)",
            shown(customer)
        ));
    };
    Ok(ImportedMember {
        email,
        name,
        note,
        subscribed,
        created_at,
        labels,
        comp,
        stripe_customer_id,
        linked: None,
    })
}

/// A value as quoted in a message: at most 40 characters.
fn shown(value: &str) -> String {
    let mut s: String = value.chars().take(40).collect();
    if value.chars().count() > 40 {
        s.push('…');
    }
    s
}

fn limited(column: &str, value: &str, max: usize) -> Result<Option<String>, String> {
    if value.chars().count() > max {
        return Err(format!("the {column} is longer than {max} characters"));
    }
    if value
        .chars()
        .any(|ch| ch.is_control() && !matches!(ch, '\n' | '\r' | '\t'))
    {
        return Err(format!("the {column} holds control characters"));
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

fn boolean(column: &str, value: &str) -> Result<Option<bool>, String> {
    match value.to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "true" | "yes" | "1" => Ok(Some(true)),
        "false" | "no" | "0" => Ok(Some(false)),
        _ => Err(format!("{column} '{}' is not true or false", shown(value))),
    }
}

/// Ghost writes `2024-03-01T10:00:00.000Z`; spreadsheets `2024-03-01 10:00:00` or a day.
fn date(value: &str) -> Result<Option<DateTime<Utc>>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S") {
        return Ok(Some(t.and_utc()));
    }
    if let Some(t) = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        return Ok(Some(t.and_utc()));
    }
    Err(format!(
        "created_at '{}' is not a date (2024-03-01 or 2024-03-01T10:00:00Z)",
        shown(value)
    ))
}

/// The comma-separated items of a cell, trimmed, empty ones left out.
fn list(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// The tier a cell names, by slug or by name (any case).
fn tier_named<'a>(value: &str, tiers: &'a [Tier]) -> Result<&'a Tier, String> {
    tiers
        .iter()
        .find(|t| t.slug.as_str().eq_ignore_ascii_case(value) || t.name.eq_ignore_ascii_case(value))
        .ok_or_else(|| {
            let known: Vec<&str> = tiers.iter().map(|t| t.slug.as_str()).collect();
            format!(
                "tier '{}' is not a tier here (tiers: {})",
                shown(value),
                known.join(", ")
            )
        })
}

/// The tier `complimentary_plan` gives: the first paid tier the row names, else the site's
/// first active paid tier.
fn comp_tier(named: &[&Tier], tiers: &[Tier]) -> Result<Slug, String> {
    named
        .iter()
        .copied()
        .find(|t| t.is_paid())
        .or_else(|| tiers.iter().find(|t| t.is_paid() && t.active))
        .map(|t| t.slug.clone())
        .ok_or_else(|| "complimentary_plan is true but the site has no paid tier".to_owned())
}
