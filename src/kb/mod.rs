//! The embedded knowledge base: the data files of `rules/` compiled into the binary.
//!
//! Each table is a text asset included with `include_str!` and parsed once, on first
//! use, by the module that owns its meaning (`license` for classes, the lenient table,
//! obligations and the OSADL matrix). This module only holds the assets and the shared
//! TOML reader, so a user file layered over a built-in table is reported with the same
//! file, line and column as any other configuration problem.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Error, Problem, Result};

/// A data file shipped inside the binary.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Asset {
    /// The path inside the repository, used in messages and the evidence section.
    pub path: &'static str,
    pub text: &'static str,
}

/// Licence classes per SPDX id, exception effects and `LicenseRef-sovra-*` classes.
pub(crate) const LICENSE_CLASSES: Asset = Asset {
    path: "rules/licenses/classes.toml",
    text: include_str!("../../rules/licenses/classes.toml"),
};

/// The lenient reading of non-SPDX licence strings.
pub(crate) const LICENSE_LENIENT: Asset = Asset {
    path: "rules/licenses/lenient.toml",
    text: include_str!("../../rules/licenses/lenient.toml"),
};

/// Obligations per licence class and deployment mode, in English and German.
pub(crate) const LICENSE_OBLIGATIONS: Asset = Asset {
    path: "rules/licenses/obligations.toml",
    text: include_str!("../../rules/licenses/obligations.toml"),
};

/// The duties per licence (and licence class) and deployment mode, worded per language.
pub(crate) const LICENSE_DUTIES: Asset = Asset {
    path: "rules/licenses/duties.toml",
    text: include_str!("../../rules/licenses/duties.toml"),
};

/// The OSADL licence compatibility matrix, CSV export (CC-BY-4.0, see
/// `rules/compatibility/README.md`). The JSON export beside it holds the same cells and
/// the matrix's timestamp; the test suite checks that both agree.
pub(crate) const OSADL_MATRIX: Asset = Asset {
    path: "rules/compatibility/osadl-matrix.csv",
    text: include_str!("../../rules/compatibility/osadl-matrix.csv"),
};

/// Parses a TOML document into `T`; a syntax or shape error names the file, line and
/// column.
pub(crate) fn parse_toml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        Error::Invalid(vec![Problem::at_offset(
            path,
            text,
            offset,
            e.message().trim_end_matches('\n').to_owned(),
        )])
    })
}

/// Parses a built-in asset. The assets are checked by the test suite, so a failure here
/// is a defect of the build, reported with its position rather than silently ignored.
pub(crate) fn parse_builtin<T: DeserializeOwned>(asset: Asset) -> T {
    match parse_toml(Path::new(asset.path), asset.text) {
        Ok(v) => v,
        Err(e) => panic!("built-in knowledge base is invalid: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_carry_line_and_column() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            a: u32,
        }
        let err = parse_toml::<T>(Path::new("x.toml"), "a = 1\nb = 2\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.toml:2:1: unknown field `b`, expected `a`"
        );
    }
}
