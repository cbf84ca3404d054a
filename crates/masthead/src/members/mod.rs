//! Members: sign-up and sign-in by magic link, one-time code or password; sessions; what a
//! member's subscription entitles them to; mail; abuse limits.

pub mod credentials;
pub mod crypto;
pub mod flows;
pub mod limits;
pub mod mail;
pub mod session;
