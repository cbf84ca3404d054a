//! Sign-up, sign-in and email change by magic link or code; sign-in by password.
//!
//! Requests get the same answer whether or not an address has an account: a sign-in request
//! for an unknown address sends a sign-up link instead.

use super::{Ops, OpsError, credentials};
use crate::members::crypto::{hash, random_token, six_digit_code, verify_stored};
use crate::members::limits::Limits;
use crate::members::mail::{Mail, Mailer};
use crate::members::redirect::safe_redirect;
use crate::webhooks::emit;
use chrono::{Duration, Utc};
use domain::{Email, Member};
use render::email::{LinkPurpose, magic_link};
use store::{CodeAttempt, LoginToken, StoreError};

/// How long a link and its code stay valid.
pub const LINK_MINUTES: i64 = 15;
/// Links (each with its code) sent to one address in 24 hours. With five guesses per code this
/// bounds guessing at one account to 50 codes a day, whatever the number of clients.
pub const DAILY_LINKS: u32 = 10;

pub enum LinkRequest {
    SignUp { name: String, tier: String },
    SignIn,
    EmailChange { member_id: String },
}

/// What a redeemed link or code signs in, and where to go next.
pub struct Redeemed {
    pub member: Member,
    pub redirect: String,
}

/// What signing in needs besides the use cases' handle: the mailer for links and notices, and
/// the abuse limits.
pub struct SignIn<'a> {
    pub ops: Ops<'a>,
    pub mailer: &'a Mailer,
    pub limits: &'a Limits,
}

impl SignIn<'_> {
    /// Whether a new member may join on `tier`: always for a paid tier (checkout follows),
    /// for a free one only while the `members_signup_access` setting is "all".
    async fn may_sign_up(&self, tier: &str) -> Result<bool, OpsError> {
        let settings = crate::settings::SiteSettings::load(self.ops.store).await?;
        if settings.members_signup_access != "invite" {
            return Ok(true);
        }
        let tiers = self.ops.store.signup_tiers().await?;
        Ok(tiers
            .iter()
            .any(|e| e.tier.slug.as_str() == tier && e.tier.is_paid()))
    }

    /// Emails a single-use link and code to `email` for `request`.
    pub async fn request_link(
        &self,
        email: &str,
        request: LinkRequest,
        redirect: &str,
        ip: &str,
    ) -> Result<Email, OpsError> {
        let email = Email::parse(email)
            .map_err(|e| OpsError::Invalid(format!("{e}. Check the address and try again.")))?;
        if !self.limits.allow_link(ip, email.as_str()) {
            return Err(OpsError::RateLimited);
        }
        let existing = self.ops.store.member_by_email(&email).await?;
        let (purpose, member_id, name, tier) = match request {
            LinkRequest::SignIn if existing.is_some() => {
                (LinkPurpose::SignIn, None, String::new(), String::new())
            }
            LinkRequest::SignIn => (LinkPurpose::SignUp, None, String::new(), String::new()),
            LinkRequest::SignUp { name, tier } if existing.is_none() => {
                (LinkPurpose::SignUp, None, name, tier)
            }
            LinkRequest::SignUp { tier, .. } => (LinkPurpose::SignIn, None, String::new(), tier),
            LinkRequest::EmailChange { .. } if existing.is_some() => {
                return Err(address_taken());
            }
            LinkRequest::EmailChange { member_id } => (
                LinkPurpose::EmailChange,
                Some(member_id),
                String::new(),
                String::new(),
            ),
        };
        if purpose == LinkPurpose::SignUp && !self.may_sign_up(&tier).await? {
            return Err(OpsError::Forbidden(
                "This publication takes new free members by invitation only. Choose a paid plan to subscribe, or ask the editors for an invitation.".into(),
            ));
        }
        let (token, code, now) = (random_token(), six_digit_code(), Utc::now());
        let stored = self
            .ops
            .store
            .create_login_token_capped(
                &LoginToken {
                    token_hash: hash(&token),
                    code_hash: hash(&code),
                    email: email.as_str().to_owned(),
                    purpose: purpose_name(purpose).into(),
                    member_id,
                    name: name.chars().take(120).collect(),
                    tier,
                    redirect: safe_redirect(redirect).to_owned(),
                    attempts: 0,
                    created_at: now.timestamp_micros(),
                    expires_at: (now + Duration::minutes(LINK_MINUTES)).timestamp_micros(),
                    used_at: None,
                },
                now - Duration::hours(24),
                DAILY_LINKS,
            )
            .await?;
        if !stored {
            return Err(OpsError::DailyCap);
        }
        let link = verify_url(self.ops.public_url, &token);
        let site = crate::settings::SiteSettings::load(self.ops.store)
            .await?
            .title;
        let body = magic_link(&site, purpose, &link, &code);
        self.mailer
            .send(Mail {
                from_name: site,
                to: email.as_str().to_owned(),
                subject: body.subject,
                text: body.text,
                html: body.html,
            })
            .await?;
        Ok(email)
    }

    /// Redeems an emailed link's token.
    pub async fn redeem_token(&self, token: &str) -> Result<Option<Redeemed>, OpsError> {
        match self
            .ops
            .store
            .take_login_token(&hash(token.trim()), Utc::now())
            .await?
        {
            Some(t) => self.complete(t).await,
            None => Ok(None),
        }
    }

    /// Redeems the code sent with a link to `email`.
    pub async fn redeem_code(
        &self,
        email: &str,
        code: &str,
        ip: &str,
    ) -> Result<Option<Redeemed>, OpsError> {
        let Ok(email) = Email::parse(email) else {
            return Ok(None);
        };
        if !self.limits.allow_password(ip, email.as_str()) {
            return Err(OpsError::RateLimited);
        }
        let attempt = self
            .ops
            .store
            .take_login_code(email.as_str(), &hash(code.trim()), Utc::now())
            .await?;
        match attempt {
            CodeAttempt::Taken(t) => self.complete(t).await,
            CodeAttempt::Locked => Err(OpsError::CodeLocked),
            CodeAttempt::Wrong | CodeAttempt::NoLiveCode => Ok(None),
        }
    }

    /// Checks a password; the same `None` for an unknown address and a wrong password.
    pub async fn password(
        &self,
        email: &str,
        password: &str,
        ip: &str,
    ) -> Result<Option<Member>, OpsError> {
        let Ok(email) = Email::parse(email) else {
            return Ok(None);
        };
        if !self.limits.allow_password(ip, email.as_str()) {
            return Err(OpsError::RateLimited);
        }
        // An unknown address and a member without a password are checked against a dummy
        // hash, so they take as long to refuse as a wrong password.
        let (member, phc) = match self.ops.store.password_hash(&email).await? {
            Some((member, phc)) => (Some(member), Some(phc)),
            None => (None, None),
        };
        let password = password.to_owned();
        // argon2 is deliberately slow: keep it off the async workers.
        let ok = tokio::task::spawn_blocking(move || verify_stored(&password, phc.as_deref()))
            .await
            .unwrap_or(false);
        Ok(member.filter(|_| ok))
    }

    /// What a redeemed token does: signs a new member up, an existing one in, or confirms an
    /// email change.
    async fn complete(&self, t: LoginToken) -> Result<Option<Redeemed>, OpsError> {
        let email = Email::parse(&t.email)
            .map_err(|e| StoreError::Corrupt(format!("stored token email: {e}")))?;
        let member = match t.purpose.as_str() {
            "signup" => {
                let member = super::members::add(&self.ops, &email, &t.name, None).await?;
                // The sign-up stands even if its attribution cannot be written.
                if let Err(e) =
                    super::analytics::attribute_signup(&self.ops, &member.id, &t.redirect).await
                {
                    tracing::warn!(member.id = %member.id, error = %crate::telemetry::chain(&e), "sign-up not attributed");
                }
                Some(member)
            }
            "signin" => self.ops.store.member_by_email(&email).await?,
            "email_change" => match t.member_id.as_deref() {
                Some(id) => self.change_email(id, &email).await?,
                None => None,
            },
            _ => None,
        };
        let Some(member) = member else {
            return Ok(None);
        };
        let redirect = match (t.redirect.as_str(), t.tier.as_str()) {
            (_, tier) if !tier.is_empty() && tier != domain::member::FREE_TIER => {
                format!("/signup/?tier={tier}")
            }
            ("", _) => "/account/".to_owned(),
            (r, _) => r.to_owned(),
        };
        Ok(Some(Redeemed { member, redirect }))
    }

    /// Gives member `id` the confirmed address `email`: every session ends, the old address
    /// is told, and `member.edited` fires.
    async fn change_email(&self, id: &str, email: &Email) -> Result<Option<Member>, OpsError> {
        let ops = &self.ops;
        let Some(old) = ops.store.member_by_id(id).await? else {
            return Ok(None);
        };
        let before = emit::member_snapshot(&ops.emitter(), &old).await;
        match ops.store.set_member_email(id, email, Utc::now()).await {
            Err(StoreError::Conflict(_)) => return Err(address_taken()),
            other => other?,
        }
        let changed = super::members::activity::record_kind;
        changed(ops, id, domain::ActivityKind::EmailChanged, Utc::now()).await;
        credentials::email_changed(ops, self.mailer, &old, email).await?;
        let after = ops.store.member_by_id(id).await?;
        emit::member_changed(&ops.emitter(), before, after.as_ref()).await;
        Ok(after)
    }
}

/// A sign-in link for an existing member, without sending mail (the demo and tests).
pub async fn sign_in_link(ops: &Ops<'_>, email: &Email) -> Result<String, OpsError> {
    let (token, now) = (random_token(), Utc::now());
    ops.store
        .create_login_token(&LoginToken {
            token_hash: hash(&token),
            code_hash: hash(&six_digit_code()),
            email: email.as_str().to_owned(),
            purpose: "signin".into(),
            member_id: None,
            name: String::new(),
            tier: String::new(),
            redirect: String::new(),
            attempts: 0,
            created_at: now.timestamp_micros(),
            expires_at: (now + Duration::minutes(LINK_MINUTES)).timestamp_micros(),
            used_at: None,
        })
        .await?;
    Ok(verify_url(ops.public_url, &token))
}

fn verify_url(public_url: &str, token: &str) -> String {
    format!("{public_url}/members/verify?token={token}")
}

fn address_taken() -> OpsError {
    OpsError::Conflict("Another account already uses that address.".into())
}

fn purpose_name(p: LinkPurpose) -> &'static str {
    match p {
        LinkPurpose::SignUp => "signup",
        LinkPurpose::SignIn => "signin",
        LinkPurpose::EmailChange => "email_change",
    }
}
