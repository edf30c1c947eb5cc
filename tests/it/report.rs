//! `sovra report`: every format over the samples (snapshots), hostile inputs, atomic
//! output, reproducibility, and the HTML and ODF outputs opened by a real browser and a
//! real office suite.

// Helpers outside `#[test]` functions: test code all the same.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{root, sovra};

/// A CycloneDX SBOM whose names try to break out of every output format.
const HOSTILE_BOM: &str = r#"{
  "bomFormat": "CycloneDX",
  "specVersion": "1.5",
  "version": 1,
  "metadata": {
    "timestamp": "2026-01-01T00:00:00Z",
    "component": {"type": "application", "bom-ref": "app", "name": "app & <friends>", "version": "1.0.0",
                  "licenses": [{"license": {"id": "EUPL-1.2"}}]}
  },
  "components": [
    {"type": "library", "bom-ref": "x", "name": "<script>alert(1)</script>", "version": "1.0.0",
     "purl": "pkg:npm/x@1.0.0", "licenses": [{"license": {"id": "MIT"}}]},
    {"type": "library", "bom-ref": "ab", "name": "a|b", "version": "2.0.0",
     "purl": "pkg:npm/a-b@2.0.0", "licenses": [{"license": {"name": "Custom <b>licence</b> | *terms*"}}]}
  ],
  "dependencies": [{"ref": "app", "dependsOn": ["x", "ab"]}]
}
"#;

fn run_ok(args: &[&str]) -> String {
    let out = sovra(args);
    assert!(
        out.status.success(),
        "sovra {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Renders `inputs` in `format` to stdout (`--date` fixed, so the output is stable).
fn report(inputs: &[&str], format: &str, lang: &str) -> String {
    let mut args = vec!["report"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(&["--format", format, "--lang", lang, "--date", "2026-11-22"]);
    run_ok(&args)
}

#[test]
fn report_snapshots_of_every_format_on_the_samples() {
    for (sample, format, lang) in [
        ("samples/opendesk", "md", "en"),
        ("samples/rust-service", "json", "en"),
        ("samples/opendesk", "summary", "de"),
        ("samples/rust-service", "html", "de"),
        ("samples/rust-service", "fodt", "en"),
    ] {
        let mut text = report(&[sample], format, lang);
        // openDesk's real inventories give thousands of findings: the snapshot keeps
        // the summary, score and components, up to the findings.
        if let Some(end) = text.find("### Findings by severity") {
            text.truncate(end);
        }
        let name = sample.trim_start_matches("samples/");
        insta::assert_snapshot!(format!("{name}.{lang}.{format}"), text);
    }
}

#[test]
fn report_comparison_snapshot() {
    let text = report(
        &["--compare", "samples/opendesk", "samples/proprietary-suite"],
        "md",
        "en",
    );
    assert!(text.contains("## Side-by-side comparison"));
    assert!(text.contains("**Ranked first:** openDesk CE"));
    assert!(text.contains("## openDesk CE") && text.contains("## Nimbus Workplace Cloud"));
    // The comparison itself; each candidate's section is what the single reports show.
    let end = text
        .match_indices("\n## ")
        .nth(1)
        .map_or(text.len(), |(i, _)| i);
    insta::assert_snapshot!("compare.en.md", &text[..end]);
}

#[test]
fn report_keeps_hostile_names_as_text_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let bom = dir.path().join("bom.json");
    std::fs::write(&bom, HOSTILE_BOM).unwrap();
    let bom = path_str(&bom);

    let html = report(&[bom], "html", "en");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(!html.contains("<script"), "no script element may appear");
    assert!(!html.contains("<b>licence"));

    let md = report(&[bom], "md", "en");
    assert!(md.contains("&lt;script&gt;alert\\(1\\)&lt;/script&gt;"));
    assert!(md.contains("a\\|b"));
    assert!(!md.contains("<script") && !md.contains("<b>"));
    for line in md
        .lines()
        .filter(|l| l.starts_with('|') && l.contains("a\\|b"))
    {
        let cells = line.replace("\\|", "").matches('|').count();
        let header = md
            .lines()
            .take_while(|l| *l != line)
            .filter(|l| l.starts_with("|---") || l.starts_with("|--"))
            .last()
            .expect("table header");
        assert_eq!(cells, header.matches('|').count(), "{line}");
    }

    let fodt = report(&[bom], "fodt", "de");
    assert!(fodt.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(fodt.contains("app &amp; &lt;friends&gt;"));
    assert!(!fodt.contains("<script") && !fodt.contains("<b>"));

    let json: serde_json::Value = serde_json::from_str(&report(&[bom], "json", "en")).unwrap();
    let names: Vec<&str> = json["candidates"][0]["licenses"]["expressions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["packages"].as_array().unwrap())
        .filter_map(|p| p.as_str())
        .collect();
    assert!(
        names.contains(&"<script>alert(1)</script>@1.0.0"),
        "JSON keeps the raw name: {names:?}"
    );
}

#[test]
fn report_states_its_date_and_is_byte_identical_with_date() {
    // The date of the assessment is evidence: without `--date`, today's.
    let today = run_ok(&["report", "samples/rust-service", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&today).unwrap();
    let date = json["date"]
        .as_str()
        .expect("an undated run states today's date");
    assert!(
        date.parse::<jiff::civil::Date>().is_ok(),
        "not a date: {date}"
    );
    let html = run_ok(&["report", "samples/rust-service", "--format", "html"]);
    assert!(html.contains("As of "), "the HTML states its date");
    assert!(!html.contains("Undated"));
    // `--date` fixes it: same inputs, same bytes.
    let a = report(&["samples/rust-service"], "html", "en");
    let b = report(&["samples/rust-service"], "html", "en");
    assert_eq!(a, b);
    let dated = report(&["samples/rust-service"], "md", "en");
    assert!(dated.contains("As of 22 November 2026"));
}

#[test]
fn report_writes_the_file_atomically_and_prints_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let o = sovra(&["report", "samples/rust-service", "-o", path_str(&out)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty(), "data goes to the file");
    assert!(String::from_utf8_lossy(&o.stderr).contains("rust-service: "));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(entries(dir.path()), vec!["report.html"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o044, 0o044, "a report is readable by others");
    }
}

#[test]
fn report_template_error_leaves_no_file_and_no_temp_litter() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("house-style");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("report.html"),
        "<h1>{{ t('report.title') }}</h1>\n<p>{{ report.candidates[0].verdcit }}</p>\n",
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let out = out_dir.join("report.html");
    // An existing report stays untouched too.
    std::fs::write(&out, "previous report").unwrap();
    let o = sovra(&[
        "report",
        "samples/rust-service",
        "-o",
        path_str(&out),
        "--templates",
        path_str(&templates),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("report.html:2:1: undefined value"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous report");
    assert_eq!(entries(&out_dir), vec!["report.html"]);

    // A missing output directory fails without creating anything.
    let missing = dir.path().join("missing/report.md");
    let o = sovra(&["report", "samples/rust-service", "-o", path_str(&missing)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn report_templates_dir_replaces_single_files_and_words() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("locales")).unwrap();
    std::fs::write(
        dir.path().join("locales/de.toml"),
        "[report]\ntitle = \"Prüfbericht des ITDZ\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("summary.txt"),
        "{% for c in report.candidates %}{{ c.name }}={{ c.verdict }}{% endfor %}\n",
    )
    .unwrap();
    let t = path_str(dir.path());
    let md = run_ok(&[
        "report",
        "samples/rust-service",
        "-f",
        "md",
        "--lang",
        "de",
        "--templates",
        t,
    ]);
    assert!(
        md.starts_with("# Prüfbericht des ITDZ: rust-service"),
        "{md}"
    );
    let summary = run_ok(&["report", "samples/rust-service", "--templates", t]);
    let json: serde_json::Value =
        serde_json::from_str(&run_ok(&["report", "samples/rust-service", "-f", "json"])).unwrap();
    let verdict = json["candidates"][0]["verdict"].as_str().unwrap();
    assert_eq!(summary, format!("rust-service={verdict}"));
}

#[test]
fn report_rejects_bad_options_with_status_2() {
    for args in [
        vec!["report", "samples/rust-service", "--date", "22.11.2026"],
        vec!["report", "samples/rust-service", "-o", "report.docx"],
        vec![
            "report",
            "samples/rust-service",
            "--templates",
            "no/such/dir",
        ],
    ] {
        let o = sovra(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: "));
    }
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Where the browser and office tests leave their screenshots and PDFs for a person to
/// look at (not committed).
fn artefacts() -> PathBuf {
    let dir = root().join("target/report-artefacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The sample the visual tests render: openDesk when present, else the Rust service.
fn showcase() -> (&'static str, &'static str) {
    if root().join("samples/opendesk").is_dir() {
        ("samples/opendesk", "samples/proprietary-suite")
    } else {
        ("samples/rust-service", "samples/rust-service/metadata.json")
    }
}

/// `true` when `tool` exists; otherwise prints a note and returns `false`, or fails
/// when `CI` is set (CI installs the tools).
fn have(tool: &str) -> bool {
    if Path::new(tool).exists() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "`{tool}` is missing but CI is set: .ci/run installs it"
    );
    eprintln!("note: `{tool}` is not installed; skipping");
    false
}

const CHROMIUM: &str = "/usr/bin/chromium";

/// Loads `html` in headless Chromium, saves a screenshot, and returns what Chromium
/// logged about the page (console messages, blocked loads).
fn chromium(html: &Path, png: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-extensions",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Lines of Chromium's log that concern the page: console output, CSP violations,
/// failed or blocked loads. Chromium's own start-up noise (D-Bus, GPU) is not about
/// the page.
fn page_problems(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| {
            l.contains("CONSOLE")
                || l.contains("Content Security Policy")
                || l.contains("Refused to")
                || l.contains("net::ERR")
                || l.contains("Uncaught")
        })
        .collect()
}

#[test]
fn report_html_renders_in_chromium_without_errors_or_external_loads() {
    if !have(CHROMIUM) {
        return;
    }
    let (one, other) = showcase();
    let dir = artefacts();
    for (name, args) in [
        ("single", vec!["report", one]),
        ("comparison", vec!["report", "--compare", one, other]),
    ] {
        for lang in ["de", "en"] {
            let html = dir.join(format!("{name}-{lang}.html"));
            let mut a = args.clone();
            a.extend_from_slice(&[
                "--lang",
                lang,
                "--date",
                "2026-11-22",
                "-o",
                path_str(&html),
            ]);
            run_ok(&a);
            let text = std::fs::read_to_string(&html).unwrap();
            assert!(
                no_external_refs(&text),
                "{name}-{lang} asks for an external resource"
            );
            let png = dir.join(format!("{name}-{lang}.png"));
            let log = chromium(&html, &png);
            assert!(
                page_problems(&log).is_empty(),
                "{name}-{lang}: {:?}",
                page_problems(&log)
            );
            let shot = std::fs::metadata(&png).expect("screenshot written");
            assert!(shot.len() > 10_000, "screenshot looks empty");
        }
    }
}

/// The CSP is what guarantees no external load; this double-checks that no element
/// even asks for one (links in text are fine, resources are not).
fn no_external_refs(html: &str) -> bool {
    !["src=\"http", "href=\"http", "url(http", "@import"]
        .iter()
        .any(|p| html.contains(p))
}

#[test]
fn report_csp_blocks_and_logs_an_external_load() {
    // The harness must be able to see a violation, or its silence proves nothing.
    if !have(CHROMIUM) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("templates");
    std::fs::create_dir(&t).unwrap();
    let builtin = std::fs::read_to_string(root().join("report-templates/report.html")).unwrap();
    std::fs::write(
        t.join("report.html"),
        builtin.replace(
            "</main>",
            "<img src=\"https://example.org/x.png\" alt=\"\"></main>",
        ),
    )
    .unwrap();
    let html = dir.path().join("r.html");
    run_ok(&[
        "report",
        "samples/rust-service",
        "--templates",
        path_str(&t),
        "-o",
        path_str(&html),
    ]);
    let log = chromium(&html, &dir.path().join("r.png"));
    assert!(
        page_problems(&log)
            .iter()
            .any(|l| l.contains("Content Security Policy") || l.contains("Refused")),
        "no violation logged:\n{log}"
    );
}

const SOFFICE: &str = "/usr/bin/libreoffice";

#[test]
fn report_fodt_converts_to_pdf_with_libreoffice() {
    if !have(SOFFICE) {
        return;
    }
    let (one, other) = showcase();
    let dir = artefacts();
    let fodt = dir.join("comparison-de.fodt");
    run_ok(&[
        "report",
        "--compare",
        one,
        other,
        "--lang",
        "de",
        "--date",
        "2026-11-22",
        "-o",
        path_str(&fodt),
    ]);
    let profile = tempfile::tempdir().unwrap();
    let pdf = dir.join("comparison-de.pdf");
    let _ = std::fs::remove_file(&pdf);
    let out = Command::new(SOFFICE)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&fodt)
        .output()
        .expect("run libreoffice");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&pdf).expect("PDF written");
    assert!(bytes.starts_with(b"%PDF"));
    // More than a title page: the comparison, each candidate and the notices.
    // Page objects are `/Type/Page` followed by a delimiter; the tree is `/Type/Pages`.
    let pages = bytes
        .windows(11)
        .filter(|w| w.starts_with(b"/Type/Page") && !w[10].is_ascii_alphanumeric())
        .count();
    assert!(pages >= 2, "only {pages} pages");
}

#[test]
fn report_evidence_names_the_facts_file_and_its_age_when_dated() {
    let lock = "tests/fixtures/rules/GOV002/fire/package-lock.json";
    let facts = "tests/fixtures/rules/GOV002/fire/facts.json";
    let md = |extra: &[&str]| {
        let mut args = vec!["report", lock, "--format", "md"];
        args.extend_from_slice(extra);
        let out = sovra(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines()
            .find(|l| l.starts_with("| Facts file from sovra enrich |"))
            .unwrap_or_else(|| panic!("no facts row in:\n{text}"))
            .to_owned()
    };
    // The file was generated on 2026-11-01: 21 days before the report's date.
    let dated = md(&["--facts", facts, "--date", "2026-11-22"]);
    assert!(dated.contains(facts), "{dated}");
    assert!(dated.contains("fetched 2026-11-01T00:00:00Z"), "{dated}");
    assert!(dated.contains("age in days: 21"), "{dated}");
    let sha: String = {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(std::fs::read(root().join(facts)).unwrap());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    };
    assert!(dated.contains(&sha), "{dated}");
    // Without `--date` the report states today's date and the age on it.
    let undated = md(&["--facts", facts]);
    assert!(undated.contains("age in days"), "{undated}");
    // Without a facts file the report says that no network facts were used.
    assert!(md(&[]).contains("none: no network facts were used"));
}

/// A CycloneDX SBOM of `n` npm packages that state no licence.
fn many_packages_without_licence(n: usize) -> String {
    let comps: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"type":"library","bom-ref":"p{i}","name":"pkg{i}","version":"1.0.0","purl":"pkg:npm/pkg{i}@1.0.0"}}"#
            )
        })
        .collect();
    let refs: Vec<String> = (0..n).map(|i| format!("\"p{i}\"")).collect();
    format!(
        r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
  "metadata":{{"component":{{"type":"application","bom-ref":"app","name":"app","version":"1.0.0",
    "licenses":[{{"license":{{"id":"EUPL-1.2"}}}}]}}}},
  "components":[{}],
  "dependencies":[{{"ref":"app","dependsOn":[{}]}}]}}"#,
        comps.join(","),
        refs.join(",")
    )
}

#[test]
fn findings_of_one_cause_are_grouped_with_their_packages() {
    let dir = tempfile::tempdir().unwrap();
    let bom = dir.path().join("many.cdx.json");
    std::fs::write(&bom, many_packages_without_licence(40)).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&report(&[path_str(&bom)], "json", "en")).unwrap();
    let rules = json["candidates"][0]["findings"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rules"].as_array().unwrap().iter());
    let lic001 = rules
        .into_iter()
        .find(|r| r["rule"] == "LIC001")
        .expect("LIC001 reports the missing licences");
    assert_eq!(lic001["findings"].as_array().unwrap().len(), 0, "{lic001}");
    let grouped = lic001["grouped"].as_array().unwrap();
    assert_eq!(grouped.len(), 1, "one entry for one cause: {lic001}");
    assert_eq!(grouped[0]["cause"], "license-expression.missing");
    assert_eq!(grouped[0]["count"], 40);
    let packages = grouped[0]["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 40);
    assert!(packages.iter().any(|p| p == "pkg39@1.0.0"));
    // The HTML says it once, with the count, and names packages, not 40 lines.
    let html = report(&[path_str(&bom)], "html", "en");
    assert!(
        html.contains("40 findings of this kind."),
        "grouped wording"
    );
    assert!(
        html.contains("and 20 more"),
        "long lists are cut in the body"
    );
    assert!(!html.contains("pkg9@1.0.0 states no licence"));
}

#[test]
fn comparison_puts_summaries_first_and_one_shared_appendix_last() {
    let args = ["--compare", "samples/opendesk", "samples/proprietary-suite"];
    for format in ["html", "md", "fodt"] {
        let text = report(&args, format, "en");
        let (first, second) = (
            text.find("openDesk CE"),
            text.rfind("Nimbus Workplace Cloud"),
        );
        assert!(first.is_some() && second.is_some());
        // Where the second candidate's summary starts: its verdict banner.
        let second_summary = match format {
            "html" => text.find("<h2 id=\"c2-h\">").unwrap(),
            "md" => text.find("\n## Nimbus Workplace Cloud 2026").unwrap(),
            _ => text.find("<text:bookmark text:name=\"toc-c2\"/>").unwrap(),
        };
        let first_details = match format {
            "html" => text.find("<h2 id=\"c1-details-h\">").unwrap(),
            "md" => text.find("\n## openDesk CE: details").unwrap(),
            _ => text.find("<text:bookmark text:name=\"toc-d1\"/>").unwrap(),
        };
        let appendix = match format {
            "html" => text.find("<h2 id=\"appendix-h\">").unwrap(),
            "md" => text.find("\n## Appendix: third-party notices").unwrap(),
            _ => text
                .find("<text:bookmark text:name=\"toc-appendix\"/>")
                .unwrap(),
        };
        assert!(second_summary < first_details, "{format}: summaries first");
        assert!(
            first_details < appendix,
            "{format}: details before the appendix"
        );
        // Once, after everything else (the legend is the last section before it).
        let marker = match format {
            "html" => "<h2 id=\"appendix-h\">",
            "md" => "\n## Appendix: third-party notices",
            _ => "<text:bookmark text:name=\"toc-appendix\"/>",
        };
        assert_eq!(text.matches(marker).count(), 1, "{format}: one appendix");
        let legend = text.rfind("How to read this report").unwrap();
        assert!(legend < appendix, "{format}: the appendix is last");
        // The appendix is shared: each licence once.
        let apache = text.matches("Apache License 2.0 (Apache-2.0)").count()
            + text
                .matches("Apache License 2.0 <span class=\"muted\">")
                .count();
        assert_eq!(apache, 1, "{format}: Apache-2.0 once");
        // Every report explains its numbers.
        assert!(text.contains("How to read this report"), "{format}: legend");
    }
    // `--no-appendix` leaves it out.
    let mut no = args.to_vec();
    no.push("--no-appendix");
    let text = report(&no, "html", "en");
    assert!(!text.contains("id=\"appendix-h\""));
    assert!(text.contains("Nimbus Workplace Cloud"));
}

#[test]
fn house_style_locale_with_an_unknown_key_is_an_error_at_its_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("locales")).unwrap();
    std::fs::write(
        dir.path().join("locales/en.toml"),
        "[report]\ntitle = \"Offer report\"\n  titel = \"misspelt\"\n",
    )
    .unwrap();
    let out = sovra(&[
        "report",
        "samples/rust-service",
        "--format",
        "md",
        "--templates",
        path_str(dir.path()),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("en.toml:3:3"), "{err}");
    assert!(err.contains("unknown locale key `report.titel`"), "{err}");
    // A known key is taken as it is.
    std::fs::write(
        dir.path().join("locales/en.toml"),
        "[report]\ntitle = \"Offer report\"\n",
    )
    .unwrap();
    let md = run_ok(&[
        "report",
        "samples/rust-service",
        "--format",
        "md",
        "--date",
        "2026-11-22",
        "--templates",
        path_str(dir.path()),
    ]);
    assert!(md.contains("# Offer report: "), "{md}");
}

#[test]
fn fodt_has_contents_with_page_numbers_fitted_columns_and_chart_images() {
    let fodt = report(
        &["--compare", "samples/opendesk", "samples/proprietary-suite"],
        "fodt",
        "de",
    );
    let doc = roxmltree::Document::parse(&fodt).expect("well-formed XML");
    let text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
    let draw_ns = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
    let office_ns = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
    // Page numbers in the footer and a table of contents whose entries point at
    // bookmarks that exist, with the page each starts on.
    assert!(fodt.contains("<text:page-number"));
    let toc = doc
        .descendants()
        .find(|n| n.has_tag_name((text_ns, "table-of-content")))
        .expect("a table of contents");
    let refs: Vec<&str> = toc
        .descendants()
        .filter(|n| n.has_tag_name((text_ns, "bookmark-ref")))
        .map(|n| {
            assert_eq!(n.attribute((text_ns, "reference-format")), Some("page"));
            n.attribute((text_ns, "ref-name")).unwrap()
        })
        .collect();
    let marks: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((text_ns, "bookmark")))
        .filter_map(|n| n.attribute((text_ns, "name")))
        .collect();
    assert_eq!(
        refs.len(),
        8,
        "comparison, 2 summaries, 2 details, legend, a package list, attribution"
    );
    for r in &refs {
        assert!(marks.contains(r), "entry {r} points at no heading");
    }
    // Vendor and country charts as embedded SVG images, one pair per candidate.
    let images: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((draw_ns, "image")))
        .map(|n| {
            n.children()
                .find(|c| c.has_tag_name((office_ns, "binary-data")))
                .and_then(|c| c.text())
                .expect("embedded image data")
        })
        .collect();
    assert_eq!(images.len(), 4, "organisations and countries per candidate");
    for data in images {
        // base64 of `<svg `
        assert!(data.starts_with("PHN2ZyB"), "{}", &data[..20]);
    }
    // Every table declares one fitted width per column, 17 cm in all.
    for table in doc
        .descendants()
        .filter(|n| n.has_tag_name(("urn:oasis:names:tc:opendocument:xmlns:table:1.0", "table")))
    {
        let widths: Vec<u32> = table
            .children()
            .filter(|c| c.tag_name().name() == "table-column")
            .map(|c| {
                let style = c
                    .attribute((
                        "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
                        "style-name",
                    ))
                    .unwrap();
                style.trim_start_matches('W').parse().unwrap()
            })
            .collect();
        let sum: u32 = widths.iter().sum();
        assert!((32..=34).contains(&sum), "{widths:?}");
    }
}

/// A flat SBOM of `n` packages `pkg-NNNN@1.0.0`, every other one without a licence.
fn flat_sbom(path: &Path, n: usize) {
    let components: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let mut c = serde_json::json!({
                "bom-ref": format!("c{i}"),
                "type": "library",
                "name": format!("pkg-{i:04}"),
                "version": "1.0.0",
                "purl": format!("pkg:npm/pkg-{i:04}@1.0.0"),
            });
            if i % 2 == 0 {
                c["licenses"] = serde_json::json!([{"license": {"id": "MIT"}}]);
            }
            c
        })
        .collect();
    let bom = serde_json::json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "components": components,
    });
    let bytes = serde_json::to_vec(&bom).expect("serialise the SBOM");
    std::fs::write(path, bytes).expect("write the SBOM");
}

/// The body summarises packages per component (licence classes, organisations,
/// origin); the full package lists are an appendix after the findings and details, and
/// `--no-appendix` leaves them out. In every document format, and in a comparison after
/// every candidate's details, before the shared attribution appendix.
#[test]
fn package_lists_are_an_appendix_and_the_body_summarises() {
    let dir = tempfile::tempdir().unwrap();
    let sbom = dir.path().join("flat.cdx.json");
    flat_sbom(&sbom, 400);
    let sbom = path_str(&sbom);
    // Late in every sorted list, so no grouped finding's first names show it.
    let late = "pkg-0399@1.0.0";
    let html = run_ok(&["report", sbom, "--date", "2026-03-01", "--format", "html"]);
    let body_end = html
        .find("id=\"c1-packages\"")
        .expect("a package lists appendix");
    let (body, appendix) = html.split_at(body_end);
    assert!(!body.contains(late), "the body lists every package");
    assert!(appendix.contains(late));
    assert!(
        appendix.find("id=\"c1-packages\"") < appendix.find("id=\"appendix\""),
        "package lists before the attribution appendix"
    );
    assert!(body.find("id=\"c1-findings\"") < body.find("id=\"c1-components\""));
    // The summary: 400 packages, 200 permissive and 200 of unknown licence.
    assert!(
        body.contains("<caption>Packages per component</caption>"),
        "{body}"
    );
    assert!(body.contains("permissive 200 · unknown 200"), "{body}");
    assert!(
        body.contains(
            "200 runtime packages have no usable licence; they are listed in the appendix."
        )
    );
    let md = run_ok(&["report", sbom, "--date", "2026-03-01", "--format", "md"]);
    let lists = md
        .find("## Appendix: package lists of")
        .expect("md appendix");
    assert!(!md[..lists].contains(late) && md[lists..].contains(late));
    assert!(md.find("## How to read this report") < Some(lists));
    let fodt = run_ok(&["report", sbom, "--date", "2026-03-01", "--format", "fodt"]);
    let lists = fodt
        .find("Appendix: package lists of")
        .expect("fodt appendix");
    // The table of contents names the appendix first; the heading is the second.
    let heading = lists
        + 1
        + fodt[lists + 1..]
            .find("Appendix: package lists of")
            .unwrap();
    assert!(!fodt[..heading].contains(late) && fodt[heading..].contains(late));
    for format in ["html", "md", "fodt"] {
        let out = run_ok(&[
            "report",
            sbom,
            "--date",
            "2026-03-01",
            "--format",
            format,
            "--no-appendix",
        ]);
        assert!(!out.contains(late), "{format}: a list with --no-appendix");
        assert!(!out.contains("package lists of"), "{format}");
        assert!(
            out.contains("200 runtime packages have no usable licence."),
            "{format}"
        );
    }
    // A comparison: every candidate's details, then the package lists, then the
    // attribution appendix.
    let cmp = run_ok(&[
        "report",
        "--compare",
        "samples/rust-service",
        sbom,
        "--date",
        "2026-03-01",
        "--format",
        "html",
    ]);
    let lists = cmp
        .find("id=\"c2-packages\"")
        .expect("the second candidate's lists");
    assert!(cmp.find("id=\"c2-details\"").unwrap() < lists);
    assert!(cmp.find("id=\"legend\"").unwrap() < lists);
    assert!(lists < cmp.find("id=\"appendix\"").unwrap());
    assert!(!cmp[..lists].contains(late));
}
