//! Tables of peer × headers × trusted proxies → client address.
#![allow(
    clippy::too_many_lines,
    clippy::type_complexity,
    reason = "one table of peer, headers and expected address, read top to bottom"
)]

use super::*;
use axum::http::HeaderValue;

fn nets(list: &[&str]) -> Vec<IpNet> {
    list.iter().map(|n| n.parse().unwrap()).collect()
}

fn headers(lines: &[(&str, &[u8])]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in lines {
        let name: axum::http::HeaderName = name.parse().unwrap();
        map.append(name, HeaderValue::from_bytes(value).unwrap());
    }
    map
}

const CDN: &[&str] = &["10.0.0.0/8", "2001:db8:cd::/48", "127.0.0.1/32"];

#[test]
fn an_untrusted_peer_is_the_client_whatever_it_claims() {
    let spoofs: [(&str, &[u8]); 4] = [
        ("x-forwarded-for", b"1.2.3.4"),
        ("forwarded", b"for=1.2.3.4"),
        ("x-forwarded-for", b"10.0.0.1, 1.2.3.4"),
        ("forwarded", b"for=\"[2001:db8::1]\""),
    ];
    for trusted in [&[][..], CDN] {
        for spoof in spoofs {
            let got = client_ip(
                "203.0.113.9".parse().unwrap(),
                &headers(&[spoof]),
                &nets(trusted),
            );
            assert_eq!(got.to_string(), "203.0.113.9", "{spoof:?} with {trusted:?}");
        }
    }
}

#[test]
fn a_trusted_peer_names_the_rightmost_untrusted_hop() {
    let cases: &[(&str, &[(&str, &[u8])], &str)] = &[
        // No forwarding header: the proxy itself.
        ("10.0.0.2", &[], "10.0.0.2"),
        (
            "10.0.0.2",
            &[("x-forwarded-for", b"198.51.100.7")],
            "198.51.100.7",
        ),
        // Whatever the client put on the left is passed over.
        (
            "10.0.0.2",
            &[("x-forwarded-for", b"6.6.6.6, 198.51.100.7")],
            "198.51.100.7",
        ),
        // Trusted hops (a CDN edge, then the load balancer) are skipped.
        (
            "10.0.0.2",
            &[("x-forwarded-for", b"6.6.6.6, 198.51.100.7, 10.9.9.9")],
            "198.51.100.7",
        ),
        // Several header lines are one list, in order.
        (
            "10.0.0.2",
            &[
                ("x-forwarded-for", b"6.6.6.6"),
                ("x-forwarded-for", b"198.51.100.7, 10.1.1.1"),
            ],
            "198.51.100.7",
        ),
        (
            "10.0.0.2",
            &[("x-forwarded-for", b"198.51.100.7:4711")],
            "198.51.100.7",
        ),
        (
            "10.0.0.2",
            &[("x-forwarded-for", b"[2001:db8:1::5]:4711")],
            "2001:db8:1::5",
        ),
        (
            "10.0.0.2",
            &[("x-forwarded-for", b" 2001:db8:1::5 ")],
            "2001:db8:1::5",
        ),
        (
            "10.0.0.2",
            &[("x-forwarded-for", b"::ffff:198.51.100.7")],
            "198.51.100.7",
        ),
        // RFC 7239.
        (
            "10.0.0.2",
            &[("forwarded", b"for=198.51.100.7;proto=https")],
            "198.51.100.7",
        ),
        (
            "10.0.0.2",
            &[(
                "forwarded",
                b"for=6.6.6.6, For=\"[2001:db8:1::5]:80\";by=10.0.0.2",
            )],
            "2001:db8:1::5",
        ),
        (
            "10.0.0.2",
            &[("forwarded", b"proto=https; for=198.51.100.7:443")],
            "198.51.100.7",
        ),
        (
            "10.0.0.2",
            &[("forwarded", b"for=198.51.100.7, for=10.3.3.3")],
            "198.51.100.7",
        ),
        // Both headers agreeing, as when a proxy writes both.
        (
            "10.0.0.2",
            &[
                ("x-forwarded-for", b"198.51.100.7"),
                ("forwarded", b"for=198.51.100.7"),
            ],
            "198.51.100.7",
        ),
        // Disagreeing: one is the client's forgery, so neither is believed.
        (
            "10.0.0.2",
            &[
                ("x-forwarded-for", b"198.51.100.7"),
                ("forwarded", b"for=6.6.6.6"),
            ],
            "10.0.0.2",
        ),
        // Every hop trusted: the farthest made the request.
        (
            "10.0.0.2",
            &[("x-forwarded-for", b"10.7.7.7, 10.8.8.8")],
            "10.7.7.7",
        ),
        // IPv6 and IPv4-mapped peers.
        (
            "2001:db8:cd::1",
            &[("x-forwarded-for", b"198.51.100.7")],
            "198.51.100.7",
        ),
        (
            "::ffff:127.0.0.1",
            &[("x-forwarded-for", b"198.51.100.7")],
            "198.51.100.7",
        ),
    ];
    for (peer, lines, want) in cases {
        let got = client_ip(peer.parse().unwrap(), &headers(lines), &nets(CDN));
        assert_eq!(got.to_string(), *want, "peer {peer}, headers {lines:?}");
    }
}

#[test]
fn malformed_hops_never_panic_and_fall_back_to_the_peer() {
    let bad: &[&[u8]] = &[
        b"",
        b",",
        b"unknown",
        b"not an address",
        b"1.2.3",
        b"256.1.1.1",
        b"[2001:db8::1",
        b"[2001:db8::1]:99999",
        b"[2001:db8::1]x",
        b"[zz]",
        b"\"",
        b"\xff\xfe",
        b"for=",
        b"1.2.3.4:port",
        b"_hidden",
    ];
    for value in bad {
        for name in ["x-forwarded-for", "forwarded"] {
            let got = client_ip(
                "10.0.0.2".parse().unwrap(),
                &headers(&[(name, value)]),
                &nets(CDN),
            );
            assert_eq!(got.to_string(), "10.0.0.2", "{name}: {value:?}");
        }
    }
    let weird: &[&[u8]] = &[
        b"for=\"_hidden\"",
        b"for=unknown",
        b"by=1.2.3.4",
        b";;;=;",
        b"for",
    ];
    for value in weird {
        let got = client_ip(
            "10.0.0.2".parse().unwrap(),
            &headers(&[("forwarded", value)]),
            &nets(CDN),
        );
        assert_eq!(got.to_string(), "10.0.0.2", "forwarded: {value:?}");
    }
    // Garbage the client sent on the left does not hide the hop the proxy appended.
    let got = client_ip(
        "10.0.0.2".parse().unwrap(),
        &headers(&[("x-forwarded-for", b"\xff garbage, 198.51.100.7")]),
        &nets(CDN),
    );
    assert_eq!(got.to_string(), "198.51.100.7");
}

#[test]
fn limits_count_ipv4_addresses_and_ipv6_networks() {
    let key = |ip: &str| limit_key(ip.parse().unwrap());
    assert_eq!(key("198.51.100.7"), "198.51.100.7");
    assert_eq!(key("::ffff:198.51.100.7"), "198.51.100.7");
    assert_eq!(key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
    assert_eq!(key("2001:db8:1:2:bbbb::9"), key("2001:db8:1:2::1"));
    assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
}
