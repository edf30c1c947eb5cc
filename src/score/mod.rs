//! The lock-in score: gates, a 0–100 sovereignty score over seven dimensions, and the
//! EU Cloud Sovereignty Framework (CSF) objective view.
//!
//! Pure: reads [`Facts`], the findings of the rules and the configuration. Every number
//! carries its inputs, its formula and its contributors, so a report can explain it.
//!
//! Invariants:
//! - Missing evidence is neither a pass nor a failure: a unit without evidence for a
//!   dimension is listed as a gap and lowers the dimension's coverage, and the dimension
//!   is scored over the evidenced weight only. A dimension whose coverage is below the
//!   policy's `min_coverage` is "not assessed" and left out of the total; when the
//!   assessed share of the weights is below it, the verdict is "not assessed" (the
//!   evidence is too thin to decide).
//! - The total is stated in whole points and its band is the band of that stated value,
//!   so "80" is never shown with the band of 79.6.
//! - A proprietary component earns no credit in any component-level dimension: only its
//!   owner can carry it on, whatever else is true of it. Hence removing a proprietary
//!   component never lowers a dimension's score, nor the total over the same
//!   assessed dimensions. (A proprietary *package* of a plain input is
//!   judged on what is known of it, like any other package.)
//! - Jurisdiction facts enter the jurisdiction dimension only, and an unknown seat is a
//!   gap: evidence that a controller sits outside the EU/EEA never raises the
//!   jurisdiction score, nor the total over the same assessed dimensions.

pub(crate) mod csf;

use std::collections::BTreeMap;

use crate::facts::{Facts, Freedom, Unit};
use crate::finding::{Finding, Level};
use crate::ingest::candidate::{Criticality, DataExport, Deployment, SwitchingCharges};

/// The seven dimensions of the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum DimensionId {
    Licence,
    Concentration,
    Jurisdiction,
    OpenStandards,
    Exit,
    Continuity,
    Transparency,
}

impl DimensionId {
    pub(crate) const ALL: [DimensionId; 7] = [
        DimensionId::Licence,
        DimensionId::Concentration,
        DimensionId::Jurisdiction,
        DimensionId::OpenStandards,
        DimensionId::Exit,
        DimensionId::Continuity,
        DimensionId::Transparency,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DimensionId::Licence => "licence-freedom",
            DimensionId::Concentration => "vendor-concentration",
            DimensionId::Jurisdiction => "jurisdiction",
            DimensionId::OpenStandards => "open-standards",
            DimensionId::Exit => "exit-portability",
            DimensionId::Continuity => "continuity-community",
            DimensionId::Transparency => "supply-chain-transparency",
        }
    }

    pub(crate) fn title(self) -> &'static str {
        match self {
            DimensionId::Licence => "licence freedom and durability",
            DimensionId::Concentration => "vendor concentration",
            DimensionId::Jurisdiction => "jurisdiction exposure",
            DimensionId::OpenStandards => "open standards",
            DimensionId::Exit => "exit and portability",
            DimensionId::Continuity => "continuity and community health",
            DimensionId::Transparency => "supply-chain transparency",
        }
    }

    fn formula(self) -> &'static str {
        match self {
            DimensionId::Licence => {
                "100 × Σ(weight × credit) / Σ weight with evidence; credit 1 for a free licence (0.5 when one holder can relicense), × share of free packages under the unit; 0 for proprietary; an unknown licence is a gap"
            }
            DimensionId::Concentration => {
                "100 × (1 − HHI) × open weight / total weight; HHI (of open units by weight) = Σ share² over the controlling organisations of open units (criticality-weighted, unattributed units pooled as one); proprietary units count as fully concentrated; an offer whose every unit one organisation controls is a single supplier and takes the score of exit-portability instead"
            }
            DimensionId::Jurisdiction => {
                "100 × (1 − criticality-weighted share outside the EU/EEA, over units of known seat); vendor and ultimate parent must both sit in the EU/EEA; proprietary units count outside; an unknown seat is a gap"
            }
            DimensionId::OpenStandards => {
                "100 × Σ(weight × credit) / Σ weight with evidence; credit 1 when the unit supports an open standard its function requires (0.5 for other open standards), 0 for proprietary; none declared is a gap"
            }
            DimensionId::Exit => {
                "100 × Σ credit / stated facts; facts: data export (open formats 1, proprietary 0.25, none 0), self-hostable, works disconnected, and for SaaS/hybrid offers the Data Act terms (notice ≤ 2 months, transition ≤ 30 days, no switching charges); an unstated fact is a gap"
            }
            DimensionId::Continuity => {
                "100 × Σ(weight × credit) / Σ weight with evidence; credit from forge evidence: 0.4 for ≥ 5 contributors in 12 months (0.2 for ≥ 2), 0.3 for ≥ 2 contributing organisations, 0.3 for a release within a year; 0 for proprietary units; a unit without forge facts is a gap"
            }
            DimensionId::Transparency => {
                "100 × Σ(weight × credit) / Σ weight with evidence; credit = share of the unit's packages whose origin and licence are known; 0 for proprietary units; a unit without an SBOM, lockfile or Cargo input is a gap"
            }
        }
    }
}

/// The default of [`Config::min_coverage`].
pub(crate) const DEFAULT_MIN_COVERAGE: f64 = 0.5;

/// Score configuration (policy weights).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Config {
    /// Weight of each dimension (defaults 20/15/15/15/15/10/10).
    pub weights: BTreeMap<DimensionId, u32>,
    /// Weight of a critical unit relative to a supporting one.
    pub critical_weight: f64,
    /// Open standards a function requires (`office` → `ODF`, …).
    pub required_standards: BTreeMap<String, Vec<String>>,
    /// Share (0..=1) of a dimension's weight that must be backed by evidence for the
    /// dimension to be assessed, and of the dimension weights that must be assessed for
    /// a verdict (default 0.5).
    pub min_coverage: f64,
}

impl Default for Config {
    fn default() -> Self {
        let weights = [20, 15, 15, 15, 15, 10, 10];
        Config {
            weights: DimensionId::ALL.into_iter().zip(weights).collect(),
            critical_weight: 3.0,
            required_standards: default_required_standards(),
            min_coverage: DEFAULT_MIN_COVERAGE,
        }
    }
}

impl Config {
    /// The configuration a policy's `[score]` settings give (defaults where unset):
    /// `(key, value)` pairs, `weights.<dimension>` for a weight.
    pub(crate) fn from_settings<'a>(
        settings: impl IntoIterator<Item = (&'a String, &'a toml::Value)>,
    ) -> Result<Config, String> {
        let mut cfg = Config::default();
        for (key, v) in settings {
            if key == "critical_weight" {
                let w = v
                    .as_float()
                    .or_else(|| v.as_integer().map(|i| i as f64))
                    .ok_or("`critical_weight` must be a number")?;
                if !(1.0..=10.0).contains(&w) {
                    return Err(format!("`critical_weight` is {w}: expected 1 to 10"));
                }
                cfg.critical_weight = w;
            } else if key == "min_coverage" {
                let m = v
                    .as_float()
                    .or_else(|| v.as_integer().map(|i| i as f64))
                    .ok_or("`min_coverage` must be a number")?;
                if !(0.0..=1.0).contains(&m) {
                    return Err(format!("`min_coverage` is {m}: expected 0 to 1"));
                }
                cfg.min_coverage = m;
            } else if let Some(dim) = key.strip_prefix("weights.") {
                let id = DimensionId::ALL
                    .into_iter()
                    .find(|d| d.as_str() == dim)
                    .ok_or_else(|| {
                        let names: Vec<&str> =
                            DimensionId::ALL.iter().map(|d| d.as_str()).collect();
                        format!(
                            "unknown dimension `{dim}`: expected one of {}",
                            names.join(", ")
                        )
                    })?;
                let w = v
                    .as_integer()
                    .and_then(|i| u32::try_from(i).ok())
                    .filter(|i| *i <= 100)
                    .ok_or_else(|| format!("weight of `{dim}` must be an integer from 0 to 100"))?;
                cfg.weights.insert(id, w);
            } else {
                return Err(format!(
                    "unknown key `{key}`: expected `weights`, `critical_weight` or `min_coverage`"
                ));
            }
        }
        if cfg.weights.values().all(|w| *w == 0) {
            return Err("all dimension weights are 0".into());
        }
        Ok(cfg)
    }
}

/// Open standards per function that STD001 and the score expect by default.
pub(crate) fn default_required_standards() -> BTreeMap<String, Vec<String>> {
    let table: &[(&str, &[&str])] = &[
        ("chat", &["Matrix", "XMPP"]),
        ("files", &["WebDAV"]),
        ("groupware", &["IMAP", "CalDAV", "CardDAV"]),
        ("mail", &["IMAP", "SMTP"]),
        ("office", &["ODF"]),
        ("portal", &["OpenID Connect", "SAML"]),
        ("identity", &["OpenID Connect", "SAML", "LDAP"]),
        ("projects", &["iCalendar"]),
        ("video", &["WebRTC", "SIP"]),
        ("wiki", &["HTML", "Markdown"]),
        ("notes", &["Markdown", "HTML"]),
        ("whiteboard", &["SVG"]),
    ];
    table
        .iter()
        .map(|(f, s)| ((*f).to_owned(), s.iter().map(|x| (*x).to_owned()).collect()))
        .collect()
}

/// One unit's part in a dimension.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Contribution {
    pub unit: String,
    pub weight: f64,
    /// 0..=1.
    pub credit: f64,
    pub note: String,
}

/// One dimension's result.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dimension {
    pub id: DimensionId,
    pub weight: u32,
    /// 0..=100; `None` when not assessed.
    pub score: Option<f64>,
    /// Share (0..=1) of the weight backed by evidence.
    pub coverage: f64,
    pub formula: &'static str,
    /// Named inputs of the formula (`HHI of open units by weight`, `open weight`, …), as numbers;
    /// renderers format them ([`fmt_number`] for plain text).
    pub inputs: Vec<(String, f64)>,
    pub contributors: Vec<Contribution>,
    /// What evidence is missing.
    pub gaps: Vec<GapNote>,
}

/// One piece of evidence a dimension lacks: a stable kind and the unit or fact it
/// concerns, so a report can word it in its own language. `Display` is the English text
/// of `sovra score`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GapNote {
    pub kind: GapKind,
    /// The unit's name (component or package) or the fact's name.
    pub subject: String,
}

/// Why a unit or fact has no evidence in a dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum GapKind {
    /// The unit has no evidence for the dimension.
    NoEvidence,
    /// The unit's controlling organisation is unknown.
    OriginUnknown,
    /// A fact of the offer is not stated.
    NotStated,
}

impl GapKind {
    /// Stable code (`no-evidence`, `origin-unknown`, `not-stated`).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            GapKind::NoEvidence => "no-evidence",
            GapKind::OriginUnknown => "origin-unknown",
            GapKind::NotStated => "not-stated",
        }
    }
}

impl GapNote {
    fn new(kind: GapKind, subject: &str) -> GapNote {
        GapNote {
            kind,
            subject: subject.to_owned(),
        }
    }
}

impl std::fmt::Display for GapNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.subject;
        match self.kind {
            GapKind::NoEvidence => write!(f, "`{s}`: no evidence"),
            GapKind::OriginUnknown => write!(f, "`{s}`: controlling organisation unknown"),
            GapKind::NotStated => write!(f, "`{s}` not stated"),
        }
    }
}

/// Lock-in band of a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Band {
    Low,
    Moderate,
    High,
    Critical,
}

impl Band {
    /// The band of a score as stated in whole points (79.6 is stated "80", band low).
    pub(crate) fn of(score: f64) -> Band {
        let score = score.round();
        if score >= 80.0 {
            Band::Low
        } else if score >= 60.0 {
            Band::Moderate
        } else if score >= 40.0 {
            Band::High
        } else {
            Band::Critical
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Band::Low => "low lock-in",
            Band::Moderate => "moderate lock-in",
            Band::High => "high lock-in",
            Band::Critical => "critical lock-in",
        }
    }
}

/// A failed gate-level rule without a valid exception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gate {
    pub rule: String,
    pub message: crate::text::Text,
}

/// The overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A gate failed: non-compliant whatever the score.
    NonCompliant,
    /// No gate failed, but violations or findings to review remain (without an
    /// exception): a person must decide. The band of the score.
    ReviewNeeded(Band),
    /// No gate failed and nothing is left to review; the band of the score.
    Compliant(Band),
    /// No gate failed, and the evidence is too thin to decide: less than
    /// [`Config::min_coverage`] of the dimension weights could be assessed.
    NotAssessed,
}

impl Verdict {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Verdict::NonCompliant => "non-compliant",
            Verdict::ReviewNeeded(_) => "review needed",
            Verdict::Compliant(_) => "compliant",
            Verdict::NotAssessed => "not assessed",
        }
    }

    /// The stable code of the verdict in JSON outputs (as in the report's JSON).
    pub(crate) fn code(self) -> &'static str {
        match self {
            Verdict::NonCompliant => "non-compliant",
            Verdict::ReviewNeeded(_) => "review-needed",
            Verdict::Compliant(_) => "compliant",
            Verdict::NotAssessed => "not-assessed",
        }
    }
}

/// The score of one candidate.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Score {
    pub candidate: String,
    pub verdict: Verdict,
    pub gates: Vec<Gate>,
    /// 0..=100 in whole points over the assessed dimensions; `None` when none is
    /// assessed.
    pub total: Option<f64>,
    pub band: Option<Band>,
    /// Share (0..=1) of the dimension weights that could be assessed.
    pub coverage: f64,
    /// Herfindahl–Hirschman index (0..=1) of the controlling organisations of the open
    /// units, by unit weight: the one HHI every output shows, everywhere named as over
    /// the open units. `None` without open units (a proprietary suite).
    pub hhi: Option<f64>,
    /// The policy's threshold for a dimension and for the verdict ([`Config::min_coverage`]).
    pub min_coverage: f64,
    pub dimensions: Vec<Dimension>,
    pub csf: csf::CsfView,
}

/// Scores a candidate. Pure.
pub(crate) fn score(
    facts: &Facts,
    findings: &[Finding],
    objective_of: &dyn Fn(&str) -> Option<u8>,
    cfg: &Config,
) -> Score {
    let (concentration, hhi) = concentration(facts, cfg);
    // One known organisation controlling every unit, open or proprietary: a proprietary
    // suite of one vendor has no open units and so no HHI, and is a single supplier all
    // the same.
    let single_supplier = concentration.score.is_some() && {
        let orgs: std::collections::BTreeSet<Option<&str>> = facts
            .units
            .iter()
            .map(|u| u.controller.org.as_deref())
            .collect();
        orgs.len() == 1 && !orgs.contains(&None)
    };
    let mut concentration = Some(concentration);
    let dimensions: Vec<Dimension> = DimensionId::ALL
        .into_iter()
        .map(|id| {
            let mut d = match id {
                DimensionId::Licence => per_unit(facts, cfg, licence_credit),
                DimensionId::Concentration => concentration.take().unwrap_or_else(empty),
                DimensionId::Jurisdiction => per_unit(facts, cfg, jurisdiction_credit),
                DimensionId::OpenStandards => per_unit(facts, cfg, standards_credit),
                DimensionId::Exit => exit(facts),
                DimensionId::Continuity => per_unit(facts, cfg, |u, _| continuity_credit(u)),
                DimensionId::Transparency => {
                    per_unit(facts, cfg, |u, _| transparency_credit(u, facts))
                }
            };
            d.id = id;
            // Gap and contributor lists follow the units' order, which is the inputs'
            // order: sorted, the same inputs in another order give the same bytes.
            d.contributors.sort_by(|a, b| a.unit.cmp(&b.unit));
            d.gaps
                .sort_by(|a, b| (a.kind, &a.subject).cmp(&(b.kind, &b.subject)));
            d.gaps
                .dedup_by(|a, b| a.kind == b.kind && a.subject == b.subject);
            d.weight = cfg.weights.get(&id).copied().unwrap_or(0);
            d.formula = id.formula();
            if d.score.is_some() && d.coverage < cfg.min_coverage {
                // Too little evidence to say anything: not assessed, threshold stated.
                d.score = None;
            }
            d.inputs.push(("minimum coverage".into(), cfg.min_coverage));
            d
        })
        .collect();
    let mut dimensions = dimensions;
    if single_supplier {
        single_supplier_concentration(&mut dimensions, cfg);
    }
    let total_weight: u32 = dimensions.iter().map(|d| d.weight).sum();
    let assessed: Vec<&Dimension> = dimensions.iter().filter(|d| d.score.is_some()).collect();
    let assessed_weight: u32 = assessed.iter().map(|d| d.weight).sum();
    let total = (assessed_weight > 0).then(|| {
        let t = assessed
            .iter()
            .map(|d| f64::from(d.weight) * d.score.unwrap_or(0.0))
            .sum::<f64>()
            / f64::from(assessed_weight);
        t.round()
    });
    let coverage = if total_weight == 0 {
        0.0
    } else {
        f64::from(assessed_weight) / f64::from(total_weight)
    };
    let gates: Vec<Gate> = findings
        .iter()
        .filter(|f| f.level == Level::Gate && f.exception.is_none())
        .map(|f| Gate {
            rule: f.rule.clone(),
            message: f.hit.message.clone(),
        })
        .collect();
    let band = total.map(Band::of);
    // Findings to review, and licences not known for every unit, call for a person.
    let to_review = findings.iter().any(|f| f.fails(Level::Warn))
        || dimensions
            .iter()
            .any(|d| d.id == DimensionId::Licence && d.coverage < 1.0);
    let verdict = match band {
        _ if !gates.is_empty() => Verdict::NonCompliant,
        None => Verdict::NotAssessed,
        Some(_) if coverage < cfg.min_coverage => Verdict::NotAssessed,
        Some(b) if to_review => Verdict::ReviewNeeded(b),
        Some(b) => Verdict::Compliant(b),
    };
    let csf = csf::view(&dimensions, findings, objective_of);
    Score {
        candidate: facts.candidate.name.clone(),
        verdict,
        gates,
        total,
        band,
        coverage,
        hhi,
        min_coverage: cfg.min_coverage,
        dimensions,
        csf,
    }
}

/// A unit's credit in one dimension: `None` when there is no evidence.
type Credit = Option<(f64, String)>;

fn unit_weight(u: &Unit, cfg: &Config) -> (f64, Option<String>) {
    if u.component.is_none() {
        return (1.0, None);
    }
    match u.criticality {
        Some(Criticality::Critical) => (cfg.critical_weight, None),
        Some(Criticality::Supporting) => (1.0, None),
        None => (
            cfg.critical_weight,
            Some(format!(
                "`{}`: criticality unknown, weighed as critical",
                u.name
            )),
        ),
    }
}

fn per_unit(facts: &Facts, cfg: &Config, credit: impl Fn(&Unit, &Config) -> Credit) -> Dimension {
    let mut d = empty();
    let mut total = 0.0;
    let mut evidenced = 0.0;
    let mut sum = 0.0;
    for u in &facts.units {
        let (w, _) = unit_weight(u, cfg);
        total += w;
        match credit(u, cfg) {
            Some((c, note)) => {
                evidenced += w;
                sum += w * c;
                d.contributors.push(Contribution {
                    unit: u.name.clone(),
                    weight: w,
                    credit: c,
                    note,
                });
            }
            None => d.gaps.push(GapNote::new(GapKind::NoEvidence, &u.name)),
        }
    }
    finish(&mut d, total, evidenced, sum);
    d
}

fn finish(d: &mut Dimension, total: f64, evidenced: f64, sum: f64) {
    d.inputs.push(("total weight".into(), total));
    d.inputs.push(("weight with evidence".into(), evidenced));
    if evidenced > 0.0 && total > 0.0 {
        d.score = Some(100.0 * sum / evidenced);
        d.coverage = evidenced / total;
    }
}

fn empty() -> Dimension {
    Dimension {
        id: DimensionId::Licence,
        weight: 0,
        score: None,
        coverage: 0.0,
        formula: "",
        inputs: Vec::new(),
        contributors: Vec::new(),
        gaps: Vec::new(),
    }
}

/// A formula input as plain text: up to three decimals, trailing zeros dropped.
pub(crate) fn fmt_number(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

fn licence_credit(u: &Unit, _cfg: &Config) -> Credit {
    let base = match u.freedom {
        Freedom::Free if u.relicensable == Some(true) => (
            0.5,
            format!("`{}` is free; one holder can relicense", lic(u)),
        ),
        Freedom::Free => (1.0, format!("`{}` is free", lic(u))),
        Freedom::NotFree => return Some((0.0, format!("`{}` is not free", lic(u)))),
        // An unknown licence is missing evidence: a gap, not a failure.
        Freedom::Unknown => return None,
    };
    match (u.component, u.package_free_share) {
        (Some(_), Some(share)) => Some((
            base.0 * share,
            format!("{}; {:.0} % of its packages free", base.1, share * 100.0),
        )),
        _ => Some(base),
    }
}

fn lic(u: &Unit) -> &str {
    u.licence.as_deref().unwrap_or("unknown")
}

fn jurisdiction_credit(u: &Unit, _cfg: &Config) -> Credit {
    let who = u.controller.org.as_deref().unwrap_or("unknown");
    let seat = u.controller.seat.as_deref().unwrap_or("seat unknown");
    if u.proprietary() && u.component.is_some() {
        return Some((0.0, format!("proprietary; controlled by `{who}` ({seat})")));
    }
    match u.controller.eu_eea {
        Some(true) => Some((1.0, format!("`{who}` ({seat}) in the EU/EEA"))),
        Some(false) => Some((0.0, format!("`{who}` ({seat}) outside the EU/EEA"))),
        None => None,
    }
}

fn standards_credit(u: &Unit, cfg: &Config) -> Credit {
    if u.proprietary() && u.component.is_some() {
        return Some((0.0, "proprietary".into()));
    }
    if u.open_standards.is_empty() {
        return None;
    }
    let required = u
        .function
        .as_ref()
        .and_then(|f| cfg.required_standards.get(f));
    match required {
        Some(req) => {
            let hit: Vec<&String> = u
                .open_standards
                .iter()
                .filter(|s| req.contains(s))
                .collect();
            if hit.is_empty() {
                Some((
                    0.5,
                    format!(
                        "supports {}, none of {} required",
                        list(&u.open_standards),
                        list(req)
                    ),
                ))
            } else {
                Some((1.0, format!("supports {}", list(&u.open_standards))))
            }
        }
        None => Some((1.0, format!("supports {}", list(&u.open_standards)))),
    }
}

fn list(v: &[String]) -> String {
    v.iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn continuity_credit(u: &Unit) -> Credit {
    // A proprietary component's continuity depends on its owner alone, whatever the
    // forge says; for the others forge facts are the only evidence.
    if u.proprietary() && u.component.is_some() {
        return Some((0.0, "proprietary: continuity depends on one owner".into()));
    }
    u.evidence.as_ref()?;
    let mut parts: Vec<(f64, String)> = Vec::new();
    if let Some(e) = &u.evidence {
        let mut c = 0.0;
        if let Some(n) = e.contributors_12m {
            c += if n >= 5 {
                0.4
            } else if n >= 2 {
                0.2
            } else {
                0.0
            };
        }
        if e.contributor_orgs_12m.is_some_and(|n| n >= 2) {
            c += 0.3;
        }
        if e.days_since_release.is_some_and(|d| d <= 365) {
            c += 0.3;
        }
        parts.push((c, format!("forge evidence ({})", e.source)));
    }
    if parts.is_empty() {
        return None;
    }
    let credit = parts.iter().map(|p| p.0).sum::<f64>() / parts.len() as f64;
    let note = parts
        .into_iter()
        .map(|p| p.1)
        .collect::<Vec<_>>()
        .join("; ");
    Some((credit, note))
}

fn transparency_credit(u: &Unit, facts: &Facts) -> Credit {
    if u.proprietary() && u.component.is_some() {
        return Some((0.0, "proprietary".into()));
    }
    if u.packages.is_empty() {
        return None;
    }
    let known = u
        .packages
        .iter()
        .filter(|p| {
            facts
                .attributions
                .get(p.index())
                .is_some_and(|a| a.org.is_some())
                && facts
                    .package_freedom
                    .get(p.index())
                    .is_some_and(|f| *f != Freedom::Unknown)
        })
        .count();
    let share = known as f64 / u.packages.len() as f64;
    Some((
        share,
        format!(
            "{known} of {} packages with known origin and licence",
            u.packages.len()
        ),
    ))
}

/// An offer whose every unit one known organisation controls (a one-product offer, or a
/// proprietary suite of one vendor) has an HHI of 1 by construction, or none when no
/// unit is open: concentration among its suppliers says nothing. Its
/// risk is being tied to that supplier, which the exit terms and portability carry, so
/// the dimension takes the exit dimension's score and coverage (not assessed when exit
/// is not), and says so.
fn single_supplier_concentration(dimensions: &mut [Dimension], cfg: &Config) {
    let Some(exit) = dimensions.iter().find(|d| d.id == DimensionId::Exit) else {
        return;
    };
    let (score, coverage) = (exit.score, exit.coverage);
    if let Some(d) = dimensions
        .iter_mut()
        .find(|d| d.id == DimensionId::Concentration)
    {
        d.score = score.filter(|_| coverage >= cfg.min_coverage);
        d.coverage = coverage;
        d.formula = SINGLE_SUPPLIER_FORMULA;
    }
}

const SINGLE_SUPPLIER_FORMULA: &str = "single supplier: every unit is controlled by one organisation, so concentration among suppliers says nothing (the HHI of its open units, if it has any, is 1 by construction); the risk is being tied to that supplier, which the exit terms and portability measure: the score and coverage of exit-portability";

/// The name of the concentration dimension's HHI input: the HHI of the open units by
/// unit weight. Proprietary units are not in it (they lower the score through the open
/// share instead), so the name says "open".
pub(crate) const HHI_BY_WEIGHT: &str = "HHI of open units by weight";

/// The concentration dimension and its HHI (`None` without open units).
fn concentration(facts: &Facts, cfg: &Config) -> (Dimension, Option<f64>) {
    let mut d = empty();
    let mut total = 0.0;
    let mut open = 0.0;
    let mut evidenced = 0.0;
    let mut shares: BTreeMap<String, f64> = BTreeMap::new();
    for u in &facts.units {
        let (w, _) = unit_weight(u, cfg);
        total += w;
        if u.proprietary() {
            evidenced += w;
            d.contributors.push(Contribution {
                unit: u.name.clone(),
                weight: w,
                credit: 0.0,
                note: format!(
                    "proprietary; controlled by `{}`",
                    u.controller.org.as_deref().unwrap_or("unknown")
                ),
            });
            continue;
        }
        open += w;
        let org = match &u.controller.org {
            Some(o) => {
                evidenced += w;
                o.clone()
            }
            None => {
                d.gaps.push(GapNote::new(GapKind::OriginUnknown, &u.name));
                "(unattributed)".to_owned()
            }
        };
        *shares.entry(org).or_default() += w;
    }
    // Over the open weight only: with none, there is no HHI to state (not 1, not 0).
    let hhi: Option<f64> = (open > 0.0).then(|| shares.values().map(|w| (w / open).powi(2)).sum());
    let mut orgs: Vec<(&String, &f64)> = shares.iter().collect();
    orgs.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
    let mut acc = 0.0;
    let mut elephant: u32 = 0;
    for (_, w) in &orgs {
        if acc * 2.0 >= open {
            break;
        }
        acc += *w;
        elephant += 1;
    }
    for (org, w) in &orgs {
        d.contributors.push(Contribution {
            unit: (*org).clone(),
            weight: **w,
            credit: 1.0 - **w / open.max(f64::MIN_POSITIVE),
            note: format!(
                "controls {:.1} % of the open weight",
                100.0 * **w / open.max(f64::MIN_POSITIVE)
            ),
        });
    }
    if let Some(hhi) = hhi {
        d.inputs.push((HHI_BY_WEIGHT.into(), hhi));
    }
    d.inputs.push(("open weight".into(), open));
    d.inputs
        .push(("elephant factor".into(), f64::from(elephant)));
    d.inputs.push(("total weight".into(), total));
    if evidenced > 0.0 && total > 0.0 {
        d.score = Some(100.0 * (1.0 - hhi.unwrap_or(1.0)) * open / total);
        d.coverage = evidenced / total;
    }
    (d, hhi)
}

fn exit(facts: &Facts) -> Dimension {
    let mut d = empty();
    let c = &facts.candidate;
    let mut applicable = 0.0;
    let mut known = 0.0;
    let mut sum = 0.0;
    let mut fact = |d: &mut Dimension, name: &str, credit: Option<(f64, String)>| {
        applicable += 1.0;
        match credit {
            Some((v, note)) => {
                known += 1.0;
                sum += v;
                d.contributors.push(Contribution {
                    unit: name.to_owned(),
                    weight: 1.0,
                    credit: v,
                    note,
                });
            }
            None => d.gaps.push(GapNote::new(GapKind::NotStated, name)),
        }
    };
    fact(
        &mut d,
        "data_export",
        c.exit.data_export.map(|e| {
            let v = match e {
                DataExport::OpenFormats => 1.0,
                DataExport::Proprietary => 0.25,
                DataExport::None => 0.0,
            };
            (v, format!("data export: {}", e.as_str()))
        }),
    );
    let yes_no = |b: bool, what: &str| {
        (
            if b { 1.0 } else { 0.0 },
            format!("{what}: {}", if b { "yes" } else { "no" }),
        )
    };
    fact(
        &mut d,
        "self_hostable",
        c.exit.self_hostable.map(|b| yes_no(b, "self-hostable")),
    );
    fact(
        &mut d,
        "works_disconnected",
        c.exit
            .works_disconnected
            .map(|b| yes_no(b, "works disconnected")),
    );
    let contract = &c.contract;
    let cloud = matches!(c.deployment, Some(Deployment::Saas | Deployment::Hybrid));
    let has_contract = contract.notice_period.is_some()
        || contract.transition_period.is_some()
        || contract.switching_charges.is_some();
    if cloud || has_contract {
        fact(
            &mut d,
            "notice_period",
            contract.notice_period.map(|p| {
                let ok = p.max_days() <= 62;
                (
                    if ok { 1.0 } else { 0.0 },
                    format!("notice period {p} (Data Act: at most 2 months)"),
                )
            }),
        );
        fact(
            &mut d,
            "transition_period",
            contract.transition_period.map(|p| {
                let ok = p.max_days() <= 30;
                (
                    if ok { 1.0 } else { 0.0 },
                    format!("transition period {p} (Data Act: at most 30 days)"),
                )
            }),
        );
        fact(
            &mut d,
            "switching_charges",
            contract.switching_charges.map(|s| {
                let v = match s {
                    SwitchingCharges::None => 1.0,
                    SwitchingCharges::AtCost => 0.5,
                    SwitchingCharges::Commercial => 0.0,
                };
                (v, format!("switching charges: {}", s.as_str()))
            }),
        );
    }
    d.inputs.push(("applicable facts".into(), applicable));
    d.inputs.push(("stated facts".into(), known));
    if known > 0.0 {
        d.score = Some(100.0 * sum / known);
        d.coverage = known / applicable;
    }
    d
}

#[cfg(test)]
mod tests;
