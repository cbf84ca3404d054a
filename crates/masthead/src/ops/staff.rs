//! Staff use cases. Every one is checked by `domain::staff::may` here, so the newsroom, the CLI
//! and the Admin API share the rule, and every change appends an audit entry in its own
//! transaction.
//!
//! - `accounts` — first-run setup, adding, inviting and accepting, passwords, roles,
//!   suspension, deletion with transfer of posts, ownership, profiles.
//! - `signin` — staff sign-in: password, an emailed code on a device not seen before, TOTP;
//!   sessions started, listed and ended.
//! - `totp` — authenticator-app codes turned on and off, and checked.

pub mod accounts;
pub mod signin;
pub mod totp;

use super::OpsError;
use crate::compose::new_id;
use chrono::{DateTime, Utc};
use domain::{Action, Role};
use serde_json::Value;
use store::staff::{AuditEntry, StaffUser};

pub use accounts::{NewOwner, set_password_url};
pub use signin::{Pending, StaffSignIn};

/// Who asks: a signed-in staff user, or someone at the server's command line (who could edit
/// the database anyway, and may do anything).
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    Console,
    Staff(&'a StaffUser),
}

impl<'a> Actor<'a> {
    fn id(self) -> Option<String> {
        match self {
            Actor::Console => None,
            Actor::Staff(s) => Some(s.id().to_owned()),
        }
    }

    fn name(self) -> &'a str {
        match self {
            Actor::Console => "The site's owner",
            Actor::Staff(s) => &s.author.name,
        }
    }

    /// Whether the actor may do `action`; `is_own` as `domain::staff::may` takes it.
    pub fn may(self, action: Action, is_own: bool) -> bool {
        match self {
            Actor::Console => !matches!(
                action,
                Action::Invite(Role::Owner) | Action::AssignRole(Role::Owner)
            ),
            Actor::Staff(s) => domain::staff::may(s.role, action, is_own),
        }
    }

    /// `may`, or a `Forbidden` saying what the role does not allow.
    pub fn require(self, action: Action, is_own: bool) -> Result<(), OpsError> {
        if self.may(action, is_own) {
            return Ok(());
        }
        let role = match self {
            Actor::Staff(s) => s.role.label(),
            Actor::Console => "The command line",
        };
        Err(OpsError::Forbidden(format!(
            "{role}s may not do that ({}).",
            describe(action)
        )))
    }
}

/// An action as a refusal names it.
fn describe(action: Action) -> String {
    match action {
        Action::Invite(r) => format!("invite {}s", r.label().to_lowercase()),
        Action::ManageStaff(r) => format!("manage {}s", r.label().to_lowercase()),
        Action::AssignRole(r) => format!("make someone {}", r.label().to_lowercase()),
        Action::TransferOwnership => "transfer ownership".into(),
        Action::Audit => "read the audit log".into(),
        Action::Dashboard => "read the dashboard".into(),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// An audit entry for `action` on `subject` by `actor` at `now`, with the changed fields.
#[allow(
    clippy::needless_pass_by_value,
    reason = "callers build the summaries with json! in the call"
)]
pub(crate) fn audit(
    actor: Actor<'_>,
    action: &str,
    subject: &str,
    before: Value,
    after: Value,
    now: DateTime<Utc>,
) -> AuditEntry {
    AuditEntry {
        id: new_id(),
        actor_id: actor.id(),
        action: action.to_owned(),
        subject: subject.to_owned(),
        before: before.to_string(),
        after: after.to_string(),
        at: now,
    }
}
