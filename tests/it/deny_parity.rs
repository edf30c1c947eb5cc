//! cargo-deny parity: under an allow-list equivalent to a cargo-deny `[licenses]`
//! section, LIC007 rejects exactly the crates `cargo deny check licenses` rejects.
//! cargo-deny's verdicts are recorded as data in `tests/fixtures/deny/<name>.json` by
//! `benches/deny-verdicts.sh` (on the corpus's saved cargo metadata).

#![allow(clippy::unwrap_used)] // helpers of tests: a failed unwrap is a failed test

use std::collections::BTreeSet;

use crate::support::{corpus, root};

/// Keep in step with `allow` in `benches/deny-verdicts.sh`. Without the BSD licences and
/// Unicode-3.0, so that both workspaces have crates to reject.
const ALLOW: [&str; 7] = [
    "MIT",
    "Apache-2.0",
    "Apache-2.0 WITH LLVM-exception",
    "ISC",
    "Zlib",
    "CC0-1.0",
    "BSL-1.0",
];

/// Crates LIC007 rejects and cargo-deny does not, with the reason. `unicode-ident` in
/// ripgrep: reached only through `serde_core → serde_derive` under `cfg(any())` (a
/// target no platform satisfies, which serde uses to pin `serde_derive`'s version) and
/// a dev-dependency; cargo-deny evaluates the `cfg` and leaves it out, sovra keeps every
/// `cfg` edge as a runtime edge.
const KNOWN: [(&str, &str); 1] = [("ripgrep", "unicode-ident 1.0.24")];

fn rejected_by_sovra(metadata: &std::path::Path) -> BTreeSet<String> {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    let allow: Vec<String> = ALLOW.iter().map(|a| format!("{a:?}")).collect();
    std::fs::write(
        &policy,
        format!(
            "extends = \"baseline\"\n\n[rules.LIC007]\nenabled = true\n\
             params = {{ allow = [{}], scope = \"build\", unused = false }}\n",
            allow.join(", ")
        ),
    )
    .unwrap();
    // No unpacked crate sources (an empty CARGO_HOME), as where the verdicts were recorded.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sovra"))
        .args([
            "check",
            metadata.to_str().unwrap(),
            "--policy",
            policy.to_str().unwrap(),
            "--select",
            "LIC007",
            "--no-project-policy",
            "--format",
            "json",
        ])
        .env("CARGO_HOME", dir.path().join("empty-cargo-home"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "LIC007")
        .map(|f| {
            format!(
                "{} {}",
                f["package"]["name"].as_str().unwrap(),
                f["package"]["version"].as_str().unwrap()
            )
        })
        .collect()
}

/// `name`'s recorded cargo-deny verdicts against LIC007's on the same metadata.
fn compare(name: &str, metadata: &std::path::Path) {
    {
        let recorded: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root().join(format!("tests/fixtures/deny/{name}.json")))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(recorded["allow"], serde_json::json!(ALLOW), "{name}");
        let deny: BTreeSet<String> = recorded["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        let mut expected = deny;
        for (workspace, krate) in KNOWN {
            if workspace == name {
                assert!(
                    expected.insert(krate.to_owned()),
                    "{krate} is no difference"
                );
            }
        }
        assert_eq!(rejected_by_sovra(metadata), expected, "{name}");
    }
}

#[test]
fn lic007_rejects_exactly_the_crates_cargo_deny_rejects() {
    for name in ["ripgrep", "cargo-deny"] {
        let Some(metadata) = corpus(&format!("cargo/{name}/metadata.json")) else {
            eprintln!("note: corpus absent, skipping");
            return;
        };
        compare(name, &metadata);
    }
}

/// The generated 1,009-crate workspace (bevy, datafusion, wasmtime, polars, …). Its one
/// licence-file-only crate (`polars-arrow-format`) is not unpacked on the machine that
/// recorded the verdicts: both tools reject it.
#[test]
fn lic007_matches_cargo_deny_on_a_thousand_crate_workspace() {
    use std::io::Read as _;
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(root().join("benches/data/bench-workspace.metadata.json.gz")).unwrap(),
    )
    .read_to_string(&mut text)
    .unwrap();
    let metadata = dir.path().join("metadata.json");
    std::fs::write(&metadata, text).unwrap();
    compare("bench-workspace", &metadata);
}
