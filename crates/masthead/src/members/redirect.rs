//! Where a member may be sent after a form or a link: paths on this site only.

/// Only paths on this site may be redirect targets; anything else becomes "" (no redirect).
///
/// Browsers resolve a `Location` leniently: `//host` and `/\host` name another host, and tabs
/// and newlines are removed before resolving (`/\t/evil.example` becomes `//evil.example`).
/// So a target must start with exactly one `/` and hold only visible ASCII other than `\`.
/// Percent-encoded forms are checked once decoded too: a browser does not decode
/// `/%2F%2Fevil.example` (it stays a path here), but a proxy or a later hop might, so what
/// would turn into another host, a backslash, whitespace or a control character is refused.
pub fn safe_redirect(target: &str) -> &str {
    let decoded = percent_encoding::percent_decode_str(target).decode_utf8();
    let ok = target.len() < 500 && is_local_path(target) && decoded.is_ok_and(|d| stays_local(&d));
    if ok { target } else { "" }
}

/// One leading `/`, then only visible ASCII without `\`.
fn is_local_path(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && bytes.iter().all(|&b| b.is_ascii_graphic() && b != b'\\')
}

/// A decoded path: still one leading `/`, and no `\`, whitespace or control character
/// (Unicode's too); other non-ASCII characters are encoded slugs and fine.
fn stays_local(decoded: &str) -> bool {
    let mut chars = decoded.chars();
    chars.next() == Some('/')
        && !decoded[1..].starts_with(['/', '\\'])
        && chars.all(|c| c != '\\' && !c.is_whitespace() && !c.is_control())
}

#[cfg(test)]
mod tests {
    /// Regression (issue 13): `/\t/evil.example` passed, and browsers strip the tab.
    #[test]
    fn only_local_paths_are_redirect_targets() {
        let long = format!("/{}", "a".repeat(600));
        let cases: &[(&str, bool)] = &[
            ("/account/", true),
            ("/", true),
            ("/account/?done=email", true),
            ("/signup/?tier=plus&cadence=year#plans", true),
            ("/caf%C3%A9/", true),
            ("/a%20b/", false),
            ("/javascript:alert(1)", true),
            // Other hosts, as browsers resolve them.
            ("//evil.example/", false),
            ("///evil.example/", false),
            ("/\\evil.example", false),
            ("\\/evil.example", false),
            ("/\\/evil.example", false),
            ("/x\\y", false),
            // What browsers strip or reject before resolving.
            ("/\t/evil.example", false),
            ("/\n/evil.example", false),
            ("/\r\n/evil.example", false),
            ("/\0/evil.example", false),
            ("/\u{7f}/evil.example", false),
            ("/ /evil.example", false),
            (" /account/", false),
            ("/account/ ", false),
            ("/\u{a0}/evil.example", false),
            ("/\u{2028}/evil.example", false),
            ("/\u{3000}evil.example", false),
            ("/café/", false),
            // Percent-encoded: refused when one decoding makes them unsafe.
            ("%2F%2Fevil.example", false),
            ("/%2F%2Fevil.example", false),
            ("/%2fevil.example", false),
            ("/%5Cevil.example", false),
            ("/%09/evil.example", false),
            ("/%0d%0a/evil.example", false),
            ("/%00", false),
            ("/%E3%80%80evil.example", false),
            ("/%ff", false),
            // Not paths at all.
            ("https://evil.example", false),
            ("http:evil.example", false),
            ("javascript:alert(1)", false),
            ("data:text/html,x", false),
            ("evil.example", false),
            ("", false),
            (&long, false),
        ];
        for &(target, safe) in cases {
            let want = if safe { target } else { "" };
            assert_eq!(super::safe_redirect(target), want, "{target:?}");
        }
    }
}
