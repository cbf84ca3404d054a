//! `masthead settings list | get | set`.

use super::DbArgs;
use crate::config::Config;
use crate::ops::{self, Ops};
use crate::settings;
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
            for (setting, value) in settings::shown(&stored) {
                println!("{} = {value:?}\n    {}", setting.key, setting.about);
            }
            store.close().await;
        }
        SettingsCommand::Get { db, key } => {
            let setting = settings::find(&key).map_err(anyhow::Error::msg)?;
            let store = open_store(&Config::resolve(&db.overrides())?).await?;
            let stored = store.settings().await?;
            let value = settings::shown(&stored)
                .find(|(s, _)| s.key == setting.key)
                .map_or(setting.default, |(_, value)| value);
            println!("{value}");
            store.close().await;
        }
        SettingsCommand::Set { db, key, value } => {
            settings::find(&key).map_err(anyhow::Error::msg)?;
            let value = if value == "-" {
                std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?
            } else {
                value
            };
            let config = Config::resolve(&db.overrides())?;
            let store = open_store(&config).await?;
            let set =
                ops::settings::set(&Ops::detached(&store, &config.public_url), &key, &value).await;
            store.close().await;
            set?;
            println!("{key} is set.");
        }
    }
    Ok(())
}
