//! From the analysis to the view model: copies what a report shows into the
//! serialisable mirrors of `super::model`, sorted so that equal inputs give equal
//! reports.
//!
//! Pure: no IO. The builder reads one [`Subject`] per candidate (the inventory, its
//! graph, its licences, its findings and what the manifest says) and never looks at
//! files.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::assess::Analysis;
use crate::finding::{self, Level};
use crate::graph::Scope;
use crate::ingest::candidate::Candidate as Offer;
use crate::license::{self, Class, Classes, LicenseState, Licenses, UnknownReason};
use crate::locale::Locale;
use crate::model::PkgIdx;
use crate::score;
use crate::vendors::Registry;

use super::model::{
    Attribution, Candidate, Cell, ClassRow, Comparison, ComparisonRow, Component, ComponentSummary,
    Count, Coverage, Csf, CsfObjective, Dimension, DimensionGap, Evidence, Exception, FactsFile,
    Finding, FindingGroup, Findings, FormulaInput, GROUP_AT, Gap, Gate, Generator, GroupedFindings,
    Input, LicenseInventory, LicenseRow, Obligation, Policy, Report, ReportKind, RuleFindings,
    SCHEMA, Score, Share, Stats, UnknownLicense, VendorRegistry, Vendors, Verdict,
};

/// Everything the report of one candidate is built from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Subject<'a> {
    /// Inventory, graph, licences, policy, findings, and the candidate facts (manifest,
    /// vendor registry) in `extra.facts`.
    pub analysis: &'a Analysis,
    /// The sovereignty score, whose verdict the report states.
    pub score: &'a score::Score,
}

impl<'a> Subject<'a> {
    /// What the manifest says (or the implicit candidate of plain inputs).
    fn offer(&self) -> &'a Offer {
        &self.analysis.extra.facts.candidate
    }

    /// The vendor registry the candidate was attributed with.
    fn registry(&self) -> &'a Registry {
        &self.analysis.extra.facts.registry
    }
}

/// Options that reach the builder.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options<'a> {
    /// The report's language: findings' messages are worded here, in the locale
    /// (house style included) the templates render with.
    pub locale: &'a Locale,
    pub date: Option<&'a str>,
    /// Whether the attribution appendix (licence texts) is built (`--no-appendix`
    /// leaves it out).
    pub appendix: bool,
}

/// Builds a report of one candidate, or a comparison when there are several.
pub(crate) fn report(subjects: &[Subject<'_>], opts: &Options<'_>) -> Report {
    let candidates: Vec<Candidate> = subjects.iter().map(|s| candidate(s, opts)).collect();
    let (kind, comparison) = if candidates.len() > 1 {
        (ReportKind::Comparison, Some(compare(&candidates)))
    } else {
        (ReportKind::Candidate, None)
    };
    Report {
        schema: SCHEMA,
        kind,
        lang: opts.locale.lang.clone(),
        date: opts.date.map(str::to_owned),
        generator: Generator {
            name: "sovra",
            version: env!("CARGO_PKG_VERSION"),
            spdx_list_version: spdx::identifiers::VERSION,
            osadl_matrix_date: Some(license::osadl::info().timestamp.chars().take(10).collect()),
        },
        attribution: if opts.appendix {
            shared_attribution(subjects)
        } else {
            Vec::new()
        },
        package_lists: opts.appendix,
        candidates,
        comparison,
    }
}

/// The attribution appendix of every candidate, once: one entry per licence with the
/// packages of all candidates under it.
fn shared_attribution(subjects: &[Subject<'_>]) -> Vec<Attribution> {
    let mut by_license: BTreeMap<String, Attribution> = BTreeMap::new();
    for s in subjects {
        let runtime: Vec<PkgIdx> = s.analysis.graph.reachable(Scope::Runtime).collect();
        for a in attribution(s, &runtime) {
            match by_license.get_mut(&a.license) {
                Some(have) => have.packages.extend(a.packages),
                None => {
                    by_license.insert(a.license.clone(), a);
                }
            }
        }
    }
    by_license
        .into_values()
        .map(|mut a| {
            a.packages.sort();
            a.packages.dedup();
            a
        })
        .collect()
}

fn candidate(s: &Subject<'_>, opts: &Options<'_>) -> Candidate {
    let (locale, lang, date) = (opts.locale, opts.locale.lang.as_str(), opts.date);
    let inv = &s.analysis.inventory;
    let runtime: Vec<PkgIdx> = s.analysis.graph.reachable(Scope::Runtime).collect();
    let findings = findings(s, locale);
    let licenses = license_inventory(s, &runtime, lang);
    let vendors = vendors(s, &runtime);
    let failed_gates: Vec<Gate> = s
        .score
        .gates
        .iter()
        .map(|g| Gate {
            rule: g.rule.clone(),
            message: g.message.render(locale),
        })
        .collect();

    let known = runtime
        .iter()
        .filter(|&&p| matches!(state(&s.analysis.licenses, p), Some(LicenseState::Known(_))))
        .count();
    let with_origin = runtime
        .iter()
        .filter(|&&p| s.registry().attribute(inv.package(p)).org.is_some())
        .count();
    let share = |n: usize| {
        if runtime.is_empty() {
            0.0
        } else {
            n as f64 / runtime.len() as f64
        }
    };
    // A candidate known only from its manifest: the components are what is judged.
    let comps = &s.offer().components;
    let manifest_only = runtime.is_empty() && !comps.is_empty();
    let comp_share = |f: &dyn Fn(&crate::ingest::candidate::Component) -> bool| {
        comps.iter().filter(|c| f(c)).count() as f64 / comps.len().max(1) as f64
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
        gap(
            "unreachable",
            s.analysis.graph.orphans().len(),
            inv.packages.len(),
        );
    }
    for d in s.score.dimensions.iter().filter(|d| d.score.is_none()) {
        gaps.push(Gap {
            code: format!("dimension.{}", d.id.as_str()),
            count: 0,
            total: 0,
        });
    }
    let coverage = Coverage {
        licences: if manifest_only {
            comp_share(&|c| c.license.is_some())
        } else {
            share(known)
        },
        origin: if manifest_only {
            comp_share(&|c| c.vendor.is_some())
        } else {
            share(with_origin)
        },
        score: Some(s.score.coverage),
        min_score: s.score.min_coverage,
        gaps,
    };

    // The score decides; the report states its decision.
    let verdict = match s.score.verdict {
        score::Verdict::NonCompliant => Verdict::NonCompliant,
        score::Verdict::NotAssessed => Verdict::NotAssessed,
        score::Verdict::ReviewNeeded(_) => Verdict::ReviewNeeded,
        score::Verdict::Compliant(_) => Verdict::Compliant,
    };

    let mut exceptions: Vec<Exception> = s
        .analysis
        .findings
        .iter()
        .filter_map(|f| f.exception.as_ref().map(|e| exception(s, f, e)))
        .collect();
    exceptions.sort_by(|a, b| (&a.rule, &a.subject).cmp(&(&b.rule, &b.subject)));
    exceptions.dedup_by(|a, b| a.rule == b.rule && a.subject == b.subject);

    let policy = &s.analysis.policy;
    Candidate {
        name: s.offer().name.clone(),
        version: s.offer().version.clone(),
        vendor: s.offer().vendor.as_ref().map(|v| {
            s.registry()
                .get(v)
                .map_or_else(|| v.clone(), |r| r.name.clone())
        }),
        deployment: s.offer().deployment.map(|d| d.as_str().to_owned()),
        verdict,
        score: score_view(s.score),
        failed_gates,
        coverage,
        stats: Stats {
            packages: inv.packages.len(),
            runtime_packages: runtime.len(),
            edges: inv.edges.len(),
            inputs: inv.inputs.len(),
        },
        manifest: !s.offer().components.is_empty(),
        summaries: summaries(s, &runtime),
        components: components(s, &runtime),
        findings,
        licenses,
        vendors,
        csf: Some(csf_view(&s.score.csf)),
        evidence: Evidence {
            policy: Some(Policy {
                name: policy
                    .layers
                    .last()
                    .map_or_else(|| "defaults".to_owned(), |l| l.name.clone()),
                layers: policy.layers.iter().map(|l| l.name.clone()).collect(),
                not_applied: policy
                    .not_applied
                    .iter()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .collect(),
                deployment: Some(policy.deployment.value.as_str().to_owned()),
            }),
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
            facts: s
                .analysis
                .extra
                .enrichment_evidence
                .as_ref()
                .map(|e| facts_file(e, date)),
            vendor_registries: s
                .registry()
                .layers
                .iter()
                .map(|path| VendorRegistry {
                    path: path.clone(),
                    corrected: s
                        .registry()
                        .corrected
                        .iter()
                        .filter(|(_, file)| file == path)
                        .map(|(id, _)| id.clone())
                        .collect(),
                })
                .collect(),
            exceptions,
            notices: {
                // In the order of their English wording, in every language.
                let mut n: Vec<(String, String)> = inv
                    .notices
                    .iter()
                    .map(|n| (n.message.to_string(), n.message.render(locale)))
                    .collect();
                n.sort();
                n.dedup();
                n.into_iter().map(|(_, worded)| worded).collect()
            },
        },
    }
}

fn state(licenses: &Licenses, p: PkgIdx) -> Option<&LicenseState> {
    licenses.per_package.get(p.index())
}

/// The evidence entry of a facts file; its age only when the report is dated.
fn facts_file(e: &crate::enrich::FactsEvidence, date: Option<&str>) -> FactsFile {
    let age_days = date
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .and_then(|z| e.age_days(z.timestamp()));
    FactsFile {
        path: e.path.to_string_lossy().replace('\\', "/"),
        sha256: e.sha256.clone(),
        generated: e.generated.clone(),
        oldest_retrieval: e.oldest.clone(),
        age_days,
    }
}

fn exception(s: &Subject<'_>, f: &finding::Finding, e: &finding::AppliedException) -> Exception {
    Exception {
        rule: f.rule.clone(),
        subject: f.hit.subject.clone().or_else(|| {
            f.hit
                .package
                .map(|p| s.analysis.inventory.package(p).display_name())
        }),
        reason: e.reason.clone(),
        owner: e.owner.clone(),
        expires: e.expires.clone(),
        layer: e.layer.clone(),
    }
}

/// A finding beside its English message, which orders it: the order is the same in
/// every language.
type Sorted = (String, &'static str, Finding);

fn findings(s: &Subject<'_>, locale: &Locale) -> Findings {
    let inv = &s.analysis.inventory;
    // level (most severe first) → rule id → hits
    let mut by_level: BTreeMap<std::cmp::Reverse<Level>, BTreeMap<String, Vec<Sorted>>> =
        BTreeMap::new();
    let mut excepted = 0;
    for f in &s.analysis.findings {
        if f.exception.is_some() {
            excepted += 1;
            continue;
        }
        by_level
            .entry(std::cmp::Reverse(f.level))
            .or_default()
            .entry(f.rule.clone())
            .or_default()
            .push((
                f.hit.message.to_string(),
                f.hit.message.key(),
                Finding {
                    rule: f.rule.clone(),
                    level: f.level.as_str().to_owned(),
                    package: f.hit.package.map(|p| inv.package(p).display_name()),
                    message: f.hit.message.render(locale),
                    notes: f.hit.notes.iter().map(|n| n.render(locale)).collect(),
                    path: s.analysis.path_names(f),
                },
            ));
    }
    let count = |l: Level| {
        by_level
            .get(&std::cmp::Reverse(l))
            .map_or(0, |rules| rules.values().map(Vec::len).sum())
    };
    Findings {
        gate: count(Level::Gate),
        deny: count(Level::Deny),
        warn: count(Level::Warn),
        allow: count(Level::Allow),
        excepted,
        groups: by_level
            .iter()
            .map(|(l, rules)| FindingGroup {
                level: l.0.as_str().to_owned(),
                count: rules.values().map(Vec::len).sum(),
                rules: rules
                    .iter()
                    .map(|(id, hits)| {
                        let rule = s.analysis.catalogue.get(id);
                        // A rule's own translation; else the templates look up the
                        // locale's `rule.<ID>.*`, falling back to English.
                        let own = rule.and_then(|r| r.texts.get(&locale.lang));
                        let mut sorted: Vec<&Sorted> = hits.iter().collect();
                        sorted.sort_by(|a, b| (&a.2.package, &a.0).cmp(&(&b.2.package, &b.0)));
                        let (findings, grouped) = group_by_cause(sorted);
                        RuleFindings {
                            rule: id.clone(),
                            rule_name: rule.map(|r| {
                                own.map_or_else(|| r.summary.clone(), |t| t.summary.clone())
                            }),
                            why: rule
                                .map(|r| paragraph(own.map_or(&r.docs.why, |t| &t.why)))
                                .filter(|w| !w.is_empty()),
                            remediation: rule
                                .map(|r| paragraph(own.map_or(&r.docs.resolve, |t| &t.resolve)))
                                .filter(|w| !w.is_empty()),
                            frameworks: rule.map(|r| r.references.clone()).unwrap_or_default(),
                            findings,
                            grouped,
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Splits one rule's sorted hits into those shown one by one and the causes with
/// more than [`GROUP_AT`] package hits, each shown once with its packages.
fn group_by_cause(sorted: Vec<&Sorted>) -> (Vec<Finding>, Vec<GroupedFindings>) {
    // A cause is the message's key: what the finding says, whatever package it names.
    let mut by_cause: BTreeMap<&'static str, Vec<&Sorted>> = BTreeMap::new();
    let mut single = Vec::new();
    for hit in sorted {
        if hit.2.package.is_some() {
            by_cause.entry(hit.1).or_default().push(hit);
        } else {
            single.push(hit);
        }
    }
    let mut grouped = Vec::new();
    for (cause, hits) in by_cause {
        if hits.len() > GROUP_AT {
            let mut packages: Vec<String> =
                hits.iter().filter_map(|h| h.2.package.clone()).collect();
            packages.dedup();
            let notes: BTreeSet<&String> = hits.iter().flat_map(|h| &h.2.notes).collect();
            grouped.push(GroupedFindings {
                cause: cause.to_owned(),
                count: hits.len(),
                example: hits[0].2.clone(),
                packages,
                notes: notes.into_iter().cloned().collect(),
                findings: hits.iter().map(|h| h.2.clone()).collect(),
            });
        } else {
            single.extend(hits);
        }
    }
    // Back in the order of package and message.
    single.sort_by(|a, b| (&a.2.package, &a.0).cmp(&(&b.2.package, &b.0)));
    (single.into_iter().map(|h| h.2.clone()).collect(), grouped)
}

fn score_view(sc: &score::Score) -> Option<Score> {
    let value = sc.total?;
    Some(Score {
        value,
        band: band_code(sc.band.unwrap_or(score::Band::of(value))).to_owned(),
        dimensions: sc
            .dimensions
            .iter()
            .map(|d| Dimension {
                id: d.id.as_str().to_owned(),
                weight: f64::from(d.weight),
                value: d.score,
                coverage: d.coverage,
                formula: d.formula.to_owned(),
                inputs: d
                    .inputs
                    .iter()
                    .map(|(k, v)| FormulaInput {
                        name: k.clone(),
                        value: score::fmt_number(*v),
                        key: k.to_lowercase().replace(' ', "-"),
                        number: Some(*v),
                    })
                    .collect(),
                gaps: d.gaps.iter().map(ToString::to_string).collect(),
                gap_notes: d
                    .gaps
                    .iter()
                    .map(|g| DimensionGap {
                        kind: g.kind.as_str().to_owned(),
                        subject: g.subject.clone(),
                    })
                    .collect(),
            })
            .collect(),
    })
}

fn band_code(b: score::Band) -> &'static str {
    match b {
        score::Band::Low => "low",
        score::Band::Moderate => "moderate",
        score::Band::High => "high",
        score::Band::Critical => "critical",
    }
}

fn csf_view(v: &score::csf::CsfView) -> Csf {
    let objectives: Vec<CsfObjective> = v
        .objectives
        .iter()
        .map(|o| CsfObjective {
            id: format!("SOV-{}", o.id),
            weight: f64::from(
                score::csf::WEIGHTS_V1_2_1
                    .get(usize::from(o.id).saturating_sub(1))
                    .copied()
                    .unwrap_or(0),
            ),
            weight_2026: f64::from(
                score::csf::WEIGHTS_2026
                    .get(usize::from(o.id).saturating_sub(1))
                    .copied()
                    .unwrap_or(0),
            ),
            value: o.score,
            seal: o.seal,
            rules: o.failed_rules.iter().map(|(r, _)| r.clone()).collect(),
        })
        .collect();
    Csf {
        seal: objectives.iter().filter_map(|o| o.seal).min(),
        total_v1_2_1: v.total_v1_2_1,
        total_2026: v.total_2026,
        objectives,
    }
}

/// The first paragraph of a rule's docs section, on one line.
fn paragraph(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Obligations of a licence class per deployment mode, in the report's language, from
/// the knowledge base (`rules/licenses/obligations.toml`).
fn obligations(class: Class, lang: &str) -> Vec<Obligation> {
    [
        license::Deployment::Distributed,
        license::Deployment::Saas,
        license::Deployment::Internal,
    ]
    .into_iter()
    .map(|mode| Obligation {
        mode: match mode {
            license::Deployment::Distributed => "distributed",
            license::Deployment::Saas => "saas",
            license::Deployment::Internal => "internal",
        }
        .to_owned(),
        duties: license::obligations(class, mode)
            .map(|o| o.duties(lang).to_vec())
            .unwrap_or_default(),
    })
    .collect()
}

fn license_inventory(s: &Subject<'_>, runtime: &[PkgIdx], lang: &str) -> LicenseInventory {
    let inv = &s.analysis.inventory;
    let mut rows: BTreeMap<String, (Class, bool, BTreeSet<String>)> = BTreeMap::new();
    let mut classes: BTreeMap<Class, usize> = BTreeMap::new();
    let mut unknown = Vec::new();
    for &p in runtime {
        let pkg = inv.package(p);
        match state(&s.analysis.licenses, p) {
            Some(LicenseState::Known(l)) => {
                let class = Classes::builtin().of_expression(&l.expression);
                let osi = l.expression.evaluate(license::is_osi);
                rows.entry(l.text().to_owned())
                    .or_insert_with(|| (class, osi, BTreeSet::new()))
                    .2
                    .insert(pkg.display_name());
                *classes.entry(class).or_default() += 1;
            }
            other => {
                let (reason, detail) = match other {
                    Some(LicenseState::Unknown(r @ UnknownReason::LicenseFileOnly(f))) => {
                        (r.kind(), Some(f.clone()))
                    }
                    Some(LicenseState::Unknown(
                        r @ UnknownReason::Unidentified { file, best, .. },
                    )) if best.is_empty() => (r.kind(), Some(file.clone())),
                    Some(LicenseState::Unknown(
                        r @ UnknownReason::Unidentified { file, best, score },
                    )) => (r.kind(), Some(format!("{file} ({best} {score})"))),
                    Some(LicenseState::Unknown(r @ UnknownReason::Unparseable { raw, .. })) => {
                        (r.kind(), Some(raw.clone()))
                    }
                    Some(LicenseState::Unknown(r)) => (r.kind(), None),
                    _ => ("missing", None),
                };
                unknown.push(UnknownLicense {
                    package: pkg.display_name(),
                    reason: reason.to_owned(),
                    detail,
                });
                *classes.entry(Class::Unknown).or_default() += 1;
            }
        }
    }
    let mut expressions: Vec<LicenseRow> = rows
        .into_iter()
        .map(|(expression, (class, osi, packages))| LicenseRow {
            expression,
            class: class.as_str().to_owned(),
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
            .map(|(class, packages)| ClassRow {
                class: class.as_str().to_owned(),
                packages,
                obligations: obligations(class, lang),
            })
            .collect(),
        unknown,
    }
}

/// Third-party notices: for every licence of a runtime package, its text (the SPDX
/// list's, or the input's own text for a `LicenseRef-*`) and the packages under it.
fn attribution(s: &Subject<'_>, runtime: &[PkgIdx]) -> Vec<Attribution> {
    let inv = &s.analysis.inventory;
    let mut by_license: BTreeMap<String, (String, String, BTreeSet<String>)> = BTreeMap::new();
    for &p in runtime {
        let Some(LicenseState::Known(l)) = state(&s.analysis.licenses, p) else {
            continue;
        };
        for r in l.expression.requirements() {
            let entry = match &r.req.license {
                spdx::LicenseItem::Spdx { id, .. } => crate::license::text(id.name)
                    .map(|text| (id.name.to_owned(), id.full_name.to_owned(), text)),
                spdx::LicenseItem::Other(other) => {
                    let key = format!("LicenseRef-{}", other.lic_ref);
                    inv.license_refs.get(&key).map(|x| {
                        let name = x.name.clone().unwrap_or_else(|| key.clone());
                        (key.clone(), name, x.text.as_str())
                    })
                }
            };
            if let Some((key, name, text)) = entry {
                by_license
                    .entry(key)
                    .or_insert_with(|| (name, text.trim_end().to_owned(), BTreeSet::new()))
                    .2
                    .insert(inv.package(p).display_name());
            }
        }
    }
    by_license
        .into_iter()
        .map(|(license, (name, text, packages))| Attribution {
            license,
            name,
            text,
            packages: packages.into_iter().collect(),
        })
        .collect()
}

/// One controlled unit for the vendor breakdown: its organisation's display name and
/// country, when known.
fn unit_owner(registry: &Registry, vendor: Option<&str>, org: Option<&str>) -> (String, String) {
    // The organisation may itself be a registry id (a manifest's `vendor = "…"`).
    if let Some(v) = vendor
        .and_then(|id| registry.get(id))
        .or_else(|| org.and_then(|id| registry.get(id)))
    {
        return (
            v.name.clone(),
            v.country.clone().unwrap_or_else(|| "unknown".to_owned()),
        );
    }
    match org.or(vendor) {
        Some(o) => (o.to_owned(), "unknown".to_owned()),
        None => ("unknown".to_owned(), "unknown".to_owned()),
    }
}

fn vendors(s: &Subject<'_>, runtime: &[PkgIdx]) -> Vendors {
    let inv = &s.analysis.inventory;
    // Components and packages are not mixed: an offer with components is broken down
    // by its components (the score's units), so a transitive package's publisher never
    // stands beside a product; plain inputs by their runtime packages.
    let components: Vec<(String, String)> = s
        .analysis
        .extra
        .facts
        .units
        .iter()
        .filter(|u| u.component.is_some())
        .map(|u| {
            unit_owner(
                s.registry(),
                u.controller.vendor.as_deref(),
                u.controller.org.as_deref(),
            )
        })
        .collect();
    let units: Vec<(String, String)> = if components.is_empty() {
        runtime
            .iter()
            .map(|&p| {
                let a = s.registry().attribute(inv.package(p));
                unit_owner(s.registry(), a.vendor.as_deref(), a.org.as_deref())
            })
            .collect()
    } else {
        components
    };
    let total = units.len();
    let mut orgs: BTreeMap<String, usize> = BTreeMap::new();
    let mut countries: BTreeMap<String, usize> = BTreeMap::new();
    for (org, country) in &units {
        *orgs.entry(org.clone()).or_default() += 1;
        *countries.entry(country.clone()).or_default() += 1;
    }
    let known: Vec<usize> = orgs
        .iter()
        .filter(|(o, _)| o.as_str() != "unknown")
        .map(|(_, &c)| c)
        .collect();
    let known_total: usize = known.iter().sum();
    let hhi_by_count = (known_total > 0).then(|| {
        known
            .iter()
            .map(|&c| {
                let share = c as f64 / known_total as f64;
                share * share
            })
            .sum::<f64>()
    });
    // Over every unit: a unit of unknown seat is not counted as inside the EU/EEA.
    let located = units
        .iter()
        .filter(|(_, c)| c.as_str() != "unknown")
        .count();
    let eu_eea = (located > 0).then(|| {
        units
            .iter()
            .filter(|(_, c)| crate::vendors::in_eu_eea(c))
            .count() as f64
            / total as f64
    });
    Vendors {
        organisations: shares(orgs, total),
        countries: shares(countries, total),
        hhi: s.score.hhi,
        hhi_by_count,
        eu_eea,
    }
}

fn shares(counts: BTreeMap<String, usize>, total: usize) -> Vec<Share> {
    let mut v: Vec<Share> = counts
        .into_iter()
        .map(|(name, count)| Share {
            unknown: name == "unknown",
            name,
            count,
            share: if total == 0 {
                0.0
            } else {
                count as f64 / total as f64
            },
        })
        .collect();
    // Largest first; `unknown` last whatever its size.
    v.sort_by(|a, b| {
        (a.name == "unknown")
            .cmp(&(b.name == "unknown"))
            .then_with(|| b.count.cmp(&a.count))
            .then_with(|| a.name.cmp(&b.name))
    });
    v
}

fn license_cell(state: Option<&LicenseState>) -> (Option<String>, Class) {
    match state {
        Some(LicenseState::Known(l)) => (
            Some(l.text().to_owned()),
            Classes::builtin().of_expression(&l.expression),
        ),
        Some(LicenseState::Unknown(UnknownReason::Unparseable { raw, .. })) => {
            (Some(raw.clone()), Class::Unknown)
        }
        _ => (None, Class::Unknown),
    }
}

/// The body's view of the packages: per component of the manifest (its runtime
/// packages by licence class and organisation), else one summary over every runtime
/// package. Linear in the packages.
fn summaries(s: &Subject<'_>, runtime: &[PkgIdx]) -> Vec<ComponentSummary> {
    #[derive(Default)]
    struct Tally {
        packages: usize,
        classes: BTreeMap<Class, usize>,
        organisations: BTreeMap<String, usize>,
        origin_known: usize,
    }
    let inv = &s.analysis.inventory;
    let comps = &s.offer().components;
    let mut tallies: Vec<Tally> = (0..comps.len().max(1)).map(|_| Tally::default()).collect();
    for &p in runtime {
        let pkg = inv.package(p);
        let slot = if comps.is_empty() {
            0
        } else {
            match pkg.component.map(|c| c as usize) {
                Some(c) if c < comps.len() => c,
                // A package outside every component (shared inputs): counted nowhere
                // here, as the components' table counts only what each component brings.
                _ => continue,
            }
        };
        let t = &mut tallies[slot];
        t.packages += 1;
        let (_, class) = license_cell(state(&s.analysis.licenses, p));
        *t.classes.entry(class).or_default() += 1;
        let a = s.registry().attribute(pkg);
        let (org, _) = unit_owner(s.registry(), a.vendor.as_deref(), a.org.as_deref());
        if org != "unknown" {
            t.origin_known += 1;
        }
        *t.organisations.entry(org).or_default() += 1;
    }
    let names: Vec<String> = if comps.is_empty() {
        vec![s.offer().name.clone()]
    } else {
        comps.iter().map(|c| c.name.clone()).collect()
    };
    names
        .into_iter()
        .zip(tallies)
        .map(|(name, t)| ComponentSummary {
            name,
            packages: t.packages,
            classes: t
                .classes
                .into_iter()
                .map(|(c, count)| Count {
                    name: c.as_str().to_owned(),
                    count,
                })
                .collect(),
            organisations: shares(t.organisations, t.packages)
                .into_iter()
                .map(|s| Count {
                    name: s.name,
                    count: s.count,
                })
                .collect(),
            origin_known: t.origin_known,
        })
        .collect()
}

fn components(s: &Subject<'_>, runtime: &[PkgIdx]) -> Vec<Component> {
    let inv = &s.analysis.inventory;
    let live: Vec<&finding::Finding> = s
        .analysis
        .findings
        .iter()
        .filter(|f| f.exception.is_none())
        .collect();
    // Findings per package, counted once: not a pass over every finding per package.
    let mut per_package: HashMap<PkgIdx, usize> = HashMap::new();
    for f in &live {
        if let Some(p) = f.hit.package {
            *per_package.entry(p).or_default() += 1;
        }
    }
    if !s.offer().components.is_empty() {
        return s
            .offer()
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let idx = u32::try_from(i).ok();
                let findings = live
                    .iter()
                    .filter(|f| {
                        f.hit.component == idx
                            || f.hit
                                .package
                                .is_some_and(|p| inv.package(p).component == idx)
                    })
                    .count();
                let (license, class) = match &c.license {
                    Some(raw) => {
                        let state = license::resolve(&crate::model::Package {
                            declared: vec![raw.clone()],
                            ..crate::model::Package::default()
                        });
                        license_cell(Some(&state))
                    }
                    None => (None, Class::Unknown),
                };
                let (vendor, country) = match c.vendor.as_deref() {
                    Some(id) => match s.registry().get(id) {
                        Some(v) => (Some(v.name.clone()), v.country.clone()),
                        None => (Some(id.to_owned()), None),
                    },
                    None => (None, None),
                };
                Component {
                    name: c.name.clone(),
                    version: None,
                    function: c.function.clone(),
                    criticality: c.criticality.map(|k| k.as_str().to_owned()),
                    license,
                    license_class: class.as_str().to_owned(),
                    vendor,
                    country,
                    findings,
                }
            })
            .collect();
    }
    // Without a manifest, the components are the roots (or every runtime package of a
    // flat input).
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
            let (license, class) = license_cell(state(&s.analysis.licenses, p));
            let a = s.registry().attribute(pkg);
            let (vendor, country) = match a.vendor.as_deref().and_then(|v| s.registry().get(v)) {
                Some(v) => (Some(v.name.clone()), v.country.clone()),
                None => (a.org, None),
            };
            Component {
                name: pkg.name.clone(),
                version: pkg.version.clone(),
                function: None,
                criticality: None,
                license,
                license_class: class.as_str().to_owned(),
                vendor,
                country,
                findings: per_package.get(&p).copied().unwrap_or(0),
            }
        })
        .collect()
}

/// Points apart at which a dimension can decide the award: the one threshold of the
/// report's comparison and of `sovra compare`.
pub(crate) const DIMENSION_DECIDES: f64 = 20.0;

fn compare(cands: &[Candidate]) -> Comparison {
    let cell = |kind: &str, code: Option<&str>, number: Option<f64>| Cell {
        kind: if code.is_none() && number.is_none() {
            "none".to_owned()
        } else {
            kind.to_owned()
        },
        code: code.map(str::to_owned),
        number,
        text: None,
    };
    let verdict_code = |v: Verdict| match v {
        Verdict::Compliant => "compliant",
        Verdict::ReviewNeeded => "review-needed",
        Verdict::NotAssessed => "not-assessed",
        Verdict::NonCompliant => "non-compliant",
    };
    let distinct = |cells: &[Cell]| {
        let first = serde_key(&cells[0]);
        cells.iter().any(|c| serde_key(c) != first)
    };
    let numbers = |f: &dyn Fn(&Candidate) -> Option<f64>| -> Vec<Cell> {
        cands.iter().map(|c| cell("number", None, f(c))).collect()
    };
    let percents = |f: &dyn Fn(&Candidate) -> Option<f64>| -> Vec<Cell> {
        cands.iter().map(|c| cell("percent", None, f(c))).collect()
    };

    let mut rows: Vec<(String, bool, Vec<Cell>)> = Vec::new();
    let verdicts: Vec<Cell> = cands
        .iter()
        .map(|c| cell("verdict", Some(verdict_code(c.verdict)), None))
        .collect();
    rows.push(("row.verdict".into(), distinct(&verdicts), verdicts));
    let score = numbers(&|c| c.score.as_ref().map(|s| s.value));
    rows.push(("row.score".into(), spread(&score) >= 10.0, score));
    let bands: Vec<Cell> = cands
        .iter()
        .map(|c| cell("band", c.score.as_ref().map(|s| s.band.as_str()), None))
        .collect();
    rows.push(("row.band".into(), distinct(&bands), bands));
    let gates = numbers(&|c| Some(c.failed_gates.len() as f64));
    rows.push(("row.failed-gates".into(), distinct(&gates), gates));
    let deny = numbers(&|c| Some(c.findings.deny as f64));
    rows.push(("row.findings-deny".into(), distinct(&deny), deny));
    let warn = numbers(&|c| Some(c.findings.warn as f64));
    rows.push(("row.findings-warn".into(), false, warn));
    // One row per score dimension, in the order of the first scored candidate.
    let dims: Vec<String> = cands
        .iter()
        .find_map(|c| c.score.as_ref())
        .map(|s| s.dimensions.iter().map(|d| d.id.clone()).collect())
        .unwrap_or_default();
    for id in dims {
        let cells = numbers(&|c| {
            c.score
                .as_ref()
                .and_then(|s| s.dimensions.iter().find(|d| d.id == id))
                .and_then(|d| d.value)
        });
        let deciding = spread(&cells) >= DIMENSION_DECIDES;
        rows.push((format!("dimension.{id}"), deciding, cells));
    }
    let cov = percents(&|c| c.coverage.score);
    rows.push(("row.coverage-score".into(), spread(&cov) >= 0.2, cov));
    let lic = percents(&|c| Some(c.coverage.licences));
    rows.push(("row.coverage-licences".into(), spread(&lic) >= 0.2, lic));
    let eu = percents(&|c| c.vendors.eu_eea);
    rows.push(("row.eu-eea".into(), spread(&eu) >= 0.25, eu));
    // An index 0–1, shown with its decimals.
    let hhi: Vec<Cell> = cands
        .iter()
        .map(|c| cell("index", None, c.vendors.hhi))
        .collect();
    rows.push(("row.hhi".into(), spread(&hhi) >= 0.25, hhi));
    let seal: Vec<Cell> = cands
        .iter()
        .map(|c| {
            cell(
                "seal",
                None,
                c.csf.as_ref().and_then(|v| v.seal).map(f64::from),
            )
        })
        .collect();
    rows.push(("row.seal".into(), distinct(&seal), seal));
    let pk = numbers(&|c| Some(c.stats.runtime_packages as f64));
    rows.push(("row.runtime-packages".into(), false, pk));

    let rows: Vec<ComparisonRow> = rows
        .into_iter()
        .map(|(key, deciding, cells)| ComparisonRow {
            key,
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
    // Candidates' own policy files never apply, so this is one chain; were it ever
    // not, every distinct chain is stated.
    let mut chains: Vec<String> = cands
        .iter()
        .filter_map(|c| c.evidence.policy.as_ref())
        .map(|p| p.layers.join(" → "))
        .collect();
    chains.dedup();
    Comparison {
        candidates: cands.iter().map(|c| c.name.clone()).collect(),
        policy: chains.join(" | "),
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
