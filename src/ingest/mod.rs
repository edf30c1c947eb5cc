//! Ingest: the only place (with `enrich`) that reads input files.
//!
//! Every input becomes an [`Inventory`]; the format is detected from the content, never
//! from the file name, and a directory is searched for known files. Several inputs
//! merge into one inventory.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::{DocumentMeta, InputFile, InputFormat, Inventory};

mod cargo;
mod cyclonedx;
mod npm;
pub mod publiccode;
mod spdx;

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

/// Parses `bytes` (read from `path`) as `format`. `path` is used in error messages and
/// the evidence record only. Pure: no file or network access (a `Cargo.toml` manifest,
/// which needs `cargo metadata`, goes through [`read_path`] instead).
pub fn parse_as(format: InputFormat, path: &Path, bytes: &[u8]) -> Result<Inventory> {
    match format {
        InputFormat::CargoMetadata => cargo::parse_metadata(path, bytes),
        InputFormat::CycloneDxJson => cyclonedx::parse(path, bytes),
        InputFormat::SpdxJson => spdx::parse_json(path, bytes),
        InputFormat::SpdxTagValue => spdx::parse_tag_value(path, bytes),
        InputFormat::NpmLock => npm::parse(path, bytes),
        other => Err(Error::input(
            path,
            format!("`{}` is not a package inventory format", other.as_str()),
        )),
    }
}

/// The evidence record of one input file: its path as given, format, size and SHA-256.
#[allow(dead_code)] // used by every ingester once they land
pub(crate) fn input_file(
    path: &Path,
    bytes: &[u8],
    format: InputFormat,
    meta: DocumentMeta,
) -> InputFile {
    let digest = Sha256::digest(bytes);
    let mut sha256 = String::with_capacity(64);
    for b in digest {
        sha256.push_str(&format!("{b:02x}"));
    }
    InputFile {
        path: path.to_owned(),
        format,
        sha256,
        bytes: bytes.len() as u64,
        meta,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_file_hashes_bytes() {
        let f = input_file(
            Path::new("a.json"),
            b"abc",
            InputFormat::NpmLock,
            DocumentMeta::default(),
        );
        assert_eq!(
            f.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(f.bytes, 3);
    }
}
