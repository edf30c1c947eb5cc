//! Python ingest: `poetry.lock` (with `pyproject.toml` beside it), `uv.lock` and
//! `Pipfile.lock`. None of them records licences; names are compared normalised (PEP 503:
//! lower case, runs of `-`, `_`, `.` as one `-`).
//!
//! - Poetry: `[[package]]` entries with `[package.dependencies]`; a package is dev when
//!   its `groups` (Poetry 2) or `category` (Poetry 1) leave out `main`, optional when
//!   `optional = true`. The project's direct dependencies come from `pyproject.toml`
//!   (`[project]` and `[tool.poetry]` tables, groups, `[dependency-groups]`).
//! - uv: the project is the package whose `source` is `editable` or `virtual`;
//!   `dependencies` are run-time edges, `optional-dependencies` optional, and
//!   `dev-dependencies` (dependency groups) dev. Other workspace members are roots too.
//! - Pipfile.lock: `default` (run time) and `develop` (dev) list every package without
//!   edges, so every package is a direct dependency in its section.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::flat::{self, Flat, Locked, toml_error};
use super::input_file;
use crate::error::{Error, Result};
use crate::model::{
    DocumentMeta, Ecosystem, EdgeKind, InputFormat, InputIdx, Inventory, Package, SourceKind,
};

/// PEP 503 normalised name.
pub(super) fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Key for resolving a dependency: the normalised name, and the version after a space.
fn key(dep: &str) -> String {
    match dep.split_once(' ') {
        Some((n, v)) => format!("{} {v}", normalise(n)),
        None => normalise(dep),
    }
}

fn pypi(name: &str, version: Option<&str>, source: SourceKind, input: InputIdx) -> Package {
    let norm = normalise(name);
    let purl = matches!(
        source,
        SourceKind::DefaultRegistry | SourceKind::Registry(_)
    )
    .then(|| flat::purl("pypi", &norm, version));
    flat::package(Ecosystem::Pypi, &norm, version, purl, source, input)
}

fn registry(url: &str) -> SourceKind {
    let u = url.trim_end_matches('/');
    if u == "https://pypi.org/simple" || u == "https://pypi.org/pypi" {
        SourceKind::DefaultRegistry
    } else {
        SourceKind::Registry(url.to_owned())
    }
}

// ---------------------------------------------------------------- Poetry

#[derive(Debug, Deserialize)]
struct PoetryLock {
    #[serde(default)]
    package: Vec<PoetryEntry>,
}

#[derive(Debug, Deserialize)]
struct PoetryEntry {
    name: String,
    version: Option<String>,
    description: Option<String>,
    #[serde(default)]
    optional: bool,
    category: Option<String>,
    groups: Option<Vec<String>>,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
    source: Option<PoetrySource>,
}

#[derive(Debug, Deserialize)]
struct PoetrySource {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    resolved_reference: Option<String>,
}

/// Parses a `poetry.lock`; `manifest` is the `pyproject.toml` beside it.
pub(crate) fn parse_poetry(
    path: &Path,
    bytes: &[u8],
    manifest: Option<(&Path, &[u8])>,
) -> Result<Inventory> {
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let lock: PoetryLock = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    let project = manifest.map(|(p, b)| pyproject(p, b)).transpose()?;
    let mut inv = Inventory::new();
    let meta = DocumentMeta {
        has_dependencies: true,
        ..DocumentMeta::default()
    };
    let input = inv.add_input(input_file(path, bytes, InputFormat::PoetryLock, meta));
    let mut root = flat::project(
        Ecosystem::Pypi,
        project.as_ref().and_then(|p| p.name.as_deref()),
        project.as_ref().and_then(|p| p.version.as_deref()),
        input,
    );
    if let Some(p) = &project {
        root.declared = p.license.iter().cloned().collect();
    }
    let mut out = Flat::new(root);
    out.direct = project.map(|p| p.direct);
    for e in lock.package {
        let source = match &e.source {
            Some(PoetrySource {
                kind: Some(k),
                url: Some(u),
                resolved_reference,
            }) if k == "git" => SourceKind::Git(match resolved_reference {
                Some(r) => format!("{u}#{r}"),
                None => u.clone(),
            }),
            Some(PoetrySource {
                kind: Some(k),
                url: Some(u),
                ..
            }) if k == "directory" || k == "file" => SourceKind::Path(u.clone()),
            Some(PoetrySource {
                kind: Some(k),
                url: Some(u),
                ..
            }) if k == "legacy" => registry(u),
            Some(PoetrySource { url: Some(u), .. }) => SourceKind::Registry(u.clone()),
            _ => SourceKind::DefaultRegistry,
        };
        let mut pkg = pypi(&e.name, e.version.as_deref(), source, input);
        pkg.description = e.description.filter(|d| !d.is_empty());
        let main = match (&e.groups, &e.category) {
            (Some(g), _) => g.iter().any(|g| g == "main"),
            (None, Some(c)) => c == "main",
            (None, None) => true,
        };
        let scope = if !main {
            EdgeKind::Dev
        } else if e.optional {
            EdgeKind::Optional
        } else {
            EdgeKind::Runtime
        };
        let deps = e
            .dependencies
            .iter()
            .map(|(name, spec)| (name.clone(), poetry_kind(spec)))
            .collect();
        out.locked.push(Locked { pkg, deps, scope });
    }
    out.into_inventory(&mut inv, input, key);
    inv.finish();
    Ok(inv)
}

/// A Poetry dependency is optional when its table (or every table of its list) says so.
fn poetry_kind(spec: &toml::Value) -> EdgeKind {
    let optional = |v: &toml::Value| {
        v.get("optional")
            .and_then(toml::Value::as_bool)
            .unwrap_or(false)
    };
    let yes = match spec {
        toml::Value::Array(items) => !items.is_empty() && items.iter().all(optional),
        other => optional(other),
    };
    if yes {
        EdgeKind::Optional
    } else {
        EdgeKind::Runtime
    }
}

/// What `pyproject.toml` says about the project.
#[derive(Debug, Default)]
struct Project {
    name: Option<String>,
    version: Option<String>,
    license: Option<String>,
    direct: Vec<(String, EdgeKind)>,
}

/// The name at the start of a PEP 508 requirement (`name[extra] (>=1); marker`).
fn requirement_name(req: &str) -> &str {
    let req = req.trim_start();
    let end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    &req[..end]
}

fn pyproject(path: &Path, bytes: &[u8]) -> Result<Project> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::input(path, "a `pyproject.toml` that is not UTF-8"))?;
    let doc: toml::Table = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    let mut p = Project::default();
    let get = |t: &toml::Table, k: &str| t.get(k).and_then(toml::Value::as_str).map(str::to_owned);
    let license_of = |v: Option<&toml::Value>| match v {
        Some(toml::Value::String(s)) => Some(s.clone()),
        Some(toml::Value::Table(t)) => t.get("text").and_then(|v| v.as_str()).map(str::to_owned),
        _ => None,
    };
    let pep508 = |v: Option<&toml::Value>, kind: EdgeKind, out: &mut Vec<(String, EdgeKind)>| {
        for r in v.and_then(toml::Value::as_array).into_iter().flatten() {
            if let Some(s) = r.as_str() {
                out.push((requirement_name(s).to_owned(), kind));
            }
        }
    };
    if let Some(proj) = doc.get("project").and_then(toml::Value::as_table) {
        p.name = get(proj, "name");
        p.version = get(proj, "version");
        p.license = license_of(proj.get("license"));
        pep508(proj.get("dependencies"), EdgeKind::Runtime, &mut p.direct);
        if let Some(extras) = proj.get("optional-dependencies").and_then(|v| v.as_table()) {
            for list in extras.values() {
                pep508(Some(list), EdgeKind::Optional, &mut p.direct);
            }
        }
    }
    if let Some(groups) = doc.get("dependency-groups").and_then(toml::Value::as_table) {
        for list in groups.values() {
            pep508(Some(list), EdgeKind::Dev, &mut p.direct);
        }
    }
    let poetry = doc
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(toml::Value::as_table);
    if let Some(poetry) = poetry {
        p.name = p.name.or_else(|| get(poetry, "name"));
        p.version = p.version.or_else(|| get(poetry, "version"));
        p.license = p.license.or_else(|| license_of(poetry.get("license")));
        let table = |v: Option<&toml::Value>, kind: EdgeKind, out: &mut Vec<(String, EdgeKind)>| {
            for (name, spec) in v.and_then(toml::Value::as_table).into_iter().flatten() {
                if name != "python" {
                    let kind = if kind == EdgeKind::Runtime {
                        poetry_kind(spec)
                    } else {
                        kind
                    };
                    out.push((name.clone(), kind));
                }
            }
        };
        table(poetry.get("dependencies"), EdgeKind::Runtime, &mut p.direct);
        table(poetry.get("dev-dependencies"), EdgeKind::Dev, &mut p.direct);
        if let Some(groups) = poetry.get("group").and_then(toml::Value::as_table) {
            for (g, body) in groups {
                let kind = if g == "main" {
                    EdgeKind::Runtime
                } else {
                    EdgeKind::Dev
                };
                table(body.get("dependencies"), kind, &mut p.direct);
            }
        }
    }
    Ok(p)
}

// ---------------------------------------------------------------- uv

#[derive(Debug, Deserialize)]
struct UvLock {
    #[serde(default)]
    package: Vec<UvEntry>,
}

#[derive(Debug, Deserialize)]
struct UvEntry {
    name: String,
    version: Option<String>,
    #[serde(default)]
    source: BTreeMap<String, toml::Value>,
    #[serde(default)]
    dependencies: Vec<UvDep>,
    #[serde(default, rename = "optional-dependencies")]
    optional_dependencies: BTreeMap<String, Vec<UvDep>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Vec<UvDep>>,
    sdist: Option<UvDist>,
}

#[derive(Debug, Deserialize)]
struct UvDep {
    name: String,
    version: Option<String>,
}

#[derive(Debug, Deserialize)]
struct UvDist {
    hash: Option<String>,
}

impl UvEntry {
    fn is_member(&self) -> bool {
        self.source.contains_key("editable") || self.source.contains_key("virtual")
    }

    fn deps(&self) -> Vec<(String, EdgeKind)> {
        let k = |d: &UvDep| match &d.version {
            Some(v) => format!("{} {v}", d.name),
            None => d.name.clone(),
        };
        let mut out: Vec<(String, EdgeKind)> = self
            .dependencies
            .iter()
            .map(|d| (k(d), EdgeKind::Runtime))
            .collect();
        for list in self.optional_dependencies.values() {
            out.extend(list.iter().map(|d| (k(d), EdgeKind::Optional)));
        }
        for list in self.dev_dependencies.values() {
            out.extend(list.iter().map(|d| (k(d), EdgeKind::Dev)));
        }
        out
    }

    fn package(&self, input: InputIdx) -> Package {
        let s = |k: &str| self.source.get(k).and_then(toml::Value::as_str);
        let source = if let Some(u) = s("registry") {
            registry(u)
        } else if let Some(u) = s("git") {
            SourceKind::Git(u.to_owned())
        } else if let Some(p) = s("editable")
            .or_else(|| s("virtual"))
            .or_else(|| s("path"))
            .or_else(|| s("directory"))
        {
            SourceKind::Path(p.to_owned())
        } else if let Some(u) = s("url") {
            SourceKind::Registry(u.to_owned())
        } else {
            SourceKind::Unknown
        };
        let mut pkg = pypi(&self.name, self.version.as_deref(), source, input);
        pkg.integrity = self.sdist.as_ref().and_then(|d| d.hash.clone());
        pkg
    }
}

/// Parses a `uv.lock`.
pub(crate) fn parse_uv(path: &Path, bytes: &[u8]) -> Result<Inventory> {
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let lock: UvLock = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    let mut inv = Inventory::new();
    let meta = DocumentMeta {
        has_dependencies: true,
        ..DocumentMeta::default()
    };
    let input = inv.add_input(input_file(path, bytes, InputFormat::UvLock, meta));
    // The project: the member at `.`, else the first member.
    let root_at = lock
        .package
        .iter()
        .position(|e| e.is_member() && e.source.values().any(|v| v.as_str() == Some(".")))
        .or_else(|| lock.package.iter().position(UvEntry::is_member));
    let mut out = match root_at {
        Some(i) => {
            let e = &lock.package[i];
            let mut f = Flat::new(e.package(input));
            f.direct = Some(e.deps());
            f
        }
        None => Flat::new(flat::project(Ecosystem::Pypi, None, None, input)),
    };
    let mut members = Vec::new();
    for (i, e) in lock.package.iter().enumerate() {
        if Some(i) == root_at {
            continue;
        }
        let pkg = e.package(input);
        if e.is_member() {
            members.push(pkg.id.clone());
        }
        out.locked.push(Locked {
            pkg,
            deps: e.deps(),
            scope: EdgeKind::Runtime,
        });
    }
    out.into_inventory(&mut inv, input, key);
    for id in members {
        if let Some(idx) = inv.find(&id) {
            inv.add_root(idx);
        }
    }
    inv.finish();
    Ok(inv)
}

// ---------------------------------------------------------------- Pipfile.lock

#[derive(Debug, Deserialize)]
struct PipfileLock {
    #[serde(default)]
    default: BTreeMap<String, PipEntry>,
    #[serde(default)]
    develop: BTreeMap<String, PipEntry>,
}

#[derive(Debug, Deserialize)]
struct PipEntry {
    version: Option<String>,
    git: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
    path: Option<String>,
    #[serde(default)]
    hashes: Vec<String>,
}

/// Parses a `Pipfile.lock`.
pub(crate) fn parse_pipfile(path: &Path, bytes: &[u8]) -> Result<Inventory> {
    let lock: PipfileLock = serde_json::from_slice(bytes).map_err(|e| Error::json(path, &e))?;
    let mut inv = Inventory::new();
    let meta = DocumentMeta::default();
    let input = inv.add_input(input_file(path, bytes, InputFormat::PipfileLock, meta));
    let mut out = Flat::new(flat::project(Ecosystem::Pypi, None, None, input));
    let mut direct = Vec::new();
    for (section, kind) in [
        (lock.default, EdgeKind::Runtime),
        (lock.develop, EdgeKind::Dev),
    ] {
        for (name, e) in section {
            let version = e.version.as_deref().map(|v| v.trim_start_matches("=="));
            let source = match (&e.git, &e.path) {
                (Some(g), _) => SourceKind::Git(match &e.reference {
                    Some(r) => format!("{g}#{r}"),
                    None => g.clone(),
                }),
                (None, Some(p)) => SourceKind::Path(p.clone()),
                (None, None) => SourceKind::DefaultRegistry,
            };
            let mut pkg = pypi(&name, version, source, input);
            pkg.integrity = e.hashes.into_iter().next();
            direct.push((pkg.name.clone(), kind));
            out.locked.push(Locked {
                pkg,
                deps: Vec::new(),
                scope: kind,
            });
        }
    }
    // The lock records no edges: every package is the project's, in its section.
    out.direct = Some(direct);
    out.into_inventory(&mut inv, input, key);
    inv.finish();
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_as_pep_503_says() {
        assert_eq!(normalise("Foo.Bar__baz"), "foo-bar-baz");
        assert_eq!(normalise("zope.interface"), "zope-interface");
        assert_eq!(
            requirement_name("Django[argon2] (>=4); python_version>'3'"),
            "Django"
        );
        assert_eq!(requirement_name("requests>=2"), "requests");
    }

    #[test]
    fn pyproject_names_direct_dependencies_by_scope() {
        let manifest = br#"
[project]
name = "app"
license = { text = "MIT" }
dependencies = ["Twisted[tls]>=22", "attrs"]
[project.optional-dependencies]
redis = ["hiredis"]
[dependency-groups]
dev = ["pytest"]
[tool.poetry.dependencies]
python = "^3.10"
authlib = { version = "*", optional = true }
"#;
        let p = pyproject(Path::new("pyproject.toml"), manifest).unwrap();
        assert_eq!(p.name.as_deref(), Some("app"));
        assert_eq!(p.license.as_deref(), Some("MIT"));
        assert_eq!(
            p.direct,
            vec![
                ("Twisted".to_owned(), EdgeKind::Runtime),
                ("attrs".to_owned(), EdgeKind::Runtime),
                ("hiredis".to_owned(), EdgeKind::Optional),
                ("pytest".to_owned(), EdgeKind::Dev),
                ("authlib".to_owned(), EdgeKind::Optional),
            ]
        );
    }
}
