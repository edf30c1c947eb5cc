#![allow(dead_code)]
//! Helpers shared by the integration tests.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The repository root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `shared/corpus/<rel>` when the corpus is present beside the checkout (or beside one
/// of its parent directories, for checkouts kept one level deeper).
///
/// When `CI` is set a missing corpus file fails the test that asked for it instead of
/// letting it pass without checking anything.
pub(crate) fn corpus(rel: &str) -> Option<PathBuf> {
    let found = root()
        .ancestors()
        .skip(1)
        .map(|dir| dir.join("shared/corpus").join(rel))
        .find(|p| p.exists());
    assert!(
        found.is_some() || std::env::var_os("CI").is_none(),
        "corpus file `shared/corpus/{rel}` is missing but CI is set"
    );
    found
}

/// Runs the `sovra` binary with `args` in the repository root.
pub(crate) fn sovra(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sovra"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run sovra")
}

/// Where every rule's fixtures live: `tests/fixtures/rules/<ID>/<case>/`, with the
/// cases `fire` and `pass` (and any further case a rule's own test reads).
pub(crate) const RULE_FIXTURES: &str = "tests/fixtures/rules";

/// The case directories of one rule's fixture, sorted, relative to the root.
pub(crate) fn rule_cases(rule: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(RULE_FIXTURES).join(rule);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join(&dir))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("fixture entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| dir.join(e.file_name()))
        .collect();
    cases.sort();
    cases
}

/// The command-line arguments that assess one fixture case (a directory relative to the
/// root): a `candidate.toml` makes the directory the one input (its manifest names the
/// rest); otherwise every file is an input, except `facts.json`, given as `--facts`,
/// and `sovra.toml`, given as `--policy` as a buyer's policy would be.
pub(crate) fn case_args(case: &std::path::Path) -> Vec<String> {
    let abs = root().join(case);
    let mut args = Vec::new();
    if abs.join("candidate.toml").is_file() {
        args.push(case.display().to_string());
    } else {
        let mut files: Vec<String> = std::fs::read_dir(&abs)
            .unwrap_or_else(|e| panic!("{}: {e}", case.display()))
            .map(|e| {
                e.expect("fixture entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|n| n != "sovra.toml" && n != "facts.json")
            .map(|n| case.join(n).display().to_string())
            .collect();
        files.sort();
        args.extend(files);
    }
    if abs.join("facts.json").is_file() {
        args.extend([
            "--facts".into(),
            case.join("facts.json").display().to_string(),
        ]);
    }
    if abs.join("sovra.toml").is_file() {
        args.extend([
            "--policy".into(),
            case.join("sovra.toml").display().to_string(),
        ]);
    }
    args
}
