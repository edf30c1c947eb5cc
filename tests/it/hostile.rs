//! Inputs from the party being judged, built to break the reader: every crash a fuzzer
//! ever found, resource bombs, malformed bytes. Each must end in a located error (exit
//! 2) or a correct reading, never a panic, an abort or a hang.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::support::root;

/// Runs `sovra args` in `dir`, killing it (and failing) after `secs` seconds, so a
/// regression to a hang fails instead of stalling the suite.
fn sovra_in(dir: &Path, args: &[&str], secs: u64) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_sovra"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    // The output is drained while waiting, so a large one cannot block the child.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("sovra {args:?} still running after {secs} s");
        }
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
        "cyclonedx_xml" => F::CycloneDxXml,
        "spdx3" => F::Spdx3JsonLd,
        "composer" => F::ComposerLock,
        "cargo_lock" => F::CargoLock,
        "golang" => F::GoMod,
        "ruby" => F::GemfileLock,
        "yarn" => F::YarnLock,
        "pnpm" => F::PnpmLock,
        "dotnet" => F::NugetLock,
        "gradle" => F::GradleLock,
        "python" => {
            // The first byte picks the reader, as in fuzz/fuzz_targets/python.rs.
            let Some((&pick, rest)) = data.split_first() else {
                return;
            };
            let formats = [F::PoetryLock, F::UvLock, F::PipfileLock, F::Requirements];
            return replay_format(formats[usize::from(pick) % formats.len()], rest);
        }
        "publiccode" => {
            let _ = sovra::assess::read_publiccode(Path::new("publiccode.yml"), data);
            return;
        }
        "candidate" => {
            if let Ok(text) = std::str::from_utf8(data) {
                let dir = Path::new("/nonexistent-fuzz-dir");
                let _ = sovra::assess::parse_manifest(&dir.join("candidate.toml"), text, dir);
            }
            return;
        }
        "policy" => {
            if let Ok(text) = std::str::from_utf8(data) {
                let _ = sovra::assess::parse_policy(Path::new("fuzz.toml"), text);
            }
            return;
        }
        "facts" => {
            let _ = sovra::assess::parse_facts(Path::new("facts.json"), data);
            return;
        }
        other => panic!("fuzz/regressions/{other}: no such fuzz target"),
    };
    replay_format(format, data);
}

/// What `sovra_fuzz::run` checks of a reader's result.
fn replay_format(format: sovra::model::InputFormat, data: &[u8]) {
    let Ok(inv) = sovra::assess::parse_as(format, Path::new("fuzz-input"), data) else {
        return;
    };
    let n = inv.packages.len();
    assert!(
        inv.edges
            .iter()
            .all(|e| e.from.index() < n && e.to.index() < n)
    );
    assert!(inv.roots.iter().all(|r| r.index() < n));
    let stages = sovra::assess::analyse_inventory(&inv);
    assert_eq!(stages.licence_states(), n);
    assert_eq!(stages.inclusion_paths(), stages.reachable(false));
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

// ---------------------------------------------------------------------------------------
// Directory inputs drop nothing silently.
// ---------------------------------------------------------------------------------------

/// A CycloneDX JSON SBOM with `n` components named `<prefix><i>`.
fn cdx(prefix: &str, n: usize) -> String {
    let comps: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"bom-ref":"{prefix}{i}","type":"library","name":"{prefix}{i}","version":"1.0.0","purl":"pkg:npm/{prefix}{i}@1.0.0","licenses":[{{"license":{{"id":"MIT"}}}}]}}"#
            )
        })
        .collect();
    format!(
        r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{}]}}"#,
        comps.join(",")
    )
}

#[test]
fn unread_evidence_in_a_directory_is_listed_and_denied() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("offer");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(d.join("app.cdx.json"), cdx("a", 2)).unwrap();
    // SPDX RDF/XML: recognised, not read.
    std::fs::write(
        d.join("bom.rdf"),
        "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:spdx=\"http://spdx.org/rdf/terms#\"/>\n",
    )
    .unwrap();
    // SPDX XML: recognised, not read.
    std::fs::write(
        d.join("sbom.spdx.xml"),
        "<Document><spdxVersion>SPDX-2.3</spdxVersion></Document>\n",
    )
    .unwrap();
    // Latin-1, not UTF-8, and nothing says which format it is: not read, but listed.
    std::fs::write(d.join("other.bom.json"), b"{\"name\": \"caf\xE9\"}").unwrap();
    // A `go.sum` beside its `go.mod` is read with it; one on its own is listed.
    std::fs::create_dir_all(d.join("go")).unwrap();
    std::fs::write(
        d.join("go/go.mod"),
        "module example.org/x\n\ngo 1.21\n\nrequire example.org/y v1.0.0\n",
    )
    .unwrap();
    let sum = "example.org/y v1.0.0 h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
    std::fs::write(d.join("go/go.sum"), sum).unwrap();
    std::fs::create_dir_all(d.join("lone")).unwrap();
    std::fs::write(d.join("lone/go.sum"), sum).unwrap();
    // No evidence: passes without a word.
    std::fs::write(d.join("tsconfig.json"), "{\"compilerOptions\": {}}").unwrap();
    let out = sovra_in(
        dir.path(),
        &[
            "check",
            "offer",
            "--policy",
            "de-public-sector",
            "--format",
            "json",
        ],
        60,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unread: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "SUP009")
        .map(|f| {
            (
                f["message"].as_str().unwrap().to_owned(),
                f["level"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(unread.len(), 4, "{unread:?}");
    for (file, (msg, level)) in ["bom.rdf", "lone/go.sum", "other.bom.json", "sbom.spdx.xml"]
        .iter()
        .zip(&unread)
    {
        assert!(msg.contains(file), "{msg}");
        assert_eq!(level, "deny");
    }
    let notes = doc["findings"].to_string();
    assert!(
        notes.contains("other.bom.json:1:14: invalid UTF-8"),
        "{notes}"
    );
    assert!(!notes.contains("tsconfig"), "{notes}");
}

#[test]
fn every_malformed_file_of_fifty_is_reported_then_the_run_fails() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("sboms");
    std::fs::create_dir(&d).unwrap();
    for i in 0..50 {
        let text = match i {
            3 => "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\",\n  oops }".to_owned(),
            27 => "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": 7}"
                .to_owned(),
            49 => "SPDXVersion: SPDX-2.3\nRelationship: A BOGUS B\n".to_owned(),
            _ => cdx(&format!("p{i}-"), 1),
        };
        let ext = if i == 49 { "spdx" } else { "json" };
        std::fs::write(d.join(format!("s{i:02}.{ext}")), text).unwrap();
    }
    let out = sovra_in(dir.path(), &["check", "sboms"], 60);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("s03.json:2:3:"), "{err}");
    assert!(err.contains("s27.json:1:"), "{err}");
    assert!(err.contains("s49.spdx:2:"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Bounded reads.
// ---------------------------------------------------------------------------------------

#[test]
fn a_file_over_the_size_limit_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = cdx("p", 1);
    text.pop();
    text.push_str(&format!(r#","x":"{}"}}"#, "a".repeat(2 << 20)));
    std::fs::write(dir.path().join("big.json"), &text).unwrap();
    let out = sovra_in(
        dir.path(),
        &["check", "big.json", "--max-input-size", "1"],
        60,
    );
    fails_with(
        &out,
        "big.json: larger than the input size limit of 1048576 bytes",
    );
    // The default limit reads it.
    let out = sovra_in(dir.path(), &["inventory", "big.json"], 60);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_behind_symlinks_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("offer");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(d.join("app.cdx.json"), cdx("a", 1)).unwrap();
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink(&fifo, d.join("bom.json")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.spdx")).unwrap();
    // Given directly: an error, at once (a FIFO would block a read for ever).
    let out = sovra_in(dir.path(), &["inventory", "offer/bom.json"], 20);
    fails_with(&out, "offer/bom.json: not a regular file");
    let out = sovra_in(dir.path(), &["inventory", "offer/zero.spdx"], 20);
    fails_with(&out, "offer/zero.spdx: not a regular file");
    // In a directory: listed as evidence not read.
    let out = sovra_in(dir.path(), &["check", "offer", "--format", "json"], 20);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = doc["findings"].to_string();
    assert!(text.contains("offer/bom.json"), "{text}");
    assert!(text.contains("offer/zero.spdx"), "{text}");
}

/// The project manifest read beside a lockfile is an input like any other: a FIFO named
/// `package.json` beside a `yarn.lock`, or one over the size limit, is refused at once,
/// naming it, instead of blocking the run or reading it whole.
#[cfg(unix)]
#[test]
fn the_manifest_beside_a_lockfile_is_read_with_the_same_bounds() {
    const YARN: &str = "# yarn lockfile v1\n\n\"left-pad@^1.3.0\":\n  version \"1.3.0\"\n  resolved \"https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz\"\n";
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("offer");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(d.join("yarn.lock"), YARN).unwrap();
    let made = Command::new("mkfifo")
        .arg(d.join("package.json"))
        .status()
        .unwrap();
    assert!(made.success());
    for args in [
        &["inventory", "offer/yarn.lock"][..],
        &["inventory", "offer"][..],
    ] {
        let out = sovra_in(dir.path(), args, 20);
        fails_with(&out, "not a regular file (a device, FIFO or socket)");
        assert!(
            stderr(&out).contains("offer/package.json"),
            "{}",
            stderr(&out)
        );
    }
    std::fs::remove_file(d.join("package.json")).unwrap();
    let big = format!(
        r#"{{"name":"offer","description":"{}"}}"#,
        "x".repeat(1 << 20)
    );
    std::fs::write(d.join("package.json"), big).unwrap();
    let out = sovra_in(
        dir.path(),
        &["inventory", "offer/yarn.lock", "--max-input-size", "1"],
        20,
    );
    fails_with(
        &out,
        "offer/package.json: larger than the input size limit of 1048576 bytes",
    );
    let out = sovra_in(dir.path(), &["inventory", "offer/yarn.lock"], 20);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A candidate directory's own files (`candidate.toml`, a component's `publiccode.yml`,
/// `vendors.toml`) and a `publiccode.yml` given alone are inputs like any other: one
/// over the size limit is refused before it is read, a FIFO at once, each named.
#[cfg(unix)]
#[test]
fn candidate_files_are_read_with_the_same_bounds() {
    const MANIFEST: &str = "[candidate]\nname = \"o\"\n\n[[component]]\nname = \"a\"\ncriticality = \"supporting\"\npubliccode = \"publiccode.yml\"\n";
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("offer");
    std::fs::create_dir(&c).unwrap();
    let over = |name: &str| {
        let file = std::fs::File::create(c.join(name)).unwrap();
        // Sparse: the size is what counts, and a read would take it whole.
        file.set_len((1 << 20) + 1).unwrap();
    };
    let refused = |args: &[&str], file: &str| {
        let out = sovra_in(dir.path(), args, 20);
        fails_with(
            &out,
            &format!("{file}: larger than the input size limit of 1048576 bytes"),
        );
    };
    over("candidate.toml");
    refused(
        &["check", "offer", "--max-input-size", "1"],
        "offer/candidate.toml",
    );
    std::fs::write(c.join("candidate.toml"), MANIFEST).unwrap();
    over("publiccode.yml");
    refused(
        &["check", "offer", "--max-input-size", "1"],
        "offer/publiccode.yml",
    );
    refused(
        &["check", "offer/publiccode.yml", "--max-input-size", "1"],
        "offer/publiccode.yml",
    );
    std::fs::remove_file(c.join("publiccode.yml")).unwrap();
    let made = Command::new("mkfifo")
        .arg(c.join("publiccode.yml"))
        .status()
        .unwrap();
    assert!(made.success());
    let out = sovra_in(dir.path(), &["check", "offer"], 20);
    fails_with(&out, "not a regular file (a device, FIFO or socket)");
    assert!(stderr(&out).contains("publiccode.yml"), "{}", stderr(&out));
    std::fs::remove_file(c.join("publiccode.yml")).unwrap();
    std::fs::write(
        c.join("candidate.toml"),
        "[candidate]\nname = \"o\"\n\n[[component]]\nname = \"a\"\ncriticality = \"supporting\"\n",
    )
    .unwrap();
    over("vendors.toml");
    refused(
        &["check", "offer", "--max-input-size", "1"],
        "offer/vendors.toml",
    );
}

// ---------------------------------------------------------------------------------------
// Nothing quadratic (the figures are in benches/hostile.py; these check the shape).
// ---------------------------------------------------------------------------------------

/// A CycloneDX SBOM whose root depends on a chain of `n` packages without a licence.
fn chain(n: usize) -> String {
    let comps: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"bom-ref":"p{i}","type":"library","name":"p{i}","version":"1.0.0","purl":"pkg:npm/p{i}@1.0.0"}}"#
            )
        })
        .collect();
    let mut deps = vec![r#"{"ref":"r","dependsOn":["p0"]}"#.to_owned()];
    deps.extend((1..n).map(|i| format!(r#"{{"ref":"p{}","dependsOn":["p{i}"]}}"#, i - 1)));
    format!(
        r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{{"component":{{"bom-ref":"r","type":"application","name":"r","version":"1.0.0","licenses":[{{"license":{{"id":"MIT"}}}}]}}}},"components":[{}],"dependencies":[{}]}}"#,
        comps.join(","),
        deps.join(",")
    )
}

#[test]
fn a_4000_deep_chain_gives_output_linear_in_findings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("chain.json"), chain(4_000)).unwrap();
    let out = sovra_in(
        dir.path(),
        &["check", "chain.json", "--format", "json"],
        120,
    );
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap().len();
    assert!(findings >= 4_000, "{findings}");
    // Each package's path entry is written once, whatever the findings sharing it.
    assert_eq!(doc["paths"].as_array().unwrap().len(), 4_001);
    assert!(
        out.stdout.len() < findings * 1_000,
        "{} bytes",
        out.stdout.len()
    );
    // Human output shows the ends of a long path.
    let out = sovra_in(dir.path(), &["check", "chain.json"], 120);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("… 3995 more …"),
        "{}",
        &text[..2_000.min(text.len())]
    );
    assert!(
        out.stdout.len() < findings * 1_500,
        "{} bytes",
        out.stdout.len()
    );
}

// ---------------------------------------------------------------------------------------
// Paths named by inputs stay in their directory.
// ---------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn candidate_files_behind_symlinks_out_of_the_directory_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("elsewhere.json");
    std::fs::write(&outside, cdx("secret", 1)).unwrap();
    let c = dir.path().join("offer");
    std::fs::create_dir(&c).unwrap();
    std::os::unix::fs::symlink(&outside, c.join("bom.json")).unwrap();
    std::fs::write(
        c.join("candidate.toml"),
        "[candidate]\nname = \"o\"\n\n[[component]]\nname = \"a\"\nsbom = \"bom.json\"\n",
    )
    .unwrap();
    let out = sovra_in(dir.path(), &["check", "offer"], 30);
    fails_with(
        &out,
        "offer/candidate.toml:6:8: `bom.json` leads outside the candidate directory",
    );
}

#[cfg(unix)]
#[test]
fn a_component_git_clone_behind_a_symlink_out_of_the_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("someone-elses-clone");
    std::fs::create_dir(&outside).unwrap();
    let c = dir.path().join("offer");
    std::fs::create_dir(&c).unwrap();
    std::os::unix::fs::symlink(&outside, c.join("src")).unwrap();
    std::fs::write(
        c.join("candidate.toml"),
        "[candidate]\nname = \"o\"\n\n[[component]]\nname = \"a\"\ngit = \"src\"\n",
    )
    .unwrap();
    let out = sovra_in(dir.path(), &["check", "offer"], 30);
    fails_with(
        &out,
        "offer/candidate.toml:6:7: `src` leads outside the candidate directory",
    );
}

#[test]
fn extends_cycles_are_found_on_the_files_themselves() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bom.json"), cdx("p", 1)).unwrap();
    std::fs::write(dir.path().join("a.toml"), "extends = \"./b.toml\"\n").unwrap();
    std::fs::write(dir.path().join("b.toml"), "extends = \"././a.toml\"\n").unwrap();
    let out = sovra_in(dir.path(), &["check", "bom.json", "--policy", "a.toml"], 30);
    fails_with(
        &out,
        "b.toml:1:11: `extends = \"././a.toml\"` makes a cycle of policies",
    );
}

#[cfg(unix)]
#[test]
fn extends_out_of_the_policy_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bom.json"), cdx("p", 1)).unwrap();
    std::fs::write(dir.path().join("outside.toml"), "extends = \"baseline\"\n").unwrap();
    let pol = dir.path().join("pol");
    std::fs::create_dir(&pol).unwrap();
    std::os::unix::fs::symlink(dir.path().join("outside.toml"), pol.join("base.toml")).unwrap();
    std::fs::write(pol.join("p.toml"), "extends = \"base.toml\"\n").unwrap();
    let out = sovra_in(
        dir.path(),
        &["check", "bom.json", "--policy", "pol/p.toml"],
        30,
    );
    fails_with(
        &out,
        "pol/p.toml:1:11: `extends = \"base.toml\"` leads outside",
    );
}

#[test]
fn json_and_toml_nesting_60000_deep_end_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{}{}", "[".repeat(60_000), "]".repeat(60_000));
    let c = dir.path().join("offer");
    std::fs::create_dir(&c).unwrap();
    std::fs::write(
        c.join("candidate.toml"),
        format!("[candidate]\nname = \"x\"\nx = {deep}\n"),
    )
    .unwrap();
    let out = sovra_in(dir.path(), &["check", "offer"], 30);
    fails_with(&out, "offer/candidate.toml:3:");
    std::fs::write(
        dir.path().join("bom.json"),
        format!(r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","x":{deep}}}"#),
    )
    .unwrap();
    // The reader skips a value it does not use without recursing into it: read, or a
    // located error, never a crash.
    let out = sovra_in(dir.path(), &["check", "bom.json"], 30);
    assert!(matches!(out.status.code(), Some(0..=2)), "{}", stderr(&out));
    assert!(!stderr(&out).contains("overflow"), "{}", stderr(&out));
    std::fs::write(
        dir.path().join("bom.json"),
        format!(r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","components":{deep}}}"#),
    )
    .unwrap();
    let out = sovra_in(dir.path(), &["check", "bom.json"], 30);
    fails_with(&out, "bom.json:1:");
}

/// A POM's parent and modules are read only inside the directory read, after symbolic
/// links: a `relativePath` or a module out of it, or a link leading out, is a gap.
#[test]
fn maven_parents_and_modules_out_of_the_tree_are_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    let tree = tmp.path().join("tree");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(tree.join("app")).unwrap();
    std::fs::write(
        outside.join("pom.xml"),
        "<project><groupId>g</groupId><artifactId>up</artifactId><version>1</version>\
         <properties><v>6.6.6</v></properties><dependencies><dependency><groupId>s</groupId>\
         <artifactId>secret</artifactId><version>1</version></dependency></dependencies>\
         </project>",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, tree.join("link")).unwrap();
    std::fs::write(
        tree.join("app/pom.xml"),
        "<project><parent><groupId>g</groupId><artifactId>up</artifactId><version>1</version>\
         <relativePath>../../outside</relativePath></parent><artifactId>app</artifactId>\
         <dependencies><dependency><groupId>d</groupId><artifactId>d</artifactId>\
         <version>${v}</version></dependency></dependencies>\
         <modules><module>../link</module><module>../../outside</module></modules></project>",
    )
    .unwrap();
    let out = sovra_in(&tree, &["inventory", "--format", "json", "."], 20);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains("secret") && !text.contains("6.6.6"),
        "{text}"
    );
    assert!(
        text.contains("parent POM `g:up:1` is not in the tree"),
        "{text}"
    );
    assert!(text.contains("2 module(s) are not in the tree"), "{text}");
}

/// A directory of many files is read by several threads: every file is read once, in
/// path order, and every problem is reported (here two broken files far apart, one in
/// each reader's share), then the run fails.
#[test]
fn a_large_directory_is_read_whole_and_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("offer");
    std::fs::create_dir(&d).unwrap();
    for i in 0..1_200 {
        std::fs::write(
            d.join(format!("s{i:04}.cdx.json")),
            cdx(&format!("p{i}-"), 1),
        )
        .unwrap();
    }
    let inventory = |dir: &Path| -> serde_json::Value {
        let out = sovra_in(dir, &["inventory", "offer", "--format", "json"], 120);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let v = inventory(dir.path());
    let inputs: Vec<&str> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(inputs.len(), 1_200);
    assert!(
        inputs.windows(2).all(|w| w[0] < w[1]),
        "inputs in path order"
    );
    assert_eq!(v["packages"].as_array().unwrap().len(), 1_200);
    // The same again: the same bytes.
    assert_eq!(inventory(dir.path()), v);

    std::fs::write(d.join("s0100.cdx.json"), "{\"bomFormat\": \"CycloneDX\", ").unwrap();
    std::fs::write(d.join("s1100.cdx.json"), "{\"bomFormat\": \"CycloneDX\", ").unwrap();
    let out = sovra_in(dir.path(), &["inventory", "offer"], 120);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("s0100.cdx.json:1:"), "{err}");
    assert!(err.contains("s1100.cdx.json:1:"), "{err}");
}
