//! Members (readers with an account) and tiers (what a member pays for).

use crate::{InvalidInput, Slug};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fmt;

/// A normalized email address: trimmed and lowercased, one `@`, a dotted domain, no spaces.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, InvalidInput> {
        let email = raw.trim().to_lowercase();
        let invalid = || InvalidInput(format!("{:?} is not an email address", raw.trim()));
        if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty()
            || local.len() > 64
            || !domain_ok
            || email.contains(['<', '>', '"', ',', ';'])
        {
            return Err(invalid());
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Emails are personal data: `Debug` shows only the domain, so logs never carry addresses.
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let domain = self.0.split_once('@').map_or("", |(_, d)| d);
        write!(f, "Email(…@{domain})")
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub email: Email,
    pub name: String,
    pub stripe_customer_id: Option<String>,
    pub has_password: bool,
    pub created_at: DateTime<Utc>,
}

/// A tier members can hold. The free tier has slug `free` and no prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tier {
    pub id: String,
    pub slug: Slug,
    pub name: String,
    pub description: String,
    pub benefits: Vec<String>,
    /// Prices in the currency's minor unit (cents).
    pub monthly_price: u32,
    pub yearly_price: u32,
    /// ISO 4217, lowercase (`usd`).
    pub currency: String,
    pub trial_days: u32,
    pub active: bool,
}

pub const FREE_TIER: &str = "free";

impl Tier {
    pub fn is_paid(&self) -> bool {
        self.slug.as_str() != FREE_TIER
    }

    /// `$8/month`-style price labels.
    pub fn price_label(&self, yearly: bool) -> Option<String> {
        let (amount, unit) = if yearly {
            (self.yearly_price, "year")
        } else {
            (self.monthly_price, "month")
        };
        (amount > 0).then(|| format!("{}/{unit}", money(amount, &self.currency)))
    }
}

/// Formats minor units as a price: `800, usd` → `$8`, `850, eur` → `€8.50`.
pub fn money(minor: u32, currency: &str) -> String {
    let symbol = match currency {
        "usd" => "$",
        "eur" => "€",
        "gbp" => "£",
        _ => "",
    };
    let whole = minor / 100;
    let cents = minor % 100;
    let number = if cents == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{cents:02}")
    };
    if symbol.is_empty() {
        format!("{number} {}", currency.to_uppercase())
    } else {
        format!("{symbol}{number}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_validated() {
        assert_eq!(
            Email::parse("  Jane.Doe@Example.COM ").unwrap().as_str(),
            "jane.doe@example.com"
        );
        for bad in [
            "",
            "jane",
            "@example.com",
            "jane@",
            "jane@example",
            "jane@.com",
            "ja ne@example.com",
            "a@b@c.com",
            "x<y>@e.com",
            "jane@example..com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert!(!format!("{:?}", Email::parse("secret@example.com").unwrap()).contains("secret"));
    }

    #[test]
    fn prices_are_labelled() {
        assert_eq!(money(800, "usd"), "$8");
        assert_eq!(money(850, "eur"), "€8.50");
        assert_eq!(money(1000, "sek"), "10 SEK");
    }
}
