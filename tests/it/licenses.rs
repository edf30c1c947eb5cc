//! Licences: the real-world string table, strict-parse conformance, class coverage, the
//! OSADL matrix against its CSV, and the `licenses` command.

use std::collections::BTreeMap;

use sovra::license::{self, Class, Classes, Interpretation, Parsed, UnknownReason};

use crate::support;

/// Outcome of interpreting one string, as counted in the figures.
fn outcome(raw: &str) -> &'static str {
    match license::interpret(raw) {
        Interpretation::Expression {
            parsed: Parsed::Strict,
            ..
        } => "strict",
        Interpretation::Expression {
            parsed: Parsed::Lenient { .. },
            ..
        } => "lenient",
        Interpretation::Unknown(UnknownReason::Unparseable { .. }) => "unparseable",
        Interpretation::Unknown(r) => r.kind(),
    }
}

#[test]
fn real_world_strings_strict_lenient_unparseable() {
    let Some(path) = support::corpus("spdx-expressions/real-world/license-strings.tsv") else {
        eprintln!("note: corpus absent, skipping the real-world licence strings");
        return;
    };
    let text = std::fs::read_to_string(path).expect("read tsv");
    // outcome -> (distinct strings, occurrences)
    let mut figures: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut unparsed = Vec::new();
    for line in text.lines().skip(1) {
        let mut cols = line.splitn(3, '\t');
        let (Some(count), Some(_sources), Some(raw)) = (cols.next(), cols.next(), cols.next())
        else {
            panic!("bad line {line:?}");
        };
        let count: u64 = count.parse().expect("count");
        let o = outcome(raw);
        let f = figures.entry(o).or_default();
        f.0 += 1;
        f.1 += count;
        if o == "unparseable" {
            unparsed.push((count, raw.to_owned()));
        }
    }
    let total: (u64, u64) = figures.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    eprintln!(
        "real-world licence strings: {} distinct, {} occurrences",
        total.0, total.1
    );
    for (k, (n, c)) in &figures {
        eprintln!(
            "  {k:<12} {n:>4} strings ({:>5.1} %)  {c:>6} occurrences ({:>5.1} %)",
            100.0 * *n as f64 / total.0 as f64,
            100.0 * *c as f64 / total.1 as f64
        );
    }
    unparsed.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (c, raw) in unparsed.iter().take(15) {
        eprintln!("  unparseable x{c}: {raw}");
    }
    let got: Vec<(&str, u64, u64)> = figures.iter().map(|(k, v)| (*k, v.0, v.1)).collect();
    assert_eq!(
        got,
        vec![
            ("lenient", 140, 1114),
            ("license-file-only", 1, 1),
            ("noassertion", 1, 48226),
            ("none", 1, 15876),
            ("strict", 306, 54295),
            ("unparseable", 62, 264),
        ],
        "figures changed: update them deliberately"
    );
}

/// Strict parsing against spdx-expression-parse's own test cases: every case it accepts
/// parses strictly, every case it rejects does not, except the deliberate differences
/// named here.
#[test]
fn strict_parse_agrees_with_spdx_expression_parse() {
    let Some(path) = support::corpus("spdx-expressions/js-spdx-expression-parse/test.js") else {
        eprintln!("note: corpus absent, skipping the spdx-expression-parse conformance test");
        return;
    };
    let text = std::fs::read_to_string(path).expect("read test.js");
    // Deliberate differences: sovra trims surrounding whitespace of any kind (the
    // `spdx` crate treats tabs and newlines as spaces), and the `spdx` crate does not
    // allow spaces around the `:` of a `DocumentRef`.
    let differences = [
        "MIT\t",
        "\nMIT",
        "DocumentRef-spdx-tool-1.2 : LicenseRef-MIT-Style-2",
        "DocumentRef-somedoc : LicenseRef-something WITH GCC-exception-2.0",
    ];
    let lines: Vec<&str> = text.lines().collect();
    let mut checked = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some(start) = line.find("p('") else {
            continue;
        };
        let rest = &line[start + 3..];
        let Some(end) = rest.find("')") else { continue };
        let case = rest[..end].replace("\\t", "\t").replace("\\n", "\n");
        let throws = line.contains("throws") || (i > 0 && lines[i - 1].contains("assert.throws("));
        let strict = matches!(
            license::interpret(&case),
            Interpretation::Expression {
                parsed: Parsed::Strict,
                ..
            }
        );
        if differences.contains(&case.as_str()) {
            assert_eq!(strict, throws, "{case:?} is no longer a difference");
        } else {
            assert_eq!(strict, !throws, "{case:?}");
        }
        checked += 1;
    }
    assert_eq!(checked, 19);
}

/// Every licence id the `spdx` crate knows has a class; OSI approval comes from the
/// crate, and the classes agree with it where they must.
#[test]
fn every_spdx_id_has_a_class() {
    let classes = Classes::builtin();
    let missing: Vec<&str> = spdx::identifiers::LICENSES
        .iter()
        .map(|l| l.name)
        .filter(|id| classes.of_id(id).is_none())
        .collect();
    assert!(missing.is_empty(), "ids without a class: {missing:?}");
    let stale: Vec<&str> = classes
        .license_ids()
        .map(|(id, _)| id)
        .filter(|id| !spdx::identifiers::LICENSES.iter().any(|l| l.name == *id))
        .collect();
    assert!(
        stale.is_empty(),
        "classes for ids the crate does not know: {stale:?}"
    );
    // An OSI-approved licence is open: never source-available, non-commercial or
    // proprietary.
    let closed_osi: Vec<&str> = spdx::identifiers::LICENSES
        .iter()
        .filter(|l| spdx::license_id(l.name).is_some_and(|id| id.is_osi_approved()))
        .map(|l| l.name)
        .filter(|id| {
            classes
                .of_id(id)
                .is_some_and(|c| !c.is_open() && c != Class::Unknown)
        })
        .collect();
    assert!(
        closed_osi.is_empty(),
        "OSI-approved but classed closed: {closed_osi:?}"
    );
}

/// The shipped OSADL matrix answers exactly what its CSV export says, cell by cell.
#[test]
fn osadl_verdicts_match_the_csv() {
    use sovra::license::osadl::{self, Compat};
    let csv = std::fs::read_to_string(support::root().join("rules/compatibility/osadl-matrix.csv"))
        .expect("read csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').skip(1).collect();
    let mut cells = 0;
    for line in lines {
        let mut cols = line.split(',');
        let leading = cols.next().expect("leading");
        for (dep, v) in header.iter().zip(cols) {
            let expect = match v {
                "Yes" | "Same" => Compat::Yes,
                "No" => Compat::No,
                "Check dependency" => Compat::CheckDependency,
                _ => Compat::Unknown,
            };
            assert_eq!(osadl::verdict(leading, dep), expect, "{leading} -> {dep}");
            cells += 1;
        }
    }
    assert_eq!(cells, 110 * 110);
    assert_eq!(osadl::verdict("GPL-2.0-only", "Apache-2.0"), Compat::No);
    assert_eq!(
        osadl::verdict("GPL-3.0-or-later", "Apache-2.0"),
        Compat::Yes
    );
    assert_eq!(osadl::verdict("MIT", "LicenseRef-x"), Compat::NotInMatrix);
}

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
        run(&["licenses", "samples/rust-service"])
    );
    insta::assert_snapshot!(
        "licenses_sample_json",
        run(&["licenses", "--format", "json", "samples/rust-service"])
    );
}

#[test]
fn licenses_command_on_ripgrep_runtime() {
    if support::corpus("cargo/ripgrep/metadata.json").is_none() {
        eprintln!("note: corpus absent, skipping ripgrep");
        return;
    }
    insta::assert_snapshot!(
        "licenses_ripgrep_runtime",
        run(&[
            "licenses",
            "--scope",
            "runtime",
            "../shared/corpus/cargo/ripgrep/metadata.json"
        ])
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
