//! The newsroom at `/admin/`: staff pages rendered with the newsroom's own templates, behind
//! the `Staff` extractor (the `mh_staff` cookie, never a member's), CSRF on every form,
//! `no-store` and `noindex` on every response.
//!
//! - `view` — the template registry, the layout and its navigation, the response headers.
//! - `assets` — the embedded `assets/admin/` folder, served under content-hashed URLs.
//! - `visitor`, `staff` — the extractors: anyone (CSRF, client), a signed-in staff user.
//! - `home` — first-run setup and the front page; `signin` — sign-in, device codes, sign-out.
//! - `people` — the staff list, invitations, roles, suspension, deletion; `profile` — one's
//!   own profile and sessions; `audit` — the audit log; `dashboard` — traffic, members,
//!   revenue and each post's funnel (administrators).
//! - `tags` — sections and topics (editors and up); `navigation` — the site's primary
//!   navigation (administrators); `settings` — the site's settings in groups,
//!   `integrations` — API keys and webhooks (administrators).
//! - `tiers`, `offers` — tiers and offers for sale (administrators), each with its `router()`.
//! - `members_list` — the members list, its filters and the CSV export; `member_bulk` — one
//!   change to every member a selection holds, after a confirmation; `member_detail` — one
//!   member; `member_labels` — labels; `member_activity` — a member's activity timeline (the
//!   member event log); `member_import` — members from a CSV: upload, dry-run report, confirm,
//!   progress (`import_runs`: the imports running in the background on this server).

pub(crate) mod assets;
mod audit;
mod dashboard;
mod home;
mod import_runs;
mod integrations;
mod member_activity;
mod member_bulk;
mod member_detail;
mod member_import;
mod member_labels;
mod members_list;
mod navigation;
mod offers;
mod people;
mod profile;
mod settings;
mod signin;
pub mod staff;
mod tags;
mod tiers;
pub mod view;
pub mod visitor;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

/// The newsroom's routes (nested by `http::app`; paths are absolute).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/", get(home::home))
        .route(
            "/admin",
            get(|| async { axum::response::Redirect::permanent("/admin/") }),
        )
        .route("/admin/setup", post(home::setup))
        .route("/admin/signin/", get(signin::page).post(signin::submit))
        .route(
            "/admin/signin/code/",
            get(signin::code_page).post(signin::code_submit),
        )
        .route(
            "/admin/signin/totp/",
            get(signin::totp_page).post(signin::totp_submit),
        )
        .route("/admin/signout", post(signin::signout))
        .route("/admin/assets/{hash}/{*path}", get(assets::serve))
        .route("/admin/staff/", get(people::list))
        .route("/admin/staff/invite", post(people::invite))
        .route("/admin/staff/{id}/role", post(people::role))
        .route("/admin/staff/{id}/status", post(people::status))
        .route("/admin/staff/{id}/delete", post(people::delete))
        .route(
            "/admin/invitation/{token}/",
            get(people::invitation_page).post(people::accept),
        )
        .route(
            "/admin/password/{token}/",
            get(people::password_page).post(people::set_password),
        )
        .route("/admin/profile/", get(profile::page).post(profile::save))
        .route("/admin/profile/sessions/end", post(profile::end_session))
        .route("/admin/profile/totp/enable", post(profile::totp_enable))
        .route("/admin/profile/totp/disable", post(profile::totp_disable))
        .route("/admin/audit/", get(audit::page))
        .route("/admin/dashboard/", get(dashboard::page))
        .route("/admin/dashboard/posts/{id}/", get(dashboard::post))
        .route(
            "/admin/navigation/",
            get(navigation::page).post(navigation::save),
        )
        .route("/admin/tags/", get(tags::list))
        .route("/admin/tags/new/", get(tags::new_page).post(tags::add))
        .route("/admin/tags/{id}/", get(tags::edit_page).post(tags::save))
        .route(
            "/admin/tags/{id}/delete",
            get(tags::delete_page).post(tags::delete),
        )
        .merge(tiers::router().merge(offers::router()))
        .merge(member_activity::router())
        .merge(member_import::router())
        .merge(members_list::router().merge(member_bulk::router()))
        .merge(member_detail::router().merge(member_labels::router()))
        .merge(settings::router())
        .merge(integrations::router())
        .route("/admin/{*rest}", get(not_found).post(not_found))
}

/// Anything else under `/admin/`: a plain 404, never the public theme's page.
async fn not_found() -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut r = (axum::http::StatusCode::NOT_FOUND, "Not found").into_response();
    view::headers(&mut r);
    r
}
