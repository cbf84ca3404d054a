//! Rendering newsroom pages: the newsroom's own Handlebars registry (templates embedded from
//! `crates/masthead/templates/admin/`, never the public theme), the layout with its
//! navigation, and the headers every newsroom page carries.

use super::assets;
use super::visitor::Visitor;
use crate::http::AppError;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use domain::{Action, Role};
use handlebars::Handlebars;
use include_dir::{Dir, include_dir};
use serde_json::{Value, json};
use std::sync::LazyLock;
use store::staff::StaffUser;

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates/admin");

/// The layout's navigation: label, link, and the action a staff user needs to see it. Add a
/// line when a section gets its pages.
const NAV: &[(&str, &str, Action)] = &[
    ("Dashboard", "/admin/dashboard/", Action::Dashboard),
    ("Posts", "/admin/posts/", Action::Browse),
    ("Pages", "/admin/pages/", Action::Browse),
    ("Tags", "/admin/tags/", Action::ManageTags),
    ("Media", "/admin/media/", Action::UploadMedia),
    ("Members", "/admin/members/", Action::Members),
    ("Staff", "/admin/staff/", Action::Invite(Role::Contributor)),
    ("Profile", "/admin/profile/", Action::EditProfile),
    ("Navigation", "/admin/navigation/", Action::Settings),
    ("Tiers", "/admin/tiers/", Action::Tiers),
    ("Offers", "/admin/offers/", Action::Tiers),
    ("Settings", "/admin/settings/", Action::Settings),
    ("Integrations", "/admin/integrations/", Action::Settings),
    ("Audit", "/admin/audit/", Action::Audit),
];

/// Every `*.hbs` under the templates folder, by path without the extension (`staff/list`).
static REGISTRY: LazyLock<Result<Handlebars<'static>, String>> = LazyLock::new(|| {
    let mut hbs = Handlebars::new();
    hbs.set_strict_mode(false);
    register(&mut hbs, &TEMPLATES)?;
    hbs.register_helper("asset", Box::new(asset_helper));
    Ok(hbs)
});

fn register(hbs: &mut Handlebars<'static>, dir: &'static Dir<'static>) -> Result<(), String> {
    for file in dir.files() {
        let path = file.path().to_string_lossy();
        let Some(name) = path.strip_suffix(".hbs") else {
            continue;
        };
        let text = file
            .contents_utf8()
            .ok_or_else(|| format!("{path}: not UTF-8"))?;
        hbs.register_template_string(name, text)
            .map_err(|e| format!("{path}: {e}"))?;
    }
    for sub in dir.dirs() {
        register(hbs, sub)?;
    }
    Ok(())
}

/// `{{asset "admin.css"}}`: the file's URL with its content hash.
fn asset_helper(
    h: &handlebars::Helper<'_>,
    _: &Handlebars<'_>,
    _: &handlebars::Context,
    _: &mut handlebars::RenderContext<'_, '_>,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let path = h
        .param(0)
        .and_then(|p| p.value().as_str())
        .unwrap_or_default();
    out.write(&assets::url(path).unwrap_or_default())?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
#[error("newsroom template: {0}")]
struct TemplateError(String);

/// Renders `template` with `data` inside the layout, as a newsroom page: `no-store`,
/// `noindex`, the visitor's cookies (CSRF) set. `data` gets `csrf`, `staff` (the signed-in
/// staff user, if any) and `nav` added; `title` is the page's `<title>` and heading.
pub fn page(
    visitor: Visitor,
    staff: Option<&StaffUser>,
    template: &str,
    title: &str,
    data: Value,
) -> Result<Response, AppError> {
    page_with_status(
        visitor,
        staff,
        axum::http::StatusCode::OK,
        template,
        title,
        data,
    )
}

/// `page` with another status (a form shown again with its error: 400, 403, 409, 429).
pub fn page_with_status(
    visitor: Visitor,
    staff: Option<&StaffUser>,
    status: axum::http::StatusCode,
    template: &str,
    title: &str,
    mut data: Value,
) -> Result<Response, AppError> {
    let hbs = REGISTRY
        .as_ref()
        .map_err(|e| AppError::internal(TemplateError(e.clone())))?;
    if let Value::Object(map) = &mut data {
        map.insert("csrf".into(), json!(visitor.csrf));
        map.insert("title".into(), json!(title));
        map.insert("staff".into(), staff.map_or(Value::Null, staff_json));
    }
    let body = hbs
        .render(template, &data)
        .map_err(|e| AppError::internal(TemplateError(e.to_string())))?;
    let layout = json!({
        "title": title,
        "body": body,
        "staff": staff.map_or(Value::Null, staff_json),
        "nav": staff.map_or_else(Vec::new, |s| nav(s, template)),
        "csrf": visitor.csrf,
        "refresh": data.get("refresh"),
    });
    let html = hbs
        .render("layout", &layout)
        .map_err(|e| AppError::internal(TemplateError(e.to_string())))?;
    let mut response = (status, visitor.jar, Html(html)).into_response();
    headers(&mut response);
    Ok(response)
}

/// `Cache-Control: no-store` and `X-Robots-Tag: noindex` on a newsroom response.
pub fn headers(response: &mut Response) {
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "x-robots-tag",
        HeaderValue::from_static("noindex, nofollow"),
    );
}

/// A staff user as templates see them.
pub fn staff_json(s: &StaffUser) -> Value {
    json!({
        "id": s.id(),
        "name": s.author.name,
        "email": s.email,
        "role": s.role.as_str(),
        "role_label": s.role.label(),
        "slug": s.author.slug.as_str(),
        "avatar": s.author.avatar,
        "suspended": !s.is_active(),
    })
}

fn nav(staff: &StaffUser, template: &str) -> Vec<Value> {
    NAV.iter()
        .filter(|(_, _, action)| domain::staff::may(staff.role, *action, false))
        .map(|(label, href, _)| {
            let section = href.trim_matches('/').trim_start_matches("admin/");
            json!({"label": label, "href": href, "current": template.starts_with(section)})
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_compiles() {
        assert!(
            super::REGISTRY.is_ok(),
            "{:?}",
            super::REGISTRY.as_ref().err()
        );
    }
}
