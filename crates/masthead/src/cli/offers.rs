//! `masthead offer add | edit | archive | list`: offers through `ops::offers`, as the console
//! makes them (same checks, same audit, and the Stripe Coupon when Stripe keys are set).

use super::DbArgs;
use super::tiers::{by_slug, say_payments};
use crate::billing::stripe::StripeClient;
use crate::config::Config;
use crate::ops::Ops;
use crate::ops::offers::{self, OfferEdit};
use crate::ops::staff::Actor;
use crate::state::open_store;
use anyhow::{Context, Result, anyhow};
use clap::{Args, Subcommand};
use domain::offer::typed_amount;
use domain::{Cadence, Offer, OfferCode, OfferDuration, OfferKind};
use serde_json::json;
use store::Store;

#[derive(Subcommand, Debug)]
pub enum OfferCommand {
    /// Add an offer on a paid tier (with its Stripe Coupon when Stripe keys are set).
    Add(NewOffer),
    /// Change an offer's name, code, display title and description or retention; its terms
    /// (type, amount, tier, cadence, duration) stay as they were made.
    Edit {
        #[command(flatten)]
        db: DbArgs,
        /// The offer's code, as `masthead offer list` shows it.
        code: String,
        #[command(flatten)]
        changes: OfferChanges,
    },
    /// Archive an offer: its page says it has ended and it never reaches Checkout.
    Archive {
        #[command(flatten)]
        db: DbArgs,
        /// The offer's code.
        code: String,
    },
    /// List offers: code, name, what it gives, tier, redemptions, status.
    List {
        #[command(flatten)]
        db: DbArgs,
        /// Print JSON (Ghost's offer shape) instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct NewOffer {
    #[command(flatten)]
    db: DbArgs,
    /// The offer's name, for staff.
    #[arg(long)]
    name: String,
    /// The code readers use, e.g. SPRING20 (its page is /offers/CODE/).
    #[arg(long)]
    code: String,
    /// The slug of the paid tier it discounts.
    #[arg(long)]
    tier: String,
    /// What it gives: percent, fixed (an amount off) or trial (free days).
    #[arg(long = "type", value_name = "TYPE")]
    kind: String,
    /// Percent off (1–100), the amount off (e.g. 5 or 2.50) or the free days.
    #[arg(long)]
    amount: String,
    /// Currency of a fixed amount [default: the tier's].
    #[arg(long, value_name = "CODE")]
    currency: Option<String>,
    /// Which price it discounts: month or year.
    #[arg(long, default_value = "month")]
    cadence: String,
    /// How long a discount lasts: once, repeating (with --months) or forever.
    #[arg(long, default_value = "once")]
    duration: String,
    /// Months a repeating discount lasts (1–120).
    #[arg(long, value_name = "N")]
    months: Option<u32>,
    /// The headline of the offer's page.
    #[arg(long, default_value = "")]
    title: String,
    /// The text of the offer's page.
    #[arg(long, default_value = "")]
    description: String,
    /// Offer it to members of the tier who start to cancel.
    #[arg(long)]
    retention: bool,
}

/// What `offer edit` may change; absent flags change nothing.
#[derive(Args, Debug)]
pub struct OfferChanges {
    #[arg(long)]
    name: Option<String>,
    /// A new code (the old page address stops working).
    #[arg(long = "new-code", value_name = "CODE")]
    new_code: Option<String>,
    /// The headline of the offer's page.
    #[arg(long)]
    title: Option<String>,
    /// The text of the offer's page.
    #[arg(long)]
    description: Option<String>,
    /// Whether to offer it to members who start to cancel: true or false.
    #[arg(long, value_name = "BOOL")]
    retention: Option<bool>,
}

/// `masthead offer …`.
pub async fn run(cmd: OfferCommand) -> Result<()> {
    let db = match &cmd {
        OfferCommand::Add(NewOffer { db, .. })
        | OfferCommand::Edit { db, .. }
        | OfferCommand::Archive { db, .. }
        | OfferCommand::List { db, .. } => db.clone(),
    };
    let config = Config::resolve(&db.overrides())?;
    let store = open_store(&config).await?;
    let done = command(&config, &store, cmd).await;
    store.close().await;
    done
}

async fn command(config: &Config, store: &Store, cmd: OfferCommand) -> Result<()> {
    let ops = Ops::detached(store, &config.public_url);
    let stripe = StripeClient::configured(config.stripe.as_ref());
    match cmd {
        OfferCommand::Add(new) => {
            let offer = new.offer(store).await?;
            let p = offers::add(&ops, Actor::Console, stripe.as_ref(), &offer).await?;
            println!(
                "Added the offer {} ({}): {}. Its page: {}/offers/{}/",
                offer.name,
                offer.code,
                offer.summary(),
                config.public_url,
                offer.code
            );
            say_payments(&p);
        }
        OfferCommand::Edit { code, changes, .. } => {
            let before = by_code(store, &code).await?;
            let edit = changes.edit()?;
            let (after, p) =
                offers::edit(&ops, Actor::Console, stripe.as_ref(), &before.id, edit).await?;
            println!("Saved the offer {} ({}).", after.name, after.code);
            say_payments(&p);
        }
        OfferCommand::Archive { code, .. } => {
            let offer = by_code(store, &code).await?;
            offers::archive(&ops, Actor::Console, &offer.id).await?;
            println!(
                "Archived the offer {}: its page says it has ended.",
                offer.code
            );
        }
        OfferCommand::List { json, .. } => list(store, json).await?,
    }
    Ok(())
}

impl NewOffer {
    /// The offer these flags describe, on the tier they name.
    async fn offer(&self, store: &Store) -> Result<Offer> {
        let tier = by_slug(store, &self.tier).await?.tier;
        let amount =
            typed_amount(&self.kind, &self.amount).map_err(|e| anyhow!("--amount: {}", e.0))?;
        let currency = self.currency.as_deref().unwrap_or(&tier.currency);
        let kind = OfferKind::parse(&self.kind, amount, Some(currency))
            .map_err(|e| anyhow!("--type: {}", e.0))?;
        let duration = match kind {
            OfferKind::Trial(_) => OfferDuration::Once,
            _ => OfferDuration::parse(&self.duration, self.months)
                .map_err(|e| anyhow!("--duration: {}", e.0))?,
        };
        Ok(Offer {
            id: crate::compose::new_id(),
            name: self.name.trim().to_owned(),
            code: OfferCode::parse(&self.code).map_err(|e| anyhow!("--code: {}", e.0))?,
            display_title: self.title.trim().to_owned(),
            display_description: self.description.trim().to_owned(),
            kind,
            tier_id: tier.id,
            cadence: Cadence::parse(&self.cadence).map_err(|e| anyhow!("--cadence: {}", e.0))?,
            duration,
            active: true,
            retention: self.retention,
            stripe_coupon_id: None,
            redemptions: 0,
        })
    }
}

impl OfferChanges {
    fn edit(self) -> Result<OfferEdit> {
        let code = self
            .new_code
            .map(|c| OfferCode::parse(&c).map_err(|e| anyhow!("--new-code: {}", e.0)))
            .transpose()?;
        Ok(OfferEdit {
            name: self.name,
            code,
            display_title: self.title,
            display_description: self.description,
            active: None,
            retention: self.retention,
        })
    }
}

/// The stored offer with this code (any case), or an error that says where to find the codes.
async fn by_code(store: &Store, code: &str) -> Result<Offer> {
    store.offer_by_code(code.trim()).await?.with_context(|| {
        format!(
            "no offer has the code {:?}; `masthead offer list` shows the codes",
            code.trim()
        )
    })
}

async fn list(store: &Store, as_json: bool) -> Result<()> {
    let tiers = store.tiers().await?;
    let tier_of = |o: &Offer| tiers.iter().find(|t| t.id == o.tier_id);
    let offers = store.offers().await?;
    if as_json {
        let all: Vec<_> = offers
            .iter()
            .map(|o| crate::ghost::shapes::offer(o, tier_of(o)))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "offers": all }))?
        );
        return Ok(());
    }
    let rows: Vec<[String; 6]> = offers
        .iter()
        .map(|o| {
            [
                o.code.to_string(),
                o.name.clone(),
                o.summary(),
                tier_of(o).map_or_else(String::new, |t| t.slug.to_string()),
                o.redemptions.to_string(),
                if o.active { "active" } else { "archived" }.into(),
            ]
        })
        .collect();
    let head = ["CODE", "NAME", "GIVES", "TIER", "REDEEMED", "STATUS"].map(String::from);
    print!("{}", super::table::render(&head, &rows));
    Ok(())
}
