//! The shared second half of the lockfile readers whose documents are flat lists of
//! packages (Composer, Poetry, uv, Pipfile, Cargo.lock, go.mod, Gemfile.lock): packages
//! name their dependencies by name (or name and version), and the project itself is a
//! root whose direct dependencies come from the lockfile where it records them, from the
//! manifest beside it where one was read, and otherwise are inferred as the packages no
//! other package needs (each in its own scope).

use std::collections::{BTreeMap, HashMap};

use crate::model::{Ecosystem, EdgeKind, InputIdx, Inventory, Package, PackageId, SourceKind};

/// One locked package and the dependencies it names.
#[derive(Debug)]
pub(super) struct Locked {
    pub pkg: Package,
    /// Dependency keys (see [`Flat::keys`]) and kinds, in document order.
    pub deps: Vec<(String, EdgeKind)>,
    /// The scope the lockfile puts the package in (`packages-dev`, Poetry's `category`),
    /// used only when the project's direct dependencies are inferred.
    pub scope: EdgeKind,
}

/// A flat lockfile read into packages, before the edges are resolved.
#[derive(Debug)]
pub(super) struct Flat {
    /// The project the lockfile belongs to.
    pub root: Package,
    pub locked: Vec<Locked>,
    /// The project's direct dependencies (keys and kinds) when the lockfile or its
    /// manifest records them; `None` infers them.
    pub direct: Option<Vec<(String, EdgeKind)>>,
}

impl Flat {
    pub(super) fn new(root: Package) -> Self {
        Flat {
            root,
            locked: Vec::new(),
            direct: None,
        }
    }

    /// Adds the packages, the root and the edges to `inv`. A dependency key that names
    /// no locked package is left out and said in a notice; inferred direct dependencies
    /// are said too. Returns the number of keys left out.
    pub(super) fn into_inventory(
        self,
        inv: &mut Inventory,
        input: InputIdx,
        key: impl Fn(&str) -> String,
    ) -> usize {
        let root = inv.add_package(self.root);
        inv.add_root(root);
        let mut by_key: HashMap<String, crate::model::PkgIdx> = HashMap::new();
        let mut idxs = Vec::with_capacity(self.locked.len());
        for l in &self.locked {
            let idx = inv.add_package(l.pkg.clone());
            let name = key(&l.pkg.name);
            if let Some(v) = &l.pkg.version {
                by_key.insert(format!("{name} {v}"), idx);
            }
            by_key.entry(name).or_insert(idx);
            idxs.push(idx);
        }
        let mut unresolved = 0;
        let mut first: Option<String> = None;
        let mut miss = |dep: &str| {
            unresolved += 1;
            first.get_or_insert_with(|| dep.to_owned());
        };
        let mut needed: BTreeMap<crate::model::PkgIdx, ()> = BTreeMap::new();
        for (l, &from) in self.locked.iter().zip(&idxs) {
            for (dep, kind) in &l.deps {
                match by_key.get(&key(dep)) {
                    Some(&to) if to != from => {
                        inv.add_edge(from, to, *kind, None);
                        needed.insert(to, ());
                    }
                    Some(_) => {}
                    None => miss(dep),
                }
            }
        }
        match self.direct {
            Some(direct) => {
                for (dep, kind) in direct {
                    match by_key.get(&key(&dep)) {
                        Some(&to) if to != root => inv.add_edge(root, to, kind, None),
                        Some(_) => {}
                        None => miss(&dep),
                    }
                }
            }
            None => {
                inv.notice(input, crate::text!("notice.lock-roots-inferred"));
                for (l, &idx) in self.locked.iter().zip(&idxs) {
                    if idx != root && !needed.contains_key(&idx) {
                        inv.add_edge(root, idx, l.scope, None);
                    }
                }
            }
        }
        if let Some(first) = first {
            inv.notice(
                input,
                crate::text!("notice.lock-unresolved", count = unresolved, first = first),
            );
        }
        unresolved
    }
}

/// A package with the fields every reader sets.
pub(super) fn package(
    ecosystem: Ecosystem,
    name: &str,
    version: Option<&str>,
    purl: Option<String>,
    source: SourceKind,
    input: InputIdx,
) -> Package {
    let id = match &purl {
        Some(p) => PackageId(p.clone()),
        None => PackageId::synthetic(&ecosystem, name, version),
    };
    Package {
        id,
        name: name.to_owned(),
        version: version.map(str::to_owned),
        ecosystem,
        purl,
        source,
        input,
        ..Package::default()
    }
}

/// The project a lockfile belongs to: named by its manifest or lockfile, else after the
/// folder holding the lockfile. Its id carries the lockfile's path, so the projects of
/// two lockfiles never merge.
pub(super) fn project(
    path: &std::path::Path,
    ecosystem: Ecosystem,
    name: Option<&str>,
    version: Option<&str>,
    input: InputIdx,
) -> Package {
    let folder = path
        .parent()
        .and_then(|d| d.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    let name = name.or(folder.as_deref()).unwrap_or("project");
    let mut p = package(
        ecosystem,
        name,
        version,
        None,
        SourceKind::Path(".".into()),
        input,
    );
    p.id = PackageId(format!(
        "{}:{name}@{} ({})",
        p.ecosystem.as_str(),
        version.unwrap_or("local"),
        path.display()
    ));
    p
}

/// `pkg:<ty>/<namespace/>name@version`, each segment percent-encoded.
pub(super) fn purl(ty: &str, name: &str, version: Option<&str>) -> String {
    let mut out = format!("pkg:{ty}/");
    for (i, seg) in name.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&encode(seg));
    }
    if let Some(v) = version {
        out.push('@');
        out.push_str(&encode(v));
    }
    out
}

/// Percent-encodes what a purl segment may not hold as is.
pub(super) fn encode(s: &str) -> String {
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

/// A TOML syntax or shape error at its position.
pub(super) fn toml_error(
    path: &std::path::Path,
    text: &str,
    e: &toml::de::Error,
) -> crate::error::Error {
    let offset = e.span().map_or(0, |s| s.start);
    crate::error::Error::Invalid(vec![crate::error::Problem::at_offset(
        path,
        text,
        offset,
        super::toml_message(e),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locked(name: &str, deps: &[&str], scope: EdgeKind) -> Locked {
        Locked {
            pkg: package(
                Ecosystem::Composer,
                name,
                Some("1"),
                Some(purl("composer", name, Some("1"))),
                SourceKind::DefaultRegistry,
                InputIdx(0),
            ),
            deps: deps
                .iter()
                .map(|d| ((*d).to_owned(), EdgeKind::Runtime))
                .collect(),
            scope,
        }
    }

    #[test]
    fn inferred_roots_are_what_nothing_else_needs() {
        let mut flat = Flat::new(project(
            std::path::Path::new("composer.lock"),
            Ecosystem::Composer,
            None,
            None,
            InputIdx(0),
        ));
        flat.locked.push(locked(
            "a/a",
            &["b/b", "php", "ext-json"],
            EdgeKind::Runtime,
        ));
        flat.locked.push(locked("b/b", &[], EdgeKind::Runtime));
        flat.locked.push(locked("t/t", &["b/b"], EdgeKind::Dev));
        let mut inv = Inventory::new();
        let unresolved = flat.into_inventory(&mut inv, InputIdx(0), str::to_lowercase);
        assert_eq!(unresolved, 2);
        assert_eq!(inv.packages.len(), 4);
        let kinds: Vec<_> = inv
            .edges
            .iter()
            .map(|e| {
                (
                    inv.package(e.from).name.as_str(),
                    inv.package(e.to).name.as_str(),
                    e.kind,
                )
            })
            .collect();
        assert!(kinds.contains(&("project", "a/a", EdgeKind::Runtime)));
        assert!(kinds.contains(&("project", "t/t", EdgeKind::Dev)));
        assert!(!kinds.iter().any(|k| k.0 == "project" && k.1 == "b/b"));
    }

    #[test]
    fn purls_encode_segments() {
        assert_eq!(purl("composer", "a/b", Some("1.0")), "pkg:composer/a/b@1.0");
        assert_eq!(
            purl("golang", "x.io/a b", Some("v1+x")),
            "pkg:golang/x.io/a%20b@v1+x"
        );
    }
}
