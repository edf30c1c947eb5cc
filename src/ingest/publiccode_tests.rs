//! The `publiccode.yml` validator against the official Go parser's test files, and its
//! refusal of paths that leave the repository directory.
#![allow(clippy::unwrap_used)] // tests may panic on broken fixtures

use std::path::Path;

use crate::ingest::publiccode;

// Every disagreement left needs a server: the Go parser asks a URL whether it exists,
// an oEmbed provider whether a video is embeddable, and the iPA registry whether a code
// names an Italian public body. sovra judges offline, so these are not decidable here;
// any other disagreement is a defect.
const NEEDS_NETWORK: &[(&str, &str)] = &[
    (
        "invalid/description_en_videos_invalid_oembed.yml",
        "oEmbed lookup",
    ),
    ("invalid/fundedBy_uri_wrong_italian_pa2.yml", "iPA registry"),
    ("invalid/it_riuso_codiceIPA_invalid.yml", "iPA registry"),
    ("invalid/logo_missing_url.yml", "HTTP reachability"),
    (
        "invalid/organisation_uri_wrong_italian_pa2.yml",
        "iPA registry",
    ),
];

/// Verdict of sovra's publiccode.yml validator over every v0 test file of the official
/// Go parser: files under `valid*/` must validate, files under `invalid/` must not.
/// Checks that need the network (reachability, oEmbed, the iPA vocabulary) are not made
/// by sovra; the files that depend on them are the listed disagreements.
#[test]
fn publiccode_conformance_with_the_go_parser() {
    let Some(dir) = crate::test_support::corpus("publiccode/parser-go-testdata/testdata/v0") else {
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
    // The Go parser's v1 tests: every file declares version "1", which the v0 parser
    // (and sovra, reading 0.2 to 0.7) rejects as unsupported.
    let mut v1 = 0;
    if let Some(v1dir) = crate::test_support::corpus("publiccode/parser-go-testdata/testdata/v1") {
        for sub in [
            "invalid",
            "invalid_valid_in_v0",
            "invalid_valid_with_warnings_in_v0",
        ] {
            let mut entries: Vec<_> = std::fs::read_dir(v1dir.join(sub))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "yml"))
                .collect();
            entries.sort();
            for p in entries {
                let name = format!("v1/{sub}/{}", p.file_name().unwrap().to_string_lossy());
                let bytes = std::fs::read(&p).unwrap();
                let pc = publiccode::validate(Path::new(&name), &bytes, p.parent());
                v1 += 1;
                if pc
                    .errors
                    .iter()
                    .any(|e| e.message.contains("unsupported version: '1'"))
                {
                    agree += 1;
                } else {
                    disagreements.push(format!("{name}: version 1 not rejected"));
                }
            }
        }
    }
    for d in &disagreements {
        assert!(
            NEEDS_NETWORK
                .iter()
                .any(|(f, _)| d.starts_with(&format!("{f}:"))),
            "disagreement on a case decidable offline: {d}"
        );
    }
    let total = files.len() + v1;
    let share = agree as f64 * 100.0 / total as f64;
    eprintln!("publiccode conformance: {agree}/{total} files agree ({share:.1} %)");
    insta::assert_snapshot!(
        "publiccode_conformance",
        format!(
            "{agree}/{total} verdicts agree ({share:.1} %; v0 test files: {}, v1 test files: {v1})\ndisagreements:\n{}",
            files.len(),
            disagreements.join("\n")
        )
    );
}

#[cfg(unix)]
#[test]
fn publiccode_paths_behind_symlinks_out_of_the_directory_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("AUTHORS"), "someone\n").unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    std::os::unix::fs::symlink(dir.path().join("AUTHORS"), repo.join("AUTHORS")).unwrap();
    let text = crate::ingest::publiccode::validate(
        Path::new("publiccode.yml"),
        b"publiccodeYmlVersion: \"0.4\"\nlegal:\n  authorsFile: AUTHORS\n",
        Some(&repo),
    );
    let errors: Vec<String> = text.errors.iter().map(ToString::to_string).collect();
    assert!(
        errors.iter().any(|e| e.contains("publiccode.yml:3:")
            && e.contains("leads outside the repository directory")),
        "{errors:?}"
    );
}
