//! Image helpers as Ghost's themes use them. `{{img_url feature_image size="m" format="webp"}}`
//! names the variant of a site image at the width the theme's `package.json` declares for
//! `size` (`config.image_sizes`, as in Ghost), optionally in WebP; images elsewhere pass
//! through unchanged. `{{img_srcset url width format="webp"}}` lists every declared size no
//! wider than `width` (all of them when it is unknown) as a `srcset`, and, in the original
//! format, the original itself at its own width; it writes nothing for images elsewhere, so
//! `{{#if (img_srcset …)}}` tells whether variants exist.

use handlebars::{Context, Handlebars, Helper, HelperResult, Output, RenderContext};
use serde_json::Value;
use std::collections::BTreeMap;

/// Where the site's images are served; variants are named `size/w<width>/[format/webp/]…`
/// right after it.
const PREFIX: &str = "/content/images/";

/// The widths a theme declares, by size name (`"m" → 960`).
#[derive(Debug, Clone, Default)]
pub struct ImageSizes(BTreeMap<String, u32>);

impl ImageSizes {
    /// Reads `config.image_sizes` from a theme's `package.json` (`{"m": {"width": 960}}`);
    /// entries without a whole-number width are skipped.
    pub fn from_package(package: &Value) -> ImageSizes {
        let sizes = package
            .pointer("/config/image_sizes")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(name, size)| {
                let width = size.get("width")?.as_u64()?;
                Some((name.clone(), u32::try_from(width).ok()?))
            })
            .collect();
        ImageSizes(sizes)
    }

    /// The declared widths, smallest first, without repeats.
    fn widths(&self) -> Vec<u32> {
        let mut widths: Vec<u32> = self.0.values().copied().collect();
        widths.sort_unstable();
        widths.dedup();
        widths
    }
}

/// The URL of `url`'s variant at `width` (in WebP when `webp`), or `None` when `url` is not
/// one of the site's images.
pub fn variant_url(url: &str, width: u32, webp: bool) -> Option<String> {
    let at = url.find(PREFIX)? + PREFIX.len();
    let (head, rest) = url.split_at(at);
    let original = strip_variant(rest);
    if original.is_empty() {
        return None;
    }
    let format = if webp { "format/webp/" } else { "" };
    Some(format!("{head}size/w{width}/{format}{original}"))
}

/// The original's path of a path that may already name a variant.
fn strip_variant(rest: &str) -> &str {
    let Some(after) = rest.strip_prefix("size/w") else {
        return rest;
    };
    let Some((_, tail)) = after.split_once('/') else {
        return rest;
    };
    tail.strip_prefix("format/webp/").unwrap_or(tail)
}

/// Whether `url` is one of this site's images: root-relative, or under the site's URL (the
/// root context's `site.url`). Other sites' `/content/images/` (other Ghost sites) are not.
pub fn is_local(url: &str, site_url: Option<&str>) -> bool {
    if url.starts_with(PREFIX) {
        return true;
    }
    site_url.is_some_and(|site| {
        url.strip_prefix(site.trim_end_matches('/'))
            .is_some_and(|rest| rest.starts_with(PREFIX))
    })
}

fn site_url(ctx: &Context) -> Option<&str> {
    ctx.data().pointer("/site/url").and_then(Value::as_str)
}

fn string_param<'a>(h: &'a Helper, index: usize) -> Option<&'a str> {
    h.param(index).and_then(|p| p.value().as_str())
}

fn wants_webp(h: &Helper) -> bool {
    h.hash_get("format").and_then(|v| v.value().as_str()) == Some("webp")
}

/// `{{img_url url size="m" format="webp"}}`.
pub fn img_url(
    sizes: ImageSizes,
) -> impl Fn(&Helper, &Handlebars, &Context, &mut RenderContext, &mut dyn Output) -> HelperResult
+ Send
+ Sync {
    move |h, _, ctx, _, out| {
        let url = string_param(h, 0).unwrap_or_default();
        if !is_local(url, site_url(ctx)) {
            out.write(url)?;
            return Ok(());
        }
        let width = h
            .hash_get("size")
            .and_then(|v| v.value().as_str())
            .and_then(|size| sizes.0.get(size));
        let resized = width.and_then(|w| variant_url(url, *w, wants_webp(h)));
        out.write(resized.as_deref().unwrap_or(url))?;
        Ok(())
    }
}

/// `{{img_srcset url width format="webp"}}`.
pub fn img_srcset(
    sizes: ImageSizes,
) -> impl Fn(&Helper, &Handlebars, &Context, &mut RenderContext, &mut dyn Output) -> HelperResult
+ Send
+ Sync {
    move |h, _, ctx, _, out| {
        let url = string_param(h, 0).unwrap_or_default();
        if !is_local(url, site_url(ctx)) {
            return Ok(());
        }
        let width = h
            .param(1)
            .and_then(|p| p.value().as_u64())
            .and_then(|w| u32::try_from(w).ok());
        out.write(&srcset(&sizes, url, width, wants_webp(h)))?;
        Ok(())
    }
}

/// The `srcset` of a site image `url` that is `width` pixels wide (when known).
pub fn srcset(sizes: &ImageSizes, url: &str, width: Option<u32>, webp: bool) -> String {
    if variant_url(url, 1, webp).is_none() {
        return String::new();
    }
    let mut entries: Vec<String> = sizes
        .widths()
        .into_iter()
        .filter(|w| width.is_none_or(|max| *w <= max))
        .filter_map(|w| Some(format!("{} {w}w", variant_url(url, w, webp)?)))
        .collect();
    if let Some(own) = width.filter(|own| !webp && !sizes.widths().contains(own)) {
        entries.push(format!("{url} {own}w"));
    }
    entries.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sizes() -> ImageSizes {
        ImageSizes::from_package(&json!({"config": {"image_sizes": {
            "xs": {"width": 320}, "m": {"width": 960}, "xl": {"width": 1920}, "bad": {}
        }}}))
    }

    #[test]
    fn site_images_get_variant_urls_and_others_pass_through() {
        let url = "https://news.example/content/images/2026/12/map-ab12.jpg";
        assert_eq!(
            variant_url(url, 960, true).unwrap(),
            "https://news.example/content/images/size/w960/format/webp/2026/12/map-ab12.jpg"
        );
        let again = variant_url("/content/images/size/w320/2026/12/map.jpg", 960, false);
        assert_eq!(again.unwrap(), "/content/images/size/w960/2026/12/map.jpg");
        assert_eq!(
            variant_url("https://cdn.example/photo.jpg", 960, true),
            None
        );
        let site = Some("https://news.example");
        assert!(is_local(url, site));
        assert!(is_local("/content/images/2026/12/a.jpg", None));
        assert!(!is_local(
            "https://other.example/content/images/2026/12/a.jpg",
            site
        ));
    }

    #[test]
    fn srcsets_list_declared_sizes_no_wider_than_the_image() {
        let url = "/content/images/2026/12/map.jpg";
        assert_eq!(
            srcset(&sizes(), url, Some(1000), true),
            "/content/images/size/w320/format/webp/2026/12/map.jpg 320w, \
             /content/images/size/w960/format/webp/2026/12/map.jpg 960w"
        );
        assert_eq!(
            srcset(&sizes(), url, Some(1000), false),
            "/content/images/size/w320/2026/12/map.jpg 320w, \
             /content/images/size/w960/2026/12/map.jpg 960w, /content/images/2026/12/map.jpg 1000w"
        );
        assert_eq!(srcset(&sizes(), url, None, true).matches("w, ").count(), 2);
        assert_eq!(
            srcset(&sizes(), "https://cdn.example/a.jpg", Some(900), false),
            ""
        );
    }
}
