//! `sovra compare`: candidates side by side. The comparison is the report's
//! (`report::build`, one threshold `DIMENSION_DECIDES`): this command renders it for
//! the terminal, or writes it with every candidate's score as JSON (`sovra.compare/1`).

use std::path::PathBuf;

use super::score::{AssessArgs, Format, assess_all, status};
use super::{Status, emit};
use crate::error::{Error, Result};
use crate::locale::Locale;
use crate::report::schema::{self, CompareDoc};
use crate::report::{build, compare};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Two or more candidates: directories with a `candidate.toml`, or plain inputs
    #[arg(required = true, num_args = 2.., value_name = "CANDIDATE")]
    pub candidates: Vec<PathBuf>,
    #[command(flatten)]
    pub opts: AssessArgs,
    #[command(flatten)]
    pub lang: super::LangArgs,
}

pub(crate) fn run(args: Args) -> Result<Status> {
    if args.candidates.len() < 2 {
        return Err(Error::Usage(
            "`compare` needs at least two candidates".into(),
        ));
    }
    args.opts.flags.one_policy("`compare`")?;
    let today = args.opts.flags.today()?;
    let locale = Locale::load(&args.lang.lang, None)?;
    let assessed = assess_all(&args.candidates, &args.opts)?;
    let subjects: Vec<build::Subject<'_>> = assessed
        .iter()
        .map(|a| build::Subject {
            analysis: &a.analysis,
            score: &a.score,
        })
        .collect();
    let date = today.to_string();
    let model = build::report(
        &subjects,
        &build::Options {
            locale: &locale,
            date: Some(&date),
            appendix: false,
        },
    );
    let Some(comparison) = model.comparison else {
        return Err(Error::Usage(
            "`compare` needs at least two candidates".into(),
        ));
    };
    let out = match args.opts.format {
        Format::Json => schema::to_json(&CompareDoc {
            schema: schema::COMPARE,
            candidates: assessed.iter().map(|a| a.mirror()).collect(),
            comparison,
        })?,
        Format::Human => compare::render(&comparison, &locale),
    };
    emit(&out)?;
    Ok(status(&assessed))
}
