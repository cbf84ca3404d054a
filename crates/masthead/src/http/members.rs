//! Member pages and forms: `/signin/`, `/signup/`, `/account/` and `/members/…`.
//! Every POST checks the CSRF token; every page here is private and never cached.

use super::AppError;
use super::member_form::MemberForm;
use super::reader::Reader;
use super::session;
use super::site::{load, page_context};
use crate::members::redirect::safe_redirect;
use crate::members::session::CurrentMember;
use crate::ops::signin::LinkRequest;
use crate::ops::{OpsError, credentials, members};
use crate::state::AppState;
use axum::extract::{Form, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use render::head::Meta;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    redirect: String,
    #[serde(default)]
    tier: String,
    #[serde(default)]
    done: String,
    #[serde(default)]
    token: String,
}

/// Messages for `?done=` after a redirect; nothing from the URL is shown as text.
fn done_notice(key: &str) -> Option<&'static str> {
    Some(match key {
        "name" => "Your name is saved.",
        "password" => "Your password is set. Every other browser was signed out.",
        "revoked" => "The gift link no longer works.",
        "email" => "Your new email address is confirmed. Every other browser was signed out.",
        "stayed" => "Thank you for staying. The offer is applied to your subscription.",
        "welcome" => "You are signed in.",
        _ => return None,
    })
}

/// Renders a member page: private, uncacheable and not indexed.
pub(crate) async fn page(
    state: &AppState,
    reader: Reader,
    template: &str,
    title: &str,
    notice: Option<String>,
    error: Option<String>,
    mut data: Value,
) -> Result<Response, AppError> {
    // Forms, notices and the member's own details: never stored by the page cache.
    crate::cache::dont_store();
    let site = load(state).await?;
    let (reader, csrf) = reader.csrf(state);
    data["member"] = reader.member_json(state).await?;
    data["csrf"] = json!(csrf);
    data["notice"] = json!(notice);
    data["error"] = json!(error);
    let meta = Meta {
        title: format!("{title} – {}", site.title),
        description: format!("{title} at {}", site.title),
        canonical: format!("/{template}/"),
        noindex: true,
        ..Meta::default()
    };
    let ctx = page_context(&site, &meta, &format!("{template}-template"), "", data);
    let html = state.theme.render(template, &ctx)?;
    Ok((
        reader.jar,
        [(header::CACHE_CONTROL, "private, no-store")],
        Html(html),
    )
        .into_response())
}

fn see_other(jar: axum_extra::extract::CookieJar, to: &str) -> Response {
    let to = if safe_redirect(to).is_empty() {
        "/"
    } else {
        to
    };
    (jar, [(header::CACHE_CONTROL, "no-store")], Redirect::to(to)).into_response()
}

pub async fn signin_page(
    State(state): State<AppState>,
    reader: Reader,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let data = json!({ "step": "email", "email": "", "redirect": safe_redirect(&q.redirect) });
    page(&state, reader, "signin", "Sign in", None, None, data).await
}

pub async fn signup_page(
    State(state): State<AppState>,
    reader: Reader,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let data = signup_data(&state, &q.tier, "email", "", &q.redirect).await?;
    page(&state, reader, "signup", "Subscribe", None, None, data).await
}

async fn signup_data(
    state: &AppState,
    tier: &str,
    step: &str,
    email: &str,
    redirect: &str,
) -> Result<Value, AppError> {
    let tiers: Vec<Value> = state
        .store
        .signup_tiers()
        .await?
        .iter()
        .map(|e| &e.tier)
        .map(|t| {
            json!({
                "slug": t.slug, "name": t.name, "description": t.description, "benefits": t.benefits,
                "paid": t.is_paid(), "trial_days": t.trial_days,
                "monthly_price_display": t.price_label(false), "yearly_price_display": t.price_label(true),
                "checkout_month_url": t.is_paid().then(|| format!("/members/checkout?tier={}&cadence=month", t.slug)),
                "checkout_year_url": t.is_paid().then(|| format!("/members/checkout?tier={}&cadence=year", t.slug)),
            })
        })
        .collect();
    Ok(json!({
        "tiers": tiers, "payments_configured": state.config.stripe.is_some(),
        "step": step, "email": email, "tier": tier, "redirect": safe_redirect(redirect),
    }))
}

/// POST /members/signin: email a sign-in link and code (a sign-up link for unknown addresses).
pub async fn request_signin(
    State(state): State<AppState>,
    reader: Reader,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    reader.check_csrf(&f.csrf)?;
    let ip = reader.ip.clone();
    let sign_in = state.sign_in();
    match sign_in
        .request_link(&f.email, LinkRequest::SignIn, &f.redirect, &ip)
        .await
    {
        Ok(email) => {
            let data =
                json!({ "step": "code", "email": email, "redirect": safe_redirect(&f.redirect) });
            let notice = format!("Check your email: we sent a sign-in link and a code to {email}.");
            page(
                &state,
                reader,
                "signin",
                "Sign in",
                Some(notice),
                None,
                data,
            )
            .await
        }
        Err(err) => {
            let data = json!({ "step": "email", "email": f.email, "redirect": safe_redirect(&f.redirect) });
            page(
                &state,
                reader,
                "signin",
                "Sign in",
                None,
                Some(user_message(err)?),
                data,
            )
            .await
        }
    }
}

/// POST /members/signup: email a confirmation link and code.
pub async fn request_signup(
    State(state): State<AppState>,
    reader: Reader,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    reader.check_csrf(&f.csrf)?;
    let ip = reader.ip.clone();
    let request = LinkRequest::SignUp {
        name: f.name.clone(),
        tier: f.tier.clone(),
    };
    let sign_in = state.sign_in();
    match sign_in
        .request_link(&f.email, request, &f.redirect, &ip)
        .await
    {
        Ok(email) => {
            let data = signup_data(&state, &f.tier, "code", email.as_str(), &f.redirect).await?;
            let notice =
                format!("Check your email: we sent a confirmation link and a code to {email}.");
            page(
                &state,
                reader,
                "signup",
                "Subscribe",
                Some(notice),
                None,
                data,
            )
            .await
        }
        Err(err) => {
            let data = signup_data(&state, &f.tier, "email", &f.email, &f.redirect).await?;
            page(
                &state,
                reader,
                "signup",
                "Subscribe",
                None,
                Some(user_message(err)?),
                data,
            )
            .await
        }
    }
}

/// An error a reader can act on, or the internal error to report.
fn user_message(err: OpsError) -> Result<String, AppError> {
    if err.is_for_reader() {
        Ok(err.to_string())
    } else {
        Err(AppError::internal(err))
    }
}

/// Signs the reader in when a flow produced a member; otherwise shows the sign-in page at
/// `step` with the flow's error, or `refused` when it simply did not match.
async fn sign_in_or_explain(
    state: &AppState,
    reader: Reader,
    outcome: Result<Option<(String, String)>, OpsError>,
    refused: &str,
    (step, email, redirect): (&str, &str, &str),
) -> Result<Response, AppError> {
    let error = match outcome {
        Ok(Some((member_id, to))) => {
            let jar = session::start(state, &member_id, reader.jar).await?;
            return Ok(see_other(jar, &to));
        }
        Ok(None) => refused.to_owned(),
        Err(err) => user_message(err)?,
    };
    let data = json!({ "step": step, "email": email, "redirect": safe_redirect(redirect) });
    page(state, reader, "signin", "Sign in", None, Some(error), data).await
}

/// GET /members/verify?token=…: the emailed link.
pub async fn verify_link(
    State(state): State<AppState>,
    reader: Reader,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let outcome = state
        .sign_in()
        .redeem_token(&q.token)
        .await
        .map(|r| r.map(|d| (d.member.id, d.redirect)));
    let refused = "That link has expired or was already used. Enter your email to get a new one.";
    sign_in_or_explain(&state, reader, outcome, refused, ("email", "", "")).await
}

/// POST /members/verify-code: the six-digit code from the same email.
pub async fn verify_code(
    State(state): State<AppState>,
    reader: Reader,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    reader.check_csrf(&f.csrf)?;
    let ip = reader.ip.clone();
    let outcome = state
        .sign_in()
        .redeem_code(&f.email, &f.code, &ip)
        .await
        .map(|r| r.map(|d| (d.member.id, d.redirect)));
    let refused =
        "That code is not right or has expired. Check the latest email, or ask for a new code.";
    sign_in_or_explain(
        &state,
        reader,
        outcome,
        refused,
        ("code", &f.email, &f.redirect),
    )
    .await
}

/// POST /members/password-signin.
pub async fn password_signin(
    State(state): State<AppState>,
    reader: Reader,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    reader.check_csrf(&f.csrf)?;
    let ip = reader.ip.clone();
    let to = match safe_redirect(&f.redirect) {
        "" => "/account/".to_owned(),
        to => to.to_owned(),
    };
    let outcome = state
        .sign_in()
        .password(&f.email, &f.password, &ip)
        .await
        .map(|m| m.map(|m| (m.id, to)));
    let refused = "That email and password do not match. Try again, or sign in with an email link.";
    sign_in_or_explain(
        &state,
        reader,
        outcome,
        refused,
        ("email", &f.email, &f.redirect),
    )
    .await
}

pub async fn signout(
    State(state): State<AppState>,
    reader: Reader,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    signout_from(state, reader, f, false).await
}

pub async fn signout_all(
    State(state): State<AppState>,
    reader: Reader,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    signout_from(state, reader, f, true).await
}

async fn signout_from(
    state: AppState,
    reader: Reader,
    f: MemberForm,
    everywhere: bool,
) -> Result<Response, AppError> {
    reader.check_csrf(&f.csrf)?;
    let Some(current) = &reader.member else {
        return Ok(see_other(reader.jar, "/"));
    };
    let jar = session::end(&state, current, reader.jar.clone(), everywhere).await?;
    Ok(see_other(jar, "/"))
}

/// GET /account/.
pub async fn account(
    State(state): State<AppState>,
    reader: Reader,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    account_page(&state, reader, done_notice(&q.done).map(String::from), None).await
}

async fn account_page(
    state: &AppState,
    reader: Reader,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, AppError> {
    crate::cache::dont_store();
    let state = state.clone();
    let Some(current) = reader.member.clone() else {
        return Ok(see_other(reader.jar, "/signin/?redirect=/account/"));
    };
    let now = Utc::now();
    let access = current.access(now, reader.grace);
    let sub = current.subscription.as_ref();
    let status_display = match sub.map(|s| s.status.as_str()) {
        Some("active") => "Active",
        Some("trialing") => "Free trial",
        Some("past_due") => "Past due — update your payment method",
        Some("canceled") => "Canceled",
        Some("comped") => "Complimentary",
        // No subscription, or a status we do not know: no paid membership.
        _ => "Free membership",
    };
    let gifts = super::gifts::account_gifts(&state, &current.member.id).await?;
    let remaining = super::gifts::remaining(&state, &current.member.id).await?;
    let data = json!({
        "account": {
            "email": current.member.email, "name": current.member.name,
            "tier_name": super::reader::tier_name(&state, sub.map(|s| &s.tier)).await?,
            "status_display": status_display,
            "renewal_display": sub.and_then(domain::billing::Subscription::renews_at).map(|t| t.format("%B %-d, %Y").to_string()),
            "paid": access.paid,
            "can_manage_billing": current.member.stripe_customer_id.is_some() && state.config.stripe.is_some(),
            "can_cancel": super::billing::paying_customer(&state, &current).is_some(),
            "has_password": current.member.has_password,
            "upgrade_url": "/signup/",
            "gifts": gifts, "gifts_remaining": remaining, "pending_email": Value::Null,
        },
    });
    page(
        &state,
        reader,
        "account",
        "Your account",
        notice,
        error,
        data,
    )
    .await
}

/// The signed-in member, or the response that sends the reader to sign in.
#[expect(
    clippy::result_large_err,
    reason = "the error is the response itself, built once per request"
)]
fn require_member(reader: &Reader) -> Result<&CurrentMember, Response> {
    reader
        .member
        .as_ref()
        .ok_or_else(|| see_other(reader.jar.clone(), "/signin/?redirect=/account/"))
}

pub async fn set_name(
    State(state): State<AppState>,
    reader: Reader,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    reader.check_csrf(&f.csrf)?;
    let current = match require_member(&reader) {
        Ok(c) => c,
        Err(res) => return Ok(res),
    };
    let changes = members::Changes {
        name: Some(f.name.chars().take(120).collect()),
        ..members::Changes::default()
    };
    members::edit(&state.ops(), &current.member, changes).await?;
    Ok(see_other(reader.jar.clone(), "/account/?done=name"))
}

pub async fn set_password(
    State(state): State<AppState>,
    reader: Reader,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    reader.check_csrf(&f.csrf)?;
    let current = match require_member(&reader) {
        Ok(c) => c.clone(),
        Err(res) => return Ok(res),
    };
    let set = credentials::set_password(&state.ops(), &state.mailer, &current, &f.password).await;
    match set {
        Ok(id) => {
            let jar = session::carrying(&state, reader.jar.clone(), id);
            Ok(see_other(jar, "/account/?done=password"))
        }
        Err(err) => {
            let error = user_message(err)?;
            account_page(&state, reader, None, Some(error)).await
        }
    }
}

/// POST /account/email: sends a confirmation link to the new address.
pub async fn change_email(
    State(state): State<AppState>,
    reader: Reader,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    reader.check_csrf(&f.csrf)?;
    let current = match require_member(&reader) {
        Ok(c) => c.clone(),
        Err(res) => return Ok(res),
    };
    let ip = reader.ip.clone();
    let request = LinkRequest::EmailChange {
        member_id: current.member.id.clone(),
    };
    let outcome = state
        .sign_in()
        .request_link(&f.email, request, "/account/?done=email", &ip)
        .await;
    let (notice, error) = match outcome {
        Ok(email) => (
            Some(format!(
                "We sent a confirmation link to {email}. Your address changes when you open it."
            )),
            None,
        ),
        Err(err) => (None, Some(user_message(err)?)),
    };
    account_page(&state, reader, notice, error).await
}

/// POST /account/delete: deletes the member after an explicit confirmation.
pub async fn delete_account(
    State(state): State<AppState>,
    reader: Reader,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    reader.check_csrf(&f.csrf)?;
    let current = match require_member(&reader) {
        Ok(c) => c.clone(),
        Err(res) => return Ok(res),
    };
    if f.confirm != "yes" {
        return Ok(see_other(reader.jar.clone(), "/account/"));
    }
    let jar = session::end(&state, &current, reader.jar.clone(), true).await?;
    members::delete(&state.ops(), &current.member).await?;
    tracing::info!(member.id = %current.member.id, "member deleted their account");
    Ok(see_other(jar, "/"))
}
