//! Staff accounts: the owner's first-run setup, adding and inviting staff, accepting an
//! invitation, passwords by one-time token, roles, suspension, deletion with transfer of posts,
//! ownership and profiles. Each is checked by the actor's role and audited.

use super::{Actor, audit};
use crate::compose::new_id;
use crate::members::crypto::{hash, hash_password, random_token};
use crate::members::mail::{Mail, Mailer};
use crate::ops::credentials::{MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS};
use crate::ops::{Ops, OpsError};
use chrono::{Duration, Utc};
use domain::{Action, Author, Email, Role, Slug, StaffStatus};
use serde_json::json;
use store::StoreError;
use store::staff::{Invitation, NewStaff, Profile, StaffUser};

/// How long an invitation stays open.
pub const INVITATION_DAYS: i64 = 7;
/// How long a set-password link printed by `masthead user add` works.
pub const PASSWORD_TOKEN_DAYS: i64 = 7;

/// What the first-run setup asks for.
pub struct NewOwner<'a> {
    pub site_title: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
}

/// The site's first owner, with the site's title. Only while the site has no owner: two
/// setups racing end with one owner (the store allows one) and a `Conflict` for the other.
pub async fn setup(ops: &Ops<'_>, owner: &NewOwner<'_>) -> Result<String, OpsError> {
    if ops.store.staff_owner().await?.is_some() {
        return Err(OpsError::Conflict("This site already has an owner.".into()));
    }
    let title = owner.site_title.trim();
    if title.is_empty() {
        return Err(OpsError::Invalid("Give the site a title.".into()));
    }
    let email = parse_email(owner.email)?;
    let phc = password_hash(owner.password).await?;
    let new = new_staff(owner.name, &email, Role::Owner, Some(phc))?;
    let now = Utc::now();
    let entry = audit(
        Actor::Console,
        "staff.setup",
        &new.author.id,
        json!({}),
        json!({"email": email.as_str(), "role": "owner", "site_title": title}),
        now,
    );
    let id = taken(ops.store.create_staff(&new, &entry, now).await)?;
    // Written here rather than through `ops::settings`, which audits as a staff user and so
    // sits above `staff`; the title is checked by the same settings table.
    let title = title.trim();
    crate::settings::find("title")
        .and_then(|s| s.check(title))
        .map_err(OpsError::Invalid)?;
    ops.store.set_setting("title", title).await?;
    tracing::info!(staff.id = %id, "site owner set up");
    Ok(id)
}

/// Adds a staff user with no password yet and returns a one-time set-password token (see
/// `set_password_url`). The console may add the owner while the site has none.
pub async fn add(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    email: &str,
    role: Role,
    name: Option<&str>,
) -> Result<(String, String), OpsError> {
    let first_owner = matches!(actor, Actor::Console)
        && role == Role::Owner
        && ops.store.staff_owner().await?.is_none();
    if !first_owner {
        actor.require(Action::Invite(role), false)?;
    }
    let email = parse_email(email)?;
    let name = name.map_or_else(
        || {
            email
                .as_str()
                .split('@')
                .next()
                .unwrap_or_default()
                .to_owned()
        },
        str::to_owned,
    );
    let new = new_staff(&name, &email, role, None)?;
    let now = Utc::now();
    let entry = audit(
        actor,
        "staff.added",
        &new.author.id,
        json!({}),
        json!({"email": email.as_str(), "role": role.as_str()}),
        now,
    );
    let id = taken(ops.store.create_staff(&new, &entry, now).await)?;
    let token = random_token();
    ops.store
        .create_password_token(
            &hash(&token),
            &id,
            now,
            now + Duration::days(PASSWORD_TOKEN_DAYS),
        )
        .await?;
    Ok((id, token))
}

/// The page where a set-password token is used.
pub fn set_password_url(public_url: &str, token: &str) -> String {
    format!(
        "{}/admin/password/{token}/",
        public_url.trim_end_matches('/')
    )
}

/// The page where an invitation is accepted.
pub fn invitation_url(public_url: &str, token: &str) -> String {
    format!(
        "{}/admin/invitation/{token}/",
        public_url.trim_end_matches('/')
    )
}

/// Invites `email` to join as `role`: mails a link that works once for seven days. An editor
/// may invite authors and contributors; administrators anyone but an owner.
pub async fn invite(
    ops: &Ops<'_>,
    mailer: &Mailer,
    actor: Actor<'_>,
    email: &str,
    role: Role,
) -> Result<(), OpsError> {
    actor.require(Action::Invite(role), false)?;
    let email = parse_email(email)?;
    if ops.store.staff_by_email(email.as_str()).await?.is_some() {
        return Err(OpsError::Conflict(
            "A staff user with that email already exists.".into(),
        ));
    }
    let (token, now) = (random_token(), Utc::now());
    let invitation = Invitation {
        email: email.as_str().to_owned(),
        role,
        inviter_id: actor.id(),
        created_at: now,
        expires_at: now + Duration::days(INVITATION_DAYS),
    };
    let entry = audit(
        actor,
        "staff.invited",
        email.as_str(),
        json!({}),
        json!({"email": email.as_str(), "role": role.as_str()}),
        now,
    );
    ops.store
        .create_invitation(&hash(&token), &invitation, &entry)
        .await?;
    let site = crate::settings::SiteSettings::load(ops.store).await?.title;
    let body = render::email::staff_invitation(
        &site,
        actor.name(),
        role.label(),
        &invitation_url(ops.public_url, &token),
    );
    mailer
        .send(Mail {
            from_name: site,
            to: email.as_str().to_owned(),
            subject: body.subject,
            text: body.text,
            html: body.html,
        })
        .await?;
    Ok(())
}

/// The live invitation a token opens, for the acceptance page.
pub async fn invitation(ops: &Ops<'_>, token: &str) -> Result<Invitation, OpsError> {
    ops.store
        .invitation(&hash(token), Utc::now())
        .await?
        .ok_or(OpsError::NotFound("Invitation"))
}

/// Accepts an invitation: adds the staff user with the invitation's email and role, the name
/// and password given. Returns their id (the caller signs them in).
pub async fn accept(
    ops: &Ops<'_>,
    token: &str,
    name: &str,
    password: &str,
) -> Result<String, OpsError> {
    let invitation = invitation(ops, token).await?;
    let email = parse_email(&invitation.email)?;
    let phc = password_hash(password).await?;
    let new = new_staff(name, &email, invitation.role, Some(phc))?;
    let now = Utc::now();
    let entry = audit(
        Actor::Console,
        "staff.joined",
        &new.author.id,
        json!({}),
        json!({"email": email.as_str(), "role": invitation.role.as_str()}),
        now,
    );
    let entry = store::staff::AuditEntry {
        actor_id: Some(new.author.id.clone()),
        ..entry
    };
    taken(
        ops.store
            .take_invitation(&hash(token), &new, &entry, now)
            .await,
    )?
    .ok_or(OpsError::NotFound("Invitation"))
}

/// Sets a password with a one-time token; returns the staff user's id.
pub async fn set_password_by_token(
    ops: &Ops<'_>,
    token: &str,
    password: &str,
) -> Result<String, OpsError> {
    let now = Utc::now();
    let Some(id) = ops.store.password_token_owner(&hash(token), now).await? else {
        return Err(OpsError::NotFound("Link"));
    };
    let phc = password_hash(password).await?;
    let entry = audit(
        Actor::Console,
        "staff.password_set",
        &id,
        json!({}),
        json!({}),
        now,
    );
    let entry = store::staff::AuditEntry {
        actor_id: Some(id),
        ..entry
    };
    ops.store
        .take_password_token(&hash(token), &phc, &entry, now)
        .await?
        .ok_or(OpsError::NotFound("Link"))
}

/// The staff user `id`, as an actor acts on them.
async fn target(ops: &Ops<'_>, id: &str) -> Result<StaffUser, OpsError> {
    ops.store
        .staff_by_id(id)
        .await?
        .ok_or(OpsError::NotFound("Staff user"))
}

fn is_self(actor: Actor<'_>, target: &StaffUser) -> bool {
    matches!(actor, Actor::Staff(s) if s.id() == target.id())
}

/// Suspends or restores a staff user (never the owner, never oneself).
pub async fn set_status(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    id: &str,
    status: StaffStatus,
) -> Result<(), OpsError> {
    let user = target(ops, id).await?;
    actor.require(Action::ManageStaff(user.role), is_self(actor, &user))?;
    let action = match status {
        StaffStatus::Suspended => "staff.suspended",
        StaffStatus::Active => "staff.restored",
    };
    let entry = audit(
        actor,
        action,
        id,
        json!({"status": user.status.as_str()}),
        json!({"status": status.as_str()}),
        Utc::now(),
    );
    ops.store.set_staff_status(id, status, &entry).await?;
    Ok(())
}

/// Changes a staff user's role: the actor must manage their current role and may hand out
/// the new one.
pub async fn change_role(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    id: &str,
    role: Role,
) -> Result<(), OpsError> {
    let user = target(ops, id).await?;
    actor.require(Action::ManageStaff(user.role), is_self(actor, &user))?;
    actor.require(Action::AssignRole(role), false)?;
    let entry = audit(
        actor,
        "staff.role_changed",
        id,
        json!({"role": user.role.as_str()}),
        json!({"role": role.as_str()}),
        Utc::now(),
    );
    ops.store.set_staff_role(id, role, &entry).await?;
    Ok(())
}

/// Deletes a staff user, giving their posts to `heir` (another staff user).
pub async fn delete(ops: &Ops<'_>, actor: Actor<'_>, id: &str, heir: &str) -> Result<(), OpsError> {
    let user = target(ops, id).await?;
    actor.require(Action::ManageStaff(user.role), is_self(actor, &user))?;
    let heir_user = target(ops, heir).await?;
    if heir_user.id() == user.id() {
        return Err(OpsError::Invalid(
            "Choose someone else to receive their posts.".into(),
        ));
    }
    let now = Utc::now();
    let entry = audit(
        actor,
        "staff.deleted",
        id,
        json!({"name": user.author.name, "email": user.email, "role": user.role.as_str()}),
        json!({"posts_to": heir}),
        now,
    );
    if !ops.store.delete_staff(id, heir, &entry, now).await? {
        return Err(OpsError::NotFound("Staff user"));
    }
    Ok(())
}

/// Hands the site to an administrator; the owner becomes an administrator.
pub async fn transfer_ownership(ops: &Ops<'_>, actor: Actor<'_>, to: &str) -> Result<(), OpsError> {
    actor.require(Action::TransferOwnership, false)?;
    let heir = target(ops, to).await?;
    if heir.role != Role::Administrator || !heir.is_active() {
        return Err(OpsError::Invalid(
            "Ownership goes to an active administrator.".into(),
        ));
    }
    let Some(owner) = ops.store.staff_owner().await? else {
        return Err(OpsError::NotFound("Owner"));
    };
    let entry = audit(
        actor,
        "staff.ownership_transferred",
        to,
        json!({"owner": owner.id()}),
        json!({"owner": to}),
        Utc::now(),
    );
    if !ops.store.update_owner(owner.id(), to, &entry).await? {
        return Err(OpsError::Conflict("Ownership changed meanwhile.".into()));
    }
    Ok(())
}

/// Saves the actor's own profile. A slug another author has is a `Conflict`.
pub async fn update_profile(
    ops: &Ops<'_>,
    me: &StaffUser,
    profile: &Profile,
) -> Result<(), OpsError> {
    if profile.name.trim().is_empty() {
        return Err(OpsError::Invalid("Enter a name.".into()));
    }
    for url in profile
        .avatar
        .iter()
        .chain(&profile.website)
        .chain(profile.social.values())
    {
        if !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/')) {
            return Err(OpsError::Invalid(format!("{url:?} is not a web address.")));
        }
    }
    let now = Utc::now();
    let a = &me.author;
    let entry = audit(
        Actor::Staff(me),
        "staff.profile_changed",
        me.id(),
        json!({"name": a.name, "slug": a.slug.as_str(), "bio": a.bio, "credentials": a.credentials}),
        json!({"name": profile.name, "slug": profile.slug.as_str(), "bio": profile.bio, "credentials": profile.credentials}),
        now,
    );
    taken(
        ops.store
            .update_staff_profile(me.id(), profile, &entry, now)
            .await,
    )?;
    Ok(())
}

fn parse_email(email: &str) -> Result<Email, OpsError> {
    Email::parse(email)
        .map_err(|e| OpsError::Invalid(format!("{e}. Check the address and try again.")))
}

/// An argon2id hash of an acceptable password (hashed off the async workers).
pub(super) async fn password_hash(password: &str) -> Result<String, OpsError> {
    if password.chars().count() < MIN_PASSWORD_CHARS || password.len() > MAX_PASSWORD_BYTES {
        return Err(OpsError::Invalid(format!(
            "Choose a password of at least {MIN_PASSWORD_CHARS} characters."
        )));
    }
    let password = password.to_owned();
    Ok(tokio::task::spawn_blocking(move || hash_password(&password)).await??)
}

fn new_staff(
    name: &str,
    email: &Email,
    role: Role,
    password_hash: Option<String>,
) -> Result<NewStaff, OpsError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(OpsError::Invalid("Enter a name.".into()));
    }
    Ok(NewStaff {
        author: Author {
            id: new_id(),
            slug: Slug::from_text(name),
            name: name.chars().take(120).collect(),
            bio: String::new(),
            credentials: String::new(),
            avatar: None,
            website: None,
        },
        email: email.as_str().to_owned(),
        role,
        password_hash,
    })
}

/// A store clash as the caller should read it.
fn taken<T>(result: Result<T, StoreError>) -> Result<T, OpsError> {
    result.map_err(|e| match e {
        StoreError::Conflict(_) => OpsError::Conflict(
            "That email, name or owner is taken: a staff user with it already exists.".into(),
        ),
        other => OpsError::Store(other),
    })
}
