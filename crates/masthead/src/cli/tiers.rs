//! `masthead tier add | edit | archive | list`: tiers through `ops::tiers`, as the console sells
//! them (same checks, same audit, and the same Stripe sync when Stripe keys are set).

use super::DbArgs;
use crate::billing::stripe::StripeClient;
use crate::config::Config;
use crate::ops::Ops;
use crate::ops::staff::Actor;
use crate::ops::tiers::{self, Payments, TierChanges};
use crate::state::open_store;
use anyhow::{Context, Result, anyhow};
use clap::{Args, Subcommand};
use domain::Slug;
use domain::offer::{money_input, parse_money};
use serde_json::json;
use store::{Store, TierEntry};

#[derive(Subcommand, Debug)]
pub enum TierCommand {
    /// Add a tier (with its Stripe Product and Prices when Stripe keys are set).
    Add {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        fields: TierFields,
    },
    /// Change the named fields of the tier with this slug; the others stay as they are.
    Edit {
        #[command(flatten)]
        db: DbArgs,
        /// The tier's slug, as `masthead tier list` shows it.
        #[arg(value_name = "SLUG")]
        tier: String,
        #[command(flatten)]
        fields: TierFields,
        /// Make an archived tier available again.
        #[arg(long)]
        unarchive: bool,
    },
    /// Archive a tier: members who hold it keep it, nobody new can choose it.
    Archive {
        #[command(flatten)]
        db: DbArgs,
        /// The tier's slug.
        slug: String,
    },
    /// List tiers: slug, name, prices, whether shown on the sign-up page, status.
    List {
        #[command(flatten)]
        db: DbArgs,
        /// Print JSON (one object a tier, in Ghost's shape) instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// A tier's fields as flags; absent flags change nothing.
#[derive(Args, Debug, Default)]
pub struct TierFields {
    /// The tier's name, as readers see it (required to add).
    #[arg(long)]
    name: Option<String>,
    /// The tier's slug, e.g. analyst [default: made from the name]; on `edit`, a new slug.
    #[arg(long)]
    slug: Option<String>,
    /// One or two sentences for the sign-up page.
    #[arg(long)]
    description: Option<String>,
    /// A benefit; repeat the flag for each (the list replaces the stored one).
    #[arg(long = "benefit", value_name = "TEXT")]
    benefits: Vec<String>,
    /// Remove every benefit.
    #[arg(long, conflicts_with = "benefits")]
    no_benefits: bool,
    /// Monthly price, e.g. 15 or 15.50 (required for a paid tier).
    #[arg(long, value_name = "PRICE")]
    monthly: Option<String>,
    /// Yearly price, e.g. 150 [default: none].
    #[arg(long, value_name = "PRICE")]
    yearly: Option<String>,
    /// Three-letter currency code [default: usd].
    #[arg(long, value_name = "CODE")]
    currency: Option<String>,
    /// Free days before the first charge (0 to 730).
    #[arg(long, value_name = "DAYS")]
    trial_days: Option<u32>,
    /// Leave the tier off the sign-up page.
    #[arg(long, conflicts_with = "shown")]
    hidden: bool,
    /// Show the tier on the sign-up page (the default for a new tier).
    #[arg(long)]
    shown: bool,
    /// Place on the sign-up page: lower comes first.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    sort_order: Option<i64>,
}

impl TierFields {
    fn changes(self) -> Result<TierChanges> {
        let price = |flag: &str, raw: Option<String>| -> Result<Option<u32>> {
            raw.map(|r| parse_money(&r).map_err(|e| anyhow!("{flag}: {}", e.0)))
                .transpose()
        };
        let slug = self
            .slug
            .map(|s| Slug::parse(&s).map_err(|e| anyhow!("--slug: {}", e.0)))
            .transpose()?;
        let benefits = if self.no_benefits {
            Some(Vec::new())
        } else {
            Some(self.benefits).filter(|b| !b.is_empty())
        };
        Ok(TierChanges {
            name: self.name,
            slug,
            description: self.description,
            benefits,
            monthly_price: price("--monthly", self.monthly)?,
            yearly_price: price("--yearly", self.yearly)?,
            currency: self.currency,
            trial_days: self.trial_days,
            visible: (self.hidden || self.shown).then_some(self.shown),
            sort_order: self.sort_order,
            active: None,
        })
    }
}

/// What the command says after a save: the outcome at Stripe, if there is one to tell.
pub(super) fn say_payments(p: &Payments) {
    if let Some(notice) = p.notice() {
        eprintln!("{notice}");
    }
}

/// `masthead tier …`.
pub async fn run(cmd: TierCommand) -> Result<()> {
    let db = match &cmd {
        TierCommand::Add { db, .. }
        | TierCommand::Edit { db, .. }
        | TierCommand::Archive { db, .. }
        | TierCommand::List { db, .. } => db.clone(),
    };
    let config = Config::resolve(&db.overrides())?;
    let store = open_store(&config).await?;
    let done = command(&config, &store, cmd).await;
    store.close().await;
    done
}

async fn command(config: &Config, store: &Store, cmd: TierCommand) -> Result<()> {
    let ops = Ops::detached(store, &config.public_url);
    let stripe = StripeClient::configured(config.stripe.as_ref());
    match cmd {
        TierCommand::Add { fields, .. } => {
            let changes = fields.changes()?;
            if changes.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                anyhow::bail!("a tier needs a name: pass --name \"Analyst\"");
            }
            let entry = changes.new_entry(crate::compose::new_id());
            let p = tiers::add(&ops, Actor::Console, stripe.as_ref(), &entry).await?;
            println!("Added the tier {} ({}).", entry.tier.name, entry.tier.slug);
            say_payments(&p);
        }
        TierCommand::Edit {
            tier,
            fields,
            unarchive,
            ..
        } => {
            let mut changes = fields.changes()?;
            changes.active = unarchive.then_some(true);
            let entry = changes.apply(by_slug(store, &tier).await?);
            let p = tiers::edit(&ops, Actor::Console, stripe.as_ref(), &entry).await?;
            println!("Saved the tier {} ({}).", entry.tier.name, entry.tier.slug);
            say_payments(&p);
        }
        TierCommand::Archive { slug, .. } => {
            let entry = by_slug(store, &slug).await?;
            let p = tiers::archive(&ops, Actor::Console, stripe.as_ref(), &entry.tier.id).await?;
            println!(
                "Archived the tier {}: members who hold it keep it; nobody new can choose it.",
                entry.tier.name
            );
            say_payments(&p);
        }
        TierCommand::List { json, .. } => list(store, json).await?,
    }
    Ok(())
}

/// The stored tier with this slug, or an error that says where to find the slugs.
pub(super) async fn by_slug(store: &Store, slug: &str) -> Result<TierEntry> {
    store
        .tier_entry_by_slug(slug.trim())
        .await?
        .with_context(|| {
            format!(
                "no tier has the slug {:?}; `masthead tier list` shows the slugs",
                slug.trim()
            )
        })
}

async fn list(store: &Store, as_json: bool) -> Result<()> {
    let entries = store.tier_entries().await?;
    if as_json {
        let all: Vec<_> = entries
            .iter()
            .map(crate::ghost::shapes::tier_entry)
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "tiers": all }))?
        );
        return Ok(());
    }
    let price = |minor: u32, currency: &str| match minor {
        0 => "-".to_owned(),
        m => format!("{} {}", money_input(m), currency.to_uppercase()),
    };
    let rows: Vec<[String; 6]> = entries
        .iter()
        .map(|e| {
            let t = &e.tier;
            [
                t.slug.to_string(),
                t.name.clone(),
                price(t.monthly_price, &t.currency),
                price(t.yearly_price, &t.currency),
                if e.listing.visible { "shown" } else { "hidden" }.into(),
                if t.active { "active" } else { "archived" }.into(),
            ]
        })
        .collect();
    let head = ["SLUG", "NAME", "MONTHLY", "YEARLY", "SIGN-UP", "STATUS"].map(String::from);
    print!("{}", super::table::render(&head, &rows));
    Ok(())
}
