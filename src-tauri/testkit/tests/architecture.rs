//! The code's structure, checked: the engine's folders are its layers and a
//! layer imports only from the layers below it, and no crate has modules
//! that import each other in a circle. CONTRIBUTING.md names the layers.
//!
//! Imports are read from the source: every `crate::a::b` path outside
//! comments and test modules is an edge to the longest module it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tessera_testkit::repo_root;

/// Module path (`seams::http`) to the modules it imports.
type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn module_name(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?.with_extension("");
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    match parts.as_slice() {
        [only] if only == "lib" || only == "main" => None,
        [.., last] if last == "tests" => None,
        [init @ .., last] if last == "mod" => Some(init.join("::")),
        all => Some(all.join("::")),
    }
}

/// The code a module compiles outside tests, without comments.
fn code(text: &str) -> String {
    let before_tests = text.split("#[cfg(test)]").next().unwrap_or_default();
    before_tests
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut sources = BTreeMap::new();
    for file in files {
        if let Some(name) = module_name(src, &file) {
            let text = std::fs::read_to_string(&file).expect("a source file");
            sources.insert(name, code(&text));
        }
    }
    let mut names: Vec<String> = sources.keys().cloned().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let mut graph = Graph::new();
    for (module, text) in &sources {
        let edges = graph.entry(module.clone()).or_default();
        for (i, _) in text.match_indices("crate::") {
            let path: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let target = names
                .iter()
                .find(|n| path == **n || path.starts_with(&format!("{n}::")));
            if let Some(target) = target {
                // A module's own children are part of it, not an import.
                if target != module && !module.starts_with(&format!("{target}::")) {
                    edges.insert(target.clone());
                }
            }
        }
    }
    graph
}

fn cycles(graph: &Graph) -> Vec<String> {
    fn visit(
        node: &str,
        graph: &Graph,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
        found: &mut Vec<String>,
    ) {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next.clone());
                    found.push(cycle.join(" -> "));
                }
                Some(_) => {}
                None => visit(next, graph, state, stack, found),
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
    }
    let (mut state, mut found) = (BTreeMap::new(), Vec::new());
    for node in graph.keys() {
        if !state.contains_key(node.as_str()) {
            visit(node, graph, &mut state, &mut Vec::new(), &mut found);
        }
    }
    found
}

/// The engine's layers, bottom first; a module is in the layer of its top folder.
fn layer(module: &str) -> usize {
    let top = module.split("::").next().unwrap_or(module);
    match top {
        "secret" | "error" => 0,
        "seams" => 1,
        "engine" => 2,
        "protocol" => 3,
        "profile" => 4,
        "session" => 5,
        "inspect" | "api" => 6,
        other => {
            panic!("the engine module `{other}` is in no layer; add it to CONTRIBUTING.md and here")
        }
    }
}

fn src(path: &str) -> PathBuf {
    repo_root().join(path)
}

#[test]
fn no_engine_module_imports_a_layer_above_its_own() {
    let graph = graph(&src("src-tauri/engine/src"));
    assert!(
        graph.len() > 30,
        "the scan must find the engine's modules, found {}",
        graph.len()
    );
    let upward: Vec<String> = graph
        .iter()
        .flat_map(|(from, to)| to.iter().map(move |t| (from, t)))
        .filter(|(from, to)| layer(to) > layer(from))
        .map(|(from, to)| format!("{from} -> {to}"))
        .collect();
    assert!(
        upward.is_empty(),
        "lower layers never import higher ones: {upward:#?}"
    );
}

#[test]
fn no_modules_import_each_other_in_a_circle_in_any_crate() {
    for crate_src in ["src-tauri/engine/src", "src-tauri/src", "src-tauri/cli/src"] {
        let graph = graph(&src(crate_src));
        assert!(!graph.is_empty(), "{crate_src} has modules");
        let found = cycles(&graph);
        assert!(
            found.is_empty(),
            "{crate_src}: modules import each other in a circle: {found:#?}"
        );
    }
}

#[test]
fn the_cycle_check_finds_a_circle_when_there_is_one() {
    let mut graph = Graph::new();
    graph
        .entry("events".into())
        .or_default()
        .insert("tray".into());
    graph
        .entry("tray".into())
        .or_default()
        .insert("signin".into());
    graph
        .entry("signin".into())
        .or_default()
        .insert("events".into());
    assert_eq!(
        cycles(&graph),
        vec!["events -> tray -> signin -> events".to_string()],
        "the circle the desktop shell once had is reported"
    );
}
