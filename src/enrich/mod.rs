//! Enrichment: facts that the inputs lack, fetched from package registries (npm, PyPI,
//! crates.io, Maven repositories, Packagist, RubyGems, NuGet, deps.dev for Go modules), advisories (OSV) and forges (GitHub, GitLab), and
//! pinned into a facts file (see [`Facts`] and `docs/facts-json.md`).
//!
//! This is the only module besides `ingest` that does IO. [`enrich`] runs in three
//! phases (registries, advisories, forges); each phase spreads its lookups over a
//! bounded pool of worker threads using blocking `reqwest` (see `docs/enrich.md` for why).
//! Every request goes through one client ([`http`]) that consults the on-disk cache
//! ([`cache`]) first and applies timeouts, retries, a per-host rate limit and a size
//! cap. A failed lookup becomes a notice; the run goes on. Later stages never call this
//! module: they read a facts file with [`Facts::load`] and [`Facts::apply`].

mod cache;
mod coords;
mod crates;
mod facts;
mod github;
mod gitlab;
mod golang;
mod http;
mod maven;
mod npm;
mod nuget;
mod osv;
mod packagist;
mod pypi;
mod rubygems;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

pub(crate) use facts::{
    Fact, Facts, FactsEvidence, GitHealth, RepoFacts, Severity, local_key, repo_key, source_key,
};
pub(crate) use http::HttpConfig;

use crate::error::{Error, Result};
use crate::model::{Ecosystem, Inventory, SourceKind};
use coords::Coords;
use http::{Http, Response};

/// A service `sovra enrich` can ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Source {
    Npm,
    Pypi,
    Crates,
    Maven,
    Packagist,
    Rubygems,
    Nuget,
    Go,
    Osv,
    Github,
    Gitlab,
}

impl Source {
    pub(crate) const ALL: [Source; 11] = [
        Source::Npm,
        Source::Pypi,
        Source::Crates,
        Source::Maven,
        Source::Packagist,
        Source::Rubygems,
        Source::Nuget,
        Source::Go,
        Source::Osv,
        Source::Github,
        Source::Gitlab,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Source::Npm => "npm",
            Source::Pypi => "pypi",
            Source::Crates => "crates",
            Source::Maven => "maven",
            Source::Packagist => "packagist",
            Source::Rubygems => "rubygems",
            Source::Nuget => "nuget",
            Source::Go => "go",
            Source::Osv => "osv",
            Source::Github => "github",
            Source::Gitlab => "gitlab",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Names of the configurable base URLs with their defaults. `crates` is the sparse
/// index, `crates-download` the `.crate` archives; `gitlab`, when set, replaces
/// `https://<host>` for every GitLab repository.
pub(crate) const BASE_URLS: [(&str, &str); 12] = [
    ("crates", "https://index.crates.io"),
    ("crates-download", "https://static.crates.io/crates"),
    ("github", "https://api.github.com"),
    ("gitlab", ""),
    ("go", "https://api.deps.dev"),
    ("maven", "https://repo1.maven.org/maven2"),
    ("npm", "https://registry.npmjs.org"),
    ("nuget", "https://api.nuget.org/v3-flatcontainer"),
    ("osv", "https://api.osv.dev"),
    ("packagist", "https://repo.packagist.org"),
    ("pypi", "https://pypi.org"),
    ("rubygems", "https://rubygems.org"),
];

/// The environment variable that overrides base URL `name` (`SOVRA_NPM_URL`,
/// `SOVRA_CRATES_DOWNLOAD_URL`, …).
pub(crate) fn base_url_var(name: &str) -> String {
    format!("SOVRA_{}_URL", name.to_ascii_uppercase().replace('-', "_"))
}

/// Everything an enrichment run needs.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub sources: BTreeSet<Source>,
    /// Base URL by name (see [`BASE_URLS`]).
    pub base_urls: BTreeMap<String, String>,
    /// Cache root; `None` disables the cache (and makes `offline` find nothing).
    pub cache_dir: Option<PathBuf>,
    /// How long a cached response is used without asking again.
    pub ttl: SignedDuration,
    /// Use only the cache.
    pub offline: bool,
    pub http: HttpConfig,
    /// Concurrent lookups.
    pub workers: usize,
    /// The time of this run: cache freshness and the six-month release window.
    pub now: Timestamp,
    pub github_token: Option<String>,
    pub gitlab_token: Option<String>,
    /// Repository URLs to ask the forges about besides the packages' own (a candidate's
    /// components).
    pub repositories: Vec<String>,
}

impl Config {
    /// Defaults, with base URLs and tokens from the environment.
    pub(crate) fn from_env() -> Config {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let base_urls = BASE_URLS
            .iter()
            .map(|(name, default)| {
                let url = env(&base_url_var(name)).unwrap_or_else(|| (*default).to_owned());
                ((*name).to_owned(), url)
            })
            .collect();
        Config {
            sources: Source::ALL.into_iter().collect(),
            base_urls,
            cache_dir: default_cache_dir(),
            ttl: SignedDuration::from_hours(24),
            offline: false,
            http: HttpConfig::default(),
            workers: 8,
            now: Timestamp::now(),
            github_token: env("GITHUB_TOKEN"),
            gitlab_token: env("GITLAB_TOKEN"),
            repositories: Vec::new(),
        }
    }

    fn base(&self, name: &str) -> &str {
        self.base_urls.get(name).map_or("", String::as_str)
    }

    /// The GitLab that `GITLAB_TOKEN` belongs to: the configured `gitlab` base URL, else
    /// the public `https://gitlab.com`.
    fn gitlab_origin(&self) -> &str {
        match self.base("gitlab") {
            "" => "https://gitlab.com",
            b => b,
        }
    }

    /// `GITLAB_TOKEN` when `base` has the origin it belongs to (scheme, host and port
    /// alike), else nothing: a host an input names never gets it.
    fn gitlab_token_for(&self, base: &str) -> Option<&str> {
        let origin = http::origin_of(self.gitlab_origin());
        self.gitlab_token
            .as_deref()
            .filter(|_| origin.is_some() && http::origin_of(base) == origin)
    }
}

/// `$XDG_CACHE_HOME/sovra`, else `$HOME/.cache/sovra`.
fn default_cache_dir() -> Option<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_CACHE_HOME").filter(|x| !x.is_empty()) {
        return Some(PathBuf::from(x).join("sovra"));
    }
    std::env::var_os("HOME")
        .filter(|x| !x.is_empty())
        .map(|h| PathBuf::from(h).join(".cache").join("sovra"))
}

/// Receives progress; the CLI draws a bar with it on a terminal.
pub(crate) trait Progress: Sync {
    /// A phase with `total` lookups starts.
    fn phase(&self, name: &str, total: usize);
    /// One lookup finished.
    fn tick(&self);
}

#[cfg_attr(not(test), allow(dead_code))] // for tests only
/// A [`Progress`] that shows nothing.
#[derive(Debug)]
pub(crate) struct Silent;

impl Progress for Silent {
    fn phase(&self, _: &str, _: usize) {}
    fn tick(&self) {}
}

/// Counts of one run, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Distinct registry packages (ecosystem, name, version) in the inventory.
    pub packages: usize,
    /// Packages a registry answered for.
    pub registry_facts: usize,
    /// Licences among those answers.
    pub licenses: usize,
    pub advisories: usize,
    pub repositories: usize,
    /// Lookups that failed (each one a notice).
    pub failed: usize,
}

/// The result of [`enrich`]: the facts, the notices (sorted) and counts.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub facts: Facts,
    pub notices: Vec<String>,
    pub stats: Stats,
}

/// Fetches what `inv` lacks. Fails only when the client cannot be set up; every failed
/// lookup is a notice in the outcome.
pub(crate) fn enrich(inv: &Inventory, cfg: &Config, progress: &dyn Progress) -> Result<Outcome> {
    let cache = cfg
        .cache_dir
        .as_ref()
        .map(|d| cache::Cache::new(d.clone(), cfg.ttl));
    let client =
        Http::new(cfg.http.clone(), cache, cfg.offline, cfg.now).map_err(Error::External)?;
    let mut facts = Facts::new(cfg.now.to_string());
    let mut notices = Vec::new();
    let mut stats = Stats::default();

    let mut wanted: BTreeMap<String, Coords> = BTreeMap::new();
    for pkg in &inv.packages {
        if !matches!(
            pkg.source,
            SourceKind::DefaultRegistry | SourceKind::Unknown
        ) {
            continue;
        }
        if let Some(c) = coords::of(pkg) {
            wanted.insert(c.key(), c);
        }
    }
    stats.packages = wanted.len();

    // Phase 1: registries.
    let registry: Vec<(&String, &Coords, Source)> = wanted
        .iter()
        .filter_map(|(k, c)| {
            let s = registry_source(&c.ecosystem)?;
            cfg.sources.contains(&s).then_some((k, c, s))
        })
        .collect();
    progress.phase("registries", registry.len());
    let answers = parallel(&registry, cfg.workers, |(_, c, s)| {
        let r = match s {
            Source::Npm => npm::lookup(&client, cfg.base("npm"), c),
            Source::Pypi => pypi::lookup(&client, cfg.base("pypi"), c),
            Source::Crates => {
                crates::lookup(&client, cfg.base("crates"), cfg.base("crates-download"), c)
            }
            Source::Packagist => packagist::lookup(&client, cfg.base("packagist"), c),
            Source::Rubygems => rubygems::lookup(&client, cfg.base("rubygems"), c),
            Source::Nuget => nuget::lookup(&client, cfg.base("nuget"), c),
            Source::Go => golang::lookup(&client, cfg.base("go"), c),
            _ => maven::lookup(&client, cfg.base("maven"), c),
        };
        progress.tick();
        r
    });
    for ((key, c, s), answer) in answers {
        match answer.and_then(|r| r) {
            Ok(f) => {
                stats.registry_facts += 1;
                stats.licenses += usize::from(f.license.is_some());
                facts.packages.insert((*key).clone(), f);
            }
            Err(e) => {
                stats.failed += 1;
                notices.push(format!("{} `{}`: {e}", s.as_str(), c.full_name()));
            }
        }
    }
    for s in &cfg.sources {
        if *s != Source::Osv && *s != Source::Github && *s != Source::Gitlab {
            facts
                .sources
                .insert(s.as_str().into(), http::redact(cfg.base(s.as_str())));
        }
    }

    // Phase 2: advisories.
    if cfg.sources.contains(&Source::Osv) {
        let base = cfg.base("osv");
        facts.sources.insert("osv".into(), http::redact(base));
        let all: Vec<&Coords> = wanted
            .values()
            .filter(|c| osv_ecosystem(&c.ecosystem))
            .collect();
        let mut ids_of: Vec<(&Coords, BTreeSet<String>)> = Vec::new();
        progress.phase("advisories", all.len().div_ceil(osv::BATCH));
        for chunk in all.chunks(osv::BATCH) {
            let owned: Vec<Coords> = chunk.iter().map(|c| (*c).clone()).collect();
            match osv::query_batch(&client, base, &owned) {
                Ok(ids) => ids_of.extend(chunk.iter().copied().zip(ids)),
                Err(e) => {
                    stats.failed += 1;
                    notices.push(format!("osv: {e}"));
                }
            }
            progress.tick();
        }
        let unique: Vec<String> = ids_of
            .iter()
            .flat_map(|(_, ids)| ids.iter().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        progress.phase("advisory records", unique.len());
        let records = parallel(&unique, cfg.workers, |id| {
            let r = osv::lookup_vuln(&client, base, id);
            progress.tick();
            r
        });
        let mut by_id: BTreeMap<&str, Response> = BTreeMap::new();
        for (id, r) in records {
            match r.and_then(|r| r) {
                Ok(resp) => {
                    by_id.insert(id, resp);
                }
                Err(e) => {
                    stats.failed += 1;
                    notices.push(format!("osv `{id}`: {e}"));
                }
            }
        }
        // A package is recorded (with an empty list when it has no advisory) only when
        // every one of its records was read: a missing key means "not checked".
        'packages: for (c, ids) in ids_of {
            let mut list = Vec::new();
            for id in &ids {
                let Some(resp) = by_id.get(id.as_str()) else {
                    continue 'packages;
                };
                match osv::parse_vuln(resp, c) {
                    Ok(a) => list.push(a),
                    Err(e) => {
                        notices.push(format!("osv `{id}`: {e}"));
                        continue 'packages;
                    }
                }
            }
            list.sort_by(|a, b| a.id.cmp(&b.id));
            stats.advisories += list.len();
            facts.advisories.insert(c.key(), list);
        }
    }

    // Phase 3: forges.
    let mut repos: BTreeSet<String> = BTreeSet::new();
    for pkg in &inv.packages {
        if let Some(k) = pkg.repository.as_deref().and_then(repo_key) {
            repos.insert(k);
        }
    }
    for f in facts.packages.values() {
        if let Some(k) = f.repository.as_ref().and_then(|r| repo_key(&r.value)) {
            repos.insert(k);
        }
    }
    repos.extend(cfg.repositories.iter().filter_map(|r| repo_key(r)));
    let forge_jobs: Vec<(String, Source)> = repos
        .into_iter()
        .filter_map(|k| {
            let s = if k.starts_with("github.com/") {
                Source::Github
            } else {
                Source::Gitlab
            };
            cfg.sources.contains(&s).then_some((k, s))
        })
        .collect();
    for s in [Source::Github, Source::Gitlab] {
        if cfg.sources.contains(&s) && !cfg.base(s.as_str()).is_empty() {
            facts
                .sources
                .insert(s.as_str().into(), http::redact(cfg.base(s.as_str())));
        }
    }
    progress.phase("forges", forge_jobs.len());
    let answers = parallel(&forge_jobs, cfg.workers, |(key, s)| {
        let (host, path) = key.split_once('/').unwrap_or((key.as_str(), ""));
        let r = match s {
            Source::Github => github::lookup(
                &client,
                cfg.base("github"),
                path,
                cfg.github_token.as_deref(),
                cfg.now,
            ),
            _ => {
                let base = match cfg.base("gitlab") {
                    "" => format!("https://{host}"),
                    b => b.to_owned(),
                };
                // The token goes to the GitLab the user configured (or the public one),
                // never to a host an input names.
                let token = cfg.gitlab_token_for(&base);
                gitlab::lookup(&client, &base, path, token, cfg.now)
            }
        };
        progress.tick();
        r
    });
    for ((key, s), answer) in answers {
        match answer.and_then(|r| r) {
            Ok(f) => {
                stats.repositories += 1;
                facts.repositories.insert(key.clone(), f);
            }
            Err(e) => {
                stats.failed += 1;
                notices.push(format!("{} `{key}`: {e}", s.as_str()));
            }
        }
    }

    if let Ok(mut n) = client.notices.lock() {
        notices.append(&mut n);
    }
    let notices = summarise_skipped(notices);
    Ok(Outcome {
        facts,
        notices,
        stats,
    })
}

/// Sorts and de-duplicates notices, and folds the lookups skipped after a host's rate
/// limit into one line per host.
fn summarise_skipped(notices: Vec<String>) -> Vec<String> {
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut out: Vec<String> = Vec::new();
    for n in notices {
        match n.split_once(http::SKIPPED) {
            Some((_, rest)) => *skipped.entry(rest.trim().to_owned()).or_default() += 1,
            None => out.push(n),
        }
    }
    for (what, count) in skipped {
        out.push(format!("{count} lookup(s) not asked: {what}"));
    }
    out.sort();
    out.dedup();
    out
}

fn registry_source(e: &Ecosystem) -> Option<Source> {
    match e {
        Ecosystem::Npm => Some(Source::Npm),
        Ecosystem::Pypi => Some(Source::Pypi),
        Ecosystem::Cargo => Some(Source::Crates),
        Ecosystem::Maven => Some(Source::Maven),
        Ecosystem::Composer => Some(Source::Packagist),
        Ecosystem::Gem => Some(Source::Rubygems),
        Ecosystem::Nuget => Some(Source::Nuget),
        Ecosystem::Golang => Some(Source::Go),
        _ => None,
    }
}

/// Ecosystems OSV indexes by purl.
fn osv_ecosystem(e: &Ecosystem) -> bool {
    matches!(
        e,
        Ecosystem::Npm
            | Ecosystem::Pypi
            | Ecosystem::Cargo
            | Ecosystem::Maven
            | Ecosystem::Golang
            | Ecosystem::Nuget
            | Ecosystem::Gem
            | Ecosystem::Composer
    )
}

/// Runs `f` over `items` on at most `workers` threads. Each result comes back with its
/// own item, in the items' order; a job that panics gives an error for that job (the
/// panic's message), never a missing or shifted result.
fn parallel<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<(&T, std::result::Result<R, String>)> {
    let next = AtomicUsize::new(0);
    let workers = workers.clamp(1, items.len().max(1));
    let run = |item: &T| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(item)))
            .map_err(|p| format!("internal error in this lookup: {}", panic_message(&*p)))
    };
    let done: Mutex<BTreeMap<usize, std::result::Result<R, String>>> = Mutex::default();
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else {
                        break;
                    };
                    let r = run(item);
                    done.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .insert(i, r);
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let r = done
                .remove(&i)
                .unwrap_or_else(|| Err("internal error: the lookup did not finish".to_owned()));
            (item, r)
        })
        .collect()
}

/// The message of a caught panic.
fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_owned())
}

/// A fact read from `resp`.
fn fact<T>(source: Source, resp: &Response, value: T) -> Fact<T> {
    Fact {
        value,
        source: source.as_str().into(),
        url: resp.url.clone(),
        retrieved: resp.retrieved.to_string(),
    }
}

/// The string at `key` of a JSON object.
fn str_at(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The non-empty strings of the array at `key` (a registry's licence list), trimmed.
fn strings_at(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Licences that all apply, as one expression: each one parenthesised, so an entry that
/// is itself an expression (`MIT OR Apache-2.0`) keeps its meaning under `AND`.
fn all_of(licenses: Vec<String>) -> Option<String> {
    match licenses.len() {
        0 => None,
        1 => licenses.into_iter().next(),
        _ => Some(
            licenses
                .iter()
                .map(|l| format!("({l})"))
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    }
}

/// How many of `dates` (RFC 3339) fall in the 183 days before `now`.
fn count_within_6_months(dates: &[String], now: Timestamp) -> u32 {
    let window = SignedDuration::from_hours(183 * 24);
    let n = dates
        .iter()
        .filter_map(|d| d.parse::<Timestamp>().ok())
        .filter(|t| *t <= now && now.duration_since(*t) <= window)
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Mail domains that say nothing about an employer.
const PUBLIC_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "gmx.de",
    "gmx.net",
    "hotmail.com",
    "icloud.com",
    "mailbox.org",
    "outlook.com",
    "posteo.de",
    "proton.me",
    "protonmail.com",
    "t-online.de",
    "web.de",
    "yahoo.com",
];

/// The organisation an e-mail address points to: its domain, unless public or no-reply.
fn organisation_of(email: &str) -> Option<String> {
    let domain = email.rsplit_once('@')?.1.trim().to_ascii_lowercase();
    if domain.is_empty()
        || PUBLIC_MAIL.contains(&domain.as_str())
        || domain.contains("noreply")
        || domain.contains("users.")
    {
        return None;
    }
    Some(domain)
}

/// RFC 3339 time 365 days before `now`, for `since` queries.
fn year_before(now: Timestamp) -> String {
    now.checked_sub(SignedDuration::from_hours(365 * 24))
        .unwrap_or(now)
        .to_string()
}

/// Distinct authors and distinct organisations (by mail domain) among `emails`.
fn active_authors(emails: impl Iterator<Item = String>) -> (u32, u32) {
    let people: BTreeSet<String> = emails.map(|e| e.trim().to_ascii_lowercase()).collect();
    let orgs: BTreeSet<String> = people.iter().filter_map(|e| organisation_of(e)).collect();
    let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
    (n(people.len()), n(orgs.len()))
}

/// Share of the largest of `counts` in their sum.
fn top_share(counts: impl Iterator<Item = u64>) -> Option<f64> {
    let v: Vec<u64> = counts.collect();
    let total: u64 = v.iter().sum();
    let max = v.iter().max()?;
    (total > 0).then(|| (*max as f64 / total as f64 * 1000.0).round() / 1000.0)
}

#[cfg(test)]
mod hostile_net_tests;
#[cfg(test)]
mod net_tests;
#[cfg(test)]
mod test_support;

#[cfg(test)]
mod tests {
    #[test]
    fn licences_that_all_apply_keep_each_expression_whole() {
        assert_eq!(super::all_of(vec![]), None);
        assert_eq!(super::all_of(vec!["MIT".into()]).as_deref(), Some("MIT"));
        assert_eq!(
            super::all_of(vec!["MIT OR Apache-2.0".into(), "BSD-3-Clause".into()]).as_deref(),
            Some("(MIT OR Apache-2.0) AND (BSD-3-Clause)")
        );
    }

    use super::*;

    #[test]
    fn parallel_keeps_order() {
        let items: Vec<u32> = (0..100).collect();
        let out: Vec<(u32, u32)> = parallel(&items, 4, |x| x * 2)
            .into_iter()
            .map(|(i, r)| (*i, r.unwrap()))
            .collect();
        assert_eq!(out, items.iter().map(|x| (*x, x * 2)).collect::<Vec<_>>());
        assert!(parallel(&[] as &[u32], 4, |x| *x).is_empty());
    }

    #[test]
    fn the_gitlab_token_goes_only_to_its_origin() {
        let mut cfg = Config::from_env();
        cfg.gitlab_token = Some("t".into());
        cfg.base_urls.insert("gitlab".into(), String::new());
        assert_eq!(cfg.gitlab_token_for("https://gitlab.com"), Some("t"));
        assert_eq!(cfg.gitlab_token_for("https://gitlab.com:443/"), Some("t"));
        for other in [
            "https://gitlab.evil.example",
            "https://gitlab.com:8443",
            "http://gitlab.com",
            "https://gitlab.com.evil.example",
        ] {
            assert_eq!(cfg.gitlab_token_for(other), None, "{other}");
        }
        cfg.base_urls
            .insert("gitlab".into(), "https://gitlab.opencode.de".into());
        assert_eq!(
            cfg.gitlab_token_for("https://gitlab.opencode.de"),
            Some("t")
        );
        assert_eq!(cfg.gitlab_token_for("https://gitlab.com"), None);
    }

    #[test]
    fn a_panicking_job_fails_only_itself() {
        let items: Vec<u32> = (0..50).collect();
        let out = parallel(&items, 3, |x| {
            assert!(*x != 7, "job seven");
            x * 2
        });
        assert_eq!(out.len(), 50);
        for (item, r) in out {
            match r {
                Ok(v) => assert_eq!(v, item * 2),
                Err(e) => {
                    assert_eq!(*item, 7);
                    assert!(e.contains("job seven"), "{e}");
                }
            }
        }
    }

    #[test]
    fn release_window_and_shares() {
        let now: Timestamp = "2026-07-01T00:00:00Z".parse().unwrap();
        let dates = [
            "2026-06-01T00:00:00Z".to_owned(),
            "2026-01-15T00:00:00Z".to_owned(),
            "2025-06-01T00:00:00Z".to_owned(),
            "2027-01-01T00:00:00Z".to_owned(),
            "garbage".to_owned(),
        ];
        assert_eq!(count_within_6_months(&dates, now), 2);
        assert_eq!(top_share([3u64, 1].into_iter()), Some(0.75));
        assert_eq!(top_share(std::iter::empty()), None);
    }

    #[test]
    fn organisations_from_mail() {
        assert_eq!(
            organisation_of("a@Dataport.de").as_deref(),
            Some("dataport.de")
        );
        assert_eq!(organisation_of("a@gmail.com"), None);
        assert_eq!(organisation_of("1-a@users.noreply.gitlab.com"), None);
        assert_eq!(organisation_of("nomail"), None);
        let (p, o) = active_authors(
            ["a@x.de", "A@x.de", "b@x.de", "c@gmail.com"]
                .into_iter()
                .map(String::from),
        );
        assert_eq!((p, o), (3, 1));
    }

    #[test]
    fn base_url_variables() {
        assert_eq!(base_url_var("crates-download"), "SOVRA_CRATES_DOWNLOAD_URL");
        assert_eq!(base_url_var("npm"), "SOVRA_NPM_URL");
    }
}
