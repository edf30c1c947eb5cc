//! .NET ingest: NuGet's `packages.lock.json`.
//!
//! `dependencies` holds one map per target framework; each entry is `Direct` (the
//! project's own, run time), `Transitive`, `CentralTransitive` (pinned centrally, still
//! transitive) or `Project` (another project of the solution, a local path), with its
//! resolved version, `contentHash` and the names it depends on in the same framework.
//! Entries of one name and version in several frameworks are one package. NuGet lockfiles
//! record no licences.

use std::collections::BTreeMap;

use hashbrown::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::doc_str::DocStr;
use super::flat;
use super::input_file;
use crate::error::{Error, Result};
use crate::model::{DocumentMeta, Ecosystem, EdgeKind, InputFormat, Inventory, PkgIdx, SourceKind};

#[derive(Debug, Deserialize)]
struct Lock<'a> {
    version: Option<u32>,
    #[serde(default, borrow)]
    dependencies: BTreeMap<DocStr<'a>, BTreeMap<DocStr<'a>, Entry<'a>>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<DocStr<'a>>,
    #[serde(borrow)]
    resolved: Option<DocStr<'a>>,
    #[serde(borrow)]
    content_hash: Option<DocStr<'a>>,
    /// The names depended on; the version ranges are not read.
    #[serde(default, borrow)]
    dependencies: BTreeMap<DocStr<'a>, IgnoredAny>,
}

/// Parses a `packages.lock.json`.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Inventory> {
    // From the text, whose UTF-8 is checked once, not again string by string.
    let lock: Lock<'_> = serde_json::from_str(text).map_err(|e| Error::json(path, &e))?;
    let meta = DocumentMeta {
        spec_version: lock.version.map(|v| format!("version {v}")),
        has_dependencies: true,
        ..DocumentMeta::default()
    };
    let mut inv = Inventory::new();
    let input = inv.add_input(input_file(path, InputFormat::NugetLock, meta));
    // Room for every entry (fewer when frameworks share one) and the project at once, so
    // that the half-KB packages are not moved again as the list grows.
    inv.reserve(1 + lock.dependencies.values().map(BTreeMap::len).sum::<usize>());
    let root = inv.add_package(flat::project(path, Ecosystem::Nuget, None, None, input));
    inv.add_root(root);
    let mut missing: Option<(usize, String)> = None;
    for entries in lock.dependencies.values() {
        // NuGet ids are case-insensitive: a dependency is looked up as written first,
        // then by its lowercase form (built only when some lookup needs it).
        let mut exact: HashMap<&str, PkgIdx> = HashMap::with_capacity(entries.len());
        let mut lower: Option<HashMap<String, PkgIdx>> = None;
        let mut idxs = Vec::with_capacity(entries.len());
        for (DocStr(name), e) in entries {
            let kind = e.kind.as_deref();
            let project = kind == Some("Project");
            let version = e.resolved.as_deref();
            let (purl, source) = if project {
                (None, SourceKind::Path(name.to_string()))
            } else {
                (
                    Some(flat::purl("nuget", name, version)),
                    SourceKind::DefaultRegistry,
                )
            };
            let mut pkg = flat::package(Ecosystem::Nuget, &**name, version, purl, source, input);
            pkg.integrity = e.content_hash.as_deref().map(|h| {
                let mut s = String::with_capacity(7 + h.len());
                s.push_str("sha512-");
                s.push_str(h);
                s
            });
            let idx = inv.add_package(pkg);
            exact.insert(name, idx);
            idxs.push(idx);
            if matches!(kind, Some("Direct" | "Project")) {
                inv.add_edge(root, idx, EdgeKind::Runtime, None);
            }
        }
        for ((_, e), &from) in entries.iter().zip(&idxs) {
            for dep in e.dependencies.keys() {
                let to = exact.get(dep.0.as_ref()).copied().or_else(|| {
                    let lower = lower.get_or_insert_with(|| {
                        entries
                            .keys()
                            .zip(&idxs)
                            .map(|(n, &i)| (n.0.to_lowercase(), i))
                            .collect()
                    });
                    lower.get(&dep.0.to_lowercase()).copied()
                });
                match to {
                    Some(to) => inv.add_edge(from, to, EdgeKind::Runtime, None),
                    None => missing.get_or_insert((0, dep.0.to_string())).0 += 1,
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

    #[test]
    fn frameworks_share_packages() {
        let lock = r#"{"version":1,"dependencies":{
          "net6.0":{"A":{"type":"Direct","resolved":"1.0.0","contentHash":"x","dependencies":{"b":"2.0.0"}},
                    "B":{"type":"Transitive","resolved":"2.0.0"},
                    "lib":{"type":"Project"}},
          "net7.0":{"A":{"type":"Direct","resolved":"1.0.0","dependencies":{"C":"[1.0.0, )"}}}}}"#;
        let inv = parse(Path::new("packages.lock.json"), lock).unwrap();
        assert_eq!(inv.packages.len(), 4);
        assert_eq!(inv.packages[1].purl(), Some("pkg:nuget/A@1.0.0"));
        assert_eq!(inv.edges.len(), 3);
        assert_eq!(inv.notices.len(), 1);
    }
}
