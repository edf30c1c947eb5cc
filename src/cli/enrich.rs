//! `sovra enrich`: fetch missing facts and pin them into a facts file.
//!
//! Raw flags become an [`enrich::Config`]; the facts file is written atomically
//! (temporary file, then rename) so an interrupted run never leaves half a file. Failed
//! lookups are printed as notices on stderr and do not change the exit status.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use jiff::{SignedDuration, Timestamp};

use super::Status;
use crate::enrich::{self, BASE_URLS, Config, Source};
use crate::error::{Error, Result};
use crate::ingest::IngestOptions;
use crate::ingest::candidate;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Inputs: Cargo.toml, saved cargo metadata, CycloneDX or SPDX SBOMs,
    /// package-lock.json, or candidate directories
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Write the facts file here (default: stdout)
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Use only the cache (and pass --offline to cargo metadata)
    #[arg(long)]
    offline: bool,
    /// Pass --locked to cargo metadata
    #[arg(long)]
    locked: bool,
    /// Sources to ask, comma-separated: npm, pypi, crates, maven, packagist, rubygems, nuget, go, osv, github, gitlab
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    sources: Vec<String>,
    /// Cache directory (default: $XDG_CACHE_HOME/sovra or ~/.cache/sovra)
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Do not read or write the cache
    #[arg(long, conflicts_with_all = ["cache_dir", "offline"])]
    no_cache: bool,
    /// Hours a cached response is used without asking again
    #[arg(long, default_value_t = 24, value_name = "HOURS")]
    ttl: u32,
    /// Override a base URL, e.g. `npm=https://npm.example.org` (repeatable; also
    /// SOVRA_<NAME>_URL); names: crates, crates-download, github, gitlab, go, maven, npm, nuget, osv, packagist, pypi, rubygems
    #[arg(long = "base-url", value_name = "NAME=URL")]
    base_urls: Vec<String>,
    /// Seconds one request may take
    #[arg(long, default_value_t = 20, value_name = "SECS")]
    timeout: u64,
    /// Retries on 429, 5xx and transport failures
    #[arg(long, default_value_t = 3, value_name = "N")]
    retries: u32,
    /// First backoff between retries, doubling each time
    #[arg(long, default_value_t = 500, value_name = "MS")]
    backoff_ms: u64,
    /// Largest response accepted, in MiB
    #[arg(long, default_value_t = 32, value_name = "MIB")]
    max_response_mib: u64,
    /// Concurrent lookups
    #[arg(long, default_value_t = 8, value_name = "N")]
    jobs: usize,
    /// The time of the run (RFC 3339) instead of the clock, for reproducible tests
    #[arg(long, hide = true, value_name = "TIME")]
    now: Option<String>,
}

fn config(args: &Args) -> Result<Config> {
    let mut cfg = Config::from_env();
    if !args.sources.is_empty() {
        cfg.sources.clear();
        for s in &args.sources {
            let s = s.trim();
            let source = Source::parse(s).ok_or_else(|| {
                Error::Usage(format!(
                    "unknown source `{s}` (expected one of: npm, pypi, crates, maven, packagist, rubygems, nuget, go, osv, github, gitlab)"
                ))
            })?;
            cfg.sources.insert(source);
        }
    }
    for b in &args.base_urls {
        let (name, url) = b
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("`--base-url {b}`: expected NAME=URL")))?;
        if !BASE_URLS.iter().any(|(n, _)| *n == name) {
            return Err(Error::Usage(format!("`--base-url`: unknown name `{name}`")));
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Error::Usage(format!(
                "`--base-url {name}`: `{url}` is not an http(s) URL"
            )));
        }
        cfg.base_urls.insert(name.to_owned(), url.to_owned());
    }
    if args.no_cache {
        cfg.cache_dir = None;
    } else if let Some(d) = &args.cache_dir {
        cfg.cache_dir = Some(d.clone());
    }
    if cfg.cache_dir.is_none() && !args.no_cache {
        return Err(Error::Usage(
            "no cache directory: pass `--cache-dir DIR` or `--no-cache`".into(),
        ));
    }
    cfg.offline = args.offline;
    cfg.ttl = SignedDuration::from_hours(i64::from(args.ttl));
    cfg.http.timeout = Duration::from_secs(args.timeout.max(1));
    cfg.http.retries = args.retries;
    cfg.http.backoff = Duration::from_millis(args.backoff_ms);
    cfg.http.max_body = args.max_response_mib.saturating_mul(1024 * 1024);
    cfg.workers = args.jobs.max(1);
    if let Some(now) = &args.now {
        cfg.now = now
            .parse::<Timestamp>()
            .map_err(|e| Error::Usage(format!("`--now {now}`: {e}")))?;
    }
    Ok(cfg)
}

/// A progress bar on stderr, hidden when stderr is not a terminal.
struct Bar(ProgressBar);

impl enrich::Progress for Bar {
    fn phase(&self, name: &str, total: usize) {
        self.0.set_position(0);
        self.0.set_length(total as u64);
        self.0.set_message(name.to_owned());
    }

    fn tick(&self) {
        self.0.inc(1);
    }
}

pub(crate) fn run(args: Args) -> Result<Status> {
    let cfg = config(&args)?;
    let opts = IngestOptions {
        offline: args.offline,
        locked: args.locked,
        ..IngestOptions::default()
    };
    // Candidate directories and plain inputs alike; a candidate's components name
    // repositories the forges are asked about too.
    let mut cfg = cfg;
    let reading = super::Progress::start("reading the inputs");
    let mut inv = crate::model::Inventory::new();
    for path in &args.inputs {
        let loaded = candidate::load(path, &opts)?;
        cfg.repositories.extend(
            loaded
                .candidate
                .components
                .iter()
                .filter_map(|c| c.repository.clone()),
        );
        inv.merge(loaded.inventory);
    }
    inv.finish();
    drop(reading);
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template("{msg:>16} {bar:40} {pos}/{len}") {
            b.set_style(style);
        }
        b
    } else {
        ProgressBar::hidden()
    };
    let out = enrich::enrich(&inv, &cfg, &Bar(bar.clone()))?;
    bar.finish_and_clear();
    let text = out.facts.to_json();
    match &args.output {
        Some(path) => write_atomic(path, &text)?,
        None => super::emit(&text)?,
    }
    super::clear_progress();
    let mut err = std::io::stderr().lock();
    for n in &out.notices {
        let _ = writeln!(err, "notice: {n}");
    }
    let s = &out.stats;
    let _ = writeln!(
        err,
        "enriched {} packages: {} registry answers ({} licences), {} advisories, {} repositories; {} lookups failed",
        s.packages, s.registry_facts, s.licenses, s.advisories, s.repositories, s.failed
    );
    Ok(Status::Clean)
}

fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".sovra-facts-")
        .tempfile_in(dir)
        .map_err(|e| Error::write(path, e))?;
    let _pending = crate::report::Pending::new(tmp.path());
    tmp.write_all(text.as_bytes())
        .map_err(|e| Error::write(path, e))?;
    tmp.persist(path).map_err(|e| Error::write(path, e.error))?;
    Ok(())
}
