//! Markdown rendering and the sanitizer's treatment of hostile input.

use super::*;

fn html(md: &str) -> String {
    render(md).html
}

#[test]
fn gfm_features_render() {
    let out =
        html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ and a note[^1]\n\n[^1]: The note.\n");
    assert!(out.contains("<table>"), "{out}");
    assert!(out.contains("<del>gone</del>"), "{out}");
    assert!(out.contains("footnote-ref"), "{out}");
    assert!(out.contains("The note."), "{out}");
}

#[test]
fn headings_get_stable_ids() {
    let out = html("## Strait of Hormuz: the stakes\n\n## Strait of Hormuz: the stakes\n");
    assert!(
        out.contains(r#"<h2 id="strait-of-hormuz-the-stakes">"#),
        "{out}"
    );
    assert!(
        out.contains(r#"<h2 id="strait-of-hormuz-the-stakes-1">"#),
        "{out}"
    );
    assert_eq!(
        out,
        html("## Strait of Hormuz: the stakes\n\n## Strait of Hormuz: the stakes\n")
    );
}

#[test]
fn hostile_html_is_neutralised() {
    let attacks = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "[x](javascript:alert(1))",
        "<style>body{display:none}</style>",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<div style=\"position:fixed\" onclick=\"alert(1)\">x</div>",
        "<svg><script>alert(1)</script></svg>",
        "<form action=/x><input name=a></form>",
        "<object data=x></object><embed src=x>",
        "<meta http-equiv=refresh content=0>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    ];
    for attack in attacks {
        let out = html(attack).to_lowercase();
        for bad in [
            "<script",
            "onerror",
            "onclick",
            "javascript:",
            "<style",
            "evil.example",
            "style=",
            "<form",
            "<object",
            "<embed",
            "<meta",
            "<svg",
        ] {
            assert!(!out.contains(bad), "{attack:?} produced {out:?}");
        }
    }
}

#[test]
fn allowed_embeds_survive() {
    let out =
        html("<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"Talk\"></iframe>");
    assert!(
        out.contains("src=\"https://www.youtube-nocookie.com/embed/abc\""),
        "{out}"
    );
}

#[test]
fn links_get_safe_rel() {
    let out = html("[site](https://example.com)");
    assert!(out.contains("rel=\"noopener noreferrer\""), "{out}");
}

#[test]
fn plain_text_keeps_paragraphs() {
    let part = render("# Title\n\nFirst *para*\nwraps.\n\n- item `code`\n\n<b>raw</b>\n");
    assert_eq!(part.text, "Title\n\nFirst para wraps.\n\nitem code\n\nraw");
}

#[test]
fn compose_splits_at_marker() {
    let body = compose_body(
        "Free para.\n\n<!--members-only-->\n\nGated para.\n",
        Some(5),
    );
    assert!(body.free().html.contains("Free para."));
    assert!(!body.free().html.contains("Gated") && !body.free().text.contains("Gated"));
    assert!(body.has_gated_part());
    assert!(!compose_body("No marker.", None).has_gated_part());
}

#[test]
fn without_a_marker_gated_posts_keep_their_first_blocks_free() {
    let src = "One.\n\n## Two\n\n- three\n- still three\n\nFour.\n";
    let body = compose_body(src, Some(2));
    assert!(body.free().text.contains("One.") && body.free().text.contains("Two"));
    assert!(!body.free().text.contains("three") && body.has_gated_part());
    assert!(
        !compose_body(src, Some(10)).has_gated_part(),
        "short posts stay whole"
    );
    assert!(
        !compose_body(src, None).has_gated_part(),
        "public posts are never split"
    );
}

#[test]
fn raw_html_blocks_have_plain_text_without_script() {
    let part = render("<p>First &amp; <b>bold</b>.</p><h2>Second</h2><script>evil()</script>\n");
    assert_eq!(part.text, "First & bold.\n\nSecond");
    assert!(!part.html.contains("script"));
    let gated = compose_body(
        "<p>Free.</p>\n\n<!--members-only-->\n\n<p>Gated.</p>\n",
        Some(2),
    );
    assert_eq!(gated.free().text, "Free.");
}
