//! The members console (issue 16 §2) through HTTP: the list with its search, filters, presets,
//! pages and count; a filter that cannot be read; bulk actions that ask first and touch exactly
//! the selected members; the CSV export of a selection; one member's page (details, labels,
//! comp with an end date and ending it, sign out everywhere); the labels pages; and editors
//! refused on every route.

use crate::helpers::{Browser, TestApp, TestResponse};
use crate::newsroom::{location, open, post, set_up};
use crate::newsroom_tags::staff_member;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use domain::Email;
use domain::billing::{Subscription, SubscriptionStatus, comp};

mod pages;

/// The demo (Riley Reader, free; Sam Subscriber, comped Subscriber+) plus Ada (paying),
/// Bob (free) and Cy (free, labelled "press"); the owner's browser.
pub async fn site() -> (TestApp, Browser) {
    let app = TestApp::demo().await;
    let ops = app.state.ops();
    for (email, name) in [
        ("ada@example.com", "Ada Lovelace"),
        ("bob@example.com", "Bob Brown"),
        ("cy@example.org", "Cy Young"),
    ] {
        masthead::ops::members::add(&ops, &Email::parse(email).unwrap(), name, None)
            .await
            .unwrap();
    }
    let ada = member(&app, "ada@example.com").await;
    let paid = Subscription {
        status: SubscriptionStatus::Active,
        current_period_end: Some(Utc::now() + Duration::days(30)),
        stripe_subscription_id: Some("sub_ada".into()),
        ..comp(domain::Slug::parse("subscriber-plus").unwrap(), None)
    };
    app.state
        .store
        .put_subscription(&ada.id, &paid, Utc::now())
        .await
        .unwrap();
    let mut owner = set_up(&app).await;
    let press = label(&app, &mut owner, "press").await;
    let cy = member(&app, "cy@example.org").await;
    app.state
        .store
        .set_member_labels(&cy.id, &[press], Utc::now())
        .await
        .unwrap();
    (app, owner)
}

pub async fn member(app: &TestApp, email: &str) -> domain::Member {
    app.state
        .store
        .member_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{email} is a member"))
}

/// Adds a label through the labels page; its id.
pub async fn label(app: &TestApp, owner: &mut Browser, name: &str) -> String {
    open(app, owner, "/admin/members/labels/").await;
    let res = post(app, owner, "/admin/members/labels/", &[("name", name)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    app.state
        .store
        .label_by_name(name)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The members list at `query` (after `/admin/members/?`): the emails shown, and the page.
pub async fn listed(
    app: &TestApp,
    owner: &mut Browser,
    query: &str,
) -> (Vec<String>, TestResponse) {
    let page = open(app, owner, &format!("/admin/members/?{query}")).await;
    (page.attrs("tr[data-member]", "data-member"), page)
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn the_list_shows_members_and_a_filter_or_search_narrows_it() {
    let (app, mut owner) = site().await;
    let (all, page) = listed(&app, &mut owner, "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        sorted(all),
        [
            "ada@example.com",
            "bob@example.com",
            "cy@example.org",
            "reader@example.com",
            "subscriber@example.com"
        ]
    );
    assert_eq!(
        page.attrs("#members-count [data-total]", "data-total"),
        ["5"]
    );
    assert!(
        page.texts("nav[aria-label=Newsroom] a")
            .contains(&"Members".to_owned())
    );
    let ada = page.texts("tr[data-member='ada@example.com'] td");
    assert_eq!(&ada[1..4], ["Paid", "Subscriber+", "–"], "{ada:?}");
    let cy = page.texts("tr[data-member='cy@example.org'] td");
    assert_eq!(&cy[1..4], ["Free", "–", "press"], "{cy:?}");

    let (paid, page) = listed(&app, &mut owner, "filter=status%3Apaid").await;
    assert_eq!(paid, ["ada@example.com"]);
    assert_eq!(
        page.attrs("#members-count [data-total]", "data-total"),
        ["1"]
    );
    let (comped, _) = listed(&app, &mut owner, "filter=status%3Acomped").await;
    assert_eq!(comped, ["subscriber@example.com"]);
    let (press, _) = listed(&app, &mut owner, "filter=label%3Apress").await;
    assert_eq!(press, ["cy@example.org"]);
    let (found, _) = listed(&app, &mut owner, "search=LOVELACE").await;
    assert_eq!(found, ["ada@example.com"], "names, any case");
    let (found, _) = listed(&app, &mut owner, "search=example.org").await;
    assert_eq!(found, ["cy@example.org"], "emails");
    let (both, _) = listed(&app, &mut owner, "filter=status%3Afree&search=b").await;
    assert_eq!(both, ["bob@example.com"]);

    // The presets are links to the filters, one per label too; the current one is marked.
    let (_, page) = listed(&app, &mut owner, "filter=status%3Afree").await;
    let presets = page.texts(".presets a");
    assert_eq!(
        presets,
        ["Paid", "Free", "Comped", "Email disabled", "press"]
    );
    let hrefs = page.attrs(".presets a", "href");
    assert_eq!(hrefs[0], "/admin/members/?filter=status%3Apaid");
    assert_eq!(hrefs[4], "/admin/members/?filter=label%3Apress");
    assert_eq!(page.texts(".presets a[aria-current]"), ["Free"]);
    let disabled = masthead::ops::members_console::bulk(
        &app.state.ops(),
        masthead::ops::staff::Actor::Console,
        &store::MemberQuery {
            filter: store::query::Cond::All(vec![]),
            search: Some("bob@".into()),
        },
        &masthead::ops::members_console::Bulk::Unsubscribe,
    )
    .await
    .unwrap();
    assert_eq!(disabled, 1);
    let (off, _) = listed(&app, &mut owner, "filter=email_disabled%3Atrue").await;
    assert_eq!(off, ["bob@example.com"]);
}

#[tokio::test]
async fn a_filter_that_cannot_be_read_is_explained_next_to_the_field() {
    let (app, mut owner) = site().await;
    for bad in [
        "status%3A%28paid",
        "password_hash%3Anull",
        "created_at%3A%3E'soon'",
    ] {
        let (rows, page) = listed(&app, &mut owner, &format!("filter={bad}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{bad}: {}", page.body);
        assert!(rows.is_empty());
        let error = page.texts("#members-filter-error");
        assert_eq!(error.len(), 1, "{bad}");
        assert!(
            error[0].starts_with("This filter cannot be read"),
            "{error:?}"
        );
        assert_eq!(page.attrs("#members-filter", "aria-invalid"), ["true"]);
        let typed = percent_encoding::percent_decode_str(bad)
            .decode_utf8()
            .unwrap();
        assert_eq!(
            page.attrs("#members-filter", "value"),
            [typed.as_ref()],
            "kept"
        );
    }
    let export = app
        .get_as(
            "/admin/members/export?filter=status%3A%28",
            &owner.cookies(),
        )
        .await;
    assert_eq!(export.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn pages_keep_the_search() {
    let (app, mut owner) = site().await;
    for i in 0..51 {
        let email = Email::parse(&format!("p{i:02}@paged.example")).unwrap();
        let at = Utc::now() - Duration::minutes(i);
        app.state
            .store
            .create_member(&masthead::compose::new_id(), &email, "", at)
            .await
            .unwrap();
    }
    let (first, page) = listed(&app, &mut owner, "search=paged").await;
    assert_eq!(first.len(), 50);
    assert_eq!(first[0], "p00@paged.example", "newest first");
    assert_eq!(
        page.attrs("#members-count [data-total]", "data-total"),
        ["51"]
    );
    assert!(page.texts(".pagination span")[0].contains("Page 1 of 2"));
    let next = page.attrs("a[rel=next]", "href");
    assert_eq!(next, ["/admin/members/?search=paged&page=2"]);
    let second = open(&app, &mut owner, &next[0]).await;
    assert_eq!(
        second.attrs("tr[data-member]", "data-member"),
        ["p50@paged.example"]
    );
    assert_eq!(
        second.attrs("a[rel=prev]", "href"),
        ["/admin/members/?search=paged&page=1"]
    );
    assert!(second.attrs("a[rel=next]", "href").is_empty());
    // The export link carries the selection too.
    assert_eq!(
        page.attrs("#members-count a", "href"),
        ["/admin/members/export?search=paged"]
    );
}

/// The confirmation for `query` (after `/admin/members/bulk?`), and its question.
async fn confirmation(app: &TestApp, owner: &mut Browser, query: &str) -> (TestResponse, String) {
    let page = open(app, owner, &format!("/admin/members/bulk?{query}")).await;
    let question = page.texts("#bulk-question").join("");
    (page, question)
}

#[tokio::test]
async fn bulk_add_label_touches_exactly_the_matching_members() {
    let (app, mut owner) = site().await;
    let vip = label(&app, &mut owner, "VIP").await;
    let query = format!("filter=status%3Afree&action=add_label&label={vip}");
    let (page, question) = confirmation(&app, &mut owner, &query).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(question, "Add the label “VIP” to 3 members?");
    let (before, _) = listed(&app, &mut owner, "filter=label%3Avip").await;
    assert!(before.is_empty(), "asking changes nothing");

    // Without the form's CSRF token nothing happens.
    let forged = app
        .post_form(
            "/admin/members/bulk",
            &owner.cookies(),
            &[
                ("filter", "status:free"),
                ("action", "add_label"),
                ("label", &vip),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let fields = [
        ("filter", "status:free"),
        ("search", ""),
        ("action", "add_label"),
        ("label", vip.as_str()),
        ("tier", ""),
        ("until", ""),
    ];
    let done = post(&app, &mut owner, "/admin/members/bulk", &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(
        location(&done),
        "/admin/members/?filter=status%3Afree&done=add_label&n=3"
    );
    let back = open(&app, &mut owner, location(&done)).await;
    assert_eq!(back.texts("p.ok"), ["Label added to 3 members."]);
    let (labelled, _) = listed(&app, &mut owner, "filter=label%3Avip").await;
    assert_eq!(
        sorted(labelled),
        ["bob@example.com", "cy@example.org", "reader@example.com"]
    );
    // Cy keeps "press": a bulk label adds, it does not replace.
    let (press, _) = listed(&app, &mut owner, "filter=label%3Apress%2Blabel%3Avip").await;
    assert_eq!(press, ["cy@example.org"]);

    // Removing it from a search takes it from that member only.
    let fields = [
        ("search", "bob"),
        ("action", "remove_label"),
        ("label", vip.as_str()),
    ];
    let done = post(&app, &mut owner, "/admin/members/bulk", &fields).await;
    assert!(
        location(&done).ends_with("done=remove_label&n=1"),
        "{}",
        location(&done)
    );
    let (labelled, _) = listed(&app, &mut owner, "filter=label%3Avip").await;
    assert_eq!(sorted(labelled), ["cy@example.org", "reader@example.com"]);
}

#[tokio::test]
async fn bulk_comp_with_an_end_date_and_unsubscribe() {
    let (app, mut owner) = site().await;
    let (_, question) = confirmation(
        &app,
        &mut owner,
        "filter=label%3Apress&action=comp&tier=subscriber-plus&until=2099-01-31",
    )
    .await;
    assert_eq!(
        question,
        "Give Subscriber+ for free, until 2099-01-31, to 1 member?"
    );
    let (page, _) = confirmation(
        &app,
        &mut owner,
        "filter=label%3Apress&action=comp&tier=subscriber-plus&until=2001-01-31",
    )
    .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        page.texts("#bulk-error"),
        ["The end date must be in the future."]
    );
    let (page, _) = confirmation(&app, &mut owner, "action=comp&tier=free").await;
    assert_eq!(page.texts("#bulk-error"), ["Choose a paid tier to give."]);

    let fields = [
        ("filter", "label:press"),
        ("action", "comp"),
        ("tier", "subscriber-plus"),
        ("until", "2099-01-31"),
    ];
    let done = post(&app, &mut owner, "/admin/members/bulk", &fields).await;
    assert!(
        location(&done).ends_with("done=comp&n=1"),
        "{}",
        location(&done)
    );
    let cy = member(&app, "cy@example.org").await;
    let sub = app.state.store.subscription(&cy.id).await.unwrap().unwrap();
    assert_eq!(sub.status, SubscriptionStatus::Comped);
    assert_eq!(
        sub.comped_until
            .unwrap()
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        "2099-01-31 23:59"
    );

    let fields = [("filter", "status:comped"), ("action", "unsubscribe")];
    let (_, question) = confirmation(
        &app,
        &mut owner,
        "filter=status%3Acomped&action=unsubscribe",
    )
    .await;
    assert_eq!(question, "Stop sending newsletters to 2 members?");
    let done = post(&app, &mut owner, "/admin/members/bulk", &fields).await;
    assert!(location(&done).ends_with("done=unsubscribe&n=2"));
    let (off, _) = listed(&app, &mut owner, "filter=email_disabled%3Atrue").await;
    assert_eq!(sorted(off), ["cy@example.org", "subscriber@example.com"]);
}

#[tokio::test]
async fn bulk_delete_asks_first_then_deletes_only_the_selection() {
    let (app, mut owner) = site().await;
    let query =
        "filter=email%3A%27bob%40example.com%27%2Cemail%3A%27cy%40example.org%27&action=delete";
    let (page, question) = confirmation(&app, &mut owner, query).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        question,
        "Delete, with their subscriptions, labels and sessions, 2 members?"
    );
    assert!(page.body.contains("This cannot be undone."));
    assert_eq!(page.attrs("form.confirm button", "class"), ["danger"]);
    let cancel = page.attrs("form.confirm a.button", "href");
    assert_eq!(
        cancel,
        ["/admin/members/?filter=email%3A%27bob%40example.com%27%2Cemail%3A%27cy%40example.org%27"]
    );
    let (all, _) = listed(&app, &mut owner, "").await;
    assert_eq!(all.len(), 5, "asking deletes nothing");

    let fields = [
        ("filter", "email:'bob@example.com',email:'cy@example.org'"),
        ("action", "delete"),
    ];
    let done = post(&app, &mut owner, "/admin/members/bulk", &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(location(&done).ends_with("done=delete&n=2"));
    let (left, _) = listed(&app, &mut owner, "").await;
    assert_eq!(
        sorted(left),
        [
            "ada@example.com",
            "reader@example.com",
            "subscriber@example.com"
        ]
    );

    // A selection of nobody offers no button.
    let (page, question) = confirmation(&app, &mut owner, "search=nobody&action=delete").await;
    assert_eq!(
        question,
        "Delete, with their subscriptions, labels and sessions, 0 members?"
    );
    assert_eq!(page.count("form.confirm button"), 0);
    let (page, _) = confirmation(&app, &mut owner, "action=explode").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_export_is_a_csv_of_exactly_the_selection() {
    let (app, mut owner) = site().await;
    // More members than one batch, so the download spans batches.
    let batch = masthead::ops::members_export::BATCH as usize;
    for i in 0..=batch {
        let email = Email::parse(&format!("b{i}@batch.example")).unwrap();
        let at = Utc::now() - Duration::seconds(i64::try_from(i).unwrap());
        app.state
            .store
            .create_member(&masthead::compose::new_id(), &email, "", at)
            .await
            .unwrap();
    }
    open(&app, &mut owner, "/admin/members/").await;
    let free = app
        .get_as(
            "/admin/members/export?filter=status%3Afree",
            &owner.cookies(),
        )
        .await;
    assert_eq!(free.status, StatusCode::OK);
    assert_eq!(free.header("content-type"), "text/csv; charset=utf-8");
    assert!(
        free.header("content-disposition")
            .starts_with("attachment; filename=\"members-")
    );
    let mut reader = csv::Reader::from_reader(free.body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, masthead::ops::members_export::COLUMNS);
    let emails: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_owned())
        .filter(|e| !e.ends_with("@batch.example"))
        .collect();
    assert_eq!(
        sorted(emails),
        ["bob@example.com", "cy@example.org", "reader@example.com"]
    );

    let all = app
        .get_as(
            "/admin/members/export?search=batch.example",
            &owner.cookies(),
        )
        .await;
    let mut reader = csv::Reader::from_reader(all.body.as_bytes());
    let mut emails: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_owned()).collect();
    assert_eq!(emails.len(), batch + 1, "every row once");
    emails.sort();
    emails.dedup();
    assert_eq!(emails.len(), batch + 1, "no row twice");

    let press = app
        .get_as(
            "/admin/members/export?filter=label%3Apress",
            &owner.cookies(),
        )
        .await;
    let mut reader = csv::Reader::from_reader(press.body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (&rows[0][1], &rows[0][2], &rows[0][9]),
        ("cy@example.org", "Cy Young", "press")
    );
}

#[tokio::test]
async fn editors_are_refused_on_every_route() {
    let (app, mut owner) = site().await;
    let cy = member(&app, "cy@example.org").await;
    let press = app
        .state
        .store
        .label_by_name("press")
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut editor = staff_member(&app, &mut owner, "ed@news.example", "editor").await;
    let home = open(&app, &mut editor, "/admin/").await;
    assert!(
        !home
            .texts("nav[aria-label=Newsroom] a")
            .contains(&"Members".to_owned())
    );
    let m = format!("/admin/members/{}", cy.id);
    let l = format!("/admin/members/labels/{press}");
    for path in [
        "/admin/members/".to_owned(),
        "/admin/members/?filter=status%3Apaid".to_owned(),
        "/admin/members/export".to_owned(),
        "/admin/members/bulk?action=delete".to_owned(),
        format!("{m}/"),
        format!("{m}/comp/end"),
        "/admin/members/labels/".to_owned(),
        format!("{l}/"),
        format!("{l}/merge?into={press}"),
        format!("{l}/delete"),
    ] {
        let res = app.get_as(&path, &editor.cookies()).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "GET {path}");
        assert!(!res.body.contains("cy@example.org"), "GET {path}");
    }
    for (path, fields) in [
        ("/admin/members/bulk".to_owned(), vec![("action", "delete")]),
        (
            format!("{m}/"),
            vec![("name", "X"), ("email", "x@example.com")],
        ),
        (format!("{m}/labels"), vec![("new_labels", "hacked")]),
        (format!("{m}/comp"), vec![("tier", "subscriber-plus")]),
        (format!("{m}/comp/end"), vec![]),
        (format!("{m}/signout"), vec![]),
        (
            "/admin/members/labels/".to_owned(),
            vec![("name", "hacked")],
        ),
        (format!("{l}/"), vec![("name", "hacked")]),
        (format!("{l}/merge"), vec![("into", press.as_str())]),
        (format!("{l}/delete"), vec![]),
    ] {
        let res = post(&app, &mut editor, &path, &fields).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "POST {path}");
    }
    let (all, _) = listed(&app, &mut owner, "").await;
    assert_eq!(all.len(), 5, "nothing was deleted");
    let cy = member(&app, "cy@example.org").await;
    assert_eq!(cy.name, "Cy Young");
    let labels = app.state.store.labels().await.unwrap();
    let names: Vec<&str> = labels.iter().map(|l| l.label.name.as_str()).collect();
    assert_eq!(names, ["press"], "no label made, renamed or deleted");
    assert_eq!(labels[0].members, 1);
}
