//! Offers, as Ghost has them: a discount or a free trial on one tier and cadence, reached by a
//! code (`/offers/{code}/`), and how a tier is placed and priced for sale (`TierListing`,
//! `TierStripe`). Validation only; storing and Stripe live elsewhere.

use crate::InvalidInput;
use serde::Serialize;
use std::fmt;

/// How often a price recurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    Month,
    Year,
}

impl Cadence {
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Month => "month",
            Cadence::Year => "year",
        }
    }

    pub fn parse(raw: &str) -> Result<Cadence, InvalidInput> {
        match raw.trim() {
            "month" | "monthly" => Ok(Cadence::Month),
            "year" | "yearly" => Ok(Cadence::Year),
            other => Err(InvalidInput(format!(
                "The cadence {other:?} is neither month nor year."
            ))),
        }
    }
}

/// What an offer gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferKind {
    /// Percent off, 1–100.
    Percent(u32),
    /// An amount off, in the currency's minor unit (cents), and its ISO 4217 currency.
    Fixed { amount: u32, currency: String },
    /// Free days before the first charge.
    Trial(u32),
}

impl OfferKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            OfferKind::Percent(_) => "percent",
            OfferKind::Fixed { .. } => "fixed",
            OfferKind::Trial(_) => "trial",
        }
    }

    /// The number Ghost calls `amount`: percent, minor units or days.
    pub fn amount(&self) -> u32 {
        match self {
            OfferKind::Percent(n) | OfferKind::Trial(n) | OfferKind::Fixed { amount: n, .. } => *n,
        }
    }

    pub fn currency(&self) -> Option<&str> {
        match self {
            OfferKind::Fixed { currency, .. } => Some(currency),
            _ => None,
        }
    }

    /// Reads Ghost's `type`, `amount` and `currency`, checking the amount fits the type.
    pub fn parse(
        kind: &str,
        amount: u32,
        currency: Option<&str>,
    ) -> Result<OfferKind, InvalidInput> {
        match kind.trim() {
            "percent" if (1..=100).contains(&amount) => Ok(OfferKind::Percent(amount)),
            "percent" => Err(InvalidInput(
                "A percentage discount is between 1 and 100.".into(),
            )),
            "fixed" if amount == 0 => Err(InvalidInput("A fixed discount needs an amount.".into())),
            "fixed" => Ok(OfferKind::Fixed {
                amount,
                currency: currency_code(currency.unwrap_or_default())?,
            }),
            "trial" if (1..=730).contains(&amount) => Ok(OfferKind::Trial(amount)),
            "trial" => Err(InvalidInput("A free trial lasts 1 to 730 days.".into())),
            other => Err(InvalidInput(format!(
                "The offer type {other:?} is not percent, fixed or trial."
            ))),
        }
    }
}

/// A lowercase three-letter ISO 4217 code.
pub fn currency_code(raw: &str) -> Result<String, InvalidInput> {
    let code = raw.trim().to_lowercase();
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_lowercase()) {
        Ok(code)
    } else {
        Err(InvalidInput(format!(
            "The currency {:?} is not a three-letter code such as usd.",
            raw.trim()
        )))
    }
}

/// How long a discount lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferDuration {
    Once,
    Repeating(u32),
    Forever,
}

impl OfferDuration {
    pub fn as_str(self) -> &'static str {
        match self {
            OfferDuration::Once => "once",
            OfferDuration::Repeating(_) => "repeating",
            OfferDuration::Forever => "forever",
        }
    }

    pub fn months(self) -> Option<u32> {
        match self {
            OfferDuration::Repeating(n) => Some(n),
            _ => None,
        }
    }

    pub fn parse(raw: &str, months: Option<u32>) -> Result<OfferDuration, InvalidInput> {
        match (raw.trim(), months) {
            ("once", _) => Ok(OfferDuration::Once),
            ("forever", _) => Ok(OfferDuration::Forever),
            ("repeating", Some(n)) if (1..=120).contains(&n) => Ok(OfferDuration::Repeating(n)),
            ("repeating", _) => Err(InvalidInput(
                "A repeating discount lasts 1 to 120 months.".into(),
            )),
            (other, _) => Err(InvalidInput(format!(
                "The duration {other:?} is not once, repeating or forever."
            ))),
        }
    }
}

/// A code readers type or follow: lowercase letters, digits, `-` and `_`, up to 64; the case
/// shown by staff is kept (ANALYST20) and compared without case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct OfferCode(String);

impl OfferCode {
    pub fn parse(raw: &str) -> Result<OfferCode, InvalidInput> {
        let code = raw.trim();
        let ok = !code.is_empty()
            && code.len() <= 64
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            Ok(OfferCode(code.to_owned()))
        } else {
            Err(InvalidInput(format!(
                "The code {code:?} may hold only letters, digits, - and _ (up to 64)."
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OfferCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An offer. `tier_id` names the tier it discounts; `redemptions` is counted by the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: String,
    pub name: String,
    pub code: OfferCode,
    pub display_title: String,
    pub display_description: String,
    pub kind: OfferKind,
    pub tier_id: String,
    pub cadence: Cadence,
    pub duration: OfferDuration,
    pub active: bool,
    /// Shown to a paid member of the tier who starts to cancel.
    pub retention: bool,
    pub stripe_coupon_id: Option<String>,
    pub redemptions: u64,
}

impl Offer {
    /// Checks what only the whole offer can: a name, and that a trial is not also a discount
    /// duration (a trial's duration is always `once`).
    pub fn check(&self) -> Result<(), InvalidInput> {
        if self.name.trim().is_empty() {
            return Err(InvalidInput("An offer needs a name.".into()));
        }
        if matches!(self.kind, OfferKind::Trial(_)) && self.duration != OfferDuration::Once {
            return Err(InvalidInput(
                "A free trial has no discount duration; use once.".into(),
            ));
        }
        Ok(())
    }

    /// "20% off", "$5 off", "14 days free", with how long: "20% off for 3 months".
    pub fn summary(&self) -> String {
        let what = match &self.kind {
            OfferKind::Percent(n) => format!("{n}% off"),
            OfferKind::Fixed { amount, currency } => {
                format!("{} off", crate::member::money(*amount, currency))
            }
            OfferKind::Trial(days) => return format!("{days} days free"),
        };
        match self.duration {
            OfferDuration::Once => format!("{what} the first {}", self.cadence.as_str()),
            OfferDuration::Repeating(1) => format!("{what} for 1 month"),
            OfferDuration::Repeating(n) => format!("{what} for {n} months"),
            OfferDuration::Forever => format!("{what} forever"),
        }
    }
}

/// How a tier is placed on the sign-up page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct TierListing {
    pub visible: bool,
    pub sort_order: i64,
}

/// A tier's Stripe objects: its Product, and for each cadence the current Price with the terms
/// it was made for (`"usd 1500"`), so an unchanged save makes no new Price.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct TierStripe {
    pub product_id: Option<String>,
    pub monthly: Option<StripePrice>,
    pub yearly: Option<StripePrice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StripePrice {
    pub id: String,
    pub terms: String,
}

impl StripePrice {
    /// The terms a Price is made for: currency and amount.
    pub fn terms(currency: &str, amount: u32) -> String {
        format!("{currency} {amount}")
    }
}

impl TierStripe {
    pub fn price(&self, cadence: Cadence) -> Option<&StripePrice> {
        match cadence {
            Cadence::Month => self.monthly.as_ref(),
            Cadence::Year => self.yearly.as_ref(),
        }
    }
}

#[cfg(test)]
mod tests;

/// Reads a price typed as a decimal ("15", "15.5", "15.50", "1,500.00") into minor units.
pub fn parse_money(raw: &str) -> Result<u32, InvalidInput> {
    let text: String = raw.trim().chars().filter(|c| *c != ',').collect();
    let bad = || {
        InvalidInput(format!(
            "{:?} is not a price such as 15 or 15.50.",
            raw.trim()
        ))
    };
    if text.is_empty() {
        return Ok(0);
    }
    let (whole, cents) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !(cents.is_empty() || digits(cents)) || cents.len() > 2 {
        return Err(bad());
    }
    let whole: u32 = whole.parse().map_err(|_| bad())?;
    let cents: u32 = format!("{cents:0<2}").parse().map_err(|_| bad())?;
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .filter(|v| *v <= 99_999_999)
        .ok_or_else(bad)
}

/// An offer's amount as staff type it for its `kind`: a price (`2.50`, in minor units) for a
/// fixed discount, a whole number (percent off or days free) otherwise.
pub fn typed_amount(kind: &str, raw: &str) -> Result<u32, InvalidInput> {
    if kind.trim() == "fixed" {
        return parse_money(raw);
    }
    raw.trim()
        .parse()
        .map_err(|_| InvalidInput(format!("{:?} is not a whole number.", raw.trim())))
}

/// Minor units as a form shows them: `1500` → `15.00`; zero is left blank.
pub fn money_input(minor: u32) -> String {
    if minor == 0 {
        String::new()
    } else {
        format!("{}.{:02}", minor / 100, minor % 100)
    }
}
