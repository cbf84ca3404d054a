//! `masthead settings list | get | set`.

use super::DbArgs;
use crate::config::Config;
use crate::settings::{SETTING_KEYS, default_value};
use crate::state::open_store;
use anyhow::{Context, Result};
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum SettingsCommand {
    /// List every setting, its value and what it does.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print one setting's value.
    Get {
        #[command(flatten)]
        db: DbArgs,
        key: String,
    },
    /// Set a setting ("-" as VALUE reads it from standard input, e.g. several robots.txt lines).
    Set {
        #[command(flatten)]
        db: DbArgs,
        key: String,
        value: String,
    },
}

/// `masthead settings list | get | set`.
pub async fn run(cmd: SettingsCommand) -> Result<()> {
    match cmd {
        SettingsCommand::List { db } => {
            let store = open_store(&Config::resolve(&db.overrides())?).await?;
            let stored = store.settings().await?;
            for (key, about) in SETTING_KEYS {
                let value = stored
                    .get(*key)
                    .map(String::as_str)
                    .or_else(|| default_value(key))
                    .unwrap_or_default();
                println!("{key} = {value:?}\n    {about}");
            }
            store.close().await;
        }
        SettingsCommand::Get { db, key } => {
            known_setting(&key)?;
            let store = open_store(&Config::resolve(&db.overrides())?).await?;
            let stored = store.settings().await?;
            let value = stored
                .get(&key)
                .map(String::as_str)
                .or_else(|| default_value(&key));
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
            let store = open_store(&Config::resolve(&db.overrides())?).await?;
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
    if SETTING_KEYS.iter().any(|(k, _)| *k == key) {
        return Ok(());
    }
    let known: Vec<&str> = SETTING_KEYS.iter().map(|(k, _)| *k).collect();
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
