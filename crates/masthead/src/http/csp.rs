//! The Content-Security-Policy every response carries, built once from the configuration.

use crate::billing::stripe::PRODUCTION_BASE_URL;
use crate::config::StripeConfig;
use axum::http::HeaderValue;

/// What the default theme needs: no inline script or style, embeds only from these players.
/// `form-action` is completed by `form_action`.
const POLICY: &str = "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; \
    frame-src 'self' https://www.youtube-nocookie.com https://www.youtube.com https://player.vimeo.com \
    https://w.soundcloud.com https://open.spotify.com; frame-ancestors 'self'; base-uri 'self'; \
    object-src 'none'; form-action 'self'";

/// Where Stripe hosts Checkout and the Billing Portal. Browsers apply `form-action` to the
/// redirects that follow a form post too, so the "Manage billing" form (POST, then a redirect to
/// the portal) is blocked unless the portal's host is listed.
const STRIPE_PAGES: [&str; 2] = ["https://checkout.stripe.com", "https://billing.stripe.com"];

/// The `Content-Security-Policy` header for a site with these payment settings.
pub fn header(stripe: Option<&StripeConfig>) -> HeaderValue {
    let policy = format!("{POLICY}{}", form_action(stripe));
    // Every part is a constant or a parsed URL's origin, so the value is always valid; should it
    // not be, the stricter policy still protects the site (payments' redirects aside).
    HeaderValue::try_from(policy).unwrap_or_else(|_| HeaderValue::from_static(POLICY))
}

/// Sources added to `form-action 'self'`: Stripe's pages when payments are on, and, when the
/// Stripe API base points elsewhere (a local Stripe-shaped server in tests and demos), that
/// server's origin, which is where its sessions' pages live.
fn form_action(stripe: Option<&StripeConfig>) -> String {
    let Some(stripe) = stripe else {
        return String::new();
    };
    let mut sources: Vec<String> = STRIPE_PAGES.iter().map(|s| (*s).to_owned()).collect();
    if stripe.api_base != PRODUCTION_BASE_URL
        && let Ok(url) = reqwest::Url::parse(&stripe.api_base)
        && url.origin().is_tuple()
    {
        sources.push(url.origin().ascii_serialization());
    }
    sources.iter().fold(String::new(), |mut all, s| {
        all.push(' ');
        all.push_str(s);
        all
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    fn stripe(api_base: &str) -> StripeConfig {
        StripeConfig {
            api_base: api_base.into(),
            secret_key: Secret("sk_test".into()),
            webhook_secrets: vec![Secret("whsec_x".into())],
        }
    }

    fn form_action_of(stripe: Option<&StripeConfig>) -> String {
        let value = header(stripe);
        let policy = value.to_str().unwrap();
        let directive = policy
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("form-action "))
            .unwrap();
        directive.to_owned()
    }

    #[test]
    fn forms_may_lead_to_stripe_only_when_payments_are_on() {
        assert_eq!(form_action_of(None), "form-action 'self'");
        assert_eq!(
            form_action_of(Some(&stripe(PRODUCTION_BASE_URL))),
            "form-action 'self' https://checkout.stripe.com https://billing.stripe.com"
        );
        assert_eq!(
            form_action_of(Some(&stripe("http://127.0.0.1:4242/stripe"))),
            "form-action 'self' https://checkout.stripe.com https://billing.stripe.com http://127.0.0.1:4242"
        );
        assert_eq!(
            form_action_of(Some(&stripe("not a url"))),
            "form-action 'self' https://checkout.stripe.com https://billing.stripe.com"
        );
        for stripe in [None, Some(stripe(PRODUCTION_BASE_URL))] {
            let value = header(stripe.as_ref());
            let policy = value.to_str().unwrap();
            assert!(policy.contains("script-src 'self'") && policy.contains("object-src 'none'"));
        }
    }
}
