//! The newsroom's static files: everything in `crates/masthead/assets/admin/` is embedded and
//! served at `/admin/assets/{hash}/{path}` with a one-year immutable cache when the hash is the
//! file's content hash. Files added to that folder (the editor bundle) need no code.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use include_dir::{Dir, include_dir};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::LazyLock;

static FILES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets/admin");

/// Each file's content hash (12 hex digits), computed once.
static HASHES: LazyLock<HashMap<&'static str, String>> = LazyLock::new(|| {
    let mut hashes = HashMap::new();
    collect(&FILES, &mut hashes);
    hashes
});

fn collect(dir: &'static Dir<'static>, into: &mut HashMap<&'static str, String>) {
    for file in dir.files() {
        if let Some(path) = file.path().to_str() {
            into.insert(path, hex::encode(&Sha256::digest(file.contents())[..6]));
        }
    }
    for sub in dir.dirs() {
        collect(sub, into);
    }
}

/// The URL of an embedded file with its content hash (`/admin/assets/3fa2…/admin.css`), or
/// `None` for a file that is not there.
pub fn url(path: &str) -> Option<String> {
    HASHES
        .get(path)
        .map(|hash| format!("/admin/assets/{hash}/{path}"))
}

/// `/admin/assets/{hash}/{*path}`: the file, immutable for a year when `hash` is current (a
/// stale hash still gets the file, briefly cached, so pages open during a deploy keep working).
pub async fn serve(Path((hash, path)): Path<(String, String)>) -> Response {
    let (Some(file), Some(current)) = (FILES.get_file(&path), HASHES.get(path.as_str())) else {
        return (
            axum::http::StatusCode::NOT_FOUND,
            [(header::CACHE_CONTROL, "no-store")],
            "Not found",
        )
            .into_response();
    };
    let cache = if *current == hash {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=60"
    };
    (
        [
            (header::CONTENT_TYPE, content_type(&path)),
            (header::CACHE_CONTROL, cache),
        ],
        file.contents(),
    )
        .into_response()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "txt" | "md" => "text/plain; charset=utf-8",
        "map" | "json" => "application/json",
        _ => "application/octet-stream",
    }
}
