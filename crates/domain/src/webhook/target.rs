//! Webhook target URLs: what a hook may call (http or https with a host) and which addresses are
//! inside — the server's own machine and networks, or no real host at all — so that a webhook
//! cannot be turned on them (or its stored last status into a port scanner) unless the site
//! allows private targets.

use ipnet::{Ipv4Net, Ipv6Net};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use url::{Host, Url};

/// The longest target URL accepted (Ghost's column holds 2000 characters).
pub const MAX_TARGET_URL: usize = 2000;

/// Why a target URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadTargetUrl(pub String);

fn bad(message: &str) -> BadTargetUrl {
    BadTargetUrl(message.to_owned())
}

/// A webhook's target: an absolute `http://` or `https://` URL with a host, no whitespace or
/// control characters, at most `MAX_TARGET_URL` long. Whether its host may be called is a
/// separate question ([`TargetUrl::check_public`]): the answer depends on the site's settings,
/// and stored hooks must still load when they change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUrl(String);

impl TargetUrl {
    pub fn parse(raw: &str) -> Result<TargetUrl, BadTargetUrl> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(bad("A webhook needs a target_url."));
        }
        if raw.len() > MAX_TARGET_URL {
            return Err(bad("The target_url is too long."));
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("The target_url must not contain spaces."));
        }
        let lower = raw.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .ok_or_else(|| bad("The target_url must be an http or https URL."))?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = authority.rsplit('@').next().unwrap_or_default();
        if host.is_empty() || host.starts_with(':') {
            return Err(bad("The target_url has no host."));
        }
        Ok(TargetUrl(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Refuses a target whose host is visibly inside: an IP address in an [`inside_range`] or a
    /// `localhost` name (and one no HTTP client could call). Other names pass here; where they
    /// resolve is checked when connecting, after DNS.
    pub fn check_public(&self) -> Result<(), BadTargetUrl> {
        let url = Url::parse(&self.0).map_err(|_| bad("The target_url is not a valid URL."))?;
        let inside = match url.host() {
            Some(Host::Domain(name)) => is_localhost(name).then_some("a localhost name"),
            _ => host_ip(&url).and_then(inside_range),
        };
        match inside {
            Some(what) => Err(refused(what)),
            None => Ok(()),
        }
    }

    /// The host when it is an IP address, read as HTTP clients read it (WHATWG URL rules):
    /// `http://2130706433/`, `http://0x7f.1/` and `http://127.1/` are all 127.0.0.1. Such a host
    /// is connected to without any name resolution.
    pub fn host_ip(&self) -> Option<IpAddr> {
        host_ip(&Url::parse(&self.0).ok()?)
    }
}

fn host_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        Host::Domain(_) => None,
    }
}

fn refused(what: &str) -> BadTargetUrl {
    BadTargetUrl(format!(
        "The target_url points at {what}, inside this server's own networks; webhooks may only \
         call public addresses (a site that needs private targets sets webhook_allow_private)."
    ))
}

/// `localhost` and its subdomains always name this machine (RFC 6761).
fn is_localhost(name: &str) -> bool {
    let name = name.trim_end_matches('.');
    name == "localhost" || name.ends_with(".localhost")
}

const fn v4(a: u8, b: u8, c: u8, d: u8, len: u8) -> Ipv4Net {
    Ipv4Net::new_assert(Ipv4Addr::new(a, b, c, d), len)
}

const fn v6(s: [u16; 8], len: u8) -> Ipv6Net {
    let ip = Ipv6Addr::new(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
    Ipv6Net::new_assert(ip, len)
}

const PRIVATE: &str = "a private address";
const LINK_LOCAL: &str = "a link-local address";
const DOCUMENTATION: &str = "a documentation address";
const BENCHMARKING: &str = "a benchmarking address";
const MULTICAST: &str = "a multicast address";

/// IPv4 ranges that are not the public internet (IANA's special-purpose registry), first match
/// names the range.
const INSIDE_V4: [(Ipv4Net, &str); 15] = [
    (
        v4(0, 0, 0, 0, 8),
        "an unspecified (\"this network\") address",
    ),
    (v4(10, 0, 0, 0, 8), PRIVATE),
    (
        v4(100, 64, 0, 0, 10),
        "a shared (carrier-grade NAT) address",
    ),
    (v4(127, 0, 0, 0, 8), "a loopback address"),
    // Includes 169.254.169.254, the cloud metadata service.
    (v4(169, 254, 0, 0, 16), LINK_LOCAL),
    (v4(172, 16, 0, 0, 12), PRIVATE),
    (v4(192, 0, 0, 0, 24), "an IETF protocol address"),
    (v4(192, 0, 2, 0, 24), DOCUMENTATION),
    (v4(192, 168, 0, 0, 16), PRIVATE),
    (v4(198, 18, 0, 0, 15), BENCHMARKING),
    (v4(198, 51, 100, 0, 24), DOCUMENTATION),
    (v4(203, 0, 113, 0, 24), DOCUMENTATION),
    (v4(224, 0, 0, 0, 4), MULTICAST),
    (v4(255, 255, 255, 255, 32), "the broadcast address"),
    (v4(240, 0, 0, 0, 4), "a reserved address"),
];

/// IPv6 ranges that are not the public internet. Prefixes that carry an IPv4 address
/// (mapped, NAT64, 6to4) are judged by that address instead ([`embedded_v4`]).
const INSIDE_V6: [(Ipv6Net, &str); 11] = [
    (v6([0, 0, 0, 0, 0, 0, 0, 0], 128), "the unspecified address"),
    (v6([0, 0, 0, 0, 0, 0, 0, 1], 128), "a loopback address"),
    // The deprecated IPv4-compatible form (`::127.0.0.1`).
    (
        v6([0, 0, 0, 0, 0, 0, 0, 0], 96),
        "an IPv4-compatible address",
    ),
    (
        v6([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48),
        "a local NAT64 address",
    ),
    (
        v6([0x100, 0, 0, 0, 0, 0, 0, 0], 64),
        "a discard-only address",
    ),
    (v6([0x2001, 2, 0, 0, 0, 0, 0, 0], 48), BENCHMARKING),
    (v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32), DOCUMENTATION),
    (
        v6([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7),
        "a unique local (private) address",
    ),
    (v6([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10), LINK_LOCAL),
    (
        v6([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10),
        "a site-local address",
    ),
    (v6([0xff00, 0, 0, 0, 0, 0, 0, 0], 8), MULTICAST),
];

/// IPv6's global unicast space; everything outside it (the table's names aside) is reserved.
const GLOBAL_UNICAST_V6: Ipv6Net = v6([0x2000, 0, 0, 0, 0, 0, 0, 0], 3);

/// The range `ip` lies in when it is inside — loopback, private (RFC 1918, IPv6 unique local),
/// shared (CGNAT), link-local, multicast, unspecified, broadcast, documentation, benchmarking
/// or reserved, also in IPv4-mapped and other IPv6 forms that carry such an IPv4 address —
/// or `None` for a public address.
pub fn inside_range(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(ip) => INSIDE_V4
            .iter()
            .find(|(net, _)| net.contains(&ip))
            .map(|(_, range)| *range),
        IpAddr::V6(ip) => match embedded_v4(ip) {
            Some(v4) => inside_range(IpAddr::V4(v4)),
            None => INSIDE_V6
                .iter()
                .find(|(net, _)| net.contains(&ip))
                .map(|(_, range)| *range)
                // Only 2000::/3 is handed out as global unicast; the rest is not a real host.
                .or((!GLOBAL_UNICAST_V6.contains(&ip)).then_some("a reserved address")),
        },
    }
}

/// The IPv4 address an IPv6 address stands for, where connecting to it reaches that IPv4
/// host: IPv4-mapped (`::ffff:a.b.c.d`), NAT64's well-known prefix (`64:ff9b::/96`) and 6to4
/// (`2002:AABB:CCDD::/48`).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    const NAT64: Ipv6Net = v6([0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96);
    const SIX_TO_FOUR: Ipv6Net = v6([0x2002, 0, 0, 0, 0, 0, 0, 0], 16);
    let s = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        Some(v4)
    } else if NAT64.contains(&ip) {
        Some(Ipv4Addr::from((u32::from(s[6]) << 16) | u32::from(s[7])))
    } else if SIX_TO_FOUR.contains(&ip) {
        Some(Ipv4Addr::from((u32::from(s[1]) << 16) | u32::from(s[2])))
    } else {
        None
    }
}

/// Whether `ip` lies in any inside range (see [`inside_range`]).
pub fn is_inside(ip: IpAddr) -> bool {
    inside_range(ip).is_some()
}

#[cfg(test)]
mod tests;
