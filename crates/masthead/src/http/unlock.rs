//! Deciding who the viewer of an article is: their entitlement, plus what may unlock a gated
//! post for them — a gift link in the URL or the metered allowance (server-side for signed-in
//! free members, an HMAC-signed cookie for anonymous readers).

use super::reader::Reader;
use super::session::cookie;
use super::{AppError, gifts};
use crate::cache;
use crate::ops;
use crate::state::AppState;
use axum_extra::extract::CookieJar;
use chrono::{DateTime, Duration, Utc};
use domain::access::{Meter, Unlock, Viewer};
use domain::{Access, Post, PostView};
use serde_json::{Value, json};

pub const METER_COOKIE: &str = "mh_meter";
const WINDOW_DAYS: i64 = 30;

/// The viewer of one article request and what its meter looked like before the read.
pub struct Plan {
    pub viewer: Viewer,
    limit: u32,
    anonymous_reads: Option<(i64, Vec<String>)>,
}

impl Plan {
    /// A signed-in staff user's plan: every post in full, nothing metered or counted.
    pub fn staff() -> Plan {
        Plan {
            viewer: Viewer::staff(),
            limit: 0,
            anonymous_reads: None,
        }
    }
}

/// The meter allowances from settings (0 turns a meter off).
async fn limits(state: &AppState) -> Result<(u32, u32), AppError> {
    let settings = state.settings.get().await?;
    Ok((settings.meter_members, settings.meter_anonymous))
}

pub async fn plan(
    state: &AppState,
    reader: &Reader,
    post: &Post,
    gift: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Plan, AppError> {
    let mut viewer = match reader.access(now) {
        Some(access) => Viewer::member(access),
        None => Viewer::anonymous(),
    };
    let mut plan = Plan {
        viewer: viewer.clone(),
        limit: 0,
        anonymous_reads: None,
    };
    if post.visibility.is_public() || domain::access::decide(post, &viewer, now).0 == Access::Full {
        return Ok(plan);
    }
    // A gift link or a meter makes the page this reader's alone (not stored by the page
    // cache); without them it is the same for everyone in the reader's access class.
    if gift.is_some() {
        cache::dont_store();
    }
    if let Some(token) = gift
        && gifts::unlocks(state, token, post, now).await?
    {
        plan.viewer = viewer.with_gift(&post.id);
        return Ok(plan);
    }
    let (member_limit, anonymous_limit) = limits(state).await?;
    let since = now - Duration::days(WINDOW_DAYS);
    viewer = match &reader.member {
        Some(current) if member_limit > 0 => {
            cache::dont_store();
            let (count, this) = state
                .store
                .meter_state(&current.member.id, &post.id, since)
                .await?;
            plan.limit = member_limit;
            viewer.with_meter(if this {
                Meter::Counted
            } else {
                Meter::Remaining(member_limit.saturating_sub(count))
            })
        }
        None if anonymous_limit > 0 => {
            cache::dont_store();
            let (start, ids) = anonymous_reads(state, &reader.jar, now);
            let key = short_id(&post.id);
            plan.limit = anonymous_limit;
            let meter = if ids.contains(&key) {
                Meter::Counted
            } else {
                Meter::Remaining(anonymous_limit.saturating_sub(count(&ids)))
            };
            plan.anonymous_reads = Some((start, ids));
            viewer.with_meter(meter)
        }
        _ => viewer,
    };
    plan.viewer = viewer;
    Ok(plan)
}

/// Counts a metered read and returns the cookie jar to send back, plus the meter notice.
pub async fn record(
    state: &AppState,
    reader: &Reader,
    plan: &Plan,
    view: &PostView,
) -> Result<(CookieJar, Value), AppError> {
    if view.unlocked_by != Some(Unlock::Meter) {
        return Ok((reader.jar.clone(), Value::Null));
    }
    let now = Utc::now();
    let mut jar = reader.jar.clone();
    let used = match (plan.viewer.meter, &reader.member, &plan.anonymous_reads) {
        (Meter::Remaining(left), Some(current), _) => {
            ops::gifts::count_metered_read(&state.ops(), &current.member.id, &view.id, now).await?;
            plan.limit - left + 1
        }
        (Meter::Remaining(_), None, Some((start, ids))) => {
            let mut ids = ids.clone();
            ids.push(short_id(&view.id));
            let value = state.signer.seal(&format!("m1:{start}:{}", ids.join(",")));
            jar = jar.add(cookie(
                state,
                METER_COOKIE,
                value,
                Duration::days(WINDOW_DAYS),
            ));
            count(&ids)
        }
        (Meter::Counted, Some(current), _) => {
            let (count, _) = state
                .store
                .meter_state(
                    &current.member.id,
                    &view.id,
                    now - Duration::days(WINDOW_DAYS),
                )
                .await?;
            count
        }
        (_, _, Some((_, ids))) => count(ids),
        _ => plan.limit,
    };
    Ok((
        jar,
        json!({ "remaining": plan.limit.saturating_sub(used), "limit": plan.limit }),
    ))
}

/// The anonymous reader's counted articles in the current window (a fresh window when the
/// cookie is missing, forged or older than 30 days).
fn anonymous_reads(state: &AppState, jar: &CookieJar, now: DateTime<Utc>) -> (i64, Vec<String>) {
    let fresh = (now.timestamp(), vec![]);
    let Some(payload) = jar
        .get(METER_COOKIE)
        .and_then(|c| state.signer.open(c.value()).map(str::to_owned))
    else {
        return fresh;
    };
    let mut parts = payload.splitn(3, ':');
    let (Some("m1"), Some(start), Some(ids)) = (parts.next(), parts.next(), parts.next()) else {
        return fresh;
    };
    let Ok(start) = start.parse::<i64>() else {
        return fresh;
    };
    if now.timestamp() - start > WINDOW_DAYS * 86_400 || start > now.timestamp() {
        return fresh;
    }
    (
        start,
        ids.split(',')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    )
}

/// A short, stable key for a post in the meter cookie.
fn short_id(post_id: &str) -> String {
    post_id.chars().rev().take(12).collect()
}

/// How many articles a list names, as the meter counts them (a list never nears `u32::MAX`).
fn count<T>(ids: &[T]) -> u32 {
    u32::try_from(ids.len()).unwrap_or(u32::MAX)
}
