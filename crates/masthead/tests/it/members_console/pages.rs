//! One member's page (details, labels, comps, sessions) and the labels pages.

use super::{label, listed, member, site, sorted};
use crate::newsroom::{location, open, post};
use axum::http::StatusCode;

#[tokio::test]
async fn the_member_page_saves_details_and_labels_and_shows_them() {
    let (app, mut owner) = site().await;
    let ada = member(&app, "ada@example.com").await;
    let path = format!("/admin/members/{}/", ada.id);
    let page = open(&app, &mut owner, &path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.texts("h1"), ["Ada Lovelace"]);
    assert_eq!(page.texts("#member-status"), ["Paid"]);
    let sub = page.texts("#member-subscription dd");
    assert_eq!(
        sub[..3],
        ["Subscriber+", "Active", "$8/month or $80/year"],
        "{sub:?}"
    );
    assert!(
        page.texts("#member-subscription dt")
            .contains(&"Renews".to_owned())
    );
    assert!(sub.contains(&"sub_ada".to_owned()));
    assert_eq!(
        page.attrs("a[href$='/activity/']", "href"),
        [format!("/admin/members/{}/activity/", ada.id)]
    );

    let saved = post(
        &app,
        &mut owner,
        &path,
        &[
            ("name", "Ada King"),
            ("email", "ada.king@example.com"),
            ("note", "Met at the fair"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(location(&saved), format!("{path}?saved=details"));
    let page = open(&app, &mut owner, location(&saved)).await;
    assert_eq!(page.texts("#member-notice"), ["Saved."]);
    assert_eq!(page.texts("h1"), ["Ada King"]);
    assert_eq!(
        page.attrs("#member-email", "value"),
        ["ada.king@example.com"]
    );
    assert_eq!(page.texts("#member-note"), ["Met at the fair"]);
    assert!(
        page.attrs("#member-subscribed", "checked").is_empty(),
        "unticked"
    );
    let profile = app
        .state
        .store
        .member_profile(&ada.id)
        .await
        .unwrap()
        .unwrap();
    assert!(!profile.subscribed);

    // A bad or taken address is explained next to the field, and nothing changes.
    for (email, status, says) in [
        ("not-an-email", StatusCode::BAD_REQUEST, ""),
        (
            "reader@example.com",
            StatusCode::CONFLICT,
            "Another member has that email.",
        ),
    ] {
        let refused = post(
            &app,
            &mut owner,
            &path,
            &[
                ("name", "Changed"),
                ("email", email),
                ("note", "x"),
                ("subscribed", "on"),
            ],
        )
        .await;
        assert_eq!(refused.status, status, "{email}");
        let error = refused.texts("#member-email-error");
        assert_eq!(error.len(), 1, "{email}: {}", refused.body);
        assert!(error[0].contains(says), "{error:?}");
        assert_eq!(
            refused.attrs("#member-email", "value"),
            [email],
            "typed value kept"
        );
    }
    let long = "n".repeat(2001);
    let refused = post(
        &app,
        &mut owner,
        &path,
        &[
            ("name", "Ada King"),
            ("email", "ada.king@example.com"),
            ("note", &long),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused.texts("#member-note-error"),
        ["A note has at most 2,000 characters."]
    );
    let now = member(&app, "ada.king@example.com").await;
    assert_eq!(now.name, "Ada King", "unchanged by the refused saves");

    // Labels: one ticked, one typed (created), another ticked off.
    let press = app
        .state
        .store
        .label_by_name("press")
        .await
        .unwrap()
        .unwrap();
    let set = post(
        &app,
        &mut owner,
        &format!("{path}labels"),
        &[("label", "press"), ("new_labels", "Donor, vip ")],
    )
    .await;
    assert_eq!(location(&set), format!("{path}?saved=labels"));
    let page = open(&app, &mut owner, &path).await;
    let ticked: Vec<String> = page
        .doc()
        .select(&crate::helpers::sel(
            "#member-labels input[name=label][checked]",
        ))
        .map(|e| e.value().attr("value").unwrap().to_owned())
        .collect();
    assert_eq!(ticked, ["Donor", "press", "vip"]);
    let (vip, _) = listed(&app, &mut owner, "filter=label%3Avip").await;
    assert_eq!(vip, ["ada.king@example.com"]);
    post(
        &app,
        &mut owner,
        &format!("{path}labels"),
        &[("label", "vip")],
    )
    .await;
    let held = app.state.store.member_labels(&ada.id).await.unwrap();
    assert_eq!(
        held.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
        ["vip"]
    );
    assert!(
        app.state
            .store
            .label_by_id(&press.id)
            .await
            .unwrap()
            .is_some(),
        "kept for others"
    );

    let missing = open(&app, &mut owner, "/admin/members/nobody/").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let missing = post(&app, &mut owner, "/admin/members/nobody/signout", &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_comp_with_an_end_date_shows_and_can_be_ended() {
    let (app, mut owner) = site().await;
    let bob = member(&app, "bob@example.com").await;
    let path = format!("/admin/members/{}/", bob.id);
    let page = open(&app, &mut owner, &path).await;
    assert_eq!(page.texts("#member-status"), ["Free"]);

    let past = post(
        &app,
        &mut owner,
        &format!("{path}comp"),
        &[("tier", "subscriber-plus"), ("until", "2020-05-01")],
    )
    .await;
    assert_eq!(past.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        past.texts("#comp-error"),
        ["The end date must be in the future."]
    );
    assert_eq!(past.attrs("#comp-until", "value"), ["2020-05-01"]);
    let garbled = post(
        &app,
        &mut owner,
        &format!("{path}comp"),
        &[("tier", "subscriber-plus"), ("until", "next tuesday")],
    )
    .await;
    assert_eq!(garbled.status, StatusCode::BAD_REQUEST);
    assert_eq!(garbled.count("#comp-error"), 1);

    let comped = post(
        &app,
        &mut owner,
        &format!("{path}comp"),
        &[("tier", "subscriber-plus"), ("until", "2099-03-31")],
    )
    .await;
    assert_eq!(comped.status, StatusCode::SEE_OTHER, "{}", comped.body);
    let page = open(&app, &mut owner, location(&comped)).await;
    assert_eq!(page.texts("#member-status"), ["Comped"]);
    let sub = page.texts("#member-subscription dd");
    assert_eq!(
        sub,
        ["Subscriber+", "Comped", "Free (comped)", "2099-03-31"]
    );
    assert_eq!(page.texts("#member-subscription dt")[3], "Ends");
    let (comps, _) = listed(&app, &mut owner, "filter=status%3Acomped").await;
    assert!(comps.contains(&"bob@example.com".to_owned()));

    // Ending it asks first.
    let end = format!("{path}comp/end");
    let ask = open(&app, &mut owner, &end).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(
        ask.body.contains("End Bob Brown’s free Subscriber+?"),
        "{}",
        ask.body
    );
    assert_eq!(
        member_status(&app, &bob.id).await,
        "comped",
        "asking changes nothing"
    );
    let ended = post(&app, &mut owner, &end, &[]).await;
    assert_eq!(location(&ended), format!("{path}?saved=comp_ended"));
    let page = open(&app, &mut owner, &path).await;
    assert_eq!(page.texts("#member-status"), ["Free"]);
    assert_eq!(member_status(&app, &bob.id).await, "canceled");
    assert!(page.attrs("a[href$='/comp/end']", "href").is_empty());
}

async fn member_status(app: &crate::helpers::TestApp, id: &str) -> &'static str {
    let sub = app.state.store.subscription(id).await.unwrap().unwrap();
    sub.status.as_str()
}

#[tokio::test]
async fn sign_out_everywhere_ends_the_members_sessions() {
    let (app, mut owner) = site().await;
    let reader = app.signed_in("bob@example.com").await;
    let phone = app.signed_in("bob@example.com").await;
    for b in [&reader, &phone] {
        assert_eq!(
            app.get_as("/account/", &b.cookies()).await.status,
            StatusCode::OK
        );
    }
    let bob = member(&app, "bob@example.com").await;
    let path = format!("/admin/members/{}/", bob.id);
    let page = open(&app, &mut owner, &path).await;
    assert_eq!(page.texts("#member-sessions strong"), ["2"]);
    let out = post(&app, &mut owner, &format!("{path}signout"), &[]).await;
    assert_eq!(location(&out), format!("{path}?saved=signed_out"));
    for b in [&reader, &phone] {
        let res = app.get_as("/account/", &b.cookies()).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "the member cookie stopped working"
        );
        assert!(res.header("location").starts_with("/signin/"));
    }
    let page = open(&app, &mut owner, &path).await;
    assert_eq!(page.texts("#member-sessions strong"), ["0"]);
    let audit = crate::newsroom_tags::audit_actions(&app, &mut owner).await;
    assert!(
        audit.iter().any(|a| a.contains("member.signed_out")),
        "{audit:?}"
    );
}

#[tokio::test]
async fn labels_are_renamed_merged_and_deleted() {
    let (app, mut owner) = site().await;
    let press = app
        .state
        .store
        .label_by_name("press")
        .await
        .unwrap()
        .unwrap()
        .id;
    let media = label(&app, &mut owner, "Media").await;
    let bob = member(&app, "bob@example.com").await;
    let cy = member(&app, "cy@example.org").await;
    app.state
        .store
        .set_member_labels(&bob.id, std::slice::from_ref(&media), chrono::Utc::now())
        .await
        .unwrap();
    app.state
        .store
        .set_member_labels(&cy.id, &[press.clone(), media.clone()], chrono::Utc::now())
        .await
        .unwrap();

    let list = open(&app, &mut owner, "/admin/members/labels/").await;
    assert_eq!(list.texts("table.labels th[scope=row]"), ["Media", "press"]);
    assert_eq!(
        list.attrs("table.labels [data-count]", "data-count"),
        ["2", "1"]
    );
    assert_eq!(
        list.attrs("tr[data-label=press] a[data-count]", "href"),
        ["/admin/members/?filter=label%3Apress"]
    );
    let taken = post(
        &app,
        &mut owner,
        "/admin/members/labels/",
        &[("name", "MEDIA")],
    )
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(
        taken.texts("#label-name-error"),
        ["A label with that name already exists."]
    );
    let blank = post(
        &app,
        &mut owner,
        "/admin/members/labels/",
        &[("name", "  ")],
    )
    .await;
    assert_eq!(blank.status, StatusCode::BAD_REQUEST);
    assert_eq!(blank.count("#label-name-error"), 1);

    // Renamed: the slug stays, so the filter still finds its members.
    let edit = format!("/admin/members/labels/{press}/");
    open(&app, &mut owner, &edit).await;
    let clash = post(&app, &mut owner, &edit, &[("name", "media")]).await;
    assert_eq!(clash.status, StatusCode::CONFLICT);
    assert_eq!(clash.count("#label-error"), 1);
    let renamed = post(&app, &mut owner, &edit, &[("name", "Press & TV")]).await;
    assert_eq!(location(&renamed), "/admin/members/labels/?done=renamed");
    let (found, page) = listed(&app, &mut owner, "filter=label%3Apress").await;
    assert_eq!(found, ["cy@example.org"]);
    assert!(page.texts(".presets a").contains(&"Press & TV".to_owned()));

    // Merged, after a confirmation.
    let ask = open(
        &app,
        &mut owner,
        &format!("/admin/members/labels/{media}/merge?into={press}"),
    )
    .await;
    assert_eq!(
        ask.texts("#merge-question"),
        [
            "Merge “Media” into “Press & TV”? Its 2 members get “Press & TV”, and “Media” is deleted."
        ]
    );
    assert_eq!(
        app.state.store.labels().await.unwrap().len(),
        2,
        "asking merges nothing"
    );
    let merged = post(
        &app,
        &mut owner,
        &format!("/admin/members/labels/{media}/merge"),
        &[("into", press.as_str())],
    )
    .await;
    assert_eq!(location(&merged), "/admin/members/labels/?done=merged");
    let (found, _) = listed(&app, &mut owner, "filter=label%3Apress").await;
    assert_eq!(sorted(found), ["bob@example.com", "cy@example.org"]);
    assert!(app.state.store.label_by_id(&media).await.unwrap().is_none());
    let into_itself = open(
        &app,
        &mut owner,
        &format!("/admin/members/labels/{press}/merge?into={press}"),
    )
    .await;
    assert_eq!(into_itself.status, StatusCode::BAD_REQUEST);

    // Deleted, after a confirmation; the members stay.
    let delete = format!("/admin/members/labels/{press}/delete");
    let ask = open(&app, &mut owner, &delete).await;
    assert_eq!(
        ask.texts("#delete-question"),
        ["Delete the label “Press & TV”? 2 members lose it; nothing else about them changes."]
    );
    let deleted = post(&app, &mut owner, &delete, &[]).await;
    assert_eq!(location(&deleted), "/admin/members/labels/?done=deleted");
    let list = open(&app, &mut owner, location(&deleted)).await;
    assert_eq!(list.texts("p.ok"), ["Label deleted."]);
    assert_eq!(list.count("table.labels th[scope=row]"), 0);
    let (all, _) = listed(&app, &mut owner, "").await;
    assert_eq!(all.len(), 5);
    let gone = open(&app, &mut owner, &edit).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}
