//! The JSON form of `sovra inventory` (schema `sovra.inventory/1`): the inventory and
//! its dependency graph, documented field by field in `docs/inventory-json.md`; its
//! serialisable types live here, not on the model.

use serde::Serialize;

use crate::graph::licenses::{LicenseGraph, Link};
use crate::graph::{DepGraph, Scope};
use crate::license::{LicenseOrigin, LicenseState, Licenses, Parsed, UnknownReason};
use crate::model::{EdgeKind, Inventory, PkgIdx, SourceKind};

/// The schema identifier of the JSON form; bump the number on incompatible changes.
pub(crate) const SCHEMA: &str = "sovra.inventory/1";

/// `name version` for people, control characters escaped (see `Package::display_name`).
pub(crate) fn label(inv: &Inventory, idx: PkgIdx) -> String {
    let p = inv.package(idx);
    let label = match &p.version {
        Some(v) => format!("{} {v}", p.name),
        None => p.name.clone(),
    };
    crate::text::escape_controls(&label)
}

/// How people call a scope: `dev` for the scope that follows every edge.
pub(crate) fn scope_label(s: Scope) -> &'static str {
    match s {
        Scope::Runtime => "runtime",
        Scope::Build => "build",
        Scope::All => "dev",
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct InventoryJson {
    schema: &'static str,
    inputs: Vec<InputJson>,
    packages: Vec<PackageJson>,
    edges: Vec<EdgeJson>,
    roots: Vec<usize>,
    orphans: Vec<usize>,
    license_terms: Vec<TermJson>,
    notices: Vec<NoticeJson>,
}

#[derive(Debug, Serialize)]
struct TermJson {
    term: String,
    packages: Vec<usize>,
    mandatory: Vec<usize>,
}

#[derive(Debug, Serialize)]
struct PackageTermJson {
    term: String,
    link: &'static str,
}

#[derive(Debug, Serialize)]
struct InputJson {
    path: String,
    format: &'static str,
    sha256: String,
    bytes: u64,
    spec_version: Option<String>,
}

#[derive(Debug, Serialize)]
struct PackageJson {
    index: usize,
    id: String,
    name: String,
    version: Option<String>,
    ecosystem: String,
    purl: Option<String>,
    license: LicenseJson,
    license_terms: Vec<PackageTermJson>,
    declared: Vec<String>,
    concluded: Vec<String>,
    license_file: Option<String>,
    supplier: Option<String>,
    authors: Vec<String>,
    repository: Option<String>,
    homepage: Option<String>,
    description: Option<String>,
    source: SourceJson,
    integrity: Option<String>,
    input: u32,
    root: bool,
    orphan: bool,
    scope: Option<&'static str>,
    depth: DepthJson,
}

#[derive(Debug, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
enum LicenseJson {
    Known {
        expression: String,
        class: &'static str,
        origin: &'static str,
        parsed: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        original: Option<String>,
    },
    Unknown {
        class: &'static str,
        reason: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
}

#[derive(Debug, Serialize)]
struct SourceJson {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
}

#[derive(Debug, Serialize)]
struct DepthJson {
    runtime: Option<u32>,
    build: Option<u32>,
    dev: Option<u32>,
}

#[derive(Debug, Serialize)]
struct EdgeJson {
    from: usize,
    to: usize,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<String>,
}

#[derive(Debug, Serialize)]
struct NoticeJson {
    input: u32,
    message: String,
}

/// The JSON view of an inventory: packages ordered by id and numbered in that order;
/// edges, roots and orphans refer to those numbers.
pub(crate) fn view(
    inv: &Inventory,
    graph: &DepGraph,
    licenses: &Licenses,
    terms: &LicenseGraph,
) -> InventoryJson {
    let mut order: Vec<usize> = (0..inv.packages.len()).collect();
    order.sort_by(|&a, &b| inv.packages[a].id.cmp(&inv.packages[b].id));
    let mut number = vec![0usize; inv.packages.len()];
    for (n, &i) in order.iter().enumerate() {
        number[i] = n;
    }
    let num = |p: PkgIdx| number[p.index()];

    let roots_set: std::collections::HashSet<PkgIdx> = graph.roots().iter().copied().collect();
    let orphans_set: std::collections::HashSet<PkgIdx> = graph.orphans().iter().copied().collect();

    let packages = order
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let p = &inv.packages[i];
            let idx = PkgIdx(i as u32);
            PackageJson {
                index: n,
                id: p.id.0.clone(),
                name: p.name.clone(),
                version: p.version.clone(),
                ecosystem: p.ecosystem.as_str().to_owned(),
                purl: p.purl().map(str::to_owned),
                license: licenses.per_package.get(i).map_or(
                    LicenseJson::Unknown {
                        class: "unknown",
                        reason: "missing",
                        detail: None,
                    },
                    license_json,
                ),
                license_terms: terms
                    .terms_of(idx)
                    .into_iter()
                    .map(|(t, link)| PackageTermJson {
                        term: t.to_string(),
                        link: link_str(link),
                    })
                    .collect(),
                declared: p.declared.clone(),
                concluded: p.concluded.clone(),
                license_file: p.license_file.clone(),
                supplier: p.supplier.clone(),
                authors: p.authors.clone(),
                repository: p.repository.clone(),
                homepage: p.homepage.clone(),
                description: p.description.clone(),
                source: source_json(&p.source),
                integrity: p.integrity.clone(),
                input: p.input.0,
                root: roots_set.contains(&idx),
                orphan: orphans_set.contains(&idx),
                scope: graph.scope_of(idx).map(scope_label),
                depth: DepthJson {
                    runtime: graph.depth(idx, Scope::Runtime),
                    build: graph.depth(idx, Scope::Build),
                    dev: graph.depth(idx, Scope::All),
                },
            }
        })
        .collect();

    let mut edges: Vec<EdgeJson> = inv
        .edges
        .iter()
        .map(|e| EdgeJson {
            from: num(e.from),
            to: num(e.to),
            kind: e.kind.as_str(),
            target: e.target.clone(),
        })
        .collect();
    edges.sort_by(|a, b| {
        (a.from, a.to, kind_rank(a.kind), &a.target).cmp(&(
            b.from,
            b.to,
            kind_rank(b.kind),
            &b.target,
        ))
    });
    let mut roots: Vec<usize> = graph.roots().iter().map(|&r| num(r)).collect();
    roots.sort_unstable();
    let mut orphans: Vec<usize> = graph.orphans().iter().map(|&r| num(r)).collect();
    orphans.sort_unstable();
    let mut notices: Vec<NoticeJson> = inv
        .notices
        .iter()
        .map(|n| NoticeJson {
            input: n.input.0,
            message: n.message.to_string(),
        })
        .collect();
    notices.sort_by(|a, b| (a.input, &a.message).cmp(&(b.input, &b.message)));

    let numbered = |v: Vec<PkgIdx>| {
        let mut out: Vec<usize> = v.into_iter().map(num).collect();
        out.sort_unstable();
        out
    };
    let license_terms = terms
        .terms(Scope::All)
        .into_iter()
        .map(|c| TermJson {
            term: c.term.to_string(),
            packages: numbered(terms.packages_with(c.term, Scope::All)),
            mandatory: numbered(terms.packages_requiring(c.term, Scope::All)),
        })
        .collect();

    InventoryJson {
        schema: SCHEMA,
        inputs: inv
            .inputs
            .iter()
            .map(|f| InputJson {
                path: f.path.to_string_lossy().replace('\\', "/"),
                format: f.format.as_str(),
                sha256: f.sha256.clone(),
                bytes: f.bytes,
                spec_version: f.meta.spec_version.clone(),
            })
            .collect(),
        packages,
        edges,
        roots,
        orphans,
        license_terms,
        notices,
    }
}

fn link_str(link: Link) -> &'static str {
    match link {
        Link::Mandatory => "mandatory",
        Link::Alternative => "alternative",
    }
}

fn kind_rank(kind: &str) -> u8 {
    [
        EdgeKind::Runtime,
        EdgeKind::Optional,
        EdgeKind::Dev,
        EdgeKind::Build,
    ]
    .iter()
    .position(|k| k.as_str() == kind)
    .map_or(u8::MAX, |p| p as u8)
}

fn license_json(state: &LicenseState) -> LicenseJson {
    match state {
        LicenseState::Known(l) => LicenseJson::Known {
            expression: l.text().to_owned(),
            class: state.class().as_str(),
            origin: match l.origin {
                LicenseOrigin::Declared => "declared",
                LicenseOrigin::Concluded => "concluded",
            },
            parsed: match l.parsed {
                Parsed::Strict => "strict",
                Parsed::Lenient { .. } => "lenient",
            },
            original: match &l.parsed {
                Parsed::Strict => None,
                Parsed::Lenient { original, .. } => Some(original.clone()),
            },
        },
        LicenseState::Unknown(r) => {
            let detail = match r {
                UnknownReason::Missing | UnknownReason::NoAssertion | UnknownReason::None => None,
                UnknownReason::LicenseFileOnly(f) => Some(f.clone()),
                UnknownReason::Unidentified { file, .. } => Some(file.clone()),
                UnknownReason::Unparseable { raw, .. } => Some(raw.clone()),
            };
            LicenseJson::Unknown {
                class: state.class().as_str(),
                reason: r.kind(),
                detail,
            }
        }
    }
}

fn source_json(s: &SourceKind) -> SourceJson {
    let (kind, location) = match s {
        SourceKind::DefaultRegistry => ("default-registry", None),
        SourceKind::Registry(u) => ("registry", Some(u.clone())),
        SourceKind::Git(u) => ("git", Some(u.clone())),
        SourceKind::Path(p) => ("path", Some(p.clone())),
        SourceKind::Unknown => ("unknown", None),
    };
    SourceJson { kind, location }
}
