//! Members' sessions: started at sign-in under a brand-new id, rotated after a credential
//! change, ended at sign-out. Ids are random and stored only as hashes; each function returns
//! the id the browser's cookie is to carry (`http::session` builds the cookie).

use super::{Ops, OpsError};
use crate::members::crypto::{hash, random_token};
use crate::members::session::{CurrentMember, SESSION_DAYS};
use chrono::{Duration, Utc};
use domain::ActivityKind;

/// Signs `member_id` in under a brand-new session id, ending `replaced` (the id of the session
/// the browser had, if any). Returns the new id.
pub async fn start(
    ops: &Ops<'_>,
    member_id: &str,
    replaced: Option<&str>,
) -> Result<String, OpsError> {
    if let Some(old) = replaced {
        ops.store.delete_session(&hash(old)).await?;
    }
    let id = random_token();
    let now = Utc::now();
    let expires = now + Duration::days(SESSION_DAYS);
    ops.store
        .create_session(&hash(&id), member_id, now, expires)
        .await?;
    super::members::activity::record_kind(ops, member_id, ActivityKind::SignedIn, now).await;
    tracing::info!(member.id = member_id, "member signed in");
    Ok(id)
}

/// After a credential change: ends the member's other sessions and gives this browser's
/// session a new id (its sign-in time, and so its absolute lifetime, stays), in case the old id
/// leaked with the credential. Returns the new id.
pub async fn restart(ops: &Ops<'_>, current: &CurrentMember) -> Result<String, OpsError> {
    let id = random_token();
    ops.store
        .restart_sessions(&current.member.id, current.session_hash(), &hash(&id))
        .await?;
    // Remembered classes of the ended sessions must not outlive them.
    ops.forget_sessions();
    tracing::info!(member.id = %current.member.id, "other sessions ended after a credential change");
    Ok(id)
}

/// Ends this session; with `everywhere`, every session of the member.
pub async fn end(ops: &Ops<'_>, current: &CurrentMember, everywhere: bool) -> Result<(), OpsError> {
    if everywhere {
        ops.store.delete_sessions_of(&current.member.id).await?;
    } else {
        ops.store.delete_session(current.session_hash()).await?;
    }
    ops.forget_sessions();
    Ok(())
}
