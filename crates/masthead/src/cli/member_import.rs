//! `masthead member import FILE.csv [--dry-run]`: members from a CSV in Ghost's layout,
//! printing progress and the report (the same run as the console's import page).

use crate::billing::stripe::StripeClient;
use crate::config::Config;
use crate::import::members_report::{self, Report};
use crate::ops::Ops;
use crate::ops::staff::Actor;
use crate::state::open_store;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use store::ImportMode;

/// Runs the import of `file` (or its dry run) and prints the report; errors in rows are
/// reported, not fatal.
pub async fn run(config: &Config, file: &Path, dry_run: bool) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let store = open_store(config).await?;
    let ops = Ops::detached(&store, &config.public_url);
    let tiers = store.tiers().await?;
    let stripe = config
        .stripe
        .as_ref()
        .map(|s| StripeClient::new(&s.api_base, s.secret_key.expose()));
    let mode = if dry_run {
        ImportMode::DryRun
    } else {
        ImportMode::Write
    };
    let mut progress = |done: usize, total: usize| {
        if done == total || done.is_multiple_of(500) {
            eprint!("\r{done}/{total} rows");
            if done == total {
                eprintln!();
            }
            let _ = std::io::stderr().flush();
        }
    };
    let report = members_report::run(
        &ops,
        Actor::Console,
        &tiers,
        &bytes,
        stripe.as_ref(),
        mode,
        &mut progress,
    )
    .await;
    store.close().await;
    print(&report?);
    Ok(())
}

fn print(report: &Report) {
    if report.dry_run {
        println!("Dry run: nothing was written.");
    }
    println!("{} rows read. {}", report.total, report.summary());
    for e in &report.errors {
        println!("  {e}");
    }
    for n in &report.notes {
        println!("{n}");
    }
}
