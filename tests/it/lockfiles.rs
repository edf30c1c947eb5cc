//! Lockfiles of every ecosystem, read offline: the corpus fixtures and the openDesk
//! components' real lockfiles.
//!
//! Expected counts were computed independently of sovra, from the documents themselves
//! with Python's `json` and `tomllib` and regular expressions:
//! - packages: Composer `len(packages) + len(packages-dev)`, Poetry `len(package)`, Pipfile
//!   the distinct name and version pairs of `default` and `develop`, NuGet the distinct
//!   name and `resolved` pairs over all frameworks, Gemfile the four-space `name (version)`
//!   lines, go.mod the `require` lines, Gradle the `group:artifact:version` lines, Yarn the
//!   entries (each with its own name and version), pnpm the distinct `packages` keys with
//!   their peer suffixes cut off plus one per importer, requirements files the requirement
//!   lines (not options, archives or URLs), each plus one for the project where
//!   the format has no entry for it (uv.lock and Cargo.lock have one);
//! - edges: Cargo.lock the sum of the `dependencies` lists (each names one package),
//!   go.mod, Gradle and requirements files one per module or requirement;
//! - roots: Cargo.lock the packages without `source`, uv.lock its workspace members;
//! - Maven: with Python's `xml.etree`, the distinct `groupId:artifactId:version` of the
//!   project's `<dependencies>` and of its profiles active by default (properties
//!   substituted by hand, plugins' dependencies and `<dependencyManagement>` left out),
//!   plus those inherited from a parent in the same tree, plus one for the project;
//!   edges one per declaration with both `groupId` and `artifactId`.

// Helpers outside `#[test]` functions unwrap (a missing field is a failed test).
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use serde_json::Value;

use crate::support::{corpus, sovra};

/// The corpus file `rel`: absent, the test is skipped with a note, unless `CI` is set,
/// where an absent prerequisite fails.
fn need(rel: &str) -> Option<String> {
    match corpus(rel) {
        Some(p) => Some(p.to_string_lossy().into_owned()),
        None if std::env::var_os("CI").is_some() => {
            panic!("corpus file `{rel}` absent, and CI is set")
        }
        None => {
            eprintln!("note: corpus file `{rel}` absent, test skipped");
            None
        }
    }
}

fn inventory(path: &str) -> Value {
    let out = sovra(&["inventory", "--format", "json", path]);
    assert!(
        out.status.success(),
        "{path}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn len(v: &Value, key: &str) -> usize {
    v[key].as_array().unwrap().len()
}

/// (corpus path, detected format, packages, edges or `None`, roots)
const CASES: &[(&str, &str, usize, Option<usize>, usize)] = &[
    (
        "opendesk/nextcloud/3rdparty/composer.lock",
        "composer-lock",
        91,
        None,
        1,
    ),
    (
        "lockfiles/composer/osv-scalibr/drupal-packages.json",
        "composer-lock",
        5,
        None,
        1,
    ),
    (
        "lockfiles/composer/osv-scalibr/one-package-dev.json",
        "composer-lock",
        2,
        None,
        1,
    ),
    ("opendesk/synapse/poetry.lock", "poetry-lock", 136, None, 1),
    (
        "lockfiles/poetry/osv-scalibr/multiple-packages.v2.lock",
        "poetry-lock",
        12,
        None,
        1,
    ),
    (
        "lockfiles/poetry/osv-scalibr/source-git.lock",
        "poetry-lock",
        2,
        None,
        1,
    ),
    (
        "opendesk/notes-docs/src/backend/uv.lock",
        "uv-lock",
        173,
        None,
        1,
    ),
    (
        "lockfiles/uv/osv-scalibr/grouped-packages.lock",
        "uv-lock",
        15,
        None,
        1,
    ),
    (
        "lockfiles/uv/osv-scalibr/source-git.lock",
        "uv-lock",
        2,
        None,
        1,
    ),
    (
        "opendesk/synapse/Cargo.lock",
        "cargo-lock",
        198,
        Some(503),
        1,
    ),
    (
        "opendesk/matrix-authentication-service/Cargo.lock",
        "cargo-lock",
        725,
        Some(2730),
        28,
    ),
    (
        "lockfiles/cargo/osv-scalibr/two-packages-with-local.lock",
        "cargo-lock",
        2,
        Some(0),
        1,
    ),
    (
        "lockfiles/pipenv/osv-scalibr/multiple-packages.json",
        "pipfile-lock",
        5,
        Some(5),
        1,
    ),
    (
        "lockfiles/pipenv/osv-scalibr/two-packages.json",
        "pipfile-lock",
        3,
        Some(2),
        1,
    ),
    (
        "lockfiles/nuget/osv-scanner-v1.9.2/two-frameworks-mixed-packages.v1.json",
        "nuget-lock",
        4,
        None,
        1,
    ),
    (
        "lockfiles/nuget/osv-scalibr/valid/packages.lock.json",
        "nuget-lock",
        9,
        None,
        1,
    ),
    (
        "lockfiles/bundler/osv-scalibr/rails.lock",
        "gemfile-lock",
        47,
        None,
        1,
    ),
    (
        "lockfiles/bundler/osv-scalibr/has-git-gem.lock",
        "gemfile-lock",
        6,
        None,
        1,
    ),
    (
        "lockfiles/bundler/osv-scalibr/has-local-gem.lock",
        "gemfile-lock",
        31,
        None,
        1,
    ),
    ("opendesk/lk-jwt-service/go.mod", "go-mod", 87, Some(86), 1),
    (
        "lockfiles/go/osv-scalibr/indirect-packages.mod",
        "go-mod",
        6,
        Some(5),
        1,
    ),
    (
        "lockfiles/go/osv-scalibr/two-packages.mod",
        "go-mod",
        3,
        Some(2),
        1,
    ),
    (
        "lockfiles/gradle/osv-scalibr/5-pkg",
        "gradle-lockfile",
        6,
        Some(5),
        1,
    ),
    (
        "opendesk/matrix-neoboard/yarn.lock",
        "yarn-lock",
        902,
        None,
        1,
    ),
    (
        "lockfiles/yarn/osv-scalibr/multiple-versions.v1.lock",
        "yarn-lock",
        5,
        None,
        1,
    ),
    (
        "lockfiles/yarn/osv-scalibr/scoped-packages.v2.lock",
        "yarn-lock",
        4,
        None,
        1,
    ),
    (
        "lockfiles/yarn/osv-scalibr/commits.v2.lock",
        "yarn-lock",
        8,
        None,
        1,
    ),
    (
        "opendesk/matrix-authentication-service/pnpm-lock.yaml",
        "pnpm-lock",
        863,
        None,
        3,
    ),
    (
        "lockfiles/pnpm/osv-scalibr/peer-dependencies.yaml",
        "pnpm-lock",
        3,
        None,
        1,
    ),
    (
        "lockfiles/pnpm/osv-scalibr/peer-dependencies-v6.yaml",
        "pnpm-lock",
        6,
        None,
        1,
    ),
    (
        "lockfiles/pnpm/osv-scalibr/mixed-groups.v9.yaml",
        "pnpm-lock",
        4,
        None,
        1,
    ),
    (
        "lockfiles/pnpm/osv-scalibr/multiple-versions.v9.yaml",
        "pnpm-lock",
        4,
        None,
        1,
    ),
    (
        "lockfiles/pnpm/osv-scalibr/multiple-packages.yaml",
        "pnpm-lock",
        15,
        None,
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/empty.xml",
        "maven-pom",
        1,
        Some(0),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/encoding.xml",
        "maven-pom",
        2,
        Some(1),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/ambiguous-interpolation.xml",
        "maven-pom",
        2,
        Some(1),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/explicit-jar.xml",
        "maven-pom",
        3,
        Some(2),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/interpolate-drop.xml",
        "maven-pom",
        2,
        Some(1),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/interpolation.xml",
        "maven-pom",
        4,
        Some(3),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/multi-version.xml",
        "maven-pom",
        3,
        Some(2),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/one-package.xml",
        "maven-pom",
        2,
        Some(1),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/plugin-dependency.xml",
        "maven-pom",
        2,
        Some(1),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/profiles.xml",
        "maven-pom",
        2,
        Some(1),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/transitive.xml",
        "maven-pom",
        4,
        Some(3),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/two-packages.xml",
        "maven-pom",
        3,
        Some(2),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/with-dependency-management.xml",
        "maven-pom",
        3,
        Some(2),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/with-multiple-classifiers.xml",
        "maven-pom",
        2,
        Some(1),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/with-parent.xml",
        "maven-pom",
        6,
        Some(5),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/with-scope.xml",
        "maven-pom",
        3,
        Some(2),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/with-type-classifier.xml",
        "maven-pom",
        2,
        Some(1),
        1,
    ),
    (
        "lockfiles/maven/osv-scalibr/parent/pom.xml",
        "maven-pom",
        2,
        Some(1),
        1,
    ),
];

#[test]
fn lockfiles_of_the_corpus() {
    for &(rel, format, packages, edges, roots) in CASES {
        let Some(path) = need(rel) else { return };
        let inv = inventory(&path);
        assert_eq!(inv["inputs"][0]["format"], format, "{rel}");
        assert_eq!(len(&inv, "packages"), packages, "{rel}");
        if let Some(edges) = edges {
            assert_eq!(len(&inv, "edges"), edges, "{rel}");
        }
        assert_eq!(len(&inv, "roots"), roots, "{rel}");
        // Every package of a registry has its purl.
        for p in inv["packages"].as_array().unwrap() {
            if p["source"] == "default-registry" {
                assert!(p["purl"].is_string(), "{rel}: {p}");
            }
        }
    }
}

#[test]
fn manifests_beside_lockfiles_name_the_project_and_its_scopes() {
    let Some(path) = need("opendesk/synapse/poetry.lock") else {
        return;
    };
    let inv = inventory(&path);
    let root = &inv["packages"][inv["roots"][0].as_u64().unwrap() as usize];
    assert_eq!(root["name"], "matrix-synapse");
    assert!(inv["notices"].as_array().unwrap().is_empty());
    let kinds: std::collections::BTreeSet<&str> = inv["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["dev", "optional", "runtime"]
    );

    let Some(path) = need("opendesk/nextcloud/3rdparty/composer.lock") else {
        return;
    };
    let inv = inventory(&path);
    // `replace` in composer.json satisfies the polyfills: nothing is left unresolved.
    assert!(
        inv["notices"].as_array().unwrap().is_empty(),
        "{}",
        inv["notices"]
    );
    let licensed = inv["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["declared"].as_array().is_some_and(|d| !d.is_empty()))
        .count();
    assert_eq!(licensed, 91);
}

/// Every `Pipfile.lock` entry is needed by the project in its own section, at its own
/// version: `develop` locks pluggy 1.0.0 where `default` locks 1.0.1, and each keeps
/// its edge (read by name alone, the dev edge went to 1.0.1 and left 1.0.0 unneeded).
#[test]
fn pipfile_sections_keep_their_own_versions() {
    let Some(path) = need("lockfiles/pipenv/osv-scalibr/multiple-packages.json") else {
        return;
    };
    let inv = inventory(&path);
    let name = |i: &Value| {
        let p = &inv["packages"][i.as_u64().unwrap() as usize];
        format!("{}@{}", p["name"].as_str().unwrap(), p["version"])
    };
    let root = &inv["roots"][0];
    let mut edges: Vec<(String, &str)> = inv["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["from"], *root, "{e}");
            (name(&e["to"]), e["kind"].as_str().unwrap())
        })
        .collect();
    edges.sort();
    assert_eq!(
        edges,
        [
            ("itsdangerous@\"2.1.2\"".to_owned(), "dev"),
            ("itsdangerous@\"2.1.2\"".to_owned(), "runtime"),
            ("markupsafe@\"2.1.1\"".to_owned(), "runtime"),
            ("pluggy@\"1.0.0\"".to_owned(), "dev"),
            ("pluggy@\"1.0.1\"".to_owned(), "runtime"),
        ]
    );
}

#[test]
fn malformed_lockfiles_name_file_line_and_column() {
    for (rel, expect) in [
        (
            "lockfiles/bundler/osv-scalibr/invalid.lock",
            ":4:5: a locked gem: expected `name (version)`",
        ),
        (
            "lockfiles/pnpm/osv-scalibr/invalid-path.yaml",
            "invalid-path.yaml:18:5: `invalidpath` is no pnpm package path",
        ),
        (
            "lockfiles/go/osv-scalibr/not-go-mod.mod",
            "unrecognised input format",
        ),
        (
            "lockfiles/maven/osv-scalibr/invalid-syntax.xml",
            "invalid-syntax.xml:3:6: ",
        ),
        (
            "lockfiles/maven/osv-scalibr/not-pom.txt",
            "unrecognised input format",
        ),
    ] {
        let Some(path) = need(rel) else { return };
        let out = sovra(&["inventory", &path]);
        assert_eq!(out.status.code(), Some(2), "{rel}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{rel}: {err}");
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, text, expect) in [
        (
            "poetry.lock",
            "[[package]]\nname = \"a\"\nversion = [\n",
            "poetry.lock:3:",
        ),
        ("go.mod", "module a\nrequire (\n  x\n)\n", "go.mod:3:3: "),
        (
            "yarn.lock",
            "# yarn lockfile v1\n\na@1:\n  version \"1\"\n  dependencies:\n    b\n",
            "yarn.lock:6:5: ",
        ),
        (
            "composer.lock",
            "{\"content-hash\": \"x\", \"packages\": [{\"name\": 1}]}",
            "composer.lock:1:",
        ),
        (
            "pnpm-lock.yaml",
            "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: [\n",
            "pnpm-lock.yaml:",
        ),
        (
            "gradle.lockfile",
            "# This is a Gradle generated file for dependency locking.\na:b=x\n",
            "gradle.lockfile:2:1: ",
        ),
        (
            "pom.xml",
            "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <dependencies>\n    <dependency><scope>sometimes</scope>\n",
            "pom.xml:5:1: ",
        ),
        (
            "pom.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE project [<!ENTITY x \"y\">]>\n<project><modelVersion>4.0.0</modelVersion></project>\n",
            "pom.xml:2:1: a document type declaration",
        ),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let out = sovra(&["inventory", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{name}: {err}");
    }
}

#[test]
fn a_directory_reads_every_lockfile_by_content() {
    let Some(path) = need("opendesk/synapse") else {
        return;
    };
    let inv = inventory(&path);
    let formats: Vec<&str> = inv["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["format"].as_str().unwrap())
        .collect();
    // `pyproject.toml` is read beside `poetry.lock`, as its evidence.
    assert_eq!(formats, ["cargo-lock", "poetry-lock", "pyproject-toml"]);
    assert_eq!(len(&inv, "packages"), 198 + 136);
}

#[test]
fn maven_scopes_parents_and_gaps() {
    let Some(path) = need("lockfiles/maven/osv-scalibr/with-parent.xml") else {
        return;
    };
    let inv = inventory(&path);
    let packages = inv["packages"].as_array().unwrap();
    let by_name = |n: &str| packages.iter().position(|p| p["name"] == n).unwrap();
    // Inherited from `parent/pom.xml`, managed in the project, interpolated.
    assert_eq!(packages[by_name("org.dave:dave")]["version"], "4.0.0");
    assert_eq!(packages[by_name("org.chuck:chuck")]["version"], "3.0.0");
    assert_eq!(
        packages[by_name("org.bob:bob")]["purl"],
        "pkg:maven/org.bob/bob@2.0.0"
    );
    // Managed nowhere in the tree: no version, and said.
    assert!(packages[by_name("org.frank:frank")]["version"].is_null());
    let notices = inv["notices"].to_string();
    for gap in [
        "org.frank:frank",
        "org.import:import:1.2.3",
        "org.upstream:parent-pom:1.0",
        "declares direct dependencies only",
    ] {
        assert!(notices.contains(gap), "{gap}: {notices}");
    }

    let Some(path) = need("lockfiles/maven/osv-scalibr/with-scope.xml") else {
        return;
    };
    let inv = inventory(&path);
    let kinds: Vec<&str> = inv["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["runtime", "dev"]);
}

/// XWiki commons as openDesk's XWiki builds on it: the root POM, a module and a
/// module's module, whose parents between are not among the gathered files.
#[test]
fn maven_multi_module_tree() {
    let Some(path) = need("opendesk/xwiki") else {
        return;
    };
    let inv = inventory(&path);
    assert_eq!(len(&inv, "inputs"), 3);
    assert_eq!(len(&inv, "roots"), 3);
    // The component API's six declared dependencies; the root and core declare none of
    // their own (only managed versions and plugins' dependencies).
    assert_eq!(len(&inv, "packages"), 3 + 6);
    assert_eq!(len(&inv, "edges"), 6);
    let packages = inv["packages"].as_array().unwrap();
    let root = packages
        .iter()
        .find(|p| p["name"] == "org.xwiki.commons:xwiki-commons")
        .unwrap();
    assert_eq!(root["declared"][0], "LGPL 2.1");
    assert_eq!(root["license"]["expression"], "LGPL-2.1-only");
    let api = packages
        .iter()
        .find(|p| p["name"] == "org.xwiki.commons:xwiki-commons-component-api")
        .unwrap();
    // Its parent is not in the tree: its licence is not guessed from the root's.
    assert_eq!(api["license"]["state"], "unknown");
    let notices = inv["notices"].to_string();
    assert!(
        notices.contains("xwiki-commons-component:18.4.4"),
        "{notices}"
    );
    assert!(notices.contains("org.slf4j:slf4j-api"), "{notices}");
}
