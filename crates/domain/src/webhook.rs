//! Webhooks as the Admin API registers them: the events a hook may follow (an allow-list) and
//! the target URLs it may call (http or https only). No I/O: the store keeps hooks, the
//! binary signs and delivers.

use std::fmt;

/// An event a webhook can follow: Ghost's names, plus the subscription events Ghost lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebhookEvent {
    PostPublished,
    PostPublishedEdited,
    PostUnpublished,
    PostDeleted,
    PagePublished,
    MemberAdded,
    MemberEdited,
    MemberDeleted,
    SubscriptionStarted,
    SubscriptionUpdated,
    SubscriptionCanceled,
    PaymentFailed,
}

impl WebhookEvent {
    /// Every event, in the order the docs list them.
    pub const ALL: [WebhookEvent; 12] = [
        WebhookEvent::PostPublished,
        WebhookEvent::PostPublishedEdited,
        WebhookEvent::PostUnpublished,
        WebhookEvent::PostDeleted,
        WebhookEvent::PagePublished,
        WebhookEvent::MemberAdded,
        WebhookEvent::MemberEdited,
        WebhookEvent::MemberDeleted,
        WebhookEvent::SubscriptionStarted,
        WebhookEvent::SubscriptionUpdated,
        WebhookEvent::SubscriptionCanceled,
        WebhookEvent::PaymentFailed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::PostPublished => "post.published",
            WebhookEvent::PostPublishedEdited => "post.published.edited",
            WebhookEvent::PostUnpublished => "post.unpublished",
            WebhookEvent::PostDeleted => "post.deleted",
            WebhookEvent::PagePublished => "page.published",
            WebhookEvent::MemberAdded => "member.added",
            WebhookEvent::MemberEdited => "member.edited",
            WebhookEvent::MemberDeleted => "member.deleted",
            WebhookEvent::SubscriptionStarted => "subscription.started",
            WebhookEvent::SubscriptionUpdated => "subscription.updated",
            WebhookEvent::SubscriptionCanceled => "subscription.canceled",
            WebhookEvent::PaymentFailed => "payment.failed",
        }
    }

    /// The event named `raw`, if it is on the allow-list (exact, case-sensitive, as Ghost).
    pub fn parse(raw: &str) -> Option<WebhookEvent> {
        WebhookEvent::ALL.into_iter().find(|e| e.as_str() == raw)
    }
}

impl fmt::Display for WebhookEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The longest target URL accepted (Ghost's column holds 2000 characters).
pub const MAX_TARGET_URL: usize = 2000;

/// Why a target URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadTargetUrl(pub &'static str);

/// A webhook's target: an absolute `http://` or `https://` URL with a host, no whitespace or
/// control characters, at most `MAX_TARGET_URL` long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUrl(String);

impl TargetUrl {
    pub fn parse(raw: &str) -> Result<TargetUrl, BadTargetUrl> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(BadTargetUrl("A webhook needs a target_url."));
        }
        if raw.len() > MAX_TARGET_URL {
            return Err(BadTargetUrl("The target_url is too long."));
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(BadTargetUrl("The target_url must not contain spaces."));
        }
        let lower = raw.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .ok_or(BadTargetUrl("The target_url must be an http or https URL."))?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = authority.rsplit('@').next().unwrap_or_default();
        if host.is_empty() || host.starts_with(':') {
            return Err(BadTargetUrl("The target_url has no host."));
        }
        Ok(TargetUrl(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_and_unknown_ones_are_refused() {
        for e in WebhookEvent::ALL {
            assert_eq!(WebhookEvent::parse(e.as_str()), Some(e));
        }
        for bad in [
            "",
            "post",
            "Post.Published",
            "post.published ",
            "site.changed",
        ] {
            assert_eq!(WebhookEvent::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn only_http_and_https_targets_with_a_host_pass() {
        for good in [
            "http://127.0.0.1:8080/hook",
            "https://example.com",
            "HTTPS://Example.com/a?b=c",
        ] {
            assert!(TargetUrl::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "ftp://example.com/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "example.com/hook",
            "http://",
            "http:///path",
            "http://:80/",
            "http://exa mple.com/",
            "http://exa\nmple.com/",
        ] {
            assert!(TargetUrl::parse(bad).is_err(), "{bad:?}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_TARGET_URL));
        assert!(TargetUrl::parse(&long).is_err());
    }
}
