//! Abuse limits on sign-in link requests and password attempts, per IP and per email.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::time::Duration;

pub struct Limits {
    links_per_email: DefaultKeyedRateLimiter<String>,
    links_per_ip: DefaultKeyedRateLimiter<String>,
    passwords_per_email: DefaultKeyedRateLimiter<String>,
    passwords_per_ip: DefaultKeyedRateLimiter<String>,
}

fn quota(burst: u32, every: Duration) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(every)
        .unwrap_or_else(|| Quota::per_minute(burst))
        .allow_burst(burst)
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // Five links per address, then one every three minutes.
            links_per_email: RateLimiter::keyed(quota(5, Duration::from_mins(3))),
            links_per_ip: RateLimiter::keyed(quota(20, Duration::from_mins(1))),
            passwords_per_email: RateLimiter::keyed(quota(10, Duration::from_secs(90))),
            passwords_per_ip: RateLimiter::keyed(quota(30, Duration::from_secs(30))),
        }
    }
}

impl Limits {
    /// Whether another sign-in link may be sent now for this IP and address.
    pub fn allow_link(&self, ip: &str, email: &str) -> bool {
        self.links_per_ip.check_key(&ip.to_owned()).is_ok()
            && self.links_per_email.check_key(&email.to_owned()).is_ok()
    }

    /// Whether another password attempt may be made now.
    pub fn allow_password(&self, ip: &str, email: &str) -> bool {
        self.passwords_per_ip.check_key(&ip.to_owned()).is_ok()
            && self
                .passwords_per_email
                .check_key(&email.to_owned())
                .is_ok()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_are_limited_per_email_and_per_ip() {
        let limits = super::Limits::default();
        for _ in 0..5 {
            assert!(limits.allow_link("1.1.1.1", "a@example.com"));
        }
        assert!(
            !limits.allow_link("2.2.2.2", "a@example.com"),
            "sixth link for one address"
        );
        for i in 0..15 {
            assert!(limits.allow_link("1.1.1.1", &format!("b{i}@example.com")));
        }
        assert!(
            !limits.allow_link("1.1.1.1", "c@example.com"),
            "twenty-first link from one IP"
        );
    }
}
