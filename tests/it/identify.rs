//! Licence files identified against the SPDX licence texts (`license-file` in Cargo).

#![allow(clippy::unwrap_used)] // helpers of tests: a failed unwrap is a failed test

use crate::support::sovra;

fn spdx_text(id: &str) -> &'static str {
    spdx::text::LICENSE_TEXTS
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, t)| *t)
        .unwrap()
}

/// A workspace: `app` (MIT) depends on `filelic`, which names only `license-file`.
fn workspace(licence_text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w(
        "Cargo.toml",
        "[workspace]\nmembers = [\"app\", \"filelic\"]\nresolver = \"2\"\n",
    );
    w(
        "app/Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"MIT\"\n\
         [dependencies]\nfilelic = { path = \"../filelic\" }\n",
    );
    w("app/src/lib.rs", "");
    w(
        "filelic/Cargo.toml",
        "[package]\nname = \"filelic\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         license-file = \"LICENSE\"\n",
    );
    w("filelic/src/lib.rs", "");
    w("filelic/LICENSE", licence_text);
    dir
}

fn licences_json(dir: &tempfile::TempDir) -> serde_json::Value {
    let out = sovra(&["licenses", dir.path().to_str().unwrap(), "--format", "json"]);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn a_licence_file_beside_the_manifest_is_identified_and_recorded() {
    let dir = workspace(spdx_text("Apache-2.0"));
    let v = licences_json(&dir);
    assert_eq!(v["unknown"], serde_json::json!([]));
    let rewrites = v["rewrites"].as_array().unwrap();
    assert_eq!(rewrites.len(), 1, "{rewrites:?}");
    assert_eq!(rewrites[0]["original"], "LICENSE");
    assert_eq!(rewrites[0]["result"], "Apache-2.0");
    assert_eq!(
        rewrites[0]["packages"],
        serde_json::json!(["filelic 0.1.0"])
    );
    assert_eq!(
        rewrites[0]["rewrites"][0],
        "licence file `LICENSE` identified as `Apache-2.0` (score 1.00, SPDX licence texts)"
    );
}

#[test]
fn a_licence_file_below_the_threshold_stays_unknown_with_its_best_candidate() {
    // The first half of the MIT text's lines: recognisably MIT-like, but not enough.
    let lines: Vec<&str> = spdx_text("MIT").lines().collect();
    let part = lines[..lines.len() / 2].join("\n");
    let dir = workspace(&part);
    let v = licences_json(&dir);
    let unknown = &v["unknown"][0]["packages"][0];
    assert_eq!(unknown["package"], "filelic 0.1.0", "{v}");
    assert_eq!(unknown["file"], "LICENSE");
    let error = unknown["error"].as_str().unwrap();
    assert!(error.starts_with("best match `MIT"), "{error}");
    let score: f32 = error.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(score > 0.3 && score < 0.8, "{error}");
}

/// LIC001 messages for the half-MIT workspace under a policy with `threshold`.
fn lic001(threshold: &str) -> (Option<i32>, String) {
    let lines: Vec<&str> = spdx_text("MIT").lines().collect();
    let dir = workspace(&lines[..lines.len() / 2].join("\n"));
    let policy = dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        format!("extends = \"baseline\"\n[licenses]\nconfidence_threshold = {threshold}\n"),
    )
    .unwrap();
    let out = sovra(&[
        "check",
        dir.path().to_str().unwrap(),
        "--policy",
        policy.to_str().unwrap(),
        "--select",
        "LIC001",
        "--no-project-policy",
    ]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn the_confidence_threshold_is_a_policy_setting() {
    let (_, default) = lic001("0.8");
    assert!(
        default.contains("names only a licence file (`LICENSE`)"),
        "{default}"
    );
    // Lowered below the best candidate's score, the file is identified.
    let (_, lowered) = lic001("0.3");
    assert!(!lowered.contains("names only a licence file"), "{lowered}");
    let (code, wrong) = lic001("1.5");
    assert_eq!(code, Some(2), "{wrong}");
    assert!(
        wrong.contains("`licenses.confidence_threshold` must be between 0 and 1, not 1.5"),
        "{wrong}"
    );
    assert!(wrong.contains("policy.toml:3:"), "{wrong}");
}

/// Saved metadata from another machine: a registry crate that names only a licence file
/// is identified from cargo's unpacked sources on this one (`CARGO_HOME/registry/src`).
#[test]
fn a_registry_crate_licence_file_is_read_from_the_cargo_cache() {
    let dir = tempfile::tempdir().unwrap();
    let mut meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::support::root().join("tests/fixtures/cargo/sources.json"))
            .unwrap(),
    )
    .unwrap();
    let pkg = meta["packages"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["name"] == "itoa")
        .unwrap();
    pkg["license"] = serde_json::Value::Null;
    pkg["license_file"] = "LICENSE-APACHE".into();
    pkg["manifest_path"] = "/nonexistent/registry/src/index/itoa-1.0.18/Cargo.toml".into();
    let saved = dir.path().join("metadata.json");
    std::fs::write(&saved, serde_json::to_string(&meta).unwrap()).unwrap();
    let home = dir.path().join("cargo-home");
    let unpacked = home.join("registry/src/index.example-0000/itoa-1.0.18");
    std::fs::create_dir_all(&unpacked).unwrap();
    std::fs::write(unpacked.join("LICENSE-APACHE"), spdx_text("Apache-2.0")).unwrap();

    let run = |cargo_home: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sovra"))
            .args(["licenses", saved.to_str().unwrap(), "--format", "json"])
            .env("CARGO_HOME", cargo_home)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        v
    };
    let v = run(&home);
    let rewrite = v["rewrites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["original"] == "LICENSE-APACHE")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(rewrite["result"], "Apache-2.0");
    assert_eq!(rewrite["packages"][0], "itoa 1.0.18");
    // Not downloaded here: the crate stays "licence file only", said so.
    let v = run(&dir.path().join("empty-home"));
    let unknown = v["unknown"].to_string();
    assert!(unknown.contains("\"file\":\"LICENSE-APACHE\""), "{v}");
}

/// The MIT text as a real file has it: the template's placeholders filled.
fn mit_filled() -> String {
    spdx_text("MIT")
        .replace("<year>", "2024")
        .replace("<copyright holders>", "Example GmbH")
}

/// The first half of a text's lines: like the licence, not enough to be it.
fn half(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[..lines.len() / 2].join("\n")
}

fn licences_of(path: &std::path::Path) -> serde_json::Value {
    let out = sovra(&["licenses", path.to_str().unwrap(), "--format", "json"]);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// The rewrite whose result is `licence`, with its package list and wording.
fn rewrite_to<'v>(v: &'v serde_json::Value, licence: &str) -> &'v serde_json::Value {
    v["rewrites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["result"] == licence)
        .unwrap_or_else(|| panic!("no rewrite to {licence}: {v}"))
}

fn b64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// CycloneDX: a licence given by `name` and `text` (plain or base64), JSON and XML.
#[test]
fn cyclonedx_licence_texts_are_identified_in_json_and_xml() {
    let dir = tempfile::tempdir().unwrap();
    let apache = spdx_text("Apache-2.0");
    let mit = mit_filled();
    let json = serde_json::json!({
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "app",
            "version": "1", "licenses": [{"license": {"id": "MIT"}}]}},
        "components": [
            {"type": "library", "bom-ref": "a", "name": "plain", "version": "1",
             "licenses": [{"license": {"name": "Vendor licence",
                "text": {"contentType": "text/plain", "content": apache}}}]},
            {"type": "library", "bom-ref": "b", "name": "encoded", "version": "1",
             "licenses": [{"license": {"name": "See LICENSE",
                "text": {"contentType": "text/plain", "encoding": "base64",
                         "content": b64(&mit)}}}]},
            {"type": "library", "bom-ref": "c", "name": "partial", "version": "1",
             "licenses": [{"license": {"name": "Some terms",
                "text": {"content": half(&mit)}}}]}
        ],
        "dependencies": [{"ref": "app", "dependsOn": ["a", "b", "c"]}]
    });
    let path = dir.path().join("bom.cdx.json");
    std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let v = licences_of(&path);
    let r = rewrite_to(&v, "Apache-2.0");
    assert_eq!(r["packages"], serde_json::json!(["plain 1"]));
    assert_eq!(
        r["rewrites"][0],
        "licence file `Vendor licence` identified as `Apache-2.0` \
         (score 1.00, SPDX licence texts)"
    );
    assert_eq!(
        rewrite_to(&v, "MIT")["packages"],
        serde_json::json!(["encoded 1"])
    );
    let unknown = v["unknown"].to_string();
    assert!(unknown.contains("partial 1"), "{v}");
    assert!(unknown.contains("best match `MIT"), "{v}");

    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">
  <metadata><component type="application" bom-ref="app"><name>app</name><version>1</version></component></metadata>
  <components>
    <component type="library" bom-ref="a"><name>plain</name><version>1</version>
      <licenses><license><name>Vendor licence</name><text content-type="text/plain"><![CDATA[{apache}]]></text></license></licenses>
    </component>
    <component type="library" bom-ref="b"><name>encoded</name><version>1</version>
      <licenses><license><name>See LICENSE</name><text content-type="text/plain" encoding="base64">{}</text></license></licenses>
    </component>
  </components>
  <dependencies><dependency ref="app"><dependency ref="a"/><dependency ref="b"/></dependency></dependencies>
</bom>
"#,
        b64(&mit)
    );
    let path = dir.path().join("bom.cdx.xml");
    std::fs::write(&path, xml).unwrap();
    let v = licences_of(&path);
    assert_eq!(
        rewrite_to(&v, "Apache-2.0")["packages"],
        serde_json::json!(["plain 1"])
    );
    assert_eq!(
        rewrite_to(&v, "MIT")["packages"],
        serde_json::json!(["encoded 1"])
    );
}

/// SPDX 2: `LicenseRef-*` with `extractedText`; SPDX 3: a custom licence's text.
#[test]
fn spdx_extracted_and_custom_licence_texts_are_identified() {
    let dir = tempfile::tempdir().unwrap();
    let doc = serde_json::json!({
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
        "name": "doc", "documentNamespace": "https://example.com/doc",
        "creationInfo": {"created": "2024-01-02T03:04:05Z", "creators": ["Tool: gen"]},
        "packages": [
            {"SPDXID": "SPDXRef-app", "name": "app", "versionInfo": "1",
             "downloadLocation": "NOASSERTION", "licenseDeclared": "MIT AND LicenseRef-vendor"},
            {"SPDXID": "SPDXRef-lib", "name": "lib", "versionInfo": "2",
             "downloadLocation": "NOASSERTION", "licenseDeclared": "LicenseRef-part"}
        ],
        "relationships": [
            {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
             "relatedSpdxElement": "SPDXRef-app"},
            {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON",
             "relatedSpdxElement": "SPDXRef-lib"}
        ],
        "hasExtractedLicensingInfos": [
            {"licenseId": "LicenseRef-vendor", "name": "Vendor",
             "extractedText": spdx_text("BSD-3-Clause")},
            {"licenseId": "LicenseRef-part", "name": "Part",
             "extractedText": half(&mit_filled())}
        ]
    });
    let path = dir.path().join("sbom.spdx.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let v = licences_of(&path);
    let r = rewrite_to(&v, "MIT AND BSD-3-Clause");
    assert_eq!(r["original"], "MIT AND LicenseRef-vendor");
    let said = r["rewrites"][0].as_str().unwrap();
    assert!(
        said.starts_with("licence text of `LicenseRef-vendor` in `")
            && said.ends_with(
                "sbom.spdx.json` identified as `BSD-3-Clause` (score 1.00, SPDX licence texts)"
            ),
        "{said}"
    );
    let unknown = v["unknown"].to_string();
    assert!(
        unknown.contains("lib 2") && unknown.contains("(LicenseRef-part)"),
        "{v}"
    );
    assert!(unknown.contains("best match `MIT"), "{v}");

    let doc3 = serde_json::json!({
        "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        "@graph": [
            {"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1",
             "created": "2024-01-02T03:04:05Z", "createdBy": ["urn:agent:ada"]},
            {"type": "Person", "spdxId": "urn:agent:ada", "name": "Ada", "creationInfo": "_:ci"},
            {"type": "SpdxDocument", "spdxId": "urn:doc", "creationInfo": "_:ci",
             "rootElement": ["urn:sbom"]},
            {"type": "software_Sbom", "spdxId": "urn:sbom", "creationInfo": "_:ci",
             "rootElement": ["urn:app"]},
            {"type": "software_Package", "spdxId": "urn:app", "creationInfo": "_:ci",
             "name": "app", "software_packageVersion": "1"},
            {"type": "expandedlicensing_CustomLicense", "spdxId": "urn:lic:Own",
             "creationInfo": "_:ci", "name": "Own",
             "simplelicensing_licenseText": spdx_text("MPL-2.0")},
            {"type": "Relationship", "spdxId": "urn:r1", "creationInfo": "_:ci",
             "from": "urn:app", "relationshipType": "hasDeclaredLicense", "to": ["urn:lic:Own"]}
        ]
    });
    let path = dir.path().join("sbom.spdx3.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc3).unwrap()).unwrap();
    let v = licences_of(&path);
    let r = rewrite_to(&v, "MPL-2.0");
    assert_eq!(r["packages"], serde_json::json!(["app 1"]));
    assert!(
        r["rewrites"][0]
            .as_str()
            .unwrap()
            .starts_with("licence text of `LicenseRef-Own` in `"),
        "{r}"
    );
}

/// A source checkout given as a directory: its root package states no licence, the
/// checkout's `LICENSE` file is identified (and an SBOM's subject is left as it is).
#[test]
fn a_checkouts_own_licence_file_is_identified() {
    let dir = tempfile::tempdir().unwrap();
    let lock = serde_json::json!({
        "name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
        "packages": {
            "": {"name": "app", "version": "1.0.0", "dependencies": {"left-pad": "1.3.0"}},
            "node_modules/left-pad": {"version": "1.3.0", "license": "WTFPL"}
        }
    });
    std::fs::write(
        dir.path().join("package-lock.json"),
        serde_json::to_string_pretty(&lock).unwrap(),
    )
    .unwrap();
    std::fs::write(dir.path().join("LICENSE.txt"), spdx_text("EUPL-1.2")).unwrap();
    let v = licences_of(dir.path());
    let r = rewrite_to(&v, "EUPL-1.2");
    assert_eq!(r["original"], "LICENSE.txt");
    assert_eq!(r["packages"], serde_json::json!(["app 1.0.0"]));
    assert_eq!(v["unknown"], serde_json::json!([]), "{v}");

    // Two candidate files: no guess, the root stays without a licence.
    std::fs::write(dir.path().join("COPYING"), spdx_text("GPL-3.0-only")).unwrap();
    let v = licences_of(dir.path());
    assert!(v["unknown"].to_string().contains("app 1.0.0"), "{v}");
}
