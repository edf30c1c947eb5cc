//! `sovra health`: repositories with known histories, built with the git command
//! (authors, dates, tags, signatures, a merge, `.mailmap`, a shallow and a bare clone),
//! every signal asserted exactly; and agreement with `git log` / `git shortlog` on
//! sovra's own repository.

#![allow(clippy::unwrap_used)] // test scaffolding: a failed setup is a failed test

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support;

const DAY: i64 = 86_400;
/// The moment assessed: 2026-12-01T00:00:00Z.
const NOW: i64 = 1_796_083_200;
const NOW_RFC: &str = "2026-12-01T00:00:00Z";

/// The git command, or `None` when it is absent (a failure under `CI`).
fn git_available() -> bool {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok || std::env::var_os("CI").is_none(),
        "the git command is required for the health tests under CI"
    );
    ok
}

fn git(dir: &Path, args: &[&str]) -> String {
    git_env(dir, args, &[], None)
}

fn git_env(dir: &Path, args: &[&str], env: &[(&str, String)], stdin: Option<&str>) -> String {
    use std::io::Write;
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// A commit by `who` (`Name <mail>`) `days` before `NOW` (negative: after it).
fn commit(dir: &Path, who: &str, days: i64, file: Option<(&str, &str)>) -> String {
    let (name, mail) = who.split_once(" <").unwrap();
    let mail = mail.trim_end_matches('>');
    let date = format!("@{} +0000", NOW - days * DAY);
    if let Some((path, text)) = file {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        git(dir, &["add", path]);
    }
    let env = [
        ("GIT_AUTHOR_NAME", name.to_owned()),
        ("GIT_AUTHOR_EMAIL", mail.to_owned()),
        ("GIT_AUTHOR_DATE", date.clone()),
        ("GIT_COMMITTER_NAME", name.to_owned()),
        ("GIT_COMMITTER_EMAIL", mail.to_owned()),
        ("GIT_COMMITTER_DATE", date),
    ];
    git_env(
        dir,
        &[
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            &format!("change {days}"),
        ],
        &env,
        None,
    );
    git(dir, &["rev-parse", "HEAD"])
}

const SIG: &str = "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEEfixture\n=abcd\n-----END PGP SIGNATURE-----\n";

/// A commit carrying a (fixture, unverifiable) signature header on top of HEAD.
fn signed_commit(dir: &Path, who: &str, days: i64) -> String {
    let tree = git(dir, &["rev-parse", "HEAD^{tree}"]);
    let parent = git(dir, &["rev-parse", "HEAD"]);
    let ts = NOW - days * DAY;
    let sig: String = SIG
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.to_owned()
            } else {
                format!("\n {l}")
            }
        })
        .collect();
    let raw = format!(
        "tree {tree}\nparent {parent}\nauthor {who} {ts} +0000\ncommitter {who} {ts} +0000\ngpgsig {sig}\n\nsigned change\n"
    );
    let id = git_env(
        dir,
        &["hash-object", "-t", "commit", "-w", "--stdin"],
        &[],
        Some(&raw),
    );
    git(dir, &["reset", "-q", "--hard", &id]);
    id
}

/// An annotated tag dated `days` before `NOW`, signed when `signed`.
fn annotated_tag(dir: &Path, name: &str, target: &str, days: i64, signed: bool) {
    let ts = NOW - days * DAY;
    let mut raw = format!(
        "object {target}\ntype commit\ntag {name}\ntagger Alice <alice@example.org> {ts} +0000\n\nrelease {name}\n"
    );
    if signed {
        raw.push_str(SIG);
    }
    let id = git_env(dir, &["mktag"], &[], Some(&raw));
    git(dir, &["update-ref", &format!("refs/tags/{name}"), &id]);
}

/// The fixture history (days before `NOW`):
/// 400 dave (root: `.mailmap`, files) · 300 carol@nextcloud · 200 bob (tag `v1.0.0`)
/// · 150 bob, signed · 100 bob · 50 alice · branch: 30 eve (GitHub no-reply) ·
/// 20 alice under her old address (mapped) · 10 alice (signed annotated `v2.0.0`) ·
/// 5 alice merges the branch · 1 carol (tag `nightly`) · −5 frank, after `NOW`
/// (tag `v3.0.0`); annotated `old-1` dated 500 days back.
fn fixture(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    let files: &[(&str, &str)] = &[
        (
            ".mailmap",
            "Alice <alice@example.org> <alice.old@example.org>\n",
        ),
        ("LICENSE", "EUPL-1.2\n"),
        (".github/workflows/ci.yml", "on: push\n"),
        ("renovate.json", "{}\n"),
        ("bin/tool.exe", "MZ\n"),
        ("docs/CONTRIBUTING.md", "be kind\n"),
    ];
    for (p, t) in files {
        let p = dir.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, t).unwrap();
    }
    git(dir, &["add", "."]);
    let root = commit(dir, "Dave <dave@example.org>", 400, None);
    annotated_tag(dir, "old-1", &root, 500, false);
    commit(dir, "Carol <carol@nextcloud.com>", 300, None);
    let c200 = commit(dir, "Bob <bob@example.org>", 200, None);
    git(dir, &["tag", "v1.0.0", &c200]);
    signed_commit(dir, "Bob <bob@example.org>", 150);
    commit(dir, "Bob <bob@example.org>", 100, None);
    commit(dir, "Alice <alice@example.org>", 50, None);
    git(dir, &["checkout", "-q", "-b", "side"]);
    commit(
        dir,
        "Eve <1+eve@users.noreply.github.com>",
        30,
        Some(("side.txt", "side\n")),
    );
    git(dir, &["checkout", "-q", "main"]);
    commit(dir, "Al <alice.old@example.org>", 20, None);
    let c10 = commit(dir, "Alice <alice@example.org>", 10, None);
    annotated_tag(dir, "v2.0.0", &c10, 10, true);
    let date = format!("@{} +0000", NOW - 5 * DAY);
    let env = [
        ("GIT_AUTHOR_NAME", "Alice".to_owned()),
        ("GIT_AUTHOR_EMAIL", "alice@example.org".to_owned()),
        ("GIT_AUTHOR_DATE", date.clone()),
        ("GIT_COMMITTER_NAME", "Alice".to_owned()),
        ("GIT_COMMITTER_EMAIL", "alice@example.org".to_owned()),
        ("GIT_COMMITTER_DATE", date),
    ];
    git_env(
        dir,
        &["merge", "-q", "--no-ff", "-m", "merge side", "side"],
        &env,
        None,
    );
    let c1 = commit(dir, "Carol <carol@nextcloud.com>", 1, None);
    git(dir, &["tag", "nightly", &c1]);
    let future = commit(dir, "Frank <frank@example.org>", -5, None);
    git(dir, &["tag", "v3.0.0", &future]);
}

fn health_json(repos: &[&Path], extra: &[&str]) -> Value {
    let mut args: Vec<String> = vec!["health".into(), "--format".into(), "json".into()];
    args.extend(["--date".into(), NOW_RFC.into()]);
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    args.extend(repos.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = support::sovra(&args);
    assert!(
        out.status.success(),
        "sovra health failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn expected_activity() -> Value {
    serde_json::json!({
        "commits_total": 12,
        "commits_90d": 6,
        "commits_365d": 10,
        "authors_90d": 3,
        "authors_365d": 4,
        "weeks_with_commits_365d": 9,
        "bus_factor_365d": 2,
        "elephant_factor_365d": 1,
        "top_author_share_365d": 0.4,
        "organisations_365d": {"Nextcloud": 2, "example.org": 7},
        "individuals_365d": 1,
        "signed_commits_365d": 1
    })
}

fn expected_releases() -> Value {
    serde_json::json!({
        "tags_total": 4,
        "tags_365d": 3,
        "semver_tags_365d": 2,
        "signed_tags_365d": 1,
        "latest_tag": "nightly",
        "latest_tag_date": "2026-11-30T00:00:00Z"
    })
}

fn expected_files() -> Value {
    serde_json::json!({
        "binary-artefacts": ["bin/tool.exe"],
        "changelog": [],
        "ci": [".github/workflows/ci.yml"],
        "contributing": ["docs/CONTRIBUTING.md"],
        "dependency-update": ["renovate.json"],
        "license": ["LICENSE"],
        "publiccode": [],
        "security-policy": []
    })
}

#[test]
fn every_signal_of_a_known_history() {
    if !git_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("app");
    std::fs::create_dir(&repo).unwrap();
    fixture(&repo);
    let doc = health_json(&[&repo], &[]);
    assert_eq!(doc["schema"], "sovra.health/1");
    assert_eq!(doc["now"], NOW_RFC);
    let r = &doc["repositories"][0];
    assert_eq!(r["key"], "local/app");
    assert_eq!(r["shallow"], false);
    assert_eq!(r["head"], git(&repo, &["rev-parse", "HEAD"]).as_str());
    // The newest commit up to NOW (the later one is ignored).
    assert_eq!(r["last_commit"], "2026-11-30T00:00:00Z");
    assert_eq!(r["activity"], expected_activity());
    assert_eq!(r["releases"], expected_releases());
    assert_eq!(r["files"], expected_files());

    // A bare clone reads the same (its `.mailmap` comes from HEAD).
    let bare = tmp.path().join("app.git");
    git(
        tmp.path(),
        &["clone", "-q", "--bare", repo.to_str().unwrap(), "app.git"],
    );
    let doc = health_json(&[&bare], &[]);
    let b = &doc["repositories"][0];
    assert_eq!(b["activity"], expected_activity());
    assert_eq!(b["releases"], expected_releases());
    assert_eq!(b["files"], expected_files());
}

#[test]
fn a_shallow_clone_is_stated_and_not_guessed() {
    if !git_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("app");
    std::fs::create_dir(&repo).unwrap();
    fixture(&repo);
    let url = format!("file://{}", repo.display());
    git(
        tmp.path(),
        &["clone", "-q", "--depth", "3", &url, "shallow"],
    );
    let doc = health_json(&[&tmp.path().join("shallow")], &[]);
    let r = &doc["repositories"][0];
    assert_eq!(r["shallow"], true);
    assert_eq!(r["activity"], Value::Null);
    assert_eq!(r["releases"], Value::Null);
    assert_eq!(r["files"], expected_files());
    assert_eq!(r["last_commit"], "2026-11-30T00:00:00Z");
    // The origin URL is not a forge URL with a host: the key is the directory's.
    assert_eq!(r["key"], "local/shallow");

    // The table says so in words.
    let out = support::sovra(&[
        "health",
        "--date",
        NOW_RFC,
        tmp.path().join("shallow").to_str().unwrap(),
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("shallow clone: history signals not assessed"),
        "{text}"
    );
    assert!(text.contains("bus factor           not assessed"), "{text}");

    // And the facts file carries no history counts for it.
    let out = support::sovra(&[
        "health",
        "--format",
        "facts",
        "--date",
        NOW_RFC,
        tmp.path().join("shallow").to_str().unwrap(),
    ]);
    let facts: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &facts["repositories"]["local/shallow"];
    assert_eq!(f["forge"], "git");
    assert_eq!(f["git"]["shallow"], true);
    assert_eq!(f["contributors_12m"], Value::Null);
    assert_eq!(f["git"]["bus_factor_12m"], Value::Null);
}

#[test]
fn the_commit_bound_is_enforced() {
    if !git_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("app");
    std::fs::create_dir(&repo).unwrap();
    fixture(&repo);
    let out = support::sovra(&[
        "health",
        "--max-commits",
        "5",
        "--date",
        NOW_RFC,
        repo.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("more than 5 commits"), "{err}");
    assert!(err.contains("app"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn not_a_repository_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = support::sovra(&["health", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a readable git repository"), "{err}");
}

/// (commits, distinct mailmapped author addresses) in `[since, until]` by committer
/// date, from `git log` over the whole history.
fn git_reference(dir: &Path, since: i64, until: i64) -> (u32, usize) {
    let log = git(dir, &["log", "--format=%H %aE %ct", "HEAD"]);
    let mut n = 0;
    let mut authors = std::collections::BTreeSet::new();
    for line in log.lines() {
        let mut parts = line.split(' ');
        let (_, mail, ct) = (parts.next(), parts.next().unwrap(), parts.next().unwrap());
        let ct: i64 = ct.parse().unwrap();
        if ct >= since && ct <= until {
            n += 1;
            authors.insert(mail.to_ascii_lowercase());
        }
    }
    (n, authors.len())
}

/// `secs` since the epoch as `--date` takes it (RFC 3339, UTC).
fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn assert_agrees_with_git(repo: &Path, now: i64) {
    let rfc = rfc3339(now);
    let mut args = vec!["health", "--format", "json", "--date", &rfc];
    let p = repo.to_str().unwrap();
    args.push(p);
    let out = support::sovra(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let a = &doc["repositories"][0]["activity"];
    for (days, commits, authors) in [
        (90, "commits_90d", "authors_90d"),
        (365, "commits_365d", "authors_365d"),
    ] {
        let (n, people) = git_reference(repo, now - days * DAY, now);
        assert_eq!(a[commits], n, "{commits} of {}", repo.display());
        assert_eq!(a[authors], people as u64, "{authors} of {}", repo.display());
        // `git log --since/--until` and `git shortlog` give the same on these
        // histories (committer dates never go backwards along a parent).
        let since = format!("--since=@{}", now - days * DAY);
        let until = format!("--until=@{now}");
        let listed = git(repo, &["log", "--format=%H", &since, &until, "HEAD"]);
        assert_eq!(a[commits], listed.lines().count() as u64);
        let short = git(repo, &["shortlog", "-sne", &since, &until, "HEAD"]);
        let total: u64 = short
            .lines()
            .map(|l| l.split_whitespace().next().unwrap().parse::<u64>().unwrap())
            .sum();
        assert_eq!(a[commits], total);
        let mails: std::collections::BTreeSet<String> = short
            .lines()
            .filter_map(|l| Some(l.rsplit_once('<')?.1.trim_end_matches('>').to_lowercase()))
            .collect();
        assert_eq!(a[authors], mails.len() as u64);
    }
    let total = git(repo, &["rev-list", "--count", "HEAD"]);
    assert_eq!(a["commits_total"], total.parse::<u64>().unwrap());
}

#[test]
fn agrees_with_git_on_the_fixture() {
    if !git_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("app");
    std::fs::create_dir(&repo).unwrap();
    fixture(&repo);
    assert_agrees_with_git(&repo, NOW);
}

/// sovra's own history (a CI checkout is a full clone; a shallow one fails here under
/// `CI`, since its counts would be unsupported).
#[test]
fn agrees_with_git_on_sovras_own_repository() {
    if !git_available() {
        return;
    }
    let root: PathBuf = support::root();
    let shallow = git(&root, &["rev-parse", "--is-shallow-repository"]);
    assert!(
        shallow == "false" || std::env::var_os("CI").is_none(),
        "sovra's own checkout is shallow; the agreement test needs a full clone"
    );
    if shallow != "false" {
        return;
    }
    let head_time: i64 = git(&root, &["log", "-1", "--format=%ct", "HEAD"])
        .parse()
        .unwrap();
    // At the HEAD commit and half a year later (windows that cut through history).
    assert_agrees_with_git(&root, head_time);
    assert_agrees_with_git(&root, head_time + 180 * DAY);
    assert_agrees_with_git(&root, head_time - 30 * DAY);
}

/// The pinned health facts of openDesk's components (computed from their real
/// repositories, `docs/health.md`) make the continuity dimension assessed for them.
#[test]
fn opendesk_continuity_from_pinned_health_facts() {
    let score = |facts: Option<&str>| -> Value {
        let mut args = vec!["score", "samples/opendesk", "--date", "2026-12-01"];
        args.extend(["--format", "json"]);
        if let Some(f) = facts {
            args.extend(["--facts", f]);
        }
        let out = support::sovra(&args);
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let continuity = |doc: &Value| -> Value {
        doc["candidates"][0]["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == "continuity-community")
            .unwrap()
            .clone()
    };
    assert_eq!(continuity(&score(None))["assessed"], false);
    assert_eq!(continuity(&score(None))["coverage"], 0.0);
    let c = continuity(&score(Some("samples/opendesk/health-facts.json")));
    // Eight of fifteen components have a history here: their weight is credited, and the
    // coverage (12 of 29) stays below the policy's minimum, which the dimension states.
    assert_eq!(c["coverage"], 41.4);
    assert_eq!(c["inputs"]["weight with evidence"], "12");
    assert_eq!(c["inputs"]["minimum coverage"], "0.5");
    assert_eq!(c["assessed"], false);
    let units: Vec<&str> = c["contributors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    assert_eq!(
        units,
        [
            "CryptPad",
            "Dovecot",
            "Element Call (lk-jwt-service)",
            "Matrix Authentication Service",
            "NeoBoard",
            "Notes",
            "Nubus",
            "Synapse"
        ]
    );
    // Components without a repository snapshot stay gaps, never credited.
    let gaps = c["gaps"].to_string();
    for name in [
        "Nextcloud Hub",
        "OX App Suite",
        "Collabora Online",
        "Element",
    ] {
        assert!(gaps.contains(name), "{name} must stay a gap: {gaps}");
    }
    // The pinned file is what `sovra health` writes: git facts for each repository.
    let facts: Value = serde_json::from_slice(
        &std::fs::read(support::root().join("samples/opendesk/health-facts.json")).unwrap(),
    )
    .unwrap();
    for (key, r) in facts["repositories"].as_object().unwrap() {
        assert_eq!(r["forge"], "git", "{key}");
        assert_eq!(r["git"]["shallow"], false, "{key}");
        assert!(r["git"]["head"].as_str().unwrap().len() == 40, "{key}");
    }
}

/// A candidate whose components name their clones (`git = "path"`): the facts file of
/// `sovra health` keys them by their repository URL on any forge, GOV002 fires on the
/// single-author history and names the shallow clone as not assessed.
#[test]
fn candidate_components_feed_gov002() {
    if !git_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let solo = dir.join("solo");
    std::fs::create_dir(&solo).unwrap();
    git(&solo, &["init", "-q", "-b", "main"]);
    for d in [40, 20, 3] {
        commit(&solo, "Sam <sam@example.org>", d, None);
    }
    git(&solo, &["tag", "v1.0.0"]);
    let app = dir.join("app");
    std::fs::create_dir(&app).unwrap();
    fixture(&app);
    let url = format!("file://{}", app.display());
    git(dir, &["clone", "-q", "--depth", "2", &url, "shallow"]);
    std::fs::write(
        dir.join("candidate.toml"),
        r#"[candidate]
name = "Offer"

[[component]]
name = "Solo"
criticality = "critical"
repository = "https://codeberg.org/sam/solo"
git = "solo"

[[component]]
name = "Thin"
criticality = "supporting"
repository = "https://git.example.org/team/thin.git"
git = "shallow"
"#,
    )
    .unwrap();
    let facts = dir.join("health.json");
    let out = support::sovra(&[
        "health",
        "--format",
        "facts",
        "--date",
        NOW_RFC,
        "-o",
        facts.to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&std::fs::read(&facts).unwrap()).unwrap();
    let keys: Vec<&String> = v["repositories"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["codeberg.org/sam/solo", "git.example.org/team/thin"]);
    assert_eq!(
        v["repositories"]["codeberg.org/sam/solo"]["contributors_12m"],
        1
    );
    assert_eq!(
        v["repositories"]["codeberg.org/sam/solo"]["git"]["bus_factor_12m"],
        1
    );

    let out = support::sovra(&[
        "check",
        dir.to_str().unwrap(),
        "--facts",
        facts.to_str().unwrap(),
        "--select",
        "GOV002",
        "--date",
        "2026-12-01",
        "--no-project-policy",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("`codeberg.org/sam/solo` rests on a single maintainer"),
        "{text}"
    );
    assert!(
        text.contains("`Thin`"),
        "the shallow clone is named: {text}"
    );
    assert!(!text.contains("`Thin`'s repository"), "{text}");
}

/// GOV003 over its fixture (`tests/fixtures/rules/GOV003/fire/`): fires on the critical
/// component with a bus factor of 1, not on the shared one or the supporting one, names
/// the critical component without facts, and without a facts file says so.
#[test]
fn gov003_fires_on_a_critical_component_with_bus_factor_one() {
    let dir = "tests/fixtures/rules/GOV003/fire";
    let facts = format!("{dir}/facts.json");
    let run = |with_facts: bool| {
        let mut args = vec!["check", dir, "--select", "GOV003", "--date", "2026-11-22"];
        args.push("--no-project-policy");
        if with_facts {
            args.extend(["--facts", &facts]);
        }
        let out = support::sovra(&args);
        assert_eq!(out.status.code(), Some(0), "GOV003 warns");
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(true);
    assert!(
        text.contains("`fires-solo` has a bus factor of 1"),
        "{text}"
    );
    assert!(text.contains("`review-unassessed`"), "{text}");
    assert!(
        !text.contains("`ok-team`") && !text.contains("`ok-supporting`"),
        "{text}"
    );
    insta::assert_snapshot!("health-GOV003", text);
    let none = run(false);
    assert!(
        none.contains("bus factor of critical components not assessed: no facts file"),
        "{none}"
    );
}
