//! SPDX 2.2 / 2.3 ingest, JSON and tag-value. (YAML, XML and RDF serialisations are
//! not read; SPDX 3 is read by `spdx3`, into the same plain document.)
//!
//! Both serialisations are read into one plain document ([`Doc`]), which one function
//! maps onto the inventory, so they cannot drift apart:
//! - packages become packages (id: the purl from `externalRefs`, else
//!   `generic:<name>@<version>`); files and snippets are not packages: relationships
//!   that touch them are dropped and counted in a notice;
//! - dependency relationships become typed edges (`DEPENDS_ON` a→b, `DEPENDENCY_OF`
//!   b→a, `DEV_`/`TEST_DEPENDENCY_OF` and `DEV_`/`TEST_TOOL_OF` dev, `BUILD_DEPENDENCY_OF`,
//!   `PROVIDED_DEPENDENCY_OF` and `BUILD_TOOL_OF` build, `OPTIONAL_DEPENDENCY_OF`
//!   optional, `RUNTIME_DEPENDENCY_OF` runtime; containment `CONTAINS` / `CONTAINED_BY`,
//!   linking `STATIC_LINK` / `DYNAMIC_LINK` and `HAS_PREREQUISITE` / `PREREQUISITE_FOR`
//!   as runtime edges); provenance relationships (`GENERATED_FROM`, `COPY_OF`,
//!   `VARIANT_OF`, …) are not dependencies and are left out;
//! - `documentDescribes` and `DESCRIBES` / `DESCRIBED_BY` name the roots;
//! - `licenseConcluded` / `licenseDeclared` stay raw, `NOASSERTION` and `NONE` as
//!   written; `LicenseRef-*` texts go to [`Inventory::license_refs`].
//!
//! Input may be UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order
//! mark; positions in errors count lines and characters of the decoded text.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use serde::de::Deserializer;

use super::cyclonedx::{checked_str, locate_value, purl_facts};
use crate::error::{Error, Result};
use crate::model::{
    DocumentMeta, Ecosystem, EdgeKind, ExtractedLicense, InputFormat, Inventory, Package,
    PackageId, PkgIdx, SourceKind,
};

/// Parses an SPDX JSON document.
pub(crate) fn parse_json(path: &Path, bytes: &[u8]) -> Result<Inventory> {
    let text = decode(path, bytes)?;
    let raw: JsonDoc = serde_json::from_str(&text).map_err(|e| Error::json(path, &e))?;
    let doc = Doc::from_json(raw);
    let duplicate = |id: &str| {
        let (line, col) = locate_value(&text, "SPDXID", id, 2).unwrap_or((1, 1));
        Error::at(path, line, col, format!("duplicate `SPDXID` `{id}`"))
    };
    build(path, InputFormat::SpdxJson, doc, duplicate)
}

/// Parses an SPDX 2.2 / 2.3 YAML document: the JSON form's structure, read into the same
/// structs through the bounded YAML tree (no aliases, 64 levels).
pub(crate) fn parse_yaml(path: &Path, bytes: &[u8]) -> Result<Inventory> {
    let text = decode(path, bytes)?;
    let Some(node) = super::yaml::parse(path, &text)? else {
        return Err(Error::at(path, 1, 1, "an empty YAML document"));
    };
    let raw: JsonDoc = super::yaml::from_node(path, &node)?;
    let doc = Doc::from_json(raw);
    let duplicate = |id: &str| {
        let line = text
            .lines()
            .position(|l| l.contains("SPDXID") && l.contains(id))
            .map_or(1, |i| i + 1);
        Error::at(path, line, 1, format!("duplicate `SPDXID` `{id}`"))
    };
    build(path, InputFormat::SpdxYaml, doc, duplicate)
}

/// Parses an SPDX tag-value document.
pub(crate) fn parse_tag_value(path: &Path, bytes: &[u8]) -> Result<Inventory> {
    let text = decode(path, bytes)?;
    let (doc, lines) = tag_value(path, &text)?;
    let duplicate = |id: &str| {
        let line = lines.get(id).copied().unwrap_or(1);
        Error::at(path, line, 1, format!("duplicate `SPDXID` `{id}`"))
    };
    build(path, InputFormat::SpdxTagValue, doc, duplicate)
}

/// UTF-8 (byte-order mark dropped) or UTF-16 with a byte-order mark, as text.
fn decode(path: &Path, bytes: &[u8]) -> Result<String> {
    let utf16 = |le: bool| {
        let units = bytes[2..].chunks(2).map(|c| match (c, le) {
            ([a, b], true) => u16::from_le_bytes([*a, *b]),
            ([a, b], false) => u16::from_be_bytes([*a, *b]),
            _ => 0xFFFD,
        });
        char::decode_utf16(units)
            .map(|r| r.map_err(|_| Error::input(path, "invalid UTF-16 text")))
            .collect::<Result<String>>()
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => {
            let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            String::from_utf8(b.to_vec()).map_err(|e| {
                let text = String::from_utf8_lossy(&b[..e.utf8_error().valid_up_to()]);
                let (line, col) = crate::error::line_col(&text, text.len());
                Error::at(path, line, col, "invalid UTF-8")
            })
        }
    }
}

// ---------------------------------------------------------------------------------------
// The plain document both serialisations are read into.
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default)]
pub(super) struct Doc {
    pub(super) spdx_id: String,
    pub(super) spec_version: Option<String>,
    pub(super) created: Option<String>,
    pub(super) creators: Vec<String>,
    pub(super) describes: Vec<String>,
    pub(super) packages: Vec<RawPackage>,
    /// SPDX ids of files and snippets.
    pub(super) non_packages: HashSet<String>,
    pub(super) files: usize,
    pub(super) snippets: usize,
    pub(super) relationships: Vec<(String, RelType, String)>,
    pub(super) extracted: Vec<(String, Option<String>, String)>,
    /// Whether the document holds vulnerability elements (SPDX 3 security profile).
    pub(super) vulnerabilities: bool,
}

#[derive(Debug, Default)]
pub(super) struct RawPackage {
    pub(super) spdx_id: String,
    pub(super) name: String,
    pub(super) version: Option<String>,
    pub(super) supplier: Option<String>,
    pub(super) originator: Option<String>,
    pub(super) download: Option<String>,
    pub(super) homepage: Option<String>,
    pub(super) purl: Option<String>,
    pub(super) concluded: Option<String>,
    pub(super) declared: Option<String>,
    pub(super) description: Option<String>,
    /// Algorithms of the package's hashes (SPDX 3 `verifiedUsing`).
    pub(super) hashes: Vec<String>,
    pub(super) cpe: Option<String>,
}

/// The relationship types of SPDX 2.3 (a superset of 2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RelType {
    Describes,
    DescribedBy,
    Contains,
    ContainedBy,
    DependsOn,
    DependencyOf,
    DevDependencyOf,
    TestDependencyOf,
    BuildDependencyOf,
    ProvidedDependencyOf,
    OptionalDependencyOf,
    RuntimeDependencyOf,
    StaticLink,
    DynamicLink,
    BuildToolOf,
    DevToolOf,
    TestToolOf,
    HasPrerequisite,
    PrerequisiteFor,
    /// Every other valid type: not a dependency.
    Other,
}

impl RelType {
    fn parse(s: &str) -> Option<RelType> {
        use RelType::*;
        Some(match s {
            "DESCRIBES" => Describes,
            "DESCRIBED_BY" => DescribedBy,
            "CONTAINS" => Contains,
            "CONTAINED_BY" => ContainedBy,
            "DEPENDS_ON" => DependsOn,
            "DEPENDENCY_OF" => DependencyOf,
            "DEV_DEPENDENCY_OF" => DevDependencyOf,
            "TEST_DEPENDENCY_OF" => TestDependencyOf,
            "BUILD_DEPENDENCY_OF" => BuildDependencyOf,
            "PROVIDED_DEPENDENCY_OF" => ProvidedDependencyOf,
            "OPTIONAL_DEPENDENCY_OF" => OptionalDependencyOf,
            "RUNTIME_DEPENDENCY_OF" => RuntimeDependencyOf,
            "STATIC_LINK" => StaticLink,
            "DYNAMIC_LINK" => DynamicLink,
            "BUILD_TOOL_OF" => BuildToolOf,
            "DEV_TOOL_OF" => DevToolOf,
            "TEST_TOOL_OF" => TestToolOf,
            "HAS_PREREQUISITE" => HasPrerequisite,
            "PREREQUISITE_FOR" => PrerequisiteFor,
            "DEPENDENCY_MANIFEST_OF"
            | "EXAMPLE_OF"
            | "GENERATES"
            | "GENERATED_FROM"
            | "ANCESTOR_OF"
            | "DESCENDANT_OF"
            | "VARIANT_OF"
            | "DISTRIBUTION_ARTIFACT"
            | "PATCH_FOR"
            | "PATCH_APPLIED"
            | "COPY_OF"
            | "FILE_ADDED"
            | "FILE_DELETED"
            | "FILE_MODIFIED"
            | "EXPANDED_FROM_ARCHIVE"
            | "DATA_FILE_OF"
            | "TEST_CASE_OF"
            | "TEST_OF"
            | "DOCUMENTATION_OF"
            | "OPTIONAL_COMPONENT_OF"
            | "METAFILE_OF"
            | "PACKAGE_OF"
            | "AMENDS"
            | "REQUIREMENT_DESCRIPTION_FOR"
            | "SPECIFICATION_FOR"
            | "OTHER" => Other,
            _ => return None,
        })
    }

    /// The edge this relationship `a TYPE b` stands for: `(from_is_a, kind)`.
    fn edge(self) -> Option<(bool, EdgeKind)> {
        use RelType::*;
        Some(match self {
            DependsOn | Contains | StaticLink | DynamicLink | HasPrerequisite => {
                (true, EdgeKind::Runtime)
            }
            DependencyOf | ContainedBy | RuntimeDependencyOf | PrerequisiteFor => {
                (false, EdgeKind::Runtime)
            }
            DevDependencyOf | TestDependencyOf | DevToolOf | TestToolOf => (false, EdgeKind::Dev),
            BuildDependencyOf | ProvidedDependencyOf | BuildToolOf => (false, EdgeKind::Build),
            OptionalDependencyOf => (false, EdgeKind::Optional),
            Describes | DescribedBy | Other => return None,
        })
    }
}

impl<'de> Deserialize<'de> for RelType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked_str(d, |s| {
            RelType::parse(&s).ok_or_else(|| format!("unknown relationship type `{s}`"))
        })
    }
}

// ---------------------------------------------------------------------------------------
// JSON.
// ---------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonDoc {
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    spdx_version: String,
    #[serde(default)]
    creation_info: Option<JsonCreationInfo>,
    #[serde(default)]
    document_describes: Vec<String>,
    #[serde(default)]
    packages: Vec<JsonPackage>,
    #[serde(default)]
    files: Vec<JsonElement>,
    #[serde(default)]
    snippets: Vec<JsonElement>,
    #[serde(default)]
    relationships: Vec<JsonRelationship>,
    #[serde(default)]
    has_extracted_licensing_infos: Vec<JsonExtracted>,
}

#[derive(Deserialize)]
struct JsonCreationInfo {
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    creators: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonPackage {
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    name: String,
    #[serde(default)]
    version_info: Option<String>,
    #[serde(default)]
    supplier: Option<String>,
    #[serde(default)]
    originator: Option<String>,
    download_location: String,
    #[serde(default)]
    homepage: Option<String>,
    #[serde(default)]
    license_concluded: Option<String>,
    #[serde(default)]
    license_declared: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    external_refs: Vec<JsonExternalRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonExternalRef {
    reference_type: String,
    reference_locator: String,
}

#[derive(Deserialize)]
struct JsonElement {
    #[serde(rename = "SPDXID")]
    spdx_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonRelationship {
    spdx_element_id: String,
    relationship_type: RelType,
    related_spdx_element: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonExtracted {
    license_id: String,
    extracted_text: String,
    #[serde(default)]
    name: Option<String>,
}

impl Doc {
    fn from_json(raw: JsonDoc) -> Doc {
        let (created, creators) = match raw.creation_info {
            Some(c) => (c.created, c.creators),
            None => (None, Vec::new()),
        };
        let packages = raw
            .packages
            .into_iter()
            .map(|p| RawPackage {
                purl: p
                    .external_refs
                    .iter()
                    .find(|r| r.reference_type == "purl")
                    .map(|r| r.reference_locator.clone()),
                spdx_id: p.spdx_id,
                name: p.name,
                version: p.version_info,
                supplier: p.supplier,
                originator: p.originator,
                download: Some(p.download_location),
                homepage: p.homepage,
                concluded: p.license_concluded,
                declared: p.license_declared,
                cpe: p
                    .external_refs
                    .iter()
                    .find(|r| r.reference_type == "cpe23Type" || r.reference_type == "cpe22Type")
                    .map(|r| r.reference_locator.clone()),
                hashes: Vec::new(),
                description: p.description.or(p.summary),
            })
            .collect();
        let files = raw.files.len();
        let snippets = raw.snippets.len();
        Doc {
            spdx_id: raw.spdx_id,
            spec_version: Some(raw.spdx_version),
            created,
            creators,
            describes: raw.document_describes,
            packages,
            non_packages: raw
                .files
                .into_iter()
                .chain(raw.snippets)
                .map(|e| e.spdx_id)
                .collect(),
            files,
            snippets,
            vulnerabilities: false,
            relationships: raw
                .relationships
                .into_iter()
                .map(|r| {
                    (
                        r.spdx_element_id,
                        r.relationship_type,
                        r.related_spdx_element,
                    )
                })
                .collect(),
            extracted: raw
                .has_extracted_licensing_infos
                .into_iter()
                .map(|e| (e.license_id, e.name, e.extracted_text))
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Tag-value.
// ---------------------------------------------------------------------------------------

/// What the tags that follow describe.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Document,
    Package,
    File,
    Snippet,
    License,
}

/// Reads tag-value text; also returns the line of each package's `SPDXID`.
fn tag_value(path: &Path, text: &str) -> Result<(Doc, HashMap<String, usize>)> {
    let mut doc = Doc::default();
    let mut lines_of: HashMap<String, usize> = HashMap::new();
    let mut section = Section::Document;
    // The line of each `PackageName`, for a package left without an `SPDXID`.
    let mut package_lines: Vec<usize> = Vec::new();
    let mut lines = text_lines(text).enumerate();
    while let Some((i, line)) = lines.next() {
        let lineno = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((raw_tag, value)) = line.split_once(':') else {
            return Err(Error::at(
                path,
                lineno,
                1,
                "expected `Tag: value` (a tag, a colon and a value)",
            ));
        };
        let tag = raw_tag.trim();
        // Columns count characters; the value starts after the colon and its blanks.
        let col = |byte: usize| line[..byte].chars().count() + 1;
        let value_col = col(raw_tag.len() + 1 + value.len() - value.trim_start().len());
        let mut value = value.trim().to_owned();
        if let Some(start) = value.strip_prefix("<text>") {
            value = match start.split_once("</text>") {
                Some((inner, _)) => inner.to_owned(),
                None => {
                    let mut acc = start.to_owned();
                    loop {
                        let Some((_, next)) = lines.next() else {
                            return Err(Error::at(
                                path,
                                lineno,
                                line.find("<text>").map_or(1, col),
                                "`<text>` is not closed by `</text>`",
                            ));
                        };
                        acc.push('\n');
                        if let Some((inner, _)) = next.split_once("</text>") {
                            acc.push_str(inner);
                            break;
                        }
                        acc.push_str(next);
                    }
                    acc
                }
            };
        }
        let opt = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        match tag {
            "SPDXVersion" => doc.spec_version = opt(&value),
            "Created" => doc.created = opt(&value),
            "Creator" => doc.creators.push(value),
            "PackageName" => {
                section = Section::Package;
                package_lines.push(lineno);
                doc.packages.push(RawPackage {
                    name: value,
                    ..RawPackage::default()
                });
            }
            "FileName" => {
                section = Section::File;
                doc.files += 1;
            }
            "SnippetSPDXID" => {
                section = Section::Snippet;
                doc.snippets += 1;
                doc.non_packages.insert(value);
            }
            "LicenseID" => {
                section = Section::License;
                doc.extracted.push((value, None, String::new()));
            }
            "SPDXID" => match section {
                Section::Document => doc.spdx_id = value,
                Section::Package => {
                    if lines_of.contains_key(&value) {
                        return Err(Error::at(
                            path,
                            lineno,
                            value_col,
                            format!("duplicate `SPDXID` `{value}`"),
                        ));
                    }
                    if let Some(p) = doc.packages.last_mut() {
                        lines_of.insert(value.clone(), lineno);
                        p.spdx_id = value;
                    }
                }
                Section::File | Section::Snippet => {
                    doc.non_packages.insert(value);
                }
                Section::License => {}
            },
            "Relationship" => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                let [a, ty, b] = parts[..] else {
                    return Err(Error::at(
                        path,
                        lineno,
                        value_col,
                        "expected `Relationship: <element> <TYPE> <element>`",
                    ));
                };
                let Some(rel) = RelType::parse(ty) else {
                    let after = raw_tag.len() + 1;
                    return Err(Error::at(
                        path,
                        lineno,
                        line[after..].find(ty).map_or(value_col, |i| col(after + i)),
                        format!("unknown relationship type `{ty}`"),
                    ));
                };
                doc.relationships.push((a.to_owned(), rel, b.to_owned()));
            }
            "ExtractedText" => {
                if let (Section::License, Some(e)) = (section, doc.extracted.last_mut()) {
                    e.2 = value;
                }
            }
            "LicenseName" => {
                if let (Section::License, Some(e)) = (section, doc.extracted.last_mut()) {
                    e.1 = opt(&value);
                }
            }
            _ if section == Section::Package => {
                let Some(p) = doc.packages.last_mut() else {
                    continue;
                };
                match tag {
                    "PackageVersion" => p.version = opt(&value),
                    "PackageSupplier" => p.supplier = opt(&value),
                    "PackageOriginator" => p.originator = opt(&value),
                    "PackageDownloadLocation" => p.download = opt(&value),
                    "PackageHomePage" => p.homepage = opt(&value),
                    "PackageLicenseConcluded" => p.concluded = opt(&value),
                    "PackageLicenseDeclared" => p.declared = opt(&value),
                    "PackageDescription" => p.description = opt(&value),
                    "PackageSummary" if p.description.is_none() => p.description = opt(&value),
                    "ExternalRef" => {
                        let mut it = value.split_whitespace();
                        if let (Some(_), Some("purl"), Some(locator)) =
                            (it.next(), it.next(), it.next())
                        {
                            p.purl.get_or_insert_with(|| locator.to_owned());
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if let Some(i) = doc.packages.iter().position(|p| p.spdx_id.is_empty()) {
        return Err(Error::at(
            path,
            package_lines.get(i).copied().unwrap_or(1),
            1,
            format!("package `{}` has no `SPDXID`", doc.packages[i].name),
        ));
    }
    Ok((doc, lines_of))
}

/// The lines of a text, ended by LF, CR LF or a lone CR (old Mac line ends, which
/// some generators still write), without their ends.
fn text_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let t = rest?;
        match t.find(['\n', '\r']) {
            Some(i) => {
                let skip = if t[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&t[i + skip..]).filter(|r| !r.is_empty());
                Some(&t[..i])
            }
            None => {
                rest = None;
                (!t.is_empty()).then_some(t)
            }
        }
    })
}

// ---------------------------------------------------------------------------------------
// Mapping onto the inventory.
// ---------------------------------------------------------------------------------------

pub(super) fn build(
    path: &Path,
    format: InputFormat,
    doc: Doc,
    duplicate: impl Fn(&str) -> Error,
) -> Result<Inventory> {
    let dependency_rels = doc.relationships.iter().any(|r| r.1.edge().is_some());
    let meta = DocumentMeta {
        spec_version: doc.spec_version.clone(),
        timestamp: doc.created.clone(),
        authors: doc
            .creators
            .iter()
            .filter(|c| !c.starts_with("Tool:"))
            .map(|c| entity_name(c).unwrap_or_else(|| c.trim().to_owned()))
            .collect(),
        tools: doc
            .creators
            .iter()
            .filter_map(|c| c.strip_prefix("Tool:"))
            .map(|t| t.trim().to_owned())
            .collect(),
        has_dependencies: dependency_rels,
        vulnerabilities: doc.vulnerabilities,
    };
    let mut inv = Inventory::new();
    let input = inv.add_input(super::input_file(path, format, meta));

    let mut by_spdx: HashMap<&str, PkgIdx> = HashMap::with_capacity(doc.packages.len());
    let mut taken: HashMap<PackageId, &str> = HashMap::new();
    for p in &doc.packages {
        if by_spdx.contains_key(p.spdx_id.as_str()) {
            return Err(duplicate(&p.spdx_id));
        }
        let pkg = package(p, input);
        let mut id = pkg.id.clone();
        if let Some(prev) = taken.get(&id) {
            if pkg.purl().is_none() && *prev != p.spdx_id {
                id = PackageId(format!("{}#{}", id.0, p.spdx_id));
            }
        }
        taken.entry(id.clone()).or_insert(&p.spdx_id);
        let mut pkg = pkg;
        pkg.set_id(id);
        let idx = inv.add_package(pkg);
        by_spdx.insert(&p.spdx_id, idx);
    }

    let is_document = |s: &str| s == doc.spdx_id || s == "SPDXRef-DOCUMENT";
    let is_external = |s: &str| s.starts_with("DocumentRef-") || s == "NOASSERTION" || s == "NONE";
    for d in &doc.describes {
        if let Some(&idx) = by_spdx.get(d.as_str()) {
            inv.add_root(idx);
        }
    }
    let mut with_files = 0usize;
    let mut dangling = 0usize;
    let mut first_dangling: Option<&str> = None;
    for (a, rel, b) in &doc.relationships {
        let ends = [a.as_str(), b.as_str()];
        if *rel == RelType::Describes || *rel == RelType::DescribedBy {
            let (doc_end, subject) = if *rel == RelType::Describes {
                (a, b)
            } else {
                (b, a)
            };
            if is_document(doc_end) {
                if let Some(&idx) = by_spdx.get(subject.as_str()) {
                    inv.add_root(idx);
                }
            }
            continue;
        }
        let Some((forward, kind)) = rel.edge() else {
            continue;
        };
        if ends.iter().any(|e| is_document(e) || is_external(e)) {
            continue;
        }
        if ends.iter().any(|e| doc.non_packages.contains(*e)) {
            with_files += 1;
            continue;
        }
        match (by_spdx.get(a.as_str()), by_spdx.get(b.as_str())) {
            (Some(&x), Some(&y)) => {
                let (from, to) = if forward { (x, y) } else { (y, x) };
                inv.add_edge(from, to, kind, None);
            }
            _ => {
                dangling += 1;
                let missing = if by_spdx.contains_key(a.as_str()) {
                    b
                } else {
                    a
                };
                first_dangling.get_or_insert(missing);
            }
        }
    }
    if doc.files + doc.snippets > 0 {
        inv.notice(
            input,
            crate::text!(
                "notice.spdx-files",
                files = doc.files,
                snippets = doc.snippets,
                relationships = with_files
            ),
        );
    }
    if let Some(first) = first_dangling {
        inv.notice(
            input,
            crate::text!(
                "notice.spdx-dangling",
                count = dangling,
                first = first.to_string()
            ),
        );
    }
    let mut refs = BTreeMap::new();
    for (id, name, text) in doc.extracted {
        refs.entry(id)
            .or_insert(ExtractedLicense { name, text, input });
    }
    inv.license_refs = refs;
    inv.finish();
    Ok(inv)
}

fn package(p: &RawPackage, input: crate::model::InputIdx) -> Package {
    let asserted = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != "NOASSERTION" && *s != "NONE")
            .map(str::to_owned)
    };
    let purl = asserted(&p.purl);
    let (ecosystem, purl_source) = match &purl {
        Some(u) => purl_facts(u),
        None => (Ecosystem::default(), SourceKind::Unknown),
    };
    let version = asserted(&p.version);
    let id = match &purl {
        Some(u) => PackageId(u.clone()),
        None => PackageId::synthetic(&ecosystem, &p.name, version.as_deref()),
    };
    let download = asserted(&p.download);
    let source = match download.as_deref() {
        Some(d) if d.starts_with("git+") => SourceKind::Git(d["git+".len()..].to_owned()),
        Some(d) if d.starts_with("git://") || d.ends_with(".git") => SourceKind::Git(d.to_owned()),
        _ => purl_source,
    };
    let repository = match &source {
        SourceKind::Git(url) => Some(url.split('#').next().unwrap_or(url).to_owned()),
        _ => None,
    };
    let raw = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| vec![s.to_owned()])
            .unwrap_or_default()
    };
    let supplier = asserted(&p.supplier).and_then(|s| entity_name(&s));
    let originator = asserted(&p.originator).and_then(|s| entity_name(&s));
    Package {
        integrity: None,
        id,
        name: p.name.clone(),
        version,
        ecosystem,
        purl: purl.into(),
        declared: raw(&p.declared),
        concluded: raw(&p.concluded),
        license_file: None,
        license_text: None,
        supplier: supplier.or_else(|| originator.clone()),
        authors: originator.into_iter().collect(),
        repository,
        homepage: asserted(&p.homepage),
        description: asserted(&p.description),
        source,
        input,
        component: None,
        hash_algorithms: p.hashes.clone(),
        cpe: p.cpe.clone(),
        distribution: download.clone(),
    }
}

/// The name in an SPDX entity: `Organization: Acme (a@acme.example)` → `Acme`,
/// `Person: Jane Doe` → `Jane Doe`; `None` for `NOASSERTION` or an empty name.
fn entity_name(s: &str) -> Option<String> {
    let s = s.trim();
    let rest = s
        .strip_prefix("Organization:")
        .or_else(|| s.strip_prefix("Person:"))
        .or_else(|| s.strip_prefix("Tool:"))
        .unwrap_or(s)
        .trim();
    let name = match rest.rfind('(') {
        Some(i) if rest.ends_with(')') => rest[..i].trim(),
        _ => rest,
    };
    (!name.is_empty() && name != "NOASSERTION").then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TV: &str = "SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
Creator: Tool: gen-1
Creator: Organization: Acme (ops@acme.example)
Created: 2024-01-01T00:00:00Z
Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-app

PackageName: app
SPDXID: SPDXRef-app
PackageVersion: 1.0
PackageSupplier: Organization: Acme (ops@acme.example)
PackageDownloadLocation: git+https://git.example/app.git#v1
PackageLicenseConcluded: NOASSERTION
PackageLicenseDeclared: MIT AND LicenseRef-x
PackageDescription: <text>line one
line two</text>

PackageName: lib
SPDXID: SPDXRef-lib
PackageDownloadLocation: NOASSERTION
PackageOriginator: Person: Jane Doe
ExternalRef: PACKAGE-MANAGER purl pkg:cargo/lib@2.0.0
PackageLicenseConcluded: NONE

FileName: ./a.c
SPDXID: SPDXRef-file

Relationship: SPDXRef-app DEPENDS_ON SPDXRef-lib
Relationship: SPDXRef-tool BUILD_TOOL_OF SPDXRef-app
Relationship: SPDXRef-app CONTAINS SPDXRef-file

LicenseID: LicenseRef-x
ExtractedText: <text>Do what
you want</text>
LicenseName: X licence
";

    #[test]
    fn tag_value_maps_packages_relationships_and_refs() {
        let inv = parse_tag_value(Path::new("a.spdx"), TV.as_bytes()).unwrap();
        assert_eq!(inv.packages.len(), 2);
        let app = &inv.packages[0];
        assert_eq!(app.id.0, "generic:app@1.0");
        assert_eq!(app.supplier.as_deref(), Some("Acme"));
        assert_eq!(
            app.source,
            SourceKind::Git("https://git.example/app.git#v1".into())
        );
        assert_eq!(
            app.repository.as_deref(),
            Some("https://git.example/app.git")
        );
        assert_eq!(app.concluded, vec!["NOASSERTION"]);
        assert_eq!(app.declared, vec!["MIT AND LicenseRef-x"]);
        assert_eq!(app.description.as_deref(), Some("line one\nline two"));
        let lib = &inv.packages[1];
        assert_eq!(lib.id.0, "pkg:cargo/lib@2.0.0");
        assert_eq!(lib.ecosystem, Ecosystem::Cargo);
        assert_eq!(lib.source, SourceKind::DefaultRegistry);
        assert_eq!(lib.supplier.as_deref(), Some("Jane Doe"));
        assert_eq!(lib.concluded, vec!["NONE"]);
        assert_eq!(inv.roots, vec![PkgIdx(0)]);
        assert_eq!(inv.edges.len(), 1);
        assert_eq!(inv.edges[0].kind, EdgeKind::Runtime);
        let x = &inv.license_refs["LicenseRef-x"];
        assert_eq!(x.text, "Do what\nyou want");
        assert_eq!(x.name.as_deref(), Some("X licence"));
        let meta = &inv.inputs[0].meta;
        assert_eq!(meta.tools, vec!["gen-1"]);
        assert_eq!(meta.authors, vec!["Acme"]);
        assert_eq!(meta.timestamp.as_deref(), Some("2024-01-01T00:00:00Z"));
        // One relationship touched a file, one named an undefined element.
        assert_eq!(inv.notices.len(), 2, "{:?}", inv.notices);
    }

    #[test]
    fn tag_value_errors_have_positions() {
        let e = |s: &str| {
            parse_tag_value(Path::new("a.spdx"), s.as_bytes())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            e("SPDXVersion: SPDX-2.3\nnot a tag line\n"),
            "a.spdx:2:1: expected `Tag: value` (a tag, a colon and a value)"
        );
        assert_eq!(
            e("SPDXVersion: SPDX-2.3\nPackageDescription: <text>open\nforever\n"),
            "a.spdx:2:21: `<text>` is not closed by `</text>`"
        );
        assert_eq!(
            e("Relationship: A BOGUS B\n"),
            "a.spdx:1:17: unknown relationship type `BOGUS`"
        );
        assert_eq!(
            e("PackageName: a\nSPDXID: SPDXRef-a\nPackageName: b\nSPDXID: SPDXRef-a\n"),
            "a.spdx:4:9: duplicate `SPDXID` `SPDXRef-a`"
        );
    }

    #[test]
    fn multibyte_tags_do_not_split_characters() {
        // Found by fuzzing: the value column was computed by slicing the untrimmed line
        // at the trimmed tag's length, inside a character after leading blanks.
        let text = b"SPDXVersion: SPDX-2.3\n  \xe6\xa0\x80: x\n";
        assert!(parse_tag_value(Path::new("a.spdx"), text).is_ok());
        let e = parse_tag_value(
            Path::new("a.spdx"),
            "  \u{6800}\u{6800}: x\nRelationship:  é BOGUS b\n".as_bytes(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.spdx:2:18: unknown relationship type `BOGUS`"
        );
    }

    #[test]
    fn cr_only_and_mixed_line_ends_are_lines() {
        let cr = TV.replace('\n', "\r");
        let crlf = TV.replace('\n', "\r\n");
        for text in [cr, crlf] {
            let inv = parse_tag_value(Path::new("a.spdx"), text.as_bytes()).unwrap();
            assert_eq!(inv.packages.len(), 2);
            assert_eq!(inv.license_refs["LicenseRef-x"].text, "Do what\nyou want");
        }
        let e =
            parse_tag_value(Path::new("a.spdx"), b"SPDXVersion: SPDX-2.3\rbroken\r").unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.spdx:2:1: expected `Tag: value` (a tag, a colon and a value)"
        );
    }

    #[test]
    fn a_package_without_spdxid_is_located() {
        let e = parse_tag_value(
            Path::new("a.spdx"),
            b"SPDXVersion: SPDX-2.3\n\nPackageName: a\nPackageVersion: 1\n",
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "a.spdx:3:1: package `a` has no `SPDXID`");
    }

    #[test]
    fn utf16_decodes_like_utf8() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in TV.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        for bytes in [le, be] {
            let inv = parse_tag_value(Path::new("a.spdx"), &bytes).unwrap();
            assert_eq!(inv.packages.len(), 2);
            assert_eq!(inv.license_refs["LicenseRef-x"].text, "Do what\nyou want");
        }
        let odd = [0xFF, 0xFE, 0x41];
        assert!(parse_tag_value(Path::new("a.spdx"), &odd).is_err());
    }

    #[test]
    fn json_relationship_kinds_and_describes() {
        let doc = r#"{"SPDXID": "SPDXRef-DOCUMENT", "spdxVersion": "SPDX-2.2",
          "documentDescribes": ["SPDXRef-a"],
          "packages": [
            {"SPDXID": "SPDXRef-a", "name": "a", "downloadLocation": "NOASSERTION"},
            {"SPDXID": "SPDXRef-b", "name": "b", "downloadLocation": "NONE"},
            {"SPDXID": "SPDXRef-c", "name": "c", "downloadLocation": "NONE"},
            {"SPDXID": "SPDXRef-d", "name": "d", "downloadLocation": "NONE"},
            {"SPDXID": "SPDXRef-e", "name": "e", "downloadLocation": "NONE"}],
          "relationships": [
            {"spdxElementId": "SPDXRef-b", "relationshipType": "DEV_DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-a"},
            {"spdxElementId": "SPDXRef-c", "relationshipType": "BUILD_DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-a"},
            {"spdxElementId": "SPDXRef-d", "relationshipType": "OPTIONAL_DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-a"},
            {"spdxElementId": "SPDXRef-e", "relationshipType": "CONTAINED_BY", "relatedSpdxElement": "SPDXRef-a"},
            {"spdxElementId": "SPDXRef-e", "relationshipType": "GENERATED_FROM", "relatedSpdxElement": "SPDXRef-a"}]}"#;
        let inv = parse_json(Path::new("a.json"), doc.as_bytes()).unwrap();
        let edges: Vec<_> = inv
            .edges
            .iter()
            .map(|e| (e.from.0, e.to.0, e.kind))
            .collect();
        assert_eq!(
            edges,
            vec![
                (0, 1, EdgeKind::Dev),
                (0, 2, EdgeKind::Build),
                (0, 3, EdgeKind::Optional),
                (0, 4, EdgeKind::Runtime),
            ]
        );
        assert_eq!(inv.roots, vec![PkgIdx(0)]);
        let bad = doc.replace("GENERATED_FROM", "DESCRIBE");
        let e = parse_json(Path::new("a.json"), bad.as_bytes()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("a.json:14:73: unknown relationship type `DESCRIBE`"),
            "{e}"
        );
    }

    #[test]
    fn json_duplicate_spdxid_is_located() {
        let doc = r#"{"SPDXID": "SPDXRef-DOCUMENT", "spdxVersion": "SPDX-2.3",
          "packages": [
            {"SPDXID": "SPDXRef-a", "name": "a", "downloadLocation": "NONE"},
            {"SPDXID": "SPDXRef-a", "name": "b", "downloadLocation": "NONE"}]}"#;
        let e = parse_json(Path::new("a.json"), doc.as_bytes()).unwrap_err();
        assert_eq!(e.to_string(), "a.json:4:24: duplicate `SPDXID` `SPDXRef-a`");
    }

    #[test]
    fn entity_names() {
        assert_eq!(
            entity_name("Organization: Acme (a@b)").as_deref(),
            Some("Acme")
        );
        assert_eq!(
            entity_name("Person: Jane Doe ()").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(entity_name("NOASSERTION"), None);
    }
}
