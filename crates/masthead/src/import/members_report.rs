//! A members import end to end for its callers (the CLI, the console): the file parsed, its
//! good rows handed to `ops::members::import`, and one report of both — counts, the rows
//! skipped with their errors, and what became of Stripe customers.

use super::members_csv::{self, FileError};
use crate::billing::stripe::StripeClient;
use crate::ops::members::import;
use crate::ops::staff::Actor;
use crate::ops::{Ops, OpsError};
use domain::Tier;
use serde::Serialize;
use store::ImportMode;

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub dry_run: bool,
    /// Data rows in the file.
    pub total: usize,
    pub added: usize,
    pub updated: usize,
    /// Rows whose member is already as the file says.
    pub unchanged: usize,
    pub linked: usize,
    /// "row 14: email 'bob@' is not an address", in row order.
    pub errors: Vec<String>,
    pub notes: Vec<String>,
}

impl Report {
    /// "Would add 997, update 0, skip 0 unchanged; 3 rows have errors."
    pub fn summary(&self) -> String {
        let verb = if self.dry_run { "Would add" } else { "Added" };
        let rest = if self.dry_run { "update" } else { "updated" };
        let mut s = format!(
            "{verb} {}, {rest} {}, skip {} unchanged; {} with errors (not imported).",
            self.added,
            self.updated,
            self.unchanged,
            rows(self.errors.len())
        );
        if self.linked > 0 {
            let linked = if self.dry_run { "would link" } else { "linked" };
            s.push_str(&format!(" Stripe: {linked} {} subscriptions.", self.linked));
        }
        s
    }
}

fn rows(n: usize) -> String {
    if n == 1 {
        "1 row".into()
    } else {
        format!("{n} rows")
    }
}

/// Why an import did not run.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    File(#[from] FileError),
    /// The database refused a row (a `stripe_customer_id` another member has): the whole run
    /// was rolled back.
    #[error("{0} Nothing was imported; correct the file and try again.")]
    Refused(String),
    #[error(transparent)]
    Ops(OpsError),
}

impl From<OpsError> for ImportError {
    fn from(e: OpsError) -> Self {
        match e {
            OpsError::Store(store::StoreError::Conflict(_)) => ImportError::Refused(
                "A row's stripe_customer_id belongs to another member already.".into(),
            ),
            other => ImportError::Ops(other),
        }
    }
}

/// Parses `bytes` for a site with `tiers` and imports its good rows (or counts them, `mode`),
/// telling `progress` (rows done, rows to do) as it goes.
pub async fn run(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    tiers: &[Tier],
    bytes: &[u8],
    stripe: Option<&StripeClient>,
    mode: ImportMode,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Report, ImportError> {
    let parsed = members_csv::parse(bytes, tiers)?;
    run_parsed(ops, actor, parsed, stripe, mode, progress).await
}

/// Imports the good rows of a file already parsed (the Admin API adds labels to them first).
pub async fn run_parsed(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    parsed: members_csv::Parsed,
    stripe: Option<&StripeClient>,
    mode: ImportMode,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Report, ImportError> {
    let total = parsed.total();
    let todo = parsed.rows.len();
    let members = parsed.rows.into_iter().map(|r| r.member).collect();
    let outcome = import::import(ops, actor, members, stripe, mode, &mut |done| {
        progress(done, todo);
    })
    .await?;
    Ok(Report {
        dry_run: mode == ImportMode::DryRun,
        total,
        added: outcome.counts.added,
        updated: outcome.counts.updated,
        unchanged: outcome.counts.unchanged,
        linked: outcome.counts.linked,
        errors: parsed.errors.iter().map(ToString::to_string).collect(),
        notes: outcome.stripe_notes,
    })
}
