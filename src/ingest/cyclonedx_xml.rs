//! CycloneDX XML ingest (namespaces `http://cyclonedx.org/schema/bom/1.0` to `1.7`).
//!
//! The document is parsed by `roxmltree` with DTDs refused (so no entity is ever
//! expanded beyond the five predefined ones) and a node limit, then read in two flat
//! passes over its elements, neither of them recursive:
//! 1. validation of every element in the CycloneDX namespace whose shape sovra can
//!    check cheaply (the same checks as the JSON reader: required members, enumerations,
//!    hashes, serial number, timestamps, `bom-ref`s, licence choices), each error at
//!    the offending element or attribute; elements of other namespaces (extensions,
//!    signatures) are left alone;
//! 2. the mapping, through the same [`Builder`] and [`Fields`] as the JSON reader, so
//!    the XML and JSON forms of one BOM give one inventory.

use std::path::Path;

use roxmltree::{Document, Node, ParsingOptions};

use super::cyclonedx::{
    Acknowledgement, Builder, COMPONENT_TYPES, ComponentScope, ENCODINGS, FLOWS, Fields,
    ISSUE_TYPES, PATCH_TYPES, check_enum, check_hash, contact, is_serial_number, words,
};
use crate::error::{Error, Problem, Result};
use crate::model::{DocumentMeta, InputFormat, Inventory, PkgIdx};

/// Most nodes (elements, attributes' owners, text) one document may hold: far above
/// what a 100,000-component BOM needs, far below what exhausts memory.
pub(super) const NODES_LIMIT: u32 = 40_000_000;

/// Deepest element nesting accepted. The XML parser descends recursively, so the depth
/// is checked by a flat scan before it runs; real BOMs nest a few dozen levels.
pub(super) const MAX_DEPTH: usize = 256;

const NAMESPACE: &str = "http://cyclonedx.org/schema/bom/";
const VERSIONS: [&str; 8] = ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"];

/// Parses a CycloneDX XML document.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<Inventory> {
    parse_limited(path, bytes, NODES_LIMIT)
}

fn parse_limited(path: &Path, bytes: &[u8], nodes_limit: u32) -> Result<Inventory> {
    let (text, doc) = bounded_document(path, bytes, nodes_limit)?;
    let at = |offset: usize, msg: String| {
        Error::Invalid(vec![Problem::at_offset(path, text, offset, msg)])
    };
    let root = doc.root_element();
    let ns = root.tag_name().namespace().unwrap_or("");
    let version = ns
        .strip_prefix(NAMESPACE)
        .filter(|v| VERSIONS.contains(v))
        .filter(|_| root.tag_name().name() == "bom");
    let Some(version) = version else {
        return Err(at(
            root.range().start,
            format!(
                "not a CycloneDX BOM: root element `{}` in namespace `{ns}`, expected `bom` \
                 in `{NAMESPACE}1.0` to `{NAMESPACE}1.7`",
                root.tag_name().name()
            ),
        ));
    };
    validate(root, ns).map_err(|(offset, msg)| at(offset, msg))?;
    build(path, version, root, ns).map_err(|(offset, msg)| at(offset, msg))
}

/// The bounded XML entry of every XML reader (CycloneDX, Maven): UTF-8 checked and
/// located, a byte-order mark dropped, nesting deeper than [`MAX_DEPTH`] refused before
/// parsing, no DTD (no entity expansion), at most `nodes_limit` nodes. Returns the text
/// (for positions) and the document.
pub(super) fn bounded_document<'a>(
    path: &Path,
    bytes: &'a [u8],
    nodes_limit: u32,
) -> Result<(&'a str, Document<'a>)> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
        Error::Invalid(vec![Problem::at_offset(
            path,
            &valid,
            valid.len(),
            "invalid UTF-8",
        )])
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(offset) = too_deep(text) {
        return Err(Error::Invalid(vec![Problem::at_offset(
            path,
            text,
            offset,
            format!("elements nest deeper than {MAX_DEPTH} levels"),
        )]));
    }
    let opts = ParsingOptions {
        allow_dtd: false,
        nodes_limit,
    };
    let doc = Document::parse_with_options(text, opts)
        .map_err(|e| syntax(path, text, &e, nodes_limit))?;
    Ok((text, doc))
}

/// The offset of the first element start tag nested deeper than [`MAX_DEPTH`], by a
/// flat scan of the markup (comments, CDATA, processing instructions, declarations and
/// quoted attribute values skipped). Not a validator: the parser judges the syntax.
pub(super) fn too_deep(text: &str) -> Option<usize> {
    use memchr::{memchr, memchr3, memmem};
    let b = text.as_bytes();
    // The searchers of the multi-byte ends built once, not at every comment.
    let (comment, cdata, pi) = (
        memmem::Finder::new("-->"),
        memmem::Finder::new("]]>"),
        memmem::Finder::new("?>"),
    );
    let skip_to = |from: usize, end: &memmem::Finder<'_>| {
        end.find(&b[from..])
            .map_or(b.len(), |i| from + i + end.needle().len())
    };
    let skip_past_gt = |from: usize| memchr(b'>', &b[from..]).map_or(b.len(), |i| from + i + 1);
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(lt) = memchr(b'<', &b[i..]).map(|p| i + p) {
        let rest = &b[lt..];
        if rest.starts_with(b"<!--") {
            i = skip_to(lt, &comment);
        } else if rest.starts_with(b"<![CDATA[") {
            i = skip_to(lt, &cdata);
        } else if rest.starts_with(b"<?") {
            i = skip_to(lt, &pi);
        } else if rest.starts_with(b"<!") {
            i = skip_past_gt(lt);
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            i = skip_past_gt(lt);
        } else {
            // The start tag ends at the first `>` outside quoted attribute values.
            let mut j = lt + 1;
            let end = loop {
                let Some(at) = memchr3(b'>', b'"', b'\'', &b[j..]).map(|k| j + k) else {
                    break b.len();
                };
                if b[at] == b'>' {
                    break at;
                }
                match memchr(b[at], &b[at + 1..]) {
                    Some(q) => j = at + 1 + q + 1,
                    None => break b.len(),
                }
            };
            if end < b.len() && b[end - 1] != b'/' {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(lt);
                }
            }
            i = (end + 1).min(b.len());
        }
    }
    None
}

/// A roxmltree error at its position, without the position repeated in the message.
pub(super) fn syntax(path: &Path, text: &str, e: &roxmltree::Error, nodes_limit: u32) -> Error {
    let pos = e.pos();
    let msg = e.to_string();
    let msg = match msg.rfind(" at ") {
        Some(i)
            if msg[i + 4..]
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b':') =>
        {
            msg[..i].to_owned()
        }
        _ => msg,
    };
    let msg = match e {
        roxmltree::Error::DtdDetected => {
            // roxmltree places this error at the document's start; the declaration's
            // own position is more use.
            let offset = text.find("<!DOCTYPE").unwrap_or(0);
            return Error::Invalid(vec![Problem::at_offset(
                path,
                text,
                offset,
                "a document type declaration (DTD) is not accepted in an SBOM",
            )]);
        }
        roxmltree::Error::UnclosedRootNode | roxmltree::Error::UnexpectedEndOfStream => {
            // Reported at the start; the end of the text is where something is missing.
            return Error::Invalid(vec![Problem::at_offset(path, text, text.len(), msg)]);
        }
        roxmltree::Error::NodesLimitReached => {
            format!("the document has more than {nodes_limit} XML nodes")
        }
        _ => msg,
    };
    Error::at(path, pos.row as usize, pos.col as usize, msg)
}

/// A problem: byte offset into the text and message.
type Bad = (usize, String);

fn is(n: &Node<'_, '_>, ns: &str, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(ns)
}

fn parent_is(n: &Node<'_, '_>, ns: &str, name: &str) -> bool {
    n.parent_element().is_some_and(|p| is(&p, ns, name))
}

fn child<'a, 'i>(n: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is(c, ns, name))
}

fn children<'a, 'i, 's>(
    n: Node<'a, 'i>,
    ns: &'s str,
    name: &'s str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children().filter(move |c| is(c, ns, name))
}

/// The trimmed text of the child element `name`, if any.
fn child_text<'a>(n: Node<'a, '_>, ns: &str, name: &str) -> Option<&'a str> {
    child(n, ns, name).and_then(|c| c.text()).map(str::trim)
}

/// Offset of attribute `name` of `n` (its value), else of the element.
fn attr_at(n: &Node<'_, '_>, name: &str) -> usize {
    n.attributes()
        .find(|a| a.name() == name && a.namespace().is_none())
        .map_or(n.range().start, |a| a.range_value().start)
}

fn text_at(n: &Node<'_, '_>) -> usize {
    n.first_child()
        .filter(|c| c.is_text())
        .map_or(n.range().start, |c| c.range().start)
}

fn require_attr<'a>(n: &Node<'a, '_>, name: &str, what: &str) -> Result<&'a str, Bad> {
    n.attribute(name).ok_or_else(|| {
        (
            n.range().start,
            format!("{what} needs a `{name}` attribute"),
        )
    })
}

fn check_attr(n: &Node<'_, '_>, name: &str, what: &str, allowed: &[&str]) -> Result<(), Bad> {
    match n.attribute(name) {
        Some(v) => check_enum(what, allowed, v).map_err(|m| (attr_at(n, name), m)),
        None => Ok(()),
    }
}

fn check_bom_ref(n: &Node<'_, '_>, name: &str) -> Result<(), Bad> {
    match n.attribute(name) {
        Some("") => Err((attr_at(n, name), format!("a `{name}` must not be empty"))),
        _ => Ok(()),
    }
}

/// Pass 1: the checks, over every element of the document in document order.
fn validate(root: Node<'_, '_>, ns: &str) -> Result<(), Bad> {
    if let Some(s) = root.attribute("serialNumber") {
        if !is_serial_number(s) {
            return Err((
                attr_at(&root, "serialNumber"),
                format!("invalid `serialNumber` `{s}`, expected `urn:uuid:` followed by a UUID"),
            ));
        }
    }
    if let Some(v) = root.attribute("version") {
        if v.parse::<u64>().map_or(true, |v| v == 0) {
            return Err((
                attr_at(&root, "version"),
                format!("the BOM `version` must be an integer of at least 1, not `{v}`"),
            ));
        }
    }
    for n in root.descendants() {
        if !n.is_element() || n.tag_name().namespace() != Some(ns) {
            continue;
        }
        match n.tag_name().name() {
            "component" => {
                let ty = require_attr(&n, "type", "a component")?;
                check_enum("component type", COMPONENT_TYPES, ty)
                    .map_err(|m| (attr_at(&n, "type"), m))?;
                if child(n, ns, "name").is_none() {
                    return Err((n.range().start, "a component needs a `name`".to_owned()));
                }
                check_bom_ref(&n, "bom-ref")?;
            }
            "service" => {
                if child(n, ns, "name").is_none() {
                    return Err((n.range().start, "a service needs a `name`".to_owned()));
                }
                check_bom_ref(&n, "bom-ref")?;
            }
            "scope" if parent_is(&n, ns, "component") => {
                ComponentScope::parse(n.text().unwrap_or("").trim())
                    .map_err(|m| (text_at(&n), m))?;
            }
            "hash" if parent_is(&n, ns, "hashes") => {
                let alg = require_attr(&n, "alg", "a hash")?;
                check_hash(alg, n.text().unwrap_or("").trim()).map_err(|m| (text_at(&n), m))?;
            }
            "license" if parent_is(&n, ns, "licenses") => {
                let ids = children(n, ns, "id").count();
                let names = children(n, ns, "name").count();
                if ids > 1 || names > 1 {
                    return Err((
                        n.range().start,
                        "a `license` has more than one `id` or `name`".to_owned(),
                    ));
                }
                if ids + names == 0 {
                    return Err((
                        n.range().start,
                        "a `license` needs an `id` or a `name`".to_owned(),
                    ));
                }
                if let Some(a) = n.attribute("acknowledgement") {
                    Acknowledgement::parse(a).map_err(|m| (attr_at(&n, "acknowledgement"), m))?;
                }
            }
            "expression" | "expression-detailed" if parent_is(&n, ns, "licenses") => {
                if let Some(a) = n.attribute("acknowledgement") {
                    Acknowledgement::parse(a).map_err(|m| (attr_at(&n, "acknowledgement"), m))?;
                }
            }
            "text" if parent_is(&n, ns, "license") => {
                check_attr(&n, "encoding", "encoding", ENCODINGS)?;
            }
            "swid" => {
                require_attr(&n, "tagId", "a `swid`")?;
                require_attr(&n, "name", "a `swid`")?;
            }
            "patch" => {
                let ty = require_attr(&n, "type", "a patch")?;
                check_enum("patch type", PATCH_TYPES, ty).map_err(|m| (attr_at(&n, "type"), m))?;
            }
            "issue" => {
                let ty = require_attr(&n, "type", "an issue")?;
                check_enum("issue type", ISSUE_TYPES, ty).map_err(|m| (attr_at(&n, "type"), m))?;
            }
            "property" => {
                require_attr(&n, "name", "a property")?;
            }
            "classification" if parent_is(&n, ns, "data") => {
                check_attr(&n, "flow", "data flow", FLOWS)?;
            }
            "dependency" => {
                require_attr(&n, "ref", "a dependency")?;
                check_bom_ref(&n, "ref")?;
            }
            "timestamp" if parent_is(&n, ns, "metadata") => {
                let t = n.text().unwrap_or("").trim();
                if t.parse::<jiff::Timestamp>().is_err() {
                    return Err((
                        text_at(&n),
                        format!("invalid `timestamp` `{t}`, expected an RFC 3339 date-time"),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Pass 2: the mapping onto the inventory.
fn build(path: &Path, version: &str, root: Node<'_, '_>, ns: &str) -> Result<Inventory, Bad> {
    let metadata = child(root, ns, "metadata");
    let dependencies = child(root, ns, "dependencies");
    let doc = DocumentMeta {
        spec_version: Some(version.to_owned()),
        timestamp: metadata
            .and_then(|m| child_text(m, ns, "timestamp"))
            .map(str::to_owned),
        authors: metadata
            .and_then(|m| child(m, ns, "authors"))
            .map(|a| {
                children(a, ns, "author")
                    .filter_map(|a| contact(non_empty(a, ns, "name"), non_empty(a, ns, "email")))
                    .collect()
            })
            .unwrap_or_default(),
        tools: metadata
            .and_then(|m| child(m, ns, "tools"))
            .map(|t| tools(t, ns))
            .unwrap_or_default(),
        has_dependencies: dependencies.is_some_and(|d| children(d, ns, "dependency").count() > 0),
        vulnerabilities: child(root, ns, "vulnerabilities")
            .is_some_and(|v| children(v, ns, "vulnerability").count() > 0),
    };
    let top: Vec<Node<'_, '_>> = child(root, ns, "components")
        .map(|c| children(c, ns, "component").collect())
        .unwrap_or_default();
    let mut b = Builder::new(path, InputFormat::CycloneDxXml, doc, top.len());
    if let Some(subject) = metadata.and_then(|m| child(m, ns, "component")) {
        let idx = components(&mut b, &[subject], ns)?;
        if let Some(idx) = idx {
            b.add_root(idx);
        }
    }
    components(&mut b, &top, ns)?;
    if let Some(services) = child(root, ns, "services") {
        for s in services.descendants().filter(|s| is(s, ns, "service")) {
            if parent_is(&s, ns, "services") {
                b.service(s.attribute("bom-ref"))
                    .map_err(|r| duplicate(&s, r))?;
            }
        }
    }
    for dep in dependencies
        .into_iter()
        .flat_map(|d| children(d, ns, "dependency"))
    {
        if let Some(from) = dep.attribute("ref") {
            let to = children(dep, ns, "dependency").filter_map(|d| d.attribute("ref"));
            b.depends(from, to);
        }
    }
    Ok(b.finish())
}

fn duplicate(n: &Node<'_, '_>, r: &str) -> Bad {
    (attr_at(n, "bom-ref"), format!("duplicate `bom-ref` `{r}`"))
}

/// Adds `list` and everything nested in it, in document order (pre-order, as the JSON
/// reader), with an explicit stack; returns the first one's package.
fn components<'a>(
    b: &mut Builder<'a>,
    list: &[Node<'a, '_>],
    ns: &str,
) -> Result<Option<PkgIdx>, Bad> {
    let mut first = None;
    let mut stack: Vec<(Node<'a, '_>, Option<PkgIdx>)> =
        list.iter().rev().map(|&n| (n, None)).collect();
    while let Some((n, parent)) = stack.pop() {
        let idx = b
            .component(&fields(n, ns), parent)
            .map_err(|r| duplicate(&n, r))?;
        first.get_or_insert(idx);
        if let Some(nested) = child(n, ns, "components") {
            let kids: Vec<_> = children(nested, ns, "component").collect();
            stack.extend(kids.into_iter().rev().map(|k| (k, Some(idx))));
        }
    }
    Ok(first)
}

fn non_empty<'a>(n: Node<'a, '_>, ns: &str, name: &str) -> Option<&'a str> {
    child_text(n, ns, name).filter(|s| !s.is_empty())
}

fn fields<'a>(n: Node<'a, '_>, ns: &str) -> Fields<'a> {
    let mut licenses = Vec::new();
    let mut license_texts = Vec::new();
    if let Some(ls) = child(n, ns, "licenses") {
        for l in ls.children().filter(|c| c.is_element()) {
            let concluded = l.attribute("acknowledgement") == Some("concluded");
            if is(&l, ns, "license") {
                if let Some(s) = child_text(l, ns, "id").or_else(|| child_text(l, ns, "name")) {
                    licenses.push((s, concluded));
                }
                if let (None, Some(name), Some(text)) = (
                    child(l, ns, "id"),
                    child_text(l, ns, "name"),
                    child(l, ns, "text"),
                ) {
                    let base64 = text.attribute("encoding") == Some("base64");
                    license_texts.push((name, text.text().unwrap_or(""), base64));
                }
            } else if is(&l, ns, "expression") {
                licenses.push((l.text().unwrap_or("").trim(), concluded));
            } else if is(&l, ns, "expression-detailed") {
                // 1.7: the expression as an attribute, per-licence texts inside.
                if let Some(e) = l.attribute("expression") {
                    licenses.push((e.trim(), concluded));
                }
            }
        }
    }
    let authors = child(n, ns, "authors")
        .map(|a| {
            children(a, ns, "author")
                .map(|a| (child_text(a, ns, "name"), child_text(a, ns, "email")))
                .collect()
        })
        .unwrap_or_default();
    let external_references = child(n, ns, "externalReferences")
        .map(|r| {
            children(r, ns, "reference")
                .map(|r| {
                    (
                        r.attribute("type").unwrap_or(""),
                        child_text(r, ns, "url").unwrap_or(""),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Fields {
        bom_ref: n.attribute("bom-ref"),
        scope: child_text(n, ns, "scope").and_then(|s| ComponentScope::parse(s).ok()),
        name: child_text(n, ns, "name").unwrap_or(""),
        group: child_text(n, ns, "group"),
        version: child_text(n, ns, "version"),
        description: child_text(n, ns, "description"),
        purl: child_text(n, ns, "purl"),
        supplier: child(n, ns, "supplier").and_then(|s| child_text(s, ns, "name")),
        publisher: child_text(n, ns, "publisher"),
        author: child_text(n, ns, "author"),
        authors,
        licenses,
        license_texts,
        external_references,
        hashes: child(n, ns, "hashes")
            .map(|h| {
                children(h, ns, "hash")
                    .filter_map(|h| h.attribute("alg"))
                    .collect()
            })
            .unwrap_or_default(),
        cpe: child_text(n, ns, "cpe"),
    }
}

/// `metadata/tools`: the 1.0–1.4 `tool` list or the 1.5+ `components` and `services`,
/// as display strings (as the JSON reader).
fn tools(t: Node<'_, '_>, ns: &str) -> Vec<String> {
    let mut out: Vec<String> = children(t, ns, "tool")
        .filter_map(|t| {
            words(&[
                child_text(t, ns, "vendor"),
                child_text(t, ns, "name"),
                child_text(t, ns, "version"),
            ])
        })
        .collect();
    if let Some(c) = child(t, ns, "components") {
        out.extend(children(c, ns, "component").filter_map(|c| {
            words(&[
                child_text(c, ns, "group"),
                child_text(c, ns, "name"),
                child_text(c, ns, "version"),
            ])
        }));
    }
    if let Some(s) = child(t, ns, "services") {
        out.extend(
            children(s, ns, "service")
                .filter_map(|s| child_text(s, ns, "name"))
                .map(str::to_owned),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EdgeKind;

    fn parse_str(s: &str) -> Result<Inventory> {
        parse(Path::new("bom.xml"), s.as_bytes())
    }

    fn err(s: &str) -> String {
        match parse_str(s) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    const HEAD: &str = r#"<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">"#;

    #[test]
    fn maps_components_dependencies_and_licences() {
        let doc = format!(
            r#"{HEAD}
  <metadata>
    <timestamp>2024-01-02T03:04:05Z</timestamp>
    <tools><tool><vendor>Acme</vendor><name>scan</name><version>1</version></tool></tools>
    <authors><author><name>Ada</name><email>ada@example.org</email></author></authors>
    <component type="application" bom-ref="app"><name>app</name><version>1.0</version></component>
  </metadata>
  <components>
    <component type="library" bom-ref="a">
      <supplier><name>A Corp</name></supplier>
      <publisher>ignored</publisher>
      <name>a</name><version>1</version>
      <licenses><license><id>MIT</id></license><license><name>Custom</name></license></licenses>
      <purl>pkg:npm/a@1</purl>
      <externalReferences>
        <reference type="vcs"><url>https://git.example/a</url></reference>
        <reference type="website"><url>https://a.example</url></reference>
      </externalReferences>
      <components><component type="library"><name>inner</name><scope>optional</scope></component></components>
    </component>
    <component type="library" bom-ref="t">
      <name>t</name><scope>excluded</scope>
      <licenses><expression acknowledgement="concluded">MIT OR Apache-2.0</expression></licenses>
    </component>
  </components>
  <dependencies>
    <dependency ref="app"><dependency ref="a"/><dependency ref="t"/><dependency ref="nowhere"/></dependency>
  </dependencies>
</bom>"#
        );
        let inv = parse_str(&doc).unwrap();
        assert_eq!(inv.packages.len(), 4);
        assert_eq!(inv.roots, vec![PkgIdx(0)]);
        let a = &inv.packages[1];
        assert_eq!(a.id.0, "pkg:npm/a@1");
        assert_eq!(a.declared, vec!["MIT", "Custom"]);
        assert_eq!(a.supplier.as_deref(), Some("A Corp"));
        assert_eq!(a.repository.as_deref(), Some("https://git.example/a"));
        assert_eq!(a.homepage.as_deref(), Some("https://a.example"));
        assert_eq!(inv.packages[2].id.0, "generic:inner");
        assert_eq!(inv.packages[3].concluded, vec!["MIT OR Apache-2.0"]);
        let edges: Vec<_> = inv
            .edges
            .iter()
            .map(|e| (e.from.0, e.to.0, e.kind))
            .collect();
        assert_eq!(
            edges,
            vec![
                (0, 1, EdgeKind::Runtime),
                (0, 3, EdgeKind::Dev),
                (1, 2, EdgeKind::Optional)
            ]
        );
        assert_eq!(inv.notices.len(), 1);
        let meta = &inv.inputs[0].meta;
        assert_eq!(inv.inputs[0].format, InputFormat::CycloneDxXml);
        assert_eq!(meta.spec_version.as_deref(), Some("1.6"));
        assert_eq!(meta.timestamp.as_deref(), Some("2024-01-02T03:04:05Z"));
        assert_eq!(meta.authors, vec!["Ada <ada@example.org>"]);
        assert_eq!(meta.tools, vec!["Acme scan 1"]);
        assert!(meta.has_dependencies);
    }

    /// What BSI TR-03183-2 v2.1.0 asks of a component, and the vulnerabilities it keeps
    /// out of an SBOM, are read as the JSON reader reads them.
    #[test]
    fn hashes_cpe_distribution_and_vulnerabilities() {
        let doc = format!(
            r#"{HEAD}
  <components>
    <component type="library"><name>a</name>
      <hashes><hash alg="SHA-512">%H%</hash></hashes>
      <cpe>cpe:2.3:a:acme:a:1:*:*:*:*:*:*:*</cpe>
      <externalReferences>
        <reference type="distribution"><url>https://dl.example/a-1.tgz</url></reference>
        <reference type="source-distribution"><url>https://dl.example/a-1-src.tgz</url></reference>
      </externalReferences>
    </component>
  </components>
  <vulnerabilities><vulnerability><id>CVE-2024-0001</id></vulnerability></vulnerabilities>
</bom>"#
        )
        .replace("%H%", &"ab".repeat(64));
        let inv = parse_str(&doc).unwrap();
        let a = &inv.packages[0];
        assert_eq!(a.hash_algorithms, ["SHA-512"]);
        assert_eq!(a.cpe.as_deref(), Some("cpe:2.3:a:acme:a:1:*:*:*:*:*:*:*"));
        assert_eq!(
            a.distribution.as_deref(),
            Some("https://dl.example/a-1.tgz")
        );
        assert_eq!(
            a.repository.as_deref(),
            Some("https://dl.example/a-1-src.tgz")
        );
        assert!(inv.inputs[0].meta.vulnerabilities);
    }

    #[test]
    fn errors_carry_positions() {
        let e = err(&format!(
            "{HEAD}\n<components>\n<component type=\"foo\"><name>x</name></component></components></bom>"
        ));
        assert!(
            e.starts_with("bom.xml:4:18: unknown component type `foo`"),
            "{e}"
        );
        let e = err(&format!(
            "{HEAD}\n<components>\n<component type=\"library\" bom-ref=\"a\"><name>x</name></component>\n<component type=\"library\" bom-ref=\"a\"><name>y</name></component></components></bom>"
        ));
        assert_eq!(e, "bom.xml:5:36: duplicate `bom-ref` `a`");
        let e = err("<bom xmlns=\"http://cyclonedx.org/schema/bom/9.9\"/>");
        assert!(e.starts_with("bom.xml:1:1: not a CycloneDX BOM"), "{e}");
        let e = err(&format!("{HEAD}\n<components>\n<component"));
        assert!(e.starts_with("bom.xml:4:"), "{e}");
    }

    #[test]
    fn entities_and_size_are_bounded() {
        // A DTD (the vehicle of entity expansion) is refused at its position.
        let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE bom [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components><component type=\"library\"><name>&b;</name></component></components></bom>";
        let e = err(laughs);
        assert!(e.starts_with("bom.xml:2:"), "{e}");
        assert!(e.contains("DTD"), "{e}");
        // The node limit holds.
        let doc = format!(
            "{HEAD}<components>{}</components></bom>",
            "<component type=\"library\"><name>x</name></component>".repeat(20)
        );
        assert!(parse_limited(Path::new("bom.xml"), doc.as_bytes(), 1_000).is_ok());
        let e = parse_limited(Path::new("bom.xml"), doc.as_bytes(), 30).unwrap_err();
        assert!(e.to_string().contains("more than"), "{e}");
        // Nesting is walked without recursion, and bounded before the parser runs.
        let nested = |levels: usize| {
            let mut deep = format!("{HEAD}<components>");
            for i in 0..levels {
                deep.push_str(&format!(
                    "<component type=\"library\"><name>x{i}</name><components>"
                ));
            }
            deep.push_str(&"</components></component>".repeat(levels));
            deep.push_str("</components></bom>");
            deep
        };
        let inv = parse_str(&nested(120)).unwrap();
        assert_eq!(inv.edges.len(), 119);
        let e = err(&nested(5_000));
        assert!(e.contains("nest deeper than 256"), "{e}");
        assert!(e.starts_with("bom.xml:2:"), "{e}");
        // Quoted `>` and `/>`, comments and CDATA do not confuse the scan.
        let odd = format!(
            "{HEAD}<!-- <a><b> --><components><component type=\"library\" bom-ref=\"a/>b\"><name><![CDATA[<x>]]></name></component></components></bom>"
        );
        assert_eq!(too_deep(&odd), None);
        assert_eq!(parse_str(&odd).unwrap().packages[0].name, "<x>");
    }
}
