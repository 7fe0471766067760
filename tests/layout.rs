//! The crate's layout rules, checked on its own source: one lifecycle per folder, imports that
//! flow one way, small files and functions. A change that breaks a rule fails here, with the
//! place named, rather than in review.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            (name, fs::read_to_string(&path).unwrap())
        })
        .collect()
}

/// The top-level module a file belongs to (`promise/fold.rs` → `promise`).
fn module(name: &str) -> String {
    name.split('/')
        .next()
        .unwrap()
        .trim_end_matches(".rs")
        .to_owned()
}

/// Code lines: comments (and so doc examples) left out.
fn code(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .map(|(n, line)| (n + 1, line))
}

#[test]
fn no_module_imports_through_the_crate_root() {
    let mut found = Vec::new();
    for (name, text) in src() {
        for (n, line) in code(&text) {
            let line = line.trim_start();
            // `use crate::{..}`, and `crate::Name` anywhere in code (a path through the root
            // hides the module it comes from, and so a circle, from `imports_flow_one_way`).
            let through_root = line.starts_with("use crate::{")
                || line.match_indices("crate::").any(|(i, _)| {
                    line[i + "crate::".len()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase)
                });
            if through_root {
                found.push(format!("{name}:{n}: {line}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "imports through the crate root:\n{}",
        found.join("\n")
    );
}

#[test]
fn imports_flow_one_way() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, text) in src() {
        let from = module(&name);
        for (_, line) in code(&text) {
            for (i, _) in line.match_indices("crate::") {
                let to: String = line[i + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !to.is_empty() && to != from {
                    graph.entry(from.clone()).or_default().insert(to);
                }
            }
        }
    }
    // Depth-first search for a cycle; report the first one found.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        let cycle = visit(node, &graph, &mut Vec::new(), &mut done);
        assert!(
            cycle.is_none(),
            "modules import each other in a circle: {cycle:?}"
        );
    }
}

#[test]
fn no_file_over_a_thousand_lines() {
    for (name, text) in src() {
        let lines = text.lines().count();
        assert!(lines <= 1_000, "src/{name} has {lines} lines");
    }
}

#[test]
fn no_function_over_a_hundred_lines() {
    let mut long = Vec::new();
    for (name, text) in src() {
        let lines: Vec<&str> = text.lines().collect();
        for (start, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            // Any visibility and qualifiers before `fn`: `pub(super) const fn`, `async fn`, ...
            let is_fn = trimmed.split_once("fn ").is_some_and(|(before, _)| {
                before.split_whitespace().all(|word| {
                    word.starts_with("pub")
                        || ["const", "async", "unsafe", "extern", "\"C\""].contains(&word)
                })
            });
            if !is_fn || trimmed.ends_with(';') {
                continue;
            }
            let close = format!("{}}}", " ".repeat(indent));
            if let Some(len) = lines[start..].iter().position(|l| *l == close)
                && len + 1 > 100
            {
                long.push(format!("src/{name}:{}: {} lines", start + 1, len + 1));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over 100 lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn family_folds_name_every_event() {
    // A wildcard arm over events would let a new kind slip through unfolded.
    for (name, text) in src() {
        let family = module(&name);
        let is_lifecycle = [
            "customer",
            "response",
            "promise",
            "complaint",
            "follow_up",
            "survey",
            "health",
            "relationship",
        ]
        .contains(&family.as_str());
        if !is_lifecycle || !text.contains("Event") {
            continue;
        }
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            if line.trim_start().starts_with("_ =>") {
                // The arm must not belong to a match over an event: look back to its `match`.
                let scrutinee = lines[..n]
                    .iter()
                    .rev()
                    .find(|l| l.contains("match "))
                    .copied()
                    .unwrap_or_default();
                // In a family's `event.rs`, `match self` is a match over the family's events.
                let over_events = scrutinee.contains("event")
                    || (name.ends_with("event.rs") && scrutinee.contains("match self"));
                assert!(
                    !over_events,
                    "src/{name}:{}: a wildcard arm in `{}`",
                    n + 1,
                    scrutinee.trim()
                );
            }
        }
    }
}
