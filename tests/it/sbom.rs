//! SBOM ingest over real documents: the CycloneDX specification's own test documents,
//! the example SBOMs of real projects, and the SPDX tools' and examples' documents.

#![allow(clippy::unwrap_used, clippy::print_stderr)] // test helpers outside `#[test]` fns

use std::fs;
use std::path::Path;

use sovra::Error;
use sovra::assess::parse_as;
use sovra::model::{InputFormat, Inventory};

use crate::support::corpus;

fn cdx(path: &Path) -> Result<Inventory, Error> {
    let bytes = fs::read(path).unwrap();
    parse_as(InputFormat::CycloneDxJson, path, &bytes)
}

/// Every `valid-*` and `invalid-*` document of the CycloneDX specification, 1.2 to 1.7.
#[test]
fn cyclonedx_spec_conformance() {
    let Some(dir) = corpus("cyclonedx/spec-testdata") else {
        eprintln!("note: corpus absent, skipping");
        return;
    };
    let mut valid_ok = 0;
    let mut invalid_err = 0;
    let mut valid_failed = Vec::new();
    let mut invalid_accepted = Vec::new();
    for version in ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"] {
        let mut files: Vec<_> = fs::read_dir(dir.join(version))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let id = format!("{version}/{name}");
            let result = cdx(&f);
            if name.starts_with("valid-") {
                match result {
                    Ok(_) => valid_ok += 1,
                    Err(e) => valid_failed.push(format!("{id}: {e}")),
                }
            } else if name.contains("invalid-") {
                match result {
                    Ok(_) => invalid_accepted.push(id),
                    Err(Error::Invalid(p)) => {
                        assert!(p[0].line >= 1 && p[0].column >= 1);
                        invalid_err += 1;
                    }
                    Err(e) => panic!("{id}: error without a position: {e}"),
                }
            }
        }
    }
    eprintln!(
        "valid parsed: {valid_ok}, valid failed: {}, invalid rejected with position: {invalid_err}, invalid accepted: {}",
        valid_failed.len(),
        invalid_accepted.len()
    );
    // Every valid document parses: no known gaps.
    assert_eq!(valid_failed, Vec::<String>::new());
    assert_eq!(valid_ok, 218);
    assert_eq!(invalid_err, 124);
    // Deliberate differences: a licence id that is not on the SPDX list is data (a
    // licence finding later), not a broken document; a 1.6 `licenses` array mixing
    // declared entries with a concluded expression keeps every statement, because real
    // tools write such lists and the statements are usable. Known gaps, 1.7 only (beyond
    // the supported 1.2–1.6): citations, version ranges and distribution constraints
    // are not validated.
    let expected = [
        "1.2/invalid-license-id-1.2.json",
        "1.3/invalid-license-id-1.3.json",
        "1.3/invalid-metadata-license-1.3.json",
        "1.4/invalid-license-id-1.4.json",
        "1.4/invalid-metadata-license-1.4.json",
        "1.5/invalid-license-id-1.5.json",
        "1.5/invalid-metadata-license-1.5.json",
        "1.6/invalid-license-declared-concluded-mix-1.6.json",
        "1.6/invalid-license-id-1.6.json",
        "1.6/invalid-metadata-license-1.6.json",
        "1.7/invalid-citations-1.7.json",
        "1.7/invalid-component-external-version-and-range.json",
        "1.7/invalid-component-versionRange-non-external-explicit.json",
        "1.7/invalid-component-versionRange-non-external-implicit.json",
        "1.7/invalid-license-id-1.7.json",
        "1.7/invalid-metadata-distribution-1.7.json",
        "1.7/invalid-metadata-license-1.7.json",
    ];
    assert_eq!(invalid_accepted, expected);
}

/// Expected counts for a real document: (file, packages, edges, roots, notices, licence
/// refs).
type Row = (&'static str, usize, usize, usize, usize, usize);

fn check(format: InputFormat, dir: &str, rows: &[Row]) {
    for &(file, packages, edges, roots, notices, license_refs) in rows {
        let rel = format!("{dir}/{file}");
        let Some(path) = corpus(&rel) else {
            eprintln!("note: corpus absent, skipping {rel}");
            continue;
        };
        let bytes = fs::read(&path).unwrap();
        let inv = parse_as(format, &path, &bytes).unwrap_or_else(|err| panic!("{err}"));
        let got = (
            inv.packages.len(),
            inv.edges.len(),
            inv.roots.len(),
            inv.notices.len(),
            inv.license_refs.len(),
        );
        assert_eq!(
            got,
            (packages, edges, roots, notices, license_refs),
            "{rel}: (packages, edges, roots, notices, licence refs)"
        );
    }
}

/// Counts verified independently with a short Python script over the JSON: components
/// walked recursively (metadata.component included), distinct by purl (else by group,
/// name, version and bom-ref); edges are distinct (from, to) pairs of `dependencies`
/// plus parent → nested child.
#[test]
fn cyclonedx_examples() {
    // (file, packages, edges, roots, notices, licence refs)
    let rows: &[Row] = &[
        ("cdxgen-bom-deps.json", 59, 106, 1, 0, 0),
        ("cdxgen-bom-gradle-deps.json", 29, 28, 1, 0, 0),
        ("cdxgen-bom-java.json", 89, 154, 1, 0, 0),
        ("cdxgen-bom-maventree.json", 27, 26, 1, 0, 0),
        ("cdxgen-jt-sbom.json", 153, 215, 1, 0, 0),
        ("cern-lhc-vdm-editor-e564943/bom.json", 44, 0, 1, 0, 0),
        ("dropwizard-1.3.15/bom.json", 168, 170, 1, 0, 0),
        ("juice-shop-flat/bom.1.4.json", 979, 1660, 1, 0, 0),
        ("laravel-7.12.0/bom.1.2.json", 63, 113, 1, 0, 0),
        ("laravel-7.12.0/bom.1.3.json", 63, 113, 1, 0, 0),
        ("laravel-7.12.0/bom.1.4.json", 63, 113, 1, 0, 0),
        (
            "proton-bridge/proton-bridge-v1.6.3.bom.json",
            202,
            232,
            1,
            0,
            0,
        ),
        (
            "proton-bridge/proton-bridge-v1.8.0.bom.json",
            202,
            232,
            1,
            0,
            0,
        ),
    ];
    check(InputFormat::CycloneDxJson, "cyclonedx/examples", rows);
}

/// Counts verified independently with a short Python script (JSON via `json`, tag-value
/// by splitting `Tag: value` lines after removing `<text>` blocks): packages, distinct
/// dependency edges between packages with the relationship mapping of `spdx.rs`, roots
/// from `documentDescribes` and `DESCRIBES`, and `LicenseRef-*` definitions. Notices:
/// one when the document has files or snippets, one for relationships to undefined
/// elements.
#[test]
fn spdx_documents() {
    // (file, packages, edges, roots, notices, licence refs)
    let json: &[Row] = &[
        ("tools-python/SPDXJSONExample-v2.2.spdx.json", 4, 1, 1, 1, 5),
        ("tools-python/SPDXJSONExample-v2.3.spdx.json", 4, 1, 1, 1, 5),
        (
            "tools-python/SPDXJSONExample-UTF-16.spdx.json",
            4,
            1,
            1,
            1,
            5,
        ),
        ("tools-python/ControlCharacters.spdx.json", 2, 0, 1, 0, 1),
        (
            "tools-python/circleConversionTestInitialDocument.json",
            4,
            1,
            1,
            1,
            5,
        ),
        (
            "examples/example7/spdx2.2/example7-bin.spdx.json",
            1,
            0,
            1,
            0,
            0,
        ),
        (
            "examples/example7/spdx2.2/example7-go-module.spdx.json",
            1,
            0,
            1,
            0,
            0,
        ),
        (
            "examples/example7/spdx2.2/example7-golang.spdx.json",
            2,
            0,
            1,
            0,
            1,
        ),
        (
            "examples/example7/spdx2.2/example7-third-party-modules.spdx.json",
            3,
            0,
            3,
            0,
            0,
        ),
        (
            "examples/example8/spdx2.3/examplemaven-0.0.1.spdx.json",
            6,
            5,
            1,
            1,
            0,
        ),
        (
            "examples/example9/spdx2.2/appbomination.spdx.json",
            7,
            4,
            1,
            1,
            1,
        ),
        (
            "examples/example10/spdx2.3/hello-source.spdx.json",
            1,
            0,
            1,
            1,
            0,
        ),
        ("examples/example11/spdx2.3/sbom.spdx.json", 4, 3, 1, 1, 0),
        (
            "examples/example12/spdx2.2/hello-dist.spdx.json",
            1,
            0,
            1,
            1,
            0,
        ),
        (
            "examples/example12/spdx2.2/hello-src.spdx.json",
            1,
            0,
            1,
            1,
            0,
        ),
        (
            "examples/example14/spdx2.3/examplemaven-0.0.1-enriched.spdx.json",
            6,
            5,
            1,
            1,
            0,
        ),
        (
            "examples/example14/content/examplemaven-0.0.1.spdx.json",
            6,
            5,
            1,
            1,
            0,
        ),
    ];
    let tag_value: &[Row] = &[
        ("tools-python/SPDXTagExample-v2.2.spdx", 4, 1, 1, 1, 5),
        ("tools-python/SPDXTagExample-v2.3.spdx", 4, 1, 1, 1, 5),
        ("tools-python/SPDXTagExample-UTF-16.spdx", 4, 1, 1, 1, 5),
        ("tools-python/SPDXLite.spdx", 1, 0, 0, 0, 1),
        ("examples/example1/spdx2.2/example1.spdx", 1, 0, 1, 1, 0),
        ("examples/example2/spdx2.2/example2-bin.spdx", 1, 0, 1, 1, 0),
        ("examples/example2/spdx2.2/example2-src.spdx", 1, 0, 1, 1, 0),
        ("examples/example3/spdx2.2/example3-bin.spdx", 1, 0, 1, 1, 0),
        ("examples/example3/spdx2.2/example3-src.spdx", 1, 0, 1, 1, 0),
        ("examples/example4/spdx2.2/example4-bin.spdx", 3, 0, 1, 1, 0),
        ("examples/example4/spdx2.2/example4-src.spdx", 1, 0, 1, 1, 0),
        ("examples/example5/spdx2.2/example5-bin.spdx", 1, 0, 1, 1, 0),
        ("examples/example5/spdx2.2/example5-src.spdx", 1, 0, 1, 1, 0),
        ("examples/example6/spdx2.2/example6-bin.spdx", 1, 0, 1, 1, 1),
        ("examples/example6/spdx2.2/example6-lib.spdx", 5, 4, 1, 0, 1),
        ("examples/example6/spdx2.2/example6-src.spdx", 1, 0, 1, 1, 0),
    ];
    check(InputFormat::SpdxJson, "spdx", json);
    check(InputFormat::SpdxTagValue, "spdx", tag_value);
}

/// A comparable digest of an inventory: packages, edges, roots and licence refs.
fn digest(inv: &Inventory) -> String {
    let mut out = String::new();
    for p in &inv.packages {
        out.push_str(&format!(
            "{} {:?} {:?} {:?} {:?} {:?} {:?}\n",
            p.id, p.version, p.declared, p.concluded, p.supplier, p.source, p.description
        ));
    }
    out.push_str(&format!("{:?}\n{:?}\n", inv.edges, inv.roots));
    for (id, l) in &inv.license_refs {
        out.push_str(&format!("{id} {:?} {:?}\n", l.name, l.text));
    }
    out
}

#[test]
fn spdx_utf16_documents_read_like_their_utf8_twins() {
    for (format, utf16, utf8) in [
        (
            InputFormat::SpdxJson,
            "spdx/tools-python/SPDXJSONExample-UTF-16.spdx.json",
            "spdx/tools-python/SPDXJSONExample-v2.2.spdx.json",
        ),
        (
            InputFormat::SpdxTagValue,
            "spdx/tools-python/SPDXTagExample-UTF-16.spdx",
            "spdx/tools-python/SPDXTagExample-v2.2.spdx",
        ),
    ] {
        let (Some(a), Some(b)) = (corpus(utf16), corpus(utf8)) else {
            eprintln!("note: corpus absent, skipping");
            return;
        };
        let read = |p: &Path| parse_as(format, p, &fs::read(p).unwrap()).unwrap();
        let (a, b) = (read(&a), read(&b));
        assert!(!a.packages.is_empty());
        assert_eq!(digest(&a), digest(&b), "{utf16} differs from {utf8}");
    }
}

#[test]
fn spdx_json_and_tag_value_twins_agree() {
    let (Some(json), Some(tv)) = (
        corpus("spdx/tools-python/SPDXJSONExample-v2.3.spdx.json"),
        corpus("spdx/tools-python/SPDXTagExample-v2.3.spdx"),
    ) else {
        eprintln!("note: corpus absent, skipping");
        return;
    };
    let a = parse_as(InputFormat::SpdxJson, &json, &fs::read(&json).unwrap()).unwrap();
    let b = parse_as(InputFormat::SpdxTagValue, &tv, &fs::read(&tv).unwrap()).unwrap();
    assert_eq!(digest(&a), digest(&b));
    let glibc = &a.packages[0];
    assert_eq!(glibc.name, "glibc");
    assert_eq!(glibc.concluded, vec!["(LGPL-2.0-only OR LicenseRef-3)"]);
    assert_eq!(glibc.declared, vec!["(LGPL-2.0-only AND LicenseRef-3)"]);
    assert_eq!(glibc.supplier.as_deref(), Some("Jane Doe"));
    assert_eq!(
        a.license_refs["LicenseRef-3"].name.as_deref(),
        Some("CyberNeko License")
    );
    let meta = &a.inputs[0].meta;
    assert_eq!(meta.timestamp.as_deref(), Some("2010-01-29T18:30:22Z"));
    assert_eq!(meta.tools, vec!["LicenseFind-1.0"]);
}

#[test]
fn spdx_invalid_example_fails_with_position() {
    let Some(dir) = corpus("spdx/tools-python/invalid") else {
        eprintln!("note: corpus absent, skipping");
        return;
    };
    let path = fs::read_dir(dir).unwrap().next().unwrap().unwrap().path();
    let err = parse_as(InputFormat::SpdxJson, &path, &fs::read(&path).unwrap()).unwrap_err();
    let Error::Invalid(problems) = &err else {
        panic!("expected a positioned error, got {err}");
    };
    let p = &problems[0];
    eprintln!("{err}");
    assert!(p.line > 1 && p.column > 1, "{err}");
    assert!(p.message.contains("downloadLocation") || p.message.contains("DESCRIBE"));
}

/// `(from name, to name, kind)` of every edge in `sovra inventory --format json` output.
fn json_edges(out: &serde_json::Value) -> Vec<(String, String, String)> {
    let name = |i: &serde_json::Value| {
        let i = i.as_u64().unwrap() as usize;
        out["packages"][i]["name"].as_str().unwrap().to_owned()
    };
    let mut edges: Vec<_> = out["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                name(&e["from"]),
                name(&e["to"]),
                e["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    edges.sort();
    edges
}

#[test]
fn cli_reads_a_cyclonedx_product() {
    let out = crate::support::sovra(&[
        "inventory",
        "--format",
        "json",
        "tests/fixtures/sbom/product.cdx.json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["packages"].as_array().unwrap().len(), 5);
    let e = |a: &str, b: &str, k: &str| (a.to_owned(), b.to_owned(), k.to_owned());
    assert_eq!(
        json_edges(&json),
        vec![
            e("fachverfahren", "pdf-engine", "optional"),
            e("fachverfahren", "test-runner", "dev"),
            e("fachverfahren", "web-framework", "runtime"),
            e("web-framework", "router", "runtime"),
        ]
    );
    let notices = json["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1);
    assert!(
        notices[0]["message"]
            .as_str()
            .unwrap()
            .contains("`left-pad`")
    );

    let why = crate::support::sovra(&["why", "router", "tests/fixtures/sbom/product.cdx.json"]);
    let text = String::from_utf8_lossy(&why.stdout);
    assert!(
        text.contains("fachverfahren 2.1.0 → web-framework 4.0.0 → router 4.0.0"),
        "{text}"
    );
}

#[test]
fn cli_rejects_a_broken_sbom_with_its_position() {
    let out = crate::support::sovra(&["inventory", "tests/fixtures/sbom/broken-scope.cdx.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no half-written output");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken-scope.cdx.json:5:58: unknown scope `sometimes`"),
        "{err}"
    );
}

/// The corpus file, or `None` with a note; with `CI` set its absence fails the test.
fn corpus_required(rel: &str) -> Option<std::path::PathBuf> {
    let found = corpus(rel);
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "`shared/corpus/{rel}` is required when `CI` is set"
        );
        eprintln!("note: corpus absent, skipping {rel}");
    }
    found
}

/// Everything the model keeps of an inventory, for comparing two forms of one BOM
/// (timestamps as instants: `Z` and `+00:00` say the same).
fn full_digest(inv: &Inventory) -> String {
    let mut out = digest(inv);
    let instant = |t: &Option<String>| {
        t.as_deref()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .map(|t| t.to_string())
    };
    for p in &inv.packages {
        out.push_str(&format!(
            "{} {:?} {:?} {:?} {:?} {:?}\n",
            p.name,
            p.purl(),
            p.authors,
            p.repository,
            p.homepage,
            p.ecosystem
        ));
    }
    for i in &inv.inputs {
        let mut meta = i.meta.clone();
        meta.timestamp = instant(&meta.timestamp);
        out.push_str(&format!("{meta:?}\n"));
    }
    for n in &inv.notices {
        out.push_str(&format!("{}\n", n.message));
    }
    out
}

/// Every `valid-*` and `invalid-*` document of the CycloneDX 1.6 and 1.7 test suites, in
/// both syntaxes: (syntax, valid parsed, invalid rejected, invalid accepted).
#[test]
fn cyclonedx_spec_conformance_json_and_xml() {
    let Some(dir) = corpus_required("cyclonedx/spec-1.7/testdata") else {
        return;
    };
    let mut accepted = Vec::new();
    let mut counts = std::collections::BTreeMap::new();
    for version in ["1.6", "1.7"] {
        let mut files: Vec<_> = fs::read_dir(dir.join(version))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let (format, syntax) = match f.extension().and_then(|e| e.to_str()) {
                Some("json") => (InputFormat::CycloneDxJson, "json"),
                Some("xml") => (InputFormat::CycloneDxXml, "xml"),
                _ => continue,
            };
            let bytes = fs::read(&f).unwrap();
            // Detection agrees with the file's syntax.
            if !name.contains("bomformat") {
                assert_eq!(sovra::assess::detect(&bytes), Some(format), "{name}");
            }
            let result = parse_as(format, &f, &bytes);
            let id = format!("{version}/{name}");
            let row: &mut [usize; 2] = counts.entry((version, syntax)).or_default();
            if name.starts_with("valid-") {
                if let Err(e) = result {
                    panic!("{id}: {e}");
                }
                row[0] += 1;
            } else {
                match result {
                    Ok(_) => accepted.push(id),
                    Err(Error::Invalid(p)) => {
                        assert!(p[0].line >= 1 && p[0].column >= 1);
                        row[1] += 1;
                    }
                    Err(e) => panic!("{id}: error without a position: {e}"),
                }
            }
        }
    }
    let counts: Vec<_> = counts.into_iter().collect();
    // Every valid document parses in both syntaxes (the XML suites hold a few more).
    assert_eq!(
        counts,
        vec![
            (("1.6", "json"), [45, 22]),
            (("1.6", "xml"), [47, 23]),
            (("1.7", "json"), [61, 22]),
            (("1.7", "xml"), [63, 23]),
        ]
    );
    // The deliberate differences and known gaps of docs/conformance-cyclonedx.md, alike
    // in both syntaxes; the XML suite's `invalid-license-choice` is the XML form of the
    // declared/concluded mix.
    let expected = [
        "1.6/invalid-license-choice-1.6.xml",
        "1.6/invalid-license-declared-concluded-mix-1.6.json",
        "1.6/invalid-license-declared-concluded-mix-1.6.xml",
        "1.6/invalid-license-id-1.6.json",
        "1.6/invalid-license-id-1.6.xml",
        "1.6/invalid-metadata-license-1.6.json",
        "1.6/invalid-metadata-license-1.6.xml",
        "1.7/informal-invalid-component-versionRange-non-external-explicit.xml",
        "1.7/informal-invalid-component-versionRange-non-external-implicit.xml",
        "1.7/invalid-citations-1.7.json",
        "1.7/invalid-citations-1.7.xml",
        "1.7/invalid-component-external-version-and-range.json",
        "1.7/invalid-component-external-version-and-range.xml",
        "1.7/invalid-component-versionRange-non-external-explicit.json",
        "1.7/invalid-component-versionRange-non-external-implicit.json",
        "1.7/invalid-license-id-1.7.json",
        "1.7/invalid-license-id-1.7.xml",
        "1.7/invalid-metadata-distribution-1.7.json",
        "1.7/invalid-metadata-distribution-1.7.xml",
        "1.7/invalid-metadata-license-1.7.json",
        "1.7/invalid-metadata-license-1.7.xml",
    ];
    assert_eq!(accepted, expected);
}

/// The dependency structure of an inventory: ids, versions, edges, roots.
fn structure(inv: &Inventory) -> String {
    let mut out = String::new();
    for p in &inv.packages {
        out.push_str(&format!("{} {:?}\n", p.id, p.version));
    }
    out.push_str(&format!("{:?}\n{:?}\n", inv.edges, inv.roots));
    out
}

/// Where the specification ships a test BOM in both syntaxes, the two give the same
/// inventory, field by field; the XML and JSON examples of real projects (generated
/// separately, by different tool versions, so their licence and reference details
/// differ) give the same packages, edges and roots.
#[test]
fn cyclonedx_xml_and_json_twins_agree() {
    // Spec pairs whose two files say different things (checked by reading them): other
    // components, an extra licence and a missing purl, or a multi-line description
    // indented differently.
    let different = [
        "1.7/valid-component-external-with-version.xml",
        "1.7/valid-cryptography-implementation-1.7.xml",
        "1.7/valid-license-choice-1.7.xml",
        "1.7/valid-license-expression-with-text-1.7.xml",
    ];
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(dir) = corpus_required("cyclonedx/spec-1.7/testdata") {
        for version in ["1.6", "1.7"] {
            let mut names: Vec<_> = fs::read_dir(dir.join(version))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("valid-") && n.ends_with(".xml"))
                .collect();
            names.sort();
            for n in names {
                let json = n.replace(".xml", ".json");
                let id = format!("{version}/{n}");
                if dir.join(version).join(&json).exists() && !different.contains(&id.as_str()) {
                    pairs.push((
                        format!("cyclonedx/spec-1.7/testdata/{version}/{n}"),
                        format!("cyclonedx/spec-1.7/testdata/{version}/{json}"),
                    ));
                }
            }
        }
    }
    for (xml, json) in [
        ("laravel-7.12.0/bom.1.2.xml", "laravel-7.12.0/bom.1.2.json"),
        ("laravel-7.12.0/bom.1.3.xml", "laravel-7.12.0/bom.1.3.json"),
        ("laravel-7.12.0/bom.1.4.xml", "laravel-7.12.0/bom.1.4.json"),
        ("dropwizard-1.3.15/bom.xml", "dropwizard-1.3.15/bom.json"),
        (
            "juice-shop/via_npm/flat/bom.1.4.xml",
            "juice-shop-flat/bom.1.4.json",
        ),
        (
            "cern-lhc-vdm-editor-e564943/bom.xml",
            "cern-lhc-vdm-editor-e564943/bom.json",
        ),
        (
            "proton-bridge/proton-bridge-v1.8.0.bom.xml",
            "proton-bridge/proton-bridge-v1.8.0.bom.json",
        ),
    ] {
        pairs.push((
            format!("cyclonedx/xml-examples/{xml}"),
            format!("cyclonedx/examples/{json}"),
        ));
    }
    let mut differ = Vec::new();
    let mut same = 0;
    for (xml, json) in &pairs {
        let (Some(x), Some(j)) = (corpus_required(xml), corpus_required(json)) else {
            continue;
        };
        let a = parse_as(InputFormat::CycloneDxXml, &x, &fs::read(&x).unwrap()).unwrap();
        let b = parse_as(InputFormat::CycloneDxJson, &j, &fs::read(&j).unwrap()).unwrap();
        let digest = if xml.contains("xml-examples") {
            structure
        } else {
            full_digest
        };
        if digest(&a) == digest(&b) {
            same += 1;
        } else {
            differ.push(xml.clone());
            eprintln!(
                "{xml}\n--- xml\n{}\n--- json\n{}",
                full_digest(&a),
                full_digest(&b)
            );
        }
    }
    assert_eq!(differ, Vec::<String>::new());
    assert_eq!(same, 107);
}

/// Every SPDX 3 JSON-LD example of the specification, the model repository and the
/// SPDX examples: (file, packages, edges, roots, notices, licence refs). Counts checked
/// by hand against the documents: elements of a package type (`software_Package`,
/// `ai_AIPackage`, `dataset_DatasetPackage`); edges from dependency relationships
/// between packages; roots from `rootElement` through the SBOM.
#[test]
fn spdx3_examples() {
    let rows: &[Row] = &[
        (
            "spdx-3-model/serialization/jsonld/examples/agent1.json",
            0,
            0,
            0,
            0,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/annotation1.json",
            0,
            0,
            0,
            0,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/converted_from_spdx_2.json",
            4,
            1,
            1,
            1,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/file1.json",
            0,
            0,
            0,
            1,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/org1.json",
            0,
            0,
            0,
            0,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/package1.json",
            1,
            0,
            0,
            0,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/person1.json",
            0,
            0,
            0,
            0,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/person2.json",
            0,
            0,
            0,
            0,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/person3.json",
            0,
            0,
            0,
            0,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/relationship1.json",
            0,
            0,
            0,
            1,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/sbom1.json",
            0,
            0,
            0,
            0,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/spdx_document1.json",
            0,
            0,
            0,
            0,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/spdx_document2.json",
            0,
            0,
            0,
            1,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/spdx_document3.json",
            1,
            0,
            1,
            1,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/spdx_document4.json",
            1,
            0,
            1,
            1,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/tool1.json",
            0,
            0,
            0,
            0,
            0,
        ),
        (
            "spdx-3-model/serialization/jsonld/examples/two_sboms.json",
            0,
            0,
            0,
            0,
            0,
        ),
        (
            "spdx-examples/ai/example01/spdx3.0/simplehtr-example.json",
            13,
            7,
            1,
            1,
            1,
        ),
        (
            "spdx-examples/ai/example02/spdx3.0/sbom.spdx3.json",
            2,
            0,
            1,
            1,
            0,
        ),
        (
            "spdx-examples/dataset/example01/spdx3.0/example01.spdx3.json",
            1,
            0,
            1,
            1,
            0,
        ),
        (
            "spdx-spec/examples/package_sbom.develop.json",
            1,
            0,
            1,
            1,
            0,
        ),
        (
            "spdx-spec/examples/package_sbom.support-3.0.json",
            1,
            0,
            1,
            1,
            0,
        ),
    ];
    let Some(dir) = corpus_required("spdx/spdx3") else {
        return;
    };
    let mut files = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut got = Vec::new();
    for f in &files {
        let bytes = fs::read(f).unwrap();
        if sovra::assess::detect(&bytes) != Some(InputFormat::Spdx3JsonLd) {
            continue;
        }
        let inv = parse_as(InputFormat::Spdx3JsonLd, f, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let rel = f.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
        got.push((
            rel,
            inv.packages.len(),
            inv.edges.len(),
            inv.roots.len(),
            inv.notices.len(),
            inv.license_refs.len(),
        ));
    }
    let want: Vec<_> = rows
        .iter()
        .map(|r| (r.0.to_owned(), r.1, r.2, r.3, r.4, r.5))
        .collect();
    assert_eq!(got, want);
}

/// `sovra sbom` over a CycloneDX XML and an SPDX 3 input: both outputs read back into
/// the merged inventory (packages, edges, roots), twice the same bytes, and a broken
/// input fails with status 2 and writes nothing.
#[test]
fn sbom_writes_the_merged_inventory_in_both_formats() {
    let (Some(xml), Some(spdx3)) = (
        corpus_required("cyclonedx/xml-examples/dropwizard-1.3.15/bom.xml"),
        corpus_required("spdx/spdx3/spdx-examples/ai/example01/spdx3.0/simplehtr-example.json"),
    ) else {
        return;
    };
    let merged =
        sovra::assess::read_inventory(&[xml.clone(), spdx3.clone()], &Default::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (format, read_as) in [
        ("cyclonedx", InputFormat::CycloneDxJson),
        ("spdx3", InputFormat::Spdx3JsonLd),
    ] {
        let out = dir.path().join(format!("{format}.json"));
        let run = || {
            let o = crate::support::sovra(&[
                "sbom",
                xml.to_str().unwrap(),
                spdx3.to_str().unwrap(),
                "--format",
                format,
                "--created",
                "2025-08-01T00:00:00Z",
                "-o",
                out.to_str().unwrap(),
            ]);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            fs::read(&out).unwrap()
        };
        let first = run();
        assert_eq!(first, run(), "{format}: not reproducible");
        let doc: serde_json::Value = serde_json::from_slice(&first).unwrap();
        assert_eq!(
            schema_errors(format, &doc),
            Vec::<String>::new(),
            "{format}"
        );
        assert_eq!(sovra::assess::detect(&first), Some(read_as));
        let back = parse_as(read_as, &out, &first).unwrap();
        // CycloneDX names one subject: the two roots hang under one merged assembly.
        let (extra, roots) = if format == "cyclonedx" {
            (1, 1)
        } else {
            (0, merged.roots.len())
        };
        assert_eq!(merged.roots.len(), 2);
        assert_eq!(
            (back.packages.len(), back.edges.len(), back.roots.len()),
            (
                merged.packages.len() + extra,
                merged.edges.len() + 2 * extra,
                roots
            ),
            "{format}"
        );
        let ids = |inv: &Inventory| {
            let mut v: Vec<String> = inv.packages.iter().map(|p| p.id.0.clone()).collect();
            v.sort();
            v
        };
        if format == "cyclonedx" {
            let mut want = ids(&merged);
            want.push("generic:merged inventory".to_owned());
            want.sort();
            assert_eq!(ids(&back), want);
        }
        let lic = |inv: &Inventory| {
            // SPDX 3 joins several statements of one kind with `AND`.
            let declared = inv.packages.iter().filter(|p| !p.declared.is_empty());
            let concluded = inv.packages.iter().filter(|p| !p.concluded.is_empty());
            (declared.count(), concluded.count())
        };
        assert_eq!(lic(&back), lic(&merged), "{format}: licence statements");
    }
    let broken = dir.path().join("broken.xml");
    fs::write(
        &broken,
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n<components>\n<component type=\"nope\"><name>x</name></component></components></bom>",
    )
    .unwrap();
    let out = dir.path().join("never.json");
    let o = crate::support::sovra(&[
        "sbom",
        broken.to_str().unwrap(),
        "--format",
        "cyclonedx",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("broken.xml:3:18: unknown component type `nope`"),
        "{err}"
    );
    assert!(!out.exists());
}

/// The errors of `doc` against the specification's JSON schema (CycloneDX 1.6 with the
/// schemas it references, or SPDX 3.0.1), all read from the corpus.
fn schema_errors(format: &str, doc: &serde_json::Value) -> Vec<String> {
    let load = |rel: &str| -> serde_json::Value {
        let path = corpus_required(rel).unwrap_or_else(|| panic!("schema `{rel}` absent"));
        serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
    };
    let validator = if format == "cyclonedx" {
        let dir = "cyclonedx/spec-1.7/schema";
        let mut opts = jsonschema::options();
        for name in [
            "spdx.schema.json",
            "jsf-0.82.schema.json",
            "cryptography-defs.schema.json",
        ] {
            let schema = load(&format!("{dir}/{name}"));
            opts = opts.with_resource(
                format!("http://cyclonedx.org/schema/{name}"),
                jsonschema::Resource::from_contents(schema).unwrap(),
            );
        }
        opts.build(&load(&format!("{dir}/bom-1.6.schema.json")))
            .unwrap()
    } else {
        jsonschema::options()
            .build(&load("spdx/spdx3/spdx-spec/3.0.1-model/schema.json"))
            .unwrap()
    };
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path))
        .take(5)
        .collect()
}

/// The schema check itself fails on a broken document (so a pass means something).
#[test]
fn schema_check_rejects_invalid_documents() {
    if corpus_required("cyclonedx/spec-1.7/schema").is_none() {
        return;
    }
    let cdx = serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6",
        "components": [{"type": "nonsense", "name": "x"}]});
    assert!(!schema_errors("cyclonedx", &cdx).is_empty());
    let spdx = serde_json::json!({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        "@graph": [{"type": "CreationInfo", "@id": "_:c", "specVersion": "3.0.1"}]});
    assert!(!schema_errors("spdx3", &spdx).is_empty());
}

/// The inventory JSON of `sovra inventory` without its evidence record (the input's
/// path, format, size and hash differ between twins).
fn inventory_without_inputs(path: &Path) -> serde_json::Value {
    let out = crate::support::sovra(&["inventory", "--format", "json", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_object_mut().unwrap().remove("inputs");
    v
}

/// A JSON value written as block-style YAML (strings double-quoted, as JSON writes
/// them; JSON's escapes are YAML's).
fn to_yaml(v: &serde_json::Value, indent: usize, out: &mut String) {
    use serde_json::Value as J;
    let pad = " ".repeat(indent);
    match v {
        J::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                out.push_str(&format!("{pad}{}:", serde_json::to_string(k).unwrap()));
                match x {
                    J::Object(o) if !o.is_empty() => {
                        out.push('\n');
                        to_yaml(x, indent + 2, out);
                    }
                    J::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        to_yaml(x, indent, out);
                    }
                    _ => {
                        out.push(' ');
                        to_yaml(x, 0, out);
                    }
                }
            }
        }
        J::Array(a) if !a.is_empty() => {
            for x in a {
                out.push_str(&format!("{pad}-\n"));
                match x {
                    J::Object(o) if !o.is_empty() => to_yaml(x, indent + 2, out),
                    J::Array(b) if !b.is_empty() => to_yaml(x, indent + 2, out),
                    _ => {
                        out.push_str(&format!("{pad}  "));
                        to_yaml(x, 0, out);
                    }
                }
            }
        }
        J::Object(_) => out.push_str("{}\n"),
        J::Array(_) => out.push_str("[]\n"),
        other => {
            out.push_str(&other.to_string());
            out.push('\n');
        }
    }
}

/// Every SPDX YAML document of the corpus is read, and reads as its JSON twin.
#[test]
fn spdx_yaml_documents_read_like_their_json_twins() {
    let Some(dir) = corpus("spdx") else {
        eprintln!("note: corpus absent, skipping");
        return;
    };
    let mut yaml = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                yaml.push(p);
            }
        }
    }
    yaml.sort();
    assert_eq!(yaml.len(), 3, "{yaml:?}");
    for y in &yaml {
        let inv = inventory_without_inputs(y);
        assert_eq!(
            inv["packages"].as_array().unwrap().len(),
            4,
            "{}",
            y.display()
        );
    }
    for v in ["2.2", "2.3"] {
        let y = corpus(&format!("spdx/tools-python/SPDXYAMLExample-v{v}.spdx.yaml")).unwrap();
        let j = corpus(&format!("spdx/tools-python/SPDXJSONExample-v{v}.spdx.json")).unwrap();
        assert_eq!(
            inventory_without_inputs(&y),
            inventory_without_inputs(&j),
            "{v}"
        );
    }
}

/// Every SPDX 2 JSON document of the corpus, written as YAML, reads as the JSON does.
#[test]
fn spdx_json_examples_converted_to_yaml_read_alike() {
    let Some(dir) = corpus("spdx") else {
        eprintln!("note: corpus absent, skipping");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut stack = vec![dir];
    let mut compared = 0;
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Ok(text) = fs::read_to_string(&p) else {
                continue;
            };
            let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            if !json["spdxVersion"].is_string() {
                continue;
            }
            // Only documents sovra reads as JSON (the invalid examples are not twins).
            let out =
                crate::support::sovra(&["inventory", "--format", "json", p.to_str().unwrap()]);
            if !out.status.success() {
                continue;
            }
            let mut yaml = String::new();
            to_yaml(&json, 0, &mut yaml);
            let y = tmp.path().join(format!("doc-{compared}.spdx.yaml"));
            fs::write(&y, yaml).unwrap();
            // A licence text's identification names the file it came from; the rest
            // must be identical.
            let yaml_view = inventory_without_inputs(&y)
                .to_string()
                .replace(y.to_str().unwrap(), "DOC");
            let json_view = inventory_without_inputs(&p)
                .to_string()
                .replace(p.to_str().unwrap(), "DOC");
            assert_eq!(yaml_view, json_view, "{}", p.display());
            compared += 1;
        }
    }
    assert!(
        compared >= 20,
        "only {compared} SPDX JSON documents compared"
    );
}

#[test]
fn spdx_yaml_errors_have_positions_and_aliases_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    for (text, expect) in [
        (
            "spdxVersion: \"SPDX-2.3\"\nSPDXID: SPDXRef-DOCUMENT\npackages:\n  - SPDXID: SPDXRef-a\n    downloadLocation: NONE\n",
            ":4:5: missing field `name`",
        ),
        (
            "spdxVersion: \"SPDX-2.3\"\nSPDXID: &d SPDXRef-DOCUMENT\nname: *d\n",
            ":3:7: YAML aliases are not read",
        ),
        ("spdxVersion: \"SPDX-2.3\"\nSPDXID: [\n", "doc.spdx.yaml:"),
    ] {
        let f = tmp.path().join("doc.spdx.yaml");
        fs::write(&f, text).unwrap();
        let out = crate::support::sovra(&["inventory", f.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{text}: {err}");
    }
}
