//! Typed configuration: flags beat environment variables beat `DATA/masthead.toml`.

use anyhow::{Context, Result};
use ipnet::IpNet;
use serde::Deserialize;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";

/// A value that must never be printed (passwords in database URLs).
#[derive(Clone)]
pub struct Secret(pub String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

#[derive(Clone, Debug)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(Secret),
}

/// Everything a running site needs to know about its environment.
#[derive(Clone, Debug)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database: Database,
    pub addr: SocketAddr,
    /// Public base URL without a trailing slash.
    pub public_url: String,
    pub theme_dir: Option<PathBuf>,
    /// `smtp://host:port` (or `smtps://user:pass@host`); without it mail goes to `DATA/outbox/`.
    pub smtp_url: Option<Secret>,
    /// The From address of every message.
    pub mail_from: String,
    /// Stripe billing; `None` when no secret key is configured.
    pub stripe: Option<StripeConfig>,
    /// Days a past-due subscription keeps its access while Stripe retries the payment.
    pub past_due_grace_days: i64,
    /// How strongly search prefers recent stories among similarly relevant ones (0 = not at all).
    pub search_recency_weight: f32,
    /// Memory for the page cache in MiB (0 turns it off).
    pub cache_mb: u64,
    /// Milliseconds before a failed webhook delivery is tried again; doubles with each failure.
    pub webhook_retry_ms: u64,
    /// Reverse proxies (and CDNs) whose `Forwarded`/`X-Forwarded-For` headers name the client;
    /// empty: the connecting peer is the client.
    pub trusted_proxies: Vec<IpNet>,
    /// Whether webhooks may call loopback, private and link-local addresses (single-host setups).
    pub webhook_allow_private: bool,
}

#[derive(Clone, Debug)]
pub struct StripeConfig {
    /// `https://api.stripe.com` in production; tests point it at a local server.
    pub api_base: String,
    pub secret_key: Secret,
    /// Webhook signing secrets (several while rotating).
    pub webhook_secrets: Vec<Secret>,
}

/// What the command line says (its flags, or the environment variables they read): each value
/// given beats `masthead.toml`.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// The data directory: holds masthead.db (SQLite), content/images and masthead.toml.
    pub data: PathBuf,
    pub database_url: Option<String>,
    pub addr: Option<String>,
    pub url: Option<String>,
    pub theme: Option<PathBuf>,
    /// Comma-separated CIDRs; replaces the file's list.
    pub trusted_proxies: Option<String>,
}

/// The optional `masthead.toml` in the data directory.
#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<String>,
    database_url: Option<String>,
    url: Option<String>,
    theme: Option<PathBuf>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    stripe_secret_key: Option<String>,
    stripe_webhook_secret: Option<String>,
    stripe_api_base: Option<String>,
    past_due_grace_days: Option<i64>,
    search_recency_weight: Option<f32>,
    cache_mb: Option<u64>,
    webhook_retry_ms: Option<u64>,
    trusted_proxies: Option<Vec<String>>,
    webhook_allow_private: Option<bool>,
}

/// The page cache's default size in MiB.
pub const DEFAULT_CACHE_MB: u64 = 256;

/// The first wait before a failed webhook delivery is retried (30 s; then 1, 2, 4 and 8 min).
pub const DEFAULT_WEBHOOK_RETRY_MS: u64 = 30_000;

impl Config {
    /// Resolves the configuration: what the command line `given`, then the environment, then
    /// `masthead.toml`.
    pub fn resolve(given: &Overrides) -> Result<Config> {
        let file = read_file_config(&given.data)?;
        let addr_text = given
            .addr
            .clone()
            .or(file.addr)
            .unwrap_or_else(|| DEFAULT_ADDR.to_owned());
        let addr: SocketAddr = addr_text.parse().with_context(|| {
            format!("--addr {addr_text:?} is not a HOST:PORT address such as 127.0.0.1:3000")
        })?;
        let database = match given.database_url.clone().or(file.database_url) {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Database::Postgres(Secret(url))
            }
            Some(url) if url.starts_with("sqlite:") => Database::Sqlite(PathBuf::from(
                url.trim_start_matches("sqlite://")
                    .trim_start_matches("sqlite:"),
            )),
            Some(_) => anyhow::bail!(
                "--database-url must start with postgres:// (or sqlite:); leave it out to use DATA/masthead.db"
            ),
            None => Database::Sqlite(given.data.join("masthead.db")),
        };
        let env = |key: &str| std::env::var(key).ok().filter(|v| !v.trim().is_empty());
        // Commands without a --url flag (post, member) still link to the site's public URL.
        let public_url = given
            .url
            .clone()
            .or_else(|| env("MASTHEAD_URL"))
            .or(file.url)
            .unwrap_or_else(|| format!("http://{addr}"));
        let public_url = public_url.trim_end_matches('/').to_owned();
        anyhow::ensure!(
            public_url.starts_with("http://") || public_url.starts_with("https://"),
            "MASTHEAD_URL {public_url:?} must start with http:// or https://"
        );
        let host = public_url.split("://").nth(1).unwrap_or("localhost");
        let host = host.split([':', '/']).next().unwrap_or("localhost");
        let mail_from = env("MASTHEAD_MAIL_FROM")
            .or(file.mail_from)
            .unwrap_or_else(|| format!("noreply@{host}"));
        let stripe = match env("MASTHEAD_STRIPE_SECRET_KEY").or(file.stripe_secret_key) {
            Some(key) => Some(StripeConfig {
                api_base: env("MASTHEAD_STRIPE_API_BASE")
                    .or(file.stripe_api_base.clone())
                    .unwrap_or_else(|| "https://api.stripe.com".into())
                    .trim_end_matches('/')
                    .to_owned(),
                secret_key: Secret(key),
                webhook_secrets: webhook_secrets(
                    env("MASTHEAD_STRIPE_WEBHOOK_SECRET").or(file.stripe_webhook_secret.clone()),
                )?,
            }),
            None => None,
        };
        let mut config = Config {
            data_dir: given.data.clone(),
            database,
            addr,
            public_url,
            theme_dir: given.theme.clone().or(file.theme),
            smtp_url: env("MASTHEAD_SMTP_URL").or(file.smtp_url).map(Secret),
            mail_from,
            stripe,
            past_due_grace_days: match env("MASTHEAD_PAST_DUE_GRACE_DAYS") {
                Some(v) => v.trim().parse().with_context(|| {
                    format!("MASTHEAD_PAST_DUE_GRACE_DAYS {v:?} must be a number of days")
                })?,
                None => file.past_due_grace_days.unwrap_or(7),
            },
            search_recency_weight: match env("MASTHEAD_SEARCH_RECENCY_WEIGHT") {
                Some(v) => v
                    .trim()
                    .parse()
                    .ok()
                    .filter(|w: &f32| (0.0..=10.0).contains(w))
                    .with_context(|| {
                        format!(
                            "MASTHEAD_SEARCH_RECENCY_WEIGHT {v:?} must be a number from 0 to 10"
                        )
                    })?,
                None => file
                    .search_recency_weight
                    .unwrap_or(search::Ranking::default().recency_weight),
            },
            cache_mb: match env("MASTHEAD_CACHE_MB") {
                Some(v) => v.trim().parse().with_context(|| {
                    format!("MASTHEAD_CACHE_MB {v:?} must be a whole number of MiB (0 turns the page cache off)")
                })?,
                None => file.cache_mb.unwrap_or(DEFAULT_CACHE_MB),
            },
            webhook_retry_ms: match env("MASTHEAD_WEBHOOK_RETRY_MS") {
                Some(v) => v.trim().parse().with_context(|| {
                    format!("MASTHEAD_WEBHOOK_RETRY_MS {v:?} must be a whole number of milliseconds")
                })?,
                None => file.webhook_retry_ms.unwrap_or(DEFAULT_WEBHOOK_RETRY_MS),
            },
            trusted_proxies: trusted_proxies(
                file.trusted_proxies.iter().flatten().map(String::as_str),
                "trusted_proxies in masthead.toml",
            )?,
            webhook_allow_private: match env("MASTHEAD_WEBHOOK_ALLOW_PRIVATE") {
                Some(v) => flag(&v).with_context(|| {
                    format!("MASTHEAD_WEBHOOK_ALLOW_PRIVATE {v:?} must be true or false")
                })?,
                None => file.webhook_allow_private.unwrap_or(false),
            },
        };
        // The flag (or MASTHEAD_TRUSTED_PROXIES) replaces the file's list.
        if let Some(list) = &given.trusted_proxies {
            config.trusted_proxies = trusted_proxies(list.split(','), "--trusted-proxies")?;
        }
        Ok(config)
    }

    /// The search index, a derived artifact rebuilt from the database when missing.
    pub fn search_dir(&self) -> PathBuf {
        self.data_dir.join("search")
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    /// Whether cookies must be `Secure` (the public URL is https).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("content").join("images")
    }
}

/// Parses a list of proxy addresses: CIDR ranges (`10.0.0.0/8`) or single addresses.
fn trusted_proxies<'a>(items: impl Iterator<Item = &'a str>, source: &str) -> Result<Vec<IpNet>> {
    let parse = |item: &str| {
        item.parse::<IpNet>()
            .or_else(|_| item.parse::<std::net::IpAddr>().map(IpNet::from))
            .with_context(|| {
                format!("{source}: {item:?} is not an IP address or CIDR range such as 10.0.0.0/8 or 2001:db8::/32")
            })
    };
    items
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(parse)
        .collect()
}

fn flag(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// The Stripe webhook signing secrets from their comma-separated setting (several while a secret
/// is rolled). Empty entries are dropped: HMAC accepts an empty key, so `"whsec_x,"` would
/// otherwise let anyone sign events. With payments on, at least one secret is required, because
/// without one no event verifies and paying members would never get what they paid for.
fn webhook_secrets(raw: Option<String>) -> Result<Vec<Secret>> {
    let secrets: Vec<Secret> = raw
        .iter()
        .flat_map(|raw| raw.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Secret(s.to_owned()))
        .collect();
    anyhow::ensure!(
        !secrets.is_empty(),
        "MASTHEAD_STRIPE_SECRET_KEY is set but MASTHEAD_STRIPE_WEBHOOK_SECRET (stripe_webhook_secret) \
         holds no signing secret: set it to the whsec_… secret Stripe shows for the /webhooks/stripe \
         endpoint (comma-separated while rolling one), or unset the key to turn payments off"
    );
    Ok(secrets)
}

fn read_file_config(data: &Path) -> Result<FileConfig> {
    let path = data.join("masthead.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text)
            .with_context(|| format!("{} is not valid: fix or remove it", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(dir: &Path) -> Overrides {
        Overrides {
            data: dir.to_owned(),
            ..Overrides::default()
        }
    }

    #[test]
    fn flags_beat_file_and_defaults_apply() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::resolve(&db(dir.path())).unwrap();
        assert_eq!(c.addr.to_string(), DEFAULT_ADDR);
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
        assert!(matches!(c.database, Database::Sqlite(ref p) if p.ends_with("masthead.db")));

        assert_eq!(c.past_due_grace_days, 7);
        std::fs::write(
            dir.path().join("masthead.toml"),
            "addr = \"127.0.0.1:4000\"\nurl = \"https://news.example/\"\npast_due_grace_days = 3\n",
        )
        .unwrap();
        let c = Config::resolve(&db(dir.path())).unwrap();
        assert_eq!(c.addr.port(), 4000);
        assert_eq!(c.public_url, "https://news.example");
        assert_eq!(c.past_due_grace_days, 3);
        let addr = |a: &str| Overrides {
            addr: Some(a.into()),
            ..db(dir.path())
        };
        let c = Config::resolve(&addr("127.0.0.1:5000")).unwrap();
        assert_eq!(c.addr.port(), 5000);
    }

    #[test]
    fn bad_values_explain_themselves() {
        let dir = tempfile::tempdir().unwrap();
        let nope = Overrides {
            addr: Some("nope".into()),
            ..db(dir.path())
        };
        let err = Config::resolve(&nope).unwrap_err();
        assert!(err.to_string().contains("HOST:PORT"));
        std::fs::write(dir.path().join("masthead.toml"), "colour = 1").unwrap();
        assert!(
            format!("{:#}", Config::resolve(&db(dir.path())).unwrap_err())
                .contains("masthead.toml")
        );
        let secret = Secret("postgres://u:pw@h/db".into());
        assert!(!format!("{secret:?}").contains("pw"));
    }

    #[test]
    fn trusted_proxies_and_private_webhooks_are_off_unless_configured() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::resolve(&db(dir.path())).unwrap();
        assert!(c.trusted_proxies.is_empty());
        assert!(!c.webhook_allow_private);
        std::fs::write(
            dir.path().join("masthead.toml"),
            "trusted_proxies = [\"10.0.0.0/8\", \" 127.0.0.1 \", \"2001:db8::/32\"]\nwebhook_allow_private = true\n",
        )
        .unwrap();
        let c = Config::resolve(&db(dir.path())).unwrap();
        let nets: Vec<String> = c.trusted_proxies.iter().map(|n| n.to_string()).collect();
        assert_eq!(nets, ["10.0.0.0/8", "127.0.0.1/32", "2001:db8::/32"]);
        assert!(c.webhook_allow_private);
        let args = |list: &str| Overrides {
            trusted_proxies: Some(list.into()),
            ..db(dir.path())
        };
        let c = Config::resolve(&args("192.168.0.0/16, ::1,")).unwrap();
        let nets: Vec<String> = c.trusted_proxies.iter().map(|n| n.to_string()).collect();
        assert_eq!(
            nets,
            ["192.168.0.0/16", "::1/128"],
            "the flag replaces the file"
        );
        let err = Config::resolve(&args("10.0.0.0/33")).unwrap_err();
        assert!(format!("{err:#}").contains("CIDR"), "{err:#}");
        std::fs::write(
            dir.path().join("masthead.toml"),
            "trusted_proxies = [\"proxy\"]",
        )
        .unwrap();
        let err = Config::resolve(&db(dir.path())).unwrap_err();
        assert!(
            format!("{err:#}").contains("\"proxy\" is not an IP address"),
            "{err:#}"
        );
    }

    /// The Stripe settings from `masthead.toml` (the environment is shared by parallel tests).
    fn stripe_with(webhook_secret: &str) -> Result<Option<StripeConfig>> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("masthead.toml"),
            format!(
                "stripe_secret_key = \"sk_test_x\"\nstripe_webhook_secret = {webhook_secret:?}\n"
            ),
        )
        .unwrap();
        Config::resolve(&db(dir.path())).map(|c| c.stripe)
    }

    #[test]
    fn empty_stripe_webhook_secrets_are_dropped_or_refused() {
        let secrets = |raw| {
            let stripe = stripe_with(raw).unwrap().unwrap();
            let list: Vec<String> = stripe
                .webhook_secrets
                .iter()
                .map(|s| s.expose().to_owned())
                .collect();
            list
        };
        assert_eq!(secrets("whsec_x,"), ["whsec_x"]);
        assert_eq!(
            secrets(" whsec_old , ,whsec_new"),
            ["whsec_old", "whsec_new"]
        );
        for only_empty in ["", ",", " , "] {
            let err = format!("{:#}", stripe_with(only_empty).unwrap_err());
            assert!(
                err.contains("MASTHEAD_STRIPE_WEBHOOK_SECRET") && err.contains("whsec_"),
                "{only_empty:?}: {err}"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("masthead.toml"),
            "stripe_secret_key = \"sk_test_x\"\n",
        )
        .unwrap();
        assert!(
            Config::resolve(&db(dir.path())).is_err(),
            "payments on without any webhook secret"
        );
        assert!(
            Config::resolve(&db(tempfile::tempdir().unwrap().path()))
                .unwrap()
                .stripe
                .is_none()
        );
    }
}
