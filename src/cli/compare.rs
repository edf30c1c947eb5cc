//! `sovra compare`: candidates side by side — verdict, gates, score per dimension, and
//! the differences that matter.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{Value, json};

use super::score::{
    AssessArgs, Assessed, Format, assess_all, counts, headline, pretty, r1, status, to_json,
};
use super::{Status, emit};
use crate::error::{Error, Result};
use crate::finding::Level;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Two or more candidates: directories with a `candidate.toml`, or plain inputs
    #[arg(required = true, num_args = 2.., value_name = "CANDIDATE")]
    pub candidates: Vec<PathBuf>,
    #[command(flatten)]
    pub opts: AssessArgs,
}

/// A dimension difference of at least this many points matters (the report's
/// comparison uses the same threshold).
const MATTERS: f64 = crate::report::build::DIMENSION_DECIDES;

pub(crate) fn run(args: Args) -> Result<Status> {
    if args.candidates.len() < 2 {
        return Err(Error::Usage(
            "`compare` needs at least two candidates".into(),
        ));
    }
    let assessed = assess_all(&args.candidates, &args.opts)?;
    let diffs = differences(&assessed);
    let out = match args.opts.format {
        Format::Json => pretty(&json!({
            "schema": "sovra-compare/1",
            "candidates": assessed.iter().map(to_json).collect::<Vec<_>>(),
            "differences": diffs.iter().map(|d| json!({
                "topic": d.topic,
                "spread": d.spread.map(r1),
                "summary": d.summary,
                "details": d.details,
            })).collect::<Vec<Value>>(),
        })),
        Format::Human => human(&assessed, &diffs),
    };
    emit(&out)?;
    Ok(status(&assessed))
}

/// One difference between the candidates.
#[derive(Debug)]
struct Difference {
    topic: String,
    /// Largest minus smallest score, for dimensions.
    spread: Option<f64>,
    summary: String,
    details: Vec<String>,
}

fn differences(all: &[Assessed]) -> Vec<Difference> {
    let mut out = Vec::new();
    // Gates first: a gate decides whatever the score says.
    let gated: Vec<&Assessed> = all.iter().filter(|a| !a.score.gates.is_empty()).collect();
    if !gated.is_empty() && gated.len() < all.len() {
        for a in gated {
            out.push(Difference {
                topic: "gates".into(),
                spread: None,
                summary: format!(
                    "`{}` fails {} gate finding(s); the others none",
                    a.name(),
                    a.score.gates.len()
                ),
                details: a
                    .score
                    .gates
                    .iter()
                    .map(|g| format!("{}: {}", g.rule, g.message))
                    .collect(),
            });
        }
    }
    // Dimensions by weighted spread, then dimensions some candidates lack evidence for.
    let mut dims = Vec::new();
    let mut unassessed = Vec::new();
    for (i, d) in all[0].score.dimensions.iter().enumerate() {
        let scores: Vec<(&Assessed, f64)> = all
            .iter()
            .filter_map(|a| {
                a.score
                    .dimensions
                    .get(i)
                    .and_then(|x| x.score)
                    .map(|s| (a, s))
            })
            .collect();
        if scores.len() < 2 {
            let missing: Vec<&str> = all
                .iter()
                .filter(|a| a.score.dimensions.get(i).is_some_and(|x| x.score.is_none()))
                .map(Assessed::name)
                .collect();
            if !missing.is_empty() && missing.len() < all.len() {
                unassessed.push(Difference {
                    topic: d.id.title().into(),
                    spread: None,
                    summary: format!("not assessed for {}: evidence missing", quoted(&missing)),
                    details: Vec::new(),
                });
            }
            continue;
        }
        let best = scores
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|x| (x.0, x.1));
        let worst = scores
            .iter()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|x| (x.0, x.1));
        let (Some((ba, bs)), Some((wa, ws))) = (best, worst) else {
            continue;
        };
        let spread = bs - ws;
        if spread < MATTERS {
            continue;
        }
        let mut details = Vec::new();
        for a in [ba, wa] {
            if let Some(dim) = a.score.dimensions.get(i) {
                details.extend(weakest(a.name(), &dim.contributors));
            }
        }
        dims.push((
            spread * f64::from(d.weight),
            Difference {
                topic: d.id.title().into(),
                spread: Some(spread),
                summary: format!(
                    "`{}` {bs:.0} vs `{}` {ws:.0} (weight {})",
                    ba.name(),
                    wa.name(),
                    d.weight
                ),
                details,
            },
        ));
    }
    dims.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.topic.cmp(&b.1.topic)));
    out.extend(dims.into_iter().map(|(_, d)| d));
    out.extend(unassessed);
    // Rules failed by some candidates but not by others (deny and above).
    let failed = |a: &Assessed| -> BTreeSet<String> {
        a.analysis
            .findings
            .iter()
            .filter(|f| f.exception.is_none() && f.level >= Level::Deny)
            .map(|f| f.rule.clone())
            .collect()
    };
    let sets: Vec<BTreeSet<String>> = all.iter().map(failed).collect();
    let union: BTreeSet<&String> = sets.iter().flatten().collect();
    for rule in union {
        let who: Vec<&str> = all
            .iter()
            .zip(&sets)
            .filter(|(_, s)| s.contains(rule))
            .map(|(a, _)| a.name())
            .collect();
        if who.len() == all.len() {
            continue;
        }
        let summary = all
            .iter()
            .find_map(|a| a.analysis.catalogue.get(rule).map(|r| r.summary.clone()))
            .unwrap_or_default();
        out.push(Difference {
            topic: format!("rule {rule}"),
            spread: None,
            summary: format!("violated only by {}: {summary}", quoted(&who)),
            details: Vec::new(),
        });
    }
    out
}

/// The two lowest-credit contributions of a candidate to a dimension, units with the
/// same note grouped: what holds its score down (or, at full credit, what carries it).
fn weakest(candidate: &str, contributors: &[crate::score::Contribution]) -> Vec<String> {
    let mut groups: Vec<(f64, &str, Vec<&str>)> = Vec::new();
    for c in contributors {
        match groups.iter_mut().find(|g| g.1 == c.note) {
            Some(g) => g.2.push(&c.unit),
            None => groups.push((c.credit, &c.note, vec![&c.unit])),
        }
    }
    groups.sort_by(|a, b| a.0.total_cmp(&b.0));
    groups
        .into_iter()
        .take(2)
        .map(|(_, note, units)| {
            let mut names = quoted(&units[..units.len().min(3)]);
            if units.len() > 3 {
                names.push_str(&format!(" and {} more", units.len() - 3));
            }
            format!("{candidate}: {names} — {note}")
        })
        .collect()
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Human form; names and text from the inputs have their control characters escaped.
fn human(all: &[Assessed], diffs: &[Difference]) -> String {
    use crate::text::escape_controls as esc;
    const LABEL: usize = 40;
    const COL: usize = 26;
    let mut o = String::new();
    let cell = |s: &str| {
        let s = &crate::text::escape_controls(s);
        let n = s.chars().count();
        if n > COL - 1 {
            let t: String = s.chars().take(COL - 2).collect();
            format!("{t}… ")
        } else {
            format!("{s}{}", " ".repeat(COL - n))
        }
    };
    let row = |o: &mut String, label: &str, cells: Vec<String>| {
        let mut line = format!("{label:<LABEL$}");
        for c in cells {
            line.push_str(&cell(&c));
        }
        let _ = writeln!(o, "{}", line.trim_end());
    };
    row(
        &mut o,
        "",
        all.iter().map(|a| a.name().to_owned()).collect(),
    );
    row(
        &mut o,
        "verdict",
        all.iter()
            .map(|a| a.score.verdict.as_str().to_owned())
            .collect(),
    );
    row(
        &mut o,
        "gates failed",
        all.iter()
            .map(|a| {
                let rules: BTreeSet<&str> = a.score.gates.iter().map(|g| g.rule.as_str()).collect();
                if rules.is_empty() {
                    "none".to_owned()
                } else {
                    rules.into_iter().collect::<Vec<_>>().join(", ")
                }
            })
            .collect(),
    );
    row(
        &mut o,
        "sovereignty score",
        all.iter()
            .map(|a| match (a.score.total, a.score.band) {
                (Some(t), Some(b)) => format!("{t:.0} {}", b.as_str().trim_end_matches(" lock-in")),
                _ => "not assessed".to_owned(),
            })
            .collect(),
    );
    row(
        &mut o,
        "coverage",
        all.iter()
            .map(|a| format!("{:.0} %", a.score.coverage * 100.0))
            .collect(),
    );
    for (i, d) in all[0].score.dimensions.iter().enumerate() {
        row(
            &mut o,
            &format!("  {} ({})", d.id.title(), d.weight),
            all.iter()
                .map(|a| {
                    a.score
                        .dimensions
                        .get(i)
                        .and_then(|x| x.score)
                        .map_or_else(|| "not assessed".to_owned(), |s| format!("{s:.0}"))
                })
                .collect(),
        );
    }
    row(
        &mut o,
        "CSF (v1.2.1 / 2026 weights)",
        all.iter()
            .map(|a| {
                let f = |x: Option<f64>| x.map_or_else(|| "-".to_owned(), |v| format!("{v:.0}"));
                format!(
                    "{} / {}",
                    f(a.score.csf.total_v1_2_1),
                    f(a.score.csf.total_2026)
                )
            })
            .collect(),
    );
    row(
        &mut o,
        "findings (gate/deny/warn)",
        all.iter()
            .map(|a| {
                let c = counts(&a.analysis);
                format!("{}/{}/{}", c["gate"], c["deny"], c["warn"])
            })
            .collect(),
    );
    let _ = writeln!(o, "\nCSF view: {}", crate::score::csf::LABEL);
    let _ = writeln!(o, "\ndifferences that matter:");
    if diffs.is_empty() {
        let _ = writeln!(
            o,
            "  none: the candidates score within {MATTERS:.0} points on every dimension"
        );
    }
    for d in diffs {
        let _ = writeln!(o, "  - {}: {}", d.topic, esc(&d.summary));
        for x in &d.details {
            let _ = writeln!(o, "      {}", esc(x));
        }
    }
    for a in all {
        let _ = writeln!(o, "\n{} — {}", esc(a.name()), headline(&a.score));
    }
    o
}
