//! From the analysis to the view model: copies what a report shows into the
//! serialisable mirrors of `super::model`, sorted so that equal inputs give equal
//! reports.
//!
//! Pure: no IO. The builder reads one [`Subject`] per candidate (the inventory, its
//! graph, its licences, its findings and what the manifest says) and never looks at
//! files.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::{self, Level};
use crate::graph::{DepGraph, Scope};
use crate::license::{LicenseState, Licenses, UnknownReason};
use crate::model::{Inventory, Package, PkgIdx};

use super::model::{
    Attribution, Candidate, Cell, ClassRow, Comparison, ComparisonRow, Component, Coverage,
    Evidence, Exception, Finding, FindingGroup, Findings, Gap, Gate, Generator, Input,
    LicenseInventory, LicenseRow, Obligation, Policy, Report, ReportKind, SCHEMA, Share, Stats,
    UnknownLicense, Vendors, Verdict,
};

/// Everything the report of one candidate is built from.
#[derive(Debug)]
pub(crate) struct Subject<'a> {
    pub name: String,
    pub version: Option<String>,
    pub vendor: Option<String>,
    pub deployment: Option<String>,
    pub inventory: &'a Inventory,
    pub graph: &'a DepGraph,
    pub licenses: &'a Licenses,
    pub findings: &'a [engine::Finding],
    pub policy: Option<Policy>,
}

/// Options that reach the builder.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    pub lang: String,
    pub date: Option<String>,
    pub osadl_matrix_date: Option<String>,
}

/// Builds a report of one candidate, or a comparison when there are several.
pub(crate) fn report(subjects: &[Subject<'_>], opts: &Options) -> Report {
    let candidates: Vec<Candidate> = subjects.iter().map(candidate).collect();
    let (kind, comparison) = if candidates.len() > 1 {
        (ReportKind::Comparison, Some(compare(&candidates)))
    } else {
        (ReportKind::Candidate, None)
    };
    Report {
        schema: SCHEMA,
        kind,
        lang: opts.lang.clone(),
        date: opts.date.clone(),
        generator: Generator {
            name: "sovra",
            version: env!("CARGO_PKG_VERSION"),
            spdx_list_version: spdx::identifiers::VERSION,
            osadl_matrix_date: opts.osadl_matrix_date.clone(),
        },
        candidates,
        comparison,
    }
}

fn candidate(s: &Subject<'_>) -> Candidate {
    let inv = s.inventory;
    let runtime: Vec<PkgIdx> = s.graph.reachable(Scope::Runtime).collect();
    let findings = findings(s);
    let licenses = license_inventory(s, &runtime);
    let vendors = vendors(inv, &runtime);
    let failed_gates: Vec<Gate> = s
        .findings
        .iter()
        .filter(|f| f.level == Level::Gate && f.exception.is_none())
        .map(|f| Gate {
            rule: f.rule.clone(),
            message: f.hit.message.clone(),
        })
        .collect();

    let known = runtime
        .iter()
        .filter(|&&p| matches!(state(s.licenses, p), Some(LicenseState::Known(_))))
        .count();
    let with_origin = runtime
        .iter()
        .filter(|&&p| organisation(inv.package(p)).is_some())
        .count();
    let share = |n: usize| {
        if runtime.is_empty() {
            0.0
        } else {
            n as f64 / runtime.len() as f64
        }
    };
    let mut gaps = Vec::new();
    let mut gap = |code: &str, count: usize, total: usize| {
        if count > 0 {
            gaps.push(Gap {
                code: code.to_owned(),
                count,
                total,
            });
        }
    };
    gap("licence-unknown", runtime.len() - known, runtime.len());
    gap("origin-unknown", runtime.len() - with_origin, runtime.len());
    if !inv.roots.is_empty() {
        gap("unreachable", s.graph.orphans().len(), inv.packages.len());
    }
    let coverage = Coverage {
        licences: share(known),
        origin: share(with_origin),
        score: None,
        gaps,
    };

    let verdict = if !failed_gates.is_empty() || findings.deny > 0 {
        Verdict::NonCompliant
    } else if findings.warn > 0 || coverage.licences < 1.0 || runtime.is_empty() {
        Verdict::ReviewNeeded
    } else {
        Verdict::Compliant
    };

    let mut exceptions: Vec<Exception> = s
        .findings
        .iter()
        .filter_map(|f| f.exception.as_ref().map(|e| exception(s, f, e)))
        .collect();
    exceptions.sort_by(|a, b| (&a.rule, &a.subject).cmp(&(&b.rule, &b.subject)));
    exceptions.dedup_by(|a, b| a.rule == b.rule && a.subject == b.subject);

    Candidate {
        name: s.name.clone(),
        version: s.version.clone(),
        vendor: s.vendor.clone(),
        deployment: s.deployment.clone(),
        verdict,
        score: None,
        failed_gates,
        coverage,
        stats: Stats {
            packages: inv.packages.len(),
            runtime_packages: runtime.len(),
            edges: inv.edges.len(),
            inputs: inv.inputs.len(),
        },
        components: components(s, &runtime),
        findings,
        attribution: attribution(s, &runtime),
        licenses,
        vendors,
        csf: None,
        evidence: Evidence {
            policy: s.policy.clone(),
            inputs: inv
                .inputs
                .iter()
                .map(|i| Input {
                    path: i.path.to_string_lossy().replace('\\', "/"),
                    format: i.format.as_str().to_owned(),
                    bytes: i.bytes,
                    sha256: i.sha256.clone(),
                })
                .collect(),
            exceptions,
            notices: {
                let mut n: Vec<String> = inv.notices.iter().map(|n| n.message.clone()).collect();
                n.sort();
                n.dedup();
                n
            },
        },
    }
}

fn state(licenses: &Licenses, p: PkgIdx) -> Option<&LicenseState> {
    licenses.per_package.get(p.index())
}

fn exception(s: &Subject<'_>, f: &engine::Finding, e: &engine::AppliedException) -> Exception {
    Exception {
        rule: f.rule.clone(),
        subject: f
            .hit
            .subject
            .clone()
            .or_else(|| f.hit.package.map(|p| s.inventory.package(p).display_name())),
        reason: e.reason.clone(),
        owner: e.owner.clone(),
        expires: e.expires.clone(),
        layer: e.layer.clone(),
    }
}

fn findings(s: &Subject<'_>) -> Findings {
    let inv = s.inventory;
    let mut by_level: BTreeMap<std::cmp::Reverse<Level>, Vec<Finding>> = BTreeMap::new();
    let mut excepted = 0;
    for f in s.findings {
        if f.exception.is_some() {
            excepted += 1;
            continue;
        }
        by_level
            .entry(std::cmp::Reverse(f.level))
            .or_default()
            .push(Finding {
                rule: f.rule.clone(),
                rule_name: None,
                level: f.level.as_str().to_owned(),
                package: f.hit.package.map(|p| inv.package(p).display_name()),
                message: f.hit.message.clone(),
                notes: f.hit.notes.clone(),
                path: f
                    .path
                    .iter()
                    .map(|&p| inv.package(p).display_name())
                    .collect(),
                remediation: None,
                frameworks: Vec::new(),
                exception: None,
            });
    }
    let count = |l: Level| by_level.get(&std::cmp::Reverse(l)).map_or(0, Vec::len);
    Findings {
        gate: count(Level::Gate),
        deny: count(Level::Deny),
        warn: count(Level::Warn),
        allow: count(Level::Allow),
        excepted,
        groups: by_level
            .into_iter()
            .map(|(l, mut findings)| {
                findings.sort_by(|a, b| {
                    (&a.rule, &a.package, &a.message).cmp(&(&b.rule, &b.package, &b.message))
                });
                FindingGroup {
                    level: l.0.as_str().to_owned(),
                    findings,
                }
            })
            .collect(),
    }
}

/// The licence class of an expression: the most demanding class over its mandatory
/// parts, taking the least demanding alternative of an `OR`.
pub(crate) fn class_of(expr: &spdx::Expression) -> &'static str {
    // Post-fix evaluation over class ranks.
    let mut stack: Vec<usize> = Vec::new();
    for node in expr.iter() {
        match node {
            spdx::expression::ExprNode::Req(r) => stack.push(req_class(&r.req)),
            spdx::expression::ExprNode::Op(op) => {
                let b = stack.pop().unwrap_or(0);
                let a = stack.pop().unwrap_or(0);
                stack.push(match op {
                    spdx::expression::Operator::And => a.max(b),
                    spdx::expression::Operator::Or => a.min(b),
                });
            }
        }
    }
    CLASSES[stack.pop().unwrap_or(CLASSES.len() - 1)]
}

/// Licence classes from least to most demanding; the order ranks `AND` / `OR`.
const CLASSES: [&str; 9] = [
    "public-domain",
    "permissive",
    "weak-copyleft",
    "strong-copyleft",
    "network-copyleft",
    "source-available",
    "non-commercial",
    "proprietary",
    "unknown",
];

fn rank(class: &str) -> usize {
    CLASSES.iter().position(|c| *c == class).unwrap_or(8)
}

/// Class of one licence requirement, from the SPDX list's flags. Coarse on purpose:
/// the knowledge base's class table replaces it where it is present.
fn req_class(req: &spdx::LicenseReq) -> usize {
    let Some(id) = req.license.id() else {
        return rank("unknown");
    };
    let name = id.name;
    let class = if name.starts_with("AGPL") {
        "network-copyleft"
    } else if matches!(name, "CC0-1.0" | "Unlicense" | "0BSD" | "WTFPL") {
        "public-domain"
    } else if name.starts_with("BUSL")
        || name.starts_with("SSPL")
        || name.starts_with("Elastic")
        || name.starts_with("PolyForm")
    {
        "source-available"
    } else if name.contains("-NC") {
        "non-commercial"
    } else if req.addition.is_some() && id.is_copyleft() {
        "weak-copyleft"
    } else if name.starts_with("GPL") || name.starts_with("OSL") {
        "strong-copyleft"
    } else if id.is_copyleft() {
        "weak-copyleft"
    } else if id.is_osi_approved() || id.is_fsf_free_libre() {
        "permissive"
    } else {
        "unknown"
    };
    rank(class)
}

/// Duty codes per licence class and deployment mode (words in the locale files under
/// `obligation.<code>`).
fn obligations(class: &str) -> Vec<Obligation> {
    let modes: [(&str, &[&str]); 3] = match class {
        "public-domain" => [("distributed", &[]), ("saas", &[]), ("internal", &[])],
        "permissive" => [
            ("distributed", &["keep-notices"]),
            ("saas", &[]),
            ("internal", &[]),
        ],
        "weak-copyleft" => [
            (
                "distributed",
                &[
                    "keep-notices",
                    "source-of-modified-files",
                    "allow-relinking",
                ],
            ),
            ("saas", &[]),
            ("internal", &[]),
        ],
        "strong-copyleft" => [
            (
                "distributed",
                &["keep-notices", "source-of-whole-work", "same-licence"],
            ),
            ("saas", &[]),
            ("internal", &[]),
        ],
        "network-copyleft" => [
            (
                "distributed",
                &["keep-notices", "source-of-whole-work", "same-licence"],
            ),
            ("saas", &["offer-source-to-network-users"]),
            ("internal", &["offer-source-to-network-users"]),
        ],
        "source-available" | "non-commercial" | "proprietary" => [
            ("distributed", &["read-licence-terms"]),
            ("saas", &["read-licence-terms"]),
            ("internal", &["read-licence-terms"]),
        ],
        _ => [
            ("distributed", &["clarify-licence"]),
            ("saas", &["clarify-licence"]),
            ("internal", &["clarify-licence"]),
        ],
    };
    modes
        .iter()
        .map(|(mode, duties)| Obligation {
            mode: (*mode).to_owned(),
            duties: duties.iter().map(|d| (*d).to_owned()).collect(),
        })
        .collect()
}

fn license_inventory(s: &Subject<'_>, runtime: &[PkgIdx]) -> LicenseInventory {
    let inv = s.inventory;
    let mut rows: BTreeMap<String, (String, bool, BTreeSet<String>)> = BTreeMap::new();
    let mut classes: BTreeMap<usize, usize> = BTreeMap::new();
    let mut unknown = Vec::new();
    for &p in runtime {
        let pkg = inv.package(p);
        match state(s.licenses, p) {
            Some(LicenseState::Known(l)) => {
                let class = class_of(&l.expression);
                let osi = l.expression.evaluate(|r| {
                    r.license
                        .id()
                        .is_some_and(|id| id.is_osi_approved() && !id.is_deprecated())
                });
                rows.entry(l.text().to_owned())
                    .or_insert_with(|| (class.to_owned(), osi, BTreeSet::new()))
                    .2
                    .insert(pkg.display_name());
                *classes.entry(rank(class)).or_default() += 1;
            }
            other => {
                let (reason, detail) = match other {
                    Some(LicenseState::Unknown(UnknownReason::NoAssertion)) => {
                        ("noassertion", None)
                    }
                    Some(LicenseState::Unknown(UnknownReason::None)) => ("none", None),
                    Some(LicenseState::Unknown(UnknownReason::LicenseFileOnly(f))) => {
                        ("license-file-only", Some(f.clone()))
                    }
                    Some(LicenseState::Unknown(UnknownReason::Unparseable { raw, .. })) => {
                        ("unparseable", Some(raw.clone()))
                    }
                    _ => ("missing", None),
                };
                unknown.push(UnknownLicense {
                    package: pkg.display_name(),
                    reason: reason.to_owned(),
                    detail,
                });
                *classes.entry(rank("unknown")).or_default() += 1;
            }
        }
    }
    let mut expressions: Vec<LicenseRow> = rows
        .into_iter()
        .map(|(expression, (class, osi, packages))| LicenseRow {
            expression,
            class,
            osi,
            packages: packages.into_iter().collect(),
        })
        .collect();
    expressions.sort_by(|a, b| {
        b.packages
            .len()
            .cmp(&a.packages.len())
            .then_with(|| a.expression.cmp(&b.expression))
    });
    unknown.sort_by(|a, b| a.package.cmp(&b.package));
    LicenseInventory {
        expressions,
        classes: classes
            .into_iter()
            .map(|(r, packages)| ClassRow {
                class: CLASSES[r].to_owned(),
                packages,
                obligations: obligations(CLASSES[r]),
            })
            .collect(),
        unknown,
    }
}

fn attribution(s: &Subject<'_>, runtime: &[PkgIdx]) -> Vec<Attribution> {
    let mut by_license: BTreeMap<String, (spdx::LicenseId, BTreeSet<String>)> = BTreeMap::new();
    for &p in runtime {
        if let Some(LicenseState::Known(l)) = state(s.licenses, p) {
            for r in l.expression.requirements() {
                if let Some(id) = r.req.license.id() {
                    by_license
                        .entry(id.name.to_owned())
                        .or_insert_with(|| (id, BTreeSet::new()))
                        .1
                        .insert(s.inventory.package(p).display_name());
                }
            }
        }
    }
    by_license
        .into_iter()
        .map(|(license, (id, packages))| Attribution {
            license,
            name: id.full_name.to_owned(),
            text: id.text().trim_end().to_owned(),
            packages: packages.into_iter().collect(),
        })
        .collect()
}

/// The controlling organisation of a package: its repository owner on a forge, else
/// its supplier.
pub(crate) fn organisation(pkg: &Package) -> Option<String> {
    if let Some(repo) = &pkg.repository {
        let rest = repo
            .trim_start_matches("git+")
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("ssh://")
            .trim_start_matches("git@");
        let mut parts = rest.split(['/', ':']).filter(|p| !p.is_empty());
        if let (Some(host), Some(owner)) = (parts.next(), parts.next()) {
            let host = host.to_ascii_lowercase();
            if matches!(
                host.as_str(),
                "github.com"
                    | "gitlab.com"
                    | "codeberg.org"
                    | "bitbucket.org"
                    | "gitlab.opencode.de"
            ) {
                return Some(format!("{host}/{}", owner.to_ascii_lowercase()));
            }
        }
    }
    pkg.supplier
        .as_ref()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn vendors(inv: &Inventory, runtime: &[PkgIdx]) -> Vendors {
    let mut orgs: BTreeMap<String, usize> = BTreeMap::new();
    let mut unknown = 0;
    for &p in runtime {
        match organisation(inv.package(p)) {
            Some(o) => *orgs.entry(o).or_default() += 1,
            None => unknown += 1,
        }
    }
    let known: usize = orgs.values().sum();
    let hhi = (known > 0).then(|| {
        orgs.values()
            .map(|&c| {
                let pct = c as f64 * 100.0 / known as f64;
                pct * pct
            })
            .sum::<f64>()
    });
    let total = runtime.len();
    let mut organisations = shares(orgs, total);
    if unknown > 0 {
        organisations.push(Share {
            name: "unknown".to_owned(),
            count: unknown,
            share: unknown as f64 / total as f64,
        });
    }
    Vendors {
        organisations,
        countries: Vec::new(),
        hhi,
        eu_eea: None,
    }
}

fn shares(counts: BTreeMap<String, usize>, total: usize) -> Vec<Share> {
    let mut v: Vec<Share> = counts
        .into_iter()
        .map(|(name, count)| Share {
            name,
            count,
            share: if total == 0 {
                0.0
            } else {
                count as f64 / total as f64
            },
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    v
}

fn components(s: &Subject<'_>, runtime: &[PkgIdx]) -> Vec<Component> {
    let inv = s.inventory;
    let mut per_pkg: BTreeMap<PkgIdx, usize> = BTreeMap::new();
    for f in s.findings.iter().filter(|f| f.exception.is_none()) {
        if let Some(p) = f.hit.package {
            *per_pkg.entry(p).or_default() += 1;
        }
    }
    // Without a candidate manifest, the components are the roots (or every runtime
    // package of a flat input).
    let mut idx: Vec<PkgIdx> = if inv.roots.is_empty() {
        runtime.to_vec()
    } else {
        inv.roots.clone()
    };
    idx.sort_by(|&a, &b| {
        let (a, b) = (inv.package(a), inv.package(b));
        (&a.name, &a.version).cmp(&(&b.name, &b.version))
    });
    idx.iter()
        .map(|&p| {
            let pkg = inv.package(p);
            let (license, class) = match state(s.licenses, p) {
                Some(LicenseState::Known(l)) => {
                    (Some(l.text().to_owned()), class_of(&l.expression))
                }
                Some(LicenseState::Unknown(UnknownReason::Unparseable { raw, .. })) => {
                    (Some(raw.clone()), "unknown")
                }
                _ => (None, "unknown"),
            };
            Component {
                name: pkg.name.clone(),
                version: pkg.version.clone(),
                function: None,
                criticality: None,
                license,
                license_class: class.to_owned(),
                vendor: organisation(pkg),
                country: None,
                findings: per_pkg.get(&p).copied().unwrap_or(0),
            }
        })
        .collect()
}

fn compare(cands: &[Candidate]) -> Comparison {
    let mut rows = Vec::new();
    let verdict = |c: &str| Cell {
        kind: "verdict".into(),
        code: Some(c.to_owned()),
        number: None,
        text: None,
    };
    let number = |n: Option<f64>| match n {
        Some(n) => Cell {
            kind: "number".into(),
            code: None,
            number: Some(n),
            text: None,
        },
        None => Cell {
            kind: "none".into(),
            code: None,
            number: None,
            text: None,
        },
    };
    let verdict_code = |v: Verdict| match v {
        Verdict::Compliant => "compliant",
        Verdict::ReviewNeeded => "review-needed",
        Verdict::NonCompliant => "non-compliant",
    };
    let distinct = |cells: &[Cell]| {
        let first = serde_key(&cells[0]);
        cells.iter().any(|c| serde_key(c) != first)
    };

    let verdicts: Vec<Cell> = cands
        .iter()
        .map(|c| verdict(verdict_code(c.verdict)))
        .collect();
    rows.push(("verdict", distinct(&verdicts), verdicts));
    let score: Vec<Cell> = cands
        .iter()
        .map(|c| number(c.score.as_ref().map(|s| s.value)))
        .collect();
    let score_deciding = spread(&score) >= 10.0;
    rows.push(("score", score_deciding, score));
    let gates: Vec<Cell> = cands
        .iter()
        .map(|c| number(Some(c.failed_gates.len() as f64)))
        .collect();
    rows.push(("failed-gates", distinct(&gates), gates));
    for (key, f) in [
        (
            "findings.deny",
            (|c: &Candidate| c.findings.deny) as fn(&Candidate) -> usize,
        ),
        ("findings.warn", |c: &Candidate| c.findings.warn),
    ] {
        let cells: Vec<Cell> = cands.iter().map(|c| number(Some(f(c) as f64))).collect();
        let deciding = key == "findings.deny" && distinct(&cells);
        rows.push((key, deciding, cells));
    }
    let cov: Vec<Cell> = cands
        .iter()
        .map(|c| number(Some(c.coverage.licences)))
        .collect();
    rows.push(("coverage.licences", spread(&cov) >= 0.2, cov));
    let hhi: Vec<Cell> = cands.iter().map(|c| number(c.vendors.hhi)).collect();
    rows.push(("hhi", spread(&hhi) >= 2500.0, hhi));
    let pk: Vec<Cell> = cands
        .iter()
        .map(|c| number(Some(c.stats.runtime_packages as f64)))
        .collect();
    rows.push(("runtime-packages", false, pk));

    let rows: Vec<ComparisonRow> = rows
        .into_iter()
        .map(|(key, deciding, cells)| ComparisonRow {
            key: key.to_owned(),
            cells,
            deciding,
        })
        .collect();
    let deciding = rows
        .iter()
        .filter(|r| r.deciding)
        .map(|r| r.key.clone())
        .collect();
    let mut ranked: Vec<&Candidate> = cands.iter().collect();
    ranked.sort_by(|a, b| {
        a.verdict.cmp(&b.verdict).then_with(|| {
            let (x, y) = (
                a.score.as_ref().map_or(-1.0, |s| s.value),
                b.score.as_ref().map_or(-1.0, |s| s.value),
            );
            y.total_cmp(&x)
        })
    });
    let leader = match ranked.as_slice() {
        [first, second, ..]
            if first.verdict != second.verdict
                || first.score.as_ref().map(|s| s.value)
                    != second.score.as_ref().map(|s| s.value) =>
        {
            Some(first.name.clone())
        }
        _ => None,
    };
    Comparison {
        candidates: cands.iter().map(|c| c.name.clone()).collect(),
        rows,
        deciding,
        leader,
    }
}

fn serde_key(c: &Cell) -> (Option<String>, Option<u64>, Option<String>) {
    (c.code.clone(), c.number.map(f64::to_bits), c.text.clone())
}

fn spread(cells: &[Cell]) -> f64 {
    let n: Vec<f64> = cells.iter().filter_map(|c| c.number).collect();
    if n.len() < 2 {
        return 0.0;
    }
    let max = n.iter().copied().fold(f64::MIN, f64::max);
    let min = n.iter().copied().fold(f64::MAX, f64::min);
    max - min
}
