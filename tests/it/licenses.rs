//! The `licenses` command. (Licence interpretation over real inputs is tested in
//! `src/license/conformance_tests.rs`.)

use crate::support;

fn run(args: &[&str]) -> String {
    let out = support::sovra(args);
    format!(
        "status: {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn licenses_command_on_the_sample() {
    insta::assert_snapshot!(
        "licenses_sample_human",
        run(&["licenses", "samples/rust-service/metadata.json"])
    );
    insta::assert_snapshot!(
        "licenses_sample_json",
        run(&[
            "licenses",
            "--format",
            "json",
            "samples/rust-service/metadata.json"
        ])
    );
}

#[test]
fn licenses_command_on_ripgrep_runtime() {
    let Some(path) = support::corpus("cargo/ripgrep/metadata.json") else {
        eprintln!("note: corpus absent, skipping ripgrep");
        return;
    };
    let path = path.to_str().expect("utf-8 path");
    insta::assert_snapshot!(
        "licenses_ripgrep_runtime",
        run(&["licenses", "--scope", "runtime", path])
    );
}

#[test]
fn licenses_command_fails_cleanly_on_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("package-lock.json");
    std::fs::write(&bad, "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n").expect("write");
    let out = support::sovra(&["licenses", bad.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no half-written output");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("package-lock.json:4:"), "{err}");
}

/// End to end over a lockfile with every kind of licence statement: strict, lenient,
/// ambiguous, proprietary, licence file, unparseable, missing, and a dev-only package
/// that the runtime scope leaves out.
#[test]
fn licenses_command_on_odd_statements() {
    let lock = "tests/fixtures/licenses/package-lock.json";
    insta::assert_snapshot!("licenses_odd_human", run(&["licenses", lock]));
    insta::assert_snapshot!(
        "licenses_odd_runtime_json",
        run(&["licenses", "--scope", "runtime", "--format", "json", lock])
    );
}
