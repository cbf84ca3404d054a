//! Markdown (CommonMark + GFM tables, footnotes, strikethrough) → sanitized HTML and plain text.
//!
//! Rendering happens once, when a post is saved. Raw HTML in the source is allowed through the
//! parser and then cleaned by an allow-list: no scripts, styles, event handlers or `javascript:`
//! URLs; iframes only from a short list of embed providers.

use ammonia::Builder;
use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options};
use domain::body::{Body, BodyPart, split_source};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Embed sources allowed in `<iframe src>`; anything else loses its `src` and shows nothing.
pub const EMBED_PREFIXES: &[&str] = &[
    "https://www.youtube-nocookie.com/embed/",
    "https://www.youtube.com/embed/",
    "https://player.vimeo.com/video/",
    "https://w.soundcloud.com/player/",
    "https://open.spotify.com/embed/",
];

/// Splits `markdown` at the paywall marker and renders both parts. Without a marker, a gated
/// post (`free_blocks` is `Some(n)`) keeps its first `n` top-level blocks free and gates the rest.
pub fn compose_body(markdown: &str, free_blocks: Option<usize>) -> Body {
    let (free, gated) = match (split_source(markdown), free_blocks) {
        ((free, Some(gated)), _) => (free, Some(gated)),
        ((_, None), Some(n)) => split_after_blocks(markdown, n),
        ((all, None), None) => (all, None),
    };
    Body::new(markdown.to_owned(), render(free), gated.map(render))
}

/// Splits the source before its `n + 1`th top-level block (paragraph, heading, list…).
fn split_after_blocks(markdown: &str, n: usize) -> (&str, Option<&str>) {
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, markdown, &OPTIONS);
    let Some(next) = root.children().nth(n) else {
        return (markdown, None);
    };
    let line = next.data().sourcepos.start.line;
    let offset: usize = markdown
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (&markdown[..offset], Some(&markdown[offset..]))
}

/// Renders one Markdown fragment to sanitized HTML and its plain text.
pub fn render(markdown: &str) -> BodyPart {
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, markdown, &OPTIONS);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    // Writing into a String cannot fail.
    let _ = comrak::format_html(root, &OPTIONS, &mut raw);
    BodyPart {
        html: SANITIZER.clean(&raw).to_string(),
        text: plain_text(root),
    }
}

static OPTIONS: LazyLock<Options<'static>> = LazyLock::new(|| {
    let mut o = Options::default();
    o.extension.strikethrough = true;
    o.extension.table = true;
    o.extension.footnotes = true;
    o.extension.autolink = true;
    o.extension.header_id_prefix = Some(String::new());
    o.render.r#unsafe = true; // raw HTML is passed on to the sanitizer, which decides.
    o
});

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::default();
    b.add_tags(["figure", "figcaption", "iframe", "section", "aside"])
        .add_tag_attributes("a", ["aria-label", "id"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes(
            "iframe",
            [
                "src",
                "width",
                "height",
                "title",
                "allow",
                "allowfullscreen",
                "loading",
            ],
        )
        .add_tag_attributes("img", ["loading", "width", "height"])
        .allowed_classes(HashMap::from([
            ("a", HashSet::from(["anchor", "footnote-backref"])),
            ("sup", HashSet::from(["footnote-ref"])),
            ("section", HashSet::from(["footnotes"])),
            ("aside", HashSet::from(["pull-quote"])),
        ]))
        .attribute_filter(filter_attribute);
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, ["id"]);
    }
    b
});

fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match (element, attribute) {
        ("iframe", "src") => EMBED_PREFIXES
            .iter()
            .any(|p| value.starts_with(p))
            .then_some(value.into()),
        (_, "id") => value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            .then_some(value.into()),
        _ => Some(value.into()),
    }
}

/// The text of every paragraph-like block, separated by blank lines.
fn plain_text<'a>(root: &'a AstNode<'a>) -> String {
    let mut blocks: Vec<String> = Vec::new();
    for node in root.descendants() {
        let is_block = matches!(
            node.data().value,
            NodeValue::Paragraph
                | NodeValue::Heading(_)
                | NodeValue::CodeBlock(_)
                | NodeValue::TableRow(_)
        );
        if is_block {
            let text = inline_text(node);
            if !text.is_empty() {
                blocks.push(text);
            }
        }
        // Raw HTML (posts written as HTML through the Admin API, figures): its text, after
        // sanitizing, so excerpts and reading time see it too.
        if let NodeValue::HtmlBlock(h) = &node.data().value {
            blocks.extend(html_text(&SANITIZER.clean(&h.literal).to_string()));
        }
    }
    blocks.join("\n\n")
}

/// The paragraphs of sanitized HTML as plain text: block ends separate paragraphs, other tags
/// are dropped, the entities the sanitizer writes are decoded.
fn html_text(html: &str) -> Vec<String> {
    let mut paragraphs = vec![String::new()];
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        if let Some(p) = paragraphs.last_mut() {
            p.push_str(&rest[..open]);
        }
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = rest[open + 1..open + close]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        let name = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        if matches!(
            name,
            "p" | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "li"
                | "br"
                | "div"
                | "blockquote"
                | "figcaption"
                | "tr"
                | "pre"
        ) {
            paragraphs.push(String::new());
        }
        rest = &rest[open + close + 1..];
    }
    if let Some(p) = paragraphs.last_mut() {
        p.push_str(rest);
    }
    paragraphs
        .iter()
        .map(|p| {
            let flat = p.split_whitespace().collect::<Vec<_>>().join(" ");
            flat.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&nbsp;", " ")
                .replace("&amp;", "&")
        })
        .filter(|p| !p.is_empty())
        .collect()
}

fn inline_text<'a>(block: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for node in block.descendants() {
        match &node.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::CodeBlock(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak | NodeValue::TableCell => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
