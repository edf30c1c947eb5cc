//! Licence compatibility as a question about the combined work: when a component under
//! licence `D` is part of a work under licence `L`, is there a licence under which the
//! combined work can be distributed, and whose is it?
//!
//! The answer has three substantive outcomes ([`Outcome`]):
//! - **incompatible**: no licence for the combined work satisfies both (GPL-2.0-only with
//!   Apache-2.0; GPL-2.0-only with GPL-3.0-only; CDDL-1.0 with GPL-2.0-only);
//! - **the copyleft reaches the work**: a strong copyleft component makes the distributed
//!   work subject to its licence (an obligation, not a conflict);
//! - **the copyleft stays with its part**: weak or file-level copyleft (MPL-2.0, EPL-2.0,
//!   LGPL, a GPL with a linking exception) binds the component's own files only.
//!
//! The OSADL matrix stays the data source. Its cells answer "may a work under the leading
//! licence include a component under the other?", so the direction asked depends on which
//! licence must govern the combined work: the dependent's when the dependent is a strong
//! copyleft, the dependency's when the dependency is. Where OSADL says `Check dependency`
//! or `Unknown`, that is the answer, said as such. Classes (with licence exceptions
//! capping them, `rules/licenses/classes.toml`) decide which licence governs; the matrix
//! decides whether it can. Two rules the matrix has no column for are honoured here: the
//! `or-later` clause (a `GPL-2.0-or-later` work may be distributed under GPL-3.0) and the
//! LLVM exception (Apache-2.0 code combinable with GPL-2.0 code, its stated purpose).

use spdx::{LicenseItem, LicenseReq};

use super::class::{Class, Classes};
use super::osadl::{Compat, knows, matrix_key, verdict};

/// What including the dependency in the dependent's work means.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Outcome {
    /// Nothing to say: the combined work can carry the dependent's licence.
    Compatible,
    /// Weak or file-level copyleft: the component keeps its licence inside the larger
    /// work. `relink` when the licence asks that a statically linked work can be
    /// relinked against a changed component (LGPL with static linking).
    StaysWithPart { relink: bool },
    /// The dependency's strong copyleft governs the combined work: when distributed (or,
    /// for a network copyleft, offered over a network), it must be offered under
    /// `licence` (the matrix key, possibly a later version the `or-later` clause allows).
    CopyleftReaches { licence: String, network: bool },
    /// One of the licences has no row in the matrix (a `LicenseRef-*`, a licence OSADL
    /// has not assessed).
    NotInMatrix,
    /// OSADL's answer is `Check dependency` or `Unknown`.
    Review(Compat),
    /// No licence for the combined work satisfies both.
    Incompatible,
}

impl Outcome {
    #[cfg_attr(not(test), allow(dead_code))] // for tests only
    /// Stable code for output and tests.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Outcome::Compatible => "compatible",
            Outcome::StaysWithPart { .. } => "stays-with-part",
            Outcome::CopyleftReaches { .. } => "copyleft-reaches-work",
            Outcome::NotInMatrix => "not-in-matrix",
            Outcome::Review(Compat::Unknown) => "osadl-unknown",
            Outcome::Review(_) => "osadl-check-dependency",
            Outcome::Incompatible => "incompatible",
        }
    }

    /// How much an outcome weighs when several licence pairs meet on one edge.
    pub(crate) fn weight(&self) -> u8 {
        match self {
            Outcome::Compatible => 0,
            Outcome::StaysWithPart { .. } => 1,
            Outcome::CopyleftReaches { .. } => 2,
            Outcome::NotInMatrix => 3,
            Outcome::Review(_) => 4,
            Outcome::Incompatible => 5,
        }
    }
}

/// One OSADL cell that was consulted: the leading licence, the component's, the answer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Cell {
    pub leading: String,
    pub component: String,
    pub verdict: Compat,
}

/// An outcome and the matrix cells it rests on (for the finding's notes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Judgement {
    pub outcome: Outcome,
    pub cells: Vec<Cell>,
}

fn strong(c: Class) -> bool {
    matches!(c, Class::StrongCopyleft | Class::NetworkCopyleft)
}

/// The versions an `or-later` licence may also be used under, nearest first.
fn later_versions(key: &str) -> &'static [&'static str] {
    match key {
        "GPL-1.0-or-later" => &["GPL-2.0-or-later", "GPL-3.0-or-later"],
        "GPL-2.0-or-later" => &["GPL-3.0-or-later"],
        "LGPL-2.0-or-later" => &["LGPL-2.1-or-later", "LGPL-3.0-or-later"],
        "LGPL-2.1-or-later" => &["LGPL-3.0-or-later"],
        "AGPL-1.0-or-later" => &["AGPL-3.0-or-later"],
        _ => &[],
    }
}

/// The matrix key of a requirement; a `WITH` the matrix has no row for is judged by its
/// base licence (the exception only ever widens what the base allows, and the class,
/// capped by the exception, already says whose licence governs).
fn key(req: &LicenseReq) -> Option<(String, Option<String>)> {
    let k = matrix_key(req)?;
    if knows(&k) {
        return Some((k, None));
    }
    match k.split_once(" WITH ") {
        Some((base, exc)) if knows(base) => Some((base.to_owned(), Some(exc.to_owned()))),
        _ => Some((k, None)),
    }
}

fn is_gpl2_family(key: &str) -> bool {
    key.starts_with("GPL-2.0") || key.starts_with("LGPL-2.")
}

/// Whether the MPL-2.0 secondary-licence clause (section 3.3) lets MPL-2.0 files be
/// combined into a work under `leading`: GPL-2.0, LGPL-2.1, AGPL-3.0 or later versions.
fn mpl_secondary(component: &str, leading: &str) -> bool {
    component == "MPL-2.0"
        && ["GPL-", "LGPL-2.1", "LGPL-3.0", "AGPL-3.0"]
            .iter()
            .any(|p| leading.starts_with(p))
}

/// Looks up `leading` (and the later versions its `or-later` allows) with `component`;
/// the first `Yes` wins, else the first cell's answer. Every cell consulted is kept.
fn ask(
    leading: &(String, Option<String>),
    component: &(String, Option<String>),
    cells: &mut Vec<Cell>,
) -> (Compat, String) {
    let mut first: Option<(Compat, String)> = None;
    let candidates =
        std::iter::once(leading.0.as_str()).chain(later_versions(&leading.0).iter().copied());
    for l in candidates {
        let mut v = verdict(l, &component.0);
        // The LLVM exception exists to make Apache-2.0 code combinable with GPL-2.0 code.
        let llvm = |side: &(String, Option<String>)| side.1.as_deref() == Some("LLVM-exception");
        if v == Compat::No
            && ((llvm(component) && is_gpl2_family(l))
                || (llvm(leading) && is_gpl2_family(&component.0)))
        {
            v = Compat::Yes;
        }
        if v == Compat::No && mpl_secondary(&component.0, l) {
            v = Compat::Yes;
        }
        cells.push(Cell {
            leading: l.to_owned(),
            component: component.0.clone(),
            verdict: v,
        });
        if v == Compat::Yes {
            return (v, l.to_owned());
        }
        first.get_or_insert((v, l.to_owned()));
    }
    first.unwrap_or((Compat::NotInMatrix, leading.0.clone()))
}

/// Judges a component under `dependency` inside a work under `dependent`.
/// `static_linking` is the policy's link semantics (LGPL asks for relinking then).
pub(crate) fn judge(
    classes: &Classes,
    dependent: &LicenseReq,
    dependency: &LicenseReq,
    static_linking: bool,
) -> Judgement {
    let cl = classes.of_req(dependent);
    let cd = classes.of_req(dependency);
    let done = |outcome| Judgement {
        outcome,
        cells: Vec::new(),
    };
    if dependent == dependency {
        return done(Outcome::Compatible);
    }
    let weak_part = || Outcome::StaysWithPart {
        relink: static_linking && is_lgpl(dependency),
    };
    // Under a work that is not itself strong copyleft, a weak copyleft or permissive
    // component keeps its own licence: nothing has to be relicensed.
    if !strong(cl) && cd == Class::WeakCopyleft {
        return done(weak_part());
    }
    if !strong(cl) && cd <= Class::Permissive {
        return done(Outcome::Compatible);
    }
    let (Some(lk), Some(dk)) = (key(dependent), key(dependency)) else {
        // A strong copyleft component in a work with a licence the matrix cannot name
        // (a proprietary `LicenseRef-*`): the copyleft still reaches the work.
        if strong(cd) && !strong(cl) && cl != Class::Unknown {
            if let Some((dk, _)) = key(dependency).filter(|(k, _)| knows(k)) {
                return done(Outcome::CopyleftReaches {
                    licence: dk,
                    network: cd == Class::NetworkCopyleft,
                });
            }
        }
        return done(Outcome::NotInMatrix);
    };
    if !knows(&lk.0) || !knows(&dk.0) {
        if strong(cd) && !strong(cl) && knows(&dk.0) && cl != Class::Unknown {
            return done(Outcome::CopyleftReaches {
                licence: dk.0,
                network: cd == Class::NetworkCopyleft,
            });
        }
        return done(Outcome::NotInMatrix);
    }
    let mut cells = Vec::new();
    let (v1, _) = ask(&lk, &dk, &mut cells);
    let outcome = if v1 == Compat::Yes {
        if cd == Class::WeakCopyleft {
            weak_part()
        } else {
            Outcome::Compatible
        }
    } else if strong(cd) {
        // The dependency's copyleft must govern: may its licence lead with the
        // dependent's licence as a component?
        let (v2, under) = ask(&dk, &lk, &mut cells);
        match (v2, v1) {
            (Compat::Yes, _) => Outcome::CopyleftReaches {
                licence: under,
                network: cd == Class::NetworkCopyleft,
            },
            (Compat::No, Compat::No) => Outcome::Incompatible,
            (Compat::No, other) | (other, _) => Outcome::Review(other),
        }
    } else if strong(cl) {
        match v1 {
            Compat::No => Outcome::Incompatible,
            other => Outcome::Review(other),
        }
    } else {
        // Neither is a strong copyleft, yet the dependent's licence cannot lead (a
        // source-available or unusual licence): the other direction may still work.
        let (v2, _) = ask(&dk, &lk, &mut cells);
        match (v1, v2) {
            (_, Compat::Yes) => Outcome::Compatible,
            (Compat::No, Compat::No) => Outcome::Incompatible,
            (Compat::No, other) | (other, _) => Outcome::Review(other),
        }
    };
    Judgement { outcome, cells }
}

fn is_lgpl(req: &LicenseReq) -> bool {
    matches!(&req.license, LicenseItem::Spdx { id, .. } if id.name.starts_with("LGPL-"))
}
