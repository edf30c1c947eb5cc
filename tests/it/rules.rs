//! Rules, policies and `sovra check`: one fixture per rule that fires and one that does
//! not, snapshots of exactly what the user sees, output formats, policy errors, tidy
//! checks over the catalogue, agreement with cargo-deny, and sovra's own workspace.

#![allow(clippy::unwrap_used)] // helpers of tests: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use crate::support::{self, corpus, root, sovra};

/// The date every test runs on, so exception expiry is deterministic.
const TODAY: &str = "2026-11-22";

fn text(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// stdout, stderr (when any) and the exit status, as one snapshot.
fn shown(out: &std::process::Output) -> String {
    let mut s = text(out);
    let e = stderr(out);
    if !e.is_empty() {
        s.push_str("--- stderr\n");
        s.push_str(&e);
    }
    s.push_str(&format!(
        "--- exit status {}\n",
        out.status.code().unwrap_or(-1)
    ));
    s
}

fn catalogue_ids() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(root().join("rules/catalogue"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

fn fixture(rule: &str, case: &str) -> PathBuf {
    Path::new(support::RULE_FIXTURES).join(rule).join(case)
}

/// Rules a fixture runs besides its own: the exception rules need the rule their
/// fixture's exception is about.
fn also_select(rule: &str) -> &'static str {
    match rule {
        "POL001" | "POL002" => ",LIC003",
        _ => "",
    }
}

/// Runs `sovra check` over a fixture case with only its rule selected.
fn check_fixture(rule: &str, case: &str, format: &str) -> std::process::Output {
    let dir = fixture(rule, case);
    let mut args = support::case_args(&dir);
    let select = format!("{rule}{}", also_select(rule));
    args.extend(
        [
            "--select",
            select.as_str(),
            "--date",
            TODAY,
            "--fail-on",
            "warn",
            "--format",
            format,
        ]
        .map(String::from),
    );
    let mut argv = vec!["check"];
    argv.extend(args.iter().map(String::as_str));
    sovra(&argv)
}

/// Rules with a fixture directory (`tests/fixtures/rules/<ID>/`).
fn fixture_ids() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(root().join(support::RULE_FIXTURES))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

#[test]
fn every_rule_fires_on_its_fixture_and_not_on_the_other() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots/rules");
    let catalogue = catalogue_ids();
    settings.bind(|| {
        for rule in fixture_ids() {
            assert!(
                catalogue.contains(&rule),
                "fixture for unknown rule `{rule}`"
            );
            let tag = format!("[{rule}]");
            let fire = check_fixture(&rule, "fire", "human");
            let out = text(&fire);
            assert!(
                out.contains(&tag) && fire.status.code() == Some(1),
                "{rule}: the `fire` fixture must produce a failing `{rule}` finding:\n{}",
                shown(&fire)
            );
            insta::assert_snapshot!(format!("{rule}-fire"), shown(&fire));

            let pass = check_fixture(&rule, "pass", "human");
            assert!(
                !text(&pass).contains(&tag) && pass.status.code() == Some(0),
                "{rule}: the `pass` fixture must not produce a `{rule}` finding:\n{}",
                shown(&pass)
            );
            insta::assert_snapshot!(format!("{rule}-pass"), shown(&pass));
        }
    });
}

/// Every catalogue rule has `fire` and `pass` fixtures (`tests/fixtures/rules/<ID>/`),
/// both snapshots of `every_rule_fires_on_its_fixture_and_not_on_the_other`, and docs
/// with the four sections.
#[test]
fn tidy_every_rule_has_docs_fixtures_and_snapshots() {
    let ids = catalogue_ids();
    // What the files say, not their names: ids and names are unique, and an id is its
    // file's name.
    let mut seen_ids = std::collections::BTreeMap::new();
    let mut seen_names = std::collections::BTreeMap::new();
    for id in &ids {
        let path = root().join("rules/catalogue").join(format!("{id}.toml"));
        let doc: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
        let own_id = doc["id"].as_str().unwrap().to_owned();
        let name = doc["name"].as_str().unwrap().to_owned();
        assert_eq!(&own_id, id, "{}: id is not the file name", path.display());
        if let Some(first) = seen_ids.insert(own_id.clone(), id.clone()) {
            panic!("rule id `{own_id}` in both {first}.toml and {id}.toml");
        }
        if let Some(first) = seen_names.insert(name.clone(), id.clone()) {
            panic!("rule name `{name}` used by both {first} and {id}");
        }
    }
    let snapshots = root().join("tests/it/snapshots/rules");
    for id in &ids {
        for case in ["fire", "pass"] {
            assert!(
                root().join(fixture(id, case)).is_dir(),
                "{id}: no `{case}` fixture; add tests/fixtures/rules/{id}/{case}/ with the inputs the rule needs"
            );
            let snap = snapshots.join(format!("{id}-{case}.snap"));
            assert!(
                snap.is_file(),
                "{id}: no snapshot {}",
                snap.strip_prefix(root()).unwrap().display()
            );
        }
        let out = sovra(&["rules", "explain", id]);
        assert!(out.status.success(), "{}", stderr(&out));
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## How to resolve",
        ] {
            assert!(text(&out).contains(section), "{id} lacks `{section}`");
        }
    }
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn tidy_every_source_file_starts_with_a_doc_comment() {
    let files: Vec<PathBuf> = walk_files(&root().join("src"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    let missing: Vec<String> = files
        .iter()
        .filter(|p| {
            let t = std::fs::read_to_string(p).unwrap();
            !t.lines()
                .find(|l| !l.trim().is_empty() && !l.starts_with("#!"))
                .is_some_and(|l| l.starts_with("//!"))
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a `//!` header: {missing:?}"
    );
}

/// The rule reference (`sovra rules reference`, Markdown) is generated from the
/// catalogue the binary carries: a section per rule, in id order, each with its
/// documentation. Nothing is committed that a new rule would have to regenerate.
#[test]
fn rule_reference_covers_every_rule() {
    let out = sovra(&["rules", "reference"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let reference = text(&out);
    let mut at = 0;
    for id in catalogue_ids() {
        let heading = format!("## {id}");
        let found = reference[at..]
            .find(&heading)
            .unwrap_or_else(|| panic!("{id}: no section, or out of order"));
        at += found + heading.len();
    }
    assert_eq!(
        reference.matches("### Why it matters").count(),
        catalogue_ids().len(),
        "every rule says why it matters"
    );
}

#[test]
fn rules_list_and_explain() {
    // One line per rule of the catalogue, in id order: id, level, on/off, name, summary.
    let list = text(&sovra(&["rules", "list"]));
    let listed: Vec<&str> = list
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(listed, catalogue_ids(), "{list}");
    for l in list.lines() {
        let cols: Vec<&str> = l.split_whitespace().collect();
        assert!(cols.len() >= 5, "{l}");
        assert!(
            ["gate", "deny", "warn", "note", "allow"].contains(&cols[1]),
            "{l}"
        );
        assert!(["on", "off"].contains(&cols[2]), "{l}");
    }
    assert!(
        list.lines().any(|l| l.starts_with("LIC007  deny  off")),
        "{list}"
    );
    insta::assert_snapshot!(
        "rules-explain-LIC005",
        shown(&sovra(&["rules", "explain", "lic005"]))
    );
    let out = sovra(&["rules", "explain", "LIC999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown rule `LIC999`"));
}

#[test]
fn policy_show_records_the_layer_of_every_value() {
    let out = sovra(&[
        "policy",
        "show",
        "--policy",
        "ci-strict",
        "--no-project-policy",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let t = text(&out);
    assert!(t.starts_with("# effective policy: baseline → de-public-sector → ci-strict\n"));
    assert!(
        t.contains("[rules.POL002]\nenabled = true  # catalogue\nlevel = \"deny\"  # ci-strict\n")
    );
    // The snapshot keeps what the policy layers set: a rule section whose every line comes
    // from the catalogue is the catalogue's (checked above by `rules list` and the fixtures),
    // so a new rule does not change this snapshot.
    let layered: Vec<&str> = t
        .split("\n\n")
        .filter(|block| {
            !block.starts_with("[rules.")
                || block.lines().skip(1).any(|l| !l.ends_with("# catalogue"))
        })
        .collect();
    assert!(
        t.matches("\n[rules.").count()
            > layered.iter().filter(|b| b.starts_with("[rules.")).count(),
        "catalogue-only rule sections exist and are left out"
    );
    insta::assert_snapshot!("policy-show-ci-strict", layered.join("\n\n"));

    // A project file next to the inputs is the last layer.
    let out = sovra(&[
        "policy",
        "show",
        "--project-policy",
        "tests/fixtures/rules/LIC009/fire/bom.json",
    ]);
    let t = text(&out);
    assert!(
        t.contains("params.threshold = 0.25  # tests/fixtures/rules/LIC009/fire/sovra.toml"),
        "{t}"
    );
}

#[test]
fn policy_problems_are_reported_at_once_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("policy.toml");
    std::fs::write(
        &p,
        r#"extends = "baseline"
deployment = "cloud"
colour = "blue"

[licenses]
prefer = ["MIT", "Not a licence"]

[rules.LIC999]
level = "deny"

[rules.LIC009]
level = "fatal"
params = { threshold = 2.0 }

[[exceptions]]
rule = "LIC004"
package = "x"
reason = ""
owner = "me"
expires = "soon"
"#,
    )
    .unwrap();
    let out = sovra(&[
        "check",
        "tests/fixtures/rules/LIC001/pass/bom.json",
        "--policy",
        p.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    assert!(text(&out).is_empty(), "no half-written output");
    let err = stderr(&out).replace(&p.display().to_string(), "policy.toml");
    insta::assert_snapshot!("policy-errors", err);

    // An unknown parent is one problem among the others.
    std::fs::write(&p, "extends = \"baseline-typo\"\ncolour = 1\n").unwrap();
    let out = sovra(&["policy", "show", "--policy", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out).replace(&p.display().to_string(), "policy.toml");
    assert!(
        err.starts_with("error: policy.toml:1:11: unknown policy `baseline-typo`"),
        "{err}"
    );
    assert!(
        err.contains("\npolicy.toml:2:1: unknown key `colour`"),
        "{err}"
    );
}

#[test]
fn exit_status_follows_fail_on() {
    let lic003 = "tests/fixtures/rules/LIC003/fire/bom.json";
    let run = |fail_on: &str| {
        sovra(&[
            "check",
            lic003,
            "--select",
            "LIC003",
            "--date",
            TODAY,
            "--fail-on",
            fail_on,
        ])
        .status
        .code()
    };
    // LIC003 is a `warn` rule.
    assert_eq!(run("warn"), Some(1));
    assert_eq!(run("deny"), Some(0));
    assert_eq!(run("gate"), Some(0));
    let missing = sovra(&["check", "tests/fixtures/rules/no-such-file.json"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn machine_formats() {
    let out = check_fixture("LIC005", "fire", "json");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "sovra.check/3");
    assert_eq!(v["summary"]["deny"], 1);
    // The path is an entry of the `paths` tree; its parents lead to the root.
    let leaf = v["findings"][0]["path"].as_u64().unwrap() as usize;
    assert_eq!(v["paths"][leaf]["package"], "gpl2-only@1.0.0");
    let root = v["paths"][leaf]["parent"].as_u64().unwrap() as usize;
    assert_eq!(v["paths"][root]["package"], "fachverfahren@2.4.0");
    assert!(v["paths"][root]["parent"].is_null());
    insta::assert_snapshot!("format-json", text(&out));

    let out = check_fixture("LIC005", "fire", "junit");
    insta::assert_snapshot!("format-junit", text(&out));
    let x = text(&out);
    assert!(x.contains("<failure type=\"deny\""));
    assert!(x.contains("tests=\"1\" failures=\"1\""));

    let out = check_fixture("LIC007", "fire", "github");
    insta::assert_snapshot!("format-github", text(&out));
    assert!(text(&out).contains(
        "::error file=tests/fixtures/rules/LIC007/fire/bom.json,title=LIC007 (deny)::`mpl-lib@2.0.0`"
    ));

    let out = check_fixture("POL002", "pass", "sarif");
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_sarif_2_1_0(&sarif);
    assert_eq!(
        sarif["runs"][0]["results"][0]["suppressions"][0]["kind"],
        "external"
    );
    let out = check_fixture("LIC005", "fire", "sarif");
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_sarif_2_1_0(&sarif);
    insta::assert_snapshot!("format-sarif", text(&out));
}

/// The constraints of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json, OASIS) that
/// sovra's output touches, checked by hand: the schema is not available offline, and
/// these are its `required` properties, enums and minimums for the objects used, plus
/// the rule the SARIF validator (Microsoft SARIF Multitool `validate`) enforced on an
/// absolute input path.
fn assert_sarif_2_1_0(v: &serde_json::Value) {
    use serde_json::Value;
    let obj = |v: &Value, what: &str| -> serde_json::Map<String, Value> {
        v.as_object()
            .unwrap_or_else(|| panic!("{what} must be an object"))
            .clone()
    };
    let message = |m: &Value, what: &str| {
        let m = obj(m, what);
        assert!(
            m.get("text").is_some_and(Value::is_string) || m.get("id").is_some(),
            "{what}: needs text or id"
        );
    };
    let log = obj(v, "sarifLog");
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().starts_with("https://"));
    let runs = log["runs"].as_array().expect("runs is an array");
    assert!(!runs.is_empty());
    for run in runs {
        let driver = obj(&run["tool"]["driver"], "toolComponent");
        assert!(driver["name"].is_string(), "toolComponent.name is required");
        let rules = driver
            .get("rules")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut ids = std::collections::BTreeSet::new();
        for r in &rules {
            let r = obj(r, "reportingDescriptor");
            assert!(r["id"].is_string(), "reportingDescriptor.id is required");
            assert!(
                ids.insert(r["id"].as_str().unwrap().to_owned()),
                "rule ids unique"
            );
            for key in ["shortDescription", "fullDescription", "help"] {
                if let Some(m) = r.get(key) {
                    assert!(
                        m["text"].is_string(),
                        "multiformatMessageString.text is required"
                    );
                }
            }
            if let Some(c) = r.get("defaultConfiguration") {
                assert!(
                    ["none", "note", "warning", "error"].contains(&c["level"].as_str().unwrap())
                );
            }
            if let Some(t) = r.get("properties").and_then(|p| p.get("tags")) {
                assert!(t.as_array().unwrap().iter().all(Value::is_string));
            }
        }
        if let Some(k) = run.get("columnKind") {
            assert!(["utf16CodeUnits", "unicodeCodePoints"].contains(&k.as_str().unwrap()));
        }
        for res in run["results"].as_array().expect("results is an array") {
            let res = obj(res, "result");
            message(&res["message"], "result.message");
            if let Some(l) = res.get("level") {
                assert!(["none", "note", "warning", "error"].contains(&l.as_str().unwrap()));
            }
            if let Some(i) = res.get("ruleIndex") {
                let i = i.as_i64().unwrap();
                assert!(i >= -1);
                let id = res["ruleId"].as_str().unwrap();
                assert_eq!(rules[i as usize]["id"], id, "ruleIndex points at ruleId");
            }
            for loc in res
                .get("locations")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
            {
                let phys = obj(&loc["physicalLocation"], "physicalLocation");
                let uri = phys["artifactLocation"]["uri"].as_str().unwrap();
                assert!(
                    !uri.contains(' ') && !uri.contains('\\'),
                    "uri-reference: {uri}"
                );
                // SARIF §3.4.3: a relative reference must not begin with a slash.
                assert!(
                    !uri.starts_with('/'),
                    "absolute paths are `file:` URIs: {uri}"
                );
                if let Some(r) = phys.get("region") {
                    assert!(r["startLine"].as_i64().unwrap() >= 1);
                }
                for l in loc
                    .get("logicalLocations")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
                {
                    assert!(l["name"].is_string());
                }
            }
            for s in res
                .get("suppressions")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
            {
                assert!(["inSource", "external"].contains(&s["kind"].as_str().unwrap()));
                if let Some(st) = s.get("status") {
                    assert!(
                        ["accepted", "underReview", "rejected"].contains(&st.as_str().unwrap())
                    );
                }
            }
            if let Some(fp) = res.get("partialFingerprints") {
                assert!(fp.as_object().unwrap().values().all(Value::is_string));
            }
        }
    }
}

#[test]
fn init_writes_a_valid_starter_policy_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = sovra(&["init", d]);
    assert!(out.status.success(), "{}", stderr(&out));
    let written = dir.path().join("sovra.toml");
    let show = sovra(&["policy", "show", "--policy", written.to_str().unwrap()]);
    assert!(
        show.status.success(),
        "the starter policy must load: {}",
        stderr(&show)
    );
    assert!(text(&show).starts_with("# effective policy: baseline → "));
    let before = std::fs::read(&written).unwrap();
    let again = sovra(&["init", d]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists; not overwriting it"));
    assert_eq!(std::fs::read(&written).unwrap(), before);
}

/// One cargo-deny run: the allow-list, the saved metadata, and the crates
/// `cargo deny check licenses` rejected (cargo-deny 0.20.2, `--workspace`, with the same
/// list as `[licenses] allow`; see benches/deny-compare.sh for the command).
struct DenyCase {
    allow: &'static [&'static str],
    metadata: &'static str,
    rejected: &'static [&'static str],
    /// Crates sovra rejects and cargo-deny does not, each a deliberate difference.
    sovra_only: &'static [&'static str],
}

const L1: &[&str] = &["MIT", "Apache-2.0", "Unicode-3.0"];
const L2: &[&str] = &[
    "Apache-2.0",
    "Unlicense",
    "BSD-3-Clause",
    "ISC",
    "Unicode-3.0",
];

const DENY_CASES: &[DenyCase] = &[
    DenyCase {
        allow: L1,
        metadata: "cargo/ripgrep/metadata.json",
        rejected: &["encoding_rs@0.8.35"],
        sovra_only: &[],
    },
    DenyCase {
        allow: L1,
        metadata: "cargo/cargo-deny/metadata.json",
        rejected: &[
            "foldhash@0.1.5",
            "ring@0.17.14",
            "target-lexicon@0.13.3",
            "untrusted@0.9.0",
        ],
        sovra_only: &[],
    },
    DenyCase {
        allow: L2,
        metadata: "cargo/ripgrep/metadata.json",
        rejected: &["lexopt@0.3.2", "textwrap@0.16.2", "zmij@1.0.23"],
        sovra_only: &[],
    },
    DenyCase {
        allow: L2,
        metadata: "cargo/cargo-deny/metadata.json",
        rejected: &[
            "bitvec@1.0.1",
            "bytes@1.11.1",
            "fern@0.7.1",
            "foldhash@0.1.5",
            "funty@2.0.0",
            "generic-array@0.14.7",
            "goblin@0.10.5",
            "nu-ansi-term@0.50.3",
            "radium@0.7.0",
            "redox_syscall@0.5.18",
            "scroll@0.13.0",
            "scroll_derive@0.13.1",
            "strsim@0.11.1",
            "strum@0.28.0",
            "strum_macros@0.28.0",
            "synstructure@0.13.2",
            "tap@1.0.1",
            "target-lexicon@0.13.3",
            "twox-hash@2.1.2",
            "wyz@0.5.1",
            "zmij@1.0.21",
            "zstd@0.13.3",
        ],
        // `smol_str` names `borsh?/std`, a weak feature: cargo metadata's resolve then
        // lists the optional `borsh` (and its build dependency `cfg_aliases`, MIT) although
        // no feature enables it (rust-lang/cargo#10801). cargo-deny resolves features
        // itself and prunes it; sovra reads the resolve as cargo wrote it.
        sovra_only: &["cfg_aliases@0.2.1"],
    },
];

/// `LIC007` with cargo-deny's allow-list rejects the crates cargo-deny rejects. The
/// policy uses `scope = "build"`: with these saved metadata files cargo-deny's graph
/// holds no crate that only dev-dependencies reach.
#[test]
fn license_allow_list_agrees_with_cargo_deny() {
    for case in DENY_CASES {
        let Some(meta) = corpus(case.metadata) else {
            eprintln!("note: corpus absent, skipping cargo-deny agreement");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let policy = dir.path().join("deny-equivalent.toml");
        let allow: Vec<String> = case.allow.iter().map(|a| format!("{a:?}")).collect();
        std::fs::write(
            &policy,
            format!(
                "extends = \"baseline\"\n\n[rules.LIC007]\nenabled = true\nparams = {{ allow = [{}], scope = \"build\", unused = false }}\n",
                allow.join(", ")
            ),
        )
        .unwrap();
        let out = sovra(&[
            "check",
            meta.to_str().unwrap(),
            "--policy",
            policy.to_str().unwrap(),
            "--select",
            "LIC007",
            "--format",
            "json",
            "--no-project-policy",
        ]);
        let v: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", shown(&out)));
        let mut rejected: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{}@{}",
                    f["package"]["name"].as_str().unwrap(),
                    f["package"]["version"].as_str().unwrap()
                )
            })
            .collect();
        rejected.sort();
        let mut expected: Vec<String> = case
            .rejected
            .iter()
            .chain(case.sovra_only)
            .map(|s| s.to_string())
            .collect();
        expected.sort();
        assert_eq!(
            rejected, expected,
            "{} with allow = {:?}",
            case.metadata, case.allow
        );
        assert_eq!(out.status.code(), Some(1));
    }
}

/// sovra checks its own dependencies with its strictest bundled policy (and the
/// exceptions of its own `sovra.toml`, each with a reason and an expiry date).
#[test]
fn sovra_passes_its_own_strictest_policy() {
    let out = sovra(&[
        "check",
        "Cargo.toml",
        "--offline",
        "--locked",
        "--project-policy",
        "--policy",
        "ci-strict",
        "--date",
        TODAY,
    ]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert!(
        t.contains(
            "(policy baseline → de-public-sector → ci-strict → sovra.toml, failing on deny)"
        ),
        "{t}"
    );
}

/// A competence centre's own rules: a catalogue directory named by its policy, layered
/// on the embedded one; its files are validated like the embedded ones, every problem
/// at once.
#[test]
fn user_catalogue_layers_on_top() {
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("rules");
    std::fs::create_dir(&cat).unwrap();
    let rule = r#"id = "ACME001"
name = "no-left-pad"
check = "package-deny"
level = "deny"
summary = "the agency does not accept `left-pad`"
references = ["CSF SOV-6"]

[docs]
what = "Fires on every version of `left-pad`."
why = "It was unpublished once and broke builds everywhere."
example = "A component `left-pad` fires."
resolve = "Use `String.prototype.padStart`."

[params]
packages = [{ name = "left-pad", reason = "agency decision 2026-07" }]
"#;
    std::fs::write(cat.join("ACME001.toml"), rule).unwrap();
    let policy = dir.path().join("agency.toml");
    std::fs::write(&policy, "extends = \"baseline\"\ncatalogue = [\"rules\"]\n").unwrap();
    let out = sovra(&[
        "check",
        "tests/fixtures/rules/SUP006/fire/bom.json",
        "--policy",
        policy.to_str().unwrap(),
        "--select",
        "ACME001",
        "--no-project-policy",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", shown(&out));
    assert!(
        text(&out).contains("error[ACME001]: `left-pad@1.3.0` is banned"),
        "{}",
        shown(&out)
    );

    std::fs::write(
        cat.join("ACME001.toml"),
        rule.replace("check = \"package-deny\"", "check = \"package-ban\"")
            .replace("level = \"deny\"", "level = \"severe\"\ncolour = \"red\""),
    )
    .unwrap();
    let out = sovra(&["policy", "show", "--policy", policy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out).replace(&cat.display().to_string(), "rules");
    insta::assert_snapshot!("user-catalogue-errors", err);
}

/// A reader that goes away (`sovra check … | head`) ends the run quietly with status 0,
/// although the findings alone would give status 1.
#[test]
fn broken_pipe_exits_zero() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let components: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                r#"{{"type":"library","bom-ref":"c{i}","name":"unlicensed-{i}","version":"1.0.0","purl":"pkg:npm/unlicensed-{i}@1.0.0"}}"#
            )
        })
        .collect();
    let bom = dir.path().join("bom.json");
    std::fs::write(
        &bom,
        format!(
            r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[{}]}}"#,
            components.join(",")
        ),
    )
    .unwrap();
    let run = |close_early: bool| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sovra"))
            .args([
                "check",
                bom.to_str().unwrap(),
                "--select",
                "LIC001",
                "--fail-on",
                "warn",
            ])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        if !close_early {
            std::io::Read::read_to_end(&mut out, &mut Vec::new()).unwrap();
        }
        drop(out);
        let status = child.wait_with_output().unwrap();
        (
            status.status.code(),
            String::from_utf8_lossy(&status.stderr).into_owned(),
        )
    };
    // Read to the end: 2,000 findings, status 1.
    assert_eq!(run(false).0, Some(1));
    // Output far beyond a pipe's buffer, reader gone: status 0, nothing on stderr.
    assert_eq!(run(true), (Some(0), String::new()));
}

/// Absolute input paths are `file:` URIs in SARIF.
#[test]
fn sarif_locations_of_absolute_inputs_are_file_uris() {
    let bom = root().join("tests/fixtures/rules/LIC005/fire/bom.json");
    let out = sovra(&[
        "check",
        bom.to_str().unwrap(),
        "--select",
        "LIC005",
        "--format",
        "sarif",
    ]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_sarif_2_1_0(&sarif);
    let uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap();
    assert!(
        uri.starts_with("file:///") && uri.ends_with("/tests/fixtures/rules/LIC005/fire/bom.json"),
        "{uri}"
    );
}

/// Exceptions expire against `--date`, else `SOVRA_DATE`, else the system clock.
#[test]
fn expiry_date_comes_from_date_flag_or_environment() {
    let run = |env: Option<&str>, flag: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sovra"));
        cmd.current_dir(root()).env("NO_COLOR", "1").args([
            "check",
            "tests/fixtures/rules/POL001/fire/bom.json",
            "--policy",
            "tests/fixtures/rules/POL001/fire/sovra.toml",
            "--select",
            "POL001,LIC003",
            "--fail-on",
            "warn",
        ]);
        if let Some(d) = flag {
            cmd.args(["--date", d]);
        }
        match env {
            Some(d) => cmd.env("SOVRA_DATE", d),
            None => cmd.env_remove("SOVRA_DATE"),
        };
        cmd.output().unwrap().status.code()
    };
    // The fixture's exception expires on 2026-06-30.
    assert_eq!(run(Some("2026-06-30"), None), Some(0));
    assert_eq!(run(Some("2026-07-01"), None), Some(1));
    assert_eq!(run(Some("2026-07-01"), Some("2026-01-01")), Some(0));
    assert_eq!(run(Some("yesterday"), None), Some(2));
}

/// Odd but valid input (a dependency naming no component) is shown, not an error.
#[test]
fn ingest_notices_are_shown_with_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    let bom = dir.path().join("bom.json");
    std::fs::write(
        &bom,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
"components":[{"type":"library","bom-ref":"a","name":"a","version":"1.0.0","licenses":[{"expression":"MIT"}]}],
"dependencies":[{"ref":"a","dependsOn":["ghost"]}]}"#,
    )
    .unwrap();
    let out = sovra(&["check", bom.to_str().unwrap(), "--select", "LIC001"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert!(
        text(&out).contains("bom.json: 1 dependency reference(s) name no component of the document (first: `ghost`)\n"),
        "{}",
        shown(&out)
    );
    let out = sovra(&[
        "check",
        bom.to_str().unwrap(),
        "--select",
        "LIC001",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["notices"].as_array().unwrap().len(), 1);
}

/// SUP001 judges by BSI TR-03183-2 v2.1.0, or by v2.0.0 until the transition date the
/// policy names (six months after v2.1.0 by default) or when the policy names v2.0.0.
/// `v2.0/bom.json` is a CycloneDX 1.5 SBOM complete for v2.0.0.
#[test]
fn sup001_follows_the_tr_version_and_its_transition() {
    let bom = "tests/fixtures/rules/SUP001/v2.0/bom.json";
    let run = |date: &str, policy: Option<&str>| {
        let mut args = vec![
            "check",
            bom,
            "--select",
            "SUP001",
            "--date",
            date,
            "--fail-on",
            "warn",
        ];
        if let Some(p) = policy {
            args.extend(["--policy", p]);
        }
        let out = sovra(&args);
        (out.status.code(), shown(&out))
    };
    // Until 2026-02-20 v2.0.0 still applies: complete.
    let (code, out) = run("2026-02-20", None);
    assert_eq!(code, Some(0), "{out}");
    // From the day after, v2.1.0: CycloneDX 1.5 is not accepted, and fields are missing.
    let (code, out) = run("2026-02-21", None);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("judged against BSI TR-03183-2 v2.1.0"),
        "{out}"
    );
    assert!(out.contains("CycloneDX 1.5 is not accepted"), "{out}");
    assert!(
        out.contains("SHA-512 hash of the deployable form missing on 3 of 3"),
        "{out}"
    );
    // A buyer who names v2.0.0 keeps it.
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("sovra.toml");
    std::fs::write(
        &policy,
        "extends = \"baseline\"\n[rules.SUP001]\nparams = { tr_version = \"2.0.0\" }\n",
    )
    .unwrap();
    let (code, out) = run("2026-06-01", Some(policy.to_str().unwrap()));
    assert_eq!(code, Some(0), "{out}");
    // An unknown version is a policy error with its position.
    std::fs::write(
        &policy,
        "extends = \"baseline\"\n[rules.SUP001]\nparams = { tr_version = \"3\" }\n",
    )
    .unwrap();
    let (code, out) = run("2026-06-01", Some(policy.to_str().unwrap()));
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("sovra.toml:3:10: parameters of rule `SUP001`")
            && out.contains("`tr_version` is `2.0.0` or `2.1.0`"),
        "{out}"
    );
}
