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
