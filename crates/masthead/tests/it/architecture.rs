//! Cheap checks of the architecture's invariants (see ARCHITECTURE.md).

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn crate_dependencies_point_one_way() {
    let manifest = |name: &str| {
        std::fs::read_to_string(workspace().join("crates").join(name).join("Cargo.toml")).unwrap()
    };
    let deps = |text: &str, dep: &str| {
        text.lines()
            .any(|l| l.trim_start().starts_with(&format!("{dep} =")))
    };
    let domain = manifest("domain");
    assert!(
        ["store", "render", "masthead"]
            .iter()
            .all(|d| !deps(&domain, d)),
        "domain depends on nothing internal"
    );
    assert!(
        !deps(&manifest("render"), "store"),
        "render never depends on store"
    );
    assert!(
        !deps(&manifest("store"), "render"),
        "store never depends on render"
    );
}

#[test]
fn only_the_store_reads_a_body_for_storage() {
    let mut files = Vec::new();
    rust_files(&workspace().join("crates"), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let allowed = file
            .components()
            .any(|c| c.as_os_str() == "store" || c.as_os_str() == "domain");
        let is_this_test = file.ends_with("architecture.rs");
        if !allowed && !is_this_test {
            assert!(
                !text.contains("for_storage("),
                "{} reads a body for storage",
                file.display()
            );
        }
    }
}

#[test]
fn the_site_is_served_only_with_each_peer_address() {
    // Abuse limits count by the peer's address (`ConnectInfo`); a server without it would put
    // every reader in one bucket. Only `http/serve/connections.rs` may serve the app.
    let mut files = Vec::new();
    rust_files(&workspace().join("crates/masthead/src"), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let is_test =
            file.components().any(|c| c.as_os_str() == "tests") || file.ends_with("tests.rs");
        if !is_test {
            assert!(
                !text.contains("axum::serve("),
                "{} serves without the peer's address; use http::serve::connections",
                file.display()
            );
        }
    }
    let connections = workspace().join("crates/masthead/src/http/serve/connections.rs");
    let text = std::fs::read_to_string(connections).unwrap();
    assert!(text.contains("into_make_service_with_connect_info::<SocketAddr>()"));
}
