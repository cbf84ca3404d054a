//! Typed configuration, resolved in one place: flags (`Overrides`, from the command line) beat
//! environment variables (`env::VARIABLES`, read here and nowhere else) beat
//! `DATA/masthead.toml`, which beat the defaults.

mod env;
mod error;

pub use env::{Environment, VARIABLES};
pub use error::ConfigError;

use env::variable;
use ipnet::IpNet;
use serde::Deserialize;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";

/// The data directory when neither `--data` nor `MASTHEAD_DATA` names one.
pub const DEFAULT_DATA: &str = "./masthead-data";

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
    /// Days a past-due subscription keeps its access while Stripe retries the payment, while
    /// the site's `past_due_grace_days` setting is unset (`http::reader::grace`).
    pub past_due_grace_days: i64,
    /// How strongly search prefers recent stories among similarly relevant ones (0 = not at all).
    pub search_recency_weight: f32,
    /// Memory for the page cache in MiB (0 turns it off).
    pub cache_mb: u64,
    /// Milliseconds the page cache remembers a signed-in reader's class (free, or paid with
    /// which tiers); a change of access, in any process, forgets every class within a tick.
    pub cache_class_ttl_ms: u64,
    /// Milliseconds before a failed webhook delivery is tried again; doubles with each failure.
    pub webhook_retry_ms: u64,
    /// Reverse proxies (and CDNs) whose `Forwarded`/`X-Forwarded-For` headers name the client;
    /// empty: the connecting peer is the client.
    pub trusted_proxies: Vec<IpNet>,
    /// Whether webhooks may call loopback, private and link-local addresses (single-host setups).
    pub webhook_allow_private: bool,
    /// The largest image upload in bytes.
    pub media_max_bytes: u64,
    /// The most pixels an uploaded image may have (read from its header before decoding).
    pub media_max_pixels: u64,
    /// Whether `serve` (and `demo`) run a job worker in-process; off on nodes that only serve.
    pub worker: bool,
    /// Milliseconds a worker's claim holds a job between heartbeats: a job whose worker died
    /// is run again this long after its last heartbeat.
    pub job_lease_ms: u64,
}

#[derive(Clone, Debug)]
pub struct StripeConfig {
    /// `https://api.stripe.com` in production; tests point it at a local server.
    pub api_base: String,
    pub secret_key: Secret,
    /// Webhook signing secrets (several while rotating).
    pub webhook_secrets: Vec<Secret>,
}

/// What the command line's flags say: each value given beats the environment and
/// `masthead.toml`.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// The data directory: holds masthead.db (SQLite), content/images and masthead.toml.
    pub data: Option<PathBuf>,
    pub database_url: Option<String>,
    pub addr: Option<String>,
    pub url: Option<String>,
    pub theme: Option<PathBuf>,
    /// Comma-separated CIDRs; replaces the file's list.
    pub trusted_proxies: Option<String>,
    /// `Some(false)` from `--no-worker`.
    pub worker: Option<bool>,
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
    cache_class_ttl_ms: Option<u64>,
    webhook_retry_ms: Option<u64>,
    trusted_proxies: Option<Vec<String>>,
    webhook_allow_private: Option<bool>,
    media_max_bytes: Option<u64>,
    media_max_pixels: Option<u64>,
    worker: Option<bool>,
    job_lease_ms: Option<u64>,
}

/// The page cache's default size in MiB.
pub const DEFAULT_CACHE_MB: u64 = 256;

/// How long the page cache remembers a reader's class by default: 2 s.
pub const DEFAULT_CACHE_CLASS_TTL_MS: u64 = 2_000;

/// The largest image upload by default: 20 MB.
pub const DEFAULT_MEDIA_MAX_BYTES: u64 = 20_000_000;

/// The most pixels an image upload may have by default: 50 megapixels.
pub const DEFAULT_MEDIA_MAX_PIXELS: u64 = 50_000_000;

/// The first wait before a failed webhook delivery is retried (30 s; then 1, 2, 4 and 8 min).
pub const DEFAULT_WEBHOOK_RETRY_MS: u64 = 30_000;

/// How long a worker's claim holds a job between heartbeats (30 s).
pub const DEFAULT_JOB_LEASE_MS: u64 = 30_000;

impl Config {
    /// Resolves the configuration: what the command line `given`, then this process's
    /// environment, then `masthead.toml`.
    pub fn resolve(given: &Overrides) -> Result<Config, ConfigError> {
        Config::resolve_in(given, &Environment::of_process())
    }

    /// Resolves the configuration from the flags `given`, the environment `env`, and the
    /// `masthead.toml` of the data directory they name.
    pub fn resolve_in(given: &Overrides, env: &Environment) -> Result<Config, ConfigError> {
        let data_dir = given
            .data
            .clone()
            .or_else(|| env.text("data").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA));
        let mut file = read_file_config(&data_dir)?;
        let addr = match layered(given.addr.as_ref(), "--addr", env, "addr", file.addr.take()) {
            Some((text, origin)) => text.trim().parse().map_err(|_| ConfigError::Invalid {
                origin,
                value: text,
                expected: "is not a HOST:PORT address such as 127.0.0.1:3000",
            })?,
            None => DEFAULT_ADDR
                .parse()
                .unwrap_or_else(|_| ([127, 0, 0, 1], 3000).into()),
        };
        let database = database(
            &data_dir,
            layered(
                given.database_url.as_ref(),
                "--database-url",
                env,
                "database_url",
                file.database_url.take(),
            ),
        )?;
        // Commands without a --url flag (post, member) still link to the site's public URL.
        let public_url = public_url(
            layered(given.url.as_ref(), "--url", env, "url", file.url.take()),
            addr,
        )?;
        let host = public_url.split("://").nth(1).unwrap_or("localhost");
        let host = host.split([':', '/']).next().unwrap_or("localhost");
        let mail_from = env
            .text("mail_from")
            .or(file.mail_from.take())
            .unwrap_or_else(|| format!("noreply@{host}"));
        let stripe = stripe(env, &mut file)?;
        let trusted_proxies = resolved_proxies(given, env, &file)?;
        let (worker, job_lease_ms) = worker(given, env, &file)?;
        let (media_max_bytes, media_max_pixels) = media_limits(env, &file)?;
        Ok(Config {
            database,
            addr,
            public_url,
            theme_dir: given
                .theme
                .clone()
                .or_else(|| env.text("theme").map(PathBuf::from))
                .or(file.theme),
            smtp_url: env.text("smtp_url").or(file.smtp_url).map(Secret),
            mail_from,
            stripe,
            past_due_grace_days: env
                .parsed("past_due_grace_days", "must be a number of days")?
                .or(file.past_due_grace_days)
                .unwrap_or(7),
            search_recency_weight: env
                .checked(
                    "search_recency_weight",
                    "must be a number from 0 to 10",
                    |v| {
                        v.trim()
                            .parse()
                            .ok()
                            .filter(|w: &f32| (0.0..=10.0).contains(w))
                    },
                )?
                .or(file.search_recency_weight)
                .unwrap_or(search::Ranking::default().recency_weight),
            cache_mb: env
                .parsed(
                    "cache_mb",
                    "must be a whole number of MiB (0 turns the page cache off)",
                )?
                .or(file.cache_mb)
                .unwrap_or(DEFAULT_CACHE_MB),
            cache_class_ttl_ms: env
                .parsed(
                    "cache_class_ttl_ms",
                    "must be a whole number of milliseconds",
                )?
                .or(file.cache_class_ttl_ms)
                .unwrap_or(DEFAULT_CACHE_CLASS_TTL_MS),
            webhook_retry_ms: env
                .parsed("webhook_retry_ms", "must be a whole number of milliseconds")?
                .or(file.webhook_retry_ms)
                .unwrap_or(DEFAULT_WEBHOOK_RETRY_MS),
            trusted_proxies,
            webhook_allow_private: env
                .checked("webhook_allow_private", "must be true or false", flag)?
                .or(file.webhook_allow_private)
                .unwrap_or(false),
            media_max_bytes,
            media_max_pixels,
            worker,
            job_lease_ms,
            data_dir,
        })
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

/// Whether this process runs a job worker (`--no-worker` beats `worker` in the environment,
/// which beats the file; on by default), and how long its claims hold a job.
fn worker(
    given: &Overrides,
    env: &Environment,
    file: &FileConfig,
) -> Result<(bool, u64), ConfigError> {
    let on = match given.worker {
        Some(on) => on,
        None => env
            .checked("worker", "must be true or false", flag)?
            .or(file.worker)
            .unwrap_or(true),
    };
    let lease = env
        .checked(
            "job_lease_ms",
            "must be a whole number of milliseconds, at least 1000",
            |v| v.trim().parse().ok().filter(|ms: &u64| *ms >= 1000),
        )?
        .or(file.job_lease_ms)
        .unwrap_or(DEFAULT_JOB_LEASE_MS);
    Ok((on, lease))
}

/// The trusted proxies: the flag's or the environment's list, else the file's. The file's list
/// is checked even when the flag or the environment replaces it.
fn resolved_proxies(
    given: &Overrides,
    env: &Environment,
    file: &FileConfig,
) -> Result<Vec<IpNet>, ConfigError> {
    let from_file = trusted_proxies(
        file.trusted_proxies.iter().flatten().map(String::as_str),
        "trusted_proxies in masthead.toml",
    )?;
    match layered(
        given.trusted_proxies.as_ref(),
        "--trusted-proxies",
        env,
        "trusted_proxies",
        None,
    ) {
        Some((list, origin)) => trusted_proxies(list.split(','), &origin),
        None => Ok(from_file),
    }
}

/// The upload limits: bytes and pixels, from the environment, else the file, else the defaults.
fn media_limits(env: &Environment, file: &FileConfig) -> Result<(u64, u64), ConfigError> {
    let bytes = env
        .parsed("media_max_bytes", "must be a whole number of bytes")?
        .or(file.media_max_bytes)
        .unwrap_or(DEFAULT_MEDIA_MAX_BYTES);
    let pixels = env
        .parsed("media_max_pixels", "must be a whole number of pixels")?
        .or(file.media_max_pixels)
        .unwrap_or(DEFAULT_MEDIA_MAX_PIXELS);
    Ok((bytes, pixels))
}

/// The first of the flag, the environment variable and the file's value for `key` that is
/// given, with where it came from (for messages).
fn layered(
    flag: Option<&String>,
    flag_name: &str,
    env: &Environment,
    key: &str,
    file: Option<String>,
) -> Option<(String, String)> {
    if let Some(value) = flag {
        return Some((value.clone(), flag_name.to_owned()));
    }
    if let Some(value) = env.text(key) {
        return Some((value, variable(key).to_owned()));
    }
    file.map(|value| (value, format!("{key} in masthead.toml")))
}

/// The database a URL names, or the SQLite file in the data directory.
fn database(data_dir: &Path, url: Option<(String, String)>) -> Result<Database, ConfigError> {
    Ok(match url {
        Some((url, _)) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Database::Postgres(Secret(url))
        }
        Some((url, _)) if url.starts_with("sqlite:") => Database::Sqlite(PathBuf::from(
            url.trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:"),
        )),
        Some((_, origin)) => return Err(ConfigError::DatabaseUrl { origin }),
        None => Database::Sqlite(data_dir.join("masthead.db")),
    })
}

/// The public base URL without a trailing slash; `http://ADDR` when none is given.
fn public_url(given: Option<(String, String)>, addr: SocketAddr) -> Result<String, ConfigError> {
    let (url, origin) = given.unwrap_or_else(|| (format!("http://{addr}"), String::new()));
    let url = url.trim_end_matches('/').to_owned();
    if url.starts_with("http://") || url.starts_with("https://") {
        return Ok(url);
    }
    Err(ConfigError::Invalid {
        origin,
        value: url,
        expected: "must start with http:// or https://",
    })
}

/// Stripe billing, on when a secret key is configured.
fn stripe(env: &Environment, file: &mut FileConfig) -> Result<Option<StripeConfig>, ConfigError> {
    let Some(key) = env
        .text("stripe_secret_key")
        .or(file.stripe_secret_key.take())
    else {
        return Ok(None);
    };
    Ok(Some(StripeConfig {
        api_base: env
            .text("stripe_api_base")
            .or(file.stripe_api_base.take())
            .unwrap_or_else(|| "https://api.stripe.com".into())
            .trim_end_matches('/')
            .to_owned(),
        secret_key: Secret(key),
        webhook_secrets: webhook_secrets(
            env.text("stripe_webhook_secret")
                .or(file.stripe_webhook_secret.take())
                .as_deref(),
        )?,
    }))
}

/// Parses a list of proxy addresses: CIDR ranges (`10.0.0.0/8`) or single addresses.
fn trusted_proxies<'a>(
    items: impl Iterator<Item = &'a str>,
    source: &str,
) -> Result<Vec<IpNet>, ConfigError> {
    let parse = |item: &str| {
        item.parse::<IpNet>()
            .or_else(|_| item.parse::<std::net::IpAddr>().map(IpNet::from))
            .map_err(|_| ConfigError::Invalid {
                origin: format!("{source}:"),
                value: item.to_owned(),
                expected: "is not an IP address or CIDR range such as 10.0.0.0/8 or 2001:db8::/32",
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
fn webhook_secrets(raw: Option<&str>) -> Result<Vec<Secret>, ConfigError> {
    let secrets: Vec<Secret> = raw
        .iter()
        .flat_map(|raw| raw.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Secret(s.to_owned()))
        .collect();
    if secrets.is_empty() {
        return Err(ConfigError::NoWebhookSecret);
    }
    Ok(secrets)
}

fn read_file_config(data: &Path) -> Result<FileConfig, ConfigError> {
    let path = data.join("masthead.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).map_err(|e| ConfigError::File(path, e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        Err(e) => Err(ConfigError::Unreadable(path, e)),
    }
}

#[cfg(test)]
mod tests;
