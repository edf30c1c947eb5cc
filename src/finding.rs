//! What rules produce: the [`Level`] of a rule, the [`Hit`] a check reports, and the
//! [`Finding`] the engine makes of it (rule, effective level, inclusion path, the
//! exception applied). Read by the score, the reports and every renderer.

use crate::model::PkgIdx;
use crate::text::Text;

/// How seriously a rule's findings are taken. Ordered: `Allow < Warn < Deny < Gate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Level {
    /// Recorded, never fails anything.
    Allow,
    /// Needs review; fails only with `--fail-on warn`.
    Warn,
    /// A policy violation.
    Deny,
    /// A violation that makes the candidate non-compliant whatever its score.
    Gate,
}

impl Level {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
            Level::Gate => "gate",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Level> {
        match s {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            "gate" => Some(Level::Gate),
            _ => None,
        }
    }
}

/// What a check reports: one observation about a package, a component or the candidate.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Hit {
    /// The package concerned, if any.
    pub package: Option<PkgIdx>,
    /// The candidate component concerned, if any.
    pub component: Option<u32>,
    /// One line, lowercase, names in backticks; worded by the locale (`msg.*`).
    pub message: Text,
    /// Supporting detail lines (the `OR` branch chosen and why, the matrix verdict…).
    pub notes: Vec<Text>,
    /// A key that exceptions can match besides package and rule: a licence id, a vendor
    /// id.
    pub subject: Option<String>,
    /// Lower the level of this hit to at most `Warn` (e.g. OSADL "Unknown" → review).
    pub review_only: bool,
    /// Lower the level of this hit to at most this level (a check whose outcomes weigh
    /// differently, such as an obligation against a conflict).
    pub cap: Option<Level>,
}

/// A finding: a hit of a rule, with the rule's identity and effective level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub rule: String,
    pub level: Level,
    pub hit: Hit,
    /// The package and scope whose shortest inclusion path explains the finding, when
    /// it has a reachable package. The path itself is the graph's
    /// (`DepGraph::short_path`, `DepGraph::path_parent`): findings do not copy it, so
    /// a deep graph costs memory linear in the findings.
    pub path: Option<(PkgIdx, crate::graph::Scope)>,
    /// The exception that suppressed this finding, if one matched.
    pub exception: Option<AppliedException>,
}

/// An exception that matched a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AppliedException {
    /// Index into the effective policy's exceptions.
    pub index: usize,
    pub reason: String,
    pub owner: String,
    pub expires: Option<String>,
    /// The policy layer that declared it.
    pub layer: String,
}

impl Hit {
    /// Whether the hit says only that the rule could not assess for lack of evidence
    /// (no facts file, packages the facts file has nothing on): a gap in the evidence,
    /// never a violation.
    pub(crate) fn not_assessed(&self) -> bool {
        matches!(
            self.message.key(),
            "facts.none" | "facts.unchecked-one" | "facts.unchecked-many"
        )
    }
}

impl Finding {
    /// Whether the finding counts against the candidate: not excepted, and at or
    /// above `fail_on`.
    pub(crate) fn fails(&self, fail_on: Level) -> bool {
        self.exception.is_none() && self.level >= fail_on && self.level > Level::Allow
    }
}
