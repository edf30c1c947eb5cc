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
        .find("Anhang: Hinweise zu Drittkomponenten")
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
        md.contains("  - oberste Muttergesellschaft: Collabora Ltd \\(GB\\)"),
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
    let cut = html
        .find("Anhang: Hinweise zu Drittkomponenten")
        .unwrap_or(html.len());
    let html = &html[..cut];
    assert!(
        html.contains("Gesamtgewicht: 26 · Gewicht mit Nachweis: 26"),
        "{html}"
    );
    assert!(html.contains("HHI: 0,136 · offenes Gewicht: 26 · Elefantenfaktor: 3"));
    assert!(html.contains("<code>Nextcloud Hub</code>: kein Nachweis"));
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
