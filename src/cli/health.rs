//! `sovra health`: project health from local git repositories, as a table, as JSON
//! (schema `sovra.health/1`, `docs/health.md`) or as a facts file that `check`,
//! `score` and `report` read with `--facts`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::Status;
use crate::enrich::{Facts, local_key, source_key};
use crate::error::{Error, Result};
use crate::health::{self, Health, Limits};
use crate::ingest::candidate;
use crate::report::schema::health::{Doc, Repo, doc};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Git repositories (clones or bare), or candidate directories whose components
    /// name a clone with `git = "path"`
    #[arg(required = true, value_name = "REPO")]
    repos: Vec<PathBuf>,
    /// The moment assessed: YYYY-MM-DD (its last second, UTC), an RFC 3339 time, or
    /// `head` (each repository at its HEAD commit's time, for a snapshot); default
    /// `SOVRA_DATE`, else now. Commits and tags after it are ignored
    #[arg(long)]
    date: Option<String>,
    /// The repository URL of each REPO, in order (the facts file's key; default: the
    /// clone's `origin`, else `local/<directory name>`)
    #[arg(long, value_name = "URL")]
    url: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the output here, atomically (default: stdout)
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Largest number of commits read from one repository
    #[arg(long, default_value_t = Limits::default().max_commits, value_name = "N")]
    max_commits: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A table per repository
    Human,
    /// The `sovra.health/1` document
    Json,
    /// A facts file (`sovra-facts`) for `--facts`
    Facts,
}

/// One repository to assess: where it is, and its key in the facts file.
#[derive(Debug)]
struct Target {
    path: PathBuf,
    key: String,
    url: String,
    component: Option<String>,
}

pub(crate) fn run(args: Args) -> Result<Status> {
    let at_head = args.date.as_deref() == Some("head");
    let now = if at_head {
        0
    } else {
        now(args.date.as_deref())?
    };
    if !args.url.is_empty() && args.url.len() != args.repos.len() {
        return Err(Error::Usage(format!(
            "{} `--url` for {} repositories: give one per REPO, in order",
            args.url.len(),
            args.repos.len()
        )));
    }
    let limits = Limits {
        max_commits: args.max_commits,
        ..Limits::default()
    };
    let mut targets = Vec::new();
    for (i, p) in args.repos.iter().enumerate() {
        match args.url.get(i) {
            Some(url) => {
                let key = source_key(url).ok_or_else(|| {
                    Error::Usage(format!("`--url {url}` is not a repository URL"))
                })?;
                targets.push(Target {
                    path: p.clone(),
                    key,
                    url: url.clone(),
                    component: None,
                });
            }
            None => targets.extend(targets_of(p)?),
        }
    }
    let mut results = Vec::new();
    for t in targets {
        let now = if at_head {
            health::head_time(&t.path)?
        } else {
            now
        };
        let h = health::assess(&t.path, now, &limits)?;
        results.push((t, h));
    }
    let now = results.iter().map(|(_, h)| h.now).max().unwrap_or(now);
    results.sort_by(|a, b| a.0.key.cmp(&b.0.key).then(a.0.path.cmp(&b.0.path)));
    let text = match args.format {
        Format::Human => human(&results),
        Format::Json => {
            let doc = json(&results, now);
            let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Facts => {
            let mut facts = Facts::new(health::rfc3339(now));
            facts.sources.insert("git".into(), "local clone".into());
            for (t, h) in &results {
                facts
                    .repositories
                    .insert(t.key.clone(), health::to_facts(h, &t.url));
            }
            facts.to_json()
        }
    };
    match &args.output {
        Some(path) => crate::report::write_atomic(path, text.as_bytes())?,
        None => super::emit(&text)?,
    }
    Ok(Status::Clean)
}

/// The moment assessed, seconds since the epoch.
fn now(date: Option<&str>) -> Result<i64> {
    let given = date
        .map(str::to_owned)
        .or_else(|| std::env::var("SOVRA_DATE").ok().filter(|s| !s.is_empty()));
    let Some(s) = given else {
        return Ok(jiff::Timestamp::now().as_second());
    };
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        let end = d
            .to_datetime(jiff::civil::time(23, 59, 59, 0))
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map_err(|e| Error::Usage(format!("`{s}`: {e}")))?;
        return Ok(end.timestamp().as_second());
    }
    s.parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .map_err(|_| Error::Usage(format!("`{s}` is not a date (YYYY-MM-DD) or RFC 3339 time")))
}

/// The repositories behind one argument: a candidate's component clones, or the
/// repository itself.
fn targets_of(p: &Path) -> Result<Vec<Target>> {
    let is_candidate = p.join(candidate::MANIFEST).is_file()
        || p.file_name().is_some_and(|n| n == candidate::MANIFEST);
    if is_candidate {
        let dir = if p.is_dir() {
            p.to_owned()
        } else {
            p.parent().unwrap_or(Path::new(".")).to_owned()
        };
        let loaded = candidate::load(p, &crate::ingest::IngestOptions::default())?;
        let targets: Vec<Target> = loaded
            .candidate
            .components
            .iter()
            .filter_map(|c| {
                let git = c.git.as_ref()?;
                let (key, url) = match c.repository.as_deref().and_then(source_key) {
                    Some(k) => (k, c.repository.clone().unwrap_or_default()),
                    None => (local_key(&c.name), local_key(&c.name)),
                };
                Some(Target {
                    path: dir.join(git),
                    key,
                    url,
                    component: Some(c.name.clone()),
                })
            })
            .collect();
        if targets.is_empty() {
            return Err(Error::input(
                p,
                "no component names a clone (`git = \"path\"` in `candidate.toml`)",
            ));
        }
        return Ok(targets);
    }
    let remote = gix::open(p).ok().and_then(|r| {
        r.config_snapshot()
            .string("remote.origin.url")
            .map(|u| u.to_string())
    });
    let name = std::fs::canonicalize(p)
        .ok()
        .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| p.display().to_string());
    let name = name.trim_end_matches(".git").to_owned();
    let (key, url) = match remote.as_deref().and_then(source_key) {
        Some(k) => (k, remote.unwrap_or_default()),
        None => (local_key(&name), local_key(&name)),
    };
    Ok(vec![Target {
        path: p.to_owned(),
        key,
        url,
        component: None,
    }])
}

const NOT_ASSESSED: &str = "not assessed";

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| NOT_ASSESSED.to_owned(), |v| v.to_string())
}

fn date(secs: i64) -> String {
    health::rfc3339(secs)
        .get(..10)
        .unwrap_or_default()
        .to_owned()
}

fn human(results: &[(Target, Health)]) -> String {
    let mut out = String::new();
    for (t, h) in results {
        let a = h.activity.as_ref();
        let r = h.releases.as_ref();
        let mut rows: Vec<(&str, String)> = vec![
            ("path", t.path.display().to_string()),
            (
                "head",
                h.head.clone().unwrap_or_else(|| "no commits".into()),
            ),
            (
                "history",
                if h.shallow {
                    "shallow clone: history signals not assessed".into()
                } else {
                    "full".into()
                },
            ),
            ("last commit", opt(h.last_commit.map(date))),
            ("commits 90 d", opt(a.map(|a| a.commits_90d))),
            ("commits 365 d", opt(a.map(|a| a.commits_365d))),
            ("authors 90 d", opt(a.map(|a| a.authors_90d))),
            ("authors 365 d", opt(a.map(|a| a.authors_365d))),
            (
                "weeks with commits",
                opt(a.map(|a| format!("{} of 52", a.weeks_with_commits_365d))),
            ),
            ("bus factor", opt(a.map(|a| a.bus_factor_365d))),
            ("elephant factor", opt(a.map(|a| a.elephant_factor_365d))),
            (
                "organisations",
                opt(a.map(|a| {
                    let mut s: Vec<String> = a
                        .organisations_365d
                        .iter()
                        .map(|(o, n)| format!("{o} ({n})"))
                        .collect();
                    s.push(format!("{} individuals", a.individuals_365d));
                    s.join(", ")
                })),
            ),
            (
                "signed commits",
                opt(a.map(|a| format!("{} of {}", a.signed_commits_365d, a.commits_365d))),
            ),
            ("tags 365 d", opt(r.map(|r| r.tags_365d))),
            ("semver tags", opt(r.map(|r| r.semver_tags_365d))),
            (
                "signed tags",
                opt(r.map(|r| format!("{} of {}", r.signed_tags_365d, r.tags_365d))),
            ),
            (
                "latest tag",
                opt(r.map(|r| {
                    r.latest
                        .as_ref()
                        .map_or_else(|| "none".into(), |(n, d)| format!("{n} ({})", date(*d)))
                })),
            ),
        ];
        if let Some(f) = &h.files {
            for (name, paths) in [
                ("licence file", &f.license),
                ("security policy", &f.security_policy),
                ("ci configuration", &f.ci),
                ("dependency updates", &f.dependency_update),
                ("contributing guide", &f.contributing),
                ("changelog", &f.changelog),
                ("publiccode.yml", &f.publiccode),
                ("binary artefacts", &f.binary_artefacts),
            ] {
                let v = if paths.is_empty() {
                    "none".to_owned()
                } else {
                    paths.join(", ")
                };
                rows.push((name, v));
            }
        }
        let title = match &t.component {
            Some(c) => format!("{} (component `{c}`)", t.key),
            None => t.key.clone(),
        };
        let _ = writeln!(out, "{title}");
        for (k, v) in rows {
            let _ = writeln!(out, "  {k:<20} {v}");
        }
        out.push('\n');
    }
    out
}

/// The JSON document of `results` (`sovra.health/1`).
fn json(results: &[(Target, Health)], now: i64) -> Doc {
    let repos = results.iter().map(|(t, h)| Repo {
        key: &t.key,
        path: &t.path,
        component: t.component.as_deref(),
        health: h,
    });
    doc(repos, now)
}
