//! Use cases: every write and its side effects — webhook events, session-class invalidation —
//! in one place, whether a handler, a CLI command or the demo asks for it. HTTP-free and
//! print-free: callers pass what they parsed and get a typed `OpsError` to show as they must.
//!
//! - `analytics` — page views from the beacon, sign-up attribution, paid starts and ends;
//!   the dashboard's reads.
//! - `members` — add, edit, comp and delete members.
//! - `posts` — save, publish (or schedule), unpublish and delete posts and pages, with their
//!   webhook events queued in the write's transaction and the newsletter rule.
//! - `signin` — sign-up, sign-in and email change by link, code or password.
//! - `credentials` — a password set, an email changed: other sessions end, a notice goes out.
//! - `sessions` — starting, rotating and ending members' sessions.
//! - `billing` — a verified Stripe event applied, its webhook events queued with it.
//! - `gifts` — gift links made and revoked, metered reads counted.
//! - `tiers`, `offers` — tiers and offers for sale, kept in step with Stripe; redemptions.
//! - `tags`, `authors` — tags and authors added, changed and deleted.
//! - `webhooks` — webhooks registered, changed and removed.
//! - `keys` — API keys made and revoked.
//! - `jobs` — background jobs queued (waking this process's worker) and retried.
//! - `media` — uploaded images written to the media folder.
//! - `settings` — changing a site setting, checked against the settings table.
//! - `staff` — staff users: first-run setup, adding, inviting, roles, suspension, deletion,
//!   ownership, profiles, staff sign-in and sessions; each checked by `domain::staff::may` and
//!   recorded in the audit log.

pub mod analytics;
pub mod authors;
pub mod billing;
pub mod credentials;
pub mod gifts;
pub mod jobs;
pub mod keys;
pub mod media;
pub mod members;
pub mod members_console;
pub mod members_export;
pub mod navigation;
pub mod offers;
pub mod posts;
pub mod sessions;
pub mod settings;
pub mod signin;
pub mod staff;
pub mod tags;
pub mod tiers;
pub mod webhooks;

use crate::cache::PageCache;
use crate::jobs::JobSignal;
use crate::members::crypto::HashError;
use crate::members::mail::MailError;
use crate::state::AppState;
use crate::webhooks::Hooks;
use crate::webhooks::emit::Emitter;
use signin::{DAILY_LINKS, SignIn};
use store::{Store, StoreError};

/// What a use case may touch: the store, the site's public URL (for webhook bodies and links),
/// and this process's in-process effects — the webhook deliverer to wake and the page cache
/// whose remembered session classes to forget. A CLI command has neither (`detached`): its
/// events wait in the store's queue for a server's deliverer, and servers notice its changes to
/// access through the store's access clock.
#[derive(Clone, Copy)]
pub struct Ops<'a> {
    store: &'a Store,
    public_url: &'a str,
    hooks: Option<&'a Hooks>,
    cache: Option<&'a PageCache>,
    jobs: Option<&'a JobSignal>,
}

impl<'a> Ops<'a> {
    /// Use cases run outside a server (the CLI).
    pub fn detached(store: &'a Store, public_url: &'a str) -> Ops<'a> {
        Ops {
            store,
            public_url,
            hooks: None,
            cache: None,
            jobs: None,
        }
    }

    /// Fires webhook events, waking this process's deliverer if it has one. Writers that have
    /// no use case here yet (Stripe events) fire through it.
    pub fn emitter(&self) -> Emitter<'a> {
        Emitter {
            store: self.store,
            public_url: self.public_url,
            hooks: self.hooks,
        }
    }

    /// Forgets this process's remembered session classes after a change to what members may
    /// read (other processes follow the store's access clock).
    fn forget_sessions(&self) {
        if let Some(cache) = self.cache {
            cache.forget_sessions();
        }
    }
}

impl AppState {
    /// The use cases as this server runs them: waking its deliverer, forgetting its page
    /// cache's session classes.
    pub fn ops(&self) -> Ops<'_> {
        Ops {
            store: &self.store,
            public_url: &self.config.public_url,
            hooks: Some(&self.webhooks),
            cache: Some(&self.cache),
            jobs: Some(&self.jobs),
        }
    }

    /// The sign-in flows as this server runs them, with its mailer and abuse limits.
    pub fn sign_in(&self) -> SignIn<'_> {
        SignIn {
            ops: self.ops(),
            mailer: &self.mailer,
            limits: &self.limits,
        }
    }

    /// Staff sign-in as this server runs it, with its mailer and abuse limits.
    pub fn staff_sign_in(&self) -> staff::StaffSignIn<'_> {
        staff::StaffSignIn {
            ops: self.ops(),
            mailer: &self.mailer,
            limits: &self.limits,
        }
    }
}

/// Why a use case did not happen. The first six are the caller's to explain (their messages are
/// written for readers); the rest are failures to log and answer opaquely.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    /// Input the caller can correct; the message says how.
    #[error("{0}")]
    Invalid(String),
    /// What the use case is about does not exist ("Member").
    #[error("{0} not found.")]
    NotFound(&'static str),
    /// The change clashes with what is stored (an address another member has).
    #[error("{0}")]
    Conflict(String),
    #[error("Too many attempts. Please wait a few minutes and try again.")]
    RateLimited,
    /// The staff user's role does not allow it (`domain::staff::may`); the message says what.
    #[error("{0}")]
    Forbidden(String),
    #[error(
        "We have sent {DAILY_LINKS} sign-in emails to this address in the last 24 hours, the most we send in a day. Use the link or code in the newest one, or try again tomorrow."
    )]
    DailyCap,
    #[error(
        "That code was entered wrongly too many times and no longer works. Use the link in the email, or ask for a new code."
    )]
    CodeLocked,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error(transparent)]
    Password(#[from] HashError),
    /// A blocking task (password hashing) panicked or was cancelled.
    #[error(transparent)]
    Task(#[from] tokio::task::JoinError),
}

impl OpsError {
    /// Whether the message is for the reader (a mistake to correct, a limit to wait out) rather
    /// than a failure to log.
    pub fn is_for_reader(&self) -> bool {
        matches!(
            self,
            OpsError::Invalid(_)
                | OpsError::NotFound(_)
                | OpsError::Conflict(_)
                | OpsError::RateLimited
                | OpsError::Forbidden(_)
                | OpsError::DailyCap
                | OpsError::CodeLocked
        )
    }
}
