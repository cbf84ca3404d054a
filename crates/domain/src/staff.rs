//! Staff roles and what each may do: Ghost's permission matrix as one pure function, `may`,
//! which `ops` asks before every staff write so the newsroom, the CLI and the Admin API share
//! the rule.

use crate::InvalidInput;
use std::fmt;

/// A staff user's role, from least to most trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Writes drafts of their own; cannot publish.
    Contributor,
    /// Writes and publishes their own posts.
    Author,
    /// Every post and tag; invites and manages authors and contributors.
    Editor,
    /// Everything: settings, members, tiers, staff (but the owner).
    Administrator,
    /// One per site: an administrator who can also hand the site over.
    Owner,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Contributor,
        Role::Author,
        Role::Editor,
        Role::Administrator,
        Role::Owner,
    ];

    /// The stored and typed name (`contributor` … `owner`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Contributor => "contributor",
            Role::Author => "author",
            Role::Editor => "editor",
            Role::Administrator => "administrator",
            Role::Owner => "owner",
        }
    }

    /// The name shown to people ("Administrator").
    pub fn label(self) -> &'static str {
        match self {
            Role::Contributor => "Contributor",
            Role::Author => "Author",
            Role::Editor => "Editor",
            Role::Administrator => "Administrator",
            Role::Owner => "Owner",
        }
    }

    /// Reads a role by name, whatever its case (Ghost's names, `admin` for administrator).
    pub fn parse(name: &str) -> Result<Role, InvalidInput> {
        let name = name.trim().to_ascii_lowercase();
        if name == "admin" {
            return Ok(Role::Administrator);
        }
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == name)
            .ok_or_else(|| {
                InvalidInput(format!(
                    "Unknown role {name:?}: use owner, administrator, editor, author or contributor."
                ))
            })
    }

    /// Whether this role manages the site's staff, settings, members and tiers.
    fn is_admin(self) -> bool {
        self >= Role::Administrator
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something a staff user may try. Post actions are decided with `is_own` (the actor is one of
/// the post's authors); staff actions name the role of the staff user they act on, with
/// `is_own` when that user is the actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Open the newsroom and read posts, tags and the staff list.
    Browse,
    /// Start a draft, or change or delete a post that is not published.
    EditDraft,
    /// Change a published or scheduled post.
    EditPublished,
    /// Publish, schedule or unpublish a post.
    Publish,
    /// Delete a published post.
    DeletePublished,
    /// Add, change and delete tags and sections.
    ManageTags,
    /// Upload images to the media library.
    UploadMedia,
    /// Invite someone to join with this role.
    Invite(Role),
    /// Suspend, restore, delete or change the role of a staff user holding this role.
    ManageStaff(Role),
    /// Give a staff user this role.
    AssignRole(Role),
    /// Change one's own name, bio, photo, password and sessions.
    EditProfile,
    /// Site settings, navigation, API keys and webhooks.
    Settings,
    /// Members and their comps.
    Members,
    /// Tiers and offers.
    Tiers,
    /// Read the audit log.
    Audit,
    /// Read the dashboard: traffic, members, revenue and each post's funnel.
    Dashboard,
    /// Hand the site's ownership to an administrator.
    TransferOwnership,
}

/// Whether a staff user with `role` may do `action`; `is_own` says whether the post (or the
/// staff user) acted on is the actor's own. Ghost's matrix: contributors write their own
/// drafts; authors also publish their own posts; editors handle every post and tag and manage
/// authors and contributors; administrators everything but the owner; the owner alone hands
/// the site over. Nobody suspends, deletes or re-roles themselves (that would lock the site
/// out of its last administrator), and nobody is made owner except by a transfer.
pub fn may(role: Role, action: Action, is_own: bool) -> bool {
    use Action as A;
    use Role as R;
    match action {
        A::Browse | A::UploadMedia | A::EditProfile => true,
        A::EditDraft => is_own || role >= R::Editor,
        A::EditPublished | A::Publish | A::DeletePublished => {
            (is_own && role >= R::Author) || role >= R::Editor
        }
        A::ManageTags => role >= R::Editor,
        A::Invite(target) | A::AssignRole(target) => may_manage(role, target),
        A::ManageStaff(target) => !is_own && may_manage(role, target),
        A::Settings | A::Members | A::Tiers | A::Audit | A::Dashboard => role.is_admin(),
        A::TransferOwnership => role == R::Owner,
    }
}

/// Whether `role` may invite, manage or hand out `target`: editors below themselves,
/// administrators anyone but the owner; nobody the owner's role.
fn may_manage(role: Role, target: Role) -> bool {
    match role {
        Role::Editor => target <= Role::Author,
        Role::Administrator | Role::Owner => target < Role::Owner,
        Role::Contributor | Role::Author => false,
    }
}

/// Whether a staff account may sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffStatus {
    Active,
    /// Kept with its posts and bylines, but cannot sign in.
    Suspended,
}

impl StaffStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffStatus::Active => "active",
            StaffStatus::Suspended => "suspended",
        }
    }

    pub fn parse(s: &str) -> Result<StaffStatus, InvalidInput> {
        match s {
            "active" => Ok(StaffStatus::Active),
            "suspended" => Ok(StaffStatus::Suspended),
            other => Err(InvalidInput(format!("unknown staff status {other:?}"))),
        }
    }
}

#[cfg(test)]
mod tests;
