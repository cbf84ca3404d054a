//! The access class of a request: what a cached page may vary on — anonymous, free member, or
//! the tiers a paid member is entitled to — and never who the reader is.
//!
//! Looking up a session costs queries, so a session's class is remembered for a while
//! (`Config::cache_class_ttl_ms`, 2 s unless set). Every
//! change to what members may read forgets every remembered session at once: this process's
//! sign-outs, account deletions and subscription changes directly (`forget_sessions`), any
//! process's through the store's access clock, which the follower watches (within one tick).
//! A class being computed while a forget happens is not remembered (`Sessions::remember`).
//! The class remembered here only picks the stored copy to try; a render is stored only under
//! the class its handler saw (`record::rendered_for`).

use super::PageCache;
use domain::access::MemberAccess;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

/// The default time a class is remembered (`Config::cache_class_ttl_ms`).
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
        Class {
            name: Class::name_for(None),
            member_id: None,
        }
    }

    pub fn is_anonymous(&self) -> bool {
        self.member_id.is_none()
    }

    /// The name of the class of a reader with `access` (`None`: not signed in).
    pub fn name_for(access: Option<&MemberAccess>) -> Arc<str> {
        static ANONYMOUS: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from("anonymous"));
        static FREE: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from("free"));
        match access {
            None => ANONYMOUS.clone(),
            Some(a) if !a.paid => FREE.clone(),
            Some(a) => {
                let mut tiers: Vec<&str> = a.tiers.iter().map(domain::Slug::as_str).collect();
                tiers.sort_unstable();
                Arc::from(format!("paid:{}", tiers.join(",")))
            }
        }
    }
}

/// Remembered classes by session hash, and a generation that every forget moves.
pub struct Sessions {
    classes: moka::sync::Cache<String, Class>,
    generation: AtomicU64,
}

pub fn sessions(ttl: Duration) -> Sessions {
    Sessions {
        classes: moka::sync::Cache::builder()
            .max_capacity(100_000)
            .time_to_live(ttl)
            .build(),
        generation: AtomicU64::new(0),
    }
}

impl Sessions {
    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Remembers `class`, computed from what the store said after `generation` was read,
    /// unless the sessions were forgotten since: then it may predate the change.
    fn remember(&self, key: &str, class: Class, generation: u64) {
        if self.generation() != generation {
            return;
        }
        self.classes.insert(key.to_owned(), class);
        // A forget that began between the check and the insert may have cleared the memory
        // before the insert landed.
        if self.generation() != generation {
            self.classes.invalidate(key);
        }
    }

    fn forget_all(&self) {
        // The generation first: a class computed before this point is then never remembered.
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.classes.invalidate_all();
    }
}

impl PageCache {
    /// The class of the session whose id hashes to `session_hash`: remembered for `TTL`, or
    /// else found by `lookup` (the caller's, which asks the store) and remembered, unless the
    /// sessions were forgotten while it looked.
    pub async fn session_class<E, F: Future<Output = Result<Class, E>>>(
        &self,
        session_hash: String,
        lookup: impl FnOnce() -> F,
    ) -> Result<Class, E> {
        let sessions = self.sessions();
        if let Some(class) = sessions.classes.get(&session_hash) {
            return Ok(class);
        }
        let generation = sessions.generation();
        let class = lookup().await?;
        sessions.remember(&session_hash, class.clone(), generation);
        Ok(class)
    }

    /// Forgets every remembered session class: call after a sign-out, a deleted account or a
    /// subscription change (the follower also calls it when the store's access clock moves).
    pub fn forget_sessions(&self) {
        self.sessions().forget_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Slug;

    fn paid(tiers: &[&str]) -> MemberAccess {
        MemberAccess {
            paid: true,
            tiers: tiers.iter().map(|t| Slug::parse(t).unwrap()).collect(),
        }
    }

    #[test]
    fn class_names_say_anonymous_free_or_the_sorted_tiers() {
        assert_eq!(&*Class::name_for(None), "anonymous");
        assert_eq!(&*Class::name_for(Some(&MemberAccess::default())), "free");
        assert_eq!(
            &*Class::name_for(Some(&paid(&["plus", "basic"]))),
            "paid:basic,plus"
        );
    }

    #[test]
    fn a_class_computed_before_a_forget_is_not_remembered() {
        let s = sessions(TTL);
        let class = Class::anonymous();
        let before = s.generation();
        s.forget_all();
        s.remember("k", class.clone(), before);
        assert!(s.classes.get("k").is_none(), "computed before the forget");
        s.remember("k", class.clone(), s.generation());
        assert_eq!(s.classes.get("k"), Some(class));
        s.forget_all();
        assert!(s.classes.get("k").is_none(), "forgotten");
    }
}
