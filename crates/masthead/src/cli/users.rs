//! `masthead user add | list`: staff accounts from the command line. `add` prints a one-time
//! link where the new staff user sets their password (the first owner of a new site too).

use super::DbArgs;
use crate::config::Config;
use crate::ops::Ops;
use crate::ops::staff::{Actor, accounts};
use crate::state::open_store;
use anyhow::Result;
use clap::Subcommand;
use domain::Role;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a staff user, e.g. `user add jane@example.com --role editor --name "Jane Doe"`;
    /// prints a one-time link where they set their password.
    Add {
        #[command(flatten)]
        db: DbArgs,
        /// Their email address (how they sign in).
        email: String,
        /// owner (only while the site has none), administrator, editor, author or contributor.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The name in bylines [default: the part of the address before the @].
        #[arg(long)]
        name: Option<String>,
    },
    /// List staff users: role, status, email and name.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).map_err(|e| e.0)
}

/// `masthead user add | list`.
pub async fn run(cmd: UserCommand) -> Result<()> {
    match cmd {
        UserCommand::Add {
            db,
            email,
            role,
            name,
        } => {
            let config = Config::resolve(&db.overrides())?;
            let store = open_store(&config).await?;
            let ops = Ops::detached(&store, &config.public_url);
            let result = accounts::add(&ops, Actor::Console, &email, role, name.as_deref()).await;
            store.close().await;
            let (_, token) = result?;
            println!(
                "{email} is a staff user ({role}). They set their password here (the link works once, for {} days):\n{}",
                accounts::PASSWORD_TOKEN_DAYS,
                accounts::set_password_url(&config.public_url, &token)
            );
        }
        UserCommand::List { db } => {
            let config = Config::resolve(&db.overrides())?;
            let store = open_store(&config).await?;
            let result = store.staff_users().await;
            store.close().await;
            for user in result? {
                println!(
                    "{:<13} {:<9} {:<32} {}",
                    user.role.as_str(),
                    user.status.as_str(),
                    user.email,
                    user.author.name
                );
            }
        }
    }
    Ok(())
}
