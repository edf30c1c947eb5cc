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
