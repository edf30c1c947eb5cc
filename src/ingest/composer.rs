//! Composer ingest: `composer.lock`, with `composer.json` beside it when there is one.
//!
//! The lock lists run-time packages under `packages` and development packages under
//! `packages-dev`; each names what it needs under `require` (run time). Platform
//! requirements (`php`, `ext-*`, `lib-*`, `composer-plugin-api`, …) have no slash in
//! their names and are no packages. The project's direct dependencies are the manifest's
//! `require` (run time) and `require-dev` (dev); without the manifest they are inferred.
//! Licences are Composer's `license` arrays, whose entries are alternatives.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::flat::{self, Flat};
use super::input_file;
use crate::error::{Error, Result};
use crate::model::{
    DocumentMeta, Ecosystem, EdgeKind, InputFormat, Inventory, Package, SourceKind,
};

#[derive(Debug, Deserialize)]
struct Lock {
    #[serde(default)]
    packages: Vec<Entry>,
    #[serde(default, rename = "packages-dev")]
    packages_dev: Option<Vec<Entry>>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    name: String,
    version: Option<String>,
    source: Option<Source>,
    dist: Option<Source>,
    #[serde(default)]
    require: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    license: Licence,
    #[serde(default)]
    authors: Vec<Author>,
    description: Option<String>,
    homepage: Option<String>,
    #[serde(default)]
    replace: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    provide: BTreeMap<String, serde_json::Value>,
}

/// `license` is an array of alternatives, or (in hand-written files) one string.
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
enum Licence {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
struct Source {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    shasum: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Author {
    name: Option<String>,
}

/// The project manifest's parts that matter here.
#[derive(Debug, Default, Deserialize)]
struct Manifest {
    name: Option<String>,
    version: Option<String>,
    #[serde(default)]
    license: Licence,
    #[serde(default)]
    require: BTreeMap<String, serde_json::Value>,
    #[serde(default, rename = "require-dev")]
    require_dev: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    replace: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    provide: BTreeMap<String, serde_json::Value>,
}

/// Whether a requirement names a package (`vendor/name`), not the platform.
fn is_package(name: &str) -> bool {
    name.contains('/')
}

/// Parses a `composer.lock`; `manifest` is the `composer.json` beside it.
pub(crate) fn parse(
    path: &Path,
    text: &str,
    manifest: Option<(&Path, &[u8])>,
) -> Result<Inventory> {
    // From the text, whose UTF-8 is checked once, not again string by string.
    let lock: Lock = serde_json::from_str(text).map_err(|e| Error::json(path, &e))?;
    let manifest: Option<Manifest> = match manifest {
        Some((mpath, mbytes)) => {
            Some(serde_json::from_slice(mbytes).map_err(|e| Error::json(mpath, &e))?)
        }
        None => None,
    };
    let meta = DocumentMeta {
        has_dependencies: true,
        ..DocumentMeta::default()
    };
    let mut inv = Inventory::new();
    let input = inv.add_input(input_file(path, InputFormat::ComposerLock, meta));
    let m = manifest.as_ref();
    let mut root = flat::project(
        path,
        Ecosystem::Composer,
        m.and_then(|m| m.name.as_deref()),
        m.and_then(|m| m.version.as_deref()),
        input,
    );
    if let Some(m) = m {
        root.declared = licence(&m.license);
    }
    inv.reserve(lock.packages.len() + lock.packages_dev.as_ref().map_or(0, Vec::len) + 1);
    let mut out = Flat::new(&mut inv, root);
    let dev = lock.packages_dev.unwrap_or_default();
    // A name another package replaces or provides is satisfied by that package; one
    // the project replaces or provides needs no package.
    let mut stands_for: BTreeMap<String, Option<String>> = BTreeMap::new();
    for e in lock.packages.iter().chain(&dev) {
        for name in e.replace.keys().chain(e.provide.keys()) {
            stands_for.insert(name.to_ascii_lowercase(), Some(e.name.clone()));
        }
    }
    if let Some(m) = m {
        for name in m.replace.keys().chain(m.provide.keys()) {
            stands_for.insert(name.to_ascii_lowercase(), None);
        }
    }
    for (entries, scope) in [(lock.packages, EdgeKind::Runtime), (dev, EdgeKind::Dev)] {
        for e in entries {
            let (pkg, deps) = locked(e, input);
            let deps = deps
                .into_iter()
                .filter_map(
                    |(name, kind)| match stands_for.get(&name.to_ascii_lowercase()) {
                        Some(Some(by)) => Some((by.clone().into(), kind)),
                        Some(None) => None,
                        None => Some((name, kind)),
                    },
                )
                .collect();
            out.lock(&mut inv, pkg, deps, scope);
        }
    }
    if let Some(m) = manifest {
        let run = m
            .require
            .into_keys()
            .map(|k| (Cow::Owned(k), EdgeKind::Runtime));
        let dev = m
            .require_dev
            .into_keys()
            .map(|k| (Cow::Owned(k), EdgeKind::Dev));
        out.direct = Some(
            run.chain(dev)
                .filter(|(k, _)| is_package(k) && !stands_for.contains_key(&k.to_ascii_lowercase()))
                .collect(),
        );
    }
    out.into_inventory(&mut inv, input, lower);
    inv.finish();
    Ok(inv)
}

/// A locked entry's package and the names of the packages it requires.
fn locked(
    e: Entry,
    input: crate::model::InputIdx,
) -> (Package, Vec<(Cow<'static, str>, EdgeKind)>) {
    let name = e.name.to_ascii_lowercase();
    let version = e.version.as_deref();
    let source = match (&e.dist, &e.source) {
        (
            _,
            Some(Source {
                kind: Some(k),
                url: Some(u),
                ..
            }),
        ) if k == "git" || k == "hg" => SourceKind::Git(u.clone()),
        (
            Some(Source {
                kind: Some(k),
                url: Some(u),
                ..
            }),
            _,
        ) if k == "path" => SourceKind::Path(u.clone()),
        (Some(Source { url: Some(_), .. }), _) => SourceKind::DefaultRegistry,
        _ => SourceKind::Unknown,
    };
    let mut pkg = flat::package(
        Ecosystem::Composer,
        &name,
        version,
        Some(flat::purl("composer", &name, version)),
        source,
        input,
    );
    pkg.declared = licence(&e.license);
    pkg.authors = e.authors.into_iter().filter_map(|a| a.name).collect();
    pkg.description = e.description;
    pkg.homepage = e.homepage;
    if let Some(Source {
        kind: Some(k),
        url: Some(u),
        ..
    }) = &e.source
    {
        if k == "git" {
            pkg.repository = Some(u.clone());
        }
    }
    pkg.integrity = e
        .dist
        .and_then(|d| d.shasum)
        .filter(|s| !s.is_empty())
        .map(|s| format!("sha1-{s}"));
    let deps = e
        .require
        .into_keys()
        .filter(|k| is_package(k))
        .map(|k| (k.into(), EdgeKind::Runtime))
        .collect();
    (pkg, deps)
}

/// Composer's licence array: entries are alternatives.
fn licence(l: &Licence) -> Vec<String> {
    match l {
        Licence::None => Vec::new(),
        Licence::One(s) => vec![s.clone()],
        Licence::Many(v) if v.is_empty() => Vec::new(),
        Licence::Many(v) if v.len() == 1 => v.clone(),
        Licence::Many(v) => vec![
            v.iter()
                .map(|s| {
                    if s.contains(' ') {
                        format!("({s})")
                    } else {
                        s.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" OR "),
        ],
    }
}

/// Composer matches package names case-insensitively.
fn lower(name: &str) -> std::borrow::Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(name.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_arrays_are_alternatives() {
        assert_eq!(
            licence(&Licence::Many(vec![
                "MIT".into(),
                "GPL-2.0-or-later".into()
            ])),
            vec!["MIT OR GPL-2.0-or-later".to_owned()]
        );
        assert!(licence(&Licence::Many(vec![])).is_empty());
    }

    #[test]
    fn manifest_gives_direct_dependencies_and_licence() {
        let lock = r#"{"packages":[
            {"name":"a/a","version":"1.0.0","require":{"php":">=8","b/b":"^1"},"license":["MIT"]},
            {"name":"b/b","version":"1.1.0"}],
            "packages-dev":[{"name":"t/t","version":"2.0.0","require":{"b/b":"*"}}]}"#;
        let manifest = br#"{"name":"me/app","license":"AGPL-3.0-or-later",
            "require":{"php":"^8.1","a/a":"^1","b/b":"^1"},"require-dev":{"t/t":"^2"}}"#;
        let inv = parse(
            Path::new("composer.lock"),
            lock,
            Some((Path::new("composer.json"), manifest)),
        )
        .unwrap();
        assert_eq!(inv.packages.len(), 4);
        assert_eq!(inv.package(inv.roots[0]).name, "me/app");
        assert_eq!(
            inv.package(inv.roots[0]).declared,
            vec!["AGPL-3.0-or-later"]
        );
        // a→b, t→b, root→a, root→b, root→t(dev)
        assert_eq!(inv.edges.len(), 5);
        assert!(inv.notices.is_empty());
        let bad = parse(
            Path::new("composer.lock"),
            lock,
            Some((Path::new("composer.json"), b"{\n \"name\": }")),
        )
        .unwrap_err();
        assert!(bad.to_string().starts_with("composer.json:2:"), "{bad}");
    }
}
