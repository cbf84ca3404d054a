//! Target URLs: their syntax, and every inside range refused in every spelling a URL parser
//! accepts, while public neighbours of those ranges pass.

use super::*;

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

fn check(raw: &str) -> Result<(), BadTargetUrl> {
    TargetUrl::parse(raw)
        .unwrap_or_else(|e| panic!("{raw} parses: {e}"))
        .check_public()
}

#[test]
fn inside_targets_are_refused_naming_their_range() {
    let cases = [
        ("http://127.0.0.1:6379/", "loopback"),
        ("http://127.255.255.254/", "loopback"),
        ("http://localhost:8080/hook", "localhost"),
        ("http://LOCALHOST./hook", "localhost"),
        ("http://api.localhost/", "localhost"),
        ("http://10.1.2.3/", "private"),
        ("http://172.16.0.1/", "private"),
        ("http://172.31.255.255/", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://100.64.0.1/", "carrier-grade NAT"),
        ("http://100.127.255.255/", "carrier-grade NAT"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://239.255.255.250:1900/", "multicast"),
        ("http://0.0.0.0:8080/", "unspecified"),
        ("http://0.1.2.3/", "unspecified"),
        ("http://255.255.255.255/", "broadcast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://192.0.0.8/", "IETF"),
        ("http://192.0.2.10/", "documentation"),
        ("http://198.51.100.7/", "documentation"),
        ("http://203.0.113.99/", "documentation"),
        ("http://198.18.0.1/", "benchmarking"),
        ("http://198.19.255.255/", "benchmarking"),
        // Odd spellings that URL parsers (and so HTTP clients) read as 127.0.0.1.
        ("http://2130706433/", "loopback"),
        ("http://0x7f.1/", "loopback"),
        ("http://0x7f000001/", "loopback"),
        ("http://127.1/", "loopback"),
        ("http://0177.0.0.1/", "loopback"),
        ("http://017700000001/", "loopback"),
        ("http://[::1]:8080/", "loopback"),
        ("http://[::]/", "unspecified"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[::ffff:7f00:1]/", "loopback"),
        ("http://[::ffff:169.254.169.254]/", "link-local"),
        ("http://[::ffff:10.0.0.1]/", "private"),
        ("http://[::127.0.0.1]/", "IPv4-compatible"),
        ("http://[64:ff9b::7f00:1]/", "loopback"),
        ("http://[64:ff9b::a9fe:a9fe]/", "link-local"),
        ("http://[2002:7f00:1::]/", "loopback"),
        ("http://[2002:c0a8:101::1]/", "private"),
        ("http://[fc00::1]/", "unique local"),
        ("http://[fd12:3456:789a::1]/", "unique local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[febf:ffff::1]/", "link-local"),
        ("http://[fec0::1]/", "site-local"),
        ("http://[ff02::1]/", "multicast"),
        ("http://[2001:db8::1]/", "documentation"),
        ("http://[2001:2::1]/", "benchmarking"),
        ("http://[100::1]/", "discard-only"),
        ("http://[64:ff9b:1::1]/", "NAT64"),
        ("http://[fe00::1]/", "reserved"),
        ("http://[4000::1]/", "reserved"),
        ("http://[1234::1]/", "reserved"),
        ("https://user:pw@127.0.0.1:443/hook?x=1#y", "loopback"),
    ];
    for (raw, range) in cases {
        let target = TargetUrl::parse(raw).unwrap();
        if range != "localhost" {
            let ip = target.host_ip().expect(raw);
            assert!(is_inside(ip), "{raw} is {ip}");
        }
        let err = check(raw).expect_err(raw);
        assert!(err.0.contains(range), "{raw}: {err}");
        assert!(err.0.contains("webhook_allow_private"), "{raw}: {err}");
    }
}

#[test]
fn public_targets_pass_including_the_neighbours_of_inside_ranges() {
    for raw in [
        "https://example.com/hook",
        "https://hooks.example.org:8443/x",
        "http://localhost.example.com/",
        "http://notlocalhost/",
        "http://8.8.8.8/",
        "http://1.1.1.1/",
        "http://9.255.255.255/",
        "http://11.0.0.0/",
        "http://100.63.255.255/",
        "http://100.128.0.0/",
        "http://126.255.255.255/",
        "http://128.0.0.1/",
        "http://169.253.255.255/",
        "http://172.15.255.255/",
        "http://172.32.0.0/",
        "http://192.167.255.255/",
        "http://192.169.0.0/",
        "http://198.17.255.255/",
        "http://198.20.0.0/",
        "http://223.255.255.255/",
        "http://[2606:4700:4700::1111]/",
        "http://[2001:4860:4860::8888]/",
        "http://[::ffff:8.8.8.8]/",
        "http://[64:ff9b::808:808]/",
        "http://[2002:808:808::]/",
    ] {
        assert_eq!(check(raw), Ok(()), "{raw}");
        let ip = TargetUrl::parse(raw).unwrap().host_ip();
        assert!(!ip.is_some_and(is_inside), "{raw}");
    }
}

#[test]
fn odd_spellings_name_the_address_an_http_client_connects_to() {
    for (raw, ip) in [
        ("http://2130706433/", "127.0.0.1"),
        ("http://0x7f.1/", "127.0.0.1"),
        ("http://127.1/", "127.0.0.1"),
        ("http://0251.0376.0251.0376/", "169.254.169.254"),
        ("http://[::ffff:a9fe:a9fe]/", "::ffff:169.254.169.254"),
        ("http://example.com/", "none"),
    ] {
        let got = TargetUrl::parse(raw).unwrap().host_ip();
        assert_eq!(got.map_or("none".into(), |ip| ip.to_string()), ip, "{raw}");
    }
}

#[test]
fn addresses_are_classified_directly() {
    let inside = [
        "127.0.0.1",
        "::1",
        "10.0.0.1",
        "fd00::1",
        "169.254.169.254",
        "::ffff:192.168.0.1",
    ];
    for ip in inside {
        assert!(is_inside(ip.parse().unwrap()), "{ip}");
    }
    for ip in [
        "93.184.215.14",
        "2a00:1450:4001:80b::200e",
        "::ffff:1.2.3.4",
    ] {
        assert!(!is_inside(ip.parse().unwrap()), "{ip}");
    }
}
