//! Helpers for the unit tests that read the repository's fixtures or the shared corpus
//! (the same rules as `tests/it/support.rs`).

use std::path::PathBuf;

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
