//! The command line: `masthead serve | demo | seed | post … | search reindex | member … |
//! author … | migrate | settings … | key …`.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "masthead",
    version,
    about = "Masthead: a publishing platform for subscription news and analysis sites."
)]
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
    Seed(SeedArgs),
    /// Manage posts from the command line.
    #[command(subcommand)]
    Post(PostCommand),
    /// Manage the search index.
    #[command(subcommand)]
    Search(SearchCommand),
    /// Manage members: add, comp a tier, list.
    #[command(subcommand)]
    Member(MemberCommand),
    /// Manage authors (bylines): add, edit, list. Ghost's clients name authors by slug or email.
    #[command(subcommand)]
    Author(AuthorCommand),
    /// Apply database migrations and exit.
    Migrate(DbArgs),
    /// Read and change site settings: title, language, robots_extra, logo_url, meters, …
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Manage keys for the Ghost-compatible APIs: create, list, revoke.
    #[command(subcommand)]
    Key(KeyCommand),
}

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Create a Content API key (`--content NAME`) or an Admin API key (`--admin NAME`) and
    /// print it once.
    Create {
        #[command(flatten)]
        db: DbArgs,
        /// A read-only Content API key, for a front end or a static-site build.
        #[arg(
            long,
            value_name = "NAME",
            conflicts_with = "admin",
            required_unless_present = "admin"
        )]
        content: Option<String>,
        /// An Admin API key (`id:secret`), for integrations that write.
        #[arg(long, value_name = "NAME")]
        admin: Option<String>,
    },
    /// List keys: id, kind, name, the first characters of the secret, created, revoked.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a key by its id; requests with it are refused from then on.
    Revoke {
        #[command(flatten)]
        db: DbArgs,
        id: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum SettingsCommand {
    /// List every setting, its value and what it does.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print one setting's value.
    Get {
        #[command(flatten)]
        db: DbArgs,
        key: String,
    },
    /// Set a setting ("-" as VALUE reads it from standard input, e.g. several robots.txt lines).
    Set {
        #[command(flatten)]
        db: DbArgs,
        key: String,
        value: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum MemberCommand {
    /// Add a free member (no email is sent).
    Add {
        #[command(flatten)]
        db: DbArgs,
        email: String,
        /// The member's name.
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Give a member a tier for free, until a date or for good (creates the member if needed).
    Comp {
        #[command(flatten)]
        db: DbArgs,
        email: String,
        /// Tier slug, e.g. subscriber-plus.
        #[arg(long)]
        tier: String,
        /// Last day of the complimentary tier (YYYY-MM-DD) [default: no end].
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
    },
    /// List members, newest first.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuthorCommand {
    /// Add an author, e.g. `author add "Jane Doe" --email jane@example.com`.
    Add {
        #[command(flatten)]
        db: DbArgs,
        /// The name in bylines.
        name: String,
        /// The author's slug (their page is /author/SLUG/) [default: made from the name].
        #[arg(long)]
        slug: Option<String>,
        /// The email address Ghost integrations name the author by (never shown to readers).
        #[arg(long)]
        email: Option<String>,
    },
    /// Change an author's name or email (`--email ""` removes the email).
    Edit {
        #[command(flatten)]
        db: DbArgs,
        /// The author's slug.
        slug: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
    /// List authors: slug, name and email.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum PostCommand {
    /// Publish Markdown files with YAML front matter (one post or page per file).
    Add(PostAddArgs),
    /// Publish a draft (now, or at a later time).
    Publish {
        #[command(flatten)]
        db: DbArgs,
        slug: String,
        /// When it goes live (RFC 3339, e.g. 2026-12-01T09:00:00Z) [default: now].
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// Take a post off the site (it becomes a draft).
    Unpublish {
        #[command(flatten)]
        db: DbArgs,
        slug: String,
    },
    /// Delete a post for good.
    Delete {
        #[command(flatten)]
        db: DbArgs,
        slug: String,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum SearchCommand {
    /// Rebuild the search index from the database (stop the server first; a running server
    /// rebuilds a missing or damaged index by itself).
    Reindex(DbArgs),
}

/// Where the site's data lives. Shared by every command that touches the database.
#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// Data directory: holds masthead.db (SQLite), content/images and an optional masthead.toml.
    #[arg(
        long = "data",
        env = "MASTHEAD_DATA",
        default_value = "./masthead-data",
        value_name = "DIR"
    )]
    pub data: PathBuf,
    /// PostgreSQL URL (postgres://user:pass@host/db) to use instead of the SQLite file [default: DIR/masthead.db].
    #[arg(
        long,
        env = "MASTHEAD_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on [default: 127.0.0.1:3000].
    #[arg(long, env = "MASTHEAD_ADDR", value_name = "HOST:PORT")]
    pub addr: Option<String>,
    /// A theme folder to use instead of the built-in default theme.
    #[arg(long, env = "MASTHEAD_THEME", value_name = "DIR")]
    pub theme: Option<PathBuf>,
    /// Public base URL used in canonical links and feeds [default: http://HOST:PORT].
    #[arg(long, env = "MASTHEAD_URL", value_name = "URL")]
    pub url: Option<String>,
    /// Reverse proxies and CDNs whose X-Forwarded-For/Forwarded headers name the client,
    /// comma-separated CIDRs (e.g. 127.0.0.1,10.0.0.0/8) [default: none].
    #[arg(long, env = "MASTHEAD_TRUSTED_PROXIES", value_name = "CIDR,…")]
    pub trusted_proxies: Option<String>,
}

#[derive(Args, Debug)]
pub struct SeedArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// How many posts to add.
    #[arg(long, value_name = "N")]
    pub posts: u64,
    /// Seed of the generator; the same seed gives the same posts.
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
}

#[derive(Args, Debug)]
pub struct PostAddArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Markdown files with front matter between `---` lines.
    #[arg(required = true, value_name = "FILE.md")]
    pub files: Vec<PathBuf>,
}
