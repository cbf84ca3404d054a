//! Loading the site-wide facts (settings, navigation) and wrapping page data into a template context.

use crate::state::AppState;
use chrono::Utc;
use domain::TagKind;
use render::context::{self, Logo, SiteInfo};
use render::head::{Meta, ghost_head};
use serde_json::{Map, Value, json};

pub async fn load(state: &AppState) -> Result<SiteInfo, store::StoreError> {
    let settings = state.settings.get().await?;
    Ok(SiteInfo {
        title: settings.title.clone(),
        description: settings.description.clone(),
        url: state.config.public_url.clone(),
        language: settings.language.clone(),
        paid_tier_name: settings.paid_tier_name.clone(),
        logo: logo(&settings.logo_url),
        icon: custom_icon(settings.icon.as_deref())
            .unwrap_or(crate::logo::FAVICON_PATH)
            .to_owned(),
        sections: state.store.tags_in_use(TagKind::Section).await?,
        topics: state.store.tags_in_use(TagKind::Topic).await?,
        navigation: settings.navigation.clone(),
        footer_links: settings.secondary_navigation.clone().unwrap_or_default(),
        social: social(&settings),
        accent: settings.accent_color.clone(),
        code_head: settings.codeinjection_head.clone(),
        code_foot: settings.codeinjection_foot.clone(),
        now: Utc::now(),
    })
}

/// The social profiles set, as links: a handle becomes its service's profile URL where the
/// service has one form of it (Facebook, X, Bluesky); the others need a URL.
fn social(s: &crate::settings::SiteSettings) -> Vec<(String, String)> {
    let services = [
        ("Facebook", &s.facebook, Some("https://www.facebook.com/")),
        ("X", &s.twitter, Some("https://x.com/")),
        ("LinkedIn", &s.linkedin, None),
        ("Bluesky", &s.bluesky, Some("https://bsky.app/profile/")),
        ("Mastodon", &s.mastodon, None),
    ];
    services
        .into_iter()
        .filter_map(|(label, value, base)| {
            let value = value.as_deref()?;
            let url = if value.starts_with("https://") {
                value.to_owned()
            } else {
                format!("{}{}", base?, value.trim_start_matches('@'))
            };
            Some((label.to_owned(), url))
        })
        .collect()
}

/// The logo an editor set, or the generated default with its known size.
fn logo(url: &str) -> Logo {
    match url.trim() {
        "" => Logo {
            url: crate::logo::PATH.into(),
            width: Some(crate::logo::SIZE),
            height: Some(crate::logo::SIZE),
        },
        url => Logo {
            url: url.to_owned(),
            width: None,
            height: None,
        },
    }
}

/// The `icon` an editor set, if any (none means the generated `/favicon.ico`, and so does that
/// path itself, which would otherwise redirect to itself).
pub fn custom_icon(setting: Option<&str>) -> Option<&str> {
    setting.filter(|s| *s != crate::logo::FAVICON_PATH)
}

/// The full context of one page: site, meta, head tags and the page's own data.
pub fn page_context(
    site: &SiteInfo,
    meta: &Meta,
    body_class: &str,
    query: &str,
    data: Value,
) -> Value {
    let mut ctx = Map::new();
    ctx.insert("site".into(), context::site(site));
    ctx.insert(
        "meta".into(),
        json!({ "title": meta.title, "description": meta.description, "canonical": meta.canonical_url(site) }),
    );
    ctx.insert("ghost_head".into(), Value::String(ghost_head(meta, site)));
    ctx.insert("ghost_foot".into(), Value::String(site.code_foot.clone()));
    ctx.insert("body_class".into(), Value::String(body_class.into()));
    ctx.insert("query".into(), Value::String(query.into()));
    if let Value::Object(extra) = data {
        ctx.extend(extra);
    }
    Value::Object(ctx)
}
