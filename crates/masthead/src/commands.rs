//! The subcommands, each a thin layer over the library.

use crate::cli::{Command, PostAddArgs, PostCommand, SeedArgs};
use crate::compose::{Composer, save};
use crate::config::Config;
use crate::serve::{open_store, run, state};
use crate::{demo, front_matter, seed};
use anyhow::{Context, Result};
use chrono::Utc;

pub async fn dispatch(command: Command) -> Result<()> {
    match command {
        Command::Serve(args) => run(state(Config::for_serve(&args)?).await?).await,
        Command::Demo(args) => {
            let config = Config::for_serve(&args)?;
            let state = state(config).await?;
            demo::install_if_empty(&state.store, &state.config.media_dir()).await?;
            run(state).await
        }
        Command::Seed(args) => seed_command(args).await,
        Command::Post(PostCommand::Add(args)) => post_add(args).await,
        Command::Migrate(db) => {
            let store = open_store(&Config::for_db(&db)?).await?;
            store.close().await;
            println!("Database is up to date.");
            Ok(())
        }
    }
}

async fn seed_command(args: SeedArgs) -> Result<()> {
    let config = Config::for_db(&args.db)?;
    let store = open_store(&config).await?;
    let started = std::time::Instant::now();
    seed::seed(&store, args.posts, args.seed, true).await?;
    store.close().await;
    println!(
        "Added {} posts in {:.1} s.",
        args.posts,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Publishes each file on its own: a bad file is reported and skipped, the others still land.
async fn post_add(args: PostAddArgs) -> Result<()> {
    let config = Config::for_db(&args.db)?;
    let store = open_store(&config).await?;
    let mut failed = 0;
    for file in &args.files {
        match add_one(&store, file, &config).await {
            Ok(url) => println!(
                "{}: published at {}{url}",
                file.display(),
                config.public_url
            ),
            Err(err) => {
                failed += 1;
                eprintln!("{}: {err:#}", file.display());
            }
        }
    }
    store.close().await;
    anyhow::ensure!(
        failed == 0,
        "{failed} of {} files were not added; fix them and run the command again for those files",
        args.files.len()
    );
    Ok(())
}

async fn add_one(store: &store::Store, file: &std::path::Path, config: &Config) -> Result<String> {
    let text = std::fs::read_to_string(file).context("cannot read the file as UTF-8 text")?;
    let (mut draft, _) = front_matter::parse(&text)?;
    if let Some(image) = draft.image.as_mut() {
        front_matter::import_image(image, file, &config.media_dir())?;
    }
    let post = Composer::new(store).compose(draft, Utc::now()).await?;
    save(store, std::slice::from_ref(&post)).await?;
    Ok(render::context::post_url(post.slug.as_str()))
}
