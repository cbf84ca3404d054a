//! `masthead member add | comp | import | list | export`: members through the same use cases as the Admin API.

use super::DbArgs;
use crate::config::Config;
use crate::ghost::filter::member as member_filter;
use crate::ops::{Ops, members, members_export};
use crate::state::open_store;
use anyhow::{Context, Result};
use chrono::Utc;
use clap::Subcommand;
use domain::Email;
use std::io::Write;

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
    /// Import members from a CSV in Ghost's column layout (a dry run first with --dry-run).
    Import {
        #[command(flatten)]
        db: DbArgs,
        /// The CSV file (columns `email`, `name`, `note`, `subscribed_to_emails`,
        /// `complimentary_plan`, `stripe_customer_id`, `created_at`, `labels`, `tiers`).
        file: std::path::PathBuf,
        /// Report what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// List members, newest first.
    List {
        #[command(flatten)]
        db: DbArgs,
        /// Ghost's member filter, e.g. "status:paid+label:vip".
        #[arg(long, default_value = "")]
        filter: String,
        /// Emails and names containing this (any case).
        #[arg(long, default_value = "")]
        search: String,
    },
    /// Write the members a filter selects as CSV (Ghost's columns) to standard output.
    Export {
        #[command(flatten)]
        db: DbArgs,
        /// Ghost's member filter [default: every member].
        #[arg(long, default_value = "")]
        filter: String,
    },
}

/// `masthead member add | comp | list`.
pub async fn run(cmd: MemberCommand) -> Result<()> {
    match cmd {
        MemberCommand::Add { db, email, name } => {
            let config = Config::resolve(&db.overrides())?;
            let store = open_store(&config).await?;
            let ops = Ops::detached(&store, &config.public_url);
            let member = members::add(&ops, &Email::parse(&email)?, &name, None).await?;
            println!("{} is a member (id {}).", member.email, member.id);
            store.close().await;
        }
        MemberCommand::Comp {
            db,
            email,
            tier,
            until,
        } => {
            let config = Config::resolve(&db.overrides())?;
            let store = open_store(&config).await?;
            let email = Email::parse(&email)?;
            let until = until.as_deref().map(end_of_day).transpose()?;
            let ops = Ops::detached(&store, &config.public_url);
            let comped = members::comp(&ops, &email, &tier, until).await?;
            let end = until.map_or("with no end date".to_owned(), |u| {
                format!("until {}", u.format("%Y-%m-%d"))
            });
            println!(
                "{} now has {} {end}.",
                comped.member.email, comped.tier.name
            );
            store.close().await;
        }
        MemberCommand::Import { db, file, dry_run } => {
            let config = Config::resolve(&db.overrides())?;
            super::member_import::run(&config, &file, dry_run).await?;
        }
        MemberCommand::Export { db, filter } => {
            let query = member_filter::query(&filter, "", Utc::now())?;
            let store = open_store(&Config::resolve(&db.overrides())?).await?;
            let mut out = std::io::stdout().lock();
            out.write_all(&members_export::header()?)?;
            let mut cursor = None;
            loop {
                let (rows, next) = members_export::batch(&store, &query, cursor.as_ref()).await?;
                out.write_all(&rows)?;
                match next {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
            }
            out.flush()?;
            store.close().await;
        }
        MemberCommand::List { db, filter, search } => {
            let query = member_filter::query(&filter, &search, Utc::now())?;
            let store = open_store(&Config::resolve(&db.overrides())?).await?;
            println!(
                "{:<36}  {:<24}  {:<16}  {:<9}  renews/ends",
                "email", "name", "tier", "status"
            );
            let window = store::Window {
                limit: 10_000,
                offset: 0,
            };
            for listed in store.member_page(&query, window).await? {
                let (m, sub) = (listed.member, listed.subscription);
                let (tier, status) = sub.as_ref().map_or(("free".to_owned(), "free"), |s| {
                    (s.tier.to_string(), s.status.as_str())
                });
                let ends = sub
                    .and_then(|s| s.renews_at())
                    .map_or(String::new(), |t| t.format("%Y-%m-%d").to_string());
                println!(
                    "{:<36}  {:<24}  {:<16}  {:<9}  {ends}",
                    m.email.as_str(),
                    m.name,
                    tier,
                    status
                );
            }
            store.close().await;
        }
    }
    Ok(())
}

/// The last second of the day `date` (YYYY-MM-DD) names, for `--until`.
fn end_of_day(date: &str) -> Result<chrono::DateTime<Utc>> {
    chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map(|d| d.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc())
        .with_context(|| format!("--until {date:?} must be a date like 2027-01-31"))
}
