//! Choosing the branch of an `OR` licence expression that the policy prefers.
//!
//! An expression is expanded into its alternatives (disjunctive normal form: each
//! alternative is a set of licences that apply together). The policy's ordered
//! preference list ranks them, as cargo-about does: the alternative whose least
//! preferred licence ranks best wins; ties go to the fewer licences, then to the order
//! of the expression. The choice keeps its reason so findings can say it.

use spdx::{LicenseReq, Licensee};

use crate::license::{LicenseState, Licenses};
use crate::text;
use crate::text::Text;

/// The licences a package is used under, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Choice {
    /// The licences of the chosen alternative (all apply together).
    pub licenses: Vec<LicenseReq>,
    /// Number of alternatives the expression offers.
    pub alternatives: usize,
    /// Why this alternative, one line; empty when the expression has no `OR`.
    pub reason: Text,
}

impl Choice {
    /// The chosen alternative as SPDX text (`MIT AND BSD-3-Clause`).
    pub(crate) fn text(&self) -> String {
        self.licenses
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// A note for findings: which branch was taken and why, if there was a choice.
    pub(crate) fn note(&self) -> Option<Text> {
        (self.alternatives > 1).then(|| {
            text!(
                "choice.chose",
                licence = self.text(),
                reason = self.reason.clone()
            )
        })
    }
}

/// The alternatives of an expression, in expression order. An expression too large to
/// expand counts as one alternative holding every licence it names (the cautious
/// reading).
pub(crate) fn alternatives(expr: &spdx::Expression) -> Vec<Vec<LicenseReq>> {
    crate::license::alternatives(expr).unwrap_or_else(|| {
        let mut all: Vec<LicenseReq> = expr.requirements().map(|r| r.req.clone()).collect();
        all.sort();
        all.dedup();
        vec![all]
    })
}

/// Rank of one licence in the preference list (lower is better); unlisted licences
/// rank after every listed one.
fn rank(req: &LicenseReq, prefer: &[Licensee]) -> usize {
    prefer
        .iter()
        .position(|l| l.satisfies(req))
        .unwrap_or(prefer.len())
}

/// Chooses the preferred alternative of `expr`.
pub(crate) fn choose(expr: &spdx::Expression, prefer: &[Licensee]) -> Option<Choice> {
    let alts = alternatives(expr);
    let n = alts.len();
    let (best_i, best) = alts.iter().enumerate().min_by_key(|(i, a)| {
        let worst = a
            .iter()
            .map(|r| rank(r, prefer))
            .max()
            .unwrap_or(usize::MAX);
        (worst, a.len(), *i)
    })?;
    let reason = if n <= 1 {
        Text::default()
    } else {
        let worst = best.iter().map(|r| rank(r, prefer)).max().unwrap_or(0);
        if worst < prefer.len() {
            text!(
                "choice.preferred",
                licence = prefer[worst].clone().into_req().to_string(),
                rank = worst + 1
            )
        } else if best_i == 0 {
            text!("choice.first")
        } else {
            text!("choice.fewest")
        }
    };
    Some(Choice {
        licenses: best.clone(),
        alternatives: n,
        reason,
    })
}

/// The choice for every package with a known licence, indexed by `PkgIdx`.
pub(crate) fn choose_all(licenses: &Licenses, prefer: &[String]) -> Vec<Option<Choice>> {
    let prefer: Vec<Licensee> = prefer
        .iter()
        .filter_map(|p| Licensee::parse(p).ok())
        .collect();
    licenses
        .per_package
        .iter()
        .map(|s| match s {
            LicenseState::Known(l) => choose(&l.expression, &prefer),
            LicenseState::Unknown(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(expr: &str, prefer: &[&str]) -> (String, String) {
        let e = spdx::Expression::parse(expr).unwrap();
        let p: Vec<Licensee> = prefer.iter().map(|p| Licensee::parse(p).unwrap()).collect();
        let c = choose(&e, &p).unwrap();
        (c.text(), c.reason.to_string())
    }

    #[test]
    fn preference_decides_between_branches() {
        assert_eq!(
            pick("MIT OR Apache-2.0", &["Apache-2.0", "MIT"]),
            (
                "Apache-2.0".into(),
                "`Apache-2.0` is number 1 in the policy's licence preference".into()
            )
        );
        assert_eq!(pick("MIT OR Apache-2.0", &["MIT"]).0, "MIT");
        assert_eq!(pick("GPL-3.0-only OR MIT", &[]).0, "GPL-3.0-only");
    }

    #[test]
    fn and_distributes_over_or() {
        let e = spdx::Expression::parse("(MIT OR Apache-2.0) AND Unicode-3.0").unwrap();
        let alts = alternatives(&e);
        assert_eq!(alts.len(), 2);
        assert_eq!(
            pick(
                "(MIT OR Apache-2.0) AND Unicode-3.0",
                &["Apache-2.0", "Unicode-3.0"]
            )
            .0,
            "Apache-2.0 AND Unicode-3.0"
        );
    }

    #[test]
    fn single_licence_has_no_reason() {
        assert_eq!(pick("MIT", &["Apache-2.0"]), ("MIT".into(), String::new()));
    }
}
