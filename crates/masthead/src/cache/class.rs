//! The access class of a request: what a cached page may vary on — anonymous, free member, or
//! the tiers a paid member is entitled to — and never who the reader is.
//!
//! Looking up a session costs queries, so a session's class is remembered for `TTL`. Sign-outs,
//! account deletion and subscription changes in this process forget every remembered session at
//! once (`forget_sessions`); a session revoked by another process keeps its class here for at
//! most `TTL`.

use super::PageCache;
use crate::http::AppState;
use crate::http::reader::grace;
use crate::members::crypto::hash;
use crate::members::session::{self, SESSION_COOKIE};
use axum::http::HeaderMap;
use axum_extra::extract::CookieJar;
use chrono::Utc;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

pub const TTL: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    /// Part of the cache key: `anonymous`, `free` or `paid:<tier slugs>`.
    pub name: Arc<str>,
    /// The signed-in member, for per-reader slots; `None` for anonymous readers.
    pub member_id: Option<String>,
}

impl Class {
    pub fn anonymous() -> Class {
        static ANONYMOUS: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from("anonymous"));
        Class {
            name: ANONYMOUS.clone(),
            member_id: None,
        }
    }

    pub fn is_anonymous(&self) -> bool {
        self.member_id.is_none()
    }
}

pub type Sessions = moka::sync::Cache<String, Class>;

pub fn sessions() -> Sessions {
    moka::sync::Cache::builder()
        .max_capacity(100_000)
        .time_to_live(TTL)
        .build()
}

/// The class of the reader whose request carries `headers`.
pub async fn of(state: &AppState, headers: &HeaderMap) -> anyhow::Result<Class> {
    let jar = CookieJar::from_headers(headers);
    let Some(raw) = jar.get(SESSION_COOKIE) else {
        return Ok(Class::anonymous());
    };
    let key = hash(raw.value());
    if let Some(class) = state.cache.sessions().get(&key) {
        return Ok(class);
    }
    let class = match session::current(state, &jar).await? {
        None => Class::anonymous(),
        Some(current) => {
            let access = current.access(Utc::now(), grace(state));
            let name = if access.paid {
                let mut tiers: Vec<&str> = access.tiers.iter().map(|t| t.as_str()).collect();
                tiers.sort_unstable();
                format!("paid:{}", tiers.join(","))
            } else {
                "free".to_owned()
            };
            Class {
                name: Arc::from(name),
                member_id: Some(current.member.id.clone()),
            }
        }
    };
    state.cache.sessions().insert(key, class.clone());
    Ok(class)
}

impl PageCache {
    /// Forgets every remembered session class: call after a sign-out, a deleted account or a
    /// subscription change.
    pub fn forget_sessions(&self) {
        self.sessions().invalidate_all();
    }
}
