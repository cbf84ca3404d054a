//! The newsroom's rich-text editor bundle (`newsroom/editor/`, built into
//! `crates/masthead/assets/admin/`): the committed build is present, and the editor's own tests
//! pass under `node --test` — Markdown round trips of every construct, Google Docs and Word
//! pastes, the paywall marker, embed filtering, uploads, autosave and conflicts in jsdom, and
//! axe-core plus keyboard use in Debian's Chromium (`test/browser.test.mjs`).

use crate::helpers::external::{available, workspace};
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn editor_dir() -> PathBuf {
    workspace().join("newsroom").join("editor")
}

/// What `node --test` needs and does not find, each with how `.ci/run` provides it.
fn missing() -> Vec<String> {
    let mut missing = Vec::new();
    if Command::new("node")
        .arg("--version")
        .output()
        .map_or(true, |o| !o.status.success())
    {
        missing.push(
            "`node` on PATH (.ci/run installs Debian's nodejs and npm when node is absent)".into(),
        );
    }
    let modules = editor_dir().join("node_modules");
    let absent: Vec<&str> = ["jsdom", "@tiptap/core", "prosemirror-markdown", "axe-core"]
        .into_iter()
        .filter(|p| !modules.join(p).is_dir())
        .collect();
    if !absent.is_empty() {
        missing.push(format!(
            "newsroom/editor/node_modules/{{{}}} (.ci/run runs `npm ci` in newsroom/editor)",
            absent.join(",")
        ));
    }
    missing
}

#[test]
fn committed_editor_bundle_is_present() {
    let assets = workspace().join("crates/masthead/assets/admin");
    for name in ["editor.js", "editor.css", "editor-licenses.txt"] {
        let path = assets.join(name);
        let len = std::fs::metadata(&path)
            .unwrap_or_else(|e| {
                panic!(
                    "{} (run `npm ci && node build.mjs` in newsroom/editor): {e}",
                    path.display()
                )
            })
            .len();
        assert!(len > 0, "{} is empty", path.display());
    }
    let licences = std::fs::read_to_string(assets.join("editor-licenses.txt")).unwrap();
    for package in ["@tiptap/core", "prosemirror-view", "markdown-it"] {
        assert!(
            licences.contains(package),
            "editor-licenses.txt names {package}"
        );
    }
}

#[test]
fn editor_bundle_node_tests_pass() {
    if !available("the editor bundle's tests (node)", missing()) {
        return;
    }
    // The test files by name: `node --test DIR` differs between Node versions (a directory
    // before 21, globs after), and test/setup.mjs is a helper, not a test.
    let mut files: Vec<String> = std::fs::read_dir(editor_dir().join("test"))
        .expect("newsroom/editor/test")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("test/{name}"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the editor's test files: {files:?}");
    let out = Command::new("node")
        .arg("--test")
        .args(&files)
        .current_dir(editor_dir())
        .stdin(Stdio::null())
        .output()
        .expect("run node --test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary: Vec<&str> = stdout.lines().filter(|l| l.starts_with("# ")).collect();
    println!("{}", summary.join("\n"));
    assert!(
        out.status.success(),
        "node --test failed ({})\n--- stdout ---\n{stdout}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}
