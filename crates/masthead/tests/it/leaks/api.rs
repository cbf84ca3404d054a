//! The leak matrix's machine surfaces: the Content API and webhook bodies. Both show what an
//! anonymous reader may see, whoever asks, so they are checked once rather than per viewer.

use crate::helpers::TestApp;
use axum::http::StatusCode;
use chrono::{Duration, Utc};

/// The Content API: a content key reads as an anonymous reader, whoever holds it, so every
/// listing and read (all formats, every include) shows a probe's free part and never its canary.
pub async fn content_api_surfaces(
    app: &TestApp,
    probes: &[(String, String, &'static str)],
) -> Vec<String> {
    let key = crate::ghost_content::content_key(app).await;
    let all = "formats=html,plaintext&include=tags,authors,tiers";
    let mut paths = vec![
        format!("/ghost/api/content/posts/?key={key}&limit=all&{all}"),
        format!("/ghost/api/content/posts/?key={key}&filter=tag:china&{all}"),
        format!("/ghost/api/content/posts/?key={key}&filter=visibility:-public&{all}"),
        format!("/ghost/api/content/posts/?key={key}&filter=title:~'leak probe'&{all}")
            .replace(' ', "%20")
            .replace('\'', "%27"),
        format!("/ghost/api/content/pages/?key={key}&limit=all&{all}"),
        format!("/ghost/api/content/tags/?key={key}&include=count.posts"),
        format!("/ghost/api/content/authors/?key={key}&include=count.posts"),
        format!("/ghost/api/content/settings/?key={key}"),
    ];
    for (canary, slug, _) in probes {
        let read = format!("/ghost/api/content/posts/slug/{slug}/?key={key}&{all}");
        let res = app.get(&read).await;
        assert_eq!(res.status, StatusCode::OK, "{read}");
        let post: serde_json::Value = serde_json::from_str(&res.body).unwrap();
        let post = &post["posts"][0];
        for field in ["html", "plaintext", "excerpt"] {
            let text = post[field].as_str().unwrap();
            assert!(
                text.contains("Free opening paragraph"),
                "{field}: the free part is shown"
            );
            assert!(!text.contains(canary.as_str()), "{field}: no gated text");
        }
        assert_eq!(post["access"], false);
        let id = post["id"].as_str().unwrap();
        paths.push(read);
        paths.push(format!("/ghost/api/content/posts/{id}/?key={key}&{all}"));
    }
    paths
}

/// Webhook bodies leave the site for any URL an admin registered: an edit and a deletion of each
/// probe, queued through the same emitter the Admin API uses, carry its free part, never its
/// canary.
pub async fn webhook_bodies_show_only_the_free_part(
    app: &TestApp,
    probes: &[(String, String, &'static str)],
) {
    let auth = crate::helpers::admin::admin_auth(app).await;
    for event in ["post.published.edited", "post.deleted"] {
        let hook = serde_json::json!({ "webhooks": [{ "event": event, "target_url": "http://127.0.0.1:9/" }] });
        let res = crate::helpers::admin::call(
            app,
            axum::http::Method::POST,
            "webhooks/",
            &auth,
            Some(hook),
        )
        .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    }
    for (_, slug, _) in probes {
        let post = app.state.store.post_by_slug(slug).await.unwrap().unwrap();
        let url = &app.state.config.public_url;
        let now = Utc::now();
        let edited = masthead::webhooks::emit::post_outgoing(url, Some(&post), Some(&post), now);
        let deleted = masthead::webhooks::emit::post_outgoing(url, Some(&post), None, now);
        for out in edited.iter().chain(&deleted) {
            app.state
                .store
                .enqueue_webhook_event(out.event, &out.body, now)
                .await
                .unwrap();
        }
    }
    let queued = app
        .state
        .store
        .due_deliveries(Utc::now() + Duration::days(1), 100)
        .await
        .unwrap();
    assert_eq!(
        queued.len(),
        2 * probes.len(),
        "an edit and a deletion per probe"
    );
    for d in &queued {
        assert!(
            d.body.contains("Free opening paragraph"),
            "{}: the free part is shown",
            d.event
        );
        for (canary, _, _) in probes {
            assert!(
                !d.body.contains(canary.as_str()),
                "{}: no gated text",
                d.event
            );
        }
    }
}
