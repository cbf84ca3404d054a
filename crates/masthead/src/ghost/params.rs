//! The query parameters every browse and read of the Ghost APIs takes: `include`, `fields`,
//! `formats`, `filter`, `limit`, `page` and `order`, parsed and bounded (`key` is checked by
//! `http/ghost/content.rs`).

use super::filter::{self, FilterError};
use chrono::{DateTime, Utc};
use store::Window;
use store::query::{Cond, Field, Sort};

/// Ghost's default page size, and its ceiling (`limit=all` means this many since Ghost 6).
pub const DEFAULT_LIMIT: u32 = 15;
pub const MAX_LIMIT: u32 = 100;

/// A parameter that cannot be used: Ghost's message and what was wrong (`http/ghost` answers
/// it as Ghost does, with a 400 `BadRequestError`).
#[derive(Debug, thiserror::Error)]
#[error("{message} {context}")]
pub struct ParamError {
    pub message: &'static str,
    pub context: String,
}

impl ParamError {
    fn new(message: &'static str, context: impl Into<String>) -> ParamError {
        ParamError {
            message,
            context: context.into(),
        }
    }
}

#[derive(Debug, Default)]
pub struct Params {
    pub include: Vec<String>,
    /// Empty means every field.
    pub fields: Vec<String>,
    pub formats: Vec<String>,
    pub filter: String,
    pub limit: u32,
    pub page: u64,
    pub order: String,
}

impl Params {
    /// Reads the query string. In `filter` a literal `+` means "and", so it is not decoded to a
    /// space as form encoding would (Ghost's documentation writes `tag:a+featured:true` in URLs).
    pub fn parse(query: Option<&str>) -> Result<Params, ParamError> {
        let query = query.unwrap_or_default();
        let mut p = Params {
            limit: DEFAULT_LIMIT,
            page: 1,
            formats: vec!["html".into()],
            ..Params::default()
        };
        let list = |v: &str| -> Vec<String> {
            v.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        };
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            match k.as_ref() {
                "include" => p.include.extend(list(&v)),
                "fields" => p.fields.extend(list(&v)),
                "formats" => p.formats = list(&v),
                "order" => p.order = v.into_owned(),
                "limit" => p.limit = limit(&v)?,
                "page" => p.page = page(&v)?,
                _ => {}
            }
        }
        let literal_plus = query.replace('+', "%2B");
        p.filter = form_urlencoded::parse(literal_plus.as_bytes())
            .find(|(k, _)| k == "filter")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        Ok(p)
    }

    pub fn window(&self) -> Window {
        Window {
            limit: self.limit,
            offset: (self.page - 1) * u64::from(self.limit),
        }
    }

    pub fn includes(&self, what: &str) -> bool {
        self.include.iter().any(|i| i == what)
    }

    pub fn wants_format(&self, format: &str) -> bool {
        self.formats.iter().any(|f| f == format)
    }

    /// The filter as a condition over the fields `allowed` names.
    pub fn condition<F: Field>(
        &self,
        allowed: impl Fn(&str) -> Option<F>,
        now: DateTime<Utc>,
    ) -> Result<Cond<F>, ParamError> {
        filter::parse(&self.filter, allowed, now)
            .map_err(|FilterError(why)| ParamError::new("Error parsing filter", format!("{why}.")))
    }

    /// `order=published_at desc, title asc` over the fields `allowed` names.
    pub fn sort<F: Field>(
        &self,
        allowed: impl Fn(&str) -> Option<F>,
    ) -> Result<Vec<Sort<F>>, ParamError> {
        let mut sort = Vec::new();
        for part in self
            .order
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let mut words = part.split_whitespace();
            let name = words.next().unwrap_or_default();
            let descending = match words.next().map(str::to_lowercase).as_deref() {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(_) => return Err(bad_order(part)),
            };
            let field = allowed(name).filter(|_| words.next().is_none());
            let field = field.ok_or_else(|| bad_order(part))?;
            sort.push(Sort { field, descending });
        }
        Ok(sort)
    }
}

fn bad_order(part: &str) -> ParamError {
    let shown: String = part.chars().take(60).collect();
    ParamError::new(
        "Validation error, cannot sort.",
        format!("{shown:?} is not a field to sort on, optionally followed by asc or desc."),
    )
}

fn limit(raw: &str) -> Result<u32, ParamError> {
    if raw == "all" {
        return Ok(MAX_LIMIT);
    }
    match raw.parse::<u32>() {
        Ok(0) | Err(_) => Err(ParamError::new(
            "Validation error, cannot list.",
            "limit must be a positive whole number or \"all\".",
        )),
        Ok(n) => Ok(n.min(MAX_LIMIT)),
    }
}

/// The deepest page a listing serves: past it (100 million rows at the largest `limit`) no
/// site has posts, and the offset stays far from overflowing.
const MAX_PAGE: u64 = 1_000_000;

fn page(raw: &str) -> Result<u64, ParamError> {
    match raw.parse::<u64>() {
        Ok(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        _ => Err(ParamError::new(
            "Validation error, cannot list.",
            format!("page must be a whole number from 1 to {MAX_PAGE}."),
        )),
    }
}

/// Ghost's `meta.pagination`.
pub fn pagination(params: &Params, total: u64) -> serde_json::Value {
    let limit = u64::from(params.limit);
    let pages = total.div_ceil(limit).max(1);
    serde_json::json!({
        "pagination": {
            "page": params.page,
            "limit": params.limit,
            "pages": pages,
            "total": total,
            "next": (params.page < pages).then_some(params.page + 1),
            "prev": (params.page > 1).then_some(params.page - 1),
        }
    })
}
