//! The verdict a candidate gets does not depend on the output asked for: `score` and
//! `report` agree for every sample, alone and in every comparison, under every bundled
//! policy.

use crate::support::sovra;

const SAMPLES: &[&str] = &[
    "samples/opendesk",
    "samples/proprietary-suite",
    "samples/rust-service",
];

fn verdicts(args: &[&str]) -> Vec<(String, String)> {
    let out = sovra(args);
    assert_ne!(
        out.status.code(),
        Some(2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
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
                (verdicts(&s), verdicts(&r))
            } else {
                let mut s = vec!["compare"];
                s.extend(set);
                s.extend(common);
                let mut r = vec!["report", "--compare"];
                r.extend(set);
                r.extend(common);
                (verdicts(&s), verdicts(&r))
            };
            assert_eq!(scored.len(), set.len(), "{set:?}");
            assert_eq!(scored, reported, "{policy} {set:?}");
            compared += scored.len();
        }
    }
    assert_eq!(compared, 3 * (3 + 2 * 3 + 3));
}
