//! The subcommands, each a thin layer over the library.

use crate::cli::{
    Command, DbArgs, KeyCommand, MemberCommand, PostAddArgs, PostCommand, SearchCommand, SeedArgs,
    SettingsCommand,
};
use crate::compose::{Composer, save};
use crate::config::Config;
use crate::http::serve::run;
use crate::ops::{Ops, members};
use crate::state::{build as state, open_store};
use crate::webhooks::emit;
use crate::{demo, front_matter, seed};
use anyhow::{Context, Result};
use chrono::Utc;
use domain::{Email, Status};

pub async fn dispatch(command: Command) -> Result<()> {
    match command {
        Command::Serve(args) => run(state(Config::for_serve(&args)?).await?).await,
        Command::Demo(args) => {
            let config = Config::for_serve(&args)?;
            let state = state(config).await?;
            demo::install_if_empty(&state.store, &state.config.media_dir()).await?;
            let links = demo::member_links(&state.store, &state.config.public_url).await?;
            println!("Demo sign-in links (each works once, for 15 minutes):");
            for l in links {
                println!("  {:<18} {:<24} {}", l.who, l.email.as_str(), l.link);
            }
            run(state).await
        }
        Command::Seed(args) => seed_command(args).await,
        Command::Post(PostCommand::Add(args)) => post_add(args).await,
        Command::Post(cmd) => post_status(cmd).await,
        Command::Search(SearchCommand::Reindex(db)) => reindex(db).await,
        Command::Member(cmd) => member_command(cmd).await,
        Command::Author(cmd) => crate::author_commands::run(cmd).await,
        Command::Settings(cmd) => settings_command(cmd).await,
        Command::Key(cmd) => key_command(cmd).await,
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
    let ops = Ops::detached(store, &config.public_url);
    emit::post_changed(&ops.emitter(), None, Some(&post)).await;
    Ok(render::context::post_url(post.slug.as_str()))
}

/// `post publish | unpublish | delete SLUG`.
async fn post_status(cmd: PostCommand) -> Result<()> {
    let (db, slug) = match &cmd {
        PostCommand::Publish { db, slug, .. }
        | PostCommand::Unpublish { db, slug }
        | PostCommand::Delete { db, slug, .. } => (db.clone(), slug.clone()),
        PostCommand::Add(_) => unreachable!("handled by post_add"),
    };
    let slug = slug.as_str();
    let config = Config::for_db(&db)?;
    let store = open_store(&config).await?;
    let post = store.post_by_slug(slug).await?.with_context(|| {
        format!("no post or page has the slug {slug:?}; check the URL's last part")
    })?;
    let now = Utc::now();
    let message = match cmd {
        PostCommand::Publish { at, .. } => {
            let at = match at {
                Some(raw) => chrono::DateTime::parse_from_rfc3339(&raw)
                    .with_context(|| {
                        format!("--at {raw:?} is not a time like 2026-12-01T09:00:00Z")
                    })?
                    .with_timezone(&Utc),
                None => post.published_at.filter(|t| *t <= now).unwrap_or(now),
            };
            store
                .set_post_status(&post.id, Status::Published, Some(at), now)
                .await?;
            format!(
                "{slug}: published at {}{}",
                config.public_url,
                render::context::post_url(slug)
            )
        }
        PostCommand::Unpublish { .. } => {
            store
                .set_post_status(&post.id, Status::Draft, post.published_at, now)
                .await?;
            format!("{slug}: unpublished (now a draft)")
        }
        PostCommand::Delete { yes, .. } => {
            anyhow::ensure!(
                yes,
                "deleting {slug:?} cannot be undone; add --yes to confirm"
            );
            store.delete_post(&post.id).await?;
            format!("{slug}: deleted")
        }
        PostCommand::Add(_) => unreachable!("handled by post_add"),
    };
    let after = store.posts_by_ids(std::slice::from_ref(&post.id)).await?;
    emit::post_changed(
        &Ops::detached(&store, &config.public_url).emitter(),
        Some(&post),
        after.first(),
    )
    .await;
    store.close().await;
    println!("{message}");
    Ok(())
}

/// `search reindex`: rebuilds the index from the database with a progress bar.
async fn reindex(db: DbArgs) -> Result<()> {
    let config = Config::for_db(&db)?;
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
    let size = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum::<u64>()
        })
        .unwrap_or(0);
    println!(
        "Indexed {} published posts in {:.1} s ({:.1} MB in {}).",
        pass.indexed,
        started.elapsed().as_secs_f64(),
        size as f64 / 1e6,
        dir.display()
    );
    Ok(())
}

async fn member_command(cmd: MemberCommand) -> Result<()> {
    match cmd {
        MemberCommand::Add { db, email, name } => {
            let config = Config::for_db(&db)?;
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
            let config = Config::for_db(&db)?;
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
        MemberCommand::List { db } => {
            let store = open_store(&Config::for_db(&db)?).await?;
            println!(
                "{:<36}  {:<24}  {:<16}  {:<9}  renews/ends",
                "email", "name", "tier", "status"
            );
            for m in store.members(10_000, 0).await? {
                let sub = store.subscription(&m.id).await?;
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

async fn settings_command(cmd: SettingsCommand) -> Result<()> {
    match cmd {
        SettingsCommand::List { db } => {
            let store = open_store(&Config::for_db(&db)?).await?;
            let stored = store.settings().await?;
            for (key, about) in crate::settings::SETTING_KEYS {
                let value = stored
                    .get(*key)
                    .map(String::as_str)
                    .or_else(|| crate::settings::default_value(key))
                    .unwrap_or_default();
                println!("{key} = {value:?}\n    {about}");
            }
            store.close().await;
        }
        SettingsCommand::Get { db, key } => {
            known_setting(&key)?;
            let store = open_store(&Config::for_db(&db)?).await?;
            let stored = store.settings().await?;
            let value = stored
                .get(&key)
                .map(String::as_str)
                .or_else(|| crate::settings::default_value(&key));
            println!("{}", value.unwrap_or_default());
            store.close().await;
        }
        SettingsCommand::Set { db, key, value } => {
            known_setting(&key)?;
            let value = if value == "-" {
                std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?
            } else {
                value
            };
            let store = open_store(&Config::for_db(&db)?).await?;
            let checked = check_setting(&store, &key, value.trim()).await;
            if checked.is_ok() {
                store.set_setting(&key, value.trim_end()).await?;
            }
            store.close().await;
            checked?;
            println!("{key} is set.");
        }
    }
    Ok(())
}

fn known_setting(key: &str) -> Result<()> {
    if crate::settings::SETTING_KEYS.iter().any(|(k, _)| *k == key) {
        return Ok(());
    }
    let known: Vec<&str> = crate::settings::SETTING_KEYS
        .iter()
        .map(|(k, _)| *k)
        .collect();
    anyhow::bail!(
        "there is no setting {key:?}; settings are: {}",
        known.join(", ")
    )
}

/// Refuses a value that cannot work, saying what would: `default_author` must name an author.
async fn check_setting(store: &store::Store, key: &str, value: &str) -> Result<()> {
    if key == "default_author" && !value.is_empty() && store.author_by_slug(value).await?.is_none()
    {
        anyhow::bail!(
            "no author has the slug {value:?}; `masthead author list` shows them, `masthead author add` adds one"
        );
    }
    Ok(())
}

/// The last second of the day `date` (YYYY-MM-DD) names, for `--until`.
fn end_of_day(date: &str) -> Result<chrono::DateTime<Utc>> {
    chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map(|d| d.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc())
        .with_context(|| format!("--until {date:?} must be a date like 2027-01-31"))
}

/// `key create | list | revoke`.
async fn key_command(cmd: KeyCommand) -> Result<()> {
    let db = match &cmd {
        KeyCommand::Create { db, .. } | KeyCommand::List { db } | KeyCommand::Revoke { db, .. } => {
            db.clone()
        }
    };
    let store = open_store(&Config::for_db(&db)?).await?;
    let now = Utc::now();
    match cmd {
        KeyCommand::Create { content, admin, .. } => {
            let (name, is_admin) = match (content, admin) {
                (_, Some(name)) => (name, true),
                (Some(name), None) => (name, false),
                (None, None) => anyhow::bail!("pass --content NAME or --admin NAME"),
            };
            let made = crate::ghost::keys::create(&store, &name, is_admin, now).await?;
            println!("{}", made.secret);
            eprintln!(
                "Created {} key {} ({:?}). Keep it now: it is not shown again.",
                made.key.kind.as_str(),
                made.key.id,
                made.key.name
            );
        }
        KeyCommand::List { .. } => {
            for k in store.api_keys().await? {
                let revoked = k
                    .revoked_at
                    .map(|t| format!("revoked {}", t.format("%Y-%m-%d %H:%M")))
                    .unwrap_or_else(|| "active".into());
                println!(
                    "{}\t{}\t{}\t{}…\t{}\t{revoked}",
                    k.id,
                    k.kind.as_str(),
                    k.name,
                    k.hint,
                    k.created_at.format("%Y-%m-%d %H:%M")
                );
            }
        }
        KeyCommand::Revoke { id, .. } => {
            anyhow::ensure!(
                store.revoke_api_key(id.trim(), now).await?,
                "no active key has the id {id:?}; `masthead key list` shows the ids"
            );
            println!("Revoked key {}.", id.trim());
        }
    }
    store.close().await;
    Ok(())
}
