//! Cheap checks of the architecture's invariants (see ARCHITECTURE.md).

use std::collections::{BTreeSet, HashMap, HashSet};
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

/// The layers of `masthead/src`, top down (see ARCHITECTURE.md): a module may name
/// (`crate::<module>`) only modules of a later row, and itself, so no two top-level modules
/// import each other. The rows refine the layers where modules of one layer use each
/// other: `seed` writes `demo` posts, the indexer evicts from the page cache, webhook bodies are
/// Ghost's shapes, which name members' keys and composed ids.
const LAYERS: &[&[&str]] = &[
    &["cli"],
    &["http"],
    &["seed"],
    &["demo"],
    &["import"],
    &["ops"],
    &["state"],
    &["jobs"],
    &["indexer"],
    &["cache", "analytics"],
    &["webhooks"],
    &["ghost"],
    &["members", "billing", "compose", "logo", "media"],
    &["config", "settings", "telemetry"],
];

/// Items the crate root re-exports, by the module they come from.
const ROOT_ITEMS: &[(&str, &str)] = &[("app", "http"), ("serve", "http"), ("AppState", "state")];

fn src() -> PathBuf {
    workspace().join("crates/masthead/src")
}

/// The files of `masthead/src` but the crate root and `main.rs`, each with its top-level module
/// and its code without comments.
fn modules() -> Vec<(PathBuf, String, String)> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files
        .into_iter()
        .filter(|f| !f.ends_with("src/lib.rs") && !f.ends_with("src/main.rs"))
        .map(|f| {
            let first = f.strip_prefix(src()).unwrap().components().next().unwrap();
            let module = first.as_os_str().to_str().unwrap().trim_end_matches(".rs");
            let code = code(&std::fs::read_to_string(&f).unwrap());
            (f.clone(), module.to_owned(), code)
        })
        .collect()
}

/// `text` without `//` comments (doc comments name paths freely).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first segment of every path after `prefix`, groups (`crate::{a, b::c}`) included.
fn named_after(code: &str, prefix: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut names = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let rest = &code[at + prefix.len()..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                names.extend(group.split(',').map(ident).filter(|n| !n.is_empty()));
            }
            None => names.push(ident(rest)),
        }
    }
    names
}

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|row| row.contains(&module))
        .unwrap_or_else(|| panic!("module `{module}` is in no layer of LAYERS; place it"))
}

#[test]
fn modules_name_only_lower_layers() {
    for (file, module, code) in modules() {
        let own = layer_of(&module);
        for name in named_after(&code, "crate::") {
            let target = ROOT_ITEMS
                .iter()
                .find(|(item, _)| *item == name)
                .map_or(name.as_str(), |(_, m)| m);
            assert!(
                target == module || layer_of(target) > own,
                "{} (layer of `{module}`) names `crate::{name}`, which is not below it",
                file.display()
            );
        }
    }
}

#[test]
fn only_http_names_http_and_only_cli_names_cli() {
    for (file, module, code) in modules() {
        for (layer, path) in [("http", "crate::http"), ("cli", "crate::cli")] {
            assert!(
                module == layer || !code.contains(path),
                "{} names {path}",
                file.display()
            );
        }
    }
}

#[test]
fn use_cases_know_no_http() {
    for (file, module, code) in modules() {
        if module == "ops" {
            assert!(!code.contains("axum"), "{} names axum", file.display());
        }
    }
}

#[test]
fn nothing_below_state_names_the_app_state() {
    let state = layer_of("state");
    for (file, module, code) in modules() {
        if layer_of(&module) > state {
            assert!(
                !code.contains("AppState"),
                "{} names AppState; give it narrow inputs",
                file.display()
            );
        }
    }
}

/// The store's write methods: every `pub async fn` of `crates/store/src` whose name says it
/// writes. A new write method is caught by its verb; the list proves the scan finds them.
fn store_writes() -> BTreeSet<String> {
    const VERBS: &[&str] = &[
        "add_",
        "advance_",
        "apply_",
        "claim_",
        "clear_",
        "complete_",
        "create_",
        "delete_",
        "edit_",
        "enqueue_",
        "extend_",
        "fail_",
        "prune_",
        "release_",
        "retry_",
        "insert_",
        "mark_",
        "put_",
        "record_",
        "rename_",
        "restart_",
        "revoke_",
        "save_",
        "set_",
        "take_",
        "update_",
        "upsert_",
    ];
    let mut files = Vec::new();
    rust_files(&workspace().join("crates/store/src"), &mut files);
    let mut names = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices("pub async fn ") {
            let name: String = text[at + "pub async fn ".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if VERBS.iter().any(|v| name.starts_with(v)) {
                names.insert(name);
            }
        }
    }
    for known in [
        "create_member",
        "put_subscription",
        "apply_stripe_event",
        "delete_tag",
    ] {
        assert!(
            names.contains(known),
            "the scan finds the store's write {known}"
        );
    }
    names
}

/// Handlers and commands: the files that parse, call `ops` and present.
fn handlers_and_commands() -> Vec<(PathBuf, String)> {
    modules()
        .into_iter()
        .filter(|(_, module, _)| module == "http" || module == "cli")
        .map(|(file, _, code)| {
            let rel = file
                .strip_prefix(src())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (PathBuf::from(rel), code)
        })
        .collect()
}

#[test]
fn handlers_and_commands_fire_no_events_themselves() {
    for (file, code) in handlers_and_commands() {
        for path in ["emit::", "webhooks::emit"] {
            assert!(
                !code.contains(path),
                "src/{} names {path}: events are fired by ops",
                file.display()
            );
        }
    }
}

#[test]
fn handlers_and_commands_call_no_store_write() {
    let writes = store_writes();
    for (file, code) in handlers_and_commands() {
        for name in &writes {
            assert!(
                !code.contains(&format!(".{name}(")),
                "src/{} calls the store's write {name}; writes live in ops",
                file.display()
            );
        }
    }
}

/// Errors below the CLI are typed (`thiserror`), so each caller decides what a failure means to
/// its user; `anyhow` collects them only where a command prints one and exits.
#[test]
fn nothing_below_the_cli_uses_anyhow() {
    for (file, module, code) in modules() {
        if module == "cli" || module == "main" {
            continue;
        }
        assert!(
            !code.contains("anyhow"),
            "{} uses anyhow; return a typed error and let the caller map it",
            file.display()
        );
    }
}

/// Inside a module, its children may use one another, but not in a circle (`a` names `b`, which
/// names `a`): shared helpers go to a child both import. Parent and child may name each other.
#[test]
fn sibling_modules_import_one_way() {
    let mut dirs = Vec::new();
    directories(&src(), &mut dirs);
    for dir in dirs {
        let edges = sibling_edges(&dir);
        for start in edges.keys() {
            let mut seen = HashSet::new();
            let mut todo: Vec<&String> = edges[start].iter().collect();
            while let Some(next) = todo.pop() {
                assert!(
                    next != start,
                    "{}: `{start}` reaches itself through its siblings: {edges:?}",
                    dir.display()
                );
                if seen.insert(next) {
                    todo.extend(edges.get(next).into_iter().flatten());
                }
            }
        }
    }
}

fn directories(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.push(path.clone());
            directories(&path, out);
        }
    }
}

/// Which child modules of `dir` each child names: by `super::` in its own file, or by the
/// directory's full path anywhere in it; names the parent re-exports count as their child's.
fn sibling_edges(dir: &Path) -> HashMap<String, HashSet<String>> {
    let children: HashSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_owned())
        .filter(|c| c != "mod" && c != "tests")
        .collect();
    let reexported = reexports(dir);
    let path = dir.strip_prefix(src()).unwrap().to_str().unwrap();
    let full = format!("crate::{}::", path.replace('/', "::"));
    let mut edges = HashMap::new();
    for child in &children {
        let (own, mut files) = (dir.join(format!("{child}.rs")), Vec::new());
        if dir.join(child).is_dir() {
            rust_files(&dir.join(child), &mut files);
        }
        if own.exists() {
            files.push(own.clone());
        }
        let mut named = HashSet::new();
        for file in files {
            let code = code(&std::fs::read_to_string(&file).unwrap());
            let is_own = file == own || file == dir.join(child).join("mod.rs");
            let mut names = named_after(&code, &full);
            if is_own {
                names.extend(named_after(&code, "super::"));
            }
            for name in names {
                let target = reexported.get(&name).unwrap_or(&name);
                if target != child && children.contains(target) {
                    named.insert(target.clone());
                }
            }
        }
        edges.insert(child.clone(), named);
    }
    edges
}

/// The items `dir`'s own file (`mod.rs`, or the file beside the directory) re-exports, by the
/// child they come from.
fn reexports(dir: &Path) -> HashMap<String, String> {
    let own = [dir.join("mod.rs"), dir.with_extension("rs")];
    let text = own
        .iter()
        .find_map(|f| std::fs::read_to_string(f).ok())
        .unwrap_or_default();
    let mut items = HashMap::new();
    for line in code(&text).lines() {
        let Some(path) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((child, rest)) = path.split_once("::") else {
            continue;
        };
        let rest = rest.trim_end_matches(';');
        let names = rest.trim_start_matches('{').trim_end_matches('}');
        for name in names.split(',') {
            let name = name.rsplit(" as ").next().unwrap_or_default().trim();
            items.insert(name.to_owned(), child.to_owned());
        }
    }
    items
}
