//! Keeps webhook deliveries off the server's own networks unless `webhook_allow_private` is
//! set: a DNS resolver that drops inside addresses (so the address checked is the address
//! connected to: no check-then-connect race), and the check of targets whose host is an address
//! or a `localhost` name, which never reach a resolver.

use domain::webhook::is_inside;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::error::Error;
use std::net::SocketAddr;
use std::sync::Arc;

/// What every refused delivery records, whatever the port: a hook's stored status must not tell
/// an open port from a closed one.
pub const REFUSED: &str = "refused: private address";

/// A target that resolved only to inside addresses.
#[derive(Debug, thiserror::Error)]
#[error("{REFUSED}")]
pub struct PrivateAddress;

/// `builder` with the guard: names resolved by [`PublicOnly`], and no proxy (a proxy would
/// resolve and connect out of the guard's sight).
pub fn guarded(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder.dns_resolver(Arc::new(PublicOnly)).no_proxy()
}

/// Resolves names with the system resolver and keeps only public addresses.
pub struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let public = keep_public(addrs)?;
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// The public ones of `addrs`; refused when there are none (a name may point at both, as DNS
/// rebinding does: only the public ones are ever connected to).
pub fn keep_public(addrs: Vec<SocketAddr>) -> Result<Vec<SocketAddr>, PrivateAddress> {
    let public: Vec<SocketAddr> = addrs.into_iter().filter(|a| !is_inside(a.ip())).collect();
    if public.is_empty() {
        Err(PrivateAddress)
    } else {
        Ok(public)
    }
}

/// Whether a failed request was refused by [`PublicOnly`] (somewhere in its chain of causes).
pub fn is_refusal(err: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn Error + 'static)> = Some(err);
    while let Some(e) = cause {
        if e.is::<PrivateAddress>() {
            return true;
        }
        cause = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addrs(list: &[&str]) -> Vec<SocketAddr> {
        list.iter().map(|a| a.parse().unwrap()).collect()
    }

    #[test]
    fn a_name_resolving_only_inside_is_refused() {
        for inside in [
            &["127.0.0.1:0", "[::1]:0"][..],
            &["10.0.0.7:0"],
            &["169.254.169.254:0"],
            &["[::ffff:192.168.1.1]:0"],
            &["[fd00::1]:0", "100.64.0.1:0"],
        ] {
            assert!(keep_public(addrs(inside)).is_err(), "{inside:?}");
        }
    }

    #[test]
    fn only_the_public_addresses_of_a_mixed_answer_are_kept() {
        let kept = keep_public(addrs(&["127.0.0.1:0", "93.184.215.14:0", "[fe80::1]:0"])).unwrap();
        assert_eq!(kept, addrs(&["93.184.215.14:0"]));
        let kept = keep_public(addrs(&["[2606:4700::1111]:0"])).unwrap();
        assert_eq!(kept.len(), 1);
    }

    #[tokio::test]
    async fn a_request_to_a_name_resolving_inside_never_connects_and_reads_as_a_refusal() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let client = guarded(reqwest::Client::builder()).build().unwrap();
        let err = client
            .post(format!("http://localhost:{port}/hook"))
            .send()
            .await
            .expect_err("refused");
        assert!(is_refusal(&err), "{err:?}");
        let accepted =
            tokio::time::timeout(std::time::Duration::from_millis(200), listener.accept());
        assert!(accepted.await.is_err(), "no connection was made");
        // Other failures are not refusals.
        drop(listener);
        let err = reqwest::Client::new()
            .post(format!("http://127.0.0.1:{port}/hook"))
            .send()
            .await
            .expect_err("nothing listens");
        assert!(!is_refusal(&err), "{err:?}");
    }

    #[tokio::test]
    async fn localhost_resolves_to_nothing_that_may_be_called() {
        let name: Name = "localhost".parse().unwrap();
        let err = match PublicOnly.resolve(name).await {
            Ok(addrs) => panic!("localhost resolved to {:?}", addrs.collect::<Vec<_>>()),
            Err(err) => err,
        };
        assert!(err.is::<PrivateAddress>(), "{err}");
    }
}
