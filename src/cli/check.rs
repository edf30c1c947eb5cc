//! `sovra check`: run the policy's rules and fail on violations (the CI gate).
//!
//! Exit status 0 when nothing at or above `--fail-on` remains after exceptions, 1
//! otherwise, 2 when the tool fails. Output formats live in `check/`, one file each;
//! they render an [`Analysis`] and never decide anything.

mod github;
mod human;
mod junit;
mod sarif;

use std::path::PathBuf;

use super::{InputArgs, Status, emit};
use crate::assess::{self, Analysis};
use crate::error::Result;
use crate::finding::{Finding, Level};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FailOn {
    Warn,
    Deny,
    Gate,
}

impl FailOn {
    fn level(self) -> Level {
        match self {
            FailOn::Warn => Level::Warn,
            FailOn::Deny => Level::Deny,
            FailOn::Gate => Level::Gate,
        }
    }
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Lowest level that fails the check
    #[arg(long, value_enum, default_value = "deny")]
    pub fail_on: FailOn,
}

pub(crate) fn run(args: Args) -> Result<Status> {
    let today = args.input.flags.today()?;
    let a = assess::load(
        &args.input.inputs,
        &args.input.flags.load_options(None),
        today,
    )?;
    super::policy_notices(&a.policy);
    let fail_on = args.fail_on.level();
    let out = render(&a, args.format, fail_on);
    if args.format == Format::Human {
        // Escaped where input data enters it; its colours are escape sequences.
        super::emit_raw(&out)?;
    } else {
        emit(&out)?;
    }
    let failed = a.fails(fail_on);
    // The process ends after this: freeing a large offer's analysis piece by piece
    // (a twentieth of the run for 50,000 SBOMs) only delays the exit status.
    std::mem::forget(a);
    Ok(if failed {
        Status::Failed
    } else {
        Status::Clean
    })
}

/// Renders the analysis in `format`.
pub(crate) fn render(a: &Analysis, format: Format, fail_on: Level) -> String {
    match format {
        Format::Human => human::render(a, fail_on, color()),
        Format::Json => crate::report::schema::check::render(a, fail_on),
        Format::Sarif => sarif::render(a),
        Format::Junit => junit::render(a, fail_on),
        Format::Github => github::render(a, fail_on),
    }
}

/// Colour per `--color`: by default only on a terminal, and never with `NO_COLOR` set.
fn color() -> bool {
    super::color(&std::io::stdout())
}

/// `name@version` of a finding's package, if any.
fn package_label(a: &Analysis, f: &Finding) -> Option<String> {
    f.hit.package.map(|p| a.inventory.package(p).display_name())
}

/// The input file a finding points at: its package's input, else the first input.
fn input_path(a: &Analysis, f: &Finding) -> Option<PathBuf> {
    let idx = f
        .hit
        .package
        .map(|p| a.inventory.package(p).input.0 as usize)
        .unwrap_or(0);
    a.inventory.inputs.get(idx).map(|i| i.path.clone())
}

/// The inclusion path as `a@1 → b@2 → c@3`.
fn why(a: &Analysis, f: &Finding) -> Option<String> {
    let names = a.path_names(f);
    (names.len() > 1).then(|| names.join(" → "))
}

/// The first sentence of the rule's "how to resolve", on one line.
fn help(a: &Analysis, f: &Finding) -> Option<String> {
    let rule = a.catalogue.get(&f.rule)?;
    let text = rule
        .docs
        .resolve
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let end = text.find(". ").map_or(text.len(), |i| i + 1);
    let first = text[..end].trim_end_matches('.');
    let mut chars = first.chars();
    Some(match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    })
}
