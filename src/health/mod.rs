//! Project health from a local git repository (clone or bare), read with gitoxide: no
//! forge API, no git command. `assess` is the reading step; every signal is defined in
//! `docs/health.md`.
//!
//! Windows are counted back from `now` by committer date (what `git log --since`
//! filters on); authors are the `.mailmap`-resolved author e-mail addresses,
//! lowercased. A shallow clone cannot support history signals: they are `None`
//! ("not assessed"), never estimated.

pub(crate) mod orgs;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use gix::objs::FindExt;

use crate::enrich::{GitHealth, RepoFacts};
use crate::error::{Error, Result};

const DAY: i64 = 86_400;

/// The facts-file entry of `h` (forge `git`): the fields the forge facts share are
/// filled from the history so GOV001, GOV002 and the continuity dimension read them
/// unchanged; the rest is in [`GitHealth`].
pub(crate) fn to_facts(h: &Health, url: &str) -> RepoFacts {
    let a = h.activity.as_ref();
    let r = h.releases.as_ref();
    let files = h.files.clone().unwrap_or_default();
    let files = [
        ("binary-artefacts", files.binary_artefacts),
        ("changelog", files.changelog),
        ("ci", files.ci),
        ("contributing", files.contributing),
        ("dependency-update", files.dependency_update),
        ("license", files.license),
        ("publiccode", files.publiccode),
        ("security-policy", files.security_policy),
    ]
    .into_iter()
    .filter(|_| h.files.is_some())
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    RepoFacts {
        forge: "git".into(),
        archived: None,
        last_commit: h.last_commit.map(rfc3339),
        latest_release: r.and_then(|r| r.latest.as_ref()).map(|(_, d)| rfc3339(*d)),
        releases_last_6_months: None,
        contributors_12m: a.map(|a| a.authors_365d),
        organisations_12m: a.map(|a| len_u32(a.organisations_365d.len())),
        contributors: a.map(|a| a.authors_365d),
        top_contributor_share: a.and_then(|a| a.top_author_share_365d),
        organisations: a
            .map(|a| a.organisation_authors_365d.clone())
            .unwrap_or_default(),
        urls: vec![url.to_owned()],
        retrieved: rfc3339(h.now),
        git: Some(GitHealth {
            head: h.head.clone(),
            shallow: h.shallow,
            commits_90d: a.map(|a| a.commits_90d),
            commits_12m: a.map(|a| a.commits_365d),
            authors_90d: a.map(|a| a.authors_90d),
            weeks_with_commits_12m: a.map(|a| a.weeks_with_commits_365d),
            bus_factor_12m: a.map(|a| a.bus_factor_365d),
            elephant_factor_12m: a.map(|a| a.elephant_factor_365d),
            individuals_12m: a.map(|a| a.individuals_365d),
            signed_commits_12m: a.map(|a| a.signed_commits_365d),
            tags_12m: r.map(|r| r.tags_365d),
            semver_tags_12m: r.map(|r| r.semver_tags_365d),
            signed_tags_12m: r.map(|r| r.signed_tags_365d),
            files,
            organisation_table: orgs::TABLE.version.clone(),
        }),
    }
}

/// RFC 3339 UTC of seconds since the epoch.
pub(crate) fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// Bounds on what one repository may make `assess` read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Commits walked from HEAD.
    pub max_commits: u64,
    /// Tags read.
    pub max_tags: usize,
    /// Entries of the HEAD tree (files and folders, recursively).
    pub max_tree_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_commits: 20_000_000,
            max_tags: 200_000,
            max_tree_entries: 5_000_000,
        }
    }
}

/// The health signals of one repository at one moment.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Health {
    /// The HEAD commit id; `None` for a repository without commits.
    pub head: Option<String>,
    /// The clone is shallow (history-based signals are then not assessed).
    pub shallow: bool,
    /// `now`, seconds since the epoch.
    pub now: i64,
    /// Committer date of the HEAD commit (seconds since the epoch).
    pub last_commit: Option<i64>,
    /// `None` when the history cannot support it (shallow clone).
    pub activity: Option<Activity>,
    /// `None` when the history cannot support it (shallow clone).
    pub releases: Option<Releases>,
    /// Files of the HEAD tree, by signal; `None` for a repository without commits.
    pub files: Option<Files>,
}

/// Commit activity and the spread of authors and organisations.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Activity {
    /// Commits reachable from HEAD.
    pub commits_total: u64,
    pub commits_90d: u32,
    pub commits_365d: u32,
    pub authors_90d: u32,
    pub authors_365d: u32,
    /// Of the 52 seven-day weeks before `now`, those with at least one commit.
    pub weeks_with_commits_365d: u32,
    /// The fewest authors who together made at least half the commits of the last 365
    /// days (0 without commits).
    pub bus_factor_365d: u32,
    /// The same over organisations, each individual counting as one.
    pub elephant_factor_365d: u32,
    /// Share of the commits of the last 365 days made by the most active author.
    pub top_author_share_365d: Option<f64>,
    /// Commits of the last 365 days by named organisation (individuals excluded).
    pub organisations_365d: BTreeMap<String, u32>,
    /// Authors of the last 365 days by named organisation.
    pub organisation_authors_365d: BTreeMap<String, u32>,
    /// Authors of the last 365 days who count as independent individuals.
    pub individuals_365d: u32,
    /// Commits of the last 365 days carrying a signature (`gpgsig` header).
    pub signed_commits_365d: u32,
}

/// Tags as releases.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Releases {
    /// Tags dated up to `now`.
    pub tags_total: u32,
    /// Tags dated within the last 365 days (tagger date, else the commit's).
    pub tags_365d: u32,
    /// Of those, names that are semantic versions (an optional leading `v`).
    pub semver_tags_365d: u32,
    /// Of those, annotated tags carrying a signature.
    pub signed_tags_365d: u32,
    /// The newest tag: name and date.
    pub latest: Option<(String, i64)>,
}

/// Files a maintained project has, by signal, with the paths found.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Files {
    pub license: Vec<String>,
    pub security_policy: Vec<String>,
    pub ci: Vec<String>,
    pub dependency_update: Vec<String>,
    pub contributing: Vec<String>,
    pub changelog: Vec<String>,
    pub publiccode: Vec<String>,
    /// Binary artefacts checked in (the finding lists them; none is the good case).
    pub binary_artefacts: Vec<String>,
}

/// The committer time of the HEAD commit of the repository at `path` (the moment a
/// snapshot shows), or an error when it has none.
pub(crate) fn head_time(path: &Path) -> Result<i64> {
    let fail = |e: &dyn std::fmt::Display| {
        Error::input(path, format!("not a readable git repository (HEAD: {e})"))
    };
    let repo = gix::open(path).map_err(|e| fail(&e))?;
    let commit = repo.head_commit().map_err(|e| fail(&e))?;
    let t = commit.committer().map_err(|e| fail(&e))?.seconds();
    Ok(t)
}

/// Reads the repository at `path` and computes its health at `now` (seconds since the
/// epoch).
pub(crate) fn assess(path: &Path, now: i64, limits: &Limits) -> Result<Health> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        Error::input(path, format!("not a readable git repository ({what}: {e})"))
    };
    let mut repo = gix::open(path).map_err(|e| fail("open", &e))?;
    // The walk decodes each commit for its parents, then `walk` reads it again for its
    // signals: a small cache of decoded objects makes the second read free.
    repo.object_cache_size_if_unset(4 << 20);
    let shallow = repo.is_shallow();
    let head = match repo.head_id() {
        Ok(id) => Some(id.detach()),
        Err(_) if repo.head().map(|h| h.is_unborn()).unwrap_or(false) => None,
        Err(e) => return Err(fail("HEAD", &e)),
    };
    let mut health = Health {
        head: head.map(|h| h.to_string()),
        shallow,
        now,
        last_commit: None,
        activity: None,
        releases: None,
        files: None,
    };
    let Some(head) = head else {
        health.activity = (!shallow).then(Activity::default);
        health.releases = (!shallow).then(Releases::default);
        return Ok(health);
    };
    let head_commit = repo
        .find_commit(head)
        .map_err(|e| fail("HEAD commit", &e))?;
    health.files = Some(files(&head_commit, limits).map_err(|e| fail("HEAD tree", &e))?);
    let (last_commit, activity) = walk(&repo, head, now, limits, path)?;
    health.last_commit = last_commit;
    if !shallow {
        health.activity = Some(activity);
        health.releases = Some(releases(&repo, now, limits, path)?);
    }
    Ok(health)
}

/// Walks the history from `head` once: the newest commit date up to `now`, and the
/// activity (meaningful only for a full history).
fn walk(
    repo: &gix::Repository,
    head: gix::ObjectId,
    now: i64,
    limits: &Limits,
    path: &Path,
) -> Result<(Option<i64>, Activity)> {
    let fail =
        |e: &dyn std::fmt::Display| Error::input(path, format!("not a readable git history: {e}"));
    let mailmap = repo.open_mailmap();
    let since_90 = now - 90 * DAY;
    let since_365 = now - 365 * DAY;
    let mut a = Activity::default();
    let mut by_author: HashMap<String, u32> = HashMap::new();
    let mut authors_90: HashSet<String> = HashSet::new();
    let mut weeks = [false; 52];
    let mut last = None;
    let walk = repo.rev_walk([head]).all().map_err(|e| fail(&e))?;
    let mut buf = Vec::new();
    for info in walk {
        let info = info.map_err(|e| fail(&e))?;
        a.commits_total += 1;
        if a.commits_total > limits.max_commits {
            return Err(Error::input(
                path,
                format!(
                    "history has more than {} commits (the limit; raise it with `--max-commits`)",
                    limits.max_commits
                ),
            ));
        }
        let data = repo
            .objects
            .find_commit(&info.id, &mut buf)
            .map_err(|e| fail(&e))?;
        let committed = data.committer().map_err(|e| fail(&e))?.seconds();
        if committed > now {
            // After the moment assessed: not part of the history as of `now`.
            continue;
        }
        if last.is_none_or(|l| committed > l) {
            last = Some(committed);
        }
        if committed < since_365 {
            continue;
        }
        let author = data.author().map_err(|e| fail(&e))?;
        let email = mailmap
            .try_resolve_ref(author)
            .and_then(|r| r.email)
            .unwrap_or(author.email)
            .to_string()
            .trim()
            .to_ascii_lowercase();
        a.commits_365d += 1;
        if data.extra_headers().find("gpgsig").is_some()
            || data.extra_headers().find("gpgsig-sha256").is_some()
        {
            a.signed_commits_365d += 1;
        }
        if let Ok(w) = usize::try_from((now - committed).max(0) / (7 * DAY))
            && let Some(slot) = weeks.get_mut(w)
        {
            *slot = true;
        }
        if committed >= since_90 {
            a.commits_90d += 1;
            authors_90.insert(email.clone());
        }
        *by_author.entry(email).or_default() += 1;
    }
    a.authors_90d = len_u32(authors_90.len());
    a.authors_365d = len_u32(by_author.len());
    a.weeks_with_commits_365d = len_u32(weeks.iter().filter(|w| **w).count());
    a.bus_factor_365d = half_cover(by_author.values().copied(), a.commits_365d);
    a.top_author_share_365d = by_author
        .values()
        .max()
        .map(|m| f64::from(*m) / f64::from(a.commits_365d));
    let mut by_org: BTreeMap<orgs::Org, u32> = BTreeMap::new();
    for (email, n) in &by_author {
        let org = orgs::TABLE.of(email);
        if let orgs::Org::Named(name) = &org {
            *a.organisation_authors_365d.entry(name.clone()).or_default() += 1;
        }
        *by_org.entry(org).or_default() += n;
    }
    a.elephant_factor_365d = half_cover(by_org.values().copied(), a.commits_365d);
    for (org, n) in by_org {
        match org {
            orgs::Org::Named(name) => {
                a.organisations_365d.insert(name, n);
            }
            orgs::Org::Individual(_) => a.individuals_365d += 1,
        }
    }
    Ok((last, a))
}

/// The fewest of `counts` (largest first) whose sum is at least half of `total`.
fn half_cover(counts: impl Iterator<Item = u32>, total: u32) -> u32 {
    let mut counts: Vec<u32> = counts.collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let mut sum = 0u64;
    let mut n = 0;
    for c in counts {
        if 2 * sum >= u64::from(total) {
            break;
        }
        sum += u64::from(c);
        n += 1;
    }
    n
}

fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn releases(repo: &gix::Repository, now: i64, limits: &Limits, path: &Path) -> Result<Releases> {
    let fail = |e: &dyn std::fmt::Display| Error::input(path, format!("unreadable tags: {e}"));
    let refs = repo.references().map_err(|e| fail(&e))?;
    let since_365 = now - 365 * DAY;
    let mut r = Releases::default();
    let mut buf = Vec::new();
    let mut read = 0usize;
    for reference in refs.tags().map_err(|e| fail(&e))? {
        let reference = reference.map_err(|e| fail(&e))?;
        read += 1;
        if read > limits.max_tags {
            return Err(Error::input(
                path,
                format!("more than {} tags (the limit)", limits.max_tags),
            ));
        }
        let name = reference.name().shorten().to_string();
        let Some(mut id) = reference.target().try_id().map(ToOwned::to_owned) else {
            continue;
        };
        // Follow annotated tags to what they tag; the outermost tag dates and signs.
        let mut date = None;
        let mut signed = false;
        let mut first = true;
        let mut depth = 0;
        loop {
            depth += 1;
            if depth > 16 {
                break;
            }
            let obj = repo.find_object(id).map_err(|e| fail(&e))?;
            match obj.kind {
                gix::object::Kind::Tag => {
                    let tag = obj.into_tag();
                    let decoded = tag.decode().map_err(|e| fail(&e))?;
                    if first {
                        signed = decoded.signature.is_some();
                        date = decoded.tagger().ok().flatten().map(|t| t.seconds());
                    }
                    first = false;
                    id = decoded.target();
                }
                gix::object::Kind::Commit => {
                    if date.is_none() {
                        let c = repo
                            .objects
                            .find_commit(&id, &mut buf)
                            .map_err(|e| fail(&e))?;
                        date = Some(c.committer().map_err(|e| fail(&e))?.seconds());
                    }
                    break;
                }
                _ => break,
            }
        }
        let Some(date) = date.filter(|d| *d <= now) else {
            continue;
        };
        r.tags_total += 1;
        if r.latest
            .as_ref()
            .is_none_or(|(n, d)| (date, &name) > (*d, n))
        {
            r.latest = Some((name.clone(), date));
        }
        if date >= since_365 {
            r.tags_365d += 1;
            if is_semver(&name) {
                r.semver_tags_365d += 1;
            }
            if signed {
                r.signed_tags_365d += 1;
            }
        }
    }
    Ok(r)
}

/// `1.2.3` or `v1.2.3`, with optional pre-release and build parts (SemVer 2.0.0).
pub(crate) fn is_semver(name: &str) -> bool {
    let v = name.strip_prefix('v').unwrap_or(name);
    semver::Version::parse(v).is_ok()
}

/// Extensions the OpenSSF Scorecard "Binary-Artifacts" check reports.
const BINARY_EXTENSIONS: &[&str] = &[
    "a", "bundle", "class", "crx", "deb", "dex", "dey", "dll", "drv", "dylib", "efi", "elf", "exe",
    "iso", "jar", "lib", "macho", "msi", "o", "ocx", "par", "pyc", "pyo", "rpm", "so", "war",
    "wasm", "whl",
];

fn files(head: &gix::Commit<'_>, limits: &Limits) -> std::result::Result<Files, String> {
    let tree = head.tree().map_err(|e| e.to_string())?;
    let mut rec = gix::traverse::tree::Recorder::default();
    tree.traverse()
        .breadthfirst(&mut rec)
        .map_err(|e| e.to_string())?;
    if rec.records.len() > limits.max_tree_entries {
        return Err(format!(
            "more than {} entries in the HEAD tree (the limit)",
            limits.max_tree_entries
        ));
    }
    let mut f = Files::default();
    for e in &rec.records {
        if !(e.mode.is_blob() || e.mode.is_link()) {
            if e.mode.is_tree() && (e.filepath == "LICENSES") {
                f.license.push(e.filepath.to_string());
            }
            continue;
        }
        let p = e.filepath.to_string();
        classify(&p, &mut f);
    }
    for v in [
        &mut f.license,
        &mut f.security_policy,
        &mut f.ci,
        &mut f.dependency_update,
        &mut f.contributing,
        &mut f.changelog,
        &mut f.publiccode,
        &mut f.binary_artefacts,
    ] {
        v.sort();
    }
    Ok(f)
}

fn classify(p: &str, f: &mut Files) {
    let (dir, file) = p.rsplit_once('/').unwrap_or(("", p));
    let upper = file.to_ascii_uppercase();
    let stem = upper.split('.').next().unwrap_or("");
    let top = dir.is_empty();
    let doc_dir = top || dir == ".github" || dir == "docs" || dir == ".gitlab" || dir == "doc";
    if top && matches!(stem, "LICENSE" | "LICENCE" | "COPYING") {
        f.license.push(p.to_owned());
    }
    if (doc_dir && matches!(upper.as_str(), "SECURITY.MD" | "SECURITY.RST" | "SECURITY"))
        || file == "security.txt"
    {
        f.security_policy.push(p.to_owned());
    }
    let yaml = file.ends_with(".yml") || file.ends_with(".yaml");
    let ci = matches!(
        p,
        ".gitlab-ci.yml"
            | ".travis.yml"
            | ".drone.yml"
            | ".woodpecker.yml"
            | ".cirrus.yml"
            | "azure-pipelines.yml"
            | "Jenkinsfile"
            | "bitbucket-pipelines.yml"
            | ".circleci/config.yml"
    ) || (yaml
        && matches!(
            dir,
            ".github/workflows" | ".forgejo/workflows" | ".gitea/workflows" | ".woodpecker"
        ));
    if ci {
        f.ci.push(p.to_owned());
    }
    if matches!(
        p,
        ".github/dependabot.yml"
            | ".github/dependabot.yaml"
            | "renovate.json"
            | "renovate.json5"
            | ".renovaterc"
            | ".renovaterc.json"
            | ".renovaterc.json5"
            | ".github/renovate.json"
            | ".github/renovate.json5"
            | ".gitlab/renovate.json"
            | ".gitlab/renovate.json5"
    ) {
        f.dependency_update.push(p.to_owned());
    }
    if doc_dir && stem == "CONTRIBUTING" {
        f.contributing.push(p.to_owned());
    }
    if top
        && matches!(
            stem,
            "CHANGELOG" | "CHANGES" | "HISTORY" | "NEWS" | "RELEASES"
        )
    {
        f.changelog.push(p.to_owned());
    }
    if top && (file == "publiccode.yml" || file == "publiccode.yaml") {
        f.publiccode.push(p.to_owned());
    }
    if let Some((_, ext)) = file.rsplit_once('.')
        && BINARY_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
    {
        f.binary_artefacts.push(p.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_cover_counts_the_fewest_authors() {
        assert_eq!(half_cover([].into_iter(), 0), 0);
        assert_eq!(half_cover([10].into_iter(), 10), 1);
        assert_eq!(half_cover([5, 5].into_iter(), 10), 1);
        assert_eq!(half_cover([4, 3, 3].into_iter(), 10), 2);
        assert_eq!(half_cover([1, 1, 1, 1].into_iter(), 4), 2);
        assert_eq!(half_cover([1, 1, 1, 1, 1].into_iter(), 5), 3);
    }

    #[test]
    fn files_are_classified() {
        let mut f = Files::default();
        for p in [
            "LICENSE",
            "COPYING.LESSER",
            "src/LICENSE",
            ".github/SECURITY.md",
            ".well-known/security.txt",
            ".github/workflows/ci.yml",
            ".gitlab-ci.yml",
            ".github/dependabot.yml",
            "renovate.json",
            "CONTRIBUTING.md",
            "CHANGELOG.md",
            "publiccode.yml",
            "lib/x.jar",
            "a.SO",
            "README.md",
        ] {
            classify(p, &mut f);
        }
        assert_eq!(f.license, ["LICENSE", "COPYING.LESSER"]);
        assert_eq!(
            f.security_policy,
            [".github/SECURITY.md", ".well-known/security.txt"]
        );
        assert_eq!(f.ci, [".github/workflows/ci.yml", ".gitlab-ci.yml"]);
        assert_eq!(
            f.dependency_update,
            [".github/dependabot.yml", "renovate.json"]
        );
        assert_eq!(f.contributing, ["CONTRIBUTING.md"]);
        assert_eq!(f.changelog, ["CHANGELOG.md"]);
        assert_eq!(f.publiccode, ["publiccode.yml"]);
        assert_eq!(f.binary_artefacts, ["lib/x.jar", "a.SO"]);
    }

    #[test]
    fn semver_tags() {
        assert!(is_semver("v1.2.3"));
        assert!(is_semver("1.0.0-rc.1"));
        assert!(!is_semver("v1.2"));
        assert!(!is_semver("release-2024"));
    }
}
