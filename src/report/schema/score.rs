//! `sovra score --format json` (`sovra.score/2`) and the candidates of `sovra compare
//! --format json`: the typed mirror of a scored candidate, documented field by field in
//! `docs/output-schemas.md`. Below the document, fields are declared in the order they are written
//! (sorted by name, as the earlier untyped form wrote them).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::assess::Analysis;
use crate::facts::Facts;
use crate::score::{self, Score};
use crate::vendors::ForgeFact;

/// The schema identifier of `sovra score --format json`.
pub(crate) const SCHEMA: &str = "sovra.score/2";

/// The document `sovra score --format json` writes.
#[derive(Debug, Serialize)]
pub(crate) struct ScoreDoc {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The scored candidates, in the order given.
    pub candidates: Vec<Scored>,
}

/// One scored candidate.
#[derive(Debug, Serialize)]
pub(crate) struct Scored {
    pub csf: Csf,
    pub dimensions: Vec<Dimension>,
    /// Findings per level (`allow`, `deny`, `gate`, `warn`), exceptions not counted.
    pub findings: BTreeMap<&'static str, usize>,
    pub findings_list: Vec<Finding>,
    pub gates: Vec<Gate>,
    /// Whether the candidate is implicit (plain inputs, no `candidate.toml`).
    pub implicit: bool,
    pub name: String,
    pub organisations: Organisations,
    pub path: String,
    /// The effective policy's layers, base first, joined by ` → `.
    pub policy: String,
    pub score: Total,
    pub units: Vec<Unit>,
    pub vendor_registries: Vec<VendorRegistry>,
    /// `compliant`, `review-needed`, `not-assessed` or `non-compliant`.
    pub verdict: &'static str,
}

#[derive(Debug, Serialize)]
pub(crate) struct VendorRegistry {
    pub corrected: Vec<String>,
    pub path: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct Gate {
    pub message: String,
    pub rule: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct Total {
    pub band: Option<&'static str>,
    pub coverage: f64,
    pub formula: &'static str,
    pub hhi: Option<f64>,
    pub min_coverage: f64,
    pub total: Option<f64>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Dimension {
    pub assessed: bool,
    pub contributors: Vec<Contributor>,
    pub coverage: f64,
    pub formula: &'static str,
    pub gaps: Vec<String>,
    pub id: &'static str,
    pub inputs: BTreeMap<String, String>,
    pub score: Option<f64>,
    pub title: &'static str,
    pub weight: u32,
}

#[derive(Debug, Serialize)]
pub(crate) struct Contributor {
    pub credit: f64,
    pub note: String,
    pub unit: String,
    pub weight: f64,
}

#[derive(Debug, Serialize)]
pub(crate) struct Csf {
    pub formula: &'static str,
    pub label: &'static str,
    pub objectives: Vec<Objective>,
    pub totals: CsfNumbers<Option<f64>>,
    pub weights: CsfNumbers<[u32; 8]>,
}

/// One value per CSF weighting.
#[derive(Debug, Serialize)]
pub(crate) struct CsfNumbers<T> {
    #[serde(rename = "2026")]
    pub w2026: T,
    #[serde(rename = "v1.2.1")]
    pub v1_2_1: T,
}

#[derive(Debug, Serialize)]
pub(crate) struct Objective {
    pub cap: Option<String>,
    pub dimensions: Vec<&'static str>,
    pub failed_rules: Vec<FailedRule>,
    pub id: String,
    pub name: &'static str,
    pub score: Option<f64>,
    pub seal: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct FailedRule {
    pub level: &'static str,
    pub rule: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct Unit {
    pub attributed_via: Option<&'static str>,
    pub controller: Option<String>,
    pub criticality: Option<&'static str>,
    pub eu_eea: Option<bool>,
    pub forge: Option<Forge>,
    pub freedom: &'static str,
    pub function: Option<String>,
    pub licence: Option<String>,
    pub name: String,
    pub packages: usize,
    pub seat: Option<String>,
    pub vendor: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Forge {
    pub host: String,
    pub operator: Option<String>,
    pub operator_country: Option<String>,
    pub operator_eu_eea: Option<bool>,
    pub operator_jurisdiction: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ForgeCount {
    #[serde(flatten)]
    pub forge: Forge,
    pub packages: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct Organisations {
    pub by_forge: Vec<ForgeCount>,
    pub by_organisation: Vec<Organisation>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Organisation {
    pub country: Option<String>,
    pub eu_eea: Option<bool>,
    pub governance: Option<&'static str>,
    pub org: String,
    pub packages: usize,
    pub parent_country: Option<String>,
    pub vendor: Option<String>,
    pub via: &'static str,
}

#[derive(Debug, Serialize)]
pub(crate) struct Finding {
    pub component: Option<String>,
    pub excepted: bool,
    pub level: &'static str,
    pub message: String,
    pub notes: Vec<String>,
    pub package: Option<String>,
    pub rule: String,
}

const TOTAL_FORMULA: &str = "Σ(weight × dimension score) / Σ weight, over assessed dimensions, in whole points; coverage = assessed weight / all weight (%); a dimension, and the verdict, need at least min_coverage (%)";

const CSF_FORMULA: &str = "objective score = mean of its assessed dimensions; SEAL from the score (≥ 90 → 4, ≥ 75 → 3, ≥ 60 → 2, ≥ 40 → 1, else 0), capped by failed rules citing the objective (gate → 0, deny → 1, warn → 2); totals weighted over assessed objectives";

/// One decimal, for stable output.
pub(crate) fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Findings per level, exceptions not counted.
pub(crate) fn counts(a: &Analysis) -> BTreeMap<&'static str, usize> {
    a.counts()
        .into_iter()
        .map(|(l, n)| (l.as_str(), n))
        .collect()
}

/// The mirror of one scored candidate read from `path`.
pub(crate) fn scored(path: &Path, a: &Analysis, s: &Score) -> Scored {
    let facts = &a.extra.facts;
    Scored {
        name: s.candidate.clone(),
        path: path.display().to_string(),
        implicit: facts.candidate.implicit,
        policy: a.policy.chain(),
        verdict: s.verdict.code(),
        vendor_registries: facts
            .registry
            .layers
            .iter()
            .map(|path| VendorRegistry {
                path: path.clone(),
                corrected: facts
                    .registry
                    .corrected
                    .iter()
                    .filter(|(_, f)| f == path)
                    .map(|(id, _)| id.clone())
                    .collect(),
            })
            .collect(),
        gates: s
            .gates
            .iter()
            .map(|g| Gate {
                rule: g.rule.clone(),
                message: g.message.to_string(),
            })
            .collect(),
        score: Total {
            total: s.total.map(r1),
            band: s.band.map(|b| b.as_str()),
            coverage: r1(s.coverage * 100.0),
            min_coverage: r1(s.min_coverage * 100.0),
            hhi: s.hhi.map(r3),
            formula: TOTAL_FORMULA,
        },
        dimensions: s
            .dimensions
            .iter()
            .map(|d| Dimension {
                id: d.id.as_str(),
                title: d.id.title(),
                weight: d.weight,
                score: d.score.map(r1),
                assessed: d.score.is_some(),
                coverage: r1(d.coverage * 100.0),
                formula: d.formula,
                inputs: d
                    .inputs
                    .iter()
                    .map(|(k, v)| (k.clone(), score::fmt_number(*v)))
                    .collect(),
                contributors: d
                    .contributors
                    .iter()
                    .map(|c| Contributor {
                        unit: c.unit.clone(),
                        weight: r1(c.weight),
                        credit: r3(c.credit),
                        note: c.note.clone(),
                    })
                    .collect(),
                gaps: d.gaps.iter().map(ToString::to_string).collect(),
            })
            .collect(),
        csf: Csf {
            label: s.csf.label,
            formula: CSF_FORMULA,
            totals: CsfNumbers {
                v1_2_1: s.csf.total_v1_2_1.map(r1),
                w2026: s.csf.total_2026.map(r1),
            },
            weights: CsfNumbers {
                v1_2_1: score::csf::WEIGHTS_V1_2_1,
                w2026: score::csf::WEIGHTS_2026,
            },
            objectives: s
                .csf
                .objectives
                .iter()
                .map(|o| Objective {
                    id: format!("SOV-{}", o.id),
                    name: o.name,
                    score: o.score.map(r1),
                    dimensions: o.dimensions.iter().map(|d| d.as_str()).collect(),
                    failed_rules: o
                        .failed_rules
                        .iter()
                        .map(|(r, l)| FailedRule {
                            rule: r.clone(),
                            level: l.as_str(),
                        })
                        .collect(),
                    cap: o.cap.map(|c| format!("SEAL-{c}")),
                    seal: o.seal.map(|c| format!("SEAL-{c}")),
                })
                .collect(),
        },
        units: facts
            .units
            .iter()
            .map(|u| Unit {
                name: u.name.clone(),
                function: u.function.clone(),
                criticality: u.criticality.map(|c| c.as_str()),
                controller: u.controller.org.clone(),
                vendor: u.controller.vendor.clone(),
                seat: u.controller.seat.clone(),
                eu_eea: u.controller.eu_eea,
                attributed_via: u.controller.via.map(|v| v.as_str()),
                forge: u.forge.as_ref().map(|f| forge(facts, f)),
                licence: u.licence.clone(),
                freedom: u.freedom.as_str(),
                packages: u.packages.len(),
            })
            .collect(),
        organisations: organisations(facts),
        findings: counts(a),
        findings_list: a
            .findings
            .iter()
            .map(|f| Finding {
                rule: f.rule.clone(),
                level: f.level.as_str(),
                message: f.hit.message.to_string(),
                component: f
                    .hit
                    .component
                    .and_then(|c| facts.candidate.components.get(c as usize))
                    .map(|c| c.name.clone()),
                package: f.hit.package.map(|p| a.inventory.package(p).display_name()),
                notes: f.hit.notes.iter().map(ToString::to_string).collect(),
                excepted: f.exception.is_some(),
            })
            .collect(),
    }
}

/// A forge with its operator's seat: where the code is hosted is a fact of its own.
fn forge(facts: &Facts, f: &ForgeFact) -> Forge {
    let op = f.operator.as_deref().and_then(|o| facts.registry.get(o));
    Forge {
        host: f.host.clone(),
        operator: f.operator.clone(),
        operator_country: op.and_then(|v| v.country.clone()),
        operator_eu_eea: op.and_then(|v| v.eu_eea),
        operator_jurisdiction: op.map(|v| v.jurisdiction.clone()).unwrap_or_default(),
    }
}

/// Packages per controlling organisation, most first: the attribution of every package
/// (registry vendor, else repository owner, else supplier) and the forges hosting them.
fn organisations(facts: &Facts) -> Organisations {
    let mut orgs: BTreeMap<String, (Option<&str>, &'static str, usize)> = BTreeMap::new();
    let mut forges: BTreeMap<&str, (usize, &ForgeFact)> = BTreeMap::new();
    for a in &facts.attributions {
        let key = a.org.clone().unwrap_or_else(|| "(unknown)".to_owned());
        let e = orgs
            .entry(key)
            .or_insert((a.vendor.as_deref(), a.via.as_str(), 0));
        e.2 += 1;
        if let Some(f) = &a.forge {
            forges.entry(f.host.as_str()).or_insert((0, f)).0 += 1;
        }
    }
    let mut list: Vec<_> = orgs.into_iter().collect();
    list.sort_by(|a, b| b.1.2.cmp(&a.1.2).then(a.0.cmp(&b.0)));
    Organisations {
        by_organisation: list
            .into_iter()
            .map(|(org, (vendor, via, n))| {
                let v = vendor.and_then(|id| facts.registry.get(id));
                Organisation {
                    org,
                    vendor: vendor.map(str::to_owned),
                    via,
                    packages: n,
                    country: v.and_then(|v| v.country.clone()),
                    parent_country: v.and_then(|v| v.parent_country.clone()),
                    eu_eea: v.and_then(|v| v.eu_eea),
                    governance: v.map(|v| v.governance.as_str()),
                }
            })
            .collect(),
        by_forge: forges
            .into_values()
            .map(|(n, f)| ForgeCount {
                forge: forge(facts, f),
                packages: n,
            })
            .collect(),
    }
}
