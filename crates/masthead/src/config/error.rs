//! Why the configuration cannot be used, each message saying where the bad value came from and
//! what would work.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A value that does not read: `origin` is its flag, variable or `masthead.toml` key.
    #[error("{origin} {value:?} {expected}")]
    Invalid {
        origin: String,
        value: String,
        expected: &'static str,
    },
    #[error(
        "{origin} must start with postgres:// (or sqlite:); leave it out to use DATA/masthead.db"
    )]
    DatabaseUrl { origin: String },
    #[error("{} is not valid: fix or remove it", .0.display())]
    File(PathBuf, #[source] toml::de::Error),
    #[error("cannot read {}; check its permissions", .0.display())]
    Unreadable(PathBuf, #[source] std::io::Error),
    #[error(
        "MASTHEAD_STRIPE_SECRET_KEY is set but MASTHEAD_STRIPE_WEBHOOK_SECRET (stripe_webhook_secret) \
         holds no signing secret: set it to the whsec_… secret Stripe shows for the /webhooks/stripe \
         endpoint (comma-separated while rolling one), or unset the key to turn payments off"
    )]
    NoWebhookSecret,
}
