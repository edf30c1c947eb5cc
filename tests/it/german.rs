//! German reports: no English text of sovra's own may reach a report rendered with
//! `--lang de` (licence texts in the attribution appendix are quoted verbatim).

use crate::support::sovra;

/// The German Markdown report of `sample`, cut before the attribution appendix.
fn german_md(args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--lang", "de", "--format", "md"]);
    let out = sovra(&all);
    assert!(
        out.status.code() != Some(2),
        "report failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("report is UTF-8");
    let cut = text
        .find("\n## Anhang: Hinweise zu Drittkomponenten")
        .unwrap_or(text.len());
    text[..cut].to_owned()
}

/// English phrases that once leaked into German reports.
const ENGLISH: &[&str] = &[
    // rule rationale and remediation from the catalogue
    "Laws with extraterritorial reach",
    "Prefer a component controlled inside the EU/EEA",
    "A function that depends on one non-EU vendor",
    "Nobody fixes an unmaintained dependency",
    "A project that stopped releasing",
    "One holder of all rights",
    "Supply-chain decisions",
    "Open-core offers",
    "A known, published vulnerability",
    "Ask the supplier",
    "or record an exception",
    // rule summaries that were missing from de.toml
    "runtime packages come from maintained projects",
    "runtime packages come from projects that release regularly",
    "no package in the runtime graph is affected",
    // labels of finding notes
    "  - vendor: ",
    "  - ultimate parent: ",
    "  - jurisdiction: ",
    "  - source: ",
    "  - components: ",
    "  - holder: ",
    "  - export formats: ",
];

/// English score explanations of the HTML report's dimension table.
const ENGLISH_SCORE: &[&str] = &[
    "total weight",
    "weight with evidence",
    "open weight",
    "elephant factor",
    "applicable facts",
    "stated facts",
    "no evidence",
    "not stated",
    "controlling organisation unknown",
];

fn assert_german(text: &str) {
    let found: Vec<&&str> = ENGLISH.iter().filter(|p| text.contains(**p)).collect();
    assert!(found.is_empty(), "English in the German report: {found:?}");
}

#[test]
fn german_opendesk_report_has_no_english_rule_texts() {
    let md = german_md(&["samples/opendesk"]);
    assert!(md.contains("Warum es wichtig ist: "), "{md}");
    assert!(md.contains("Gesetze mit extraterritorialer Wirkung"));
    assert!(
        md.contains("  - oberste Muttergesellschaft: Collabora Ltd \\(Vereinigtes Königreich\\)"),
        "{md}"
    );
    assert_german(&md);
}

#[test]
fn german_html_report_explains_the_score_in_german() {
    let out = sovra(&[
        "report",
        "samples/opendesk",
        "--lang",
        "de",
        "--format",
        "html",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).expect("report is UTF-8");
    let cut = html.find("id=\"appendix-h\"").unwrap_or(html.len());
    let html = &html[..cut];
    assert!(
        html.contains("Gesamtgewicht: 29 · Gewicht mit Nachweis: 29"),
        "{html}"
    );
    assert!(html.contains(
        "HHI der offenen Komponenten nach Gewicht: 0,144 · offenes Gewicht: 29 · Elefantenfaktor: 3"
    ));
    assert!(html.contains("<code>Collabora Online</code>: kein Nachweis"));
    let found: Vec<&&str> = ENGLISH_SCORE
        .iter()
        .filter(|p| html.contains(**p))
        .collect();
    assert!(found.is_empty(), "English in the German report: {found:?}");
    assert_german(html);
}

#[test]
fn german_reports_of_the_other_samples_have_no_english_rule_texts() {
    for args in [
        &["samples/proprietary-suite"][..],
        &["samples/rust-service"][..],
        &["--compare", "samples/opendesk", "samples/proprietary-suite"][..],
    ] {
        assert_german(&german_md(args));
    }
}

/// Literal stretches of the English finding messages (`msg.*` in en.toml) of two words
/// or more: one of them in a German report is a message left in English.
fn english_message_fragments() -> Vec<String> {
    fn strings(v: &toml::Value, out: &mut Vec<String>) {
        match v {
            toml::Value::String(s) => out.push(s.clone()),
            toml::Value::Table(t) => t.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    let msg = |lang: &str| {
        let path = crate::support::root().join(format!("report-templates/locales/{lang}.toml"));
        let doc: toml::Table = std::fs::read_to_string(path)
            .expect("locale file")
            .parse()
            .expect("locale file is TOML");
        let mut out = Vec::new();
        strings(&doc["msg"], &mut out);
        out
    };
    let en = msg("en");
    let mut fragments = Vec::new();
    for template in &en {
        // The text between placeholders.
        let mut literal = String::new();
        let mut depth = 0;
        for ch in template.chars() {
            match ch {
                '{' => {
                    depth += 1;
                    literal.push('\u{0}');
                }
                '}' => depth -= 1,
                _ if depth == 0 => literal.push(ch),
                _ => {}
            }
        }
        for part in literal.split('\u{0}') {
            let part = part.trim_matches(|c: char| c == ' ' || c == '`' || c == '(' || c == ')');
            if part.len() >= 6 && part.contains(' ') {
                fragments.push(part.to_owned());
            }
        }
    }
    fragments.sort();
    fragments.dedup();
    fragments
}

/// Every finding message and note, and every notice, of a JSON report.
fn messages(json: &serde_json::Value, out: &mut Vec<String>) {
    match json {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("message", serde_json::Value::String(s)) => out.push(s.clone()),
                    ("notes" | "notices", serde_json::Value::Array(a)) => {
                        out.extend(a.iter().filter_map(|n| n.as_str().map(str::to_owned)));
                    }
                    _ => messages(v, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| messages(v, out)),
        _ => {}
    }
}

/// Every rule fixture and sample, reported in German: no finding message, note or
/// notice may keep English words of sovra's own.
#[test]
fn german_finding_messages_on_every_fixture() {
    let fragments = english_message_fragments();
    assert!(fragments.len() > 100, "{fragments:?}");
    let root = crate::support::root();
    let mut runs: Vec<Vec<String>> = ["opendesk", "proprietary-suite", "rust-service"]
        .iter()
        .map(|s| vec![format!("samples/{s}")])
        .collect();
    let dirs = |base: &str, depth: usize| -> Vec<std::path::PathBuf> {
        let mut found = vec![root.join(base)];
        for _ in 0..depth {
            found = found
                .iter()
                .flat_map(|d| {
                    std::fs::read_dir(d)
                        .expect("fixture dir")
                        .map(|e| e.expect("entry").path())
                })
                .filter(|p| p.is_dir())
                .collect();
        }
        found.sort();
        found
    };
    // Every case of every rule's fixture (`tests/fixtures/rules/<ID>/<case>/`).
    for dir in dirs(crate::support::RULE_FIXTURES, 1) {
        let rule = dir
            .file_name()
            .expect("rule id")
            .to_string_lossy()
            .into_owned();
        for case in crate::support::rule_cases(&rule) {
            runs.push(crate::support::case_args(&case));
        }
    }
    // Inputs that make notices (unresolved references, a subject listed twice), and
    // licence strings read leniently.
    for file in [
        "tests/fixtures/sbom/product.cdx.json",
        "tests/fixtures/npm/nested-v1.json",
        "tests/fixtures/npm/workspace-v3.json",
        "tests/fixtures/cargo/sources.json",
        // Licence strings that need lenient reading.
        "tests/fixtures/licenses/package-lock.json",
        "tests/fixtures/licenses/lenient.cdx.json",
    ] {
        runs.push(vec![root.join(file).display().to_string()]);
    }
    let mut seen = 0;
    let mut leaks = Vec::new();
    for run in &runs {
        let mut args = vec!["report"];
        args.extend(run.iter().map(String::as_str));
        args.extend(["--lang", "de", "--format", "json", "--date", "2026-11-22"]);
        let out = sovra(&args);
        assert!(
            out.status.code() != Some(2),
            "{run:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("report is JSON");
        let mut texts = Vec::new();
        messages(&json, &mut texts);
        seen += texts.len();
        for t in texts {
            if let Some(f) = fragments.iter().find(|f| t.contains(f.as_str())) {
                leaks.push(format!("{run:?}: `{f}` in {t:?}"));
            }
        }
    }
    assert!(seen > 300, "only {seen} messages and notes seen");
    assert!(
        leaks.is_empty(),
        "English in German reports:\n{}",
        leaks.join("\n")
    );
}

/// Lenient readings: each step, and the knowledge base's reason for a judgement
/// (`why.de` in `rules/licenses/lenient.toml`), in German.
#[test]
fn german_lenient_rewrites_and_their_reasons() {
    let out = sovra(&[
        "report",
        "tests/fixtures/licenses/lenient.cdx.json",
        "--lang",
        "de",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("report is JSON");
    let mut texts = Vec::new();
    messages(&json, &mut texts);
    for expected in [
        "Umschreibung: `/` gelesen als `OR`",
        "Umschreibung: `,` gelesen als `AND` (jede genannte Lizenz gilt)",
        "Umschreibung: `LGPL` → `LicenseRef-sovra-ambiguous-LGPL` (keine LGPL-Version angegeben)",
        "Umschreibung: `(https://opensource.org/licenses/MIT)` weggelassen (ein Link, keine Lizenz)",
        "`dual@1.0.0` gibt `MIT/Apache 2` an, das ist kein SPDX; gelesen als `MIT OR Apache-2.0`",
    ] {
        assert!(
            texts.iter().any(|t| t == expected),
            "missing {expected:?} in {texts:#?}"
        );
    }
}

/// A competence centre's house style rewords a finding message in
/// `--templates DIR/locales/de.toml`, and only that message.
#[test]
fn house_style_rewords_a_finding_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("locales")).expect("locales dir");
    std::fs::write(
        dir.path().join("locales/de.toml"),
        "[msg.facts]\nnone = \"{what}: ohne Faktendatei nicht geprüft\"\n",
    )
    .expect("house style");
    let templates = dir.path().display().to_string();
    let md = german_md(&["samples/rust-service", "--templates", &templates]);
    assert!(
        md.contains("- Pflegezustand: ohne Faktendatei nicht geprüft"),
        "{md}"
    );
    assert!(!md.contains("nicht bewertet: keine Faktendatei"), "{md}");
    // The hint beside it keeps the built-in words.
    assert!(md.contains("über die Eingaben ausführen"), "{md}");
}
