//! `sovra sbom`: the merged inventory of the inputs as one SBOM, CycloneDX 1.6 JSON or
//! SPDX 3.0.1 JSON-LD, so a buyer can file one consolidated SBOM per offer.
//!
//! What the model holds is written, nothing invented: packages with name, version,
//! purl, supplier, authors, declared and concluded licences (raw, as read), repository
//! and homepage; the roots; the dependency edges with their kinds. Element ids are
//! derived from package ids and input hashes, so the same inputs give the same bytes;
//! SPDX 3 requires a creation time: `--created`, else the newest creation time of the
//! input SBOMs, else the current time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{InputArgs, Status};
use crate::error::{Error, Result};
use crate::model::{EdgeKind, Inventory, Package, PkgIdx};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// SBOM format to write
    #[arg(long, value_enum)]
    pub format: Format,
    /// File to write (written atomically)
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// Creation time to record (RFC 3339, UTC), for reproducible SPDX 3 output
    #[arg(long)]
    pub created: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// CycloneDX 1.6 JSON
    Cyclonedx,
    /// SPDX 3.0.1 JSON-LD
    Spdx3,
}

pub(crate) fn run(args: Args) -> Result<Status> {
    let created = match &args.created {
        Some(c) => Some(utc(c).ok_or_else(|| {
            Error::Usage(format!(
                "`--created {c}` is not an RFC 3339 date-time (e.g. 2025-08-01T00:00:00Z)"
            ))
        })?),
        None => None,
    };
    let inv = args
        .input
        .flags
        .read(&args.input.inputs)?
        .0
        .loaded
        .inventory;
    let doc = match args.format {
        Format::Cyclonedx => cyclonedx(&inv),
        Format::Spdx3 => {
            let created = created
                .or_else(|| {
                    inv.inputs
                        .iter()
                        .filter_map(|i| i.meta.timestamp.as_deref().and_then(utc))
                        .max()
                })
                .unwrap_or_else(|| utc(&jiff::Timestamp::now().to_string()).unwrap_or_default());
            spdx3(&inv, &created)
        }
    };
    let mut text = serde_json::to_string_pretty(&doc)
        .map_err(|e| Error::External(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    crate::report::write_atomic(&args.output, text.as_bytes())?;
    Ok(Status::Clean)
}

/// An RFC 3339 date-time as UTC to the second (`2025-08-01T00:00:00Z`, the form SPDX 3
/// requires).
fn utc(s: &str) -> Option<String> {
    let t: jiff::Timestamp = s.trim().parse().ok()?;
    Some(t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// A digest of the inputs, naming the document.
fn inputs_digest(inv: &Inventory) -> String {
    let mut h = Sha256::new();
    for i in &inv.inputs {
        h.update(i.sha256.as_bytes());
    }
    crate::digest::hex(&h.finalize())
}

/// The scope a package is used in, from the edges that reach it: only through dev or
/// build edges is `excluded`, only through optional ones is `optional`.
fn scopes(inv: &Inventory) -> Vec<Option<&'static str>> {
    let mut kinds: Vec<BTreeSet<EdgeKind>> = vec![BTreeSet::new(); inv.packages.len()];
    for e in &inv.edges {
        kinds[e.to.index()].insert(e.kind);
    }
    kinds
        .iter()
        .enumerate()
        .map(|(i, k)| {
            if inv.roots.contains(&PkgIdx(i as u32)) || k.is_empty() {
                None
            } else if k
                .iter()
                .all(|k| matches!(k, EdgeKind::Dev | EdgeKind::Build))
            {
                Some("excluded")
            } else if k.iter().all(|k| *k == EdgeKind::Optional) {
                Some("optional")
            } else {
                None
            }
        })
        .collect()
}

fn is_expression(s: &str) -> bool {
    spdx::Expression::parse_mode(s, spdx::ParseMode::STRICT).is_ok()
}

// ---------------------------------------------------------------------------------------
// CycloneDX 1.6

/// The `bom-ref` of the assembly that stands for several merged roots.
const MERGED: &str = "sovra:merged-inventory";

fn cyclonedx(inv: &Inventory) -> Value {
    let digest = inputs_digest(inv);
    // A name-based UUID (version 5 layout) from the inputs: same inputs, same serial.
    let serial = format!(
        "urn:uuid:{}-{}-5{}-{}{}-{}",
        &digest[0..8],
        &digest[8..12],
        &digest[13..16],
        ["8", "9", "a", "b"][usize::from(digest.as_bytes()[16]) % 4],
        &digest[17..20],
        &digest[20..32]
    );
    let scopes = scopes(inv);
    let single_root = (inv.roots.len() == 1).then(|| inv.roots[0]);
    let mut components = Vec::new();
    for (i, p) in inv.packages.iter().enumerate() {
        if Some(PkgIdx(i as u32)) != single_root {
            components.push(cdx_component(inv, p, PkgIdx(i as u32), scopes[i]));
        }
    }
    let mut depends: BTreeMap<&str, BTreeSet<&str>> = inv
        .packages
        .iter()
        .map(|p| (p.id.0.as_str(), BTreeSet::new()))
        .collect();
    for e in &inv.edges {
        let (from, to) = (&inv.package(e.from).id.0, &inv.package(e.to).id.0);
        if from != to {
            depends.entry(from).or_default().insert(to);
        }
    }
    // CycloneDX names one subject. Several roots (several inputs merged) become the
    // dependencies of one assembly standing for the offer.
    let assembly = (inv.roots.len() > 1).then(|| {
        let roots: BTreeSet<&str> = inv
            .roots
            .iter()
            .map(|r| inv.package(*r).id.0.as_str())
            .collect();
        depends.insert(MERGED, roots);
        json!({"type": "application", "bom-ref": MERGED, "name": "merged inventory"})
    });
    let dependencies: Vec<Value> = depends
        .into_iter()
        .map(|(r, on)| json!({"ref": r, "dependsOn": on}))
        .collect();
    let mut metadata = json!({
        "tools": {"components": [{
            "type": "application",
            "name": "sovra",
            "version": env!("CARGO_PKG_VERSION"),
        }]},
    });
    if let Some(root) = single_root {
        metadata["component"] = cdx_component(inv, inv.package(root), root, None);
    } else if let Some(a) = assembly {
        metadata["component"] = a;
    }
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": serial,
        "version": 1,
        "metadata": metadata,
        "components": components,
        "dependencies": dependencies,
    })
}

fn cdx_component(inv: &Inventory, p: &Package, idx: PkgIdx, scope: Option<&str>) -> Value {
    let ty = if inv.roots.contains(&idx) {
        "application"
    } else {
        "library"
    };
    let mut c = json!({"type": ty, "bom-ref": p.id.0, "name": p.name});
    if let Some(v) = &p.version {
        c["version"] = json!(v);
    }
    if let Some(d) = &p.description {
        c["description"] = json!(d);
    }
    if let Some(s) = scope {
        c["scope"] = json!(s);
    }
    if let Some(s) = &p.supplier {
        c["supplier"] = json!({"name": s});
    }
    if !p.authors.is_empty() {
        let authors: Vec<Value> = p.authors.iter().map(|a| json!({"name": a})).collect();
        c["authors"] = json!(authors);
    }
    let statements: Vec<(&str, &str)> = p
        .declared
        .iter()
        .map(|s| (s.as_str(), "declared"))
        .chain(p.concluded.iter().map(|s| (s.as_str(), "concluded")))
        .collect();
    match statements.as_slice() {
        [] => {}
        // The schema allows one expression, or a list of named licences.
        [(s, ack)] if is_expression(s) => {
            c["licenses"] = json!([{"expression": s, "acknowledgement": ack}]);
        }
        many => {
            let list: Vec<Value> = many
                .iter()
                .map(|(s, ack)| json!({"license": {"name": s, "acknowledgement": ack}}))
                .collect();
            c["licenses"] = json!(list);
        }
    }
    if let Some(purl) = p.purl() {
        c["purl"] = json!(purl);
    }
    let mut refs = Vec::new();
    if let Some(r) = &p.repository {
        refs.push(json!({"type": "vcs", "url": r}));
    }
    if let Some(h) = &p.homepage {
        refs.push(json!({"type": "website", "url": h}));
    }
    if !refs.is_empty() {
        c["externalReferences"] = json!(refs);
    }
    c
}

// ---------------------------------------------------------------------------------------
// SPDX 3.0.1

fn spdx3(inv: &Inventory, created: &str) -> Value {
    let ns = format!("urn:sovra:sbom:{}", &inputs_digest(inv)[..32]);
    let ci = "_:creationinfo";
    let agent = format!("{ns}/agent/sovra");
    let package_id = |i: usize| format!("{ns}/package/{i}");
    let mut graph = vec![
        json!({
            "type": "CreationInfo",
            "@id": ci,
            "specVersion": "3.0.1",
            "created": created,
            "createdBy": [agent],
        }),
        json!({
            "type": "SoftwareAgent",
            "spdxId": agent,
            "creationInfo": ci,
            "name": format!("sovra {}", env!("CARGO_PKG_VERSION")),
        }),
    ];
    let mut elements: Vec<String> = vec![agent.clone()];
    let mut suppliers: BTreeMap<&str, String> = BTreeMap::new();
    for p in &inv.packages {
        if let Some(s) = &p.supplier {
            let n = suppliers.len();
            suppliers
                .entry(s.as_str())
                .or_insert_with(|| format!("{ns}/supplier/{n}"));
        }
    }
    for (name, id) in &suppliers {
        graph.push(json!({"type": "Organization", "spdxId": id, "creationInfo": ci, "name": name}));
        elements.push(id.clone());
    }
    let mut relationships = Vec::new();
    let mut licence_n = 0usize;
    for (i, p) in inv.packages.iter().enumerate() {
        let id = package_id(i);
        let mut e = json!({
            "type": "software_Package",
            "spdxId": id,
            "creationInfo": ci,
            "name": p.name,
        });
        if let Some(v) = &p.version {
            e["software_packageVersion"] = json!(v);
        }
        if let Some(purl) = p.purl() {
            e["software_packageUrl"] = json!(purl);
        }
        if let Some(h) = &p.homepage {
            e["software_homePage"] = json!(h);
        }
        if let Some(d) = &p.description {
            e["description"] = json!(d);
        }
        if let Some(s) = &p.supplier {
            e["suppliedBy"] = json!(suppliers[s.as_str()]);
        }
        if let Some(r) = &p.repository {
            e["externalRef"] =
                json!([{"type": "ExternalRef", "externalRefType": "vcs", "locator": [r]}]);
        }
        graph.push(e);
        elements.push(id.clone());
        for (statements, rel) in [
            (&p.declared, "hasDeclaredLicense"),
            (&p.concluded, "hasConcludedLicense"),
        ] {
            for s in statements {
                let lid = format!("{ns}/licence/{licence_n}");
                licence_n += 1;
                graph.push(json!({
                    "type": "simplelicensing_LicenseExpression",
                    "spdxId": lid,
                    "creationInfo": ci,
                    "simplelicensing_licenseExpression": s,
                }));
                elements.push(lid.clone());
                relationships.push((id.clone(), rel, None, vec![lid]));
            }
        }
    }
    let mut edges: BTreeMap<(usize, &str, Option<&str>), BTreeSet<usize>> = BTreeMap::new();
    for e in &inv.edges {
        let (rel, scope) = match e.kind {
            EdgeKind::Runtime => ("dependsOn", None),
            EdgeKind::Optional => ("hasOptionalDependency", None),
            EdgeKind::Dev => ("dependsOn", Some("development")),
            EdgeKind::Build => ("dependsOn", Some("build")),
        };
        edges
            .entry((e.from.index(), rel, scope))
            .or_default()
            .insert(e.to.index());
    }
    for ((from, rel, scope), to) in edges {
        relationships.push((
            package_id(from),
            rel,
            scope,
            to.into_iter().map(package_id).collect(),
        ));
    }
    for (n, (from, rel, scope, to)) in relationships.into_iter().enumerate() {
        let id = format!("{ns}/relationship/{n}");
        let mut r = json!({
            "type": if scope.is_some() { "LifecycleScopedRelationship" } else { "Relationship" },
            "spdxId": id,
            "creationInfo": ci,
            "from": from,
            "relationshipType": rel,
            "to": to,
        });
        if let Some(s) = scope {
            r["scope"] = json!(s);
        }
        graph.push(r);
        elements.push(id);
    }
    let roots: Vec<String> = inv.roots.iter().map(|r| package_id(r.index())).collect();
    let sbom = format!("{ns}/sbom");
    graph.push(json!({
        "type": "software_Sbom",
        "spdxId": sbom,
        "creationInfo": ci,
        "rootElement": roots,
        "element": elements,
        "software_sbomType": ["analyzed"],
    }));
    graph.push(json!({
        "type": "SpdxDocument",
        "spdxId": format!("{ns}/document"),
        "creationInfo": ci,
        "rootElement": [sbom],
        "element": [sbom],
        "profileConformance": ["core", "software", "simpleLicensing"],
    }));
    json!({
        "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        "@graph": graph,
    })
}
