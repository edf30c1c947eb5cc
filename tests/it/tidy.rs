//! Layout rules of `src/`: which top-level module may import which. Read from the
//! `crate::` paths of the sources (test code excluded), so a new import that climbs back
//! up the layers fails here, not in review.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::root;

/// The layers of `src/`, lowest first. A module imports only modules listed before it.
const LAYERS: &[&str] = &[
    "error",
    "kb",
    "locale",
    "text",
    "model",
    "license",
    "vendors",
    "enrich",
    "health",
    "graph",
    "ingest",
    "facts",
    "finding",
    "score",
    "catalogue",
    "policy",
    "checks",
    "engine",
    "assess",
    "report",
    "cli",
];

type Imports = BTreeMap<String, BTreeSet<String>>;

/// Top-level module → the top-level modules its non-test code names through `crate::`.
fn imports(src: &Path) -> Imports {
    let mut out = Imports::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).expect("under src");
            let first = rel.components().next().expect("a component");
            let first = first.as_os_str().to_str().expect("utf-8 name");
            let module = first.strip_suffix(".rs").unwrap_or(first).to_owned();
            if module == "main" || module == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read source");
            let targets = out.entry(module.clone()).or_default();
            for t in crate_paths(&text) {
                if t != module {
                    targets.insert(t);
                }
            }
        }
    }
    out
}

/// The first segment of every `crate::x` and `crate::{x, y}` path outside test code and
/// comments.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let code = text.find("#[cfg(test)]").map_or(text, |i| &text[..i]);
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.find("//").map_or(line, |i| &line[..i]);
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let before = rest[..i].chars().next_back();
            rest = &rest[i + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or_default();
                for item in group.split(',') {
                    let name = ident(item.trim_start());
                    if !name.is_empty() {
                        out.insert(name.to_owned());
                    }
                }
            } else {
                let name = ident(rest);
                if !name.is_empty() {
                    out.insert(name.to_owned());
                }
            }
        }
    }
    out.retain(|n| n.starts_with(|c: char| c.is_ascii_lowercase() || c == '_'));
    out
}

fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// Groups of modules that import each other (strongly connected, more than one module).
fn cycles(imports: &Imports) -> Vec<Vec<String>> {
    // Reachability by search from every module; n is small (about twenty).
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(m) = todo.pop() {
            for t in imports.get(&m).into_iter().flatten() {
                if seen.insert(t.clone()) {
                    todo.push(t.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        imports.keys().map(|m| (m, reach(m))).collect();
    let mut groups: BTreeSet<Vec<String>> = BTreeSet::new();
    for (m, r) in &reached {
        let group: Vec<String> = r
            .iter()
            .filter(|o| *o == *m || reached.get(o).is_some_and(|ro| ro.contains(*m)))
            .cloned()
            .chain(std::iter::once((*m).clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if group.len() > 1 {
            groups.insert(group);
        }
    }
    groups.into_iter().collect()
}

#[test]
fn tidy_no_import_cycle_between_top_level_modules() {
    let found = cycles(&imports(&root().join("src")));
    assert!(
        found.is_empty(),
        "modules of src/ that import each other: {found:?}"
    );
}

#[test]
fn tidy_the_cycle_finder_sees_a_cycle() {
    let src = "use crate::b::X;\n// crate::c\n#[cfg(test)]\nuse crate::d;";
    assert_eq!(crate_paths(src), BTreeSet::from(["b".to_owned()]));
    assert_eq!(
        crate_paths("use crate::{a::X, b, c::{D, E}};"),
        BTreeSet::from(["a".to_owned(), "b".to_owned(), "c".to_owned()])
    );
    let mut g = Imports::new();
    for (a, b) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        g.entry(a.into()).or_default().insert(b.into());
    }
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c"]]);
}

#[test]
fn tidy_imports_point_down_the_layers() {
    let found = imports(&root().join("src"));
    let mut wrong = Vec::new();
    for (module, targets) in &found {
        let Some(at) = LAYERS.iter().position(|l| l == module) else {
            wrong.push(format!(
                "`{module}` is not placed in tests/it/tidy.rs LAYERS"
            ));
            continue;
        };
        for t in targets {
            match LAYERS.iter().position(|l| l == t) {
                Some(to) if to < at => {}
                Some(_) => wrong.push(format!("`{module}` imports `{t}`, a higher layer")),
                None => wrong.push(format!("`{module}` imports `{t}`, not in LAYERS")),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
