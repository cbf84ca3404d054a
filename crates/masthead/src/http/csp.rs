//! The Content-Security-Policy every response carries, built once from the configuration, and
//! the wider one of theme pages that print an administrator's code injection: it allows exactly
//! that code's inline scripts and styles (by their SHA-256) and its external scripts' origins.

use crate::billing::stripe::PRODUCTION_BASE_URL;
use crate::config::StripeConfig;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

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

/// Middleware around the theme's pages (inside the page cache, so a stored page keeps its
/// policy): an HTML page gets the policy that lets the code injection run, when there is any.
pub async fn code_injection(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html || res.headers().contains_key(header::CONTENT_SECURITY_POLICY) {
        return res;
    }
    let settings = match state.settings.get().await {
        Ok(settings) => settings,
        Err(err) => {
            // The page was rendered without the code, or will fail the same way next time.
            tracing::warn!(error = %err, "cannot read the code injection for the page's policy");
            return res;
        }
    };
    let code = [
        settings.codeinjection_head.as_str(),
        settings.codeinjection_foot.as_str(),
    ];
    if code.iter().all(|c| c.trim().is_empty()) {
        return res;
    }
    let policy = with_code(&header(state.config.stripe.as_ref()), &code);
    if let Ok(value) = HeaderValue::try_from(policy) {
        res.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    res
}

/// What the code injection needs the policy to allow.
#[derive(Debug, Default, PartialEq, Eq)]
struct Allowed {
    /// `'sha256-…'` of each inline script.
    scripts: Vec<String>,
    /// The origins of external scripts (also allowed to be fetched from, for their beacons).
    hosts: Vec<String>,
    /// `'sha256-…'` of each inline `<style>`.
    styles: Vec<String>,
}

/// What `code` (HTML fragments) holds: inline scripts and styles, hashed as the browser hashes
/// them (the element's text, after the HTML parser's line-ending normalisation), and the origins
/// of `https` script sources. Data blocks (`type="application/ld+json"` and the like) run no
/// code and need nothing.
fn allowed(code: &[&str]) -> Allowed {
    let mut out = Allowed::default();
    let push = |list: &mut Vec<String>, item: String| {
        if !list.contains(&item) {
            list.push(item);
        }
    };
    for fragment in code {
        let doc = scraper::Html::parse_fragment(fragment);
        for node in doc.root_element().descendants() {
            let Some(el) = scraper::ElementRef::wrap(node) else {
                continue;
            };
            let text = || el.text().collect::<String>();
            match el.value().name() {
                "script" if runs(el.value().attr("type")) => match el.value().attr("src") {
                    Some(src) => {
                        if let Some(origin) = https_origin(src) {
                            push(&mut out.hosts, origin);
                        }
                    }
                    None => push(&mut out.scripts, hash(&text())),
                },
                "style" => push(&mut out.styles, hash(&text())),
                _ => {}
            }
        }
    }
    out
}

/// Whether a script of this `type` is JavaScript the browser runs (not a data block).
fn runs(kind: Option<&str>) -> bool {
    match kind.map(|k| k.trim().to_ascii_lowercase()) {
        None => true,
        Some(k) => k.is_empty() || k == "module" || k.ends_with("javascript"),
    }
}

/// `https://host[:port]` of an absolute https URL (or a protocol-relative one); others none.
fn https_origin(src: &str) -> Option<String> {
    let src = src.trim();
    let absolute = match src.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => src.to_owned(),
    };
    let url = reqwest::Url::parse(&absolute).ok()?;
    (url.scheme() == "https" && url.host_str().is_some())
        .then(|| url.origin().ascii_serialization())
}

fn hash(text: &str) -> String {
    format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

/// `policy` with `script-src`, `style-src` and `connect-src` widened for `code`.
fn with_code(policy: &HeaderValue, code: &[&str]) -> String {
    let allowed = allowed(code);
    let policy = policy.to_str().unwrap_or(POLICY);
    let add = |policy: String, directive: &str, extra: &[&String]| {
        let sources = extra.iter().fold(String::new(), |mut all, s| {
            all.push(' ');
            all.push_str(s);
            all
        });
        let wanted = format!("{directive} 'self'");
        if sources.is_empty() {
            policy
        } else if policy.contains(&wanted) {
            policy.replacen(&wanted, &format!("{wanted}{sources}"), 1)
        } else {
            format!("{policy}; {wanted}{sources}")
        }
    };
    let scripts: Vec<&String> = allowed.scripts.iter().chain(&allowed.hosts).collect();
    let styles: Vec<&String> = allowed.styles.iter().collect();
    let hosts: Vec<&String> = allowed.hosts.iter().collect();
    let policy = add(policy.to_owned(), "script-src", &scripts);
    let policy = add(policy, "style-src", &styles);
    add(policy, "connect-src", &hosts)
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

    #[test]
    fn code_injection_runs_by_hash_and_origin_only() {
        let head = "<script>window.masthead = 1;</script>\n\
            <script src=\"https://stats.example.org/s.js\" defer></script>\n\
            <script src=\"http://insecure.example.net/x.js\"></script>\n\
            <script type=\"application/ld+json\">{}</script>\n\
            <style>.kicker { color: #a00 }</style>";
        let foot = "<script type=\"module\">\r\nconsole.log(2)</script>";
        let got = allowed(&[head, foot]);
        assert_eq!(
            got.scripts,
            vec![hash("window.masthead = 1;"), hash("\nconsole.log(2)")],
            "inline scripts by the hash of their text, CR LF read as LF; the data block needs none"
        );
        assert_eq!(got.hosts, vec!["https://stats.example.org".to_owned()]);
        assert_eq!(got.styles, vec![hash(".kicker { color: #a00 }")]);
        // The well-known value for a script of `alert(1)`, so the encoding is the browser's.
        assert_eq!(
            hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );

        let policy = with_code(&header(None), &[head, foot]);
        assert!(policy.contains(&format!(
            "script-src 'self' {} {} https://stats.example.org;",
            hash("window.masthead = 1;"),
            hash("\nconsole.log(2)")
        )));
        assert!(policy.contains(&format!(
            "style-src 'self' {};",
            hash(".kicker { color: #a00 }")
        )));
        assert!(policy.ends_with("; connect-src 'self' https://stats.example.org"));
        assert!(!policy.contains("insecure.example.net") && !policy.contains("unsafe"));
        assert!(policy.contains("object-src 'none'"));
        assert_eq!(
            with_code(&header(None), &["<p>Hello</p>"]),
            header(None).to_str().unwrap(),
            "code without scripts or styles changes nothing"
        );
    }
}
