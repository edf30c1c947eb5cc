//! Layout rules of `src/`: which top-level module may import which. Read from the
//! `crate::` paths of the sources (test code excluded), so a new import that climbs back
//! up the layers fails here, not in review.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::root;

/// The layers of `src/`, lowest first. A module imports only modules listed before it.
const LAYERS: &[&str] = &[
    "error",
    "digest",
    "parallel",
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
    "store",
    "serve",
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
            if path.extension().is_none_or(|x| x != "rs") || is_test_file(&path) {
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

/// Whether `path` is a file of test code only: `tests.rs`, `*_tests.rs` or
/// `test_support.rs` (each declared under `#[cfg(test)]`, checked below).
fn is_test_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name == "tests.rs" || name.ends_with("_tests.rs") || name == "test_support.rs"
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

/// Every test-only file of `src/` is declared under `#[cfg(test)]` in its parent, so its
/// imports may ignore the layers without reaching the shipped code.
#[test]
fn tidy_test_files_are_compiled_for_tests_only() {
    let src = root().join("src");
    let mut stack = vec![src.clone()];
    let mut wrong = Vec::new();
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if !is_test_file(&path) {
                continue;
            }
            seen += 1;
            let stem = path.file_stem().and_then(|n| n.to_str()).expect("utf-8");
            // The parent: `dir/mod.rs`, `dir.rs` or, at the top, `lib.rs`.
            let parent_dir = path.parent().expect("a parent");
            let candidates = [
                parent_dir.join("mod.rs"),
                parent_dir.with_extension("rs"),
                parent_dir.join("lib.rs"),
            ];
            let declared = candidates
                .iter()
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .any(|text| {
                    let lines: Vec<&str> = text.lines().map(str::trim).collect();
                    lines
                        .windows(2)
                        .any(|w| w[0] == "#[cfg(test)]" && w[1] == format!("mod {stem};"))
                });
            if !declared {
                wrong.push(
                    path.strip_prefix(&src)
                        .expect("under src")
                        .display()
                        .to_string(),
                );
            }
        }
    }
    assert!(seen > 0, "no test-only file found under src/");
    assert!(
        wrong.is_empty(),
        "not declared as `#[cfg(test)] mod …;`: {wrong:?}"
    );
}

/// The first segments of the `sovra::` paths the "Public API" section of
/// ARCHITECTURE.md names.
fn documented_api() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("read");
    let start = text
        .find("\n## Public API\n")
        .expect("a Public API section");
    let section = &text[start + 1..];
    let section = section[3..]
        .find("\n## ")
        .map_or(section, |end| &section[..end + 3]);
    let found = sovra_paths(section);
    assert!(
        !found.is_empty(),
        "the Public API section names no `sovra::` path"
    );
    found
}

/// The first segment after every `sovra::` in `text` (`sovra::{a, b}` gives both).
fn sovra_paths(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("sovra::") {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + "sovra::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let group = group.split('}').next().unwrap_or_default();
            for item in group.split(',') {
                out.insert(ident(item.trim_start()).to_owned());
            }
        } else {
            out.insert(ident(rest).to_owned());
        }
    }
    out
}

/// Integration tests use the library only through its documented public API: the
/// binary is tested through `support::sovra`, internals by unit tests in `src/`.
#[test]
fn tidy_integration_tests_use_only_the_public_api() {
    let api = documented_api();
    let mut wrong = Vec::new();
    let mut files = 0;
    for entry in std::fs::read_dir(root().join("tests/it")).expect("read tests/it") {
        let path = entry.expect("dir entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.extension().is_none_or(|x| x != "rs") || name == "tidy.rs" {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).expect("read test");
        for (n, line) in text.lines().enumerate() {
            for seg in sovra_paths(line) {
                // `sovra::cli` is public for `src/main.rs` only.
                if seg == "cli" || !api.contains(&seg) {
                    wrong.push(format!("tests/it/{name}:{}: `sovra::{seg}`", n + 1));
                }
            }
        }
    }
    assert!(files > 10, "tests/it has {files} files");
    assert!(
        wrong.is_empty(),
        "not in ARCHITECTURE.md's Public API:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn tidy_the_api_scanner_sees_internal_paths() {
    let text = "use sovra::assess::parse_as;\nuse sovra::{model::X, graph::DepGraph};\nlet s = nosovra::x;";
    assert_eq!(
        sovra_paths(text),
        BTreeSet::from(["assess".to_owned(), "model".to_owned(), "graph".to_owned()])
    );
    let api = documented_api();
    for seg in ["assess", "model", "Error", "Result"] {
        assert!(api.contains(seg), "{seg} missing from {api:?}");
    }
    assert!(!api.contains("graph") && !api.contains("ingest"), "{api:?}");
}
