//! Every JSON output names its schema (`"schema": "sovra.<kind>/<n>"`), and its
//! documentation in `docs/` lists exactly the fields it writes: each documented table
//! is checked against real output, so the docs cannot drift from the code.
//!
//! A doc table is a `## name` / `### name` section with rows `` | `field` | type |
//! meaning | ``. A type that links to a section (`[x](#anchor)`) or names one (the
//! report's `Candidate`, `Score`, …) is laid out as that section says. A row whose
//! meaning says "omitted when" may be absent from the output.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::support::{root, sovra};

#[derive(Debug, Default)]
struct Section {
    /// Documented field → the section its value is laid out by, if any.
    fields: BTreeMap<String, Option<String>>,
    /// Fields that may be absent.
    optional: BTreeSet<String>,
}

/// GitHub's anchor of a heading.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The sections of a doc file, by anchor.
fn sections(doc: &str) -> BTreeMap<String, Section> {
    let text = std::fs::read_to_string(root().join("docs").join(doc)).expect(doc);
    let headings: BTreeMap<String, String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("## ").or_else(|| l.strip_prefix("### ")))
        .map(|h| (h.trim().to_owned(), slug(h)))
        .collect();
    let mut out: BTreeMap<String, Section> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(h) = line
            .strip_prefix("## ")
            .or_else(|| line.strip_prefix("### "))
        {
            current = Some(slug(h));
            continue;
        }
        let (Some(cur), Some(row)) = (&current, line.strip_prefix("| `")) else {
            continue;
        };
        let cols: Vec<&str> = row.split(" | ").collect();
        if cols.len() < 3 {
            continue;
        }
        let names: Vec<String> = format!("`{}", cols[0])
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        let ty = cols[1];
        let link = ty
            .split_once("](#")
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(a, _)| a.to_owned())
            .or_else(|| {
                ty.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
                    .find_map(|w| headings.get(w).cloned())
            });
        let optional = cols[2..].join(" | ").contains("omitted when");
        let s = out.entry(cur.clone()).or_default();
        for n in names {
            if optional {
                s.optional.insert(n.clone());
            }
            s.fields.insert(n, link.clone());
        }
    }
    out
}

/// Records the keys of `value` against `section`, following linked sections.
fn walk(
    value: &Value,
    section: &str,
    docs: &BTreeMap<String, Section>,
    seen: &mut BTreeMap<String, BTreeSet<String>>,
) {
    match value {
        Value::Array(items) => {
            for v in items {
                walk(v, section, docs, seen);
            }
        }
        Value::Object(map) => {
            // A section without a table is documented in prose.
            let Some(s) = docs.get(section) else {
                return;
            };
            let keys = seen.entry(section.to_owned()).or_default();
            keys.extend(map.keys().cloned());
            for (k, v) in map {
                if let Some(Some(child)) = s.fields.get(k) {
                    walk(v, child, docs, seen);
                }
            }
        }
        _ => {}
    }
}

fn output(args: &[&str]) -> Value {
    let out = sovra(args);
    assert_ne!(
        out.status.code(),
        Some(2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// Checks the outputs of `runs` against `doc` from the section `top`.
fn check(doc: &str, top: &str, schema: &str, runs: &[Vec<&str>]) {
    let docs = sections(doc);
    let mut seen = BTreeMap::new();
    for args in runs {
        let v = output(args);
        assert_eq!(v["schema"], schema, "{args:?}");
        walk(&v, top, &docs, &mut seen);
    }
    let mut problems = Vec::new();
    for (section, keys) in &seen {
        let s = &docs[section];
        for k in keys {
            if !s.fields.contains_key(k) {
                problems.push(format!(
                    "{doc} `{section}`: `{k}` is written, not documented"
                ));
            }
        }
        for k in s.fields.keys() {
            if !keys.contains(k) && !s.optional.contains(k) {
                problems.push(format!(
                    "{doc} `{section}`: `{k}` is documented, never written"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

const DATE: &str = "2026-06-01";

#[test]
fn check_json_matches_its_doc() {
    check(
        "output-schemas.md",
        "check",
        "sovra.check/3",
        &[
            vec!["check", "samples/rust-service", "--format", "json"],
            vec!["check", "samples/proprietary-suite", "--format", "json"],
            vec![
                "check",
                "tests/fixtures/rules/LIC005/fire/bom.json",
                "--policy",
                "tests/fixtures/rules/LIC005/fire/sovra.toml",
                "--format",
                "json",
            ],
        ],
    );
}

#[test]
fn score_and_compare_json_match_their_doc() {
    let score = |s: &'static str| vec!["score", s, "--date", DATE, "--format", "json"];
    check(
        "output-schemas.md",
        "score",
        "sovra.score/2",
        &[
            score("samples/rust-service"),
            score("samples/proprietary-suite"),
            score("samples/opendesk"),
        ],
    );
    check(
        "output-schemas.md",
        "compare",
        "sovra.compare/1",
        &[vec![
            "compare",
            "samples/rust-service",
            "samples/proprietary-suite",
            "--date",
            DATE,
            "--format",
            "json",
        ]],
    );
}

#[test]
fn inventory_and_licenses_json_match_their_docs() {
    let runs = |cmd: &'static str| {
        ["samples/rust-service", "samples/proprietary-suite"]
            .map(|s| vec![cmd, s, "--format", "json"])
            .to_vec()
    };
    check(
        "inventory-json.md",
        "top-level",
        "sovra.inventory/1",
        &runs("inventory"),
    );
    check(
        "licenses-json.md",
        "top-level",
        "sovra.licenses/1",
        &runs("licenses"),
    );
}

/// `sovra health --format json` on a repository with a commit and a tag, given directly
/// and as a candidate's component (`component` is present only then).
#[test]
fn health_json_matches_its_doc() {
    let git_ok = std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !git_ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "git is missing but CI is set"
        );
        eprintln!("skipped: no git to build a repository");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let cand = tmp.path().join("cand");
    let repo = cand.join("app");
    std::fs::create_dir_all(&repo).unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env("GIT_AUTHOR_NAME", "Ann")
            .env("GIT_AUTHOR_EMAIL", "ann@example.org")
            .env("GIT_COMMITTER_NAME", "Ann")
            .env("GIT_COMMITTER_EMAIL", "ann@example.org")
            .env("GIT_AUTHOR_DATE", "2026-05-01T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-05-01T12:00:00Z")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"]);
    std::fs::write(repo.join("LICENSE"), "MIT\n").unwrap();
    git(&["add", "LICENSE"]);
    git(&["commit", "-q", "-m", "first"]);
    git(&["tag", "-a", "v1.0.0", "-m", "one"]);
    std::fs::write(
        cand.join("candidate.toml"),
        "[candidate]\nname = \"C\"\n\n[[component]]\nname = \"App\"\nlicense = \"MIT\"\ncriticality = \"critical\"\ngit = \"app\"\n",
    )
    .unwrap();
    let run = |target: &std::path::Path| {
        vec![
            "health".to_owned(),
            target.to_str().unwrap().to_owned(),
            "--date".to_owned(),
            DATE.to_owned(),
            "--format".to_owned(),
            "json".to_owned(),
        ]
    };
    let (a, b) = (run(&repo), run(&cand));
    let runs: Vec<Vec<&str>> = [&a, &b]
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    check("health.md", "health-top-level", "sovra.health/1", &runs);
}

#[test]
fn report_json_names_its_schema() {
    let v = output(&[
        "report",
        "samples/rust-service",
        "--date",
        DATE,
        "--format",
        "json",
    ]);
    assert_eq!(v["schema"], "sovra.report/2");
    // The report's top level is documented row by row.
    let docs = sections("report-json.md");
    let top: BTreeSet<&String> = docs["top-level"].fields.keys().collect();
    let written: BTreeSet<&String> = v.as_object().expect("object").keys().collect();
    assert_eq!(top, written);
}
