//! `sovra score`: the lock-in score of one or more candidates, with gates, dimensions,
//! evidence gaps and the CSF objective view. Also the assessment step `compare` shares.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{Status, emit};
use crate::error::Result;
use crate::finding::Level;
use crate::report::schema::{self, score::ScoreDoc};
use crate::score::{Score, Verdict};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    #[default]
    Human,
    Json,
}

/// Options shared by `score` and `compare`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct AssessArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub flags: super::AssessFlags,
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
    pub analysis: crate::assess::Analysis,
    pub score: Score,
}

impl Assessed {
    /// Its JSON mirror (`sovra.score/2`).
    pub(crate) fn mirror(&self) -> schema::score::Scored {
        schema::score::scored(&self.path, &self.analysis, &self.score)
    }
}

/// Loads, analyses and scores one candidate.
/// Assesses `paths` as one candidate.
pub(crate) fn assess(
    paths: &[PathBuf],
    opts: &AssessArgs,
    today: jiff::civil::Date,
) -> Result<Assessed> {
    let a = crate::assess::assess_with(
        paths,
        &opts.flags.load_options(Some(super::PUBLIC_BUYER_POLICY)),
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
    let today = opts.flags.today()?;
    paths
        .iter()
        .map(|p| assess(std::slice::from_ref(p), opts, today))
        .collect()
}

pub(crate) fn run(args: Args) -> Result<Status> {
    let assessed = assess_all(&args.candidates, &args.opts)?;
    let out = match args.opts.format {
        Format::Json => schema::to_json(&ScoreDoc {
            schema: schema::score::SCHEMA,
            candidates: assessed.iter().map(Assessed::mirror).collect(),
        })?,
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
    let c = schema::score::counts(&a.analysis);
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
