//! Billing through Stripe: verifying and parsing webhooks (`webhook`), applying an event to its
//! member's subscription (`apply`), and the small HTTP client that opens Checkout and Customer
//! Portal sessions (`stripe`). The rules for what an event does to a member's subscription live
//! in `domain::billing`.

pub mod apply;
pub mod stripe;
pub mod webhook;
