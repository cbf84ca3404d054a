//! The console's permission matrix (issue 16 §5): every business route of `/admin/` —
//! settings, navigation, integrations, members, labels, import and export, tiers, offers, the
//! audit log and the dashboard — refuses contributors, authors and editors, on GET and on POST
//! with a valid CSRF token, and changes nothing; administrators open every page. Anonymous
//! readers, members and forged staff cookies get none of these pages or actions (the leak
//! matrix for the console). A guard reads the console's route table so a new route cannot be
//! added without a row here.

use crate::helpers::{Browser, TestApp};
use crate::newsroom::{open, post, set_up};
use crate::newsroom_tags::staff_member;
use axum::http::StatusCode;

/// Routes every signed-in staff member may reach (their own profile, posts, sign-in…) or that
/// editors manage (tags, people below them): their own tests cover them.
const STAFF_ROUTES: &[&str] = &[
    "/admin",
    "/admin/",
    "/admin/setup",
    "/admin/signin/",
    "/admin/signin/code/",
    "/admin/signin/totp/",
    "/admin/signout",
    "/admin/assets/{hash}/{*path}",
    "/admin/staff/",
    "/admin/staff/invite",
    "/admin/staff/{id}/role",
    "/admin/staff/{id}/status",
    "/admin/staff/{id}/delete",
    "/admin/invitation/{token}/",
    "/admin/password/{token}/",
    "/admin/profile/",
    "/admin/profile/sessions/end",
    "/admin/profile/totp/enable",
    "/admin/profile/totp/disable",
    "/admin/tags/",
    "/admin/tags/new/",
    "/admin/tags/{id}/",
    "/admin/tags/{id}/delete",
    "/admin/{*rest}",
];

/// The business routes, GET pages and POST actions, with `{member}`, `{label}`, `{tier}`,
/// `{offer}`, `{hook}`, `{key}` and `{post}` standing for real ids (and `{group}` for a
/// settings group).
const GETS: &[&str] = &[
    "/admin/settings/",
    "/admin/navigation/",
    "/admin/integrations/",
    "/admin/integrations/webhooks/{hook}/",
    "/admin/members/",
    "/admin/members/?filter=status:free",
    "/admin/members/export",
    "/admin/members/import/",
    "/admin/members/import/{import}/",
    "/admin/members/labels/",
    "/admin/members/labels/{label}/",
    "/admin/members/{member}/",
    "/admin/members/{member}/activity/",
    "/admin/tiers/",
    "/admin/tiers/new/",
    "/admin/tiers/{tier}/",
    "/admin/offers/",
    "/admin/offers/new/",
    "/admin/offers/{offer}/",
    "/admin/audit/",
    "/admin/dashboard/",
    "/admin/dashboard/posts/{post}/",
];

const POSTS: &[&str] = &[
    "/admin/settings/{group}",
    "/admin/navigation/",
    "/admin/integrations/keys",
    "/admin/integrations/keys/{key}/revoke",
    "/admin/integrations/webhooks",
    "/admin/integrations/webhooks/{hook}/",
    "/admin/integrations/webhooks/{hook}/test",
    "/admin/integrations/webhooks/{hook}/delete",
    "/admin/members/bulk",
    "/admin/members/import/",
    "/admin/members/import/confirm",
    "/admin/members/labels/",
    "/admin/members/labels/{label}/",
    "/admin/members/labels/{label}/merge",
    "/admin/members/labels/{label}/delete",
    "/admin/members/{member}/",
    "/admin/members/{member}/comp",
    "/admin/members/{member}/comp/end",
    "/admin/members/{member}/labels",
    "/admin/members/{member}/signout",
    "/admin/tiers/new/",
    "/admin/tiers/{tier}/",
    "/admin/tiers/{tier}/archive",
    "/admin/offers/new/",
    "/admin/offers/{offer}/",
    "/admin/offers/{offer}/archive",
];

/// A form that every business POST accepts as valid input, so a refusal is the role's.
const FORM: &[(&str, &str)] = &[
    ("name", "Taken over"),
    ("slug", "taken-over"),
    ("title", "Taken over"),
    ("description", "Taken over"),
    ("benefits", "Everything"),
    ("monthly_price", "5"),
    ("yearly_price", "50"),
    ("currency", "usd"),
    ("trial_days", "0"),
    ("visible", "on"),
    ("sort_order", "1"),
    ("code", "TAKEN"),
    ("display_title", "Taken over"),
    ("display_description", "Taken over"),
    ("kind", "percent"),
    ("amount", "10"),
    ("tier_id", "{tier}"),
    ("cadence", "month"),
    ("duration", "once"),
    ("duration_in_months", ""),
    ("retention", ""),
    ("email", "taken.over@example.com"),
    ("note", "Taken over"),
    ("subscribed", "on"),
    ("tier", "{tier_slug}"),
    ("until", ""),
    ("filter", "status:free"),
    ("search", ""),
    ("action", "delete"),
    ("label", "Matrix"),
    ("labels", "Matrix"),
    ("into", "{label}"),
    ("token", "taken"),
    ("confirm", "yes"),
    ("target_url", "https://evil.example.com/"),
    ("event", "post.published"),
    ("language", "en"),
    ("timezone", "UTC"),
];

/// Every path the console's routers register, read from their source.
fn registered_routes() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/http/admin");
    let mut routes = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for (at, _) in source.match_indices(".route(") {
            let rest = &source[at + ".route(".len()..];
            let Some(open) = rest.find('"') else { continue };
            let path = &rest[open + 1..];
            let close = path.find('"').unwrap();
            routes.push(path[..close].to_owned());
        }
    }
    routes
}

/// A route with its `{id}`-style parameters, as the matrix writes it.
fn pattern(path: &str) -> String {
    let path = path.split('?').next().unwrap();
    path.split('/')
        .map(|part| {
            if part.starts_with('{') && part != "{*rest}" && part != "{*path}" {
                "{_}".to_owned()
            } else {
                part.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn every_console_route_is_in_the_matrix() {
    let known: Vec<String> = STAFF_ROUTES
        .iter()
        .chain(GETS)
        .chain(POSTS)
        .map(|p| pattern(p))
        .collect();
    let routes = registered_routes();
    assert!(routes.len() > 40, "read the routers: {routes:?}");
    let missing: Vec<&String> = routes
        .iter()
        .filter(|r| !known.contains(&pattern(r)))
        .collect();
    assert!(
        missing.is_empty(),
        "console routes with no row in the permission matrix: {missing:?}"
    );
}

/// Real ids for the placeholders, made by the owner.
async fn ids(app: &TestApp, owner: &mut Browser) -> Vec<(&'static str, String)> {
    let store = &app.state.store;
    let ops = app.state.ops();
    let email = domain::Email::parse("matrix.reader@example.com").unwrap();
    let member = masthead::ops::members::add(&ops, &email, "Matrix Reader", None)
        .await
        .unwrap();
    open(app, owner, "/admin/members/labels/").await;
    post(app, owner, "/admin/members/labels/", &[("name", "Matrix")]).await;
    let label = store.label_by_name("Matrix").await.unwrap().unwrap();
    open(app, owner, "/admin/integrations/").await;
    post(
        app,
        owner,
        "/admin/integrations/webhooks",
        &[
            ("name", "Matrix hook"),
            ("event", "post.published"),
            ("target_url", "https://hooks.example.com/matrix"),
        ],
    )
    .await;
    let hook = store.webhooks(None).await.unwrap().remove(0);
    let key = masthead::ops::keys::create(&ops, "Matrix key", false, chrono::Utc::now())
        .await
        .unwrap();
    let tier = store
        .tier_entries()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.tier.monthly_price > 0)
        .expect("the demo sells a tier");
    open(app, owner, "/admin/offers/new/").await;
    let made = post(
        app,
        owner,
        "/admin/offers/new/",
        &[
            ("name", "Matrix offer"),
            ("code", "MATRIX10"),
            ("display_title", "Ten off"),
            ("display_description", ""),
            ("kind", "percent"),
            ("amount", "10"),
            ("currency", ""),
            ("tier_id", tier.tier.id.as_str()),
            ("cadence", "month"),
            ("duration", "once"),
            ("duration_in_months", ""),
        ],
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let offer = store.offer_by_code("matrix10").await.unwrap().unwrap();
    let post_id = store
        .list_posts(&store::PostFilter::posts(), 1, 0, chrono::Utc::now())
        .await
        .unwrap()
        .remove(0)
        .id;
    vec![
        ("{group}", "general".to_owned()),
        ("{tier_slug}", tier.tier.slug.as_str().to_owned()),
        ("{member}", member.id),
        ("{label}", label.id),
        ("{hook}", hook.id),
        ("{key}", key.key.id),
        ("{tier}", tier.tier.id),
        ("{offer}", offer.id),
        ("{post}", post_id),
        ("{import}", "matrix-import".to_owned()),
    ]
}

fn fill(path: &str, ids: &[(&str, String)]) -> String {
    ids.iter()
        .fold(path.to_owned(), |p, (name, id)| p.replace(name, id))
}

/// What a refused action must leave as it was: the settings, labels, hooks, keys, tiers,
/// offers and members, as a fingerprint.
async fn state_of(app: &TestApp) -> String {
    let store = &app.state.store;
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        store.settings().await.unwrap(),
        store.label_by_name("Matrix").await.unwrap(),
        store.webhooks(None).await.unwrap(),
        store.api_keys().await.unwrap(),
        store.tier_entries().await.unwrap(),
        store.offers().await.unwrap(),
        store
            .member_by_email(&domain::Email::parse("matrix.reader@example.com").unwrap())
            .await
            .unwrap(),
    )
}

#[tokio::test]
async fn contributors_authors_and_editors_are_refused_every_business_route() {
    let app = TestApp::demo().await;
    let mut owner = set_up(&app).await;
    let ids = ids(&app, &mut owner).await;
    let mut admin = staff_member(
        &app,
        &mut owner,
        "matrix.admin@example.com",
        "administrator",
    )
    .await;
    for path in GETS {
        let path = fill(path, &ids);
        let res = open(&app, &mut admin, &path).await;
        assert_eq!(res.status, StatusCode::OK, "an administrator opens {path}");
    }

    let before = state_of(&app).await;
    for role in ["contributor", "author", "editor"] {
        let mut staff = staff_member(
            &app,
            &mut owner,
            &format!("matrix.{role}@example.com"),
            role,
        )
        .await;
        for path in GETS {
            let path = fill(path, &ids);
            let res = open(&app, &mut staff, &path).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{role}: GET {path}");
            assert!(
                !res.body.contains("matrix.reader@example.com"),
                "{role}: GET {path} shows no member"
            );
        }
        // A valid CSRF token from a page they may open, and every field any of these forms
        // reads, filled validly: only the role can refuse.
        open(&app, &mut staff, "/admin/profile/").await;
        let fields: Vec<(&str, String)> = FORM.iter().map(|(k, v)| (*k, fill(v, &ids))).collect();
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for path in POSTS {
            let path = fill(path, &ids);
            let res = post(&app, &mut staff, &path, &fields).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{role}: POST {path}");
        }
    }
    assert_eq!(
        state_of(&app).await,
        before,
        "no refused request changed anything"
    );
    assert!(!app.get("/").await.body.contains("Taken over"));
}

#[tokio::test]
async fn anonymous_readers_members_and_forged_cookies_get_no_console_page_or_action() {
    let app = TestApp::demo().await;
    let mut owner = set_up(&app).await;
    let ids = ids(&app, &mut owner).await;
    let forged = Browser {
        jar: [("mh_staff".to_owned(), "forged-session-id".to_owned())].into(),
        ..Browser::default()
    };
    let member = app.signed_in("reader@news.example").await;
    let before = state_of(&app).await;
    for (who, cookies) in [
        ("anonymous", String::new()),
        ("forged staff cookie", forged.cookies()),
        ("member", member.cookies()),
    ] {
        for path in GETS {
            let path = fill(path, &ids);
            let res = app.get_as(&path, &cookies).await;
            assert!(
                !res.status.is_success(),
                "{who}: GET {path} answered {}",
                res.status
            );
            for secret in [
                "matrix.reader@example.com",
                "Matrix offer",
                "MATRIX10",
                "Matrix hook",
            ] {
                assert!(
                    !res.body.contains(secret),
                    "{who}: GET {path} shows {secret}"
                );
            }
        }
        let fields: Vec<(&str, String)> = FORM.iter().map(|(k, v)| (*k, fill(v, &ids))).collect();
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for path in POSTS {
            let path = fill(path, &ids);
            let res = app.post_form(&path, &cookies, &fields).await;
            assert!(
                !res.status.is_success(),
                "{who}: POST {path} answered {}",
                res.status
            );
        }
    }
    assert_eq!(state_of(&app).await, before, "nothing changed");
}
