//! Webhooks: what Masthead sends to the URLs the Admin API registered
//! (`http/ghost/admin_webhooks.rs`). Writers fire events (`emit.rs`), which queue one delivery
//! per hook in the store (`store::Delivery`); the deliverer (`deliver.rs`) sends them, signed
//! (`sign.rs`), and retries, never to the server's own networks unless allowed (`guard.rs`).
//! Bodies are built in `payload.rs` from what an anonymous reader may see.

pub mod deliver;
pub mod emit;
pub mod guard;
pub mod payload;
pub mod sign;

pub use deliver::{Deliverer, DeliverySettings};
pub use emit::Hooks;
