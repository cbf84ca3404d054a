//! The kinds of job Masthead runs, each registered on one line: to add one, write its handler
//! (an `async fn(JobContext) -> Result<(), JobError>`, or a closure capturing what it needs
//! from `config`) and register it here.

use super::{Registry, housekeeping, media_variants, member_counts, probe, resplit};
use crate::config::Config;

/// Every kind a worker of this site runs.
pub fn registry(config: &Config) -> Registry {
    Registry::default()
        .hourly(housekeeping::KIND, housekeeping::prune)
        .hourly(member_counts::KIND, member_counts::snapshot)
        .register(probe::KIND, probe::run)
        .register(resplit::KIND, resplit::run)
        .register(
            media_variants::KIND,
            media_variants::handler(config.media_dir()),
        )
}
