//! The site's primary navigation: labelled links in the order an administrator put them.

use crate::InvalidInput;
use serde::Serialize;

/// One link of the navigation. Built only by `parse`, so every stored or shown link has a
/// label and an address a browser follows on this site or on the web (never `javascript:`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NavLink {
    label: String,
    url: String,
}

impl NavLink {
    /// A link from what an administrator typed: a label, and a site-relative path (`/about/`)
    /// or an `http`, `https` or `mailto` URL.
    pub fn parse(label: &str, url: &str) -> Result<NavLink, InvalidInput> {
        let label = label.trim();
        let url = url.trim();
        if label.is_empty() {
            return Err(InvalidInput(format!("the link to {url:?} needs a label")));
        }
        let relative = url.starts_with('/') && !url.starts_with("//");
        let absolute =
            url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https" | "mailto"));
        if !relative && !absolute {
            return Err(InvalidInput(format!(
                "the link {label:?} needs a path such as /about/ or a URL such as https://example.com/, not {url:?}"
            )));
        }
        Ok(NavLink {
            label: label.to_owned(),
            url: url.to_owned(),
        })
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

#[cfg(test)]
mod tests {
    use super::NavLink;

    #[test]
    fn a_link_needs_a_label_and_an_address_a_browser_follows() {
        assert!(NavLink::parse("About", "/about/").is_ok());
        assert!(NavLink::parse("Shop", "https://shop.example.com/").is_ok());
        assert!(NavLink::parse("Write to us", "mailto:desk@example.com").is_ok());
        for (label, url) in [
            ("", "/about/"),
            ("Evil", "javascript:alert(1)"),
            ("Other host", "//evil.example/"),
            ("Relative", "about"),
        ] {
            assert!(NavLink::parse(label, url).is_err(), "{label} {url}");
        }
    }
}
