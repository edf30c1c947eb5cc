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
//!   edges, so every package is a direct dependency in its section, at the version that
//!   section locks (the two may lock a name at different versions).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::doc_str::DocStr;
use super::flat::{self, Flat, toml_error};
use super::input_file;
use crate::error::{Error, Result};
use crate::model::{
    DocumentMeta, Ecosystem, EdgeKind, InputFormat, InputIdx, Inventory, Package, SourceKind,
};

/// PEP 503 normalised name, borrowing `name` when it is normalised already (as lockfiles
/// mostly write names): no ASCII capitals, no `_` or `.`, single `-` between other characters,
/// nothing to trim.
fn normalise(name: &str) -> Cow<'_, str> {
    let b = name.as_bytes();
    let normal = b.first().is_none_or(|&c| c != b'-')
        && b.last().is_none_or(|&c| c != b'-')
        && name.trim().len() == name.len()
        && !b
            .iter()
            .any(|&c| c.is_ascii_uppercase() || c == b'_' || c == b'.')
        && memchr::memmem::find(b, b"--").is_none();
    if normal {
        return Cow::Borrowed(name);
    }
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
    Cow::Owned(out)
}

/// Key for resolving a dependency: the normalised name, and the version after a space.
fn key(dep: &str) -> Cow<'_, str> {
    match dep.split_once(' ') {
        Some((n, v)) => Cow::Owned(format!("{} {v}", normalise(n))),
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
    flat::package(Ecosystem::Pypi, norm, version, purl, source, input)
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
    text: &str,
    manifest: Option<(&Path, &[u8])>,
) -> Result<Inventory> {
    let lock: PoetryLock = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    let project = manifest.map(|(p, b)| pyproject(p, b)).transpose()?;
    let mut inv = Inventory::new();
    let meta = DocumentMeta {
        has_dependencies: true,
        ..DocumentMeta::default()
    };
    let input = inv.add_input(input_file(path, InputFormat::PoetryLock, meta));
    let mut root = flat::project(
        path,
        Ecosystem::Pypi,
        project.as_ref().and_then(|p| p.name.as_deref()),
        project.as_ref().and_then(|p| p.version.as_deref()),
        input,
    );
    if let Some(p) = &project {
        root.declared = p.license.iter().cloned().collect();
    }
    inv.reserve(lock.package.len() + 1);
    let mut out = Flat::new(&mut inv, root);
    out.direct = project.map(|p| p.direct.into_iter().map(|(k, d)| (k.into(), d)).collect());
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
            .map(|(name, spec)| (name.clone().into(), poetry_kind(spec)))
            .collect();
        out.lock(&mut inv, pkg, deps, scope);
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

    fn deps(&self) -> Vec<(Cow<'static, str>, EdgeKind)> {
        let k = |d: &UvDep| -> Cow<'static, str> {
            match &d.version {
                Some(v) => Cow::Owned(format!("{} {v}", d.name)),
                None => Cow::Owned(d.name.clone()),
            }
        };
        let mut out: Vec<(Cow<'static, str>, EdgeKind)> = self
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
pub(crate) fn parse_uv(path: &Path, text: &str) -> Result<Inventory> {
    let lock: UvLock = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    let mut inv = Inventory::new();
    let meta = DocumentMeta {
        has_dependencies: true,
        ..DocumentMeta::default()
    };
    let input = inv.add_input(input_file(path, InputFormat::UvLock, meta));
    // The project: the member at `.`, else the first member.
    let root_at = lock
        .package
        .iter()
        .position(|e| e.is_member() && e.source.values().any(|v| v.as_str() == Some(".")))
        .or_else(|| lock.package.iter().position(UvEntry::is_member));
    let mut out = match root_at {
        Some(i) => {
            let e = &lock.package[i];
            let mut f = Flat::new(&mut inv, e.package(input));
            f.direct = Some(e.deps());
            f
        }
        None => Flat::new(
            &mut inv,
            flat::project(path, Ecosystem::Pypi, None, None, input),
        ),
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
        out.lock(&mut inv, pkg, e.deps(), EdgeKind::Runtime);
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
struct PipfileLock<'a> {
    #[serde(default, borrow)]
    default: BTreeMap<DocStr<'a>, PipEntry<'a>>,
    #[serde(default, borrow)]
    develop: BTreeMap<DocStr<'a>, PipEntry<'a>>,
}

#[derive(Debug, Deserialize)]
struct PipEntry<'a> {
    #[serde(borrow)]
    version: Option<DocStr<'a>>,
    git: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
    path: Option<String>,
    /// The first of the hashes (a package lists one per wheel, often dozens): the
    /// others are skipped, not copied.
    #[serde(default, deserialize_with = "first_hash")]
    hashes: Option<String>,
}

fn first_hash<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    struct First;
    impl<'de> serde::de::Visitor<'de> for First {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of hashes")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            let first = seq.next_element::<String>()?;
            while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
            Ok(first)
        }
    }
    d.deserialize_seq(First)
}

/// Parses a `Pipfile.lock`.
pub(crate) fn parse_pipfile(path: &Path, text: &str) -> Result<Inventory> {
    // From the text, whose UTF-8 is checked once, not again string by string.
    let lock: PipfileLock = serde_json::from_str(text).map_err(|e| Error::json(path, &e))?;
    let mut inv = Inventory::new();
    let meta = DocumentMeta::default();
    let input = inv.add_input(input_file(path, InputFormat::PipfileLock, meta));
    // The project, then every locked package, each needed by the project in its section:
    // the lock records no other edges. Each edge goes to the package just read, so an
    // entry of `develop` at another version than `default`'s keeps its own edge.
    inv.reserve(1 + lock.default.len() + lock.develop.len());
    let root = inv.add_package(flat::project(path, Ecosystem::Pypi, None, None, input));
    inv.add_root(root);
    for (section, kind) in [
        (lock.default, EdgeKind::Runtime),
        (lock.develop, EdgeKind::Dev),
    ] {
        for (name, e) in section {
            let version = e.version.as_deref().map(|mut v| {
                while let Some(rest) = v.strip_prefix("==") {
                    v = rest;
                }
                v
            });
            let source = match (e.git, e.path) {
                (Some(g), _) => SourceKind::Git(match &e.reference {
                    Some(r) => format!("{g}#{r}"),
                    None => g,
                }),
                (None, Some(p)) => SourceKind::Path(p),
                (None, None) => SourceKind::DefaultRegistry,
            };
            let mut pkg = pypi(&name, version, source, input);
            pkg.integrity = e.hashes;
            let idx = inv.add_package(pkg);
            if idx != root {
                inv.add_edge(root, idx, kind, None);
            }
        }
    }
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
        // Borrowed exactly when the name is already normal.
        for (name, normal) in [
            ("requests", "requests"),
            ("zope-interface", "zope-interface"),
            ("über-paket", "über-paket"),
            ("Requests", "requests"),
            ("-lead", "lead"),
            ("trail-", "trail"),
            ("a--b", "a-b"),
            ("a-_b", "a-b"),
            (" pad", "pad"),
            ("pad\t", "pad"),
            ("a.b", "a-b"),
            ("", ""),
            ("-", ""),
        ] {
            let got = normalise(name);
            assert_eq!(got, normal, "{name:?}");
            assert_eq!(matches!(got, Cow::Borrowed(_)), name == normal, "{name:?}");
        }
        assert_eq!(key("Zope.Interface 5.0"), "zope-interface 5.0");
        assert!(matches!(key("requests"), Cow::Borrowed("requests")));
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

// ---------------------------------------------------------------- requirements.txt

/// One requirement line: name, pinned version (`==` / `===`), first hash, URL.
#[derive(Debug, PartialEq)]
struct Requirement<'a> {
    name: &'a str,
    version: Option<&'a str>,
    hash: Option<&'a str>,
    url: Option<&'a str>,
}

/// Reads one requirement (comments and continuations already removed); `Err` holds the
/// byte offset in `line` and the message.
fn requirement(line: &str) -> std::result::Result<Requirement<'_>, (usize, &'static str)> {
    // Per-requirement options (`--hash=…`, `-C …`) follow the requirement.
    let (req, options) = match line.find(" -").or_else(|| line.find("\t-")) {
        Some(i) => (&line[..i], &line[i..]),
        None => (line, ""),
    };
    let mut hash = None;
    let mut words = options.split_whitespace();
    while let Some(w) = words.next() {
        if let Some(h) = w.strip_prefix("--hash=") {
            hash = hash.or(Some(h).filter(|h| !h.is_empty()));
        } else if w == "--hash" {
            hash = hash.or(words.next());
        }
    }
    let req = req.split(';').next().unwrap_or(req).trim_end();
    let name = requirement_name(req);
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err((0, "a requirement starts with a package name"));
    }
    let mut rest = req[name.len()..].trim_start();
    if let Some(r) = rest.strip_prefix('[') {
        let Some(end) = r.find(']') else {
            return Err((req.len(), "extras are not closed with `]`"));
        };
        rest = r[end + 1..].trim_start();
    }
    if let Some(url) = rest.strip_prefix('@') {
        return Ok(Requirement {
            name,
            version: None,
            hash,
            url: Some(url.trim()),
        });
    }
    let at = req.len() - rest.len();
    if rest.is_empty() {
        return Ok(Requirement {
            name,
            version: None,
            hash,
            url: None,
        });
    }
    if !rest.starts_with(['=', '<', '>', '~', '!']) {
        return Err((at, "a version specifier starts with `==`, `>=`, `~=`, …"));
    }
    let pinned = rest
        .strip_prefix("===")
        .or_else(|| rest.strip_prefix("=="))
        .filter(|v| !v.contains(','));
    match pinned.map(str::trim) {
        Some("") => Err((at, "`==` without a version")),
        Some(v) => Ok(Requirement {
            name,
            version: Some(v),
            hash,
            url: None,
        }),
        None => Ok(Requirement {
            name,
            version: None,
            hash,
            url: None,
        }),
    }
}

/// Logical lines of a requirements file: continuations joined, comments dropped, with
/// the 1-based number of the line each starts on and its indent.
fn logical_lines(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, usize, String)> = None;
    for (n, raw) in text.lines().enumerate() {
        let body = match raw.find(" #").or_else(|| raw.find("\t#")) {
            Some(i) => &raw[..i],
            None if raw.trim_start().starts_with('#') => "",
            None => raw,
        };
        let (cont, body) = match body.trim_end().strip_suffix('\\') {
            Some(b) => (true, b),
            None => (false, body),
        };
        let entry = cur.get_or_insert_with(|| {
            let indent = body.len() - body.trim_start().len();
            (n + 1, indent, String::new())
        });
        entry.2.push_str(body.trim());
        entry.2.push(' ');
        if !cont {
            if let Some(e) = cur.take().filter(|e| !e.2.trim().is_empty()) {
                out.push(e);
            }
        }
    }
    out.extend(cur.filter(|e| !e.2.trim().is_empty()));
    out
}

/// A line that names an archive or folder instead of a package (`./x.whl`, a URL).
fn is_direct_reference(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    first.starts_with(['.', '/']) || first.contains("://")
}

/// Whether `text` reads as a pinned requirements file: every line a requirement or an
/// option, at least one pinned with `==`.
pub(crate) fn looks_like_requirements(text: &str) -> bool {
    let mut pinned = false;
    for (_, _, line) in logical_lines(text) {
        let line = line.trim();
        if line.starts_with('-') || is_direct_reference(line) {
            continue;
        }
        match requirement(line) {
            Ok(r) => pinned |= r.version.is_some(),
            Err(_) => return false,
        }
    }
    pinned
}

/// Parses a pinned `requirements.txt`: every requirement is a direct run-time dependency
/// of the project (the file records no edges); `-r` / `-c` / `-e` lines, archives and
/// URLs are not followed and an unpinned requirement has no version, both said in a
/// notice.
pub(crate) fn parse_requirements(path: &Path, text: &str) -> Result<Inventory> {
    let mut inv = Inventory::new();
    let input = inv.add_input(input_file(
        path,
        InputFormat::Requirements,
        DocumentMeta::default(),
    ));
    let mut out = Flat::new(
        &mut inv,
        flat::project(path, Ecosystem::Pypi, None, None, input),
    );
    let mut direct = Vec::new();
    let mut unpinned = 0usize;
    let mut skipped = 0usize;
    let mut index: Option<String> = None;
    for (line_no, indent, line) in logical_lines(text) {
        let line = line.trim();
        if let Some(opt) = line.strip_prefix('-') {
            let mut w = opt.split(|c: char| c == '=' || c.is_whitespace());
            match w.next() {
                Some("i" | "-index-url") => index = w.find(|s| !s.is_empty()).map(str::to_owned),
                Some("r" | "-requirement" | "c" | "-constraint" | "e" | "-editable") => {
                    skipped += 1;
                }
                _ => {}
            }
            continue;
        }
        if is_direct_reference(line) {
            skipped += 1;
            continue;
        }
        let r = requirement(line).map_err(|(at, msg)| {
            Error::at(path, line_no, indent + 1 + line[..at].chars().count(), msg)
        })?;
        let source = match (r.url, &index) {
            (Some(u), _) if u.starts_with("git+") => SourceKind::Git(u.to_owned()),
            (Some(u), _) => SourceKind::Registry(u.to_owned()),
            (None, Some(i)) => registry(i),
            (None, None) => SourceKind::DefaultRegistry,
        };
        unpinned += usize::from(r.version.is_none() && r.url.is_none());
        let mut pkg = pypi(r.name, r.version, source, input);
        pkg.integrity = r.hash.map(str::to_owned);
        direct.push((Cow::Owned(pkg.name.clone()), EdgeKind::Runtime));
        out.lock(&mut inv, pkg, Vec::new(), EdgeKind::Runtime);
    }
    out.direct = Some(direct);
    out.into_inventory(&mut inv, input, key);
    if unpinned > 0 || skipped > 0 {
        inv.notice(
            input,
            crate::text!(
                "notice.requirements-gaps",
                unpinned = unpinned,
                skipped = skipped
            ),
        );
    }
    inv.finish();
    Ok(inv)
}

#[cfg(test)]
mod requirements_tests {
    use super::*;

    #[test]
    fn pinned_requirements_with_options_extras_and_markers() {
        let text = "# c\npyjwt [crypto] == 2.1.0\nfoo==1.0; python_version < \"2.7\" --hash=sha256:1\n\
            pkgA==1.0 \\\n  --hash=sha256:123\nloose>=1\n-r other.txt\nu @ git+https://x/u.git\n./d/n-1.whl\n";
        assert!(looks_like_requirements(text));
        let inv = parse_requirements(Path::new("requirements.txt"), text).unwrap();
        let names: Vec<_> = inv.packages.iter().map(|p| p.display_name()).collect();
        assert_eq!(
            names,
            [
                "project",
                "pyjwt@2.1.0",
                "foo@1.0",
                "pkga@1.0",
                "loose",
                "u"
            ]
        );
        assert_eq!(inv.packages[3].integrity.as_deref(), Some("sha256:123"));
        assert_eq!(inv.edges.len(), 5);
        assert_eq!(inv.notices.len(), 1);
        for (bad, col) in [("asdf==\n", 5), ("==1.0\n", 1), ("asdf 1.0\n", 6)] {
            let e = parse_requirements(Path::new("r.txt"), bad).unwrap_err();
            assert!(
                e.to_string().starts_with(&format!("r.txt:1:{col}: ")),
                "{bad}: {e}"
            );
        }
        assert!(!looks_like_requirements(
            "MIT License\n\nCopyright (c) 2020\n"
        ));
        assert!(!looks_like_requirements("just words\n"));
    }
}
