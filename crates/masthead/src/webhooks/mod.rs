//! Webhooks: what Masthead sends to the URLs the Admin API registered. `sign.rs` builds
//! `X-Ghost-Signature`. Hooks and their delivery queue live in the store (`store::Webhook`,
//! `store::Delivery`); the Admin API registers them (`http/ghost/admin_webhooks.rs`).

pub mod sign;
