//! A flag means the same on every command: all commands read their inputs through the
//! one reading step, so `--facts` is applied (or refused) alike everywhere.

use crate::support::sovra;

const LOCK: &str = "tests/fixtures/rules/SUP005/fire/package-lock.json";
const FACTS: &str = "tests/fixtures/rules/SUP005/fire/facts.json";

#[test]
fn a_missing_facts_file_fails_every_command_alike() {
    for cmd in [
        vec!["inventory"],
        vec!["licenses"],
        vec!["why", "lodash"],
        vec!["check"],
        vec!["score"],
        vec!["report"],
    ] {
        let mut args = cmd.clone();
        args.extend(["--facts", "/nonexistent.json", LOCK]);
        let out = sovra(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}: {err}");
        assert!(
            err.contains("cannot read `/nonexistent.json`"),
            "{cmd:?}: {err}"
        );
    }
}

#[test]
fn inventory_applies_the_facts_file() {
    let json = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["inventory", LOCK, "--format", "json"];
        args.extend(extra);
        let out = sovra(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let repos = |v: &serde_json::Value| -> usize {
        v["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .filter(|p| !p["repository"].is_null())
            .count()
    };
    let without = repos(&json(&[]));
    let with = repos(&json(&["--facts", FACTS]));
    assert!(with > without, "{without} → {with}");
}

#[test]
fn completions_and_man_page_come_from_the_command_definition() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = sovra(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        for word in ["report", "no-appendix", "color"] {
            assert!(text.contains(word), "{shell} completion lacks {word}");
        }
    }
    let bad = sovra(&["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));
    let out = sovra(&["man"]);
    assert!(out.status.success());
    let man = String::from_utf8(out.stdout).unwrap();
    assert!(man.contains(".TH sovra 1"), "{man}");
    assert!(man.contains("sovra\\-report"), "subcommands listed: {man}");
}

#[test]
fn color_flag_overrides_the_terminal_check() {
    let run = |choice: &str| {
        let out = sovra(&["check", "samples/opendesk", "--color", choice]);
        assert_ne!(out.status.code(), Some(2));
        String::from_utf8(out.stdout).unwrap()
    };
    // Tests run without a terminal: `auto` is plain, `always` colours anyway.
    assert!(!run("auto").contains('\u{1b}'));
    assert!(!run("never").contains('\u{1b}'));
    assert!(run("always").contains("\u{1b}["));
    let bad = sovra(&["check", "samples/opendesk", "--color", "sometimes"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// The assessing commands, each with the arguments it needs besides the shared flags.
fn assessing(out: &std::path::Path) -> Vec<Vec<String>> {
    let o = out.display().to_string();
    [
        vec!["check", LOCK],
        vec!["score", LOCK],
        vec!["report", LOCK, "--format", "json"],
        vec!["compare", LOCK, "samples/rust-service"],
        vec!["inventory", LOCK],
        vec!["licenses", LOCK],
        vec!["why", "lodash", LOCK],
        vec!["sbom", LOCK, "--format", "cyclonedx", "-o", &o],
    ]
    .into_iter()
    .map(|c| c.into_iter().map(str::to_owned).collect())
    .collect()
}

fn run_with(cmd: &[String], extra: &[&str]) -> std::process::Output {
    let mut args: Vec<&str> = cmd.iter().map(String::as_str).collect();
    args.extend(extra);
    sovra(&args)
}

#[test]
fn every_shared_flag_is_accepted_by_every_assessing_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sbom.json");
    let flags: [&[&str]; 10] = [
        &["--policy", "baseline"],
        &["--select", "LIC001,LIC005"],
        &["--date", "2026-06-01"],
        &["--facts", FACTS],
        &["--vendors", "samples/proprietary-suite/vendors.toml"],
        &["--max-input-size", "64"],
        &["--offline"],
        &["--locked"],
        &["--color", "never"],
        &["--no-project-policy"],
    ];
    for cmd in assessing(&out) {
        for f in flags {
            let o = run_with(&cmd, f);
            assert_ne!(
                o.status.code(),
                Some(2),
                "{cmd:?} {f:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
}

#[test]
fn every_shared_flag_is_checked_alike_by_every_assessing_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sbom.json");
    let bad: [(&[&str], &str); 4] = [
        (&["--policy", "no-such-policy"], "no-such-policy"),
        (&["--select", "XYZ999"], "unknown rule `XYZ999`"),
        (&["--date", "tomorrow"], "`tomorrow` is not a date"),
        (&["--vendors", "/nonexistent.toml"], "/nonexistent.toml"),
    ];
    for cmd in assessing(&out) {
        for (f, says) in bad {
            let o = run_with(&cmd, f);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{cmd:?} {f:?}: {err}");
            assert!(err.contains(says), "{cmd:?} {f:?}: {err}");
        }
    }
}

#[test]
fn shared_flags_change_the_result_where_they_should() {
    let json = |args: &[&str]| -> serde_json::Value {
        let o = sovra(args);
        assert_ne!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_slice(&o.stdout).expect("JSON")
    };
    // `--select` runs only the rules named, in `score` as in `check`.
    let rules = |v: &serde_json::Value, list: &str| -> std::collections::BTreeSet<String> {
        v["candidates"][0][list]
            .as_array()
            .or(v[list].as_array())
            .expect("findings")
            .iter()
            .map(|f| f["rule"].as_str().expect("rule").to_owned())
            .collect()
    };
    let all = json(&["score", LOCK, "--format", "json"]);
    let fired = rules(&all, "findings_list");
    assert!(fired.len() > 1, "{fired:?}");
    let first = fired.first().expect("a rule").clone();
    let one = json(&["score", LOCK, "--format", "json", "--select", &first]);
    assert_eq!(
        rules(&one, "findings_list"),
        std::collections::BTreeSet::from([first.clone()])
    );
    let one = json(&["check", LOCK, "--format", "json", "--select", &first]);
    assert_eq!(
        rules(&one, "findings"),
        std::collections::BTreeSet::from([first])
    );
    // `--policy` names the policy in every command that states it.
    for cmd in [
        vec!["score", LOCK],
        vec!["compare", LOCK, "samples/rust-service"],
    ] {
        let mut args = cmd.clone();
        args.extend(["--format", "json", "--policy", "ci-strict"]);
        let v = json(&args);
        let chain = v["candidates"][0]["policy"].as_str().expect("policy");
        assert!(chain.ends_with("→ ci-strict"), "{cmd:?}: {chain}");
    }
    // `--lang` words the comparison as it words the report.
    let words = |lang: &str| {
        let o = sovra(&["compare", LOCK, "samples/rust-service", "--lang", lang]);
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert!(words("en").contains("Verdict"), "{}", words("en"));
    assert!(words("de").contains("Ergebnis"), "{}", words("de"));
    // A comparison judges every candidate by one policy: `--project-policy` is refused.
    for cmd in [
        vec!["compare", LOCK, "samples/rust-service", "--project-policy"],
        vec![
            "report",
            "--compare",
            LOCK,
            "samples/rust-service",
            "--project-policy",
        ],
    ] {
        let o = sovra(&cmd);
        assert_eq!(o.status.code(), Some(2), "{cmd:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("one policy"));
    }
}
