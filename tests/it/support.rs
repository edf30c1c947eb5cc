#![allow(dead_code)]
//! Helpers shared by the integration tests.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `shared/corpus/<rel>` when the corpus is present beside the checkout (or beside one
/// of its parent directories, for checkouts kept one level deeper).
///
/// When `CI` is set a missing corpus file fails the test that asked for it instead of
/// letting it pass without checking anything.
pub fn corpus(rel: &str) -> Option<PathBuf> {
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
pub fn sovra(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sovra"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run sovra")
}
