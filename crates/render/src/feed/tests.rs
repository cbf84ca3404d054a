use super::*;
use crate::fixtures::{CANARY, post, site};
use domain::Visibility;
use domain::access::{Viewer, project};

fn anonymous(p: &domain::Post) -> PostView {
    project(p, &Viewer::anonymous(), crate::fixtures::now())
}

fn info() -> FeedInfo {
    FeedInfo {
        title: "The Test Review".into(),
        description: "Analysis.".into(),
        page: "/".into(),
        feed: "/rss/".into(),
    }
}

fn feed_of(posts: &[domain::Post]) -> (String, Channel) {
    let views: Vec<PostView> = posts.iter().map(anonymous).collect();
    let xml = rss(&info(), &site(), &views);
    let channel = Channel::read_from(xml.as_bytes()).expect("the feed parses");
    (xml, channel)
}

#[test]
fn public_posts_carry_their_whole_body_with_absolute_links() {
    let (_, channel) = feed_of(&[post("open", Visibility::Public, false)]);
    let item = &channel.items[0];
    let html = item.content.as_deref().unwrap();
    assert!(html.contains("Free opening"));
    assert!(
        html.contains(r#"href="https://news.example/tag/china/""#),
        "{html}"
    );
    assert!(html.contains(r#"src="https://news.example/content/images/x.jpg""#));
    assert!(html.contains(r#"<img src="https://news.example/content/images/lead.jpg""#));
    assert!(!html.contains("Continue reading"));
    assert_eq!(item.link.as_deref(), Some("https://news.example/open/"));
}

#[test]
fn gated_posts_stop_at_the_free_part_with_a_link_to_the_page() {
    let (xml, channel) = feed_of(&[post("locked", Visibility::Paid, true)]);
    assert!(!xml.contains(CANARY), "no gated text anywhere in the feed");
    let html = channel.items[0].content.as_deref().unwrap();
    assert!(html.contains("Free opening"));
    assert!(html.contains(
        r#"<a href="https://news.example/locked/">Continue reading on The Test Review</a>"#
    ));
}

#[test]
fn items_carry_guid_creator_categories_and_media() {
    let (xml, channel) = feed_of(&[post("open", Visibility::Public, false)]);
    let item = &channel.items[0];
    let guid = item.guid.as_ref().unwrap();
    assert_eq!((guid.value.as_str(), guid.permalink), ("id-open", false));
    assert_eq!(
        item.dublin_core_ext.as_ref().unwrap().creators,
        ["Writer amy"]
    );
    let names: Vec<&str> = item.categories.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["DEEP DIVE", "CHINA"]);
    let media = &item.extensions["media"]["content"][0];
    assert_eq!(
        media.attrs["url"],
        "https://news.example/content/images/lead.jpg"
    );
    assert_eq!(
        (
            media.attrs["width"].as_str(),
            media.attrs["height"].as_str()
        ),
        ("1200", "675")
    );
    assert_eq!(
        media.children["credit"][0].value.as_deref(),
        Some("Photo: Desk")
    );
    assert!(xml.contains(r#"xmlns:media="http://search.yahoo.com/mrss/""#));
    let self_link = &channel.atom_ext.as_ref().unwrap().links[0];
    assert_eq!(
        (self_link.rel.as_str(), self_link.href.as_str()),
        ("self", "https://news.example/rss/")
    );
    assert_eq!(
        item.pub_date.as_deref(),
        Some("Fri, 20 Nov 2026 10:00:00 +0000")
    );
}

#[test]
fn the_same_posts_give_the_same_bytes() {
    let posts = [
        post("one", Visibility::Public, false),
        post("two", Visibility::Members, true),
    ];
    let (first, channel) = feed_of(&posts);
    assert_eq!(first, feed_of(&posts).0);
    assert_eq!(
        channel.last_build_date.as_deref(),
        Some("Fri, 20 Nov 2026 11:00:00 +0000"),
        "the newest change, not the clock"
    );
}

#[test]
fn only_site_relative_links_are_rewritten() {
    let html = r##"<a href="//cdn.example/x">a</a><a href="/y/">b</a><img src="https://o.example/z.png"><a href="#n">c</a>"##;
    assert_eq!(
        absolute_links(html, "https://news.example/"),
        r##"<a href="//cdn.example/x">a</a><a href="https://news.example/y/">b</a><img src="https://o.example/z.png"><a href="#n">c</a>"##
    );
}
