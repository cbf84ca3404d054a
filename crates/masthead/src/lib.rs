//! Masthead: the binary's library. Everything with I/O lives here: HTTP, configuration, the CLI
//! commands, demo content and seeding. `app` builds the router that `main` serves and tests boot.

pub mod billing;
pub mod cache;
pub mod cli;
pub mod compose;
pub mod config;
pub mod demo;
pub mod front_matter;
pub mod ghost;
pub mod http;
pub mod indexer;
pub mod logo;
pub mod members;
pub mod ops;
pub mod seed;
pub mod settings;
pub mod state;
pub mod telemetry;
pub mod webhooks;

pub use http::app;
pub use state::AppState;
