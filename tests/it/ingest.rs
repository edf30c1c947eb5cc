//! Ingest of Cargo metadata and npm lockfiles, format detection, bad input, and the
//! `inventory` and `why` commands.
//!
//! Expected counts for the corpus were computed independently of sovra:
//! - Cargo: a Python one-liner over the metadata JSON counting `packages`, distinct
//!   `(node, dep.pkg, kind, target)` over `resolve.nodes[].deps[].dep_kinds` (a normal
//!   dependency counts as optional when every matching declaration in the dependent's
//!   `dependencies` is `optional`), and `workspace_members`;
//! - npm: `tests/fixtures/npm/expected_counts.py LOCKFILE`, a separate implementation of
//!   Node's module lookup (v2 / v3) and of the v1 `requires` tree.

// Helpers outside `#[test]` functions unwrap (a missing field is a failed test) and
// note skipped corpus files on stderr.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{corpus, root, sovra};

/// `sovra inventory --format json` on `inputs`; panics with stderr when it fails.
fn inventory(inputs: &[&str]) -> Value {
    let mut args = vec!["inventory", "--format", "json"];
    args.extend_from_slice(inputs);
    let out = sovra(&args);
    assert!(
        out.status.success(),
        "sovra {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("inventory JSON")
}

/// Edge counts per kind.
fn edge_kinds(inv: &Value) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for e in inv["edges"].as_array().unwrap() {
        *out.entry(e["kind"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    out
}

fn kinds(runtime: usize, optional: usize, dev: usize, build: usize) -> BTreeMap<String, usize> {
    [
        ("runtime", runtime),
        ("optional", optional),
        ("dev", dev),
        ("build", build),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .map(|(k, n)| (k.to_owned(), n))
    .collect()
}

fn root_names(inv: &Value) -> Vec<String> {
    let mut names: Vec<String> = inv["roots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            inv["packages"][r.as_u64().unwrap() as usize]["name"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    names.sort();
    names
}

fn package<'a>(inv: &'a Value, id: &str) -> &'a Value {
    inv["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no package `{id}`"))
}

fn corpus_str(rel: &str) -> Option<String> {
    match corpus(rel) {
        Some(p) => Some(p.to_string_lossy().into_owned()),
        None => {
            eprintln!("note: corpus file `{rel}` absent, test skipped");
            None
        }
    }
}

#[test]
fn cargo_metadata_of_ripgrep() {
    let Some(path) = corpus_str("cargo/ripgrep/metadata.json") else {
        return;
    };
    let inv = inventory(&[&path]);
    assert_eq!(inv["packages"].as_array().unwrap().len(), 60);
    assert_eq!(edge_kinds(&inv), kinds(111, 14, 13, 3));
    let targeted = inv["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.get("target").is_some())
        .count();
    assert_eq!(targeted, 24);
    assert_eq!(
        root_names(&inv),
        [
            "globset",
            "grep",
            "grep-cli",
            "grep-index",
            "grep-matcher",
            "grep-pcre2",
            "grep-printer",
            "grep-regex",
            "grep-searcher",
            "ignore",
            "ripgrep"
        ]
    );
    let rg = package(&inv, "pkg:cargo/ripgrep@15.2.0");
    assert_eq!(rg["source"]["kind"], "path");
    assert_eq!(rg["source"]["location"], ".");
    assert_eq!(rg["license"]["expression"], "Unlicense OR MIT");
    let globset = package(&inv, "pkg:cargo/globset@0.4.20");
    assert_eq!(globset["source"]["location"], "crates/globset");
    let memchr = package(&inv, "pkg:cargo/memchr@2.8.3");
    assert_eq!(memchr["source"]["kind"], "default-registry");
    assert_eq!(memchr["depth"]["runtime"], 1);
    // `Unlicense/MIT` is not SPDX syntax: read leniently, with the raw string kept.
    let walkdir = package(&inv, "pkg:cargo/walkdir@2.5.0");
    assert_eq!(walkdir["license"]["state"], "known");
    assert_eq!(walkdir["license"]["parsed"], "lenient");
    assert_eq!(walkdir["license"]["expression"], "Unlicense OR MIT");
    assert_eq!(walkdir["license"]["original"], "Unlicense/MIT");
    assert_eq!(walkdir["license"]["class"], "public-domain");
}

#[test]
fn cargo_metadata_of_cargo_deny() {
    let Some(path) = corpus_str("cargo/cargo-deny/metadata.json") else {
        return;
    };
    let inv = inventory(&[&path]);
    assert_eq!(inv["packages"].as_array().unwrap().len(), 211);
    assert_eq!(edge_kinds(&inv), kinds(347, 93, 6, 5));
    assert_eq!(root_names(&inv), ["cargo-deny"]);
    let deny = package(&inv, "pkg:cargo/cargo-deny@0.20.2");
    assert_eq!(deny["license"]["expression"], "MIT OR Apache-2.0");
    assert_eq!(
        deny["repository"],
        "https://github.com/EmbarkStudios/cargo-deny"
    );
    let sources: Vec<&str> = inv["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["source"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources.iter().filter(|s| **s == "default-registry").count(),
        210
    );
    assert_eq!(sources.iter().filter(|s| **s == "path").count(), 1);
    // No path of the machine that saved the metadata reaches the output.
    let text = serde_json::to_string(&inv).unwrap();
    assert!(!text.contains("/home/dev/src"), "absolute path in output");
}

#[test]
fn cargo_sources_license_files_and_optional_dependencies() {
    let inv = inventory(&["tests/fixtures/cargo/sources.json"]);
    let smallvec = package(&inv, "pkg:cargo/smallvec@1.16.5");
    assert_eq!(smallvec["source"]["kind"], "git");
    assert_eq!(
        smallvec["source"]["location"],
        "https://github.com/servo/rust-smallvec?tag=v1.16.5#0123456789abcdef0123456789abcdef01234567"
    );
    let itoa = package(&inv, "pkg:cargo/itoa@1.0.18");
    assert_eq!(itoa["source"]["kind"], "registry");
    assert_eq!(
        itoa["source"]["location"],
        "https://crates.internal.example/index/"
    );
    let model = package(&inv, "pkg:cargo/model@0.1.0");
    assert_eq!(model["license"]["reason"], "license-file-only");
    assert_eq!(model["license_file"], "LICENSE.txt");
    assert_eq!(model["source"]["location"], "crates/model");
    let n = |p: &Value| p["index"].as_u64().unwrap();
    let edge = |from: &Value, to: &Value| {
        inv["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["from"] == n(from) && e["to"] == n(to))
            .cloned()
            .unwrap()
    };
    assert_eq!(edge(model, smallvec)["kind"], "optional");
    let service = package(&inv, "pkg:cargo/service@0.1.0");
    let libc = package(&inv, "pkg:cargo/libc@0.2.191");
    assert_eq!(edge(service, libc)["target"], "cfg(unix)");
    assert_eq!(
        edge(service, package(&inv, "pkg:cargo/autocfg@1.5.1"))["kind"],
        "build"
    );
    assert_eq!(
        edge(service, package(&inv, "pkg:cargo/fastrand@2.5.0"))["kind"],
        "dev"
    );
}

/// (corpus path, packages, runtime, optional, dev edges, roots, notices)
const NPM: &[(&str, usize, usize, usize, usize, usize, usize)] = &[
    (
        "npm/cdxgen-testdata/package-lock-v1.json",
        572,
        973,
        5,
        3,
        1,
        0,
    ),
    (
        "npm/cdxgen-testdata/package-json/v1/package-lock.json",
        770,
        1413,
        6,
        23,
        1,
        0,
    ),
    (
        "npm/cdxgen-testdata/package-lock-v2.json",
        1280,
        2568,
        43,
        44,
        1,
        1,
    ),
    (
        "npm/cdxgen-testdata/package-json/v2/package-lock.json",
        134,
        136,
        27,
        9,
        1,
        1,
    ),
    ("npm/cdxgen-testdata/package-lock2.json", 1, 0, 0, 0, 1, 0),
    (
        "npm/cdxgen-testdata/package-lock-v3.json",
        649,
        1212,
        8,
        2,
        1,
        1,
    ),
    (
        "npm/cdxgen-testdata/package-lock4.json",
        306,
        565,
        1,
        0,
        1,
        1,
    ),
    (
        "npm/cdxgen-testdata/package-json/v3/package-lock.json",
        151,
        214,
        3,
        0,
        1,
        1,
    ),
    (
        "npm/cdxgen-testdata/package-json/v2-workspace/package-lock.json",
        949,
        1797,
        74,
        40,
        4,
        1,
    ),
    (
        "npm/cdxgen-testdata/package-json/theia/package-lock.json",
        1923,
        4560,
        48,
        50,
        6,
        3,
    ),
    (
        "npm/Aitema-gmbh__terminvergabe/backend/package-lock.json",
        400,
        424,
        90,
        8,
        1,
        1,
    ),
    (
        "npm/Aitema-gmbh__terminvergabe/frontend-mitarbeiter/package-lock.json",
        122,
        106,
        60,
        7,
        1,
        1,
    ),
];

#[test]
fn npm_lockfiles_of_the_corpus() {
    for &(rel, packages, runtime, optional, dev, roots, notices) in NPM {
        let Some(path) = corpus_str(rel) else {
            return;
        };
        let inv = inventory(&[&path]);
        assert_eq!(inv["packages"].as_array().unwrap().len(), packages, "{rel}");
        assert_eq!(edge_kinds(&inv), kinds(runtime, optional, dev, 0), "{rel}");
        assert_eq!(inv["roots"].as_array().unwrap().len(), roots, "{rel}");
        assert_eq!(inv["notices"].as_array().unwrap().len(), notices, "{rel}");
    }
}

#[test]
fn npm_workspaces_and_nested_lookup() {
    let Some(path) = corpus_str("npm/cdxgen-testdata/package-json/v2-workspace/package-lock.json")
    else {
        return;
    };
    let inv = inventory(&[&path]);
    assert_eq!(root_names(&inv), ["app", "edge", "root", "scripts"]);

    let inv = inventory(&["tests/fixtures/npm/workspace-v3.json"]);
    assert_eq!(root_names(&inv), ["@city/forms", "portal"]);
    let forms = package(&inv, "pkg:npm/%40city/forms@0.3.0");
    assert_eq!(forms["source"]["location"], "packages/forms");
    let ui = package(&inv, "pkg:npm/%40city/ui@2.1.0");
    assert_eq!(ui["source"]["location"], "https://npm.city.example");
    assert_eq!(ui["integrity"], "sha512-AAAA");
    assert_eq!(ui["license"]["expression"], "MIT");
    let left1 = package(&inv, "pkg:npm/left@1.2.0");
    assert_eq!(left1["license"]["expression"], "MIT OR Apache-2.0");
    let left2 = package(&inv, "pkg:npm/left@2.0.0");
    assert_eq!(left2["source"]["kind"], "git");
    // The workspace's own `left` is the nested 2.0.0, the root's is the hoisted 1.2.0.
    let edges: Vec<(u64, u64, &str)> = inv["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_u64().unwrap(),
                e["to"].as_u64().unwrap(),
                e["kind"].as_str().unwrap(),
            )
        })
        .collect();
    let n = |p: &Value| p["index"].as_u64().unwrap();
    assert!(edges.contains(&(n(forms), n(left2), "runtime")));
    assert!(!edges.contains(&(n(forms), n(left1), "runtime")));
    let tester = package(&inv, "pkg:npm/tester@3.0.0");
    assert_eq!(tester["scope"], "dev");
    assert_eq!(tester["depth"]["runtime"], Value::Null);
    let notices: Vec<&str> = inv["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        notices,
        [
            "2 optional dependencies are not installed (not in the lockfile)",
            "`react@18.2.0` depends on `loose-envify` (runtime), which the lockfile does not contain"
        ]
    );
}

#[test]
fn npm_v1_flags_decide_the_roots_edges() {
    let inv = inventory(&["tests/fixtures/npm/nested-v1.json"]);
    assert_eq!(edge_kinds(&inv), kinds(6, 1, 1, 0));
    assert_eq!(package(&inv, "pkg:npm/linter@5.0.0")["scope"], "dev");
    assert_eq!(package(&inv, "pkg:npm/util@1.0.0")["scope"], "dev");
    assert_eq!(package(&inv, "pkg:npm/util@2.0.0")["scope"], "runtime");
    assert_eq!(
        package(&inv, "pkg:npm/watcher@3.0.0")["depth"]["runtime"],
        1
    );
    assert_eq!(
        package(&inv, "pkg:npm/local-lib@file%3A..%2Flocal-lib")["source"]["kind"],
        "path"
    );
}

#[test]
fn malformed_json_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("package-lock.json");
    std::fs::write(
        &path,
        "{\n  \"lockfileVersion\": 3,\n  \"packages\": {,}\n}\n",
    )
    .unwrap();
    let out = sovra(&["inventory", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:3:16:", path.display())),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());

    // A wrong type deep inside a recognised document keeps its position too.
    std::fs::write(
        &path,
        "{\"lockfileVersion\": 3,\n\"packages\": {\"\": {\"link\": 7}}}",
    )
    .unwrap();
    let out = sovra(&["inventory", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:2:", path.display())),
        "{stderr}"
    );

    // Broken metadata inside a directory that claims to be cargo metadata is an error,
    // a broken `tsconfig.json` beside it is not an input at all.
    let sub = dir.path().join("ws");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("tsconfig.json"), "{ // comment\n}").unwrap();
    std::fs::write(sub.join("meta.json"), "{\"workspace_members\": [,]}").unwrap();
    let out = sovra(&["inventory", sub.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("meta.json:1:24:"), "{stderr}");
}

#[test]
fn unknown_and_candidate_inputs_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.json");
    std::fs::write(&notes, "{\"name\": \"not an inventory\"}").unwrap();
    let out = sovra(&["inventory", notes.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unrecognised input format"), "{stderr}");
    assert!(stderr.contains("CycloneDX"), "{stderr}");

    let cand = dir.path().join("offer");
    std::fs::create_dir(&cand).unwrap();
    std::fs::write(cand.join("candidate.toml"), "[candidate]\nname = \"x\"\n").unwrap();
    // A candidate is read through its manifest: one without components has no packages.
    let out = sovra(&["inventory", cand.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("packages (0)"));

    // A lone publiccode.yml is an implicit candidate; this one lacks required keys.
    let public = dir.path().join("publiccode.yml");
    std::fs::write(&public, "publiccodeYmlVersion: \"0.4\"\nname: x\n").unwrap();
    let out = sovra(&["inventory", public.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("publiccode.yml:"), "{stderr}");

    // A directory with only a `publiccode.yml` reads it as a file is read: this one
    // lacks required keys.
    let only_public = dir.path().join("only-public");
    std::fs::create_dir(&only_public).unwrap();
    std::fs::write(
        only_public.join("publiccode.yml"),
        "publiccodeYmlVersion: \"0.4\"\n",
    )
    .unwrap();
    let out = sovra(&["inventory", only_public.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("publiccode.yml:"), "{stderr}");

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = sovra(&["inventory", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no known input files"));
}

#[test]
fn inputs_merge_and_output_is_deterministic() {
    let args = [
        "inventory",
        "--format",
        "json",
        "samples/rust-service/metadata.json",
        "tests/fixtures/npm/workspace-v3.json",
        "tests/fixtures/npm/nested-v1.json",
    ];
    let a = sovra(&args);
    let b = sovra(&args);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    let inv: Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(inv["inputs"].as_array().unwrap().len(), 3);
    assert_eq!(inv["packages"].as_array().unwrap().len(), 17 + 7 + 8);
    assert_eq!(inv["roots"].as_array().unwrap().len(), 2 + 2 + 1);

    let Some(path) = corpus_str("cargo/cargo-deny/metadata.json") else {
        return;
    };
    let a = sovra(&["inventory", "--format", "json", &path]);
    let b = sovra(&["inventory", "--format", "json", &path]);
    assert_eq!(a.stdout, b.stdout);
    let a = sovra(&["inventory", &path]);
    let b = sovra(&["inventory", &path]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn inventory_of_the_sample() {
    let out = sovra(&["inventory", "samples/rust-service"]);
    assert!(out.status.success());
    insta::assert_snapshot!("inventory_human", String::from_utf8_lossy(&out.stdout));
    let out = sovra(&["inventory", "--format", "json", "samples/rust-service"]);
    assert!(out.status.success());
    insta::assert_snapshot!("inventory_json", String::from_utf8_lossy(&out.stdout));
    let out = sovra(&[
        "inventory",
        "tests/fixtures/npm/workspace-v3.json",
        "tests/fixtures/npm/nested-v1.json",
    ]);
    assert!(out.status.success());
    insta::assert_snapshot!("inventory_human_npm", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn why_explains_inclusion_paths() {
    let run = |pkg: &str| {
        let out = sovra(&["why", pkg, "samples/rust-service"]);
        format!(
            "status: {:?}\n--- stdout\n{}--- stderr\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    insta::assert_snapshot!("why_runtime", run("itoa"));
    insta::assert_snapshot!("why_build_and_dev", run("autocfg") + &run("fastrand"));
    insta::assert_snapshot!(
        "why_purl_and_version",
        run("pkg:cargo/smallvec") + &run("serde_core@1.0.229")
    );
    insta::assert_snapshot!("why_root", run("model"));
    let npm = |pkg: &str| {
        let out = sovra(&["why", pkg, "tests/fixtures/npm/workspace-v3.json"]);
        format!(
            "status: {:?}\n--- stdout\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout)
        )
    };
    insta::assert_snapshot!(
        "why_npm_versions_and_scopes",
        npm("left") + &npm("pkg:npm/@city/ui") + &npm("@city/forms@0.3.0")
    );
    insta::assert_snapshot!("why_no_match", run("serd") + &run("itoa@9.9.9"));
}

#[test]
fn saved_metadata_stands_for_the_manifest_beside_it() {
    // The sample directory holds both; reading it must not run cargo (which would need
    // the registry) and must name the saved file as the input (beside the candidate
    // manifest, which makes the directory a candidate).
    let inv = inventory(&["samples/rust-service"]);
    let inputs: Vec<&str> = inv["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["format"].as_str().unwrap())
        .collect();
    assert_eq!(inputs, ["candidate", "cargo-metadata"]);
    assert!(root().join("samples/rust-service/Cargo.toml").exists());
}

#[test]
fn manifests_run_cargo_metadata_once_per_workspace() {
    // A path-only workspace: `cargo metadata --offline` needs neither network nor cache.
    let out = sovra(&[
        "inventory",
        "--format",
        "json",
        "--offline",
        "--locked",
        "tests/fixtures/cargo/pathonly",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inv: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Three manifests found (root, app, lib), one workspace read.
    let inputs: Vec<&str> = inv["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(inputs, ["tests/fixtures/cargo/pathonly/Cargo.toml"]);
    assert_eq!(root_names(&inv), ["app", "lib"]);
    let lib = package(&inv, "pkg:cargo/lib@0.1.0");
    assert_eq!(lib["source"]["location"], "lib");
    assert_eq!(lib["license"]["reason"], "license-file-only");
    assert_eq!(lib["license_file"], "LICENCE.txt");
    assert_eq!(edge_kinds(&inv), kinds(1, 0, 0, 0));

    // A member's manifest alone reads its whole workspace.
    let out = sovra(&[
        "why",
        "--offline",
        "lib",
        "tests/fixtures/cargo/pathonly/app/Cargo.toml",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("app 0.2.0 (runtime)"));
}

#[test]
fn failing_cargo_metadata_is_a_tool_failure_with_cargos_message() {
    let out = sovra(&[
        "inventory",
        "--offline",
        "tests/fixtures/cargo/unresolvable/Cargo.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`cargo metadata` failed"), "{stderr}");
    assert!(stderr.contains("no-such-crate-for-sovra-tests"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("Cargo.toml");
    std::fs::write(&manifest, "[package]\nname = \"x\"\nversion = \n").unwrap();
    let out = sovra(&["inventory", manifest.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:3:", manifest.display())),
        "{stderr}"
    );
}

#[test]
fn directory_search_skips_installed_and_hidden_trees() {
    let dir = tempfile::tempdir().unwrap();
    let lock = std::fs::read("tests/fixtures/npm/nested-v1.json").unwrap();
    std::fs::write(dir.path().join("package-lock.json"), &lock).unwrap();
    for skipped in ["node_modules/dep", ".git/x", "target/y"] {
        let sub = dir.path().join(skipped);
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join("package-lock.json"), "{\"lockfileVersion\": ").unwrap();
    }
    std::fs::write(dir.path().join("package.json"), "{\"name\": \"kiosk\"}").unwrap();
    let out = sovra(&[
        "inventory",
        "--format",
        "json",
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inv: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(inv["inputs"].as_array().unwrap().len(), 1);
    assert_eq!(inv["packages"].as_array().unwrap().len(), 8);
}

#[test]
fn byte_order_marks_are_read_and_hashed_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let lock = std::fs::read("tests/fixtures/npm/nested-v1.json").unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in String::from_utf8(lock.clone()).unwrap().encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let path = dir.path().join("lock16.json");
    std::fs::write(&path, &utf16).unwrap();
    let inv = inventory(&[path.to_str().unwrap()]);
    assert_eq!(inv["packages"].as_array().unwrap().len(), 8);
    assert_eq!(inv["inputs"][0]["bytes"], utf16.len());

    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(&lock);
    let path = dir.path().join("lock8.json");
    std::fs::write(&path, &bom).unwrap();
    let inv = inventory(&[path.to_str().unwrap()]);
    assert_eq!(inv["packages"].as_array().unwrap().len(), 8);
    assert_eq!(inv["inputs"][0]["bytes"], bom.len());
}

#[test]
fn every_json_field_is_documented() {
    let doc = std::fs::read_to_string(root().join("docs/inventory-json.md")).unwrap();
    let inv = inventory(&[
        "samples/rust-service/metadata.json",
        "tests/fixtures/npm/workspace-v3.json",
        "tests/fixtures/cargo/sources.json",
    ]);
    fn keys(v: &Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    out.insert(k.clone());
                    keys(v, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| keys(i, out)),
            _ => {}
        }
    }
    let mut all = std::collections::BTreeSet::new();
    keys(&inv, &mut all);
    let undocumented: Vec<&String> = all
        .iter()
        .filter(|k| !doc.contains(&format!("`{k}`")))
        .collect();
    assert!(
        undocumented.is_empty(),
        "not in docs/inventory-json.md: {undocumented:?}"
    );
    assert!(doc.contains(inv["schema"].as_str().unwrap()));
}

/// Packages whose scope in sovra's graph disagrees with npm's own flags: every entry of
/// a name@version marked `dev` while sovra reaches it outside dev, or none marked `dev`
/// or `devOptional` while sovra reaches it in dev only.
fn npm_flag_disagreements(lock_path: &str) -> Vec<String> {
    let lock: Value = serde_json::from_slice(&std::fs::read(lock_path).unwrap()).unwrap();
    let inv = inventory(&[lock_path]);
    let mut flags: BTreeMap<(String, String), Vec<(bool, bool)>> = BTreeMap::new();
    let flag = |e: &Value| {
        let dev = e["dev"].as_bool().unwrap_or(false);
        (dev, dev || e["devOptional"].as_bool().unwrap_or(false))
    };
    if lock["lockfileVersion"].as_u64().unwrap_or(1) >= 2 {
        for (k, e) in lock["packages"].as_object().unwrap() {
            if k.is_empty() || e["link"] == true {
                continue;
            }
            let name = e["name"].as_str().map_or_else(
                || k.rsplit("node_modules/").next().unwrap().to_owned(),
                str::to_owned,
            );
            let version = e["version"].as_str().unwrap_or_default().to_owned();
            flags.entry((name, version)).or_default().push(flag(e));
        }
    } else {
        fn walk(
            deps: &Value,
            flags: &mut BTreeMap<(String, String), Vec<(bool, bool)>>,
            flag: &dyn Fn(&Value) -> (bool, bool),
        ) {
            for (k, e) in deps.as_object().into_iter().flatten() {
                let version = e["version"].as_str().unwrap_or_default().to_owned();
                flags.entry((k.clone(), version)).or_default().push(flag(e));
                walk(&e["dependencies"], flags, flag);
            }
        }
        walk(&lock["dependencies"], &mut flags, &flag);
    }
    let scope: BTreeMap<(String, String), String> = inv["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                (
                    p["name"].as_str().unwrap().to_owned(),
                    p["version"].as_str().unwrap_or_default().to_owned(),
                ),
                p["scope"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut out = Vec::new();
    for (key, fs) in flags {
        let ours = &scope[&key];
        let dev = fs.iter().all(|f| f.0);
        let dev_or_optional = fs.iter().all(|f| f.1);
        if (dev && ours != "dev") || (!dev_or_optional && ours == "dev") {
            out.push(format!("{}@{}", key.0, key.1));
        }
    }
    out
}

#[test]
fn npm_scopes_agree_with_npms_own_flags() {
    // npm marks every entry `dev` when only development needs it; sovra derives the same
    // from the graph. The known differences: an optional peer dependency, which sovra
    // keeps as an optional run-time edge while npm counts it as development only
    // (`prisma` → `fsevents`), and dependencies of packages bundled inside `npm` itself,
    // which npm 6 resolves to top-level development entries.
    for &(rel, ..) in NPM {
        let Some(path) = corpus_str(rel) else {
            return;
        };
        let expected: &[&str] = match rel {
            "npm/Aitema-gmbh__terminvergabe/backend/package-lock.json" => &["fsevents@2.3.3"],
            "npm/cdxgen-testdata/package-lock-v1.json" => &[
                "clone@1.0.2",
                "inherits@2.0.3",
                "once@1.3.3",
                "process-nextick-args@1.0.7",
                "readable-stream@2.3.3",
                "safe-buffer@5.1.1",
                "string_decoder@1.0.3",
            ],
            _ => &[],
        };
        assert_eq!(npm_flag_disagreements(&path), expected, "{rel}");
    }
}

#[test]
fn corpus_sboms_are_detected_from_content() {
    use sovra::assess::detect;
    use sovra::model::InputFormat;

    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    for top in ["cyclonedx", "spdx"] {
        let Some(dir) = corpus(top) else {
            eprintln!("note: corpus `{top}` absent, test skipped");
            return;
        };
        let mut files = Vec::new();
        walk(&dir, &mut files);
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let rel = file
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            // What each file is, from where the corpus keeps it (the detector only
            // sees the bytes).
            let expected = if !(name.ends_with(".json")
                || name.ends_with(".spdx")
                || name.ends_with(".xml"))
            {
                continue;
            } else if name.starts_with("invalid-bomformat")
                || rel.contains("schema")
                || rel.contains("3.0.1-model")
                || (top == "spdx" && name.ends_with(".xml") && !name.starts_with("pom"))
            {
                None
            } else if name.starts_with("pom") && name.ends_with(".xml") {
                // The Maven projects the SPDX examples build.
                Some(InputFormat::MavenPom)
            } else if top == "cyclonedx" && name.ends_with(".xml") {
                Some(InputFormat::CycloneDxXml)
            } else if top == "cyclonedx" {
                Some(InputFormat::CycloneDxJson)
            } else if name.ends_with(".spdx3.json")
                || (rel.contains("spdx3")
                    && (rel.contains("spdx-3-model")
                        || rel.contains("spdx3.0")
                        || rel.contains("spdx-spec")))
            {
                Some(InputFormat::Spdx3JsonLd)
            } else if name.ends_with(".spdx") {
                Some(InputFormat::SpdxTagValue)
            } else {
                Some(InputFormat::SpdxJson)
            };
            let bytes = std::fs::read(&file).unwrap();
            assert_eq!(detect(&bytes), expected, "{}", file.display());
            *tally
                .entry(expected.map_or("none", |f| f.as_str()).to_owned())
                .or_default() += 1;
        }
    }
    let tally: Vec<(&str, usize)> = tally.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        tally,
        [
            ("cyclonedx-json", 524),
            ("cyclonedx-xml", 177),
            ("maven-pom", 2),
            ("none", 26),
            ("spdx-json", 25),
            ("spdx-tag-value", 17),
            ("spdx3-jsonld", 45)
        ]
    );
}

/// Every file below `dir`, sorted; `Cargo.toml` manifests (read by running cargo) left out.
fn files_below(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_below(&path, out);
        } else if path.file_name().is_some_and(|n| n != "Cargo.toml") {
            out.push(path);
        }
    }
}

/// The evidence record of every file read names the file as it lies on disk: its
/// SHA-256 and size are those of the bytes read (a byte-order mark and UTF-16 included),
/// so a buyer's `sha256sum` gives the recorded hash. Checked on every input of every
/// sample and corpus file that reads: the POMs a `pom.xml` pulls in from its tree, and the
/// manifest a lockfile is read with, each recorded as a file of its own.
#[test]
fn every_evidence_record_hashes_the_file_as_read() {
    use sha2::Digest as _;
    let mut files = Vec::new();
    files_below(&root().join("samples"), &mut files);
    for dir in ["lockfiles", "cyclonedx", "spdx", "opendesk"] {
        if let Some(d) = corpus(dir) {
            files_below(&d, &mut files);
        }
    }
    let opts = sovra::assess::IngestOptions {
        offline: true,
        ..Default::default()
    };
    let (mut read, mut records) = (0, 0);
    let mut formats = std::collections::BTreeSet::new();
    for file in &files {
        let Ok(inv) = sovra::assess::read_inventory(std::slice::from_ref(file), &opts) else {
            continue;
        };
        read += 1;
        for input in &inv.inputs {
            let bytes = std::fs::read(&input.path).unwrap();
            let want = sha2::Sha256::digest(&bytes);
            let want: String = want.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(
                input.sha256,
                want,
                "{} (read as {})",
                input.path.display(),
                file.display()
            );
            assert_eq!(input.bytes, bytes.len() as u64, "{}", input.path.display());
            records += 1;
            formats.insert(input.format.as_str());
        }
    }
    // The manifests read beside lockfiles (the openDesk sample has each) are evidence too.
    for companion in ["composer-json", "pyproject-toml", "package-json", "go-sum"] {
        assert!(formats.contains(companion), "{companion}: {formats:?}");
    }
    eprintln!(
        "{read} of {} files read, {records} evidence records checked",
        files.len()
    );
    assert!(
        records >= read && read > 20,
        "{read} files, {records} records"
    );
}

/// A module POM with a byte-order mark is recorded by the bytes on disk, not by the text
/// decoded from them.
#[test]
fn a_module_pom_with_a_byte_order_mark_is_hashed_as_read() {
    use sha2::Digest as _;
    let dir = tempfile::tempdir().unwrap();
    let parent = "<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId>\
        <artifactId>parent</artifactId><version>1</version><packaging>pom</packaging>\
        <modules><module>child</module></modules></project>\n";
    let child = "\u{feff}<project><modelVersion>4.0.0</modelVersion><parent><groupId>g</groupId>\
        <artifactId>parent</artifactId><version>1</version></parent><artifactId>child</artifactId>\
        <dependencies><dependency><groupId>c</groupId><artifactId>d</artifactId>\
        <version>3</version></dependency></dependencies></project>\n";
    std::fs::write(dir.path().join("pom.xml"), parent).unwrap();
    std::fs::create_dir(dir.path().join("child")).unwrap();
    std::fs::write(dir.path().join("child/pom.xml"), child).unwrap();
    let inv = sovra::assess::read_inventory(
        &[dir.path().join("pom.xml")],
        &sovra::assess::IngestOptions::default(),
    )
    .unwrap();
    let record = inv
        .inputs
        .iter()
        .find(|f| f.path.ends_with("child/pom.xml"))
        .unwrap();
    let want: String = sha2::Sha256::digest(child.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(record.bytes, child.len() as u64);
    assert_eq!(record.sha256, want);
}

/// A parent POM read only for what a project inherits is evidence too: one record of
/// its own, and one only when a directory read also takes it as a project.
#[test]
fn a_parent_pom_read_for_inheritance_is_recorded_once() {
    let dir = tempfile::tempdir().unwrap();
    let child = "<project><modelVersion>4.0.0</modelVersion><parent><groupId>g</groupId>\
        <artifactId>parent</artifactId><version>1</version>\
        <relativePath>parent/pom.xml</relativePath></parent><artifactId>app</artifactId>\
        <dependencies><dependency><groupId>c</groupId><artifactId>d</artifactId>\
        </dependency></dependencies></project>\n";
    let parent = "<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId>\
        <artifactId>parent</artifactId><version>1</version><packaging>pom</packaging>\
        <dependencyManagement><dependencies><dependency><groupId>c</groupId>\
        <artifactId>d</artifactId><version>3</version></dependency></dependencies>\
        </dependencyManagement></project>\n";
    std::fs::write(dir.path().join("pom.xml"), child).unwrap();
    std::fs::create_dir(dir.path().join("parent")).unwrap();
    std::fs::write(dir.path().join("parent/pom.xml"), parent).unwrap();
    let opts = sovra::assess::IngestOptions::default();
    let records = |input: std::path::PathBuf| {
        let inv = sovra::assess::read_inventory(&[input], &opts).unwrap();
        // The version the parent manages reached the dependency.
        assert!(
            inv.packages
                .iter()
                .any(|p| p.name == "c:d" && p.version.as_deref() == Some("3")),
            "{:?}",
            inv.packages
        );
        inv.inputs
            .iter()
            .map(|f| {
                let rel = f.path.strip_prefix(dir.path()).unwrap().to_owned();
                (rel.to_string_lossy().into_owned(), f.bytes)
            })
            .collect::<Vec<_>>()
    };
    let want = [
        ("pom.xml".to_owned(), child.len() as u64),
        ("parent/pom.xml".to_owned(), parent.len() as u64),
    ];
    assert_eq!(records(dir.path().join("pom.xml")), want);
    assert_eq!(records(dir.path().to_owned()), want);
}
