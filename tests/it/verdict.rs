//! The verdict a candidate gets does not depend on the output asked for: `score` and
//! `report` agree for every sample, alone and in every comparison, under every bundled
//! policy; `compare` and `report --compare` give the one comparison (the same rows,
//! deciding differences and leader).

use crate::support::sovra;

const SAMPLES: &[&str] = &[
    "samples/opendesk",
    "samples/proprietary-suite",
    "samples/rust-service",
];

fn json(args: &[&str]) -> serde_json::Value {
    let out = sovra(args);
    assert_ne!(
        out.status.code(),
        Some(2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn verdicts(v: &serde_json::Value) -> Vec<(String, String)> {
    v["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| {
            let name = c["name"].as_str();
            (
                name.expect("a name").to_owned(),
                c["verdict"].as_str().expect("a verdict").to_owned(),
            )
        })
        .collect()
}

#[test]
fn score_and_report_give_the_same_verdict() {
    let mut sets: Vec<Vec<&str>> = SAMPLES.iter().map(|s| vec![*s]).collect();
    for (i, a) in SAMPLES.iter().enumerate() {
        for b in &SAMPLES[i + 1..] {
            sets.push(vec![a, b]);
        }
    }
    sets.push(SAMPLES.to_vec());
    let mut compared = 0;
    for policy in ["baseline", "de-public-sector", "ci-strict"] {
        for set in &sets {
            let common = [
                "--policy",
                policy,
                "--date",
                "2026-06-01",
                "--format",
                "json",
            ];
            let (scored, reported) = if set.len() == 1 {
                let mut s = vec!["score"];
                s.extend(set);
                s.extend(common);
                let mut r = vec!["report"];
                r.extend(set);
                r.extend(common);
                (verdicts(&json(&s)), verdicts(&json(&r)))
            } else {
                let mut s = vec!["compare"];
                s.extend(set);
                s.extend(common);
                let mut r = vec!["report", "--compare"];
                r.extend(set);
                r.extend(common);
                let (s, r) = (json(&s), json(&r));
                // One comparison: `compare` shows the report's, row for row, with
                // the same deciding rows and the same candidate ranked first.
                assert_eq!(s["schema"], "sovra.compare/1");
                assert_eq!(
                    s["comparison"], r["comparison"],
                    "{policy} {set:?}: compare and report --compare differ"
                );
                let deciding = s["comparison"]["deciding"].as_array().expect("deciding");
                let rows = s["comparison"]["rows"].as_array().expect("rows");
                assert_eq!(
                    deciding.len(),
                    rows.iter().filter(|r| r["deciding"] == true).count()
                );
                (verdicts(&s), verdicts(&r))
            };
            assert_eq!(scored.len(), set.len(), "{set:?}");
            assert_eq!(scored, reported, "{policy} {set:?}");
            compared += scored.len();
        }
    }
    assert_eq!(compared, 3 * (3 + 2 * 3 + 3));
}
