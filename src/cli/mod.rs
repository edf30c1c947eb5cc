//! The command line: raw flags (clap) → validated options → one command's `run`.
//!
//! Exit status: 0 clean, 1 findings at or above the fail level, 2 failure of the tool
//! (bad input, bad configuration). A broken pipe on stdout exits 0. Data goes to
//! stdout, everything else to stderr.

mod catalog;
mod check;
mod compare;
mod enrich;
mod health;
mod init;
mod inventory;
mod licenses;
mod policy;
mod report;
mod rules;
mod sbom;
mod score;
mod serve;
mod shell;
mod why;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::error::{Error, Result};
use crate::ingest::IngestOptions;

/// Procurement and digital-sovereignty compliance analyzer.
#[derive(Debug, Parser)]
#[command(name = "sovra", version, about, propagate_version = true)]
struct Cli {
    /// When to colour terminal output: `auto` colours a terminal unless `NO_COLOR` is
    /// set
    #[arg(long, global = true, value_enum, default_value_t = clap::ColorChoice::Auto)]
    color: clap::ColorChoice,
    #[command(subcommand)]
    command: Command,
}

/// The `--color` choice, set once at start.
static COLOR: std::sync::OnceLock<clap::ColorChoice> = std::sync::OnceLock::new();

/// Whether output to `stream` is coloured: `--color always|never`, else only on a
/// terminal and never with `NO_COLOR` set.
pub(crate) fn color(stream: &impl std::io::IsTerminal) -> bool {
    match COLOR.get().copied().unwrap_or(clap::ColorChoice::Auto) {
        clap::ColorChoice::Always => true,
        clap::ColorChoice::Never => false,
        clap::ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && stream.is_terminal()
        }
    }
}

/// A spinner on stderr naming the current step of a long command; hidden when stderr
/// is not a terminal (a pipe, a file, a CI log), so output there is the same bytes with
/// or without it. It appears only once a step has taken longer than a second, and is
/// cleared before anything is written to stdout ([`emit_raw`]) or stderr
/// ([`suspend_progress`]).
#[derive(Debug)]
pub(crate) struct Progress(Option<indicatif::ProgressBar>);

/// The spinner being shown, if any, for writers that must clear it first.
static PROGRESS: std::sync::Mutex<Option<indicatif::ProgressBar>> = std::sync::Mutex::new(None);

/// Ends the spinner, if one is shown, leaving the terminal line empty.
pub(crate) fn clear_progress() {
    let bar = PROGRESS.lock().ok().and_then(|mut p| p.take());
    if let Some(b) = bar {
        b.finish_and_clear();
    }
}

/// Runs `write` (a message to stderr) with the spinner hidden, then shows it again.
pub(crate) fn suspend_progress<R>(write: impl FnOnce() -> R) -> R {
    let bar = PROGRESS.lock().ok().and_then(|p| p.clone());
    match bar {
        Some(b) => b.suspend(write),
        None => write(),
    }
}

impl Progress {
    pub(crate) fn start(message: &str) -> Progress {
        use std::io::IsTerminal;
        if !io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(message.to_owned());
        let shown = bar.clone();
        // Drawn from a second on: a quick run leaves the terminal as it was.
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(1));
            if !shown.is_finished() {
                shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                shown.enable_steady_tick(std::time::Duration::from_millis(120));
            }
        });
        if let Ok(mut p) = PROGRESS.lock() {
            *p = Some(bar.clone());
        }
        Progress(Some(bar))
    }

    pub(crate) fn step(&self, message: &str) {
        if let Some(b) = &self.0 {
            b.set_message(message.to_owned());
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
            clear_progress();
        }
    }
}

/// The command line's definition, for shell completions and the man page.
pub(crate) fn command() -> clap::Command {
    use clap::CommandFactory;
    Cli::command()
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Summarise the packages, licences and sources of the inputs
    Inventory(inventory::Args),
    /// Show why a package is in the dependency graph (its inclusion paths)
    Why(why::Args),
    /// List every licence expression with its class and packages
    Licenses(licenses::Args),
    /// Evaluate the policy's rules and fail on violations (the CI gate)
    Check(check::Args),
    /// Show the effective policy and the layer that set each value
    #[command(subcommand)]
    Policy(policy::Command),
    /// List the rule catalogue or explain one rule
    #[command(subcommand)]
    Rules(rules::Command),
    /// Write a commented starter policy
    Init(init::Args),
    /// Score the lock-in of one or more candidates
    Score(score::Args),
    /// Compare candidates side by side
    Compare(compare::Args),
    /// Render a procurement report
    Report(report::Args),
    /// Write the merged inventory as one SBOM (CycloneDX 1.6 or SPDX 3.0.1)
    Sbom(sbom::Args),
    /// Fetch missing facts from registries, advisories and forges
    Enrich(enrich::Args),
    /// Serve the catalogue: web pages and a JSON API, with uploads assessed in the
    /// background
    Serve(serve::Args),
    /// Assess project health from local git repositories (offline, any forge)
    Health(health::Args),
    /// The shared catalogue of stored, reproducible assessments (SQLite or PostgreSQL)
    Catalog(catalog::Args),
    /// Print shell completions (bash, zsh, fish, elvish, powershell) to stdout
    Completions(shell::CompletionArgs),
    /// Print the man page (roff) to stdout
    Man,
}

/// Inputs shared by the commands that analyse something.
#[derive(Debug, Clone, Args)]
pub(crate) struct InputArgs {
    /// Inputs: Cargo.toml, saved cargo metadata, CycloneDX or SPDX SBOMs,
    /// package-lock.json, publiccode.yml, or candidate directories
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub flags: AssessFlags,
}

/// Which policy applies and which of its rules run: `policy show` and every command
/// that assesses.
#[derive(Debug, Clone, Args)]
pub(crate) struct PolicyFlags {
    /// Policy: a bundled name (baseline, de-public-sector, ci-strict) or a file;
    /// unless named, `baseline` for check, inventory, licenses, why, sbom and policy,
    /// and public buyers' `de-public-sector` for score, compare and report
    #[arg(long, value_name = "POLICY")]
    pub policy: Option<String>,
    /// Apply the sovra.toml next to the inputs as the last layer (a project's own CI);
    /// without it, one found there is named and not applied. Refused where candidates
    /// are compared: they are judged by one policy
    #[arg(long)]
    pub project_policy: bool,
    /// The default since a policy file among the inputs applies only when named
    #[arg(long, hide = true, conflicts_with = "project_policy")]
    pub no_project_policy: bool,
    /// Run only these rules (ids, comma-separated or repeated)
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,
}

/// The flags of every command that assesses inputs (check, score, report, compare,
/// inventory, licenses, why, sbom), declared once so that each means the same
/// everywhere.
#[derive(Debug, Clone, Args)]
pub(crate) struct AssessFlags {
    #[command(flatten)]
    pub policy: PolicyFlags,
    /// The date exceptions, contract terms and facts are judged against (YYYY-MM-DD)
    /// [env: SOVRA_DATE; default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    #[command(flatten)]
    pub source: SourceArgs,
}

impl AssessFlags {
    /// `--date`, else `SOVRA_DATE`, else today (UTC).
    pub(crate) fn today(&self) -> Result<jiff::civil::Date> {
        today(self.date.as_deref())
    }

    /// How the inputs and the policy are read; `default_policy` applies unless
    /// `--policy` names one.
    pub(crate) fn load_options(&self, default_policy: Option<&str>) -> crate::assess::LoadOptions {
        crate::assess::LoadOptions {
            ingest: self.source.ingest_options(),
            policy: self
                .policy
                .policy
                .clone()
                .or_else(|| default_policy.map(str::to_owned)),
            project_policy: self.policy.project_policy,
            facts: self.source.facts.clone(),
            select: self
                .policy
                .select
                .iter()
                .map(|s| s.to_ascii_uppercase())
                .collect(),
        }
    }

    /// Refuses `--project-policy` where candidates are compared: each would be judged
    /// by its own bidder's policy.
    pub(crate) fn one_policy(&self, what: &str) -> Result<()> {
        if self.policy.project_policy {
            return Err(Error::Usage(format!(
                "`--project-policy` applies each candidate's own sovra.toml; {what} judges \
                 every candidate by one policy: name it with `--policy`"
            )));
        }
        Ok(())
    }

    /// The reading step of the commands that show the inputs (inventory, licenses,
    /// why, sbom): the policy is loaded as every command loads it (a bad `--policy` or
    /// `--select` fails alike) and returned beside what was read.
    pub(crate) fn read(
        &self,
        inputs: &[PathBuf],
    ) -> Result<(crate::assess::Read, crate::policy::EffectivePolicy)> {
        let today = self.today()?;
        let opts = self.load_options(None);
        let (_, policy) = crate::assess::load_policy(inputs, &opts)?;
        policy_notices(&policy);
        let read = crate::assess::read(inputs, &opts.ingest, opts.facts.as_deref(), today)?;
        Ok((read, policy))
    }
}

/// The language of output worded by the locales (`report-templates/locales/`).
#[derive(Debug, Clone, Args)]
pub(crate) struct LangArgs {
    /// Language of the output
    #[arg(long, default_value = "en", value_parser = crate::locale::LANGS)]
    pub lang: String,
}

/// How inputs are read, shared by every command that reads them.
#[derive(Debug, Clone, Args)]
pub(crate) struct SourceArgs {
    /// Pass --offline to cargo metadata
    #[arg(long)]
    pub offline: bool,
    /// Pass --locked to cargo metadata
    #[arg(long)]
    pub locked: bool,
    /// Use the facts pinned by `sovra enrich` (no network): fills missing licences,
    /// suppliers and repositories, and adds advisories and forge facts; reports name
    /// the file and its hash
    #[arg(long, value_name = "FILE")]
    pub facts: Option<PathBuf>,
    /// Largest input file read, in MiB; a larger one is an error
    #[arg(long, value_name = "MIB", default_value_t = crate::ingest::DEFAULT_MAX_FILE_BYTES >> 20,
          value_parser = clap::value_parser!(u64).range(1..=1 << 20))]
    pub max_input_size: u64,
    /// A vendor registry (the format of `rules/vendors/`) layered over the bundled one;
    /// its entries may correct bundled ones, and reports name it (repeatable)
    #[arg(long, value_name = "FILE")]
    pub vendors: Vec<PathBuf>,
}

impl SourceArgs {
    pub(crate) fn ingest_options(&self) -> IngestOptions {
        IngestOptions {
            offline: self.offline,
            locked: self.locked,
            max_file_bytes: self.max_input_size << 20,
            vendors: self.vendors.clone(),
        }
    }
}

/// What a command concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Nothing at or above the fail level.
    Clean,
    /// Policy failure.
    Failed,
}

/// Today's date: `--date`, else `SOVRA_DATE`, else today (UTC). The one place a
/// command learns the date.
pub(crate) fn today(date: Option<&str>) -> Result<jiff::civil::Date> {
    let (text, from) = match (date, std::env::var("SOVRA_DATE")) {
        (Some(d), _) => (d.to_owned(), "--date"),
        (None, Ok(d)) if !d.is_empty() => (d, "SOVRA_DATE"),
        _ => {
            return Ok(jiff::Timestamp::now()
                .to_zoned(jiff::tz::TimeZone::UTC)
                .date());
        }
    };
    text.parse().map_err(|e| {
        Error::Usage(format!(
            "{from} `{text}` is not a date like 2026-03-31: {e}"
        ))
    })
}

pub(crate) use crate::policy::PUBLIC_BUYER_POLICY;

/// Names on stderr every policy file found among the inputs and not applied.
pub(crate) fn policy_notices(policy: &crate::policy::EffectivePolicy) {
    suspend_progress(|| {
        let mut err = io::stderr().lock();
        for f in &policy.not_applied {
            let _ = writeln!(
                err,
                "note: `{}` is among the inputs and was not applied: a policy applies only \
                 when named (`--policy {}`, or `check --project-policy` for a project's own CI)",
                f.display(),
                f.display()
            );
        }
    });
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // The server ends gracefully on SIGTERM and SIGINT itself.
    if !matches!(cli.command, Command::Serve(_)) {
        crate::report::clean_up_on_signal();
    }
    let _ = COLOR.set(cli.color);
    let result = run(cli);
    match result {
        Ok(Status::Clean) => ExitCode::SUCCESS,
        Ok(Status::Failed) => ExitCode::from(1),
        Err(Error::Io { source, .. } | Error::Write { source, .. })
            if source.kind() == io::ErrorKind::BrokenPipe =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            clear_progress();
            let mut err = io::stderr().lock();
            let _ = writeln!(err, "error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<Status> {
    // Every command that reads and analyses inputs can take more than a second on a
    // large offer; `report` and `enrich` name their own steps.
    let step = match &cli.command {
        Command::Inventory(_) => Some("reading the inputs"),
        Command::Why(_) => Some("reading the inputs"),
        Command::Licenses(_) => Some("reading the inputs and their licences"),
        Command::Check(_) => Some("reading the inputs and checking"),
        Command::Score(_) => Some("reading and scoring"),
        Command::Compare(_) => Some("reading and scoring the candidates"),
        Command::Sbom(_) => Some("reading the inputs"),
        Command::Health(_) => Some("reading the git histories"),
        _ => None,
    };
    let _progress = step.map(Progress::start);
    match cli.command {
        Command::Inventory(a) => inventory::run(a),
        Command::Why(a) => why::run(a),
        Command::Licenses(a) => licenses::run(a),
        Command::Check(a) => check::run(a),
        Command::Policy(c) => policy::run(c),
        Command::Rules(c) => rules::run(c),
        Command::Init(a) => init::run(a),
        Command::Score(a) => score::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Report(a) => report::run(a),
        Command::Sbom(a) => sbom::run(a),
        Command::Enrich(a) => enrich::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Health(a) => health::run(a),
        Command::Catalog(a) => catalog::run(a),
        Command::Completions(a) => shell::completions(&a),
        Command::Man => shell::man(),
    }
}

/// Writes `text` to stdout with every control character but newline and tab shown as
/// a `\u{..}` escape, so no name from an input sends a sequence to the terminal; a
/// broken pipe surfaces as a `Write` error with `BrokenPipe`, which `main` turns into
/// exit status 0.
pub(crate) fn emit(text: &str) -> Result<()> {
    // A byte scan first: C0 controls and DEL are single bytes, C1 controls start with
    // 0xC2; only text holding one of those (or another 0xC2 character) is scanned by
    // character. Output of 100 MB is common for large offers.
    // Blocks of 64 bytes, each folded without a branch (so the scan runs on wide
    // registers), stop at the first block that holds a suspect byte.
    let suspect = text.as_bytes().chunks(64).any(|block| {
        block.iter().fold(false, |any, &b| {
            any | ((b < 0x20) & (b != b'\n') & (b != b'\t')) | (b == 0x7F) | (b == 0xC2)
        })
    });
    if !suspect || !text.contains(|c: char| c.is_control() && c != '\n' && c != '\t') {
        return emit_raw(text);
    }
    let mut safe = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            let _ = crate::text::write_escaped(&mut safe, c.encode_utf8(&mut [0; 4]));
        } else {
            safe.push(c);
        }
    }
    emit_raw(&safe)
}

/// Writes `text` to stdout as it is: only for output whose input data is escaped
/// already and that carries escape sequences of its own (coloured diagnostics).
pub(crate) fn emit_raw(text: &str) -> Result<()> {
    clear_progress();
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::write(std::path::Path::new("<stdout>"), e))
}
