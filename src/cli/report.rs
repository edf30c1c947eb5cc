//! `sovra report`: renders the procurement report of one candidate, or of several side
//! by side with `--compare`, as HTML, Markdown, flat ODF text, JSON or a terminal
//! summary. A file given with `-o` is written atomically; without it the report goes to
//! stdout.

use std::io::Write;
use std::path::PathBuf;

use super::score::{self as score_cmd, AssessArgs};
use super::{Status, emit};
use crate::error::{Error, Result};
use crate::locale::Locale;
use crate::report::{self, Format, build, render};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Inputs of one candidate: a candidate directory, or SBOMs, lockfiles and Cargo
    /// metadata merged into one
    #[arg(value_name = "INPUT", required_unless_present = "compare")]
    pub inputs: Vec<PathBuf>,
    /// Compare several candidates side by side (each path is one candidate)
    #[arg(long, num_args = 2.., value_name = "CANDIDATE", conflicts_with = "inputs")]
    pub compare: Vec<PathBuf>,
    /// Output format; by default taken from the extension of `-o`, else `summary`
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
    /// Write the report to this file (atomically) instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub lang: super::LangArgs,
    /// A directory of templates (`report.html`, `report.md`, `report.fodt`,
    /// `summary.txt`, `locales/<lang>.toml`) replacing the built-in ones file by file
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Leave out the appendices: the package lists and the attribution (the licence
    /// texts)
    #[arg(long)]
    pub no_appendix: bool,
    // `--date` is also the date the report is issued for; without it, today's date
    // is stated. Fix it for byte-identical output.
    #[command(flatten)]
    pub flags: super::AssessFlags,
}

pub(crate) fn run(args: Args) -> Result<Status> {
    let format = match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, Some(o)) => Format::from_extension(o).ok_or_else(|| {
            Error::Usage(format!(
                "cannot tell the format from `{}`: pass --format html|md|fodt|json|summary",
                o.display()
            ))
        })?,
        (None, None) => Format::Summary,
    };
    if !args.compare.is_empty() {
        args.flags.one_policy("`report --compare`")?;
    }
    let today = args.flags.today()?;
    if let Some(dir) = &args.templates
        && !dir.is_dir()
    {
        return Err(Error::Usage(format!(
            "`--templates` must be a directory: `{}`",
            dir.display()
        )));
    }
    // Load the locale first: a broken house-style file fails before any work.
    let locale = Locale::load(&args.lang.lang, args.templates.as_deref())?;
    let assess = AssessArgs {
        format: super::score::Format::Json,
        flags: args.flags.clone(),
    };
    let groups: Vec<Vec<PathBuf>> = if args.compare.is_empty() {
        vec![args.inputs.clone()]
    } else {
        args.compare.iter().map(|p| vec![p.clone()]).collect()
    };
    let progress = super::Progress::start("reading and assessing");
    let mut assessed = Vec::with_capacity(groups.len());
    for paths in &groups {
        assessed.push(score_cmd::assess(paths, &assess, today)?);
    }
    let subjects: Vec<build::Subject<'_>> = assessed
        .iter()
        .map(|a| build::Subject {
            analysis: &a.analysis,
            score: &a.score,
        })
        .collect();
    // The date of the assessment is part of the evidence: stated always, fixed with
    // `--date` for reproducible output.
    let date = today.to_string();
    progress.step("building the report");
    let model = build::report(
        &subjects,
        &build::Options {
            locale: &locale,
            date: Some(&date),
            appendix: !args.no_appendix,
        },
    );
    let templates = render::Templates {
        dir: args.templates.clone(),
    };
    progress.step("rendering");
    let text = render::render(&model, format, &locale, &templates)?;
    progress.step("writing");
    match &args.output {
        Some(path) => {
            report::write_atomic(path, text.as_bytes())?;
            drop(progress);
            if format != Format::Summary {
                let summary = render::render(&model, Format::Summary, &locale, &templates)?;
                let mut err = std::io::stderr().lock();
                let _ = err.write_all(summary.as_bytes());
            }
        }
        None => {
            drop(progress);
            emit(&text)?;
        }
    }
    Ok(Status::Clean)
}
