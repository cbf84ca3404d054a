//! Billing through Stripe: verifying and parsing webhooks (`webhook`), applying an event to its
//! member's subscription (`apply`), and the small HTTP client that opens Checkout and Customer
//! Portal sessions (`stripe`; the console's Products, Prices and Coupons in `stripe::catalog`),
//! and the offer an event names (`offer_meta`). The rules for what an event does to a member's subscription live
//! in `domain::billing`.

pub mod apply;
pub mod offer_meta;
pub mod stripe;
pub mod webhook;
