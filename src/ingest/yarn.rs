//! Yarn ingest: `yarn.lock` v1 (Yarn's own indented syntax) and Berry (Yarn 2 and later,
//! YAML with `__metadata`), with the `package.json` beside it for the project's direct
//! dependencies.
//!
//! Each entry is keyed by the descriptors it satisfies (`name@range`, Berry:
//! `name@npm:range`); its `dependencies` (run time), `optionalDependencies` (optional) and
//! `peerDependencies` (run time, or optional where `peerDependenciesMeta` says so) are
//! descriptors again, resolved through those keys. Entries of one name and version are
//! one package. Berry's `workspace:` entries are the projects (roots); otherwise the
//! manifest's dependency lists are the direct dependencies, or, without a manifest, the
//! packages nothing else needs. Yarn lockfiles record no licences.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::flat;
use super::input_file;
use super::npm;
use super::yaml;
use crate::error::{Error, Result};
use crate::model::{DocumentMeta, Ecosystem, EdgeKind, InputFormat, Inventory, PkgIdx, SourceKind};

/// Whether `text` reads as a Yarn v1 lockfile (its header comment), or as Berry (a
/// `__metadata:` key at the top level).
pub(crate) fn looks_like_yarn_lock(text: &str) -> bool {
    text.lines()
        .take(8)
        .any(|l| l.starts_with("# yarn lockfile v1"))
        || text.lines().any(|l| l == "__metadata:")
}

/// One entry; a v1 entry borrows from the lockfile's text.
#[derive(Debug, Default)]
struct Entry<'a> {
    descriptors: Vec<Cow<'a, str>>,
    version: Option<Cow<'a, str>>,
    resolved: Option<Cow<'a, str>>,
    integrity: Option<Cow<'a, str>>,
    /// Dependencies as the two halves of a descriptor, `name` and `range`
    /// (`name@range`), joined only to be looked up.
    deps: Vec<(Cow<'a, str>, Cow<'a, str>, EdgeKind)>,
    workspace: bool,
}

/// The name in a descriptor `name@range` (a scope's `@` is part of the name).
fn descriptor_name(d: &str) -> &str {
    // The first character may be a scope's `@`; the name ends at the next `@` after it.
    let first = d.chars().next().map_or(0, char::len_utf8);
    match d[first..].find('@') {
        Some(i) => &d[..first + i],
        None => d,
    }
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

/// Parses a v1 lockfile.
fn parse_v1<'a>(path: &Path, text: &'a str) -> Result<Vec<Entry<'a>>> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut list: Option<EdgeKind> = None;
    let mut peer_optional: Vec<String> = Vec::new();
    for (n, line) in super::lines(text).enumerate() {
        let body = line.trim();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let err = |msg: &str| Error::at(path, n + 1, indent + 1, msg);
        match indent {
            0 => {
                let Some(keys) = body.strip_suffix(':') else {
                    return Err(err("an entry starts with its descriptors and `:`"));
                };
                entries.push(Entry {
                    descriptors: keys
                        .split(", ")
                        .map(|k| Cow::Borrowed(unquote(k)))
                        .collect(),
                    ..Entry::default()
                });
                list = None;
            }
            2 => {
                let Some(e) = entries.last_mut() else {
                    return Err(err("a field before any entry"));
                };
                list = None;
                if let Some(key) = body.strip_suffix(':') {
                    list = match key {
                        "dependencies" => Some(EdgeKind::Runtime),
                        "optionalDependencies" => Some(EdgeKind::Optional),
                        "peerDependencies" => Some(EdgeKind::Runtime),
                        // `peerDependenciesMeta` and others: keys below are not descriptors.
                        _ => None,
                    };
                    continue;
                }
                let Some((key, value)) = body.split_once(' ') else {
                    return Err(err("a field is a name and a value"));
                };
                let value = Cow::Borrowed(unquote(value));
                match key {
                    "version" => e.version = Some(value),
                    "resolved" => e.resolved = Some(value),
                    "integrity" => e.integrity = Some(value),
                    _ => {}
                }
            }
            4 => {
                let Some(kind) = list else {
                    // Under `peerDependenciesMeta`: `name:` then `optional true`.
                    if let Some(name) = body.strip_suffix(':') {
                        peer_optional.push(unquote(name).to_owned());
                    }
                    continue;
                };
                let Some(e) = entries.last_mut() else {
                    return Err(err("a dependency before any entry"));
                };
                // `name range` or `"@s/name" "range with spaces"`.
                let split = if let Some(rest) = body.strip_prefix('"') {
                    rest.find('"').map(|i| (&body[..i + 2], &body[i + 2..]))
                } else {
                    body.split_once(' ')
                };
                let Some((name, range)) = split.filter(|(_, r)| !r.trim().is_empty()) else {
                    return Err(err("a dependency is a name and a range"));
                };
                e.deps.push((
                    Cow::Borrowed(unquote(name)),
                    Cow::Borrowed(unquote(range)),
                    kind,
                ));
            }
            _ => {}
        }
    }
    Ok(entries)
}

/// Berry descriptor for a dependency `name: range`: the `npm:` protocol is implied.
fn berry_descriptor(name: &str, range: &str) -> String {
    if range.contains(':') {
        format!("{name}@{range}")
    } else {
        format!("{name}@npm:{range}")
    }
}

/// Parses a Berry lockfile.
fn parse_berry(path: &Path, text: &str) -> Result<Vec<Entry<'static>>> {
    let Some(root) = yaml::parse(path, text)? else {
        return Ok(Vec::new());
    };
    let mut entries = Vec::new();
    for (key, node) in root.entries() {
        if key == "__metadata" {
            continue;
        }
        let s = |k: &str| {
            node.get(k)
                .and_then(|n| n.str())
                .map(|v| Cow::Owned(v.to_owned()))
        };
        let resolution = s("resolution");
        let mut e = Entry {
            descriptors: key
                .split(", ")
                .map(|k| Cow::Owned(unquote(k).to_owned()))
                .collect(),
            version: s("version"),
            integrity: s("checksum"),
            workspace: resolution
                .as_deref()
                .is_some_and(|r| r.contains("@workspace:")),
            resolved: resolution,
            ..Entry::default()
        };
        let optional = |meta: &str, name: &str| {
            node.get(meta)
                .and_then(|m| m.get(name))
                .and_then(|m| m.get("optional"))
                .and_then(|o| o.str())
                == Some("true")
        };
        for (list, meta) in [
            ("dependencies", "dependenciesMeta"),
            ("peerDependencies", "peerDependenciesMeta"),
        ] {
            for (name, range) in node.get(list).map(|n| n.entries()).unwrap_or_default() {
                let Some(range) = range.str() else {
                    return Err(Error::at(
                        path,
                        range.line,
                        range.col,
                        "a range is a string",
                    ));
                };
                let kind = if optional(meta, name) {
                    EdgeKind::Optional
                } else {
                    EdgeKind::Runtime
                };
                let range = if range.contains(':') {
                    range.to_owned()
                } else {
                    format!("npm:{range}")
                };
                e.deps
                    .push((Cow::Owned(name.to_owned()), Cow::Owned(range), kind));
            }
        }
        entries.push(e);
    }
    Ok(entries)
}

/// The parts of `package.json` that name the project's direct dependencies.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    name: Option<String>,
    version: Option<String>,
    license: Option<serde_json::Value>,
    #[serde(default)]
    dependencies: HashMap<String, serde_json::Value>,
    #[serde(default)]
    dev_dependencies: HashMap<String, serde_json::Value>,
    #[serde(default)]
    optional_dependencies: HashMap<String, serde_json::Value>,
    #[serde(default)]
    peer_dependencies: HashMap<String, serde_json::Value>,
    /// Workspace folders, whose own manifests are not read here.
    workspaces: Option<serde_json::Value>,
}

/// Source of a v1 `resolved` URL or a Berry `resolution`.
fn source_of(resolved: Option<&str>, berry: bool) -> SourceKind {
    match resolved {
        None => SourceKind::Unknown,
        Some(r) if berry => match r.get(descriptor_name(r).len() + 1..) {
            Some(p) if p.starts_with("npm:") => SourceKind::DefaultRegistry,
            Some(p) if p.starts_with("workspace:") => {
                SourceKind::Path(p["workspace:".len()..].to_owned())
            }
            Some(p)
                if p.starts_with("file:") || p.starts_with("link:") || p.starts_with("portal:") =>
            {
                SourceKind::Path(p.split_once(':').map_or(p, |(_, rest)| rest).to_owned())
            }
            Some(p) if p.contains("git") => SourceKind::Git(p.to_owned()),
            Some(p) => SourceKind::Registry(p.to_owned()),
            None => SourceKind::Unknown,
        },
        Some(r) => npm::source_kind(r),
    }
}

/// Whether a line of `text` is `__metadata:` (a Berry lockfile has one, v1 none), by a
/// substring search rather than a pass over every line.
fn has_metadata_line(text: &str) -> bool {
    const KEY: &[u8] = b"__metadata:";
    let b = text.as_bytes();
    memchr::memmem::find_iter(b, KEY).any(|i| {
        (i == 0 || b[i - 1] == b'\n') && matches!(b.get(i + KEY.len()), None | Some(b'\n' | b'\r'))
    })
}

/// Parses a `yarn.lock`; `manifest` is the `package.json` beside it.
pub(crate) fn parse(
    path: &Path,
    text: &str,
    manifest: Option<(&Path, &[u8])>,
) -> Result<Inventory> {
    let berry = has_metadata_line(text);
    let entries = if berry {
        parse_berry(path, text)?
    } else {
        parse_v1(path, text)?
    };
    let manifest: Option<Manifest> = match manifest {
        Some((p, b)) => Some(serde_json::from_slice(b).map_err(|e| Error::json(p, &e))?),
        None => None,
    };
    let meta = DocumentMeta {
        spec_version: Some(if berry { "berry" } else { "v1" }.to_owned()),
        has_dependencies: true,
        ..DocumentMeta::default()
    };
    let mut inv = Inventory::new();
    let input = inv.add_input(input_file(path, InputFormat::YarnLock, meta));
    let mut by_descriptor: hashbrown::HashMap<&str, PkgIdx> = hashbrown::HashMap::new();
    let mut idxs = Vec::with_capacity(entries.len());
    for e in &entries {
        let name = e.descriptors.first().map_or("", |d| descriptor_name(d));
        let source = source_of(e.resolved.as_deref(), berry);
        let version = e.version.as_deref();
        let purl = (!e.workspace).then(|| npm::purl(name, version));
        let mut pkg = flat::package(Ecosystem::Npm, name, version, purl, source, input);
        pkg.integrity = e.integrity.as_deref().map(str::to_owned);
        if e.workspace {
            pkg.set_id(crate::model::PackageId(format!("npm:{name}@workspace")));
        }
        let idx = inv.add_package(pkg);
        for d in &e.descriptors {
            by_descriptor.insert(d, idx);
        }
        if e.workspace {
            inv.add_root(idx);
        }
        idxs.push(idx);
    }
    let mut missing: Option<(usize, String)> = None;
    let mut miss = |d: &str| {
        missing.get_or_insert((0, d.to_owned())).0 += 1;
    };
    let mut needed = vec![false; inv.packages.len()];
    let mut d = String::new();
    for (e, &from) in entries.iter().zip(&idxs) {
        for (name, range, kind) in &e.deps {
            d.clear();
            d.push_str(name);
            d.push('@');
            d.push_str(range);
            match by_descriptor.get(d.as_str()) {
                Some(&to) => {
                    inv.add_edge(from, to, *kind, None);
                    needed[to.index()] = true;
                }
                None if *kind == EdgeKind::Optional => {}
                None => miss(&d),
            }
        }
    }
    if !entries.iter().any(|e| e.workspace) {
        let m = manifest.as_ref();
        let mut root = flat::project(
            path,
            Ecosystem::Npm,
            m.and_then(|m| m.name.as_deref()),
            m.and_then(|m| m.version.as_deref()),
            input,
        );
        root.declared = m
            .and_then(|m| m.license.as_ref())
            .and_then(|l| l.as_str())
            .map(str::to_owned)
            .into_iter()
            .collect();
        let root = inv.add_package(root);
        inv.add_root(root);
        let workspaces = manifest.as_ref().is_some_and(|m| m.workspaces.is_some());
        let has_manifest = manifest.is_some();
        if let Some(m) = manifest {
            {
                let lists = [
                    (m.dependencies, EdgeKind::Runtime),
                    (m.peer_dependencies, EdgeKind::Runtime),
                    (m.optional_dependencies, EdgeKind::Optional),
                    (m.dev_dependencies, EdgeKind::Dev),
                ];
                let mut direct: Vec<(String, EdgeKind)> = Vec::new();
                for (list, kind) in lists {
                    for (name, range) in list {
                        let range = range.as_str().unwrap_or("*");
                        let d = if berry {
                            berry_descriptor(&name, range)
                        } else {
                            format!("{name}@{range}")
                        };
                        direct.push((d, kind));
                    }
                }
                direct.sort();
                for (d, kind) in direct {
                    match by_descriptor.get(d.as_str()) {
                        Some(&to) => inv.add_edge(root, to, kind, None),
                        None if kind == EdgeKind::Optional => {}
                        None => miss(&d),
                    }
                }
            }
        }
        // Without a manifest, or with workspaces whose manifests are elsewhere, what
        // nothing else needs is taken as the project's.
        if !has_manifest || workspaces {
            inv.notice(input, crate::text!("notice.lock-roots-inferred"));
            let linked: std::collections::HashSet<PkgIdx> = inv
                .edges
                .iter()
                .filter(|e| e.from == root)
                .map(|e| e.to)
                .collect();
            {
                for &idx in &idxs {
                    if !needed[idx.index()] && idx != root && !linked.contains(&idx) {
                        inv.add_edge(root, idx, EdgeKind::Runtime, None);
                    }
                }
            }
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

    const V1: &str = "# yarn lockfile v1\n\n\n\"@s/a@^1.0.0\", \"@s/a@^1.1.0\":\n  \
        version \"1.2.0\"\n  resolved \"https://registry.yarnpkg.com/@s/a/-/a-1.2.0.tgz#x\"\n  \
        integrity sha512-abc\n  dependencies:\n    b \"~2\"\n    \"c\" \"^1 || ^2\"\n  optionalDependencies:\n    \
        fsevents \"^2\"\n\nb@~2:\n  version \"2.0.1\"\n\n\"c@^1 || ^2\":\n  version \"2.0.0\"\n";

    #[test]
    fn v1_entries_descriptors_and_edges() {
        assert!(looks_like_yarn_lock(V1));
        let manifest = br#"{"name":"app","license":"MIT","dependencies":{"@s/a":"^1.1.0"},
            "devDependencies":{"b":"~2"}}"#;
        let inv = parse(
            Path::new("yarn.lock"),
            V1,
            Some((Path::new("package.json"), manifest)),
        )
        .unwrap();
        assert_eq!(inv.packages.len(), 4);
        assert_eq!(inv.packages[0].purl(), Some("pkg:npm/%40s/a@1.2.0"));
        assert_eq!(inv.packages[0].source, SourceKind::DefaultRegistry);
        // a→b, a→c, app→a, app→b (dev); fsevents is optional and absent.
        assert_eq!(inv.edges.len(), 4);
        assert!(inv.notices.is_empty());
        assert_eq!(inv.package(inv.roots[0]).declared, vec!["MIT"]);
        let e = parse(
            Path::new("yarn.lock"),
            "# yarn lockfile v1\nx@1\n  version \"1\"\n",
            None,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "yarn.lock:2:1: an entry starts with its descriptors and `:`"
        );
    }

    #[test]
    fn berry_workspaces_are_roots() {
        let lock = "__metadata:\n  version: 6\n\n\"a@npm:^1.0.0\":\n  version: 1.0.0\n  \
            resolution: \"a@npm:1.0.0\"\n  dependencies:\n    b: ^2.0.0\n  checksum: ff\n\n\
            \"b@npm:^2.0.0\":\n  version: 2.0.0\n  resolution: \"b@npm:2.0.0\"\n\n\
            \"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n  \
            dependencies:\n    a: ^1.0.0\n  languageName: unknown\n  linkType: soft\n";
        let inv = parse(Path::new("yarn.lock"), lock, None).unwrap();
        assert_eq!(inv.packages.len(), 3);
        assert_eq!(inv.roots.len(), 1);
        assert_eq!(inv.package(inv.roots[0]).name, "app");
        assert_eq!(inv.edges.len(), 2);
        assert_eq!(inv.packages[0].source, SourceKind::DefaultRegistry);
    }

    #[test]
    fn descriptor_names_keep_scopes() {
        assert_eq!(descriptor_name("@s/a@^1"), "@s/a");
        assert_eq!(descriptor_name("a@npm:b@^1"), "a");
        assert_eq!(descriptor_name("a"), "a");
        // A multi-byte first character is not split (found by fuzzing).
        assert_eq!(descriptor_name("\u{79e}omino@https://x"), "\u{79e}omino");
        assert_eq!(descriptor_name(""), "");
    }
}
