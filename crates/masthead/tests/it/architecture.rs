//! Cheap checks of the architecture's invariants (see ARCHITECTURE.md).

use std::collections::BTreeSet;
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

/// The internal crates each crate may name in its dependencies (shared ARCHITECTURE.md): every
/// workspace member is listed, so a new crate has to be placed.
const MAY_DEPEND_ON: [(&str, &[&str]); 5] = [
    ("domain", &[]),
    ("store", &["domain"]),
    ("render", &["domain"]),
    ("search", &["domain"]),
    ("masthead", &["domain", "store", "render", "search"]),
];

#[test]
fn crate_dependencies_point_one_way() {
    let root = read_toml(&workspace().join("Cargo.toml"));
    let members = root["workspace"]["members"].as_array().unwrap();
    let names: Vec<&str> = members
        .iter()
        .map(|m| m.as_str().unwrap().trim_start_matches("crates/"))
        .collect();
    let listed: BTreeSet<&str> = MAY_DEPEND_ON.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names.iter().copied().collect::<BTreeSet<_>>(),
        listed,
        "every workspace member has its place"
    );
    for (name, allowed) in MAY_DEPEND_ON {
        let used = internal_dependencies(&root, name, &names);
        for dep in &used {
            assert!(allowed.contains(&dep.as_str()), "{name} depends on {dep}");
        }
    }
    // The inherited form (`domain.workspace = true`) is read, so the rules do not pass vacuously.
    assert!(internal_dependencies(&root, "store", &names).contains("domain"));
}

/// The workspace members that `name`'s manifest names in its library's dependencies (plain,
/// build and per-target; dev-dependencies are the tests' own). A dependency is known by its
/// `package` when renamed, in the crate's manifest or in `[workspace.dependencies]`.
fn internal_dependencies(root: &toml::Table, name: &str, members: &[&str]) -> BTreeSet<String> {
    let manifest = read_toml(&workspace().join("crates").join(name).join("Cargo.toml"));
    let mut tables: Vec<&toml::Value> = ["dependencies", "build-dependencies"]
        .iter()
        .filter_map(|t| manifest.get(*t))
        .collect();
    if let Some(targets) = manifest.get("target").and_then(toml::Value::as_table) {
        tables.extend(targets.values().filter_map(|t| t.get("dependencies")));
    }
    let inherited = &root["workspace"]["dependencies"];
    let package = |key: &str, spec: &toml::Value| {
        let spec = match spec.get("workspace").and_then(toml::Value::as_bool) {
            Some(true) => inherited.get(key).unwrap_or(spec),
            _ => spec,
        };
        let renamed = spec.get("package").and_then(toml::Value::as_str);
        renamed.unwrap_or(key).to_owned()
    };
    tables
        .iter()
        .flat_map(|t| t.as_table().unwrap())
        .map(|(key, spec)| package(key, spec))
        .filter(|dep| members.contains(&dep.as_str()))
        .collect()
}

fn read_toml(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn store_and_domain_never_read_the_clock() {
    // They take `now` from their callers, so what they record and decide depends on no clock.
    assert!(reads_the_clock("let t = chrono::Utc::now();"));
    assert!(!reads_the_clock(
        "fn f() {}\n#[cfg(test)]\nmod tests {\n    fn g() { Utc::now(); }\n}\n"
    ));
    for krate in ["store", "domain"] {
        let mut files = Vec::new();
        rust_files(
            &workspace().join("crates").join(krate).join("src"),
            &mut files,
        );
        for file in files {
            let is_test =
                file.components().any(|c| c.as_os_str() == "tests") || file.ends_with("tests.rs");
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(
                is_test || !reads_the_clock(&text),
                "{} reads the clock; take `now` from the caller",
                file.display()
            );
        }
    }
}

/// Whether a source file's non-test code reads the clock. Its inline `#[cfg(test)] mod tests`
/// block, which by convention closes a file, is test code.
fn reads_the_clock(text: &str) -> bool {
    let tests = text.match_indices("#[cfg(test)]").find(|(at, attr)| {
        text[at + attr.len()..]
            .trim_start()
            .starts_with("mod tests {")
    });
    let code = tests.map_or(text, |(at, _)| &text[..at]);
    ["Utc::now", "Local::now", "SystemTime::now", "Instant::now"]
        .iter()
        .any(|call| code.contains(call))
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
    // every reader in one bucket. Only `serve/connections.rs` may serve the app.
    let mut files = Vec::new();
    rust_files(&workspace().join("crates/masthead/src"), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let is_test =
            file.components().any(|c| c.as_os_str() == "tests") || file.ends_with("tests.rs");
        if !is_test {
            assert!(
                !text.contains("axum::serve("),
                "{} serves without the peer's address; use serve::connections",
                file.display()
            );
        }
    }
    let connections = workspace().join("crates/masthead/src/serve/connections.rs");
    let text = std::fs::read_to_string(connections).unwrap();
    assert!(text.contains("into_make_service_with_connect_info::<SocketAddr>()"));
}
