//! Licence interpretation: raw licence strings from inputs → SPDX expressions.
//!
//! Strict parse first (`spdx` crate, SPDX 2.x syntax), then a lenient pass driven by the
//! data table in `rules/licenses/`; every lenient rewrite is kept with the original
//! string so that rules can report it. Packages without a usable licence are
//! [`LicenseState::Unknown`] with the reason.

use crate::model::{Inventory, Package};

/// How an expression was obtained from the raw string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// Valid SPDX syntax as written.
    Strict,
    /// Made valid by lenient rewrites (each recorded).
    Lenient {
        original: String,
        rewrites: Vec<String>,
    },
}

/// Which field of the input the licence came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LicenseOrigin {
    Declared,
    Concluded,
}

/// A licence the tool could interpret.
#[derive(Debug, Clone)]
pub struct Licensing {
    pub expression: spdx::Expression,
    pub parsed: Parsed,
    pub origin: LicenseOrigin,
}

impl Licensing {
    /// The expression as SPDX text.
    pub fn text(&self) -> &str {
        self.expression.as_ref()
    }
}

/// Why a package's licence is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnknownReason {
    /// The input has no licence field for the package.
    Missing,
    /// `NOASSERTION`.
    NoAssertion,
    /// `NONE`: the input asserts that no licence applies.
    None,
    /// Only a licence file is named (Cargo `license-file`).
    LicenseFileOnly(String),
    /// The string is neither valid SPDX nor fixable by the lenient table.
    Unparseable { raw: String, error: String },
}

/// The interpreted licence of one package.
#[derive(Debug, Clone)]
pub enum LicenseState {
    Known(Box<Licensing>),
    Unknown(UnknownReason),
}

/// Interpreted licences of every package of an inventory, indexed by `PkgIdx`.
#[derive(Debug, Clone, Default)]
pub struct Licenses {
    pub per_package: Vec<LicenseState>,
}

/// Interprets the licence of every package.
pub fn resolve_all(inv: &Inventory) -> Licenses {
    Licenses {
        per_package: inv.packages.iter().map(resolve).collect(),
    }
}

/// Interprets one package's licence: concluded wins over declared unless it is
/// `NOASSERTION`; several statements apply together (`AND`).
pub fn resolve(pkg: &Package) -> LicenseState {
    let pick = |v: &[String]| -> Option<String> {
        let v: Vec<&str> = v
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        match v.len() {
            0 => None,
            1 => Some(v[0].to_owned()),
            _ => Some(
                v.iter()
                    .map(|s| format!("({s})"))
                    .collect::<Vec<_>>()
                    .join(" AND "),
            ),
        }
    };
    let concluded = pick(&pkg.concluded).filter(|s| s != "NOASSERTION");
    let (raw, origin) = match (concluded, pick(&pkg.declared)) {
        (Some(c), _) => (c, LicenseOrigin::Concluded),
        (None, Some(d)) => (d, LicenseOrigin::Declared),
        (None, None) => {
            if let Some(f) = &pkg.license_file {
                return LicenseState::Unknown(UnknownReason::LicenseFileOnly(f.clone()));
            }
            if pkg.concluded.iter().any(|s| s.trim() == "NOASSERTION") {
                return LicenseState::Unknown(UnknownReason::NoAssertion);
            }
            return LicenseState::Unknown(UnknownReason::Missing);
        }
    };
    match raw.as_str() {
        "NOASSERTION" => return LicenseState::Unknown(UnknownReason::NoAssertion),
        "NONE" => return LicenseState::Unknown(UnknownReason::None),
        _ => {}
    }
    match spdx::Expression::parse(&raw) {
        Ok(expression) => LicenseState::Known(Box::new(Licensing {
            expression,
            parsed: Parsed::Strict,
            origin,
        })),
        Err(e) => LicenseState::Unknown(UnknownReason::Unparseable {
            raw,
            error: e.to_string(),
        }),
    }
}
