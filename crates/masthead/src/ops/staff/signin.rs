//! Staff sign-in: a password (argon2id; unknown addresses are checked against a dummy hash),
//! then, on a device the staff user has not verified before, a code mailed to them (as Ghost
//! does), and their TOTP code when they set one up. Limits count per client and per account;
//! codes take five guesses. Sessions are the staff's own (hashed ids, never a member's), listed
//! and revocable.

use crate::members::crypto::{hash, random_token, six_digit_code, verify_stored};
use crate::members::limits::Limits;
use crate::members::mail::{Mail, Mailer};
use crate::ops::{Ops, OpsError};
use chrono::{DateTime, Duration, Utc};
use store::staff::{DeviceCodeAttempt, NewStaffSession, StaffSession, StaffUser};

/// A staff session slides this many days from its last use…
pub const STAFF_SESSION_DAYS: i64 = 14;
/// …and ends this many days after sign-in however often it is used.
pub const STAFF_SESSION_MAX_DAYS: i64 = 60;
/// How long a device code works.
pub const DEVICE_CODE_MINUTES: i64 = 15;

/// Who is signing in from where: the limit key of the client, and the browser's description.
pub struct Client<'a> {
    pub ip: &'a str,
    pub user_agent: &'a str,
}

/// Where a sign-in stands after a step.
#[derive(Debug)]
pub enum Pending {
    /// Signed in: the new session's id (for the staff cookie).
    SignedIn { session: String },
    /// A code was mailed: the token that names this pending sign-in (for a short-lived cookie).
    NeedsDeviceCode { token: String },
    /// The staff user has TOTP on: the token of the pending sign-in that waits for their code.
    NeedsTotp { token: String },
}

/// Signing staff in: the use cases' handle, the mailer for device codes, the abuse limits.
pub struct StaffSignIn<'a> {
    pub ops: Ops<'a>,
    pub mailer: &'a Mailer,
    pub limits: &'a Limits,
}

fn wrong() -> OpsError {
    OpsError::Invalid("That email and password do not match a staff account.".into())
}

impl StaffSignIn<'_> {
    /// Checks an email and password. On a device this staff user verified (`device`, the
    /// device cookie's value) they are signed in; otherwise a code is mailed to them.
    pub async fn password(
        &self,
        email: &str,
        password: &str,
        device: Option<&str>,
        client: &Client<'_>,
    ) -> Result<Pending, OpsError> {
        let email = email.trim().to_lowercase();
        if !self
            .limits
            .allow_password(client.ip, &format!("staff:{email}"))
        {
            return Err(OpsError::RateLimited);
        }
        let store = self.ops.store;
        let user = store.staff_by_email(&email).await?;
        let phc = match &user {
            Some(u) => store.staff_secrets(u.id()).await?.password_hash,
            None => None,
        };
        let password = password.to_owned();
        // argon2 is deliberately slow: keep it off the async workers.
        let ok = tokio::task::spawn_blocking(move || verify_stored(&password, phc.as_deref()))
            .await
            .unwrap_or(false);
        let Some(user) = user.filter(|u| ok && u.is_active()) else {
            return Err(wrong());
        };
        let known = match device {
            Some(d) => store.is_known_device(user.id(), &hash(d)).await?,
            None => false,
        };
        if known {
            return self.second_step(&user, client).await;
        }
        let token = self.mail_code(&user).await?;
        Ok(Pending::NeedsDeviceCode { token })
    }

    /// After the password on a verified device: a TOTP challenge for staff who set one up,
    /// else the session.
    async fn second_step(
        &self,
        user: &StaffUser,
        client: &Client<'_>,
    ) -> Result<Pending, OpsError> {
        if !user.has_totp {
            let session = self.start(user, client).await?;
            return Ok(Pending::SignedIn { session });
        }
        let (token, now) = (random_token(), Utc::now());
        self.ops
            .store
            .create_totp_challenge(
                &hash(&token),
                user.id(),
                now,
                now + Duration::minutes(DEVICE_CODE_MINUTES),
            )
            .await?;
        Ok(Pending::NeedsTotp { token })
    }

    /// One guess at the TOTP code of the pending sign-in `token` (five per sign-in); right:
    /// signed in, returns the session id.
    pub async fn totp_code(
        &self,
        token: &str,
        code: &str,
        client: &Client<'_>,
    ) -> Result<String, OpsError> {
        if !self
            .limits
            .allow_password(client.ip, &format!("staff-totp:{token}"))
        {
            return Err(OpsError::RateLimited);
        }
        let store = self.ops.store;
        let now = Utc::now();
        let Some(author_id) = store.record_totp_attempt(&hash(token), now).await? else {
            return Err(OpsError::CodeLocked);
        };
        let Some(secret) = store.staff_secrets(&author_id).await?.totp_secret else {
            return Err(wrong());
        };
        super::totp::redeem(store, &author_id, &secret, code).await?;
        let Some(user) = store
            .staff_by_id(&author_id)
            .await?
            .filter(StaffUser::is_active)
        else {
            return Err(wrong());
        };
        if !store.take_totp_challenge(&hash(token), now).await? {
            return Err(OpsError::CodeLocked);
        }
        self.start(&user, client).await
    }

    /// Mails a fresh device code to `user`; returns the pending sign-in's token.
    async fn mail_code(&self, user: &StaffUser) -> Result<String, OpsError> {
        let (token, code, now) = (random_token(), six_digit_code(), Utc::now());
        self.ops
            .store
            .create_device_code(
                &hash(&token),
                &hash(&code),
                user.id(),
                now,
                now + Duration::minutes(DEVICE_CODE_MINUTES),
            )
            .await?;
        let site = crate::settings::SiteSettings::load(self.ops.store)
            .await?
            .title;
        let body = render::email::staff_device_code(&site, &code);
        self.mailer
            .send(Mail {
                from_name: site,
                to: user.email.clone(),
                subject: body.subject,
                text: body.text,
                html: body.html,
            })
            .await?;
        Ok(token)
    }

    /// One guess at the mailed code of the pending sign-in `token`. Right: the device is
    /// remembered under a new device token and the sign-in goes on (signed in, or a TOTP
    /// challenge); returns that and the device token (for the device cookie).
    pub async fn device_code(
        &self,
        token: &str,
        code: &str,
        client: &Client<'_>,
    ) -> Result<(Pending, String), OpsError> {
        if !self
            .limits
            .allow_password(client.ip, &format!("staff-code:{token}"))
        {
            return Err(OpsError::RateLimited);
        }
        let store = self.ops.store;
        let now = Utc::now();
        let author_id = match store
            .take_device_code(&hash(token), &hash(code.trim()), now)
            .await?
        {
            DeviceCodeAttempt::Taken(id) => id,
            DeviceCodeAttempt::Wrong => {
                return Err(OpsError::Invalid(
                    "That code is not right. Check the email and try again.".into(),
                ));
            }
            DeviceCodeAttempt::Locked => return Err(OpsError::CodeLocked),
            DeviceCodeAttempt::NoLiveCode => {
                return Err(OpsError::Invalid(
                    "That code has expired. Sign in again to get a new one.".into(),
                ));
            }
        };
        let Some(user) = store
            .staff_by_id(&author_id)
            .await?
            .filter(StaffUser::is_active)
        else {
            return Err(wrong());
        };
        let device = self.new_device(&user).await?;
        let next = self.second_step(&user, client).await?;
        Ok((next, device))
    }

    /// Remembers this browser as a verified device of `user`; returns its device token.
    pub async fn new_device(&self, user: &StaffUser) -> Result<String, OpsError> {
        let device = random_token();
        self.ops
            .store
            .record_device(user.id(), &hash(&device), Utc::now())
            .await?;
        Ok(device)
    }

    /// Starts a session for `user` (after setup, an accepted invitation or a full sign-in).
    pub async fn start(&self, user: &StaffUser, client: &Client<'_>) -> Result<String, OpsError> {
        start(&self.ops, user, client).await
    }
}

/// Starts a staff session; returns its id.
pub async fn start(
    ops: &Ops<'_>,
    user: &StaffUser,
    client: &Client<'_>,
) -> Result<String, OpsError> {
    let id = random_token();
    let now = Utc::now();
    let ua: String = client.user_agent.chars().take(200).collect();
    ops.store
        .create_staff_session(&NewStaffSession {
            id_hash: &hash(&id),
            author_id: user.id(),
            user_agent: &ua,
            client: client.ip,
            now,
            expires: now + Duration::days(STAFF_SESSION_DAYS),
        })
        .await?;
    tracing::info!(staff.id = %user.id(), "staff signed in");
    Ok(id)
}

/// The active staff user of the session whose id is `session_id`, sliding its expiry (and its
/// last-seen time) forward at most once a minute.
pub async fn current(
    ops: &Ops<'_>,
    session_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<(StaffUser, StaffSession)>, OpsError> {
    let id_hash = hash(session_id);
    let found = ops
        .store
        .staff_session(&id_hash, now, now - Duration::days(STAFF_SESSION_MAX_DAYS))
        .await?;
    if let Some((_, session)) = &found
        && now - session.last_seen() > Duration::minutes(1)
    {
        ops.store
            .extend_staff_session(&id_hash, now, now + Duration::days(STAFF_SESSION_DAYS))
            .await?;
    }
    Ok(found)
}

/// Ends one of `user`'s sessions, named by its hash (the sessions page lists them so).
pub async fn end(ops: &Ops<'_>, user: &StaffUser, id_hash: &str) -> Result<(), OpsError> {
    if !ops.store.delete_staff_session(user.id(), id_hash).await? {
        return Err(OpsError::NotFound("Session"));
    }
    Ok(())
}
