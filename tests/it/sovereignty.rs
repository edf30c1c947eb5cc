//! Candidates, publiccode.yml conformance, vendor attribution, rules and the score.

use std::path::Path;

use sovra::ingest::publiccode;

use crate::support;

/// Verdict of sovra's publiccode.yml validator over every v0 test file of the official
/// Go parser: files under `valid*/` must validate, files under `invalid/` must not.
/// Checks that need the network (reachability, oEmbed, the iPA vocabulary) are not made
/// by sovra; the files that depend on them are the listed disagreements.
#[test]
fn publiccode_conformance_with_the_go_parser() {
    let Some(dir) = support::corpus("publiccode/parser-go-testdata/testdata/v0") else {
        eprintln!("corpus absent: skipping publiccode conformance");
        return;
    };
    let mut files = Vec::new();
    for sub in [
        "valid",
        "valid/no-network",
        "valid_with_warnings",
        "valid_with_warnings/no-network",
        "invalid",
        "invalid/no-network",
    ] {
        let mut entries: Vec<_> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yml"))
            .collect();
        entries.sort();
        for p in entries {
            files.push((
                format!("{sub}/{}", p.file_name().unwrap().to_string_lossy()),
                p,
            ));
        }
    }
    let mut agree = 0;
    let mut disagreements = Vec::new();
    for (name, path) in &files {
        let bytes = std::fs::read(path).unwrap();
        let pc = publiccode::validate(Path::new(name), &bytes, path.parent());
        let expected_valid = !name.starts_with("invalid");
        if pc.is_valid() == expected_valid {
            agree += 1;
        } else {
            let what = if expected_valid {
                pc.errors
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            } else {
                "accepted".to_owned()
            };
            disagreements.push(format!("{name}: {what}"));
        }
    }
    let share = agree as f64 * 100.0 / files.len() as f64;
    eprintln!(
        "publiccode conformance: {agree}/{} files agree ({share:.1} %)",
        files.len()
    );
    insta::assert_snapshot!(
        "publiccode_conformance",
        format!(
            "{agree}/{} verdicts agree ({share:.1} %)\ndisagreements:\n{}",
            files.len(),
            disagreements.join("\n")
        )
    );
}

/// The date the fixtures are judged on: before the Data Act's ban on switching charges.
const TODAY: &str = "2026-06-01";

fn assess(dir: &Path) -> sovra::candidate::Assessment {
    sovra::candidate::assess(
        dir,
        &sovra::candidate::AssessOptions::default(),
        TODAY.parse().unwrap(),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// The findings of `rule` for one candidate, as a user reads them.
fn findings_of(a: &sovra::candidate::Assessment, rule: &str) -> Vec<String> {
    let comps = &a.analysis.extra.facts.candidate.components;
    a.analysis
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| {
            let mut s = format!("{} {}: {}", f.level.as_str(), f.rule, f.hit.message);
            if let Some(c) = f.hit.component.and_then(|c| comps.get(c as usize)) {
                s.push_str(&format!(" [component `{}`]", c.name));
            }
            for n in &f.hit.notes {
                s.push_str(&format!("\n    = {n}"));
            }
            s
        })
        .collect()
}

/// One fixture directory per rule with one or more candidates: components named
/// `fires-*` must be named by a finding, components named `ok-*` never; the snapshot
/// shows exactly what a user sees.
fn check_rule(rule: &str) {
    let dir = support::root()
        .join("tests/fixtures/sovereignty/rules")
        .join(rule);
    let mut subs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    subs.sort();
    let mut out = String::new();
    let mut fired = 0;
    for sub in subs {
        let a = assess(&sub);
        let found = findings_of(&a, rule);
        fired += found.len();
        let text = found.join("\n");
        for c in &a.analysis.extra.facts.candidate.components {
            if c.name.starts_with("fires-") {
                assert!(
                    text.contains(&format!("`{}`", c.name)),
                    "{rule}: `{}` did not fire\n{text}",
                    c.name
                );
            }
            if c.name.starts_with("ok-") {
                assert!(
                    !text.contains(&format!("`{}`", c.name)),
                    "{rule}: `{}` fired\n{text}",
                    c.name
                );
            }
        }
        out.push_str(&format!(
            "## {}\n{}\n",
            sub.file_name().unwrap().to_string_lossy(),
            if text.is_empty() {
                "(no findings)".to_owned()
            } else {
                text
            }
        ));
    }
    assert!(fired > 0, "{rule}: the fixture never fires");
    insta::assert_snapshot!(format!("rule_{rule}"), out);
}

#[test]
fn rule_jur001() {
    check_rule("JUR001");
}
#[test]
fn rule_sup002() {
    check_rule("SUP002");
}
#[test]
fn rule_sup003() {
    check_rule("SUP003");
}
#[test]
fn rule_sup004() {
    check_rule("SUP004");
}
#[test]
fn rule_std001() {
    check_rule("STD001");
}
#[test]
fn rule_std002() {
    check_rule("STD002");
}
#[test]
fn rule_std003() {
    check_rule("STD003");
}
#[test]
fn rule_std004() {
    check_rule("STD004");
}
#[test]
fn rule_std005() {
    check_rule("STD005");
}
#[test]
fn rule_con001() {
    check_rule("CON001");
}
#[test]
fn rule_lic010() {
    check_rule("LIC010");
}
#[test]
fn rule_meta001() {
    check_rule("META001");
}
#[test]
fn rule_meta002() {
    check_rule("META002");
}
#[test]
fn rule_meta003() {
    check_rule("META003");
}
#[test]
fn rule_meta004() {
    check_rule("META004");
}

#[test]
fn every_sovereignty_rule_has_a_fixture() {
    let fixtures = support::root().join("tests/fixtures/sovereignty/rules");
    for id in [
        "JUR001", "SUP002", "SUP003", "SUP004", "STD001", "STD002", "STD003", "STD004", "STD005",
        "CON001", "LIC010", "META001", "META002", "META003", "META004",
    ] {
        assert!(fixtures.join(id).is_dir(), "{id} has no fixture");
        assert!(
            support::root()
                .join(format!("rules/catalogue/{id}.toml"))
                .is_file(),
            "{id} is not in the catalogue"
        );
    }
}
