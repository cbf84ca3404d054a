//! Markdown files with YAML front matter (`masthead post add`), parsed into `Draft`s.

use crate::compose::Draft;
use anyhow::{Context, Result, bail};
use chrono::{DateTime, NaiveDate, Utc};
use domain::{LeadImage, PostKind, Status, Visibility};
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    slug: Option<String>,
    #[serde(default)]
    dek: String,
    section: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    authors: Vec<String>,
    image: Option<String>,
    #[serde(default)]
    image_alt: String,
    #[serde(default)]
    caption: String,
    #[serde(default)]
    credit: String,
    visibility: Option<VisibilityField>,
    status: Option<String>,
    published_at: Option<String>,
    #[serde(default)]
    featured: bool,
    /// `post` (default) or `page`.
    kind: Option<String>,
    meta_title: Option<String>,
    meta_description: Option<String>,
    canonical_url: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(untagged)]
enum VisibilityField {
    Named(String),
    Tiers(Vec<String>),
}

/// Splits `---\n<yaml>\n---\n<markdown>` into its two parts.
fn split(text: &str) -> Result<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        bail!("the file must start with a `---` line followed by YAML front matter");
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    bail!("the front matter has no closing `---` line")
}

/// Parses one file's text; `dir` resolves a relative `image:` path (which `import_image` copies).
pub fn parse(text: &str) -> Result<(Draft, Option<String>)> {
    let (yaml, markdown) = split(text)?;
    let fm: FrontMatter = serde_yaml_ng::from_str(yaml).context("the front matter is not valid")?;
    let kind = PostKind::parse(fm.kind.as_deref().unwrap_or("post"))?;
    let mut draft = Draft::new(kind, &fm.title, markdown);
    draft.slug = fm.slug;
    draft.dek = fm.dek;
    draft.section = fm.section;
    draft.tags = fm.tags;
    draft.authors = fm.authors;
    draft.visibility = match fm.visibility {
        None => Visibility::Public,
        Some(VisibilityField::Named(v)) => Visibility::parse(&v)?,
        Some(VisibilityField::Tiers(t)) => Visibility::tiers(&t)?,
    };
    draft.status = Status::parse(fm.status.as_deref().unwrap_or("published"))?;
    draft.published_at = fm.published_at.as_deref().map(parse_date).transpose()?;
    draft.featured = fm.featured;
    draft.meta_title = fm.meta_title;
    draft.meta_description = fm.meta_description;
    draft.canonical_url = fm.canonical_url;
    let image_src = fm.image.clone();
    draft.image = fm.image.map(|url| LeadImage {
        url,
        width: None,
        height: None,
        alt: fm.image_alt,
        caption: fm.caption,
        credit: fm.credit,
    });
    Ok((draft, image_src))
}

/// Accepts RFC 3339 (`2026-11-20T09:30:00Z`), `2026-11-20 09:30` (UTC) or a plain date.
fn parse_date(raw: &str) -> Result<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M") {
        return Ok(t.and_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    bail!(
        "published_at {raw:?} must look like 2026-11-20, 2026-11-20 09:30 or 2026-11-20T09:30:00Z"
    )
}

/// Copies a local lead image next to the site's media and fills in its pixel size. URLs
/// (`http…` or site-relative `/…`) are kept as they are.
pub fn import_image(image: &mut LeadImage, md_file: &Path, media_dir: &Path) -> Result<()> {
    if image.url.starts_with("http://")
        || image.url.starts_with("https://")
        || image.url.starts_with('/')
    {
        return Ok(());
    }
    let source = md_file.parent().unwrap_or(Path::new(".")).join(&image.url);
    let (width, height) = image::image_dimensions(&source)
        .with_context(|| format!("image {} cannot be read as a picture", source.display()))?;
    let name = source
        .file_name()
        .context("image path has no file name")?
        .to_string_lossy()
        .to_string();
    let target_dir = media_dir.join("posts");
    std::fs::create_dir_all(&target_dir)
        .with_context(|| format!("cannot create {}", target_dir.display()))?;
    std::fs::copy(&source, target_dir.join(&name))
        .with_context(|| format!("cannot copy {}", source.display()))?;
    image.url = format!("/content/images/posts/{name}");
    image.width = Some(width);
    image.height = Some(height);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_keys() {
        let text = "---\ntitle: Hello\nslug: hello-there\ndek: A dek\nsection: Deep Dive\ntags: [China, cyber]\nauthors:\n  - Jane Roe\nimage: https://img.example/x.jpg\nimage_alt: Alt\ncaption: Cap\ncredit: Cred\nvisibility: [subscriber-plus]\nstatus: published\npublished_at: 2026-11-20\nfeatured: true\n---\nBody\n";
        let (d, _) = parse(text).unwrap();
        assert_eq!(d.title, "Hello");
        assert_eq!(d.slug.as_deref(), Some("hello-there"));
        assert_eq!(d.section.as_deref(), Some("Deep Dive"));
        assert_eq!(d.tags, ["China", "cyber"]);
        assert_eq!(d.visibility.kind(), "tiers");
        assert!(d.featured);
        assert_eq!(d.markdown, "Body\n");
        let img = d.image.unwrap();
        assert_eq!((img.caption.as_str(), img.credit.as_str()), ("Cap", "Cred"));
    }

    #[test]
    fn bad_files_explain_what_is_wrong() {
        let cases = [
            ("no front matter", "must start"),
            ("---\ntitle: x\n", "closing"),
            ("---\ntitle: [unclosed\n---\n", "not valid"),
            ("---\ndek: no title\n---\n", "not valid"),
            ("---\ntitle: x\nvisibility: secret\n---\n", "visibility"),
            ("---\ntitle: x\nstatus: live\n---\n", "status"),
            (
                "---\ntitle: x\npublished_at: yesterday\n---\n",
                "published_at",
            ),
            ("---\ntitle: x\ncolour: red\n---\n", "not valid"),
        ];
        for (text, want) in cases {
            let err = format!("{:#}", parse(text).unwrap_err());
            assert!(err.contains(want), "{text:?} gave {err:?}");
        }
    }
}
