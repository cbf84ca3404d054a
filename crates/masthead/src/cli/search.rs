//! `masthead search reindex`.

use super::DbArgs;
use crate::config::Config;
use crate::state::open_store;
use anyhow::Result;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum SearchCommand {
    /// Rebuild the search index from the database (stop the server first; a running server
    /// rebuilds a missing or damaged index by itself).
    Reindex(DbArgs),
}

/// `masthead search reindex`.
pub async fn run(cmd: SearchCommand) -> Result<()> {
    match cmd {
        SearchCommand::Reindex(db) => reindex(db).await,
    }
}

/// `search reindex`: rebuilds the index from the database with a progress bar.
async fn reindex(db: DbArgs) -> Result<()> {
    let config = Config::resolve(&db.overrides())?;
    let store = open_store(&config).await?;
    let total = store.count_posts().await?;
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "indexing {bar:40} {pos}/{len} posts ({per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let dir = config.search_dir();
    let pass = crate::indexer::reindex(&store, &dir, &mut |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    store.close().await;
    let size = std::fs::read_dir(&dir).map_or(0, |d| {
        d.filter_map(|e| e.ok()?.metadata().ok())
            .map(|m| m.len())
            .sum::<u64>()
    });
    println!(
        "Indexed {} published posts in {:.1} s ({:.1} MB in {}).",
        pass.indexed,
        started.elapsed().as_secs_f64(),
        size as f64 / 1e6,
        dir.display()
    );
    Ok(())
}
