//! The environment variables Masthead reads, one per configuration key, read together once.
//! Blank values count as unset, so `MASTHEAD_URL=` in a service file changes nothing.

use super::ConfigError;
use std::collections::BTreeMap;
use std::str::FromStr;

/// Each configuration key the environment can set (named as in `masthead.toml`) and its
/// variable. The README's configuration table lists the same.
pub const VARIABLES: &[(&str, &str)] = &[
    ("data", "MASTHEAD_DATA"),
    ("database_url", "MASTHEAD_DATABASE_URL"),
    ("addr", "MASTHEAD_ADDR"),
    ("url", "MASTHEAD_URL"),
    ("theme", "MASTHEAD_THEME"),
    ("smtp_url", "MASTHEAD_SMTP_URL"),
    ("mail_from", "MASTHEAD_MAIL_FROM"),
    ("stripe_secret_key", "MASTHEAD_STRIPE_SECRET_KEY"),
    ("stripe_webhook_secret", "MASTHEAD_STRIPE_WEBHOOK_SECRET"),
    ("stripe_api_base", "MASTHEAD_STRIPE_API_BASE"),
    ("past_due_grace_days", "MASTHEAD_PAST_DUE_GRACE_DAYS"),
    ("search_recency_weight", "MASTHEAD_SEARCH_RECENCY_WEIGHT"),
    ("cache_mb", "MASTHEAD_CACHE_MB"),
    ("cache_class_ttl_ms", "MASTHEAD_CACHE_CLASS_TTL_MS"),
    ("webhook_retry_ms", "MASTHEAD_WEBHOOK_RETRY_MS"),
    ("webhook_allow_private", "MASTHEAD_WEBHOOK_ALLOW_PRIVATE"),
    ("trusted_proxies", "MASTHEAD_TRUSTED_PROXIES"),
    ("media_max_bytes", "MASTHEAD_MEDIA_MAX_BYTES"),
    ("media_max_pixels", "MASTHEAD_MEDIA_MAX_PIXELS"),
    ("worker", "MASTHEAD_WORKER"),
    ("job_lease_ms", "MASTHEAD_JOB_LEASE_MS"),
];

/// The variable that sets `key`.
pub fn variable(key: &str) -> &'static str {
    VARIABLES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("MASTHEAD_…", |(_, var)| var)
}

/// The configuration the environment gives, by key.
#[derive(Clone, Debug, Default)]
pub struct Environment(BTreeMap<&'static str, String>);

impl Environment {
    /// This process's environment.
    pub fn of_process() -> Environment {
        Environment::from_lookup(|var| std::env::var(var).ok())
    }

    /// The environment `lookup` describes (tests pass their own).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Environment {
        Environment(
            VARIABLES
                .iter()
                .filter_map(|(key, var)| {
                    lookup(var)
                        .filter(|v| !v.trim().is_empty())
                        .map(|v| (*key, v))
                })
                .collect(),
        )
    }

    /// The text the environment gives for `key`.
    pub fn text(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }

    /// The value the environment gives for `key`, read as a `T`; `expected` says what would read.
    pub fn parsed<T: FromStr>(
        &self,
        key: &str,
        expected: &'static str,
    ) -> Result<Option<T>, ConfigError> {
        self.checked(key, expected, |v| v.trim().parse().ok())
    }

    /// The value the environment gives for `key`, read by `read`; `expected` says what would.
    pub fn checked<T>(
        &self,
        key: &str,
        expected: &'static str,
        read: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, ConfigError> {
        let Some(value) = self.0.get(key) else {
            return Ok(None);
        };
        read(value).map(Some).ok_or_else(|| ConfigError::Invalid {
            origin: variable(key).to_owned(),
            value: value.clone(),
            expected,
        })
    }
}
