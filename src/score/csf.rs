//! The EU Cloud Sovereignty Framework view: per-objective scores SOV-1..SOV-8, the
//! weighted total under both weight sets, and an indicative SEAL level per objective.
//!
//! Software scope only: sovra sees the software and the offer's declarations, not the
//! provider's operations, so this is an indication, never a CSF assessment.
//!
//! An objective's score is the mean of the scores of the dimensions mapped to it
//! (assessed ones only). Its indicative SEAL level follows from the score (≥ 90 → 4,
//! ≥ 75 → 3, ≥ 60 → 2, ≥ 40 → 1, else 0) and is capped by the failed rules that cite the
//! objective: a failed `gate` caps at SEAL-0, `deny` at SEAL-1, `warn` at SEAL-2. A rule
//! that only reports it could not assess (no facts file) is a gap, not a failed rule.

use crate::finding::{Finding, Level};

use super::{Dimension, DimensionId};

/// The label every rendering of this view carries.
pub(crate) const LABEL: &str = "indicative, software scope only";

/// CSF v1.2.1 (October 2025) objective weights, SOV-1..SOV-8.
pub(crate) const WEIGHTS_V1_2_1: [u32; 8] = [15, 10, 10, 15, 20, 15, 10, 5];
/// Weights of the 2026 CSF calculator, SOV-1..SOV-8.
pub(crate) const WEIGHTS_2026: [u32; 8] = [20, 10, 10, 15, 10, 15, 15, 5];

/// Names of the objectives.
pub(crate) const NAMES: [&str; 8] = [
    "strategic sovereignty",
    "legal and jurisdictional sovereignty",
    "data and AI sovereignty",
    "operational sovereignty",
    "supply-chain sovereignty",
    "technology sovereignty",
    "security and compliance",
    "environmental sustainability",
];

/// Dimensions that inform each objective.
pub(crate) fn dimensions_of(objective: u8) -> &'static [DimensionId] {
    use DimensionId as D;
    match objective {
        1 => &[D::Concentration, D::Continuity],
        2 => &[D::Jurisdiction],
        3 => &[D::Exit],
        4 => &[D::Exit, D::OpenStandards],
        5 => &[D::Transparency, D::Concentration],
        6 => &[D::Licence, D::OpenStandards],
        7 => &[D::Transparency],
        _ => &[],
    }
}

/// One objective.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Objective {
    /// 1..=8.
    pub id: u8,
    pub name: &'static str,
    pub dimensions: &'static [DimensionId],
    /// 0..=100; `None` when no mapped dimension is assessed.
    pub score: Option<f64>,
    /// Failed rules citing the objective: rule id and level (rules that could not
    /// assess are not among them).
    pub failed_rules: Vec<(String, Level)>,
    /// The lowest cap of those rules.
    pub cap: Option<u8>,
    /// Indicative SEAL level (0..=4); `None` when not assessed.
    pub seal: Option<u8>,
}

/// The CSF view of a score.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CsfView {
    pub objectives: Vec<Objective>,
    /// Weighted over assessed objectives with [`WEIGHTS_V1_2_1`].
    pub total_v1_2_1: Option<f64>,
    /// Weighted over assessed objectives with [`WEIGHTS_2026`].
    pub total_2026: Option<f64>,
    pub label: &'static str,
}

fn seal_of(score: f64) -> u8 {
    if score >= 90.0 {
        4
    } else if score >= 75.0 {
        3
    } else if score >= 60.0 {
        2
    } else if score >= 40.0 {
        1
    } else {
        0
    }
}

fn cap_of(level: Level) -> Option<u8> {
    match level {
        Level::Gate => Some(0),
        Level::Deny => Some(1),
        Level::Warn => Some(2),
        Level::Allow => None,
    }
}

/// Builds the view from the dimensions and the findings; `objective_of` maps a rule id
/// to the CSF objective it cites.
pub(crate) fn view(
    dimensions: &[Dimension],
    findings: &[Finding],
    objective_of: &dyn Fn(&str) -> Option<u8>,
) -> CsfView {
    let mut objectives = Vec::new();
    for id in 1..=8u8 {
        let dims = dimensions_of(id);
        let scores: Vec<f64> = dims
            .iter()
            .filter_map(|d| dimensions.iter().find(|x| x.id == *d).and_then(|x| x.score))
            .collect();
        let score = (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64);
        let mut failed: Vec<(String, Level)> = findings
            .iter()
            .filter(|f| {
                f.exception.is_none() && !f.hit.not_assessed() && objective_of(&f.rule) == Some(id)
            })
            .map(|f| (f.rule.clone(), f.level))
            .collect();
        failed.sort();
        failed.dedup();
        let cap = failed.iter().filter_map(|(_, l)| cap_of(*l)).min();
        let seal = score.map(|s| {
            let s = seal_of(s);
            cap.map_or(s, |c| s.min(c))
        });
        objectives.push(Objective {
            id,
            name: NAMES[usize::from(id - 1)],
            dimensions: dims,
            score,
            failed_rules: failed,
            cap,
            seal,
        });
    }
    let total = |weights: &[u32; 8]| {
        let mut sum = 0.0;
        let mut w = 0.0;
        for (o, wt) in objectives.iter().zip(weights) {
            if let Some(s) = o.score {
                sum += s * f64::from(*wt);
                w += f64::from(*wt);
            }
        }
        (w > 0.0).then(|| sum / w)
    };
    CsfView {
        total_v1_2_1: total(&WEIGHTS_V1_2_1),
        total_2026: total(&WEIGHTS_2026),
        objectives,
        label: LABEL,
    }
}
