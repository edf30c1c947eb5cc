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
