//! The score says what it knows: missing evidence lowers coverage and is a gap, never a
//! failure or a violation; below the policy's `min_coverage` a dimension, and then the
//! verdict, is "not assessed"; the stated total and its band agree.
#![allow(clippy::unwrap_used)] // tests may panic on broken fixtures

use serde_json::Value;

use crate::support::sovra;

const DATE: &str = "2026-06-01";

fn json(args: &[&str]) -> Value {
    let out = sovra(args);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn score_of(dir: &str, policy: &str) -> Value {
    json(&[
        "score", dir, "--policy", policy, "--date", DATE, "--format", "json",
    ])["candidates"][0]
        .clone()
}

fn report_of(dir: &str, policy: &str) -> Value {
    json(&[
        "report", dir, "--policy", policy, "--date", DATE, "--format", "json",
    ])["candidates"][0]
        .clone()
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// openDesk ships manifests but no SBOMs. With the XWiki POMs left out, transparency
/// has evidence for less than half of its weight (14 of 29), and that is not SEAL-0.
#[test]
fn a_candidate_without_sboms_is_not_seal_0_by_default_of_evidence() {
    let sample = crate::support::root().join("samples/opendesk");
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&sample.join("components"), &tmp.path().join("components"));
    let manifest = std::fs::read_to_string(sample.join("candidate.toml")).unwrap();
    let without = manifest.replace("lockfile = \"components/xwiki\"\n", "");
    assert_ne!(without, manifest);
    std::fs::write(tmp.path().join("candidate.toml"), without).unwrap();
    let c = score_of(tmp.path().to_str().unwrap(), "de-public-sector");
    let dims = c["dimensions"].as_array().unwrap();
    let t = dims
        .iter()
        .find(|d| d["id"] == "supply-chain-transparency")
        .unwrap();
    assert!(t["coverage"].as_f64().unwrap() < 50.0, "{t}");
    assert_eq!(t["assessed"], false, "{t}");
    assert_eq!(t["inputs"]["minimum coverage"], "0.5", "{t}");
    let sov7 = c["csf"]["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "SOV-7")
        .unwrap();
    assert_eq!(sov7["seal"], Value::Null, "{sov7}");
    // No objective reaches SEAL-0 through the dimensions' missing evidence.
    for o in c["csf"]["objectives"].as_array().unwrap() {
        if o["seal"] == "SEAL-0" {
            assert!(
                o["failed_rules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["level"] == "gate")
                    || o["score"].as_f64().unwrap() < 40.0,
                "{o}"
            );
        }
    }
}

/// Rules that report only that they could not assess (no facts file) are never listed
/// as failed rules of a CSF objective, in the score's JSON nor in the report's.
#[test]
fn not_assessed_rules_are_never_shown_as_violated() {
    let not_assessed = ["GOV001", "GOV002", "SUP005"];
    let c = score_of("samples/opendesk", "de-public-sector");
    let listed: Vec<&str> = c["findings_list"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    for r in not_assessed {
        assert!(listed.contains(&r), "{r} should report it could not assess");
    }
    for o in c["csf"]["objectives"].as_array().unwrap() {
        for f in o["failed_rules"].as_array().unwrap() {
            let rule = f["rule"].as_str().unwrap();
            assert!(!not_assessed.contains(&rule), "{} lists {rule}", o["id"]);
        }
    }
    let r = report_of("samples/opendesk", "de-public-sector");
    for o in r["csf"]["objectives"].as_array().unwrap() {
        for rule in o["rules"].as_array().unwrap() {
            let rule = rule.as_str().unwrap();
            assert!(!not_assessed.contains(&rule), "{} lists {rule}", o["id"]);
        }
    }
}

/// The verdict says when the evidence is too thin to decide, with the threshold, and
/// the report states the same verdict.
#[test]
fn too_little_evidence_gives_not_assessed_with_the_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("strict-evidence.toml");
    std::fs::write(
        &policy,
        "extends = \"de-public-sector\"\n\n[score]\nmin_coverage = 1.0\n",
    )
    .unwrap();
    let policy = policy.to_str().unwrap();
    let c = score_of("samples/opendesk", policy);
    assert_eq!(c["verdict"], "not-assessed", "{}", c["score"]);
    assert_eq!(c["score"]["min_coverage"], 100.0);
    assert!(c["score"]["coverage"].as_f64().unwrap() < 100.0);
    let r = report_of("samples/opendesk", policy);
    assert_eq!(r["verdict"], "not-assessed");
    assert_eq!(r["coverage"]["min_score"], 1.0);
    let out = sovra(&[
        "score",
        "samples/opendesk",
        "--policy",
        policy,
        "--date",
        DATE,
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("not assessed: evidence too thin to decide") && text.contains("100 % needed"),
        "{text}"
    );
    // The same offer under the default threshold is decided.
    let c = score_of("samples/opendesk", "de-public-sector");
    assert_ne!(c["verdict"], "not-assessed");
}

#[test]
fn min_coverage_out_of_range_is_an_error_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("p.toml");
    std::fs::write(&policy, "[score]\nmin_coverage = 50\n").unwrap();
    let out = sovra(&[
        "score",
        "samples/rust-service",
        "--policy",
        policy.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`min_coverage` is 50: expected 0 to 1"),
        "{err}"
    );
    assert!(err.contains("p.toml:"), "{err}");
}

/// The total is stated in whole points, and the band is that of the stated number, in
/// the score's JSON and the report's, for every sample.
#[test]
fn bands_and_stated_totals_agree() {
    let band_of = |v: f64| {
        if v >= 80.0 {
            "low"
        } else if v >= 60.0 {
            "moderate"
        } else if v >= 40.0 {
            "high"
        } else {
            "critical"
        }
    };
    for s in [
        "samples/opendesk",
        "samples/proprietary-suite",
        "samples/rust-service",
    ] {
        for policy in ["baseline", "de-public-sector"] {
            let c = score_of(s, policy);
            let total = c["score"]["total"].as_f64().unwrap();
            assert_eq!(total, total.round(), "{s}");
            assert_eq!(
                c["score"]["band"].as_str().unwrap(),
                format!("{} lock-in", band_of(total)),
                "{s}"
            );
            let r = report_of(s, policy);
            assert_eq!(r["score"]["value"].as_f64().unwrap(), total, "{s}");
            assert_eq!(r["score"]["band"], band_of(total), "{s}");
        }
    }
}

/// A German date in a policy says which form is expected.
#[test]
fn a_german_date_in_a_policy_names_the_expected_form() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("p.toml");
    std::fs::write(
        &policy,
        "[[exceptions]]\nrule = \"LIC003\"\npackage = \"x\"\nreason = \"r\"\nowner = \"o\"\nexpires = 30.06.2027\n",
    )
    .unwrap();
    let out = sovra(&[
        "check",
        "samples/rust-service",
        "--policy",
        policy.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("p.toml:6:11: expected a date like 2027-06-30, found `30.06.2027`"),
        "{err}"
    );
}

/// A folder of offers is not one offer: `check`, `score` and `report` refuse it and name
/// the candidates, so one failing offer cannot pass in the crowd.
#[test]
fn a_directory_of_candidates_is_refused_not_merged() {
    // Alone, the proprietary suite fails.
    let alone = sovra(&[
        "check",
        "samples/proprietary-suite",
        "--policy",
        "de-public-sector",
    ]);
    assert_eq!(alone.status.code(), Some(1));
    for cmd in ["check", "score", "report"] {
        let out = sovra(&[cmd, "samples", "--policy", "de-public-sector"]);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        assert!(out.stdout.is_empty(), "{cmd}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("`samples` is not a candidate but holds candidates")
                && err.contains("`samples/proprietary-suite`")
                && err.contains("sovra compare"),
            "{cmd}: {err}"
        );
    }
}

/// `score`, `report` and `compare` judge by the policy for public buyers unless told
/// otherwise; `check` keeps `baseline`.
#[test]
fn public_buyers_policy_is_the_default_of_score_report_and_compare() {
    let c = json(&[
        "score",
        "samples/rust-service",
        "--date",
        DATE,
        "--format",
        "json",
    ]);
    assert_eq!(c["candidates"][0]["policy"], "baseline → de-public-sector");
    let c = json(&[
        "compare",
        "samples/rust-service",
        "samples/opendesk",
        "--date",
        DATE,
        "--format",
        "json",
    ]);
    for cand in c["candidates"].as_array().unwrap() {
        assert_eq!(cand["policy"], "baseline → de-public-sector");
    }
    let r = json(&[
        "report",
        "samples/rust-service",
        "--date",
        DATE,
        "--format",
        "json",
    ]);
    let layers = &r["candidates"][0]["evidence"]["policy"]["layers"];
    assert_eq!(
        layers.as_array().unwrap().last().unwrap(),
        "de-public-sector",
        "{layers}"
    );
    let out = sovra(&["check", "samples/rust-service", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["policy"]["chain"], "baseline", "{}", v["policy"]);
}

/// Page one (the candidate's summary, before its findings) states each dimension's
/// coverage against the policy's `min_coverage` and which dimensions are not assessed
/// because of it, in English and German; the threshold is the policy's, not fixed.
#[test]
fn page_one_states_each_dimension_against_the_minimum_coverage() {
    let page_one = |lang: &str, policy: &str| {
        let out = sovra(&[
            "report",
            "samples/opendesk",
            "--policy",
            policy,
            "--lang",
            lang,
            "--date",
            DATE,
            "--format",
            "html",
        ]);
        assert_eq!(out.status.code(), Some(0));
        let html = String::from_utf8(out.stdout).unwrap();
        let end = html.find("id=\"c1-findings\"").unwrap();
        let start = html.find("id=\"c1-h\"").unwrap();
        html[start..end].replace('\u{a0}', " ")
    };
    let row = |dimension: &str, coverage: &str, status: &str| {
        format!("<td>{dimension}</td><td class=\"num\">{coverage}</td><td>{status}</td>")
    };
    let en = page_one("en", "de-public-sector");
    assert!(en.contains("Assessed (policy minimum 50%)"), "{en}");
    assert!(
        en.contains(&row("Exit and portability", "100%", "assessed")),
        "{en}"
    );
    // Transparency is evidenced for 52 % of its weight (the real lockfiles), continuity
    // for none (no facts file).
    assert!(
        en.contains(&row("Supply-chain transparency", "52%", "assessed")),
        "{en}"
    );
    assert!(
        en.contains(&row(
            "Continuity and community health",
            "0%",
            "<strong>not assessed: below the minimum of 50%</strong>"
        )),
        "{en}"
    );
    assert!(en.contains("The policy requires at least 50% of a dimension"));
    let de = page_one("de", "de-public-sector");
    assert!(de.contains("Mindestabdeckung der Richtlinie 50 %"), "{de}");
    assert!(
        de.contains(&row(
            "Kontinuität und Community",
            "0 %",
            "<strong>nicht bewertet: unter der Mindestabdeckung von 50 %</strong>"
        )),
        "{de}"
    );
    assert!(
        de.contains(&row("Transparenz der Lieferkette", "52 %", "bewertet")),
        "{de}"
    );
    assert!(
        de.contains(&row("Offene Standards", "100 %", "bewertet")),
        "{de}"
    );
    // A policy with a higher threshold no longer assesses transparency at 52 %.
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("strict-evidence.toml");
    std::fs::write(
        &policy,
        "extends = \"de-public-sector\"\n\n[score]\nmin_coverage = 0.6\n",
    )
    .unwrap();
    let en = page_one("en", policy.to_str().unwrap());
    assert!(en.contains("Assessed (policy minimum 60%)"), "{en}");
    assert!(
        en.contains(&row(
            "Supply-chain transparency",
            "52%",
            "<strong>not assessed: below the minimum of 60%</strong>"
        )),
        "{en}"
    );
    assert!(
        en.contains(&row("Exit and portability", "100%", "assessed")),
        "{en}"
    );
}

/// A one-product offer has an HHI of 1 by construction; its vendor concentration is
/// the exit terms' risk, not 0.
#[test]
fn a_one_product_offer_is_not_zero_on_concentration_by_construction() {
    let c = score_of(
        "tests/fixtures/sovereignty/single-supplier",
        "de-public-sector",
    );
    let dim = |id: &str| {
        c["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()
            .clone()
    };
    let (conc, exit) = (dim("vendor-concentration"), dim("exit-portability"));
    assert_eq!(c["score"]["hhi"], 1.0);
    // Two of three exit facts in favour: 66.7, and concentration says the same.
    assert_eq!(exit["score"], 66.7, "{exit}");
    assert_eq!(conc["score"], exit["score"], "{conc}");
    assert_eq!(conc["coverage"], exit["coverage"], "{conc}");
    assert!(
        conc["formula"]
            .as_str()
            .unwrap()
            .starts_with("single supplier"),
        "{conc}"
    );
}

/// The HHI is named for what it is, "HHI of open units by weight": Σ share² over the
/// organisations controlling the open units by their weight, checked against the
/// contributors the score lists; a proprietary suite has no open units and no HHI.
#[test]
fn the_hhi_is_over_the_open_units_by_weight() {
    let c = score_of("samples/opendesk", "de-public-sector");
    let conc = c["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "vendor-concentration")
        .unwrap()
        .clone();
    let number = |k: &str| -> f64 { conc["inputs"][k].as_str().unwrap().parse().unwrap() };
    let open = number("open weight");
    assert_eq!(open, number("total weight"), "openDesk is all open: {conc}");
    let from_shares: f64 = conc["contributors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["weight"].as_f64().unwrap() / open).powi(2))
        .sum();
    let hhi = c["score"]["hhi"].as_f64().unwrap();
    assert!((hhi - from_shares).abs() < 0.001, "{hhi} {conc}");
    assert_eq!(number("HHI of open units by weight"), hhi);
    let p = score_of("samples/proprietary-suite", "de-public-sector");
    assert!(p["score"]["hhi"].is_null(), "{}", p["score"]);
}

/// A proprietary suite of one vendor: no HHI (nothing is open), shown as such in
/// every output with the label saying "open", and its concentration explained and
/// scored as the exit terms' risk, not 0 by construction.
#[test]
fn a_proprietary_suite_of_one_vendor_is_a_single_supplier() {
    let dir = "samples/proprietary-suite";
    let c = score_of(dir, "de-public-sector");
    let dim = |id: &str| {
        c["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()
            .clone()
    };
    let (conc, exit) = (dim("vendor-concentration"), dim("exit-portability"));
    assert!(exit["score"].as_f64().unwrap() > 0.0, "{exit}");
    assert_eq!(conc["score"], exit["score"], "{conc}");
    assert_eq!(conc["coverage"], exit["coverage"], "{conc}");
    assert!(
        conc["formula"]
            .as_str()
            .unwrap()
            .starts_with("single supplier"),
        "{conc}"
    );
    assert!(report_of(dir, "de-public-sector")["vendors"]["hhi"].is_null());
    for (lang, card, explained) in [
        (
            "en",
            "<div class=\"k\">Concentration (HHI of open components by weight)</div><div class=\"n\"><span class=\"muted\">–</span></div>",
            "the risk is being tied to that supplier, which the exit terms",
        ),
        (
            "de",
            "<div class=\"k\">Konzentration (HHI der offenen Komponenten nach Gewicht)</div><div class=\"n\"><span class=\"muted\">–</span></div>",
            "die Bindung an diesen Anbieter, die die Ausstiegsbedingungen",
        ),
    ] {
        let out = sovra(&[
            "report", dir, "--date", DATE, "--lang", lang, "--format", "html",
        ]);
        let html = String::from_utf8(out.stdout).unwrap();
        assert!(html.contains(card), "{lang}: no `{card}`");
        assert!(html.contains(explained), "{lang}: no `{explained}`");
    }
}

/// One HHI, one scale, one name: the score's JSON, the report's JSON, its HTML and the
/// comparison show the same number.
#[test]
fn one_hhi_in_every_output() {
    let c = score_of("samples/opendesk", "de-public-sector");
    let conc = c["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "vendor-concentration")
        .unwrap()
        .clone();
    let stated = conc["inputs"]["HHI of open units by weight"]
        .as_str()
        .unwrap()
        .to_owned();
    let hhi: f64 = stated.parse().unwrap();
    assert!(hhi > 0.0 && hhi < 1.0, "{hhi}");
    assert_eq!(c["score"]["hhi"].as_f64().unwrap(), hhi);
    let round = |v: &Value| (v.as_f64().unwrap() * 1000.0).round() / 1000.0;
    let r = report_of("samples/opendesk", "de-public-sector");
    assert_eq!(round(&r["vendors"]["hhi"]), hhi);
    let cmp = json(&[
        "report",
        "--compare",
        "samples/opendesk",
        "samples/rust-service",
        "--date",
        DATE,
        "--format",
        "json",
    ]);
    let row = cmp["comparison"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "row.hhi")
        .unwrap()
        .clone();
    assert_eq!(row["cells"][0]["kind"], "index");
    assert_eq!(round(&row["cells"][0]["number"]), hhi);
    assert_eq!(round(&cmp["candidates"][0]["vendors"]["hhi"]), hhi);
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    let out = sovra(&[
        "report",
        "samples/opendesk",
        "--date",
        DATE,
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(html).unwrap();
    let card = format!(
        "<div class=\"k\">Concentration (HHI of open components by weight)</div><div class=\"n\">{stated}</div>"
    );
    assert!(html.contains(&card), "no `{card}` in the HTML");
}

/// A competence centre's registry, layered over the bundled one with `--vendors`, may
/// correct a bundled entry and give an SBOM's packages their vendor; the evidence names
/// the file and what it corrected.
#[test]
fn a_buyer_registry_corrects_the_bundled_one_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("centre.toml");
    std::fs::write(
        &file,
        "[[vendor]]\nid = \"collabora\"\nname = \"Collabora (corrected)\"\ncountry = \"DE\"\n\
         eu_eea = true\ngovernance = \"company\"\nsource = \"https://example.org/register/collabora\"\n\n\
         [[vendor]]\nid = \"web-house\"\nname = \"Web House GmbH\"\ncountry = \"AT\"\neu_eea = true\n\
         governance = \"company\"\npurl = [\"pkg:npm/web-framework\", \"pkg:npm/router\"]\n\
         source = \"https://example.org/register/web-house\"\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--vendors", f, "--date", DATE, "--format", "json"]);
        json(&all)
    };
    let jur001 = |c: &Value| {
        c["findings_list"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["rule"] == "JUR001" && x["component"] == "Collabora Online")
            .count()
    };
    let before = score_of("samples/opendesk", "de-public-sector");
    assert_eq!(jur001(&before), 1);
    let c = run(&["score", "samples/opendesk"])["candidates"][0].clone();
    assert_eq!(jur001(&c), 0, "the corrected seat is in the EU");
    assert_eq!(c["vendor_registries"][0]["path"], f);
    assert_eq!(
        c["vendor_registries"][0]["corrected"],
        serde_json::json!(["collabora"])
    );
    let r = run(&["report", "samples/opendesk"])["candidates"][0].clone();
    let reg = &r["evidence"]["vendor_registries"][0];
    assert_eq!(reg["path"], f);
    assert_eq!(reg["corrected"], serde_json::json!(["collabora"]));
    // An SBOM given on its own: its packages get the registry's vendor.
    let c = run(&["score", "tests/fixtures/sbom/product.cdx.json"])["candidates"][0].clone();
    let controller = |name: &str| {
        c["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["name"] == name)
            .unwrap()["controller"]
            .clone()
    };
    assert_eq!(controller("web-framework@4.0.0"), "web-house");
    assert_eq!(controller("router@4.0.0"), "web-house");
    // A candidate's own vendors.toml (the bidder's) may not correct the bundled registry.
    let bidder = dir.path().join("offer");
    std::fs::create_dir(&bidder).unwrap();
    std::fs::write(
        bidder.join("candidate.toml"),
        "[candidate]\nname = \"offer\"\n\n[[component]]\nname = \"a\"\ncriticality = \"critical\"\nvendor = \"collabora\"\n",
    )
    .unwrap();
    std::fs::copy(&file, bidder.join("vendors.toml")).unwrap();
    let out = sovra(&["score", bidder.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("duplicate vendor id `collabora`"), "{err}");
}

/// Components and packages are not mixed: openDesk's vendor breakdown is by component,
/// so the publisher of a transitive npm package (React's) is not among its vendors.
#[test]
fn a_transitive_package_publisher_is_not_an_offer_vendor() {
    let r = report_of("samples/opendesk", "de-public-sector");
    let orgs: Vec<&str> = r["vendors"]["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    let count: u64 = r["vendors"]["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["count"].as_u64().unwrap())
        .sum();
    let components = r["components"].as_array().unwrap().len() as u64;
    assert_eq!(count, components, "{orgs:?}");
    assert!(!orgs.iter().any(|o| o.starts_with("Meta")), "{orgs:?}");
    // The package view still knows React's publisher.
    let c = score_of("samples/opendesk", "de-public-sector");
    let by_org = c["organisations"]["by_organisation"].as_array().unwrap();
    assert!(by_org.iter().any(|o| o["org"] == "meta"), "{by_org:?}");
}

/// The same registry named by the policy (`vendors = [...]`, relative to the policy
/// file); a file that cannot be read is an error at the setting's position.
#[test]
fn a_policy_names_the_buyer_registry() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("centre.toml"),
        "[[vendor]]\nid = \"collabora\"\nname = \"Collabora (corrected)\"\ncountry = \"DE\"\n\
         eu_eea = true\ngovernance = \"company\"\nsource = \"https://example.org/register/collabora\"\n",
    )
    .unwrap();
    let policy = dir.path().join("buyer.toml");
    std::fs::write(
        &policy,
        "extends = \"de-public-sector\"\nvendors = [\"centre.toml\"]\n",
    )
    .unwrap();
    let c = score_of("samples/opendesk", policy.to_str().unwrap());
    let path = c["vendor_registries"][0]["path"].as_str().unwrap();
    assert!(path.ends_with("/centre.toml"), "{path}");
    assert_eq!(
        c["vendor_registries"][0]["corrected"],
        serde_json::json!(["collabora"])
    );
    std::fs::write(
        &policy,
        "extends = \"de-public-sector\"\nvendors = [\"missing.toml\"]\n",
    )
    .unwrap();
    let out = sovra(&[
        "score",
        "samples/opendesk",
        "--policy",
        policy.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("buyer.toml:2:11:") && err.contains("missing.toml"),
        "{err}"
    );
}

/// Offline, a Cargo workspace is read for the host platform only (cargo metadata
/// `--filter-platform`), so a crate needed only on another platform need not have been
/// fetched: sovra's own workspace depends on `windows-sys` for Windows alone.
#[cfg(not(windows))]
#[test]
fn offline_cargo_reads_the_host_platform_only() {
    let lock = std::fs::read_to_string(crate::support::root().join("Cargo.lock")).unwrap();
    assert!(
        lock.contains("name = \"windows-sys\""),
        "the premise changed"
    );
    let v = json(&[
        "inventory",
        "Cargo.toml",
        "--offline",
        "--locked",
        "--format",
        "json",
    ]);
    let names: Vec<&str> = v["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(names.contains(&"sovra"), "{names:?}");
    assert!(!names.iter().any(|n| n.starts_with("windows")), "{names:?}");
}
