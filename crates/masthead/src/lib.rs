//! Masthead: the binary's library. Everything with I/O lives here: HTTP, configuration, the CLI
//! commands, demo content and seeding. `state::build` opens a site, `app` builds the router that
//! tests boot, and `serve` serves it as `masthead serve` does.
//!
//! Modules are layered, each naming only those below it (`tests/it/architecture.rs` checks it):
//! `cli` → `http` → `seed` → `demo` → `ops` → `state` → `jobs` → `indexer` → `cache` →
//! `webhooks` → `ghost` → `members`, `billing`, `compose`, `logo` → `config`, `settings`,
//! `telemetry`.

pub mod analytics;
pub mod billing;
pub mod cache;
pub mod cli;
pub mod compose;
pub mod config;
pub mod demo;
pub mod ghost;
pub mod http;
pub mod import;
pub mod indexer;
pub mod jobs;
pub mod logo;
pub mod media;
pub mod members;
pub mod ops;
pub mod seed;
pub mod settings;
pub mod state;
pub mod telemetry;
pub mod webhooks;

pub use http::app;
pub use http::serve::run as serve;
pub use state::AppState;
