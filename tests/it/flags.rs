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
