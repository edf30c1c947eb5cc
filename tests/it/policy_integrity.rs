//! A bidder's policy is never the buyer's policy: a `sovra.toml` inside a candidate
//! directory applies only when the user names it, and every command that judges says
//! that it found one and did not apply it.

use std::path::Path;
use std::process::Output;

use crate::support::{root, sovra};

const ALLOW_CON001: &str = "[rules.CON001]\nlevel = \"allow\"\n";

/// A copy of `samples/proprietary-suite` (non-compliant under `de-public-sector`
/// through the gate CON001).
fn candidate(dir: &Path) -> String {
    let from = root().join("samples/proprietary-suite");
    let to = dir.join("nimbus");
    std::fs::create_dir_all(&to).expect("mkdir");
    for e in std::fs::read_dir(&from).expect("sample") {
        let p = e.expect("entry").path();
        std::fs::copy(&p, to.join(p.file_name().expect("name"))).expect("copy");
    }
    to.display().to_string()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// What each command concludes: check's summary and exit status, score's, compare's
/// and both reports' verdicts.
/// Runs one judging command under `de-public-sector`: its JSON, its exit status and
/// its stderr.
fn run(mut args: Vec<&str>) -> (serde_json::Value, String, String) {
    args.extend(["--policy", "de-public-sector", "--date", "2026-06-01"]);
    let out = sovra(&args);
    assert_ne!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    let status = format!("{} exit {:?}", args[0], out.status.code());
    (json(&out), status, stderr(&out))
}

/// What each command concludes: check's summary and exit status, score's, compare's
/// and both reports' verdicts; and what each printed on stderr.
fn verdicts(cand: &str, other: &str) -> (Vec<String>, Vec<String>) {
    let mut found = Vec::new();
    let mut notes = Vec::new();
    let mut keep = |(v, status, note): (serde_json::Value, String, String)| {
        found.push(status);
        notes.push(note);
        v
    };
    let check = keep(run(vec!["check", cand, "--format", "json"]));
    let score = keep(run(vec!["score", cand, "--format", "json"]));
    let compare = keep(run(vec!["compare", other, cand, "--format", "json"]));
    let report = keep(run(vec!["report", cand, "--format", "json"]));
    let cmp = keep(run(vec![
        "report",
        "--compare",
        other,
        cand,
        "--format",
        "json",
    ]));
    found.push(format!("check {}", check["summary"]));
    let con001: Vec<&serde_json::Value> = check["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "CON001")
        .map(|f| &f["level"])
        .collect();
    found.push(format!("CON001 {con001:?}"));
    found.push(format!("score {}", score["candidates"][0]["verdict"]));
    for c in compare["candidates"].as_array().expect("candidates") {
        found.push(format!("compare {} {}", c["name"], c["verdict"]));
    }
    found.push(format!("report {}", report["candidates"][0]["verdict"]));
    for c in cmp["candidates"].as_array().expect("candidates") {
        found.push(format!("report --compare {} {}", c["name"], c["verdict"]));
    }
    found.push(format!("comparison policy {}", cmp["comparison"]["policy"]));
    (found, notes)
}

#[test]
fn a_policy_file_among_the_inputs_does_not_change_any_verdict() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cand = candidate(tmp.path());
    let other = root().join("samples/opendesk").display().to_string();
    let (before, _) = verdicts(&cand, &other);
    assert!(
        before.iter().any(|v| v == "score \"non-compliant\""),
        "{before:?}"
    );

    let bidder_file = Path::new(&cand).join("sovra.toml");
    std::fs::write(&bidder_file, ALLOW_CON001).expect("write sovra.toml");
    let (after, notes) = verdicts(&cand, &other);
    assert_eq!(before, after);
    // Every command says it found the file and did not apply it.
    for n in &notes {
        assert!(
            n.contains("sovra.toml` is among the inputs and was not applied"),
            "{n}"
        );
    }
    // And the evidence of the reports and of check's JSON names it.
    let out = sovra(&[
        "report",
        &cand,
        "--format",
        "json",
        "--policy",
        "de-public-sector",
    ]);
    let not_applied = &json(&out)["candidates"][0]["evidence"]["policy"]["not_applied"];
    assert_eq!(
        not_applied[0],
        bidder_file.display().to_string(),
        "{not_applied}"
    );
    let out = sovra(&[
        "check",
        &cand,
        "--format",
        "json",
        "--policy",
        "de-public-sector",
    ]);
    assert_eq!(
        json(&out)["policy"]["not_applied"][0],
        bidder_file.display().to_string()
    );
    let out = sovra(&[
        "report",
        &cand,
        "--format",
        "md",
        "--policy",
        "de-public-sector",
    ]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Found among the inputs, not applied"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_policy_file_applies_when_named() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cand = candidate(tmp.path());
    let file = Path::new(&cand).join("sovra.toml");
    std::fs::write(&file, ALLOW_CON001).expect("write sovra.toml");
    let levels = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["check", cand.as_str(), "--format", "json"];
        args.extend(extra);
        let out = sovra(&args);
        let v = json(&out);
        let mut l: Vec<String> = v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["rule"] == "CON001")
            .map(|f| f["level"].as_str().unwrap_or_default().to_owned())
            .collect();
        l.dedup();
        l
    };
    let file_arg = file.display().to_string();
    assert_eq!(levels(&["--policy", "de-public-sector"]), ["gate"]);
    // Named with `--policy PATH`, or opted into with `--project-policy`, it applies.
    assert_eq!(levels(&["--policy", &file_arg]), ["allow"]);
    assert_eq!(
        levels(&["--policy", "de-public-sector", "--project-policy"]),
        ["allow"]
    );
}
