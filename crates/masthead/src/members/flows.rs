//! Sign-up, sign-in and email change by magic link or code; sign-in by password.
//!
//! Requests get the same answer whether or not an address has an account: a sign-in request
//! for an unknown address sends a sign-up link instead.

use super::crypto::{hash, random_token, six_digit_code, verify_password};
use super::mail::Mail;
use crate::http::AppState;
use crate::webhooks::emit;
use anyhow::Result;
use chrono::{Duration, Utc};
use domain::{Email, Member};
use render::email::{LinkPurpose, magic_link};
use store::LoginToken;

/// How long a link and its code stay valid.
pub const LINK_MINUTES: i64 = 15;

#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error("Too many attempts. Please wait a few minutes and try again.")]
    RateLimited,
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<store::StoreError> for FlowError {
    fn from(e: store::StoreError) -> Self {
        FlowError::Internal(e.into())
    }
}

pub enum LinkRequest {
    SignUp { name: String, tier: String },
    SignIn,
    EmailChange { member_id: String },
}

/// Emails a single-use link and code to `email` for `request`.
pub async fn request_link(
    state: &AppState,
    email: &str,
    request: LinkRequest,
    redirect: &str,
    ip: &str,
) -> Result<Email, FlowError> {
    let email = Email::parse(email)
        .map_err(|e| FlowError::Invalid(format!("{e}. Check the address and try again.")))?;
    if !state.limits.allow_link(ip, email.as_str()) {
        return Err(FlowError::RateLimited);
    }
    let existing = state.store.member_by_email(&email).await?;
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
            return Err(FlowError::Invalid(
                "Another account already uses that address.".into(),
            ));
        }
        LinkRequest::EmailChange { member_id } => (
            LinkPurpose::EmailChange,
            Some(member_id),
            String::new(),
            String::new(),
        ),
    };
    let (token, code, now) = (random_token(), six_digit_code(), Utc::now());
    state
        .store
        .create_login_token(&LoginToken {
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
        })
        .await?;
    let link = format!("{}/members/verify?token={token}", state.config.public_url);
    let site = crate::http::site_title(state).await?;
    let body = magic_link(&site, purpose, &link, &code);
    let site = site.clone();
    state
        .mailer
        .send(Mail {
            from_name: site,
            to: email.as_str().to_owned(),
            subject: body.subject,
            text: body.text,
            html: body.html,
        })
        .await?;
    if state.mailer.is_outbox() {
        // Without SMTP the outbox is the only way to the link; say where it is.
        tracing::info!(%link, "sign-in link written to the outbox (no MASTHEAD_SMTP_URL)");
    }
    Ok(email)
}

/// A sign-in link for an existing member, without sending mail (demo and tests).
pub async fn sign_in_link(state: &AppState, email: &Email) -> Result<String> {
    let (token, now) = (random_token(), Utc::now());
    state
        .store
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
    Ok(format!(
        "{}/members/verify?token={token}",
        state.config.public_url
    ))
}

fn purpose_name(p: LinkPurpose) -> &'static str {
    match p {
        LinkPurpose::SignUp => "signup",
        LinkPurpose::SignIn => "signin",
        LinkPurpose::EmailChange => "email_change",
    }
}

/// Only same-site paths may be redirect targets.
pub fn safe_redirect(target: &str) -> &str {
    let ok = target.starts_with('/')
        && !target.starts_with("//")
        && !target.contains('\\')
        && target.len() < 500;
    if ok { target } else { "" }
}

/// What a redeemed link or code signs in, and where to go next.
pub struct Redeemed {
    pub member: Member,
    pub redirect: String,
}

pub async fn redeem_token(state: &AppState, token: &str) -> Result<Option<Redeemed>, FlowError> {
    match state
        .store
        .take_login_token(&hash(token.trim()), Utc::now())
        .await?
    {
        Some(t) => complete(state, t).await,
        None => Ok(None),
    }
}

pub async fn redeem_code(
    state: &AppState,
    email: &str,
    code: &str,
    ip: &str,
) -> Result<Option<Redeemed>, FlowError> {
    let Ok(email) = Email::parse(email) else {
        return Ok(None);
    };
    if !state.limits.allow_password(ip, email.as_str()) {
        return Err(FlowError::RateLimited);
    }
    match state
        .store
        .take_login_code(email.as_str(), &hash(code.trim()), Utc::now())
        .await?
    {
        Some(t) => complete(state, t).await,
        None => Ok(None),
    }
}

async fn complete(state: &AppState, t: LoginToken) -> Result<Option<Redeemed>, FlowError> {
    let email = Email::parse(&t.email)
        .map_err(|e| FlowError::Internal(anyhow::anyhow!("stored token email: {e}")))?;
    let member = match t.purpose.as_str() {
        "signup" => {
            let m = state
                .store
                .create_member(&crate::compose::new_id(), &email, &t.name, Utc::now())
                .await?;
            emit::member_changed(&state.emitter(), None, Some(&m)).await;
            Some(m)
        }
        "signin" => state.store.member_by_email(&email).await?,
        "email_change" => {
            let Some(id) = t.member_id.as_deref() else {
                return Ok(None);
            };
            let before = match state.store.member_by_id(id).await? {
                Some(m) => emit::member_snapshot(&state.emitter(), &m).await,
                None => return Ok(None),
            };
            match state.store.set_member_email(id, &email).await {
                Err(store::StoreError::Conflict(_)) => {
                    return Err(FlowError::Invalid(
                        "Another account already uses that address.".into(),
                    ));
                }
                other => other?,
            }
            let after = state.store.member_by_id(id).await?;
            emit::member_changed(&state.emitter(), before, after.as_ref()).await;
            after
        }
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

/// Checks a password; the same `None` for an unknown address and a wrong password.
pub async fn password_sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    ip: &str,
) -> Result<Option<Member>, FlowError> {
    let Ok(email) = Email::parse(email) else {
        return Ok(None);
    };
    if !state.limits.allow_password(ip, email.as_str()) {
        return Err(FlowError::RateLimited);
    }
    let Some((member, phc)) = state.store.password_hash(&email).await? else {
        return Ok(None);
    };
    let password = password.to_owned();
    // argon2 is deliberately slow: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &phc))
        .await
        .unwrap_or(false);
    Ok(ok.then_some(member))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_redirect_targets() {
        for (target, want) in [
            ("/account/", "/account/"),
            ("//evil.example/", ""),
            ("https://evil.example", ""),
            ("/\\evil", ""),
            ("", ""),
        ] {
            assert_eq!(super::safe_redirect(target), want, "{target}");
        }
    }
}
