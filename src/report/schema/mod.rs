//! The JSON documents sovra writes besides the report (`super::model`), as typed
//! mirrors under one convention: a top-level `"schema": "sovra.<kind>/<n>"`, whose
//! number changes when a field is removed or renamed. Each is documented field by field
//! in `docs/output-schemas.md`. SARIF, JUnit, CycloneDX and SPDX keep their standards'
//! own conventions.

pub(crate) mod check;
pub(crate) mod health;
pub(crate) mod inventory;
pub(crate) mod licenses;
pub(crate) mod score;

use serde::Serialize;

use super::model::Comparison;
use crate::error::{Error, Result};

/// The schema identifier of `sovra compare --format json`.
pub(crate) const COMPARE: &str = "sovra.compare/1";

/// The document `sovra compare --format json` writes: every candidate as `sovra score`
/// describes it, and the report's comparison of them.
#[derive(Debug, Serialize)]
pub(crate) struct CompareDoc {
    /// Always [`COMPARE`].
    pub schema: &'static str,
    pub candidates: Vec<score::Scored>,
    /// The comparison of the report (`sovra report --compare`), the one place that
    /// decides which differences matter.
    pub comparison: Comparison,
}

/// `value` as pretty-printed JSON with a final newline.
pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String> {
    let mut s = serde_json::to_string_pretty(value)
        .map_err(|e| Error::External(format!("cannot write JSON: {e}")))?;
    s.push('\n');
    Ok(s)
}
