//! Ingest: the only place (with `enrich`) that reads input files.
//!
//! Every input becomes an [`Inventory`]; the format is detected from the content, never
//! from the file name, and a directory is searched for known files. Several inputs
//! merge into one inventory.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{InputFormat, Inventory};

/// Options that reach the ingesters.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Pass `--offline` to `cargo metadata`.
    pub offline: bool,
    /// Pass `--locked` to `cargo metadata`.
    pub locked: bool,
}

/// Reads every input and merges them into one inventory.
pub fn ingest(paths: &[PathBuf], opts: &IngestOptions) -> Result<Inventory> {
    let mut inv = Inventory::new();
    for p in paths {
        inv.merge(read_path(p, opts)?);
    }
    inv.finish();
    Ok(inv)
}

/// Reads one file or directory.
pub fn read_path(path: &Path, _opts: &IngestOptions) -> Result<Inventory> {
    Err(Error::input(path, "no ingester for this input yet"))
}

/// Detects the format of a file from its content.
pub fn detect(_bytes: &[u8]) -> Option<InputFormat> {
    None
}
