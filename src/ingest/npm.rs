//! npm ingest: `package-lock.json` (and `npm-shrinkwrap.json`) v1, v2 and v3,
//! workspaces included.
//!
//! v2 and v3 are read from the `packages` map: key `""` is the root, keys are install
//! paths (`node_modules/a/node_modules/b`), and a dependency name is resolved the way
//! Node resolves `require`: the nearest `node_modules/<name>` up the tree. `link: true`
//! entries point at workspace folders, which are roots too. Edges are typed from the
//! dependent's `dependencies` (runtime), `optionalDependencies` (optional),
//! `devDependencies` (dev) and `peerDependencies` (runtime, or optional when
//! `peerDependenciesMeta` says so).
//!
//! v1 is a nested `dependencies` tree whose entries name their needs in `requires`
//! without kinds; the root's own dependencies are not listed. There the entries' `dev`
//! and `optional` flags decide: a top-level entry nothing else requires is a direct
//! dependency of the root, and an entry that npm marks as needed at run time but that no
//! run-time path reaches is one too.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::Path;

use serde::Deserialize;

use super::input_file;
use crate::error::{Error, Result};
use crate::model::{
    DocumentMeta, Ecosystem, EdgeKind, InputFormat, InputIdx, Inventory, Package, PkgIdx,
    SourceKind,
};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Lock {
    name: Option<String>,
    version: Option<String>,
    lockfile_version: Option<u32>,
    packages: Option<BTreeMap<String, Entry>>,
    #[serde(default)]
    dependencies: BTreeMap<String, V1Entry>,
}

/// One entry of the v2 / v3 `packages` map.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    name: Option<String>,
    version: Option<String>,
    resolved: Option<String>,
    integrity: Option<String>,
    license: Option<serde_json::Value>,
    licenses: Option<serde_json::Value>,
    #[serde(default)]
    link: bool,
    #[serde(default)]
    dependencies: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    dev_dependencies: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    peer_dependencies: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    peer_dependencies_meta: BTreeMap<String, PeerMeta>,
}

#[derive(Debug, Default, Deserialize)]
struct PeerMeta {
    #[serde(default)]
    optional: bool,
}

/// One entry of the v1 `dependencies` tree.
#[derive(Debug, Default, Deserialize)]
struct V1Entry {
    version: Option<String>,
    resolved: Option<String>,
    integrity: Option<String>,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    requires: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    dependencies: BTreeMap<String, V1Entry>,
}

/// Parses a `package-lock.json`.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<Inventory> {
    let lock: Lock = serde_json::from_slice(bytes).map_err(|e| Error::json(path, &e))?;
    let meta = DocumentMeta {
        spec_version: lock
            .lockfile_version
            .map(|v| format!("lockfileVersion {v}")),
        has_dependencies: true,
        ..DocumentMeta::default()
    };
    let mut inv = Inventory::new();
    let input = inv.add_input(input_file(path, InputFormat::NpmLock, meta));
    match &lock.packages {
        Some(packages)
            if lock.lockfile_version.unwrap_or(1) >= 2 || lock.dependencies.is_empty() =>
        {
            read_packages(&lock, packages, input, &mut inv);
        }
        _ => read_v1(&lock, input, &mut inv),
    }
    inv.finish();
    Ok(inv)
}

/// The package name at an install path: what follows the last `node_modules/`.
fn name_from_key(key: &str) -> &str {
    match key.rfind("node_modules/") {
        Some(i) => &key[i + "node_modules/".len()..],
        None => key.rsplit('/').next().unwrap_or(key),
    }
}

fn read_packages(
    lock: &Lock,
    packages: &BTreeMap<String, Entry>,
    input: InputIdx,
    inv: &mut Inventory,
) {
    let mut idx_of: HashMap<&str, PkgIdx> = HashMap::with_capacity(packages.len());
    let root_entry;
    let root: &Entry = match packages.get("") {
        Some(e) => e,
        None => {
            root_entry = Entry::default();
            &root_entry
        }
    };
    // Installed entries (links point at one of them), the root first so that it is
    // package 0 of this input.
    let entries: Vec<(&str, &Entry)> = std::iter::once(("", root))
        .chain(
            packages
                .iter()
                .filter(|(k, e)| !k.is_empty() && !e.link)
                .map(|(k, e)| (k.as_str(), e)),
        )
        .collect();
    for &(key, entry) in &entries {
        let name = match (key, &entry.name) {
            (_, Some(n)) => n.clone(),
            ("", None) => lock.name.clone().unwrap_or_else(|| "root".to_owned()),
            (k, None) => name_from_key(k).to_owned(),
        };
        let version = entry.version.clone().or_else(|| {
            if key.is_empty() {
                lock.version.clone()
            } else {
                None
            }
        });
        let in_tree = key.is_empty() || !key.contains("node_modules/");
        let source = match &entry.resolved {
            Some(r) => source_kind(r),
            None if in_tree => SourceKind::Path(if key.is_empty() {
                ".".into()
            } else {
                key.into()
            }),
            None => SourceKind::Unknown,
        };
        let mut pkg = package(name, version, source, entry.integrity.clone(), input);
        pkg.declared = license_of(entry);
        let idx = inv.add_package(pkg);
        idx_of.insert(key, idx);
    }
    if let Some(&root) = idx_of.get("") {
        inv.add_root(root);
    }
    for entry in packages.values().filter(|e| e.link) {
        if let Some(&ws) = entry.resolved.as_deref().and_then(|r| idx_of.get(r)) {
            inv.add_root(ws);
        }
    }

    let lookup = |from: &str, name: &str| -> Option<PkgIdx> {
        let key = resolve_key(packages, from, name)?;
        let entry = packages.get(key)?;
        if entry.link {
            entry
                .resolved
                .as_deref()
                .and_then(|r| idx_of.get(r))
                .copied()
        } else {
            idx_of.get(key).copied()
        }
    };
    let mut missing: Vec<crate::text::Text> = Vec::new();
    let mut optional_missing = 0usize;
    for &(key, entry) in &entries {
        let Some(&from) = idx_of.get(key) else {
            continue;
        };
        let lists = [
            (&entry.dependencies, EdgeKind::Runtime),
            (&entry.optional_dependencies, EdgeKind::Optional),
            (&entry.dev_dependencies, EdgeKind::Dev),
        ];
        let mut wanted: BTreeMap<&str, EdgeKind> = BTreeMap::new();
        for (list, kind) in lists {
            for name in list.keys() {
                // Optional and dev declarations override the plain one npm also lists.
                wanted.insert(name, kind);
            }
        }
        for name in entry.peer_dependencies.keys() {
            let optional = entry
                .peer_dependencies_meta
                .get(name)
                .is_some_and(|m| m.optional);
            wanted.entry(name).or_insert(if optional {
                EdgeKind::Optional
            } else {
                EdgeKind::Runtime
            });
        }
        for (name, kind) in wanted {
            match lookup(key, name) {
                Some(to) => inv.add_edge(from, to, kind, None),
                // An optional dependency that is not installed is what `optional` allows.
                None if kind == EdgeKind::Optional => optional_missing += 1,
                None => missing.push(crate::text!(
                    "notice.npm-missing",
                    dependent = inv.package(from).display_name(),
                    name = name.to_string(),
                    kind = kind.as_str()
                )),
            }
        }
    }
    for m in missing {
        inv.notice(input, m);
    }
    if optional_missing > 0 {
        inv.notice(
            input,
            crate::text!("notice.npm-optional-missing", count = optional_missing),
        );
    }
}

/// The `packages` key that `name`, required from the package at `from`, resolves to:
/// `<dir>/node_modules/<name>` for `from` and each directory above it.
fn resolve_key<'a>(
    packages: &'a BTreeMap<String, Entry>,
    from: &str,
    name: &str,
) -> Option<&'a str> {
    let mut dir = from;
    loop {
        let candidate = if dir.is_empty() {
            format!("node_modules/{name}")
        } else {
            format!("{dir}/node_modules/{name}")
        };
        if let Some((k, _)) = packages.get_key_value(candidate.as_str()) {
            return Some(k.as_str());
        }
        if dir.is_empty() {
            return None;
        }
        dir = parent_dir(dir);
    }
}

/// The directory above an install path, skipping `node_modules` itself and the scope
/// folder of a scoped package (`a/node_modules/@s/b` → `a`).
fn parent_dir(dir: &str) -> &str {
    let mut rest = dir.rfind('/').map_or("", |i| &dir[..i]);
    // A scoped name spans two segments (`node_modules/@scope/name`).
    match rest.rfind('/') {
        Some(i) if rest[i + 1..].starts_with('@') => rest = &rest[..i],
        None if rest.starts_with('@') => rest = "",
        _ => {}
    }
    if rest == "node_modules" {
        ""
    } else {
        rest.strip_suffix("/node_modules").unwrap_or(rest)
    }
}

fn read_v1(lock: &Lock, input: InputIdx, inv: &mut Inventory) {
    let root = inv.add_package(package(
        lock.name.clone().unwrap_or_else(|| "root".to_owned()),
        lock.version.clone(),
        SourceKind::Path(".".into()),
        None,
        input,
    ));
    inv.add_root(root);

    // Flatten the tree: each node knows its parent and its children by name.
    struct Node<'a> {
        entry: &'a V1Entry,
        parent: Option<usize>,
        idx: PkgIdx,
    }
    let mut nodes: Vec<Node<'_>> = Vec::new();
    let mut child_ids: Vec<HashMap<&str, usize>> = Vec::new();
    let mut top: HashMap<&str, usize> = HashMap::new();
    let mut stack: Vec<(Option<usize>, &BTreeMap<String, V1Entry>)> =
        vec![(None, &lock.dependencies)];
    while let Some((parent, deps)) = stack.pop() {
        for (name, entry) in deps {
            let version = entry.version.clone();
            let source = match (&entry.resolved, &version) {
                (Some(r), _) => source_kind(r),
                (None, Some(v)) if is_non_registry_spec(v) => source_kind(v),
                _ => SourceKind::Unknown,
            };
            let idx = inv.add_package(package(
                name.clone(),
                version,
                source,
                entry.integrity.clone(),
                input,
            ));
            let id = nodes.len();
            nodes.push(Node { entry, parent, idx });
            child_ids.push(HashMap::new());
            match parent {
                Some(p) => {
                    child_ids[p].insert(name.as_str(), id);
                }
                None => {
                    top.insert(name.as_str(), id);
                }
            }
            if !entry.dependencies.is_empty() {
                stack.push((Some(id), &entry.dependencies));
            }
        }
    }

    let mut required = vec![false; nodes.len()];
    let mut missing = Vec::new();
    for (id, node) in nodes.iter().enumerate() {
        for name in node.entry.requires.keys() {
            // Nearest first: own children, then each ancestor's, then the top level.
            let mut scope = Some(id);
            let mut found = None;
            while let Some(s) = scope {
                if let Some(&t) = child_ids[s].get(name.as_str()) {
                    found = Some(t);
                    break;
                }
                scope = nodes[s].parent;
            }
            let found = found.or_else(|| top.get(name.as_str()).copied());
            match found {
                Some(t) => {
                    required[t] = true;
                    let kind = if nodes[t].entry.optional && !node.entry.optional {
                        EdgeKind::Optional
                    } else {
                        EdgeKind::Runtime
                    };
                    inv.add_edge(node.idx, nodes[t].idx, kind, None);
                }
                None => missing.push(crate::text!(
                    "notice.npm-v1-missing",
                    dependent = inv.package(node.idx).display_name(),
                    name = name.to_string()
                )),
            }
        }
    }
    let flag_kind = |e: &V1Entry| {
        if e.dev {
            EdgeKind::Dev
        } else if e.optional {
            EdgeKind::Optional
        } else {
            EdgeKind::Runtime
        }
    };
    let mut tops: Vec<(&str, usize)> = top.iter().map(|(k, v)| (*k, *v)).collect();
    tops.sort();
    for &(_, t) in &tops {
        if !required[t] {
            inv.add_edge(root, nodes[t].idx, flag_kind(nodes[t].entry), None);
        }
    }
    // A top-level entry that no path of its kind reaches (npm marks it as needed at run
    // time, optionally, or for development; a cycle of entries that only require each
    // other reaches nothing from the root) must be a direct dependency of the root.
    for kind in [EdgeKind::Runtime, EdgeKind::Optional, EdgeKind::Dev] {
        let reached = reach_from(inv, root, |k| match kind {
            EdgeKind::Runtime => k == EdgeKind::Runtime,
            EdgeKind::Optional => k == EdgeKind::Runtime || k == EdgeKind::Optional,
            _ => true,
        });
        for &(_, t) in &tops {
            let node = &nodes[t];
            if flag_kind(node.entry) == kind && !reached[node.idx.index()] {
                inv.add_edge(root, node.idx, kind, None);
            }
        }
    }
    for m in missing {
        inv.notice(input, m);
    }
}

/// Packages reachable from `start` along edges whose kind `follow` accepts.
fn reach_from(inv: &Inventory, start: PkgIdx, follow: impl Fn(EdgeKind) -> bool) -> Vec<bool> {
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); inv.packages.len()];
    for e in inv.edges.iter().filter(|e| follow(e.kind)) {
        out_edges[e.from.index()].push(e.to.index());
    }
    let mut seen = vec![false; inv.packages.len()];
    let mut queue = VecDeque::from([start.index()]);
    seen[start.index()] = true;
    while let Some(cur) = queue.pop_front() {
        for &t in &out_edges[cur] {
            if !seen[t] {
                seen[t] = true;
                queue.push_back(t);
            }
        }
    }
    seen
}

/// A v1 `version` that is really a source (`file:`, `git+…`, `github:…`).
fn is_non_registry_spec(v: &str) -> bool {
    v.starts_with("file:")
        || v.starts_with("link:")
        || v.starts_with("git")
        || v.starts_with("http")
        || v.starts_with("bitbucket:")
        || v.starts_with("gitlab:")
}

fn package(
    name: String,
    version: Option<String>,
    source: SourceKind,
    integrity: Option<String>,
    input: InputIdx,
) -> Package {
    let purl = purl(&name, version.as_deref());
    let mut p = Package::with_purl(purl, name, Ecosystem::Npm, source);
    p.version = version;
    p.integrity = integrity;
    p.input = input;
    p
}

/// `pkg:npm/%40scope/name@version`.
pub(crate) fn purl(name: &str, version: Option<&str>) -> String {
    let mut out = String::from("pkg:npm/");
    match name.strip_prefix('@').and_then(|n| n.split_once('/')) {
        Some((scope, rest)) => {
            out.push_str("%40");
            out.push_str(&encode(scope));
            out.push('/');
            out.push_str(&encode(rest));
        }
        None => out.push_str(&encode(name)),
    }
    if let Some(v) = version {
        out.push('@');
        out.push_str(&encode(v));
    }
    out
}

/// Percent-encodes what a purl segment may not hold as is.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~' | b'+') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Source kind from a `resolved` value.
pub(super) fn source_kind(resolved: &str) -> SourceKind {
    if resolved.starts_with("git+")
        || resolved.starts_with("git:")
        || resolved.starts_with("github:")
        || resolved.starts_with("gitlab:")
        || resolved.starts_with("bitbucket:")
    {
        return SourceKind::Git(resolved.to_owned());
    }
    if let Some(rest) = resolved
        .strip_prefix("https://")
        .or_else(|| resolved.strip_prefix("http://"))
    {
        let host = rest.split('/').next().unwrap_or(rest);
        if host == "registry.npmjs.org" || host == "registry.yarnpkg.com" {
            return SourceKind::DefaultRegistry;
        }
        let scheme_len = resolved.len() - rest.len();
        return SourceKind::Registry(resolved[..scheme_len + host.len()].to_owned());
    }
    if let Some(p) = resolved
        .strip_prefix("file:")
        .or_else(|| resolved.strip_prefix("link:"))
    {
        return SourceKind::Path(p.to_owned());
    }
    // A `link: true` target or another relative folder.
    SourceKind::Path(resolved.to_owned())
}

/// Declared licence of a v2 / v3 entry: `license` as a string, or the legacy
/// `{ "type": … }` object, or a `licenses` array of alternatives.
fn license_of(entry: &Entry) -> Vec<String> {
    fn one(v: &serde_json::Value) -> Option<String> {
        match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Object(o) => {
                o.get("type").and_then(|t| t.as_str()).map(str::to_owned)
            }
            _ => None,
        }
    }
    fn list(v: &serde_json::Value) -> Option<String> {
        match v {
            serde_json::Value::Array(items) => {
                let parts: Vec<String> = items.iter().filter_map(one).collect();
                match parts.len() {
                    0 => None,
                    1 => parts.into_iter().next(),
                    _ => Some(parts.join(" OR ")),
                }
            }
            other => one(other),
        }
    }
    entry
        .license
        .as_ref()
        .and_then(list)
        .or_else(|| entry.licenses.as_ref().and_then(list))
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn truncated_lockfiles_are_errors_not_panics() {
        for text in [
            include_str!("../../tests/fixtures/npm/workspace-v3.json"),
            include_str!("../../tests/fixtures/npm/nested-v1.json"),
        ] {
            let end = text.trim_end().len();
            for cut in (0..end).filter(|&c| text.is_char_boundary(c)) {
                assert!(parse(Path::new("x.json"), &text.as_bytes()[..cut]).is_err());
            }
            assert!(parse(Path::new("x.json"), text.as_bytes()).is_ok());
        }
    }

    fn install_path() -> impl Strategy<Value = String> {
        let seg = prop::sample::select(vec!["node_modules", "a", "@s", "b", "packages", ""]);
        prop::collection::vec(seg, 0..6).prop_map(|v| v.join("/"))
    }

    proptest! {
        /// Odd install trees (links to links, links to nowhere, scope folders without a
        /// name, empty segments) resolve without panicking and give edges inside the
        /// inventory.
        #[test]
        fn arbitrary_install_trees(
            entries in prop::collection::vec(
                (install_path(), any::<bool>(), install_path(),
                 prop::collection::vec(prop::sample::select(vec!["a", "b", "@s/b", "x"]), 0..4),
                 prop::sample::select(vec!["dependencies", "devDependencies",
                     "optionalDependencies", "peerDependencies"])),
                0..12),
        ) {
            let mut packages = serde_json::Map::new();
            for (key, link, resolved, deps, field) in entries {
                let deps: serde_json::Map<String, serde_json::Value> =
                    deps.into_iter().map(|d| (d.to_owned(), "*".into())).collect();
                packages.insert(key, serde_json::json!({
                    "version": "1.0.0", "link": link, "resolved": resolved, field: deps,
                }));
            }
            let lock = serde_json::json!({ "lockfileVersion": 3, "packages": packages });
            let inv = parse(Path::new("x.json"), lock.to_string().as_bytes()).unwrap();
            for e in &inv.edges {
                prop_assert!(e.from.index() < inv.packages.len());
                prop_assert!(e.to.index() < inv.packages.len());
            }
        }
    }

    #[test]
    fn purls_encode_scopes() {
        assert_eq!(
            purl("@babel/core", Some("7.0.0")),
            "pkg:npm/%40babel/core@7.0.0"
        );
        assert_eq!(purl("left-pad", None), "pkg:npm/left-pad");
        assert_eq!(
            purl("x", Some("github:a/b#c")),
            "pkg:npm/x@github%3Aa%2Fb%23c"
        );
    }

    #[test]
    fn parent_dirs_climb_node_modules() {
        assert_eq!(parent_dir("node_modules/a"), "");
        assert_eq!(parent_dir("node_modules/@s/a"), "");
        assert_eq!(
            parent_dir("node_modules/a/node_modules/b"),
            "node_modules/a"
        );
        assert_eq!(
            parent_dir("node_modules/@s/a/node_modules/@t/b"),
            "node_modules/@s/a"
        );
        assert_eq!(parent_dir("packages/app"), "packages");
        assert_eq!(parent_dir("app"), "");
    }

    #[test]
    fn sources_from_resolved() {
        assert_eq!(
            source_kind("https://registry.npmjs.org/a/-/a-1.tgz"),
            SourceKind::DefaultRegistry
        );
        assert_eq!(
            source_kind("https://npm.example.org/a/-/a-1.tgz"),
            SourceKind::Registry("https://npm.example.org".into())
        );
        assert_eq!(
            source_kind("git+ssh://git@github.com/a/b.git#abc"),
            SourceKind::Git("git+ssh://git@github.com/a/b.git#abc".into())
        );
        assert_eq!(
            source_kind("file:../lib"),
            SourceKind::Path("../lib".into())
        );
        assert_eq!(
            source_kind("packages/app"),
            SourceKind::Path("packages/app".into())
        );
    }
}
