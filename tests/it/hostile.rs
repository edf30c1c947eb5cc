//! Inputs from the party being judged, built to break the reader: every crash a fuzzer
//! ever found, resource bombs, malformed bytes. Each must end in a located error (exit
//! 2) or a correct reading, never a panic, an abort or a hang.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::root;

/// Runs `sovra args` in `dir`, killing it (and failing) after `secs` seconds, so a
/// regression to a hang fails instead of stalling the suite.
fn sovra_in(dir: &Path, args: &[&str], secs: u64) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sovra"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "sovra {args:?} still running after {secs} s; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts a tool failure (exit 2) whose message starts with `prefix`.
fn fails_with(out: &Output, prefix: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.lines().any(|l| l.contains(prefix)), "{err}");
}

// ---------------------------------------------------------------------------------------
// The regression corpus: every input that ever crashed a fuzz target.
// ---------------------------------------------------------------------------------------

fn regressions() -> PathBuf {
    root().join("fuzz/regressions")
}

/// What each fuzz target does with one input (the same calls as `fuzz/src/lib.rs`).
fn replay(target: &str, data: &[u8]) {
    use sovra::model::InputFormat as F;
    let format = match target {
        "cyclonedx" => F::CycloneDxJson,
        "spdx_json" => F::SpdxJson,
        "spdx_tag_value" => F::SpdxTagValue,
        "npm" => F::NpmLock,
        "cargo_metadata" => F::CargoMetadata,
        "publiccode" => {
            let _ = sovra::ingest::publiccode::read_in(Path::new("publiccode.yml"), None, data);
            return;
        }
        "candidate" => {
            if let Ok(text) = std::str::from_utf8(data) {
                let dir = Path::new("/nonexistent-fuzz-dir");
                let _ = sovra::candidate::parse_manifest(&dir.join("candidate.toml"), text, dir);
            }
            return;
        }
        "policy" => {
            let Ok(text) = std::str::from_utf8(data) else {
                return;
            };
            let read = |p: &Path| -> sovra::Result<String> {
                if p == Path::new("fuzz.toml") {
                    Ok(text.to_owned())
                } else {
                    Err(sovra::Error::input(p, "not readable while fuzzing"))
                }
            };
            let dir = |p: &Path| -> sovra::Result<Vec<(PathBuf, String)>> {
                Err(sovra::Error::input(p, "not readable while fuzzing"))
            };
            let files = sovra::policy::Files {
                read: &read,
                catalogue_dir: &dir,
            };
            let mut catalogue = sovra::engine::catalogue::Catalogue::embedded().unwrap();
            let req = sovra::policy::PolicyRequest {
                policy: Some("fuzz.toml".into()),
                project: None,
            };
            let _ = sovra::policy::load(&req, &mut catalogue, &files);
            return;
        }
        "facts" => {
            let _ = sovra::enrich::Facts::parse(Path::new("facts.json"), data);
            return;
        }
        other => panic!("fuzz/regressions/{other}: no such fuzz target"),
    };
    let Ok(inv) = sovra::ingest::parse_as(format, Path::new("fuzz-input"), data) else {
        return;
    };
    let n = inv.packages.len();
    assert!(
        inv.edges
            .iter()
            .all(|e| e.from.index() < n && e.to.index() < n)
    );
    assert!(inv.roots.iter().all(|r| r.index() < n));
    let graph = sovra::graph::DepGraph::build(&inv);
    let _ = sovra::license::resolve_all(&inv);
    let all = sovra::graph::Scope::All;
    for p in graph.reachable(all).collect::<Vec<_>>() {
        let _ = graph.inclusion_path(p, all);
    }
}

/// The files under `fuzz/regressions/<target>/`, as `target/file`, sorted.
fn corpus_files() -> Vec<String> {
    let mut out = Vec::new();
    for target in std::fs::read_dir(regressions()).unwrap() {
        let target = target.unwrap();
        if !target.file_type().unwrap().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(target.path()).unwrap() {
            let file = file.unwrap();
            out.push(format!(
                "{}/{}",
                target.file_name().to_string_lossy(),
                file.file_name().to_string_lossy()
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn every_fuzz_crash_is_kept_and_replays_cleanly() {
    let index = std::fs::read_to_string(regressions().join("INDEX")).unwrap();
    let mut listed: Vec<String> = index
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .collect();
    listed.sort();
    // A file deleted, or added without a word, fails here rather than going unnoticed.
    assert_eq!(
        corpus_files(),
        listed,
        "fuzz/regressions/INDEX and the files differ"
    );
    assert!(!listed.is_empty());
    for entry in &listed {
        let (target, _) = entry.split_once('/').unwrap();
        let data = std::fs::read(regressions().join(entry)).unwrap();
        replay(target, &data);
    }
}

#[test]
fn spdx_tag_value_multibyte_tag_after_blanks_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.spdx"),
        b"SPDXVersion: SPDX-2.3\n  \xe6\xa0\x80: x\n",
    )
    .unwrap();
    let out = sovra_in(dir.path(), &["inventory", "a.spdx"], 60);
    assert_ne!(out.status.code(), Some(101), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

// ---------------------------------------------------------------------------------------
// Located text errors.
// ---------------------------------------------------------------------------------------

#[test]
fn an_invalid_utf8_byte_is_located_in_file_and_directory_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes =
        b"{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.5\",\n  \"x\": \"ab".to_vec();
    bytes.push(0xFF);
    bytes.extend_from_slice(b"\"\n}\n");
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::write(dir.path().join("in/bom.json"), &bytes).unwrap();
    let out = sovra_in(dir.path(), &["inventory", "in/bom.json"], 60);
    fails_with(&out, "in/bom.json:4:11: invalid UTF-8");
    let out = sovra_in(dir.path(), &["check", "in"], 60);
    assert_ne!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("bom.json:4:11: invalid UTF-8"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn spdx_tag_value_with_cr_line_ends_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = "## generated\rSPDXVersion: SPDX-2.3\rDataLicense: CC0-1.0\rSPDXID: SPDXRef-DOCUMENT\r\
                DocumentName: d\rDocumentNamespace: https://example.org/d\rCreator: Tool: t\r\
                Created: 2024-01-01T00:00:00Z\r\rPackageName: a\rSPDXID: SPDXRef-a\r\
                PackageDownloadLocation: NONE\rPackageLicenseDeclared: MIT\r\
                Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-a\r";
    std::fs::write(dir.path().join("a.spdx"), text).unwrap();
    let out = sovra_in(dir.path(), &["inventory", "--format", "json", "a.spdx"], 60);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let inv: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(inv["packages"].as_array().unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------
// YAML bombs.
// ---------------------------------------------------------------------------------------

/// A 3 KB publiccode.yml whose nine alias levels expand to 9^9 scalars.
fn billion_laughs() -> String {
    let mut s = String::from("publiccodeYmlVersion: \"0.4\"\nname: x\n");
    s.push_str("a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for i in 1..=9 {
        let p = i - 1;
        s.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{p}"); 9].join(", ")
        ));
    }
    // Padding comments bring it to the size of the real attack.
    while s.len() < 3_000 {
        s.push_str("# lol lol lol lol lol lol lol lol lol lol lol lol lol lol lol lol lol\n");
    }
    s
}

#[test]
fn yaml_alias_expansion_is_bounded_and_located() {
    let dir = tempfile::tempdir().unwrap();
    let text = billion_laughs();
    assert!(text.len() >= 3_000 && text.len() < 4_000);
    std::fs::write(dir.path().join("publiccode.yml"), &text).unwrap();
    let out = sovra_in(dir.path(), &["check", "publiccode.yml"], 30);
    fails_with(&out, "publiccode.yml:");
    assert!(
        stderr(&out).contains("expands to more than"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn yaml_nesting_60000_deep_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("publiccodeYmlVersion: \"0.4\"\nname: x\ndeep:\n");
    text.push_str(&"- ".repeat(60_000));
    text.push_str("x\n");
    std::fs::write(dir.path().join("publiccode.yml"), &text).unwrap();
    let out = sovra_in(dir.path(), &["check", "publiccode.yml"], 30);
    fails_with(&out, "publiccode.yml:4:");
    assert!(
        stderr(&out).contains("nested more than"),
        "{}",
        stderr(&out)
    );
}
