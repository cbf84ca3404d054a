//! Themes: Handlebars templates laid out like a Ghost theme, embedded or loaded from a folder.
//!
//! A template whose source starts with `{{!< default}}` is rendered into `default.hbs` as
//! `{{{body}}}`. Helpers: `{{asset "path"}}` (fingerprinted URL), `{{ghost_head}}` and
//! `{{ghost_foot}}` (page metadata and scripts prepared by `head`), `{{img_url}}` and
//! `{{img_srcset}}` (image variants at the sizes `package.json` declares; `theme/images.rs`).

mod images;

pub use images::{ImageSizes, srcset, variant_url};

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use include_dir::{Dir, include_dir};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/theme");

/// Templates every theme must provide; others fall back as in Ghost (tag → index, page → post).
const REQUIRED: &[&str] = &["default", "index", "post", "error"];
const FALLBACKS: &[(&str, &str)] = &[
    ("page", "post"),
    ("tag", "index"),
    ("author", "index"),
    ("search", "index"),
];

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("cannot read theme folder {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("theme is missing {0}.hbs")]
    Missing(String),
    #[error("theme template {name} does not parse: {message}")]
    Parse { name: String, message: String },
    #[error("rendering {name} failed: {message}")]
    Render { name: String, message: String },
}

/// A static file of the theme's `assets/` folder.
pub struct Asset {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    /// Short content hash used as the `?v=` fingerprint.
    pub hash: String,
}

pub struct Theme {
    hb: Handlebars<'static>,
    with_layout: HashSet<String>,
    assets: HashMap<String, Asset>,
}

impl Theme {
    /// The default theme compiled into the binary.
    pub fn embedded() -> Result<Theme, ThemeError> {
        let mut files = Vec::new();
        collect_embedded(&EMBEDDED, &mut files);
        Theme::from_files(files)
    }

    /// A theme from a folder laid out like the default one.
    pub fn from_dir(root: &Path) -> Result<Theme, ThemeError> {
        let mut files = Vec::new();
        collect_dir(root, root, &mut files)?;
        Theme::from_files(files)
    }

    fn from_files(files: Vec<(String, Vec<u8>)>) -> Result<Theme, ThemeError> {
        let mut hb = Handlebars::new();
        let mut with_layout = HashSet::new();
        let mut assets = HashMap::new();
        let mut sizes = ImageSizes::default();
        for (path, bytes) in files {
            if path == "package.json" {
                let package = serde_json::from_slice(&bytes).map_err(|e| ThemeError::Parse {
                    name: path.clone(),
                    message: e.to_string(),
                })?;
                sizes = ImageSizes::from_package(&package);
            }
            if let Some(asset_path) = path.strip_prefix("assets/") {
                assets.insert(asset_path.to_owned(), asset(&path, bytes));
            } else if let Some(name) = path.strip_suffix(".hbs") {
                let source = String::from_utf8_lossy(&bytes);
                let (name, is_partial) = match name.strip_prefix("partials/") {
                    Some(partial) => (partial, true),
                    None => (name, false),
                };
                let parsed = if is_partial {
                    hb.register_partial(name, source.as_ref())
                } else {
                    hb.register_template_string(name, source.as_ref())
                };
                parsed.map_err(|e| ThemeError::Parse {
                    name: path.clone(),
                    message: e.to_string(),
                })?;
                if !is_partial && source.trim_start().starts_with("{{!< default}}") {
                    with_layout.insert(name.to_owned());
                }
            }
        }
        for name in REQUIRED {
            if !hb.has_template(name) {
                return Err(ThemeError::Missing((*name).to_owned()));
            }
        }
        let hashes: HashMap<String, String> = assets
            .iter()
            .map(|(k, a)| (k.clone(), a.hash.clone()))
            .collect();
        hb.register_helper(
            "asset",
            Box::new(
                move |h: &Helper,
                      _: &Handlebars,
                      _: &Context,
                      _: &mut RenderContext,
                      out: &mut dyn Output|
                      -> HelperResult {
                    let path = h
                        .param(0)
                        .and_then(|p| p.value().as_str())
                        .unwrap_or_default();
                    let path = path.trim_start_matches('/');
                    match hashes.get(path) {
                        Some(hash) => out.write(&format!("/assets/{path}?v={hash}"))?,
                        None => out.write(&format!("/assets/{path}"))?,
                    }
                    Ok(())
                },
            ),
        );
        hb.register_helper("encode", Box::new(encode));
        hb.register_helper("img_url", Box::new(images::img_url(sizes.clone())));
        hb.register_helper("img_srcset", Box::new(images::img_srcset(sizes)));
        hb.register_helper("ghost_head", Box::new(raw_root_field("ghost_head")));
        hb.register_helper("ghost_foot", Box::new(raw_root_field("ghost_foot")));
        Ok(Theme {
            hb,
            with_layout,
            assets,
        })
    }

    /// Renders `template` (falling back like Ghost when the theme lacks it) with `ctx`.
    pub fn render(&self, template: &str, ctx: &Value) -> Result<String, ThemeError> {
        let name = self.resolve(template);
        let rendered = self.render_one(name, ctx)?;
        if !self.with_layout.contains(name) {
            return Ok(rendered);
        }
        let mut with_body = ctx.clone();
        if let Value::Object(map) = &mut with_body {
            map.insert("body".into(), Value::String(rendered));
        }
        self.render_one("default", &with_body)
    }

    fn render_one(&self, name: &str, ctx: &Value) -> Result<String, ThemeError> {
        self.hb.render(name, ctx).map_err(|e| ThemeError::Render {
            name: name.to_owned(),
            message: e.to_string(),
        })
    }

    fn resolve<'a>(&self, template: &'a str) -> &'a str {
        if self.hb.has_template(template) {
            return template;
        }
        FALLBACKS
            .iter()
            .find(|(t, _)| *t == template)
            .map_or("index", |(_, f)| *f)
    }

    pub fn asset(&self, path: &str) -> Option<&Asset> {
        self.assets.get(path)
    }
}

/// `{{encode value}}`: percent-encodes a value for use inside a URL (as Ghost's helper does).
fn encode(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let value = match h.param(0).map(handlebars::PathAndJson::value) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    out.write(
        &percent_encoding::utf8_percent_encode(&value, percent_encoding::NON_ALPHANUMERIC)
            .to_string(),
    )?;
    Ok(())
}

/// A helper that writes a string field of the root context without escaping.
fn raw_root_field(
    field: &'static str,
) -> impl Fn(&Helper, &Handlebars, &Context, &mut RenderContext, &mut dyn Output) -> HelperResult
+ Send
+ Sync {
    move |_, _, ctx, _, out| {
        match ctx.data().get(field) {
            Some(Value::String(s)) => out.write(s)?,
            Some(Value::Null) | None => {}
            Some(_) => {
                return Err(RenderErrorReason::Other(format!("{field} must be a string")).into());
            }
        }
        Ok(())
    }
}

fn asset(path: &str, bytes: Vec<u8>) -> Asset {
    let mut h = DefaultHasher::new();
    h.write(&bytes);
    let hash = format!("{:016x}", h.finish())[..10].to_owned();
    Asset {
        bytes,
        content_type: content_type(path),
        hash,
    }
}

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn collect_embedded(dir: &Dir<'static>, out: &mut Vec<(String, Vec<u8>)>) {
    for file in dir.files() {
        out.push((
            file.path().to_string_lossy().replace('\\', "/"),
            file.contents().to_vec(),
        ));
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

fn collect_dir(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), ThemeError> {
    let read_err = |source| ThemeError::Read {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let path = entry.map_err(read_err)?.path();
        if path.is_dir() {
            if path
                .file_name()
                .is_some_and(|n| n != "node_modules" && n != ".git")
            {
                collect_dir(root, &path, out)?;
            }
        } else {
            let bytes = std::fs::read(&path).map_err(|source| ThemeError::Read {
                path: path.clone(),
                source,
            })?;
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, bytes));
        }
    }
    Ok(())
}
