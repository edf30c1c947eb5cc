//! The facts file (`facts.json`): every fact `sovra enrich` fetched, pinned with its
//! source, URL and retrieval time, so that `check`, `score` and `report` can use it later
//! with no network and give the same output for the same file.
//!
//! The types here are the file format (documented in `docs/facts-json.md`); they are
//! serialisable on purpose. Maps are `BTreeMap`s and vectors are sorted before writing,
//! so the same facts always serialise to the same bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::coords;
use crate::error::{Error, Result};
use crate::model::{FactField, Inventory, Package, PkgIdx};

/// The format version this build reads and writes.
pub(crate) const FACTS_VERSION: u32 = 1;

/// One fetched value with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Fact<T> {
    pub value: T,
    /// The source that answered (`npm`, `pypi`, `crates`, `maven`, `osv`, `github`, `gitlab`).
    pub source: String,
    /// The URL the value was read from (never carries a token).
    pub url: String,
    /// When the response was retrieved (RFC 3339, UTC).
    pub retrieved: String,
}

/// Registry facts about one package version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PackageFacts {
    /// The licence as the registry states it (raw; interpreted like any input licence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<Fact<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<Fact<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<Fact<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<Fact<String>>,
    /// When this version was published (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Fact<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yanked: Option<Fact<bool>>,
    /// The registry's deprecation message for this version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Fact<String>>,
    /// Accounts allowed to publish the package, sorted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintainers: Option<Fact<Vec<String>>>,
}

/// Severity of an advisory, from the OSV record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    /// The record states no severity sovra can read.
    Unknown,
    Low,
    Moderate,
    High,
    Critical,
}

impl Severity {
    /// Parses `low`, `moderate`/`medium`, `high`, `critical` (any case).
    pub(crate) fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Some(Severity::Low),
            "moderate" | "medium" => Some(Severity::Moderate),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            "unknown" => Some(Severity::Unknown),
            _ => None,
        }
    }

    /// The qualitative rating of a CVSS base score (CVSS v3.1 table).
    pub(crate) fn from_score(score: f64) -> Severity {
        if score >= 9.0 {
            Severity::Critical
        } else if score >= 7.0 {
            Severity::High
        } else if score >= 4.0 {
            Severity::Moderate
        } else if score > 0.0 {
            Severity::Low
        } else {
            Severity::Unknown
        }
    }
}

/// A known vulnerability affecting one package version (OSV).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Advisory {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub severity: Severity,
    /// The CVSS vector the severity was computed from, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss: Option<String>,
    /// Versions that fix it, as the record lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<String>,
    pub url: String,
    pub retrieved: String,
}

/// Continuity facts about one source repository, from its forge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RepoFacts {
    /// `github` or `gitlab`.
    pub forge: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
    /// Time of the last commit on the default branch (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_commit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_release: Option<String>,
    /// Releases published in the six months before retrieval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub releases_last_6_months: Option<u32>,
    /// Distinct commit authors in the year before retrieval (from the latest 100
    /// commits of that year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contributors_12m: Option<u32>,
    /// Distinct organisations (mail domains, public providers and no-reply addresses
    /// excluded) among those authors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisations_12m: Option<u32>,
    /// Contributors the forge lists (first page, at most 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contributors: Option<u32>,
    /// Share of commits of the most active contributor, 0–1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_contributor_share: Option<f64>,
    /// Organisations of the leading contributors (GitHub `company`, GitLab e-mail
    /// domain) with the number of those contributors in each.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub organisations: BTreeMap<String, u32>,
    /// The URLs these facts were read from.
    pub urls: Vec<String>,
    pub retrieved: String,
    /// Signals computed from the repository's git history by `sovra health` (forge
    /// `git`); absent for forge facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<GitHealth>,
}

/// The git-history signals of one repository (`sovra health`, `docs/health.md`). A
/// `None` count is "not assessed" (a shallow clone cannot support it), never zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GitHealth {
    /// The commit assessed (HEAD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    pub shallow: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commits_90d: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commits_12m: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authors_90d: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weeks_with_commits_12m: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bus_factor_12m: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elephant_factor_12m: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub individuals_12m: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_commits_12m: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags_12m: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semver_tags_12m: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_tags_12m: Option<u32>,
    /// Paths found in the HEAD tree by file signal (`license`, `security-policy`, `ci`,
    /// `dependency-update`, `contributing`, `changelog`, `publiccode`,
    /// `binary-artefacts`); a signal with no path is listed empty.
    #[serde(default)]
    pub files: BTreeMap<String, Vec<String>>,
    /// Version of the organisation table (`rules/health/organisations.toml`) used.
    pub organisation_table: String,
}

/// A whole facts file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Facts {
    /// Always `"sovra-facts"`.
    pub format: String,
    pub version: u32,
    /// When the enrichment ran (RFC 3339, UTC).
    pub generated: String,
    /// Base URL of every source asked, by source name.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    /// Registry facts by package key (`ecosystem:name@version`).
    #[serde(default)]
    pub packages: BTreeMap<String, PackageFacts>,
    /// Advisories by package key, sorted by id; an empty list means the package was
    /// checked and has none, a missing key that it was not checked.
    #[serde(default)]
    pub advisories: BTreeMap<String, Vec<Advisory>>,
    /// Forge facts by repository key (`github.com/owner/name`).
    #[serde(default)]
    pub repositories: BTreeMap<String, RepoFacts>,
}

/// Where a facts file came from, for the report's evidence section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FactsEvidence {
    pub path: PathBuf,
    pub sha256: String,
    pub generated: String,
    /// The oldest retrieval time of any fact in the file.
    pub oldest: Option<String>,
}

impl FactsEvidence {
    /// Whole days between `generated` and `now`; `None` when `generated` is unreadable.
    /// Reports that must stay byte-identical print `generated` instead.
    pub(crate) fn age_days(&self, now: jiff::Timestamp) -> Option<i64> {
        let g: jiff::Timestamp = self.generated.parse().ok()?;
        Some(now.duration_since(g).as_secs() / 86_400)
    }
}

/// The forge evidence of one package for the score's "continuity and community health"
/// dimension (maps one to one onto the score's evidence struct).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ContinuityEvidence {
    /// Distinct commit authors in the year before retrieval.
    pub contributors_12m: Option<u32>,
    /// Distinct organisations among them.
    pub contributor_orgs_12m: Option<u32>,
    /// Days from the latest forge release to `today`.
    pub days_since_release: Option<u32>,
    /// Where the facts were read, and when: `github.com/o/r @ 2026-11-01`.
    pub source: String,
}

/// What a facts file contributes to one assessment (`score`, `report`).
#[derive(Debug, Clone)]
pub(crate) struct Enrichment {
    pub facts: Facts,
    pub evidence: FactsEvidence,
    /// Continuity evidence by package id and by component name (the keys of the
    /// score's forge evidence map).
    pub continuity: BTreeMap<String, ContinuityEvidence>,
    #[cfg_attr(not(test), allow(dead_code))] // for tests only
    pub applied: Applied,
}

/// What [`Facts::apply`] filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Applied {
    pub licenses: usize,
    pub suppliers: usize,
    pub repositories: usize,
}

impl Facts {
    pub(crate) fn new(generated: String) -> Self {
        Facts {
            format: "sovra-facts".into(),
            version: FACTS_VERSION,
            generated,
            ..Facts::default()
        }
    }

    /// Reads and validates a facts file.
    pub(crate) fn load(path: &Path) -> Result<(Facts, FactsEvidence)> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let facts = Facts::parse(path, &bytes)?;
        let sha256 = crate::digest::sha256_hex(&bytes);
        let evidence = FactsEvidence {
            path: path.to_owned(),
            sha256,
            generated: facts.generated.clone(),
            oldest: facts.oldest_retrieval(),
        };
        Ok((facts, evidence))
    }

    /// Reads the facts file at `path`, applies it to `inventory` and gathers the
    /// continuity evidence of its packages and of the candidate's components, given as
    /// `(component name, repository URL)`.
    pub(crate) fn load_for_assessment(
        path: &Path,
        inventory: &mut Inventory,
        components: &[(String, String)],
        today: jiff::civil::Date,
    ) -> Result<Enrichment> {
        let (facts, evidence) = Facts::load(path)?;
        let applied = facts.apply(inventory);
        let mut continuity = facts.continuity_by_package_id(inventory, today);
        for (name, url) in components {
            let local = || {
                let key = local_key(name);
                let r = facts.repositories.get(&key)?;
                Some(continuity_of(&key, r, today))
            };
            if let Some(c) = facts.continuity_of_repository(url, today).or_else(local) {
                continuity.insert(name.clone(), c);
            }
        }
        Ok(Enrichment {
            facts,
            evidence,
            continuity,
            applied,
        })
    }

    /// Parses facts-file bytes read from `path` (used in messages only).
    pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<Facts> {
        let facts: Facts = serde_json::from_slice(bytes).map_err(|e| Error::json(path, &e))?;
        if facts.format != "sovra-facts" {
            return Err(Error::input(
                path,
                format!("not a sovra facts file (`format` is `{}`)", facts.format),
            ));
        }
        if facts.version != FACTS_VERSION {
            return Err(Error::input(
                path,
                format!(
                    "facts file version {} is not supported (this build reads {FACTS_VERSION})",
                    facts.version
                ),
            ));
        }
        Ok(facts)
    }

    /// The file's text: pretty JSON with a final newline.
    pub(crate) fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    fn oldest_retrieval(&self) -> Option<String> {
        let p = self.packages.values().flat_map(|f| {
            [
                f.license.as_ref().map(|x| &x.retrieved),
                f.supplier.as_ref().map(|x| &x.retrieved),
                f.repository.as_ref().map(|x| &x.retrieved),
                f.published.as_ref().map(|x| &x.retrieved),
            ]
            .into_iter()
            .flatten()
        });
        let a = self.advisories.values().flatten().map(|a| &a.retrieved);
        let r = self.repositories.values().map(|r| &r.retrieved);
        // RFC 3339 UTC timestamps order as strings.
        p.chain(a).chain(r).min().cloned()
    }

    /// Registry facts of `pkg`.
    pub(crate) fn package(&self, pkg: &Package) -> Option<&PackageFacts> {
        self.packages.get(&coords::of(pkg)?.key())
    }

    /// Advisories affecting `pkg`, sorted by id; `None` when it was not checked.
    pub(crate) fn advisories(&self, pkg: &Package) -> Option<&[Advisory]> {
        coords::of(pkg)
            .and_then(|c| self.advisories.get(&c.key()))
            .map(Vec::as_slice)
    }

    /// Forge facts of `pkg`'s repository (its own, or the one the registry names).
    pub(crate) fn repository(&self, pkg: &Package) -> Option<(&str, &RepoFacts)> {
        let from_pkg = pkg.repository.as_deref().and_then(repo_key);
        let from_facts = self
            .package(pkg)
            .and_then(|f| f.repository.as_ref())
            .and_then(|r| repo_key(&r.value));
        let key = from_pkg.or(from_facts);
        let key = match key {
            Some(k) if self.repositories.contains_key(&k) => k,
            _ => {
                let any = |u: &str| source_key(u).filter(|k| self.repositories.contains_key(k));
                pkg.repository.as_deref().and_then(any).or_else(|| {
                    self.package(pkg)
                        .and_then(|f| f.repository.as_ref())
                        .and_then(|r| any(&r.value))
                })?
            }
        };
        self.repositories
            .get_key_value(&key)
            .map(|(k, v)| (k.as_str(), v))
    }

    /// Continuity evidence of `pkg` from its repository's forge facts, `None` when there
    /// are none (the dimension is then "not assessed" for it).
    pub(crate) fn continuity(
        &self,
        pkg: &Package,
        today: jiff::civil::Date,
    ) -> Option<ContinuityEvidence> {
        let (key, r) = self.repository(pkg)?;
        Some(continuity_of(key, r, today))
    }

    /// Continuity evidence of a repository URL (a candidate component's), `None` when
    /// the facts file has no forge facts for it.
    pub(crate) fn continuity_of_repository(
        &self,
        url: &str,
        today: jiff::civil::Date,
    ) -> Option<ContinuityEvidence> {
        let key = source_key(url)?;
        let r = self.repositories.get(&key)?;
        Some(continuity_of(&key, r, today))
    }

    /// Continuity evidence of every package that has forge facts, by package id (the
    /// key the score's evidence map uses).
    pub(crate) fn continuity_by_package_id(
        &self,
        inv: &Inventory,
        today: jiff::civil::Date,
    ) -> BTreeMap<String, ContinuityEvidence> {
        inv.packages
            .iter()
            .filter_map(|p| Some((p.id.0.clone(), self.continuity(p, today)?)))
            .collect()
    }

    /// Fills licence, supplier and repository where a package has none, recording each
    /// filled field in [`Inventory::from_facts`]. Values the inputs state are never
    /// replaced.
    pub(crate) fn apply(&self, inv: &mut Inventory) -> Applied {
        let mut applied = Applied::default();
        let mut filled = Vec::new();
        for (i, pkg) in inv.packages.iter_mut().enumerate() {
            let idx = PkgIdx(u32::try_from(i).unwrap_or(u32::MAX));
            let Some(f) = coords::of(pkg).and_then(|c| self.packages.get(&c.key())) else {
                continue;
            };
            if let Some(l) = &f.license
                && pkg.declared.is_empty()
                && pkg.concluded.is_empty()
                && pkg.license_file.is_none()
            {
                pkg.declared.push(l.value.clone());
                filled.push((idx, FactField::License));
                applied.licenses += 1;
            }
            if let Some(s) = &f.supplier
                && pkg.supplier.is_none()
            {
                pkg.supplier = Some(s.value.clone());
                filled.push((idx, FactField::Supplier));
                applied.suppliers += 1;
            }
            if let Some(r) = &f.repository
                && pkg.repository.is_none()
            {
                pkg.repository = Some(r.value.clone());
                filled.push((idx, FactField::Repository));
                applied.repositories += 1;
            }
        }
        inv.from_facts.extend(filled);
        applied
    }
}

fn continuity_of(key: &str, r: &RepoFacts, today: jiff::civil::Date) -> ContinuityEvidence {
    let days_since_release = r.latest_release.as_deref().and_then(|t| {
        let date = t
            .parse::<jiff::Timestamp>()
            .ok()?
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        u32::try_from((today - date).get_days()).ok()
    });
    ContinuityEvidence {
        contributors_12m: r.contributors_12m,
        contributor_orgs_12m: r.organisations_12m,
        days_since_release,
        source: format!("{key} @ {}", r.retrieved.get(..10).unwrap_or(&r.retrieved)),
    }
}

/// The key `sovra health` writes for a candidate component whose clone has no
/// repository URL (`git = "path"` without `repository`).
pub(crate) fn local_key(component: &str) -> String {
    format!("local/{component}")
}

/// The repository key of any repository URL: [`repo_key`] for GitHub and GitLab, else
/// `host/path` (scheme, user, `.git` and a trailing `/` dropped, host lowercased), the
/// key `sovra health` writes for other forges.
pub(crate) fn source_key(url: &str) -> Option<String> {
    if let Some(k) = repo_key(url) {
        return Some(k);
    }
    let mut u = url.trim();
    for p in ["git+", "ssh://", "git://", "https://", "http://"] {
        u = u.strip_prefix(p).unwrap_or(u);
    }
    let u = u.split(['#', '?']).next()?;
    let (host, path) = match u.split_once('/') {
        // `git@host:path` (scp-like) has a colon before any slash.
        Some((h, _)) if h.contains(':') && !u.contains("://") => u.split_once(':')?,
        Some(hp) => hp,
        None => u.split_once(':')?,
    };
    let host = host.rsplit('@').next()?.to_ascii_lowercase();
    let path = path.trim_matches('/').trim_end_matches(".git");
    if !host.contains('.') || path.is_empty() {
        return None;
    }
    Some(format!("{host}/{path}"))
}

/// `host/owner/name` of a GitHub or GitLab repository URL in any of the usual
/// spellings (`git+https://…`, `git@host:owner/name.git`, `github:owner/name`), or
/// `None` for other URLs. Host and path segments keep to the characters the forges
/// allow (letters, digits, `.`, `-`, `_`; no `.` or `..` segment, no percent-encoding),
/// so a key can never leave the API's path prefix when it is put into a URL.
pub(crate) fn repo_key(url: &str) -> Option<String> {
    let mut u = url.trim();
    if let Some(rest) = u.strip_prefix("github:") {
        return repo_key(&format!("https://github.com/{rest}"));
    }
    for p in ["git+", "git://", "ssh://", "https://", "http://", "git@"] {
        u = u.strip_prefix(p).unwrap_or(u);
    }
    for p in ["https://", "http://", "git@"] {
        u = u.strip_prefix(p).unwrap_or(u);
    }
    let u = u.split(['#', '?']).next()?;
    let u = u.replacen(".com:", ".com/", 1);
    let (host, path) = u.split_once('/')?;
    let host = host.rsplit('@').next()?.to_ascii_lowercase();
    if !(host == "github.com" || host.starts_with("gitlab.")) {
        return None;
    }
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let take = if host == "github.com" {
        2
    } else {
        // GitLab groups nest; stop at GitLab's `/-/` separator.
        segs.iter().position(|s| *s == "-").unwrap_or(segs.len())
    };
    if take < 2 || segs.len() < 2 {
        return None;
    }
    let mut parts: Vec<String> = segs[..take.min(segs.len())]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".git").to_owned();
    }
    let plain = |s: &str, extra: &[u8]| {
        !s.is_empty()
            && !s.bytes().all(|b| b == b'.')
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b) || extra.contains(&b))
    };
    if !plain(&host, b":") || !parts.iter().all(|p| plain(p, b"")) {
        return None;
    }
    let path = parts.join("/");
    let path = if host == "github.com" {
        path.to_ascii_lowercase()
    } else {
        path
    };
    Some(format!("{host}/{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_keys() {
        for (url, key) in [
            (
                "git+https://github.com/fastify/fastify.git",
                "github.com/fastify/fastify",
            ),
            ("git@github.com:Foo/Bar.git", "github.com/foo/bar"),
            ("github:foo/bar", "github.com/foo/bar"),
            (
                "https://github.com/a/b/tree/main/packages/c",
                "github.com/a/b",
            ),
            (
                "https://gitlab.com/group/sub/proj/-/tree/main",
                "gitlab.com/group/sub/proj",
            ),
            (
                "https://gitlab.opencode.de/x/y.git",
                "gitlab.opencode.de/x/y",
            ),
        ] {
            assert_eq!(repo_key(url).as_deref(), Some(key), "{url}");
        }
        assert_eq!(repo_key("https://example.org/a/b"), None);
        assert_eq!(
            source_key("https://Codeberg.org/forgejo/forgejo.git").as_deref(),
            Some("codeberg.org/forgejo/forgejo")
        );
        assert_eq!(
            source_key("git@git.example.org:team/app.git").as_deref(),
            Some("git.example.org/team/app")
        );
        assert_eq!(
            source_key("https://github.com/A/B").as_deref(),
            Some("github.com/a/b")
        );
        assert_eq!(source_key("/srv/repo"), None);
        assert_eq!(repo_key("https://github.com/only"), None);
        for hostile in [
            "https://gitlab.com/a/../../../users",
            "https://gitlab.com/a/%2e%2e/b",
            "https://gitlab.com/a%2Fb/c",
            "https://github.com/a/..",
            "https://github.com/a%5C..%5C/b",
            "https://gitlab.x\\y/a/b",
        ] {
            assert_eq!(repo_key(hostile), None, "{hostile}");
        }
    }
}
