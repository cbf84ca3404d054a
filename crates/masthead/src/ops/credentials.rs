//! Credential changes (a password set, an email address changed): the change, the end of the
//! member's other sessions, and a notice to the address the account had before.

use super::{Ops, OpsError, sessions};
use crate::members::crypto::hash_password;
use crate::members::mail::{Mail, Mailer};
use crate::members::session::CurrentMember;
use domain::{Email, Member};
use render::email::{CredentialChange, credential_notice};

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longer inputs are refused before hashing: argon2 over megabytes is a cheap way to burn CPU.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Sets the signed-in member's password. Every other session of the member ends and this
/// browser's session id rotates; returns the new id.
pub async fn set_password(
    ops: &Ops<'_>,
    mailer: &Mailer,
    current: &CurrentMember,
    password: &str,
) -> Result<String, OpsError> {
    if password.chars().count() < MIN_PASSWORD_CHARS || password.len() > MAX_PASSWORD_BYTES {
        return Err(OpsError::Invalid(format!(
            "Choose a password of at least {MIN_PASSWORD_CHARS} characters."
        )));
    }
    let password = password.to_owned();
    // argon2 is deliberately slow: keep it off the async workers.
    let phc = tokio::task::spawn_blocking(move || hash_password(&password)).await??;
    let member = &current.member;
    ops.store
        .set_password_hash(&member.id, &phc, chrono::Utc::now())
        .await?;
    let id = sessions::restart(ops, current).await?;
    notify(ops, mailer, member, CredentialChange::PasswordSet).await;
    Ok(id)
}

/// After `member`'s address became `new_email`: ends every session of the member (the browser
/// that confirmed the change signs in afresh) and tells the old address.
pub async fn email_changed(
    ops: &Ops<'_>,
    mailer: &Mailer,
    member: &Member,
    new_email: &Email,
) -> Result<(), OpsError> {
    ops.store.delete_sessions_of(&member.id).await?;
    ops.forget_sessions();
    tracing::info!(member.id = %member.id, "sessions ended after an email change");
    let change = CredentialChange::EmailChanged {
        new_email: new_email.as_str(),
    };
    notify(ops, mailer, member, change).await;
    Ok(())
}

/// Mails the notice for `change` to the member's address (before the change). A failure is
/// logged, not returned: the change is made and the member's request should not fail because a
/// notice could not be sent.
async fn notify(ops: &Ops<'_>, mailer: &Mailer, member: &Member, change: CredentialChange<'_>) {
    let sent = async {
        let site = crate::settings::SiteSettings::load(ops.store).await?.title;
        let body = credential_notice(&site, change);
        let mail = Mail {
            from_name: site,
            to: member.email.as_str().to_owned(),
            subject: body.subject,
            text: body.text,
            html: body.html,
        };
        mailer.send(mail).await?;
        Ok::<(), OpsError>(())
    };
    if let Err(err) = sent.await {
        tracing::warn!(member.id = %member.id, error = %crate::telemetry::chain(&err), "a credential-change notice could not be sent");
    }
}
