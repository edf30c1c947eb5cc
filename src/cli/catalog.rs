//! `sovra catalog`: the shared catalogue of assessments (`crate::store`): add, import,
//! list, show, history, diff, reproduce, withdraw and the audit log, in human form or as JSON
//! (`--format json`, documented in `docs/catalog.md`).
//!
//! Exit status: 0 done; 1 when `reproduce` finds a difference; 2 on failure (a
//! missing id included).

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use super::{Status, emit};
use crate::error::{Error, Result};
use crate::store::{self, AddRequest, Store};
use crate::text::escape_controls as esc;

/// The JSON schema id of every `sovra catalog --format json` output.
const SCHEMA: &str = "sovra.catalog/1";

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The catalogue: a SQLite file (created when missing) or a `postgres://` URL
    /// [env: SOVRA_DB]
    #[arg(long, value_name = "URL", global = true)]
    db: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human, global = true)]
    format: Format,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Assess a candidate and store the assessment with its inputs (a new version when
    /// the candidate is there already)
    Add(AddArgs),
    /// Import publiccode.yml descriptions in bulk as catalogue entries
    Import(ImportArgs),
    /// List stored assessments, newest first
    List(ListArgs),
    /// Show one stored assessment: summary, inputs, findings
    Show { id: i64 },
    /// Every version of a candidate
    History { candidate: String },
    /// How assessment ID2 differs from ID1: verdict, score, findings
    Diff { from: i64, to: i64 },
    /// Run a stored assessment again from what is stored and check that the report is
    /// byte-identical
    Reproduce { id: i64 },
    /// Search the candidates (each by its newest assessment)
    Search(SearchArgs),
    /// The audit log, newest first
    Audit(ListArgs),
    /// Every function with its assessed alternatives (substitutability)
    Functions,
    /// A candidate (by id) with its newest assessment and history
    Candidate { id: i64 },
    /// Withdraw a candidate (by id) from search and the functions list; its assessments
    /// stay stored, and a new assessment takes it back in
    Withdraw {
        id: i64,
        /// Why, for the audit log and the candidate's page
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Compare stored assessments side by side, as `sovra compare` does
    Compare {
        #[arg(required = true, num_args = 2..)]
        ids: Vec<i64>,
        #[command(flatten)]
        lang: super::LangArgs,
    },
    /// Write the report of a stored assessment (run again from what is stored)
    Export {
        id: i64,
        /// html, md, fodt, json or summary
        #[arg(long = "as", value_enum, default_value_t = crate::report::Format::Html)]
        as_format: crate::report::Format,
        #[command(flatten)]
        lang: super::LangArgs,
        /// Write to this file (atomically) instead of stdout
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
struct AddArgs {
    /// A candidate directory, or plain inputs of one candidate
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Policy: a bundled name or a file (default: de-public-sector); its files are
    /// stored with the assessment
    #[arg(long, value_name = "POLICY")]
    policy: Option<String>,
    /// A facts file of `sovra enrich`, stored with the assessment
    #[arg(long, value_name = "FILE")]
    facts: Option<PathBuf>,
    /// The date the rules judge against (YYYY-MM-DD) [env: SOVRA_DATE; default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// Largest input file read and stored, in MiB
    #[arg(long, value_name = "MIB", default_value_t = crate::ingest::DEFAULT_MAX_FILE_BYTES >> 20,
          value_parser = clap::value_parser!(u64).range(1..=1 << 12))]
    max_input_size: u64,
}

#[derive(Debug, clap::Args)]
struct ImportArgs {
    /// Directories searched for publiccode.yml / publiccode.yaml, or files
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// In directories, take every `*.yml` and `*.yaml` file, not only those named
    /// publiccode
    #[arg(long)]
    all_yaml: bool,
    /// The date the rules judge against (YYYY-MM-DD) [env: SOVRA_DATE; default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
}

#[derive(Debug, clap::Args)]
struct ListArgs {
    #[arg(long, default_value_t = 50)]
    limit: i64,
    #[arg(long, default_value_t = 0)]
    offset: i64,
}

#[derive(Debug, clap::Args)]
struct SearchArgs {
    /// Text in the name, vendor, description or a function
    q: Option<String>,
    #[arg(long)]
    function: Option<String>,
    /// permissive, weak-copyleft, strong-copyleft, network-copyleft, proprietary, …
    #[arg(long)]
    licence_class: Option<String>,
    /// ISO 3166 country of a controlling vendor
    #[arg(long)]
    jurisdiction: Option<String>,
    /// compliant, review-needed, not-assessed, non-compliant
    #[arg(long)]
    verdict: Option<String>,
    #[arg(long)]
    score_min: Option<f64>,
    #[arg(long)]
    score_max: Option<f64>,
    #[arg(long)]
    seal_min: Option<i64>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: Option<String>,
    /// name, score or date
    #[arg(long)]
    sort: Option<String>,
    #[arg(long, default_value_t = 50)]
    limit: i64,
    #[arg(long, default_value_t = 0)]
    offset: i64,
}

/// The actor the CLI records in the audit log: `SOVRA_ACTOR`, else `cli:<user>`.
fn actor() -> String {
    std::env::var("SOVRA_ACTOR")
        .ok()
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| {
            let user = std::env::var("USER")
                .or_else(|_| std::env::var("USERNAME"))
                .unwrap_or_else(|_| "unknown".into());
            format!("cli:{user}")
        })
}

pub(crate) fn run(args: Args) -> Result<Status> {
    let db = args
        .db
        .clone()
        .or_else(|| std::env::var("SOVRA_DB").ok())
        .unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::External(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async move {
        let store = Store::open(&db).await?;
        command(&store, args.command, args.format).await
    })
}

/// Output of one command in the chosen format.
fn out<T: Serialize>(
    format: Format,
    kind: &str,
    value: &T,
    human: impl FnOnce() -> String,
) -> Result<()> {
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Doc<'a, T> {
                schema: &'static str,
                output: &'a str,
                #[serde(flatten)]
                value: &'a T,
            }
            let mut text = serde_json::to_string_pretty(&Doc {
                schema: SCHEMA,
                output: kind,
                value,
            })
            .map_err(|e| Error::External(format!("cannot serialise: {e}")))?;
            text.push('\n');
            emit(&text)
        }
        Format::Human => emit(&human()),
    }
}

fn missing(what: &str, id: impl std::fmt::Display) -> Error {
    Error::Usage(format!("no {what} `{id}` in the catalogue"))
}

async fn command(store: &Store, command: Command, format: Format) -> Result<Status> {
    match command {
        Command::Add(a) => {
            let today = super::today(a.date.as_deref())?;
            let req = AddRequest {
                inputs: a.inputs,
                policy: a.policy,
                facts: a.facts,
                date: today,
                max_file_bytes: a.max_input_size << 20,
                kind: "assessment",
            };
            let row = store.add(req, &actor()).await?;
            #[derive(Serialize)]
            struct Added<'a> {
                assessment: &'a store::AssessmentRow,
            }
            out(format, "added", &Added { assessment: &row }, || {
                format!(
                    "stored assessment {} of `{}` (version {}): {}{}\n",
                    row.id,
                    esc(&row.candidate),
                    row.version,
                    row.verdict,
                    row.score
                        .map_or_else(String::new, |s| format!(", score {s:.0}"))
                )
            })?;
        }
        Command::Import(a) => {
            let today = super::today(a.date.as_deref())?;
            let r = store::import_publiccode(store, &a.paths, a.all_yaml, today, &actor()).await?;
            out(format, "import", &r, || {
                let mut o = String::new();
                for row in &r.imported {
                    let _ = writeln!(o, "imported {}  {}", row.id, esc(&row.candidate));
                }
                for p in &r.problems {
                    let _ = writeln!(o, "invalid: {}", esc(p));
                }
                let _ = writeln!(o, "{} imported, {} invalid", r.imported.len(), r.invalid);
                o
            })?;
        }
        Command::List(l) => {
            let rows = store.list(l.limit, l.offset).await?;
            #[derive(Serialize)]
            struct List<'a> {
                assessments: &'a [store::AssessmentRow],
            }
            out(format, "list", &List { assessments: &rows }, || {
                table(&rows)
            })?;
        }
        Command::Show { id } => {
            let d = store
                .assessment(id)
                .await?
                .ok_or_else(|| missing("assessment", id))?;
            out(format, "assessment", &d, || show(&d))?;
        }
        Command::History { candidate } => {
            let rows = store.history(&candidate).await?;
            if rows.is_empty() {
                return Err(missing("candidate", &candidate));
            }
            #[derive(Serialize)]
            struct History<'a> {
                candidate: &'a str,
                assessments: &'a [store::AssessmentRow],
            }
            out(
                format,
                "history",
                &History {
                    candidate: &candidate,
                    assessments: &rows,
                },
                || table(&rows),
            )?;
        }
        Command::Diff { from, to } => {
            let d = store
                .diff(from, to)
                .await?
                .ok_or_else(|| missing("assessment", format!("{from}` or `{to}")))?;
            out(format, "diff", &d, || diff(&d))?;
        }
        Command::Reproduce { id } => {
            let r = store
                .reproduce(id)
                .await?
                .ok_or_else(|| missing("assessment", id))?;
            #[derive(Serialize)]
            struct Doc<'a> {
                id: i64,
                identical: bool,
                stored_by: &'a str,
                reproduced_by: &'static str,
                stored_sha256: &'a str,
                new_sha256: &'a str,
                differing_lines: usize,
                differences: &'a [String],
            }
            let doc = Doc {
                id: r.id,
                identical: r.identical,
                stored_by: &r.stored_version,
                reproduced_by: env!("CARGO_PKG_VERSION"),
                stored_sha256: &r.stored_sha256,
                new_sha256: &r.new_sha256,
                differing_lines: r.differing_lines,
                differences: &r.differences,
            };
            out(format, "reproduce", &doc, || reproduce(&r))?;
            if !r.identical {
                return Ok(Status::Failed);
            }
        }
        Command::Search(s) => {
            let q = store::Search {
                q: s.q,
                function: s.function,
                licence_class: s.licence_class,
                jurisdiction: s.jurisdiction,
                verdict: s.verdict,
                score_min: s.score_min,
                score_max: s.score_max,
                seal_min: s.seal_min,
                date_from: s.from,
                date_to: s.to,
                sort: s.sort,
                limit: Some(s.limit),
                offset: Some(s.offset),
            };
            let page = store.search(&q).await?;
            out(format, "search", &page, || {
                let rows: Vec<store::AssessmentRow> =
                    page.items.iter().map(|s| s.row.clone()).collect();
                let mut o = table(&rows);
                let _ = writeln!(o, "{} of {} candidates", page.items.len(), page.total);
                o
            })?;
        }
        Command::Audit(l) => {
            let entries = store.audit_log(l.limit, l.offset).await?;
            #[derive(Serialize)]
            struct Audit<'a> {
                entries: &'a [store::AuditEntry],
            }
            out(format, "audit", &Audit { entries: &entries }, || {
                let mut o = String::new();
                for e in &entries {
                    let _ = writeln!(
                        o,
                        "{:>5}  {}  {}  {}  {}  {}",
                        e.id,
                        e.at,
                        esc(&e.actor),
                        e.action,
                        esc(&e.subject),
                        esc(&e.detail)
                    );
                }
                o
            })?;
        }
        Command::Functions => {
            let functions = store.functions().await?;
            #[derive(Serialize)]
            struct Functions<'a> {
                functions: &'a [store::FunctionEntry],
            }
            out(
                format,
                "functions",
                &Functions {
                    functions: &functions,
                },
                || {
                    let mut o = String::new();
                    for f in functions.iter() {
                        let _ = writeln!(
                            o,
                            "{}: {} alternatives, {} compliant{}",
                            esc(&f.function),
                            f.alternatives.len(),
                            f.compliant,
                            if f.compliant >= 2 {
                                ""
                            } else {
                                " (not substitutable)"
                            }
                        );
                        for a in &f.alternatives {
                            let _ = writeln!(
                                o,
                                "  {:>5}  {:<28} {:<14} {:>5}",
                                a.id,
                                esc(&a.candidate),
                                a.verdict,
                                score(a.score)
                            );
                        }
                    }
                    o
                },
            )?;
        }
        Command::Candidate { id } => {
            let c = store
                .candidate(id)
                .await?
                .ok_or_else(|| missing("candidate", id))?;
            out(format, "candidate", &c, || {
                let mut o = format!("candidate {} `{}`\n", c.id, esc(&c.name));
                let _ = writeln!(o, "  functions: {}", esc(&c.latest.functions.join(", ")));
                if let Some(w) = &c.withdrawn {
                    let _ = writeln!(
                        o,
                        "  withdrawn {} by {}: {}",
                        w.at,
                        esc(&w.by),
                        esc(&w.reason)
                    );
                }
                o.push_str(&table(&c.history));
                o
            })?;
        }
        Command::Withdraw { id, reason } => {
            let w = store
                .withdraw(id, &actor(), &reason)
                .await?
                .ok_or_else(|| missing("candidate", id))?;
            #[derive(Serialize)]
            struct Withdrawn<'a> {
                candidate: i64,
                withdrawn: &'a store::Withdrawal,
            }
            out(
                format,
                "withdrawn",
                &Withdrawn {
                    candidate: id,
                    withdrawn: &w,
                },
                || {
                    format!(
                        "candidate {id} withdrawn {} by {}: {}\n",
                        w.at,
                        esc(&w.by),
                        esc(&w.reason)
                    )
                },
            )?;
        }
        Command::Compare { ids, lang } => {
            let comparison = store
                .compare(&ids, &lang.lang)
                .await?
                .ok_or_else(|| missing("assessment", format!("{ids:?}")))?;
            let locale = crate::locale::Locale::load(&lang.lang, None)?;
            #[derive(Serialize)]
            struct Compare<'a> {
                comparison: &'a crate::report::model::Comparison,
            }
            out(
                format,
                "compare",
                &Compare {
                    comparison: &comparison,
                },
                || crate::report::compare::render(&comparison, &locale),
            )?;
        }
        Command::Export {
            id,
            as_format,
            lang,
            output,
        } => {
            let text = store
                .render(id, as_format, &lang.lang)
                .await?
                .ok_or_else(|| missing("assessment", id))?;
            match output {
                Some(path) => crate::report::write_atomic(&path, text.as_bytes())?,
                None => emit(&text)?,
            }
        }
    }
    Ok(Status::Clean)
}

fn score(s: Option<f64>) -> String {
    s.map_or_else(|| "-".to_owned(), |s| format!("{s:.0}"))
}

fn table(rows: &[store::AssessmentRow]) -> String {
    let mut o = String::new();
    if rows.is_empty() {
        o.push_str("no assessments\n");
        return o;
    }
    let _ = writeln!(
        o,
        "{:>5}  {:<28} {:>3}  {:<10}  {:<14} {:>5}  findings (gate/deny/warn)",
        "id", "candidate", "v", "date", "verdict", "score"
    );
    for r in rows {
        let _ = writeln!(
            o,
            "{:>5}  {:<28} {:>3}  {:<10}  {:<14} {:>5}  {}/{}/{}",
            r.id,
            esc(&r.candidate),
            r.version,
            r.assessed_on,
            r.verdict,
            score(r.score),
            r.counts.gate,
            r.counts.deny,
            r.counts.warn
        );
    }
    o
}

fn show(d: &store::AssessmentDetail) -> String {
    let r = &d.row;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "assessment {} of `{}`, version {}",
        r.id,
        esc(&r.candidate),
        r.version
    );
    let _ = writeln!(
        o,
        "  {}: score {}, SEAL {}",
        r.verdict,
        score(r.score),
        r.seal.map_or_else(|| "-".into(), |s| s.to_string())
    );
    let _ = writeln!(
        o,
        "  stored {} by {}, sovra {}, judged against {}",
        r.created,
        esc(&r.actor),
        r.sovra_version,
        r.assessed_on
    );
    let _ = writeln!(o, "  policy: {}", esc(&d.policy_layers));
    if let Some(f) = &d.facts {
        let _ = writeln!(o, "  facts: {}", esc(f));
    }
    for (what, list) in [
        ("functions", &d.functions),
        ("licence classes", &d.licence_classes),
        ("jurisdictions", &d.jurisdictions),
    ] {
        if !list.is_empty() {
            let _ = writeln!(o, "  {what}: {}", esc(&list.join(", ")));
        }
    }
    let _ = writeln!(o, "  inputs ({}):", d.inputs.len());
    for i in &d.inputs {
        let _ = writeln!(
            o,
            "    {}  {}  {} bytes",
            &i.sha256[..i.sha256.len().min(12)],
            esc(&i.path),
            i.bytes
        );
    }
    for l in &d.left_out {
        let _ = writeln!(o, "    not stored: {}", esc(l));
    }
    let shown: Vec<&store::FindingRow> = d
        .findings
        .iter()
        .filter(|f| !f.excepted && f.level != "allow")
        .collect();
    let _ = writeln!(o, "  findings ({} at warn or above):", shown.len());
    for f in shown {
        let subject = if f.subject.is_empty() {
            String::new()
        } else {
            format!(" [{}]", esc(&f.subject))
        };
        let _ = writeln!(
            o,
            "    {} {}{}: {}",
            f.level,
            f.rule,
            subject,
            esc(&f.message)
        );
    }
    o
}

fn diff(d: &store::Diff) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "`{}` version {} (assessment {}) → `{}` version {} (assessment {})",
        esc(&d.from.candidate),
        d.from.version,
        d.from.id,
        esc(&d.to.candidate),
        d.to.version,
        d.to.id
    );
    if d.verdict_changed {
        let _ = writeln!(o, "  verdict: {} → {}", d.from.verdict, d.to.verdict);
    } else {
        let _ = writeln!(o, "  verdict: {} (unchanged)", d.to.verdict);
    }
    let _ = writeln!(
        o,
        "  score: {} → {}{}",
        score(d.from.score),
        score(d.to.score),
        d.score_change
            .map_or_else(String::new, |c| format!(" ({c:+.1})"))
    );
    let line = |f: &store::FindingRow| {
        let subject = if f.subject.is_empty() {
            String::new()
        } else {
            format!(" [{}]", esc(&f.subject))
        };
        format!("{} {}{}: {}", f.level, f.rule, subject, esc(&f.message))
    };
    let _ = writeln!(o, "  findings added: {}", d.added.len());
    for f in &d.added {
        let _ = writeln!(o, "    + {}", line(f));
    }
    let _ = writeln!(o, "  findings removed: {}", d.removed.len());
    for f in &d.removed {
        let _ = writeln!(o, "    - {}", line(f));
    }
    let _ = writeln!(o, "  findings changed: {}", d.changed.len());
    for c in &d.changed {
        let _ = writeln!(
            o,
            "    ~ {} {}: {}{} → {}{}",
            c.rule,
            esc(&c.subject),
            c.from_level,
            if c.from_excepted { " (excepted)" } else { "" },
            c.to_level,
            if c.to_excepted { " (excepted)" } else { "" }
        );
    }
    o
}

fn reproduce(r: &store::Reproduced) -> String {
    let mut o = String::new();
    if r.identical {
        let _ = writeln!(
            o,
            "assessment {}: reproduced; the report JSON is byte-identical (sha256 {})",
            r.id, r.new_sha256
        );
        return o;
    }
    let _ = writeln!(
        o,
        "assessment {}: NOT reproduced; {} lines of the report JSON differ (stored by sovra {}, \
         this is sovra {})",
        r.id,
        r.differing_lines,
        r.stored_version,
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        o,
        "  stored sha256 {}\n  new    sha256 {}",
        r.stored_sha256, r.new_sha256
    );
    for d in &r.differences {
        let _ = writeln!(o, "  {}", esc(d));
    }
    o
}
