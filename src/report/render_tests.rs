//! Rendering tests over a hand-built candidate: every format, both languages, hostile
//! package names, strict templates.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::build::{self, Subject};
use super::model::Report;
use super::render::{self, Format, Templates};
use crate::assess::{self, Analysis};
use crate::facts::Facts;
use crate::facts::{Extra, Kb};
use crate::finding::{AppliedException, Finding, Hit, Level};
use crate::graph::DepGraph;
use crate::ingest::candidate::Candidate as Offer;
use crate::license;
use crate::locale::Locale;
use crate::model::{
    DocumentMeta, Ecosystem, EdgeKind, InputFormat, Inventory, Package, PackageId, PkgIdx,
};
use crate::policy::EffectivePolicy;
use crate::score::{self, Score};
use crate::vendors;

fn pkg(name: &str, version: &str, license: &str, repo: Option<&str>) -> Package {
    Package {
        id: PackageId::synthetic(&Ecosystem::Npm, name, Some(version)),
        name: name.into(),
        version: Some(version.into()),
        ecosystem: Ecosystem::Npm,
        declared: if license.is_empty() {
            vec![]
        } else {
            vec![license.into()]
        },
        repository: repo.map(str::to_owned),
        ..Package::default()
    }
}

/// A small product with hostile names, an unknown licence, copyleft and an exception.
pub(crate) fn inventory() -> Inventory {
    let mut inv = Inventory::new();
    let path = std::path::Path::new("sbom|<x>.json");
    inv.add_input(crate::ingest::input_file(
        path,
        InputFormat::CycloneDxJson,
        DocumentMeta::default(),
    ));
    crate::ingest::seal(&mut inv, path, b"{}");
    let root = inv.add_package(pkg(
        "fachverfahren",
        "2.1.0",
        "EUPL-1.2",
        Some("https://gitlab.opencode.de/behoerde/fachverfahren"),
    ));
    let script = inv.add_package(pkg(
        "<script>alert(1)</script>",
        "1.0.0",
        "MIT",
        Some("https://github.com/evil/x"),
    ));
    let pipe = inv.add_package(pkg(
        "a|b",
        "0.3.0",
        "GPL-3.0-only",
        Some("git+https://github.com/Pipes/a-b.git"),
    ));
    let agpl = inv.add_package(pkg("*bold* [link](x)", "4.0.0", "AGPL-3.0-or-later", None));
    let none = inv.add_package(pkg("nolicence", "0.1.0", "", None));
    let odd = inv.add_package(pkg("odd", "1.2.3", "MIT/Apache 2", None));
    let dev = inv.add_package(pkg("devtool", "9.0.0", "Apache-2.0", None));
    inv.packages[agpl.index()].supplier = Some("Example & Söhne GmbH".into());
    for (to, kind) in [
        (script, EdgeKind::Runtime),
        (pipe, EdgeKind::Runtime),
        (none, EdgeKind::Runtime),
        (dev, EdgeKind::Dev),
    ] {
        inv.add_edge(root, to, kind, None);
    }
    inv.add_edge(pipe, agpl, EdgeKind::Runtime, None);
    inv.add_edge(pipe, odd, EdgeKind::Runtime, None);
    inv.add_root(root);
    inv.notice(
        crate::model::InputIdx(0),
        crate::text::Text::as_is("component `a|b` listed twice"),
    );
    inv.finish();
    inv
}

fn findings(inv: &Inventory, graph: &DepGraph) -> Vec<Finding> {
    let find = |name: &str| {
        PkgIdx(
            inv.packages
                .iter()
                .position(|p| p.name == name)
                .expect("package") as u32,
        )
    };
    let path = |p: PkgIdx| {
        let scope = crate::graph::Scope::Runtime;
        graph.is_reachable(p, scope).then_some((p, scope))
    };
    let agpl = find("*bold* [link](x)");
    let pipe = find("a|b");
    let none = find("nolicence");
    vec![
        Finding {
            rule: "LIC005".into(),
            level: Level::Gate,
            hit: Hit {
                package: Some(agpl),
                message: crate::text::Text::as_is(
                    "`AGPL-3.0-or-later` is incompatible with `EUPL-1.2` <b>here</b>",
                ),
                notes: vec![crate::text::Text::as_is("OSADL matrix: No")],
                ..Hit::default()
            },
            path: path(agpl),
            exception: None,
        },
        Finding {
            rule: "LIC001".into(),
            level: Level::Warn,
            hit: Hit {
                package: Some(none),
                message: crate::text::Text::as_is("no licence stated"),
                ..Hit::default()
            },
            path: path(none),
            exception: None,
        },
        Finding {
            rule: "LIC004".into(),
            level: Level::Deny,
            hit: Hit {
                package: Some(pipe),
                message: crate::text::Text::as_is("strong copyleft | in the runtime graph"),
                subject: Some("GPL-3.0-only".into()),
                ..Hit::default()
            },
            path: path(pipe),
            exception: Some(AppliedException {
                index: 0,
                reason: "used as a separate program <ok>".into(),
                owner: "OSPO Berlin".into(),
                expires: Some("2027-03-31".into()),
                layer: "project".into(),
            }),
        },
    ]
}

fn analysed(offer: Offer, inv: Inventory, hand_findings: bool) -> (Analysis, Score) {
    let catalogue = crate::engine::embedded_catalogue().unwrap();
    let policy = EffectivePolicy::defaults(&catalogue);
    let today = "2026-11-22".parse().unwrap();
    let licenses = license::resolve_all(&inv);
    let facts = Facts::build(
        offer,
        &inv,
        &licenses,
        vendors::builtin().unwrap(),
        BTreeMap::new(),
    );
    let mut a = assess::analyse(
        inv,
        licenses,
        catalogue,
        policy,
        Kb::embedded().unwrap(),
        Extra {
            facts,
            ..Extra::default()
        },
        today,
    )
    .unwrap();
    if hand_findings {
        let extra = findings(&a.inventory, &a.graph);
        a.findings.extend(extra);
    }
    let objective_of = |id: &str| a.catalogue.get(id).and_then(|r| r.csf_objective());
    let score = score::score(
        &a.extra.facts,
        &a.findings,
        &objective_of,
        &score::Config::default(),
    );
    (a, score)
}

pub(crate) fn report(lang: &str, compare: bool) -> Report {
    let first = Offer {
        name: "Fachverfahren <Test> | GmbH".into(),
        version: Some("2.1".into()),
        vendor: Some("Beispiel & Partner".into()),
        deployment: Some(crate::ingest::candidate::Deployment::SelfHosted),
        implicit: false,
        ..Offer::default()
    };
    let (a1, s1) = analysed(first, inventory(), true);
    let mut inv2 = Inventory::new();
    let a = inv2.add_package(pkg(
        "clean-suite",
        "1.0.0",
        "MIT",
        Some("https://github.com/clean/suite"),
    ));
    let b = inv2.add_package(pkg(
        "dep",
        "1.0.0",
        "Apache-2.0 OR MIT",
        Some("https://github.com/clean/dep"),
    ));
    inv2.add_edge(a, b, EdgeKind::Runtime, None);
    inv2.add_root(a);
    inv2.finish();
    let second = Offer {
        name: "Clean Suite".into(),
        implicit: true,
        ..Offer::default()
    };
    let (a2, s2) = analysed(second, inv2, false);
    let mut subjects = vec![Subject {
        analysis: &a1,
        score: &s1,
    }];
    if compare {
        subjects.push(Subject {
            analysis: &a2,
            score: &s2,
        });
    }
    build::report(
        &subjects,
        &build::Options {
            locale: &Locale::load(lang, None).unwrap(),
            date: Some("2026-11-22"),
            appendix: true,
        },
    )
}

fn render(report: &Report, format: Format, templates: &Templates) -> crate::Result<String> {
    let locale = Locale::load(&report.lang, templates.dir.as_deref())?;
    render::render(report, format, &locale, templates)
}

/// Writes a rendered report under `target/report-preview/` for a person to look at.
fn preview(name: &str, text: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/report-preview");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(name), text);
}

#[test]
fn every_format_renders_in_both_languages() {
    for lang in ["de", "en"] {
        for compare in [false, true] {
            let r = report(lang, compare);
            for (format, ext) in [
                (Format::Html, "html"),
                (Format::Md, "md"),
                (Format::Fodt, "fodt"),
                (Format::Summary, "txt"),
                (Format::Json, "json"),
            ] {
                let text = render(&r, format, &Templates::default()).unwrap();
                let kind = if compare { "compare" } else { "single" };
                preview(&format!("{kind}-{lang}.{ext}"), &text);
                if matches!(format, Format::Html | Format::Md | Format::Fodt) {
                    assert!(!text.contains("<script>alert"), "{format:?} {lang}");
                }
            }
        }
    }
}

#[test]
fn html_escapes_hostile_names() {
    let html = render(&report("en", false), Format::Html, &Templates::default()).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(!html.contains("<b>here</b>"));
    assert!(
        html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"")
    );
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
}

#[test]
fn fodt_is_well_formed_xml_with_escaped_names() {
    let fodt = render(&report("de", true), Format::Fodt, &Templates::default()).unwrap();
    assert!(fodt.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document"));
    assert!(fodt.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(fodt.contains("a|b"));
    assert_well_formed(&fodt);
}

#[test]
fn markdown_escapes_pipes_and_markup() {
    let md = render(&report("en", false), Format::Md, &Templates::default()).unwrap();
    assert!(md.contains("a\\|b"));
    assert!(md.contains("&lt;script&gt;alert\\(1\\)&lt;/script&gt;"));
    assert!(md.contains("\\*bold\\* \\[link\\]\\(x\\)"));
    // Every table row keeps its column count: the escaped pipe does not split a cell.
    for table in md.split("\n\n").filter(|b| b.starts_with('|')) {
        let widths: Vec<usize> = table
            .lines()
            .map(|l| l.replace("\\|", "").matches('|').count())
            .collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{table}");
    }
}

#[test]
fn numbers_and_dates_follow_the_language() {
    let de = render(&report("de", false), Format::Md, &Templates::default()).unwrap();
    let en = render(&report("en", false), Format::Md, &Templates::default()).unwrap();
    assert!(de.contains("Stand: 22.11.2026"));
    assert!(en.contains("As of 22 November 2026"));
    assert!(de.contains("31.03.2027"));
    assert!(en.contains("31 March 2027"));
    assert!(
        de.contains("5.000") || de.contains(","),
        "German grouping or decimals"
    );
}

#[test]
fn templates_dir_overrides_per_file_and_locale_keys() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("summary.txt"),
        "{{ t('verdict.label') }}={{ report.candidates[0].verdict }}\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("locales")).unwrap();
    std::fs::write(
        dir.path().join("locales/en.toml"),
        "[verdict]\nlabel = \"Outcome\"\n",
    )
    .unwrap();
    let t = Templates {
        dir: Some(dir.path().to_owned()),
    };
    let r = report("en", false);
    assert_eq!(
        render(&r, Format::Summary, &t).unwrap(),
        "Outcome=non-compliant\n"
    );
    // Not overridden: the built-in template, with the overridden word.
    assert!(
        render(&r, Format::Md, &t)
            .unwrap()
            .contains("**Outcome: Non-compliant**")
    );
}

#[test]
fn typo_in_a_template_is_an_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("report.md"),
        "# {{ t('report.title') }}\n{{ report.candidates[0].verdcit }}\n",
    )
    .unwrap();
    let t = Templates {
        dir: Some(dir.path().to_owned()),
    };
    let e = render(&report("en", false), Format::Md, &t).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("report.md:2:1: undefined value"), "{msg}");
    std::fs::write(dir.path().join("report.md"), "{{ t('no.such.key') }}\n").unwrap();
    let msg = render(&report("en", false), Format::Md, &t)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("locale `en` has no key `no.such.key`"),
        "{msg}"
    );
}

#[test]
fn json_is_the_model_and_byte_identical() {
    let a = render(&report("en", true), Format::Json, &Templates::default()).unwrap();
    let b = render(&report("en", true), Format::Json, &Templates::default()).unwrap();
    assert_eq!(a, b);
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["schema"], "sovra.report/2");
    assert_eq!(v["kind"], "comparison");
    assert_eq!(v["candidates"][0]["verdict"], "non-compliant");
    // Two packages and no manifest: too few of the score's dimensions have evidence
    // to decide (less than `min_coverage` of the weight), so a clean candidate is not
    // assessed, never compliant; the report states the score's verdict.
    assert_eq!(v["candidates"][1]["verdict"], "not-assessed");
    assert!(v["candidates"][1]["coverage"]["score"].as_f64().unwrap() < 0.5);
    assert_eq!(v["candidates"][1]["coverage"]["min_score"], 0.5);
    assert_eq!(v["comparison"]["leader"], "Clean Suite");
}

#[test]
fn snapshots() {
    for (name, format, lang, compare) in [
        ("single.md", Format::Md, "en", false),
        ("single-de.md", Format::Md, "de", false),
        ("compare.summary", Format::Summary, "de", true),
        ("single.json", Format::Json, "en", false),
    ] {
        let text = render(&report(lang, compare), format, &Templates::default()).unwrap();
        insta::assert_snapshot!(name, text);
    }
}

/// A minimal well-formedness check: tags balance and every `&` starts an entity.
fn assert_well_formed(xml: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        let text = &rest[..i];
        for (j, _) in text.match_indices('&') {
            let ent = &text[j..];
            assert!(
                ["&lt;", "&gt;", "&amp;", "&quot;", "&apos;"]
                    .iter()
                    .any(|e| ent.starts_with(e)),
                "bare `&` near {:?}",
                &ent[..ent.len().min(20)]
            );
        }
        let end = rest[i..].find('>').expect("unclosed tag") + i;
        let tag = &rest[i + 1..end];
        if tag.starts_with('?') || tag.starts_with('!') {
        } else if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name.trim()), "mismatched </{name}>");
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap_or(""));
        }
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn a_runaway_template_runs_out_of_fuel() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("summary.txt"),
        "{% for a in range(100000) %}{% for b in range(100000) %}.{% endfor %}{% endfor %}\n",
    )
    .unwrap();
    let t = Templates {
        dir: Some(dir.path().to_owned()),
    };
    let r = report("en", false);
    let locale = Locale::load("en", None).unwrap();
    let msg = render::render_with_fuel(&r, Format::Summary, &locale, &t, 1_000_000)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("summary.txt:1:"), "{msg}");
    assert!(msg.contains("fuel"), "{msg}");
    // The built-in reports need a small fraction of the budget.
    for f in [Format::Html, Format::Md, Format::Fodt, Format::Summary] {
        render::render_with_fuel(&r, f, &locale, &Templates::default(), render::FUEL / 1000)
            .unwrap();
    }
}

#[test]
fn base64_matches_the_rfc_4648_test_vectors() {
    for (plain, encoded) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(super::render::base64(plain.as_bytes()), encoded);
    }
}
