//! SPDX 3.0 JSON-LD ingest (Core, Software and Licensing profiles; `ai_AIPackage` and
//! `dataset_DatasetPackage` are packages too).
//!
//! The compacted JSON-LD that the SPDX context defines is read as plain JSON: a
//! `@graph` of elements (or one element at the top), each with a `type` and an `spdxId`,
//! pointing to each other by id; `creationInfo` may be an object or a blank-node id.
//! The elements are mapped into the same plain document as SPDX 2 ([`Doc`]), so one
//! mapping decides packages, edges, roots and licence references for both:
//! - packages: `name`, `software_packageVersion`, `software_packageUrl` (else an
//!   `externalIdentifier` of type `packageUrl`), `software_downloadLocation`,
//!   `software_homePage`, `suppliedBy` / `originatedBy` (agents, by name),
//!   `description` (else `summary`);
//! - licences are relationships: `hasDeclaredLicense` / `hasConcludedLicense` to a
//!   `simplelicensing_LicenseExpression` (its expression), a listed licence
//!   (`https://spdx.org/licenses/<id>`, in the graph or not), `NoAssertionLicense` /
//!   `NoneLicense`, or a `expandedlicensing_CustomLicense` (a `LicenseRef-` with its
//!   text); several apply together (`AND`);
//! - `dependsOn`, `contains`, `hasStaticLink`, `hasDynamicLink`, `hasPrerequisite` are
//!   runtime edges (a `LifecycleScopedRelationship`'s `scope` makes `development` and
//!   `test` dev edges, `build` build edges), `hasOptionalDependency` and
//!   `hasOptionalComponent` optional, `hasProvidedDependency` and `usesTool` build;
//!   other relationship types are not dependencies;
//! - the roots are the `SpdxDocument`'s `rootElement`s (through an `software_Sbom` to its
//!   own roots) and the targets of `describes`; creation info gives the spec version,
//!   creation time, creating agents and tools.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use serde::de::Deserializer;

use super::cyclonedx::{checked_str, locate_value};
use super::doc_str::opt_str;
use super::spdx::{Doc, RawPackage, RelType, build};
use crate::error::{Error, Result};
use crate::model::{InputFormat, Inventory};

type Str<'a> = std::borrow::Cow<'a, str>;

/// Parses an SPDX 3 JSON-LD document.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<Inventory> {
    let top: Element<'_> = serde_json::from_slice(bytes).map_err(|e| Error::json(path, &e))?;
    let text = String::from_utf8_lossy(bytes);
    let mut elements: Vec<Element<'_>> = Vec::new();
    let mut top = top;
    let graph = std::mem::take(&mut top.graph);
    if top.ty.is_some() {
        elements.push(top);
    }
    elements.extend(graph);
    let doc = to_doc(elements);
    build(path, InputFormat::Spdx3JsonLd, doc, |id| {
        let (line, col) = locate_value(&text, "spdxId", id, 2).unwrap_or((1, 1));
        Error::at(path, line, col, format!("duplicate `spdxId` `{id}`"))
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Element<'a> {
    #[serde(borrow, rename = "type", alias = "@type", deserialize_with = "opt_str")]
    ty: Option<Str<'a>>,
    #[serde(borrow, rename = "spdxId", alias = "@id", deserialize_with = "opt_str")]
    id: Option<Str<'a>>,
    #[serde(rename = "@graph")]
    graph: Vec<Element<'a>>,
    #[serde(borrow, deserialize_with = "opt_str")]
    name: Option<Str<'a>>,
    #[serde(borrow, deserialize_with = "opt_str")]
    description: Option<Str<'a>>,
    #[serde(borrow, deserialize_with = "opt_str")]
    summary: Option<Str<'a>>,
    #[serde(
        borrow,
        rename = "software_packageVersion",
        deserialize_with = "opt_str"
    )]
    version: Option<Str<'a>>,
    #[serde(borrow, rename = "software_packageUrl", deserialize_with = "opt_str")]
    purl: Option<Str<'a>>,
    #[serde(
        borrow,
        rename = "software_downloadLocation",
        deserialize_with = "opt_str"
    )]
    download: Option<Str<'a>>,
    #[serde(borrow, rename = "software_homePage", deserialize_with = "opt_str")]
    homepage: Option<Str<'a>>,
    #[serde(rename = "suppliedBy")]
    supplied_by: Option<Ref<'a>>,
    #[serde(rename = "originatedBy")]
    originated_by: Vec<Ref<'a>>,
    #[serde(borrow, rename = "externalIdentifier")]
    external_identifier: Vec<ExternalIdentifier<'a>>,
    #[serde(borrow, rename = "verifiedUsing")]
    verified_using: Vec<Integrity<'a>>,
    // Relationships.
    from: Option<Ref<'a>>,
    to: Vec<Ref<'a>>,
    #[serde(rename = "relationshipType")]
    relationship_type: Option<RelationshipType>,
    #[serde(borrow, deserialize_with = "opt_str")]
    scope: Option<Str<'a>>,
    // Documents and SBOMs.
    #[serde(rename = "rootElement")]
    root_element: Vec<Ref<'a>>,
    #[serde(rename = "creationInfo")]
    creation_info: Option<Ref<'a>>,
    // Creation info.
    #[serde(borrow, rename = "specVersion", deserialize_with = "opt_str")]
    spec_version: Option<Str<'a>>,
    #[serde(borrow, deserialize_with = "opt_str")]
    created: Option<Str<'a>>,
    #[serde(rename = "createdBy")]
    created_by: Vec<Ref<'a>>,
    #[serde(rename = "createdUsing")]
    created_using: Vec<Ref<'a>>,
    // Licences.
    #[serde(
        borrow,
        rename = "simplelicensing_licenseExpression",
        deserialize_with = "opt_str"
    )]
    license_expression: Option<Str<'a>>,
    #[serde(
        borrow,
        rename = "simplelicensing_licenseText",
        deserialize_with = "opt_str"
    )]
    license_text: Option<Str<'a>>,
}

/// An integrity method; a `Hash` names its `algorithm`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Integrity<'a> {
    #[serde(borrow, deserialize_with = "opt_str")]
    algorithm: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct ExternalIdentifier<'a> {
    #[serde(borrow, rename = "externalIdentifierType")]
    ty: Str<'a>,
    #[serde(borrow)]
    identifier: Str<'a>,
}

/// A reference to another element: its id, or the element written in place.
enum Ref<'a> {
    Id(Str<'a>),
    Inline(Box<Element<'a>>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Ref<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Ref<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an element id or an element")
            }
            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                s: &'de str,
            ) -> Result<Self::Value, E> {
                Ok(Ref::Id(Str::Borrowed(s)))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Ref::Id(Str::Owned(s.to_owned())))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                let e = Element::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Ref::Inline(Box::new(e)))
            }
        }
        d.deserialize_any(V)
    }
}

/// The relationship types of SPDX 3.0.1; anything else is an error at its position.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RelationshipType {
    DependsOn,
    Contains,
    StaticLink,
    DynamicLink,
    Prerequisite,
    OptionalDependency,
    ProvidedDependency,
    UsesTool,
    Describes,
    DeclaredLicense,
    ConcludedLicense,
    Other,
}

const RELATIONSHIP_TYPES: &[&str] = &[
    "affects",
    "amendedBy",
    "ancestorOf",
    "availableFrom",
    "configures",
    "contains",
    "coordinatedBy",
    "copiedTo",
    "delegatedTo",
    "dependsOn",
    "descendantOf",
    "describes",
    "doesNotAffect",
    "expandsTo",
    "exploitCreatedBy",
    "fixedBy",
    "fixedIn",
    "foundBy",
    "generates",
    "hasAddedFile",
    "hasAssessmentFor",
    "hasAssociatedVulnerability",
    "hasConcludedLicense",
    "hasDataFile",
    "hasDeclaredLicense",
    "hasDeletedFile",
    "hasDependencyManifest",
    "hasDistributionArtifact",
    "hasDocumentation",
    "hasDynamicLink",
    "hasEvidence",
    "hasExample",
    "hasHost",
    "hasInput",
    "hasMetadata",
    "hasOptionalComponent",
    "hasOptionalDependency",
    "hasOutput",
    "hasPrerequisite",
    "hasProvidedDependency",
    "hasRequirement",
    "hasSpecification",
    "hasStaticLink",
    "hasTest",
    "hasTestCase",
    "hasVariant",
    "invokedBy",
    "modifiedBy",
    "other",
    "packagedBy",
    "patchedBy",
    "publishedBy",
    "reportedBy",
    "republishedBy",
    "serializedInArtifact",
    "testedOn",
    "trainedOn",
    "underInvestigationFor",
    "usesTool",
];

impl<'de> Deserialize<'de> for RelationshipType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use RelationshipType::*;
        checked_str(d, |s| {
            Ok(match s.as_ref() {
                "dependsOn" => DependsOn,
                "contains" => Contains,
                "hasStaticLink" => StaticLink,
                "hasDynamicLink" => DynamicLink,
                "hasPrerequisite" => Prerequisite,
                "hasOptionalDependency" | "hasOptionalComponent" => OptionalDependency,
                "hasProvidedDependency" => ProvidedDependency,
                "usesTool" => UsesTool,
                "describes" => Describes,
                "hasDeclaredLicense" => DeclaredLicense,
                "hasConcludedLicense" => ConcludedLicense,
                other if RELATIONSHIP_TYPES.contains(&other) => Other,
                other => return Err(format!("unknown relationship type `{other}`")),
            })
        })
    }
}

const PACKAGE_TYPES: [&str; 3] = ["software_Package", "ai_AIPackage", "dataset_DatasetPackage"];
const LISTED_LICENSE: &str = "https://spdx.org/licenses/";
const TERMS: &str = "https://spdx.org/rdf/3.0.1/terms/";

fn s(v: &Option<Str<'_>>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn id_of<'e>(r: &'e Ref<'_>) -> Option<&'e str> {
    match r {
        Ref::Id(id) => Some(id),
        Ref::Inline(e) => e.id.as_deref(),
    }
}

/// Maps the elements onto the plain document SPDX 2 is read into.
fn to_doc(elements: Vec<Element<'_>>) -> Doc {
    // Elements written in place (creation info, agents) are looked up like the others.
    let mut by_id: HashMap<&str, &Element<'_>> = HashMap::with_capacity(elements.len());
    let mut inline: Vec<&Element<'_>> = Vec::new();
    for e in &elements {
        for r in e
            .creation_info
            .iter()
            .chain(&e.created_by)
            .chain(&e.created_using)
        {
            if let Ref::Inline(x) = r {
                inline.push(x);
            }
        }
    }
    for e in elements.iter().chain(inline.iter().copied()) {
        if let Some(id) = e.id.as_deref() {
            by_id.entry(id).or_insert(e);
        }
    }
    let agent_name = |r: &Ref<'_>| -> Option<String> {
        match r {
            Ref::Inline(e) => s(&e.name),
            Ref::Id(id) => by_id.get(id.as_ref()).and_then(|e| s(&e.name)),
        }
    };
    let is_type = |e: &Element<'_>, t: &str| e.ty.as_deref() == Some(t);

    let mut doc = Doc::default();
    // The document and its creation info.
    let document = elements.iter().find(|e| is_type(e, "SpdxDocument"));
    let creation = document
        .or_else(|| elements.iter().find(|e| e.creation_info.is_some()))
        .and_then(|e| e.creation_info.as_ref())
        .and_then(|r| match r {
            Ref::Inline(e) => Some(&**e),
            Ref::Id(id) => by_id.get(id.as_ref()).copied(),
        })
        .or_else(|| elements.iter().find(|e| is_type(e, "CreationInfo")));
    if let Some(d) = document {
        doc.spdx_id = d.id.as_deref().unwrap_or("").to_owned();
    }
    if let Some(c) = creation {
        doc.spec_version = s(&c.spec_version);
        doc.created = s(&c.created);
        for r in &c.created_by {
            let kind = match r {
                Ref::Inline(e) => e.ty.as_deref(),
                Ref::Id(id) => by_id.get(id.as_ref()).and_then(|e| e.ty.as_deref()),
            };
            if let Some(name) = agent_name(r) {
                let prefix = if kind == Some("Organization") {
                    "Organization"
                } else {
                    "Person"
                };
                doc.creators.push(format!("{prefix}: {name}"));
            }
        }
        for r in &c.created_using {
            if let Some(name) = agent_name(r) {
                doc.creators.push(format!("Tool: {name}"));
            }
        }
    }
    // Roots: the document's root elements, through SBOMs (and bundles) to theirs.
    let mut pending: Vec<&str> = document
        .map(|d| d.root_element.iter().filter_map(id_of).collect())
        .unwrap_or_default();
    let mut seen = HashSet::new();
    while let Some(id) = pending.pop() {
        if !seen.insert(id) {
            continue;
        }
        match by_id.get(id) {
            Some(e) if !e.root_element.is_empty() => {
                pending.extend(e.root_element.iter().filter_map(id_of));
            }
            _ => doc.describes.push(id.to_owned()),
        }
    }
    doc.describes.sort();

    // Licences of each package, by relationship.
    let mut declared: HashMap<&str, Vec<String>> = HashMap::new();
    let mut concluded: HashMap<&str, Vec<String>> = HashMap::new();
    for e in elements.iter().filter(|e| e.relationship_type.is_some()) {
        let Some(from) = e.from.as_ref().and_then(id_of) else {
            continue;
        };
        let ty = e.relationship_type.unwrap_or(RelationshipType::Other);
        let targets = e.to.iter().filter_map(id_of);
        match ty {
            RelationshipType::DeclaredLicense | RelationshipType::ConcludedLicense => {
                let slot = if ty == RelationshipType::DeclaredLicense {
                    declared.entry(from).or_default()
                } else {
                    concluded.entry(from).or_default()
                };
                for t in targets {
                    if let Some(l) = license(t, by_id.get(t).copied(), &mut doc.extracted) {
                        slot.push(l);
                    }
                }
            }
            RelationshipType::Describes => {
                for t in targets {
                    doc.relationships
                        .push((from.to_owned(), RelType::Describes, t.to_owned()));
                }
            }
            _ => {
                let scope = e.scope.as_deref();
                for t in targets {
                    let (a, rel, b) = relationship(ty, scope, from, t);
                    doc.relationships.push((a.to_owned(), rel, b.to_owned()));
                }
            }
        }
    }
    let joined = |v: Option<&Vec<String>>| match v.map(Vec::as_slice) {
        None | Some([]) => None,
        Some([one]) => Some(one.clone()),
        Some(many) => Some(
            many.iter()
                .map(|l| format!("({l})"))
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    };

    for e in &elements {
        let ty = e.ty.as_deref().unwrap_or("");
        let Some(id) = e.id.as_deref() else {
            continue;
        };
        if PACKAGE_TYPES.contains(&ty) {
            let purl = s(&e.purl).or_else(|| {
                e.external_identifier
                    .iter()
                    .find(|x| x.ty == "packageUrl")
                    .map(|x| x.identifier.trim().to_owned())
            });
            doc.packages.push(RawPackage {
                spdx_id: id.to_owned(),
                name: s(&e.name).unwrap_or_default(),
                version: s(&e.version),
                supplier: e.supplied_by.as_ref().and_then(agent_name),
                originator: e.originated_by.first().and_then(agent_name),
                download: s(&e.download),
                homepage: s(&e.homepage),
                purl,
                concluded: joined(concluded.get(id)),
                declared: joined(declared.get(id)),
                description: s(&e.description).or_else(|| s(&e.summary)),
                hashes: e
                    .verified_using
                    .iter()
                    .filter_map(|h| s(&h.algorithm))
                    .collect(),
                cpe: e
                    .external_identifier
                    .iter()
                    .find(|x| x.ty == "cpe23" || x.ty == "cpe22")
                    .map(|x| x.identifier.trim().to_owned()),
            });
        } else if ty == "security_Vulnerability" {
            doc.vulnerabilities = true;
        } else if ty == "software_File" {
            doc.files += 1;
            doc.non_packages.insert(id.to_owned());
        } else if ty == "software_Snippet" {
            doc.snippets += 1;
            doc.non_packages.insert(id.to_owned());
        }
    }
    doc
}

/// The SPDX 2 relationship that `from TYPE to` (with a lifecycle `scope`) stands for.
fn relationship<'s>(
    ty: RelationshipType,
    scope: Option<&str>,
    from: &'s str,
    to: &'s str,
) -> (&'s str, RelType, &'s str) {
    use RelationshipType as T;
    let dependency = matches!(
        ty,
        T::DependsOn | T::Contains | T::StaticLink | T::DynamicLink | T::Prerequisite
    );
    match (ty, scope) {
        (_, Some("development")) if dependency => (to, RelType::DevDependencyOf, from),
        (_, Some("test")) if dependency => (to, RelType::TestDependencyOf, from),
        (_, Some("build")) if dependency => (to, RelType::BuildDependencyOf, from),
        (T::DependsOn, _) => (from, RelType::DependsOn, to),
        (T::Contains, _) => (from, RelType::Contains, to),
        (T::StaticLink, _) => (from, RelType::StaticLink, to),
        (T::DynamicLink, _) => (from, RelType::DynamicLink, to),
        (T::Prerequisite, _) => (from, RelType::HasPrerequisite, to),
        (T::OptionalDependency, _) => (to, RelType::OptionalDependencyOf, from),
        (T::ProvidedDependency, _) => (to, RelType::ProvidedDependencyOf, from),
        (T::UsesTool, _) => (to, RelType::BuildToolOf, from),
        _ => (from, RelType::Other, to),
    }
}

/// The licence statement a licence element (or a listed licence's IRI) stands for;
/// a custom licence becomes a `LicenseRef-` with its text recorded.
fn license(
    id: &str,
    element: Option<&Element<'_>>,
    extracted: &mut Vec<(String, Option<String>, String)>,
) -> Option<String> {
    if let Some(listed) = id.strip_prefix(LISTED_LICENSE) {
        return Some(listed.to_owned());
    }
    if let Some(term) = id.strip_prefix(TERMS) {
        match term.rsplit('/').next() {
            Some("NoAssertionLicense") => return Some("NOASSERTION".to_owned()),
            Some("NoneLicense") => return Some("NONE".to_owned()),
            _ => {}
        }
    }
    let e = element?;
    if let Some(expr) = s(&e.license_expression) {
        return Some(expr);
    }
    if e.ty.as_deref() == Some("expandedlicensing_CustomLicense") {
        let tail = id.rsplit(['/', '#', ':']).next().unwrap_or(id);
        let tail: String = tail
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let tail = tail.strip_prefix("LicenseRef-").unwrap_or(&tail).to_owned();
        let reference = format!("LicenseRef-{tail}");
        if let Some(text) = s(&e.license_text) {
            extracted.push((reference.clone(), s(&e.name), text));
        }
        return Some(reference);
    }
    s(&e.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EdgeKind, PkgIdx};

    fn parse_str(s: &str) -> Result<Inventory> {
        parse(Path::new("sbom.spdx3.json"), s.as_bytes())
    }

    #[test]
    fn maps_packages_licences_relationships_and_roots() {
        let doc = r#"{
  "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
  "@graph": [
    {"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1",
     "created": "2024-01-02T03:04:05Z", "createdBy": ["urn:agent:ada"],
     "createdUsing": [{"type": "Tool", "spdxId": "urn:tool:gen", "name": "gen 1", "creationInfo": "_:ci"}]},
    {"type": "Person", "spdxId": "urn:agent:ada", "name": "Ada", "creationInfo": "_:ci"},
    {"type": "Organization", "spdxId": "urn:agent:acme", "name": "Acme", "creationInfo": "_:ci"},
    {"type": "SpdxDocument", "spdxId": "urn:doc", "creationInfo": "_:ci", "rootElement": ["urn:sbom"]},
    {"type": "software_Sbom", "spdxId": "urn:sbom", "creationInfo": "_:ci", "rootElement": ["urn:app"]},
    {"type": "software_Package", "spdxId": "urn:app", "creationInfo": "_:ci", "name": "app",
     "software_packageVersion": "1.0", "suppliedBy": "urn:agent:acme"},
    {"type": "software_Package", "spdxId": "urn:lib", "creationInfo": "_:ci", "name": "lib",
     "software_packageVersion": "2", "originatedBy": ["urn:agent:ada"],
     "externalIdentifier": [{"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl",
       "identifier": "pkg:npm/lib@2"}]},
    {"type": "software_Package", "spdxId": "urn:test", "creationInfo": "_:ci", "name": "t"},
    {"type": "simplelicensing_LicenseExpression", "spdxId": "urn:lic1", "creationInfo": "_:ci",
     "simplelicensing_licenseExpression": "MIT OR Apache-2.0"},
    {"type": "expandedlicensing_CustomLicense", "spdxId": "urn:lic:Own", "creationInfo": "_:ci",
     "name": "Own", "simplelicensing_licenseText": "do as you like"},
    {"type": "Relationship", "spdxId": "urn:r1", "creationInfo": "_:ci", "from": "urn:app",
     "relationshipType": "dependsOn", "to": ["urn:lib"]},
    {"type": "LifecycleScopedRelationship", "spdxId": "urn:r2", "creationInfo": "_:ci",
     "from": "urn:app", "relationshipType": "dependsOn", "to": ["urn:test"], "scope": "test"},
    {"type": "Relationship", "spdxId": "urn:r3", "creationInfo": "_:ci", "from": "urn:lib",
     "relationshipType": "hasDeclaredLicense", "to": ["urn:lic1", "urn:lic:Own"]},
    {"type": "Relationship", "spdxId": "urn:r4", "creationInfo": "_:ci", "from": "urn:lib",
     "relationshipType": "hasConcludedLicense", "to": ["https://spdx.org/licenses/MIT"]},
    {"type": "Relationship", "spdxId": "urn:r5", "creationInfo": "_:ci", "from": "urn:app",
     "relationshipType": "hasConcludedLicense",
     "to": ["https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense"]}
  ]
}"#;
        let inv = parse_str(doc).unwrap();
        assert_eq!(inv.packages.len(), 3);
        assert_eq!(inv.roots, vec![PkgIdx(0)]);
        let lib = &inv.packages[1];
        assert_eq!(lib.id.0, "pkg:npm/lib@2");
        assert_eq!(
            lib.declared,
            vec!["(MIT OR Apache-2.0) AND (LicenseRef-Own)"]
        );
        assert_eq!(lib.concluded, vec!["MIT"]);
        assert_eq!(lib.authors, vec!["Ada"]);
        assert_eq!(inv.packages[0].supplier.as_deref(), Some("Acme"));
        assert_eq!(inv.license_refs["LicenseRef-Own"].text, "do as you like");
        let edges: Vec<_> = inv
            .edges
            .iter()
            .map(|e| (e.from.0, e.to.0, e.kind))
            .collect();
        assert_eq!(
            edges,
            vec![(0, 1, EdgeKind::Runtime), (0, 2, EdgeKind::Dev)]
        );
        let meta = &inv.inputs[0].meta;
        assert_eq!(meta.spec_version.as_deref(), Some("3.0.1"));
        assert_eq!(meta.timestamp.as_deref(), Some("2024-01-02T03:04:05Z"));
        assert_eq!(meta.authors, vec!["Ada"]);
        assert_eq!(meta.tools, vec!["gen 1"]);
        assert!(meta.has_dependencies);
    }

    #[test]
    fn hashes_cpe_download_and_vulnerabilities() {
        let doc = r#"{
  "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
  "@graph": [
    {"type": "software_Package", "spdxId": "urn:p", "name": "p",
     "software_downloadLocation": "https://dl.example/p.tgz",
     "verifiedUsing": [{"type": "Hash", "algorithm": "sha512", "hashValue": "ab"}],
     "externalIdentifier": [{"type": "ExternalIdentifier",
       "externalIdentifierType": "cpe23", "identifier": "cpe:2.3:a:x:p:1:*:*:*:*:*:*:*"}]},
    {"type": "security_Vulnerability", "spdxId": "urn:v"}
  ]
}"#;
        let inv = parse_str(doc).unwrap();
        let p = &inv.packages[0];
        assert_eq!(p.hash_algorithms, ["sha512"]);
        assert_eq!(p.cpe.as_deref(), Some("cpe:2.3:a:x:p:1:*:*:*:*:*:*:*"));
        assert_eq!(p.distribution.as_deref(), Some("https://dl.example/p.tgz"));
        assert!(inv.inputs[0].meta.vulnerabilities);
    }

    #[test]
    fn errors_carry_positions() {
        let e = parse_str(
            "{\"@graph\": [\n{\"type\": \"Relationship\", \"relationshipType\": \"likes\"}]}",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("sbom.spdx3.json:2:"), "{e}");
        assert!(e.contains("unknown relationship type `likes`"), "{e}");
        let e = parse_str("{\"@graph\": [\n{\"type\": \"software_Package\", \"spdxId\": \"a\"},\n{\"type\": \"software_Package\", \"spdxId\": \"a\"}]}")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "sbom.spdx3.json:3:40: duplicate `spdxId` `a`");
    }
}
