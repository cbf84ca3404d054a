//! Sign-up, sign-in and email change by magic link or code; sign-in by password.
//!
//! Requests get the same answer whether or not an address has an account: a sign-in request
//! for an unknown address sends a sign-up link instead.

use super::credentials;
use super::crypto::{hash, random_token, six_digit_code, verify_stored};
use super::mail::Mail;
use crate::state::AppState;
use crate::webhooks::emit;
use anyhow::Result;
use chrono::{Duration, Utc};
use domain::{Email, Member};
use render::email::{LinkPurpose, magic_link};
use store::{CodeAttempt, LoginToken};

/// How long a link and its code stay valid.
pub const LINK_MINUTES: i64 = 15;
/// Links (each with its code) sent to one address in 24 hours. With five guesses per code this
/// bounds guessing at one account to 50 codes a day, whatever the number of clients.
pub const DAILY_LINKS: u32 = 10;

#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error("Too many attempts. Please wait a few minutes and try again.")]
    RateLimited,
    #[error(
        "We have sent {DAILY_LINKS} sign-in emails to this address in the last 24 hours, the most we send in a day. Use the link or code in the newest one, or try again tomorrow."
    )]
    DailyCap,
    #[error(
        "That code was entered wrongly too many times and no longer works. Use the link in the email, or ask for a new code."
    )]
    CodeLocked,
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
    let stored = state
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
        return Err(FlowError::DailyCap);
    }
    let link = format!("{}/members/verify?token={token}", state.config.public_url);
    let site = crate::settings::site_title(&state.store).await?;
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

/// Only paths on this site may be redirect targets; anything else becomes "" (no redirect).
///
/// Browsers resolve a `Location` leniently: `//host` and `/\host` name another host, and tabs
/// and newlines are removed before resolving (`/\t/evil.example` becomes `//evil.example`).
/// So a target must start with exactly one `/` and hold only visible ASCII other than `\`.
/// Percent-encoded forms are checked once decoded too: a browser does not decode
/// `/%2F%2Fevil.example` (it stays a path here), but a proxy or a later hop might, so what
/// would turn into another host, a backslash, whitespace or a control character is refused.
pub fn safe_redirect(target: &str) -> &str {
    let decoded = percent_encoding::percent_decode_str(target).decode_utf8();
    let ok = target.len() < 500 && is_local_path(target) && decoded.is_ok_and(|d| stays_local(&d));
    if ok { target } else { "" }
}

/// One leading `/`, then only visible ASCII without `\`.
fn is_local_path(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && bytes.iter().all(|&b| b.is_ascii_graphic() && b != b'\\')
}

/// A decoded path: still one leading `/`, and no `\`, whitespace or control character
/// (Unicode's too); other non-ASCII characters are encoded slugs and fine.
fn stays_local(decoded: &str) -> bool {
    let mut chars = decoded.chars();
    chars.next() == Some('/')
        && !decoded[1..].starts_with(['/', '\\'])
        && chars.all(|c| c != '\\' && !c.is_whitespace() && !c.is_control())
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
    let attempt = state
        .store
        .take_login_code(email.as_str(), &hash(code.trim()), Utc::now())
        .await?;
    match attempt {
        CodeAttempt::Taken(t) => complete(state, t).await,
        CodeAttempt::Locked => Err(FlowError::CodeLocked),
        CodeAttempt::Wrong | CodeAttempt::NoLiveCode => Ok(None),
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
            let Some(old) = state.store.member_by_id(id).await? else {
                return Ok(None);
            };
            let before = emit::member_snapshot(&state.emitter(), &old).await;
            match state.store.set_member_email(id, &email).await {
                Err(store::StoreError::Conflict(_)) => {
                    return Err(FlowError::Invalid(
                        "Another account already uses that address.".into(),
                    ));
                }
                other => other?,
            }
            credentials::email_changed(state, &old, &email).await?;
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
    // An unknown address and a member without a password are checked against a dummy hash,
    // so they take as long to refuse as a wrong password.
    let (member, phc) = match state.store.password_hash(&email).await? {
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

#[cfg(test)]
mod tests {
    /// Regression (issue 13): `/\t/evil.example` passed, and browsers strip the tab.
    #[test]
    fn only_local_paths_are_redirect_targets() {
        let long = format!("/{}", "a".repeat(600));
        let cases: &[(&str, bool)] = &[
            ("/account/", true),
            ("/", true),
            ("/account/?done=email", true),
            ("/signup/?tier=plus&cadence=year#plans", true),
            ("/caf%C3%A9/", true),
            ("/a%20b/", false),
            ("/javascript:alert(1)", true),
            // Other hosts, as browsers resolve them.
            ("//evil.example/", false),
            ("///evil.example/", false),
            ("/\\evil.example", false),
            ("\\/evil.example", false),
            ("/\\/evil.example", false),
            ("/x\\y", false),
            // What browsers strip or reject before resolving.
            ("/\t/evil.example", false),
            ("/\n/evil.example", false),
            ("/\r\n/evil.example", false),
            ("/\0/evil.example", false),
            ("/\u{7f}/evil.example", false),
            ("/ /evil.example", false),
            (" /account/", false),
            ("/account/ ", false),
            ("/\u{a0}/evil.example", false),
            ("/\u{2028}/evil.example", false),
            ("/\u{3000}evil.example", false),
            ("/café/", false),
            // Percent-encoded: refused when one decoding makes them unsafe.
            ("%2F%2Fevil.example", false),
            ("/%2F%2Fevil.example", false),
            ("/%2fevil.example", false),
            ("/%5Cevil.example", false),
            ("/%09/evil.example", false),
            ("/%0d%0a/evil.example", false),
            ("/%00", false),
            ("/%E3%80%80evil.example", false),
            ("/%ff", false),
            // Not paths at all.
            ("https://evil.example", false),
            ("http:evil.example", false),
            ("javascript:alert(1)", false),
            ("data:text/html,x", false),
            ("evil.example", false),
            ("", false),
            (&long, false),
        ];
        for &(target, safe) in cases {
            let want = if safe { target } else { "" };
            assert_eq!(super::safe_redirect(target), want, "{target:?}");
        }
    }
}
