//! Who the client is, for abuse limits: the connecting peer, or — only when that peer is a
//! trusted proxy — the rightmost hop of `X-Forwarded-For` / `Forwarded` (RFC 7239 `for=`) that is
//! not itself a trusted proxy. Hops further left were written by the client and prove nothing.
//! Pure: headers and addresses in, an address out; malformed headers fall back to the peer.

use axum::http::HeaderMap;
use axum::http::header::FORWARDED;
use ipnet::{IpNet, Ipv6Net};
use std::net::{IpAddr, SocketAddr};

const X_FORWARDED_FOR: &str = "x-forwarded-for";

/// The client's address for a request that arrived from `peer`.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    if !is_trusted(peer, trusted) {
        return peer;
    }
    let xff = hops(headers, X_FORWARDED_FOR, node);
    let forwarded = hops(headers, FORWARDED.as_str(), forwarded_for);
    match (xff, forwarded) {
        (Some(xff), None) => rightmost_untrusted(peer, &xff, trusted),
        (None, Some(fwd)) => rightmost_untrusted(peer, &fwd, trusted),
        // A proxy usually writes one of the two and passes the other through from the client.
        // If they disagree, one was forged and nothing here says which: believe neither.
        (Some(xff), Some(fwd)) => {
            let (a, b) = (
                rightmost_untrusted(peer, &xff, trusted),
                rightmost_untrusted(peer, &fwd, trusted),
            );
            if a == b { a } else { peer }
        }
        (None, None) => peer,
    }
}

/// The key abuse limits count by: an IPv4 address, or an IPv6 address's /64 (one subscriber's
/// network, which holds more addresses than any limit could count one by one).
pub fn limit_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            Ipv6Net::new(v6, 64).map_or_else(|_| v6.to_string(), |net| net.trunc().to_string())
        }
    }
}

fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    trusted.iter().any(|net| net.contains(&ip))
}

/// Walks the hops from the right (nearest first): the first that is not a trusted proxy is the
/// client. A hop that names no address (garbage, `unknown`, an obfuscated name) where the client
/// should be means it cannot be known: the peer stands in. When every hop is a trusted proxy,
/// the farthest one made the request.
fn rightmost_untrusted(peer: IpAddr, hops: &[Option<IpAddr>], trusted: &[IpNet]) -> IpAddr {
    for hop in hops.iter().rev() {
        match hop.map(|ip| ip.to_canonical()) {
            Some(ip) if is_trusted(ip, trusted) => {}
            Some(ip) => return ip,
            None => return peer,
        }
    }
    hops.first()
        .copied()
        .flatten()
        .map_or(peer, |ip| ip.to_canonical())
}

/// Every comma-separated element of every `name` header line, in order, read by `hop`;
/// `None` when the request has no such header.
fn hops(
    headers: &HeaderMap,
    name: &str,
    hop: impl Fn(&str) -> Option<IpAddr>,
) -> Option<Vec<Option<IpAddr>>> {
    let mut lines = headers.get_all(name).iter().peekable();
    lines.peek()?;
    // Split the raw bytes: a line that is not valid text still has readable hops on its right.
    let elements = lines.flat_map(|line| line.as_bytes().split(|b| *b == b','));
    Some(
        elements
            .map(|raw| std::str::from_utf8(raw).ok().and_then(|e| hop(e.trim())))
            .collect(),
    )
}

/// The `for=` node of one `Forwarded` element (`for=192.0.2.60;proto=http;by=…`).
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("for")
            .then(|| node(value))?
    })
}

/// An address as proxies write it: `192.0.2.60`, `192.0.2.60:4711`, `2001:db8::1`,
/// `[2001:db8::1]:4711`, possibly quoted; `unknown` and obfuscated names (`_hidden`) are none.
fn node(raw: &str) -> Option<IpAddr> {
    let raw = raw.trim();
    let raw = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw);
    if let Some(rest) = raw.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let port_ok = after.is_empty() || after.strip_prefix(':').is_some_and(is_port);
        return port_ok.then(|| inside.parse::<IpAddr>().ok())?;
    }
    raw.parse::<IpAddr>()
        .ok()
        .or_else(|| raw.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

fn is_port(raw: &str) -> bool {
    raw.parse::<u16>().is_ok()
}

#[cfg(test)]
mod tests;
