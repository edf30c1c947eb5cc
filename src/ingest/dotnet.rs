//! .NET ingest: NuGet's `packages.lock.json`.
//!
//! `dependencies` holds one map per target framework; each entry is `Direct` (the
//! project's own, run time), `Transitive`, `CentralTransitive` (pinned centrally, still
//! transitive) or `Project` (another project of the solution, a local path), with its
//! resolved version, `contentHash` and the names it depends on in the same framework.
//! Entries of one name and version in several frameworks are one package. NuGet lockfiles
//! record no licences.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::flat;
use super::input_file;
use crate::error::{Error, Result};
use crate::model::{DocumentMeta, Ecosystem, EdgeKind, InputFormat, Inventory, SourceKind};

#[derive(Debug, Deserialize)]
struct Lock {
    version: Option<u32>,
    #[serde(default)]
    dependencies: BTreeMap<String, BTreeMap<String, Entry>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    #[serde(rename = "type")]
    kind: Option<String>,
    resolved: Option<String>,
    content_hash: Option<String>,
    #[serde(default)]
    dependencies: BTreeMap<String, serde_json::Value>,
}

/// Parses a `packages.lock.json`.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<Inventory> {
    let lock: Lock = serde_json::from_slice(bytes).map_err(|e| Error::json(path, &e))?;
    let meta = DocumentMeta {
        spec_version: lock.version.map(|v| format!("version {v}")),
        has_dependencies: true,
        ..DocumentMeta::default()
    };
    let mut inv = Inventory::new();
    let input = inv.add_input(input_file(path, bytes, InputFormat::NugetLock, meta));
    let root = inv.add_package(flat::project(path, Ecosystem::Nuget, None, None, input));
    inv.add_root(root);
    let mut missing: Option<(usize, String)> = None;
    for entries in lock.dependencies.values() {
        // Names are case-insensitive in NuGet.
        let mut idx_of = HashMap::with_capacity(entries.len());
        for (name, e) in entries {
            let project = e.kind.as_deref() == Some("Project");
            let version = e.resolved.as_deref();
            let (purl, source) = if project {
                (None, SourceKind::Path(name.clone()))
            } else {
                (
                    Some(flat::purl("nuget", name, version)),
                    SourceKind::DefaultRegistry,
                )
            };
            let mut pkg = flat::package(Ecosystem::Nuget, name, version, purl, source, input);
            pkg.integrity = e.content_hash.as_ref().map(|h| format!("sha512-{h}"));
            let idx = inv.add_package(pkg);
            idx_of.insert(name.to_lowercase(), idx);
            if matches!(e.kind.as_deref(), Some("Direct" | "Project")) {
                inv.add_edge(root, idx, EdgeKind::Runtime, None);
            }
        }
        for (name, e) in entries {
            let from = idx_of[&name.to_lowercase()];
            for dep in e.dependencies.keys() {
                match idx_of.get(&dep.to_lowercase()) {
                    Some(&to) => inv.add_edge(from, to, EdgeKind::Runtime, None),
                    None => missing.get_or_insert((0, dep.clone())).0 += 1,
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
        let lock = br#"{"version":1,"dependencies":{
          "net6.0":{"A":{"type":"Direct","resolved":"1.0.0","contentHash":"x","dependencies":{"b":"2.0.0"}},
                    "B":{"type":"Transitive","resolved":"2.0.0"},
                    "lib":{"type":"Project"}},
          "net7.0":{"A":{"type":"Direct","resolved":"1.0.0","dependencies":{"C":"[1.0.0, )"}}}}}"#;
        let inv = parse(Path::new("packages.lock.json"), lock).unwrap();
        assert_eq!(inv.packages.len(), 4);
        assert_eq!(inv.packages[1].purl.as_deref(), Some("pkg:nuget/A@1.0.0"));
        assert_eq!(inv.edges.len(), 3);
        assert_eq!(inv.notices.len(), 1);
    }
}
