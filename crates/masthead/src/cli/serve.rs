//! `masthead serve | demo | seed | migrate`: the site's database and serving it.

use super::{DbArgs, ServeArgs};
use crate::config::Config;
use crate::demo;
use crate::state::{self, open_store};
use anyhow::Result;
use clap::Args;

/// `masthead serve`.
pub async fn serve(args: ServeArgs) -> Result<()> {
    let state = state::build(Config::resolve(&args.overrides())?).await?;
    Ok(crate::serve(state).await?)
}

/// `masthead demo`: the demo publication in an empty site, sign-in links for its members,
/// then serving.
pub async fn demo(args: ServeArgs) -> Result<()> {
    let state = state::build(Config::resolve(&args.overrides())?).await?;
    demo::install_if_empty(&state.store, &state.config.media_dir()).await?;
    let links = demo::member_links(&state.store, &state.config.public_url).await?;
    println!("Demo sign-in links (each works once, for 15 minutes):");
    for l in links {
        println!("  {:<18} {:<24} {}", l.who, l.email.as_str(), l.link);
    }
    Ok(crate::serve(state).await?)
}

/// `masthead migrate`.
pub async fn migrate(db: DbArgs) -> Result<()> {
    let store = open_store(&Config::resolve(&db.overrides())?).await?;
    store.close().await;
    println!("Database is up to date.");
    Ok(())
}

/// `masthead seed --posts N`.
pub async fn seed(args: SeedArgs) -> Result<()> {
    let config = Config::resolve(&args.db.overrides())?;
    let store = open_store(&config).await?;
    let started = std::time::Instant::now();
    crate::seed::seed(&store, args.posts, args.seed, true).await?;
    store.close().await;
    println!(
        "Added {} posts in {:.1} s.",
        args.posts,
        started.elapsed().as_secs_f64()
    );
    Ok(())
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
