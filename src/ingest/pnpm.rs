//! pnpm's `pnpm-lock.yaml`, lockfile versions 5.x, 6 and 9.
//!
//! The three versions differ in how a package is named: 5.x writes `/name/version_peers`,
//! 6 writes `/name@version(peers)`, 9 writes `name@version` under `packages` (metadata)
//! and `name@version(peers)` under `snapshots` (dependencies). One package is kept per
//! name and version; its peer variants share it, and their edges are merged.
//! Every importer (workspace member, `.` the project itself) is a root, its
//! `dependencies`, `devDependencies` and `optionalDependencies` its direct edges.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::flat;
use super::input_file;
use super::npm;
use super::yaml::{self, Node};
use crate::error::{Error, Result};
use crate::model::{DocumentMeta, Ecosystem, EdgeKind, InputFormat, Inventory, PkgIdx, SourceKind};

/// Whether `text` is a pnpm lockfile: its first line that is no comment sets
/// `lockfileVersion`.
pub(crate) fn looks_like_pnpm_lock(text: &str) -> bool {
    text.lines()
        .map(str::trim_end)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with("lockfileVersion:"))
}

/// The version with pnpm's peer suffix (`_peer@1`, `(peer@1)`) cut off.
fn strip_peers(version: &str, v5: bool) -> &str {
    let end = version.find('(').unwrap_or(version.len());
    let version = &version[..end];
    if v5 {
        version.split('_').next().unwrap_or(version)
    } else {
        version
    }
}

/// Name and version of a registry package path (`/a/1.0.0`, `/a@1.0.0`, `a@1.0.0`,
/// `registry.example/a/1.0.0`), peers cut off; `None` for any other key.
fn split_path(key: &str, v5: bool) -> Option<(String, String)> {
    let (name, version) = if v5 {
        let mut rest = match key.strip_prefix('/') {
            Some(r) => r,
            // A package from another registry is prefixed by its host.
            None => key.split_once('/').filter(|(h, _)| h.contains('.'))?.1,
        };
        if rest.starts_with('@') {
            let i = rest.find('/')?;
            let j = rest[i + 1..].find('/')? + i + 1;
            let (n, v) = (&rest[..j], &rest[j + 1..]);
            rest = v;
            (n, rest)
        } else {
            rest.split_once('/')?
        }
    } else {
        let key = key.strip_prefix('/').unwrap_or(key);
        let at = key.get(1..)?.find('@')? + 1;
        (&key[..at], &key[at + 1..])
    };
    let version = strip_peers(version, v5);
    let plain = |s: &str| !s.is_empty() && !s.contains(':') && !s.contains('/');
    // Since lockfile version 6 a package fetched from a URL (a tarball, a git host's
    // archive) is keyed `name@<url>`: the URL stands where the version would.
    let url = |s: &str| !v5 && s.contains("://");
    (plain(name.rsplit('/').next().unwrap_or(name)) && (plain(version) || url(version)))
        .then(|| (name.to_owned(), version.to_owned()))
}

/// What a dependency's value points at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    /// A package by name and version.
    Version(String, String),
    /// A package by its lockfile key (tarballs, local folders, git).
    Key(String),
    /// Another importer, by its path relative to the importer that links it.
    Link(String),
}

fn target(name: &str, value: &str, v5: bool) -> Target {
    if let Some(rel) = value.strip_prefix("link:") {
        return Target::Link(rel.to_owned());
    }
    if value.starts_with(|c: char| c.is_ascii_digit()) {
        return Target::Version(name.to_owned(), strip_peers(value, v5).to_owned());
    }
    if (value.starts_with('/') || (!v5 && !value.contains(':')))
        && let Some((n, v)) = split_path(value, v5)
    {
        return Target::Version(n, v);
    }
    Target::Key(strip_peers(value, false).to_owned())
}

/// `a/b/../c` → `a/c`; `.` for the top.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// The parts of `package.json` that name the project.
#[derive(Debug, Default, Deserialize)]
struct Manifest {
    name: Option<String>,
    version: Option<String>,
    license: Option<serde_json::Value>,
}

fn str_of<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key).and_then(Node::str)
}

/// Parses a `pnpm-lock.yaml`; `manifest` is the `package.json` beside it.
pub(crate) fn parse(
    path: &Path,
    text: &str,
    manifest: Option<(&Path, &[u8])>,
) -> Result<Inventory> {
    let Some(root) = yaml::parse(path, text)? else {
        return Err(Error::at(path, 1, 1, "a pnpm lockfile is a mapping"));
    };
    let Some(lock_version) = root.get("lockfileVersion") else {
        return Err(Error::at(path, root.line, root.col, "no `lockfileVersion`"));
    };
    let version = lock_version.str().unwrap_or_default().to_owned();
    let v5 = version.starts_with("5.");
    if !(v5 || version.starts_with("6.") || version.starts_with("9.")) {
        return Err(Error::at(
            path,
            lock_version.line,
            lock_version.col,
            format!("lockfile version `{version}` is not read (5.x, 6 and 9 are)"),
        ));
    }
    let manifest: Option<Manifest> = match manifest {
        Some((p, b)) => Some(serde_json::from_slice(b).map_err(|e| Error::json(p, &e))?),
        None => None,
    };
    let meta = DocumentMeta {
        spec_version: Some(version.clone()),
        has_dependencies: true,
        ..DocumentMeta::default()
    };
    let mut inv = Inventory::new();
    let input = inv.add_input(input_file(path, InputFormat::PnpmLock, meta));

    // Packages, from `packages` (all versions) and `snapshots` (9: peer variants).
    let mut by_version: HashMap<(String, String), PkgIdx> = HashMap::new();
    let mut by_key: HashMap<String, PkgIdx> = HashMap::new();
    let mut holders: Vec<(&Node, PkgIdx)> = Vec::new();
    let empty = Node {
        value: yaml::Value::Map(Vec::new()),
        line: 0,
        col: 0,
    };
    let sections = [root.get("packages"), root.get("snapshots")];
    for (section, entries) in sections.into_iter().enumerate() {
        for (key, node) in entries.map(Node::entries).unwrap_or_default() {
            let named = str_of(node, "name").zip(str_of(node, "version"));
            let (name, pkg_version) = match named {
                Some((n, v)) => (n.to_owned(), v.to_owned()),
                None => split_path(key, v5).ok_or_else(|| {
                    Error::at(
                        path,
                        node.line,
                        node.col,
                        format!("`{key}` is no pnpm package path, and its entry names no package"),
                    )
                })?,
            };
            let idx = match by_version.get(&(name.clone(), pkg_version.clone())) {
                Some(&idx) => idx,
                None => {
                    let resolution = node.get("resolution").unwrap_or(&empty);
                    let source = if let Some(dir) = str_of(resolution, "directory") {
                        SourceKind::Path(dir.to_owned())
                    } else if let Some(repo) = str_of(resolution, "repo") {
                        SourceKind::Git(repo.to_owned())
                    } else if let Some(tarball) = str_of(resolution, "tarball") {
                        npm::source_kind(tarball)
                    } else if key.starts_with('/') || named.is_none() && !v5 {
                        SourceKind::DefaultRegistry
                    } else {
                        SourceKind::Unknown
                    };
                    let purl = (!matches!(source, SourceKind::Path(_)))
                        .then(|| npm::purl(&name, Some(&pkg_version)));
                    let mut pkg = flat::package(
                        Ecosystem::Npm,
                        &name,
                        Some(&pkg_version),
                        purl,
                        source,
                        input,
                    );
                    pkg.integrity = str_of(resolution, "integrity").map(str::to_owned);
                    let idx = inv.add_package(pkg);
                    by_version.insert((name, pkg_version), idx);
                    idx
                }
            };
            by_key.insert(strip_peers(key, false).to_owned(), idx);
            // In 9, `packages` holds no dependencies; `snapshots` does.
            if section == 1 || !version.starts_with("9.") {
                holders.push((node, idx));
            }
        }
    }

    // Importers: the project and its workspace members, each a root.
    let single = [(".".to_owned(), root.clone())];
    let importers: &[(String, Node)] = match root.get("importers") {
        Some(i) => i.entries(),
        None => &single,
    };
    let mut importer_idx: HashMap<String, PkgIdx> = HashMap::new();
    for (dir, _) in importers {
        let dir = normalise(dir);
        let m = manifest.as_ref().filter(|_| dir == ".");
        let name = if dir == "." {
            m.and_then(|m| m.name.as_deref())
        } else {
            Some(dir.as_str())
        };
        let mut pkg = flat::project(
            path,
            Ecosystem::Npm,
            name,
            m.and_then(|m| m.version.as_deref()),
            input,
        );
        if dir != "." {
            pkg.source = SourceKind::Path(dir.clone());
        }
        pkg.declared = m
            .and_then(|m| m.license.as_ref())
            .and_then(|l| l.as_str())
            .map(str::to_owned)
            .into_iter()
            .collect();
        let idx = inv.add_package(pkg);
        inv.add_root(idx);
        importer_idx.insert(dir, idx);
    }

    let mut edges: BTreeSet<(PkgIdx, PkgIdx, EdgeKind)> = BTreeSet::new();
    let mut missing: Option<(usize, String)> = None;
    let mut resolve = |from: PkgIdx, base: &str, name: &str, value: &Node, kind: EdgeKind| {
        // Importers write `{specifier, version}` from 6 on, a bare version before.
        let Some(v) = value.str().or_else(|| str_of(value, "version")) else {
            return Err(Error::at(
                path,
                value.line,
                value.col,
                "a dependency's version is a string",
            ));
        };
        let to = match target(name, v, v5) {
            Target::Version(n, ver) => by_version.get(&(n, ver)).copied(),
            // Importers of 9 write a URL-keyed package's URL alone, without its name.
            Target::Key(k) => by_key
                .get(&k)
                .or_else(|| by_key.get(&format!("{name}@{k}")))
                .copied(),
            Target::Link(rel) => importer_idx
                .get(&normalise(&format!("{base}/{rel}")))
                .copied(),
        };
        match to {
            Some(to) => {
                edges.insert((from, to, kind));
            }
            None if kind == EdgeKind::Optional => {}
            None => {
                missing.get_or_insert((0, format!("{name}@{v}"))).0 += 1;
            }
        }
        Ok(())
    };
    for (dir, node) in importers {
        let from = importer_idx[&normalise(dir)];
        for (list, kind) in [
            ("dependencies", EdgeKind::Runtime),
            ("optionalDependencies", EdgeKind::Optional),
            ("devDependencies", EdgeKind::Dev),
        ] {
            for (name, value) in node.get(list).map(Node::entries).unwrap_or_default() {
                resolve(from, &normalise(dir), name, value, kind)?;
            }
        }
    }
    for (node, from) in holders {
        for (list, kind) in [
            ("dependencies", EdgeKind::Runtime),
            ("optionalDependencies", EdgeKind::Optional),
        ] {
            for (name, value) in node.get(list).map(Node::entries).unwrap_or_default() {
                resolve(from, ".", name, value, kind)?;
            }
        }
    }
    for (from, to, kind) in edges {
        if from != to {
            inv.add_edge(from, to, kind, None);
        }
    }
    if let Some((count, first)) = missing {
        inv.notice(
            input,
            crate::text!("notice.lock-unresolved", count = count, first = first),
        );
    }
    inv.finish();
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_paths_of_each_version() {
        let p = |k, v5| split_path(k, v5);
        let nv = |n: &str, v: &str| Some((n.to_owned(), v.to_owned()));
        assert_eq!(
            p("/acorn-jsx/5.3.2_acorn@8.7.0", true),
            nv("acorn-jsx", "5.3.2")
        );
        assert_eq!(p("/@s/a/1.0.0", true), nv("@s/a", "1.0.0"));
        assert_eq!(p("registry.npmjs.org/foo/1.1.0", true), nv("foo", "1.1.0"));
        assert_eq!(
            p("/react-dom@18.2.0(react@18.2.0)", false),
            nv("react-dom", "18.2.0")
        );
        assert_eq!(p("@s/a@1.0.0", false), nv("@s/a", "1.0.0"));
        assert_eq!(p("invalidpath", true), None);
        assert_eq!(p("file:../x", false), None);
        assert_eq!(
            target("sw", "string-width@4.2.3", false),
            Target::Version("string-width".into(), "4.2.3".into())
        );
        assert_eq!(target("x", "link:../x", false), Target::Link("../x".into()));
        assert_eq!(normalise("packages/a/../b"), "packages/b");
    }

    #[test]
    fn v9_importers_snapshots_and_scopes() {
        let lock = "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      a:\n        \
            specifier: ^1\n        version: 1.0.0(b@2.0.0)\n    devDependencies:\n      w:\n        \
            specifier: workspace:*\n        version: link:packages/w\n  packages/w: {}\n\n\
            packages:\n  a@1.0.0:\n    resolution: {integrity: sha512-x}\n  b@2.0.0:\n    \
            resolution: {integrity: sha512-y}\n\nsnapshots:\n  a@1.0.0(b@2.0.0):\n    \
            dependencies:\n      b: 2.0.0\n      c: 3.0.0\n  b@2.0.0: {}\n";
        assert!(looks_like_pnpm_lock(lock));
        let manifest = br#"{"name":"app","license":"MIT"}"#;
        let inv = parse(
            Path::new("pnpm-lock.yaml"),
            lock,
            Some((Path::new("package.json"), manifest)),
        )
        .unwrap();
        // a, b and the two importers.
        assert_eq!(inv.packages.len(), 4);
        assert_eq!(inv.roots.len(), 2);
        assert_eq!(inv.package(inv.roots[0]).declared, vec!["MIT"]);
        assert_eq!(inv.packages[0].purl(), Some("pkg:npm/a@1.0.0"));
        assert_eq!(inv.packages[0].integrity.as_deref(), Some("sha512-x"));
        // app→a, app→w (dev), a→b; c is named in one notice.
        assert_eq!(inv.edges.len(), 3);
        assert!(inv.edges.iter().any(|e| e.kind == EdgeKind::Dev));
        assert_eq!(inv.notices.len(), 1);
    }

    /// pnpm 9 keys a package fetched from a URL `name@<url>`; an importer names it by the
    /// URL alone (as the Matrix Authentication Service's lockfile does).
    #[test]
    fn v9_importer_reaches_a_url_keyed_package() {
        let url = "https://codeload.github.com/o/gs/tar.gz/3a28";
        let lock = format!(
            "lockfileVersion: '9.0'\nimporters:\n  .:\n    devDependencies:\n      gs:\n        \
             specifier: github:o/gs\n        version: {url}\npackages:\n  gs@{url}:\n    \
             resolution: {{tarball: {url}}}\n    version: 9.0.0\nsnapshots:\n  gs@{url}: {{}}\n"
        );
        let inv = parse(Path::new("pnpm-lock.yaml"), &lock, None).unwrap();
        assert_eq!(inv.packages.len(), 2);
        assert_eq!(inv.edges.len(), 1);
        assert_eq!(inv.edges[0].kind, EdgeKind::Dev);
        assert!(inv.notices.is_empty(), "{:?}", inv.notices);
    }

    #[test]
    fn unknown_versions_and_paths_are_errors() {
        let e = parse(Path::new("l.yaml"), "lockfileVersion: 4.0\n", None).unwrap_err();
        assert!(e.to_string().starts_with("l.yaml:1:18: "), "{e}");
        let e = parse(
            Path::new("l.yaml"),
            "lockfileVersion: 5.3\npackages:\n  bad:\n    dev: false\n",
            None,
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("l.yaml:4:5: "), "{e}");
    }
}
