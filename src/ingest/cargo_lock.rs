//! `Cargo.lock` on its own (no cargo run): every `[[package]]` with its source and
//! checksum, and the edges its `dependencies` list (`name`, `name version` or
//! `name version (source)`). The packages without a `source` are the workspace's own
//! (members and path dependencies) and are the roots. The lockfile records no dependency
//! kinds (dev, build) and no licences: every edge is read as run time, and licences are
//! left to a saved `cargo metadata` or to `enrich`.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::flat::{self, toml_error};
use super::input_file;
use crate::error::Result;
use crate::model::{DocumentMeta, Ecosystem, EdgeKind, InputFormat, Inventory, PkgIdx, SourceKind};

#[derive(Debug, Deserialize)]
struct Lock {
    version: Option<i64>,
    #[serde(default)]
    package: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    name: String,
    version: String,
    source: Option<String>,
    checksum: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

const CRATES_IO: [&str; 2] = [
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
];

fn source_kind(source: Option<&str>) -> SourceKind {
    match source {
        None => SourceKind::Path(".".into()),
        Some(s) if CRATES_IO.contains(&s) => SourceKind::DefaultRegistry,
        Some(s) => match s.split_once('+') {
            Some(("git", url)) => SourceKind::Git(url.to_owned()),
            Some((_, url)) => SourceKind::Registry(url.to_owned()),
            None => SourceKind::Registry(s.to_owned()),
        },
    }
}

/// Parses a `Cargo.lock`.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Inventory> {
    let lock: Lock = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    let meta = DocumentMeta {
        spec_version: lock.version.map(|v| format!("version {v}")),
        has_dependencies: true,
        ..DocumentMeta::default()
    };
    let mut inv = Inventory::new();
    let input = inv.add_input(input_file(path, InputFormat::CargoLock, meta));
    // `name` alone when only one version is locked; `name version` always.
    let mut by_key: HashMap<String, PkgIdx> = HashMap::new();
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    let mut idxs = Vec::with_capacity(lock.package.len());
    for e in &lock.package {
        let source = source_kind(e.source.as_deref());
        let purl = (source == SourceKind::DefaultRegistry)
            .then(|| flat::purl("cargo", &e.name, Some(&e.version)));
        let mut pkg = flat::package(
            Ecosystem::Cargo,
            &e.name,
            Some(&e.version),
            purl,
            source,
            input,
        );
        if e.source.is_none() {
            pkg.set_id(crate::model::PackageId(format!(
                "cargo:{}@{} (local)",
                e.name, e.version
            )));
        }
        pkg.integrity = e.checksum.as_ref().map(|c| format!("sha256-{c}"));
        let idx = inv.add_package(pkg);
        if e.source.is_none() {
            inv.add_root(idx);
        }
        by_key.insert(format!("{} {}", e.name, e.version), idx);
        *by_name.entry(&e.name).or_default() += 1;
        idxs.push(idx);
    }
    for (e, &idx) in lock.package.iter().zip(&idxs) {
        if by_name.get(e.name.as_str()) == Some(&1) {
            by_key.insert(e.name.clone(), idx);
        }
    }
    let mut missing: Option<(usize, String)> = None;
    for (e, &from) in lock.package.iter().zip(&idxs) {
        for dep in &e.dependencies {
            // `name version (source)`: the source only tells apart equal versions.
            let mut parts = dep.split(' ');
            let k = match (parts.next(), parts.next()) {
                (Some(n), Some(v)) => format!("{n} {v}"),
                (Some(n), None) => n.to_owned(),
                _ => dep.clone(),
            };
            match by_key.get(&k) {
                Some(&to) => inv.add_edge(from, to, EdgeKind::Runtime, None),
                None => {
                    let m = missing.get_or_insert((0, dep.clone()));
                    m.0 += 1;
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
    fn sources_and_versions_resolve() {
        let lock = r#"version = 3
[[package]]
name = "app"
version = "0.1.0"
dependencies = ["log 0.4.0", "log 0.3.9", "serde"]
[[package]]
name = "log"
version = "0.4.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "ab"
[[package]]
name = "log"
version = "0.3.9"
source = "git+https://example.org/log?rev=1#abc"
[[package]]
name = "serde"
version = "1.0.0"
source = "sparse+https://index.crates.io/"
"#;
        let inv = parse(Path::new("Cargo.lock"), lock).unwrap();
        assert_eq!(inv.packages.len(), 4);
        assert_eq!(inv.roots.len(), 1);
        assert_eq!(inv.edges.len(), 3);
        assert_eq!(inv.packages[1].purl(), Some("pkg:cargo/log@0.4.0"));
        assert_eq!(
            inv.packages[2].source,
            SourceKind::Git("https://example.org/log?rev=1#abc".into())
        );
        let e = parse(
            Path::new("Cargo.lock"),
            "version = 3\n[[package]]\nname = 1\n",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("Cargo.lock:3:8:"), "{e}");
    }
}
