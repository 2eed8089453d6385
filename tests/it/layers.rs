//! The arrows between modules point down: read from the `use crate::...` lines of `src/`, so a
//! wrong import fails the build's tests, not a code review. To add a face (the MCP server), add
//! it to `FACES`; to add a layer, give it its line in `MUST_NOT_IMPORT`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The three faces: each may import anything below it, and nothing imports a face (`main.rs`, the
/// composition root outside the library, hands the command line the other faces it needs).
const FACES: &[&str] = &["cli", "tui", "mcp"];

/// What each lower module must never import, on top of the faces. `domain` is pure: it imports
/// nothing outside itself.
const MUST_NOT_IMPORT: &[(&str, &[&str])] = &[
    ("domain", &["assets", "brief", "clock", "config", "context", "error", "io", "keymap", "output", "store", "views"]),
    ("store", &["io", "brief", "views", "context", "error", "output", "config", "keymap"]),
    ("brief", &["views", "io", "context", "error"]),
    ("views", &["io", "context", "error"]),
    ("io", &["context", "error"]),
    ("output", &["store", "io", "brief", "views", "context", "error"]),
    ("assets", &["store", "io", "brief", "views", "context", "error", "config", "keymap", "output"]),
    ("clock", &["store", "io", "brief", "views", "context", "error", "config", "keymap", "output"]),
];

/// The top-level modules with sub-modules whose own graph must have no cycles either.
const ACYCLIC_INSIDE: &[&str] = &["domain"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("read src").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file below `src/`: `src/store/budget/mod.rs` is `["store", "budget"]`.
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).expect("under src");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// The production code of a file: test modules sit at the bottom, after `#[cfg(test)]`; files
/// that are test modules themselves (`tests.rs`) have none. Comment lines are not code.
fn production_code(file: &Path) -> String {
    if file.file_name().is_some_and(|n| n == "tests.rs") {
        return String::new();
    }
    let text = std::fs::read_to_string(file).expect("read source");
    text.lines()
        .take_while(|l| l.trim() != "#[cfg(test)]")
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::a::b` path a piece of code names, as `[a, b]`, grouped imports (`use crate::{a::x, b}`)
/// included.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `mycrate::`, not `crate::`
        }
        paths_at(rest, &mut Vec::new(), &mut out);
    }
    out
}

/// Reads `a::b::{c, d::e}` at the start of `s`, pushing each full path (prefixed by `prefix`).
fn paths_at(s: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let s = s.trim_start();
    if let Some(inner) = s.strip_prefix('{') {
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    paths_at(&inner[start..i], &mut prefix.clone(), out);
                    return;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    paths_at(&inner[start..i], &mut prefix.clone(), out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        return;
    }
    let ident: String = s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    if ident.is_empty() || ident == "self" {
        if !prefix.is_empty() {
            out.push(prefix.clone());
        }
        return;
    }
    prefix.push(ident.clone());
    match s[ident.len()..].strip_prefix("::") {
        Some(next) if next.trim_start().starts_with(|c: char| c == '{' || c.is_alphabetic() || c == '_') => {
            paths_at(next, prefix, out)
        }
        _ => out.push(prefix.clone()),
    }
}

/// module path -> the crate paths its production code names.
fn imports() -> BTreeMap<Vec<String>, Vec<Vec<String>>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut out = BTreeMap::new();
    for f in files {
        let module = module_of(&f);
        if module.is_empty() || module == ["lib"] || module == ["main"] {
            continue;
        }
        out.insert(module, crate_paths(&production_code(&f)));
    }
    out
}

/// Edges between modules at `depth` path segments (1: top level) inside `within` (empty: the crate).
fn graph(within: &[String], depth: usize) -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, paths) in imports() {
        if !module.starts_with(within) || module.len() < within.len() + depth {
            continue;
        }
        let from = module[within.len()..within.len() + depth].join("::");
        g.entry(from.clone()).or_default();
        for p in paths {
            if !p.starts_with(within) || p.len() < within.len() + depth {
                continue;
            }
            let to = p[within.len()..within.len() + depth].join("::");
            if to != from {
                g.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    g
}

/// One cycle, if the graph has any: the modules along it.
fn find_cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            match state.get(m.as_str()) {
                Some(1) => {
                    let at = stack.iter().position(|s| s == m).unwrap_or(0);
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(m, g, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if !state.contains_key(n.as_str())
            && let Some(c) = visit(n, g, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[test]
fn the_checker_reads_grouped_and_nested_imports() {
    let paths = crate_paths("use crate::{domain::{kpi, money::parse}, store};\nlet x = crate::io::import::parse(b);");
    let shown: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(shown, ["domain::kpi", "domain::money::parse", "store", "io::import::parse"]);
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(find_cycle(&g), Some(vec!["a".to_string(), "b".to_string(), "a".to_string()]));
}

#[test]
fn nothing_imports_a_face_and_faces_do_not_import_each_other() {
    let g = graph(&[], 1);
    let mut wrong = Vec::new();
    for (from, tos) in &g {
        for face in FACES.iter().filter(|f| tos.contains(**f) && *f != from) {
            wrong.push(format!("{from} imports the face {face}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn lower_layers_never_import_upward() {
    let g = graph(&[], 1);
    let mut wrong = Vec::new();
    for (module, forbidden) in MUST_NOT_IMPORT {
        for to in g.get(*module).into_iter().flatten() {
            if forbidden.contains(&to.as_str()) {
                wrong.push(format!("{module} imports {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn the_module_graph_has_no_cycles() {
    let top = graph(&[], 1);
    assert!(top.contains_key("domain") && top.contains_key("store"), "the checker reads src/: {top:?}");
    assert_eq!(find_cycle(&top), None, "between top-level modules");
    for inside in ACYCLIC_INSIDE {
        let g = graph(&[inside.to_string()], 1);
        assert_eq!(find_cycle(&g), None, "inside {inside}");
    }
}
