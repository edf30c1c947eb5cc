//! `sovra score`: the lock-in score of one or more candidates, with gates, dimensions,
//! evidence gaps and the CSF objective view. Also the assessment step `compare` shares.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{Value, json};

use super::{Status, emit};
use crate::assess::Analysis;
use crate::error::Result;
use crate::finding::Level;
use crate::score::{self, Score, Verdict};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    #[default]
    Human,
    Json,
}

/// Options shared by `score` and `compare`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct AssessArgs {
    /// Policy: a bundled name (`baseline`, `de-public-sector`, `ci-strict`) or a file;
    /// public buyers' `de-public-sector` unless named
    #[arg(long, default_value = super::PUBLIC_BUYER_POLICY)]
    pub policy: Option<String>,
    /// The date exceptions and contract terms are judged against (YYYY-MM-DD; default:
    /// `SOVRA_DATE`, else today)
    #[arg(long)]
    pub date: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub source: super::SourceArgs,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Candidates: directories with a `candidate.toml`, or plain inputs (SBOM,
    /// lockfile, Cargo.toml, saved cargo metadata, publiccode.yml)
    #[arg(required = true, value_name = "CANDIDATE")]
    pub candidates: Vec<PathBuf>,
    #[command(flatten)]
    pub opts: AssessArgs,
}

/// One assessed candidate.
#[derive(Debug)]
pub(crate) struct Assessed {
    pub path: PathBuf,
    pub analysis: Analysis,
    pub score: Score,
}

impl Assessed {
    pub(super) fn name(&self) -> &str {
        &self.score.candidate
    }
}

/// Loads, analyses and scores one candidate.
/// Assesses `paths` as one candidate.
pub(crate) fn assess(
    paths: &[PathBuf],
    opts: &AssessArgs,
    today: jiff::civil::Date,
) -> Result<Assessed> {
    let a = crate::assess::assess(
        paths,
        &crate::assess::AssessOptions {
            ingest: opts.source.ingest_options(),
            policy: opts.policy.clone(),
            facts: opts.source.facts.clone(),
        },
        today,
    )?;
    super::policy_notices(&a.analysis.policy);
    Ok(Assessed {
        path: paths.first().cloned().unwrap_or_default(),
        analysis: a.analysis,
        score: a.score,
    })
}

pub(crate) fn assess_all(paths: &[PathBuf], opts: &AssessArgs) -> Result<Vec<Assessed>> {
    let today = super::today(opts.date.as_deref())?;
    paths
        .iter()
        .map(|p| assess(std::slice::from_ref(p), opts, today))
        .collect()
}

pub(crate) fn run(args: Args) -> Result<Status> {
    let assessed = assess_all(&args.candidates, &args.opts)?;
    let out = match args.opts.format {
        Format::Json => {
            let v = json!({
                "schema": "sovra-score/1",
                "candidates": assessed.iter().map(to_json).collect::<Vec<_>>(),
            });
            pretty(&v)
        }
        Format::Human => assessed.iter().map(human).collect::<Vec<_>>().join("\n"),
    };
    emit(&out)?;
    Ok(status(&assessed))
}

pub(crate) fn status(assessed: &[Assessed]) -> Status {
    if assessed
        .iter()
        .any(|a| a.score.verdict == Verdict::NonCompliant)
    {
        Status::Failed
    } else {
        Status::Clean
    }
}

pub(crate) fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// One decimal, for stable output.
pub(crate) fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, |v| json!(r1(v)))
}

pub(crate) fn counts(a: &Analysis) -> BTreeMap<&'static str, usize> {
    a.counts()
        .into_iter()
        .map(|(l, n)| (l.as_str(), n))
        .collect()
}

/// The JSON mirror of an assessment.
pub(crate) fn to_json(a: &Assessed) -> Value {
    let s = &a.score;
    let facts = &a.analysis.extra.facts;
    json!({
        "name": s.candidate,
        "path": a.path.display().to_string(),
        "implicit": facts.candidate.implicit,
        "policy": a.analysis.policy.chain(),
        "verdict": s.verdict.code(),
        "vendor_registries": facts.registry.layers.iter().map(|path| json!({
            "path": path,
            "corrected": facts.registry.corrected.iter().filter(|(_, f)| f == path).map(|(id, _)| id).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "gates": s.gates.iter().map(|g| json!({"rule": g.rule, "message": g.message.to_string()})).collect::<Vec<_>>(),
        "score": {
            "total": opt(s.total),
            "band": s.band.map(|b| b.as_str()),
            "coverage": r1(s.coverage * 100.0),
            "min_coverage": r1(s.min_coverage * 100.0),
            "hhi": s.hhi.map(|h| (h * 1000.0).round() / 1000.0),
            "formula": "Σ(weight × dimension score) / Σ weight, over assessed dimensions, in whole points; coverage = assessed weight / all weight (%); a dimension, and the verdict, need at least min_coverage (%)",
        },
        "dimensions": s.dimensions.iter().map(|d| json!({
            "id": d.id.as_str(),
            "title": d.id.title(),
            "weight": d.weight,
            "score": opt(d.score),
            "assessed": d.score.is_some(),
            "coverage": r1(d.coverage * 100.0),
            "formula": d.formula,
            "inputs": d.inputs.iter().map(|(k, v)| (k.clone(), Value::String(crate::score::fmt_number(*v)))).collect::<serde_json::Map<_, _>>(),
            "contributors": d.contributors.iter().map(|c| json!({
                "unit": c.unit,
                "weight": r1(c.weight),
                "credit": (c.credit * 1000.0).round() / 1000.0,
                "note": c.note,
            })).collect::<Vec<_>>(),
            "gaps": d.gaps.iter().map(ToString::to_string).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "csf": {
            "label": s.csf.label,
            "formula": "objective score = mean of its assessed dimensions; SEAL from the score (≥ 90 → 4, ≥ 75 → 3, ≥ 60 → 2, ≥ 40 → 1, else 0), capped by failed rules citing the objective (gate → 0, deny → 1, warn → 2); totals weighted over assessed objectives",
            "totals": {"v1.2.1": opt(s.csf.total_v1_2_1), "2026": opt(s.csf.total_2026)},
            "weights": {"v1.2.1": score::csf::WEIGHTS_V1_2_1, "2026": score::csf::WEIGHTS_2026},
            "objectives": s.csf.objectives.iter().map(|o| json!({
                "id": format!("SOV-{}", o.id),
                "name": o.name,
                "score": opt(o.score),
                "dimensions": o.dimensions.iter().map(|d| d.as_str()).collect::<Vec<_>>(),
                "failed_rules": o.failed_rules.iter().map(|(r, l)| json!({"rule": r, "level": l.as_str()})).collect::<Vec<_>>(),
                "cap": o.cap.map(|c| format!("SEAL-{c}")),
                "seal": o.seal.map(|c| format!("SEAL-{c}")),
            })).collect::<Vec<_>>(),
        },
        "units": facts.units.iter().map(|u| json!({
            "name": u.name,
            "function": u.function,
            "criticality": u.criticality.map(|c| c.as_str()),
            "controller": u.controller.org,
            "vendor": u.controller.vendor,
            "seat": u.controller.seat,
            "eu_eea": u.controller.eu_eea,
            "attributed_via": u.controller.via.map(|v| v.as_str()),
            "forge": u.forge.as_ref().map(|f| forge_json(facts, f)),
            "licence": u.licence,
            "freedom": u.freedom.as_str(),
            "packages": u.packages.len(),
        })).collect::<Vec<_>>(),
        "organisations": organisations(facts),
        "findings": counts(&a.analysis),
        "findings_list": a.analysis.findings.iter().map(|f| json!({
            "rule": f.rule,
            "level": f.level.as_str(),
            "message": f.hit.message.to_string(),
            "component": f.hit.component
                .and_then(|c| facts.candidate.components.get(c as usize))
                .map(|c| c.name.clone()),
            "package": f.hit.package.map(|p| a.analysis.inventory.package(p).display_name()),
            "notes": f.hit.notes.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "excepted": f.exception.is_some(),
        })).collect::<Vec<_>>(),
    })
}

/// A forge with its operator's seat: where the code is hosted is a fact of its own.
fn forge_json(facts: &crate::facts::Facts, f: &crate::vendors::ForgeFact) -> Value {
    let op = f.operator.as_deref().and_then(|o| facts.registry.get(o));
    json!({
        "host": f.host,
        "operator": f.operator,
        "operator_country": op.and_then(|v| v.country.clone()),
        "operator_eu_eea": op.and_then(|v| v.eu_eea),
        "operator_jurisdiction": op.map(|v| v.jurisdiction.clone()).unwrap_or_default(),
    })
}

/// Packages per controlling organisation, most first: the attribution of every package
/// (registry vendor, else repository owner, else supplier) and the forges hosting them.
fn organisations(facts: &crate::facts::Facts) -> Value {
    let mut orgs: BTreeMap<String, (Option<&str>, &str, usize)> = BTreeMap::new();
    let mut forges: BTreeMap<&str, (usize, &crate::vendors::ForgeFact)> = BTreeMap::new();
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
    let org_list: Vec<Value> = list
        .into_iter()
        .map(|(org, (vendor, via, n))| {
            let v = vendor.and_then(|id| facts.registry.get(id));
            json!({
                "org": org,
                "vendor": vendor,
                "via": via,
                "packages": n,
                "country": v.and_then(|v| v.country.clone()),
                "parent_country": v.and_then(|v| v.parent_country.clone()),
                "eu_eea": v.and_then(|v| v.eu_eea),
                "governance": v.map(|v| v.governance.as_str()),
            })
        })
        .collect();
    let forge_list: Vec<Value> = forges
        .into_values()
        .map(|(n, f)| {
            let mut v = forge_json(facts, f);
            v["packages"] = json!(n);
            v
        })
        .collect();
    json!({
        "by_organisation": org_list,
        "by_forge": forge_list,
    })
}

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "not assessed".to_owned(), |v| format!("{v:.1}"))
}

/// The headline of a candidate: verdict and score.
pub(crate) fn headline(s: &Score) -> String {
    match (s.verdict, s.total) {
        (Verdict::NotAssessed, _) => format!(
            "not assessed: evidence too thin to decide (coverage {:.0} %, at least {:.0} % needed)",
            s.coverage * 100.0,
            s.min_coverage * 100.0
        ),
        (v, None) => format!(
            "{}: score not assessed (coverage {:.0} %)",
            v.as_str(),
            s.coverage * 100.0
        ),
        (v, Some(t)) => format!(
            "{}: score {t:.0} ({}), coverage {:.0} %",
            v.as_str(),
            s.band.map_or("", |b| b.as_str()),
            s.coverage * 100.0
        ),
    }
}

/// Human form; text from the inputs (the candidate's name, messages quoting names and
/// licences) has its control characters escaped, so it cannot forge a line.
fn human(a: &Assessed) -> String {
    use crate::text::escape_controls as esc;
    let s = &a.score;
    let mut o = String::new();
    let _ = writeln!(o, "{}", esc(&s.candidate));
    let _ = writeln!(o, "  {}", headline(s));
    if s.gates.is_empty() {
        let _ = writeln!(o, "  gates: none failed");
    } else {
        let _ = writeln!(o, "  gates failed:");
        for g in &s.gates {
            let _ = writeln!(o, "    {}: {}", g.rule, esc(&g.message.to_string()));
        }
    }
    let c = counts(&a.analysis);
    let _ = writeln!(
        o,
        "  findings: {} gate, {} deny, {} warn (policy `{}`)",
        c["gate"],
        c["deny"],
        c["warn"],
        a.analysis.policy.chain()
    );
    let _ = writeln!(
        o,
        "\n  {:<34} {:>6} {:>13} {:>9}",
        "dimension", "weight", "score", "coverage"
    );
    for d in &s.dimensions {
        let _ = writeln!(
            o,
            "  {:<34} {:>6} {:>13} {:>8.0} %",
            d.id.title(),
            d.weight,
            num(d.score),
            d.coverage * 100.0
        );
    }
    let gap_count: usize = s.dimensions.iter().map(|d| d.gaps.len()).sum();
    if gap_count > 0 {
        let _ = writeln!(
            o,
            "\n  evidence gaps ({gap_count}, all in `--format json`):"
        );
        for d in s.dimensions.iter().filter(|d| !d.gaps.is_empty()) {
            let shown: Vec<String> = d.gaps.iter().take(3).map(ToString::to_string).collect();
            let more = d.gaps.len().saturating_sub(3);
            let _ = writeln!(
                o,
                "    - {}: {}{}",
                d.id.title(),
                esc(&shown.join("; ")),
                if more > 0 {
                    format!("; … {more} more")
                } else {
                    String::new()
                }
            );
        }
    }
    let _ = writeln!(
        o,
        "\n  EU Cloud Sovereignty Framework view ({})",
        s.csf.label
    );
    for ob in &s.csf.objectives {
        let seal = ob
            .seal
            .map_or_else(|| "-".to_owned(), |l| format!("SEAL-{l}"));
        let _ = writeln!(
            o,
            "    SOV-{} {:<38} {:>13}  {seal}",
            ob.id,
            ob.name,
            num(ob.score)
        );
    }
    let _ = writeln!(
        o,
        "    weighted: {} (v1.2.1 weights), {} (2026 calculator weights)",
        num(s.csf.total_v1_2_1),
        num(s.csf.total_2026)
    );
    let worst: Vec<_> = a
        .analysis
        .findings
        .iter()
        .filter(|f| f.exception.is_none() && f.level >= Level::Deny)
        .take(8)
        .collect();
    if !worst.is_empty() {
        let _ = writeln!(o, "\n  main findings:");
        for f in worst {
            let _ = writeln!(
                o,
                "    {} {}: {}",
                f.level.as_str(),
                f.rule,
                esc(&f.hit.message.to_string())
            );
        }
    }
    o
}
