//! The command line: `masthead serve | demo | seed | post … | search reindex | member … |
//! author … | tier … | offer … | migrate | settings … | key … | worker | jobs …`. The clap types of the commands shared by all and
//! `dispatch`; each command group, with its arguments, in its own file. Commands print; nothing
//! else in the crate does, and nothing else names this module.

mod authors;
mod front_matter;
mod jobs;
mod keys;
mod member_import;
mod members;
mod offers;
mod posts;
mod search;
mod serve;
mod settings;
mod table;
mod tiers;
mod users;

use crate::config::Overrides;
use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "masthead")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the site (migrating the database first).
    Serve(ServeArgs),
    /// Fill an empty site with the demo publication, then serve it.
    Demo(ServeArgs),
    /// Add N synthetic posts, deterministically, for benchmarks and tests.
    Seed(serve::SeedArgs),
    /// Manage posts from the command line.
    #[command(subcommand)]
    Post(posts::PostCommand),
    /// Manage the search index.
    #[command(subcommand)]
    Search(search::SearchCommand),
    /// Manage members: add, comp a tier, list.
    #[command(subcommand)]
    Member(members::MemberCommand),
    /// Manage authors (bylines): add, edit, list. Ghost's clients name authors by slug or email.
    #[command(subcommand)]
    Author(authors::AuthorCommand),
    /// Manage tiers (what members pay for): add, edit, archive, list.
    #[command(subcommand)]
    Tier(tiers::TierCommand),
    /// Manage offers (discounts and free trials on a tier): add, edit, archive, list.
    #[command(subcommand)]
    Offer(offers::OfferCommand),
    /// Apply database migrations and exit.
    Migrate(DbArgs),
    /// Read and change site settings: title, language, `robots_extra`, `logo_url`, meters, …
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
    /// Manage keys for the Ghost-compatible APIs: create, list, revoke.
    #[command(subcommand)]
    Key(keys::KeyCommand),
    /// Run background jobs (image variants, housekeeping, …) until stopped; `serve` runs one
    /// in-process unless `--no-worker`.
    Worker(DbArgs),
    /// Look at the job queue: list, retry a failed job.
    #[command(subcommand)]
    Jobs(jobs::JobsCommand),
    /// Manage staff users (newsroom accounts): add with a role, list.
    #[command(subcommand)]
    User(users::UserCommand),
}

/// Runs one command.
pub async fn dispatch(command: Command) -> Result<()> {
    match command {
        Command::Serve(args) => serve::serve(args).await,
        Command::Demo(args) => serve::demo(args).await,
        Command::Seed(args) => serve::seed(args).await,
        Command::Migrate(db) => serve::migrate(db).await,
        Command::Post(cmd) => posts::run(cmd).await,
        Command::Search(cmd) => search::run(cmd).await,
        Command::Member(cmd) => members::run(cmd).await,
        Command::Author(cmd) => authors::run(cmd).await,
        Command::Tier(cmd) => tiers::run(cmd).await,
        Command::Offer(cmd) => offers::run(cmd).await,
        Command::Settings(cmd) => settings::run(cmd).await,
        Command::Key(cmd) => keys::run(cmd).await,
        Command::Worker(db) => jobs::worker(db).await,
        Command::Jobs(cmd) => jobs::run(cmd).await,
        Command::User(cmd) => users::run(cmd).await,
    }
}

/// Where the site's data lives. Shared by every command that touches the database. Flags only:
/// the environment variables each help text names are read by `config`, with the others.
#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// Data directory: holds masthead.db (SQLite), content/images and an optional masthead.toml.
    #[arg(
        long = "data",
        value_name = "DIR",
        help = "Data directory: holds masthead.db (SQLite), content/images and an optional masthead.toml [env: MASTHEAD_DATA] [default: ./masthead-data]"
    )]
    pub data: Option<PathBuf>,
    /// PostgreSQL URL to use instead of the SQLite file.
    #[arg(
        long,
        value_name = "URL",
        help = "PostgreSQL URL (postgres://user:pass@host/db) to use instead of the SQLite file [env: MASTHEAD_DATABASE_URL] [default: DIR/masthead.db]"
    )]
    pub database_url: Option<String>,
}

impl DbArgs {
    /// The configuration these flags give.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            data: self.data.clone(),
            database_url: self.database_url.clone(),
            ..Overrides::default()
        }
    }
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on.
    #[arg(
        long,
        value_name = "HOST:PORT",
        help = "Address to listen on [env: MASTHEAD_ADDR] [default: 127.0.0.1:3000]"
    )]
    pub addr: Option<String>,
    /// A theme folder to use instead of the built-in default theme.
    #[arg(
        long,
        value_name = "DIR",
        help = "A theme folder to use instead of the built-in default theme [env: MASTHEAD_THEME]"
    )]
    pub theme: Option<PathBuf>,
    /// Public base URL used in canonical links and feeds.
    #[arg(
        long,
        value_name = "URL",
        help = "Public base URL used in canonical links and feeds [env: MASTHEAD_URL] [default: http://HOST:PORT]"
    )]
    pub url: Option<String>,
    /// Reverse proxies and CDNs whose forwarding headers name the client.
    #[arg(
        long,
        value_name = "CIDR,…",
        help = "Reverse proxies and CDNs whose X-Forwarded-For/Forwarded headers name the client, comma-separated CIDRs (e.g. 127.0.0.1,10.0.0.0/8) [env: MASTHEAD_TRUSTED_PROXIES] [default: none]"
    )]
    pub trusted_proxies: Option<String>,
    /// Run no job worker in this process (a node that only serves).
    #[arg(
        long,
        help = "Run no job worker in this process: a node that only serves, with `masthead worker` elsewhere [env: MASTHEAD_WORKER=false]"
    )]
    pub no_worker: bool,
}

impl ServeArgs {
    /// The configuration these flags give.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            addr: self.addr.clone(),
            url: self.url.clone(),
            theme: self.theme.clone(),
            trusted_proxies: self.trusted_proxies.clone(),
            worker: self.no_worker.then_some(false),
            ..self.db.overrides()
        }
    }
}
