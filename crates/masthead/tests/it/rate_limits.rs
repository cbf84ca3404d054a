//! Abuse limits count the real client: on a real socket, each connecting address has its own
//! sign-in-link bucket, and forwarding headers (`X-Forwarded-For`, `Forwarded`) count only when
//! they come from a trusted proxy (`trusted_proxies`).

use crate::helpers::socket::{client_from, serve};
use crate::helpers::{TestApp, sel};
use masthead::config::Config;
use masthead::http::serve::Timeouts;
use scraper::Html;

/// The sign-in form's CSRF cookie and token (fetched once: they are not tied to an address).
struct SignIn {
    base: String,
    cookie: String,
    csrf: String,
}

impl SignIn {
    async fn on(app: &TestApp) -> SignIn {
        let base = format!("http://{}", serve(app, Timeouts::default()).await);
        let res = client_from("127.0.0.1")
            .get(format!("{base}/signin/"))
            .send()
            .await
            .unwrap();
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok()?.split(';').next())
            .find(|c| c.starts_with("mh_csrf="))
            .expect("a CSRF cookie")
            .to_owned();
        let html = Html::parse_document(&res.text().await.unwrap());
        let csrf = html.select(&sel("input[name=csrf]")).next().unwrap();
        let csrf = csrf.value().attr("value").unwrap().to_owned();
        SignIn { base, cookie, csrf }
    }

    /// Asks for a sign-in link for `email` from `client`; whether it was sent (else refused by
    /// the limit).
    async fn ask(&self, client: &reqwest::Client, email: &str, headers: &[(&str, &str)]) -> bool {
        let mut req = client
            .post(format!("{}/members/signin", self.base))
            .header("cookie", &self.cookie)
            .form(&[("csrf", self.csrf.as_str()), ("email", email)]);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 200);
        let body = res.text().await.unwrap();
        if body.contains("Check your email") {
            return true;
        }
        assert!(body.contains("Too many attempts"), "{body}");
        false
    }

    /// Asks for links for new addresses until one is refused; returns how many were sent.
    async fn exhaust(
        &self,
        client: &reqwest::Client,
        who: &str,
        headers: &[(&str, &str)],
    ) -> usize {
        for n in 0..60 {
            if !self
                .ask(client, &format!("{who}.{n}@example.com"), headers)
                .await
            {
                return n;
            }
        }
        panic!("{who} was never limited");
    }
}

#[tokio::test]
async fn one_address_exhausting_its_link_limit_leaves_another_alone() {
    let app = TestApp::demo().await;
    let form = SignIn::on(&app).await;
    let (a, b) = (client_from("127.0.0.2"), client_from("127.0.0.3"));
    let sent = form.exhaust(&a, "a", &[]).await;
    assert!(sent > 0, "the first requests are served");
    assert!(
        !form.ask(&a, "a.again@example.com", &[]).await,
        "a stays limited"
    );
    assert!(
        form.ask(&b, "b@example.com", &[]).await,
        "another address still gets its sign-in link"
    );
}

#[tokio::test]
async fn forwarding_headers_from_an_untrusted_peer_change_nothing() {
    // A proxy range is configured, but the clients are not in it.
    let app = TestApp::demo_with(|c| Config {
        trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
        ..c
    })
    .await;
    let form = SignIn::on(&app).await;
    let (spoofer, victim) = (client_from("127.0.0.2"), client_from("127.0.0.3"));
    // Claiming to be the victim: the spoofer spends its own bucket, not the victim's.
    let as_victim = [
        ("x-forwarded-for", "127.0.0.3"),
        ("forwarded", "for=127.0.0.3"),
    ];
    assert!(form.exhaust(&spoofer, "spoofer", &as_victim).await > 0);
    assert!(
        form.ask(&victim, "victim@example.com", &[]).await,
        "the victim's bucket is untouched"
    );
    // Claiming to be someone new each time does not escape the limit.
    for n in 0..5 {
        let fresh = format!("198.51.100.{n}");
        let headers = [("x-forwarded-for", fresh.as_str())];
        let email = format!("spoofer.fresh.{n}@example.com");
        assert!(!form.ask(&spoofer, &email, &headers).await, "{fresh}");
    }
}

#[tokio::test]
async fn a_trusted_proxy_names_the_client_behind_it() {
    let app = TestApp::demo_with(|c| Config {
        trusted_proxies: vec!["127.0.0.2/32".parse().unwrap()],
        ..c
    })
    .await;
    let form = SignIn::on(&app).await;
    let (proxy, direct) = (client_from("127.0.0.2"), client_from("127.0.0.3"));
    let first = [("x-forwarded-for", "198.51.100.1")];
    assert!(form.exhaust(&proxy, "first", &first).await > 0);
    // Others behind the same proxy have their own buckets; what a client wrote on the left of
    // the header is passed over.
    let cases: [(&[(&str, &str)], bool); 5] = [
        (&[("x-forwarded-for", "6.6.6.6, 198.51.100.2")], true),
        (&[("forwarded", "for=198.51.100.3;proto=https")], true),
        (&[("x-forwarded-for", "198.51.100.2, 198.51.100.1")], false),
        (&[("forwarded", "for=\"198.51.100.1:4711\"")], false),
        // The proxy's own requests (no header) count as the proxy.
        (&[], true),
    ];
    for (n, (headers, sent)) in cases.into_iter().enumerate() {
        let email = format!("behind.{n}@example.com");
        assert_eq!(form.ask(&proxy, &email, headers).await, sent, "{headers:?}");
    }
    // A client that is not the proxy is never believed, whoever it names.
    let claim = [("x-forwarded-for", "198.51.100.1")];
    assert!(form.ask(&direct, "direct@example.com", &claim).await);
}
