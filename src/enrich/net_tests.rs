//! Enrichment against a real HTTP server on 127.0.0.1 started by each test: recorded
//! registry, OSV and forge responses (`tests/fixtures/enrich/`), and faults (500, 429
//! with `Retry-After`, a hang past the timeout, truncated and malformed JSON, a 50 MB
//! body). Plus the opt-in live check (`SOVRA_LIVE=1`). The command-line side of
//! enrichment is tested in `tests/it/enrich.rs`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::enrich::facts::Applied;
use crate::enrich::{self, Config, Facts, Severity, Silent, Source};
use crate::model::{Ecosystem, FactField, Package, PkgIdx};

use super::test_support::*;

// ---------------------------------------------------------------------------------------
// Helpers.

fn fixture(rel: &str) -> PathBuf {
    crate::test_support::root()
        .join("tests/fixtures/enrich")
        .join(rel)
}

fn read_fixture(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).unwrap()
}

/// The recorded npm package documents, by name.
fn npm_recordings() -> BTreeMap<String, serde_json::Value> {
    let gz = read_fixture("npm/terminvergabe.json.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn npm_name(path: &str) -> String {
    percent_encoding::percent_decode_str(path.trim_start_matches('/'))
        .decode_utf8()
        .unwrap()
        .into_owned()
}

/// Every file under `dir` (recursively) parses as JSON; returns how many there are.
fn cache_files(dir: &Path) -> usize {
    let mut n = 0;
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            n += cache_files(&p);
        } else {
            let text = std::fs::read_to_string(&p).unwrap();
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("cache entry {} is corrupt: {e}", p.display()));
            n += 1;
        }
    }
    n
}

/// Name and version of every package in a v2/v3 lockfile (skipping the root and links).
fn locked_packages(lockfile: &Path) -> Vec<(String, String)> {
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(lockfile).unwrap()).unwrap();
    let mut out = Vec::new();
    for (key, entry) in doc["packages"].as_object().unwrap() {
        if key.is_empty() || entry.get("link").is_some() {
            continue;
        }
        let name = entry["name"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| key.rsplit("node_modules/").next().unwrap().to_owned());
        if let Some(v) = entry["version"].as_str() {
            out.push((name, v.to_owned()));
        }
    }
    out
}

#[test]
fn terminvergabe_licences_are_filled_from_recorded_registry() {
    let Some(dir) = crate::test_support::corpus("npm/Aitema-gmbh__terminvergabe") else {
        eprintln!("corpus absent: skipping");
        return;
    };
    let docs = Arc::new(npm_recordings());
    let served = Arc::clone(&docs);
    let server = Server::start(move |req| match served.get(&npm_name(&req.path)) {
        Some(doc) => json(200, doc.to_string()),
        None => json(404, r#"{"error":"Not found"}"#),
    });
    // The inventory of both lockfiles, licences left out so that every licence
    // has to come from the registry.
    let mut pairs = Vec::new();
    for f in [
        "backend/package-lock.json",
        "frontend-mitarbeiter/package-lock.json",
    ] {
        pairs.extend(locked_packages(&dir.join(f)));
    }
    let mut inv = inventory(pairs.iter().map(|(n, v)| pkg(Ecosystem::Npm, n, v)));
    let recorded_licences = inv
        .packages
        .iter()
        .filter(|p| {
            let v = p.version.as_deref().unwrap();
            docs.get(&p.name)
                .and_then(|d| d["versions"].get(v))
                .is_some_and(|m| m.get("license").is_some() || m.get("licenses").is_some())
        })
        .count();
    assert_eq!(recorded_licences, 507);

    let cache = tempfile::tempdir().unwrap();
    let cfg = config(&server.base, &[Source::Npm], cache.path());
    let out = enrich::enrich(&inv, &cfg, &Silent).unwrap();
    assert!(out.notices.is_empty(), "{:#?}", out.notices);
    assert_eq!(out.stats.licenses, recorded_licences);
    let applied = out.facts.apply(&mut inv);
    assert_eq!(applied.licenses, recorded_licences);
    assert!(inv.packages.iter().all(|p| !p.declared.is_empty()));
    let licence_fills = inv
        .from_facts
        .iter()
        .filter(|(_, f)| *f == FactField::License)
        .count();
    assert_eq!(licence_fills, recorded_licences);
    // Spot check against the lockfile's own statement.
    let fastify = inv.packages.iter().find(|p| p.name == "fastify").unwrap();
    assert_eq!(fastify.declared, vec!["MIT".to_owned()]);

    // The pinned facts reproduce byte for byte from the file, with no server at all.
    let path = cache.path().join("facts.json");
    std::fs::write(&path, out.facts.to_json()).unwrap();
    let (loaded, evidence) = Facts::load(&path).unwrap();
    assert_eq!(loaded, out.facts);
    assert_eq!(loaded.to_json(), out.facts.to_json());
    assert_eq!(evidence.generated, "2026-11-01T00:00:00Z");
    assert_eq!(evidence.sha256.len(), 64);

    // A second run is served from the cache (offline), same facts.
    let mut offline = cfg.clone();
    offline.offline = true;
    let hits = server.hits("/");
    let again = enrich::enrich(&inv, &offline, &Silent).unwrap();
    assert_eq!(server.hits("/"), hits);
    assert_eq!(again.facts.packages, out.facts.packages);
    // One request per package name, however many versions are locked.
    assert_eq!(hits, docs.len());
}

#[test]
fn faults_end_as_notices_and_leave_the_cache_consistent() {
    let flaky = Arc::new(AtomicUsize::new(0));
    let limited = Arc::new(AtomicUsize::new(0));
    let doc = |lic: &str| {
        format!(
            r#"{{"versions":{{"1.0.0":{{"license":"{lic}"}}}},"time":{{"1.0.0":"2020-01-01T00:00:00.000Z"}}}}"#
        )
    };
    let (f2, l2) = (Arc::clone(&flaky), Arc::clone(&limited));
    let server = Server::start(move |req| match req.path.as_str() {
        "/ok" => json(200, doc("MIT")),
        "/flaky" => {
            if f2.fetch_add(1, Ordering::SeqCst) < 2 {
                json(503, "unavailable")
            } else {
                json(200, doc("ISC"))
            }
        }
        "/limited" => {
            if l2.fetch_add(1, Ordering::SeqCst) == 0 {
                Reply::Send(
                    429,
                    vec![("Retry-After", "1".into())],
                    b"slow down".to_vec(),
                )
            } else {
                json(200, doc("Apache-2.0"))
            }
        }
        "/down" => json(500, "boom"),
        "/hang" => Reply::Hang(Duration::from_secs(5)),
        "/truncated" => Reply::Truncated {
            declared: 4096,
            body: doc("MIT").into_bytes(),
        },
        "/malformed" => json(200, r#"{"versions":{"1.0.0":{"license":"MIT"}"#),
        "/huge" => Reply::Send(200, Vec::new(), vec![b' '; 50 * 1024 * 1024]),
        "/stream" => Reply::Stream(50 * 1024 * 1024),
        _ => json(404, "{}"),
    });
    let names = [
        "ok",
        "flaky",
        "limited",
        "down",
        "hang",
        "truncated",
        "malformed",
        "huge",
        "stream",
        "missing",
    ];
    let inv = inventory(names.iter().map(|n| pkg(Ecosystem::Npm, n, "1.0.0")));
    let cache = tempfile::tempdir().unwrap();
    let cfg = config(&server.base, &[Source::Npm], cache.path());
    let started = Instant::now();
    let out = enrich::enrich(&inv, &cfg, &Silent).unwrap();
    let elapsed = started.elapsed();

    let licences: BTreeMap<&str, &str> = out
        .facts
        .packages
        .iter()
        .filter_map(|(k, f)| Some((k.as_str(), f.license.as_ref()?.value.as_str())))
        .collect();
    assert_eq!(
        licences,
        BTreeMap::from([
            ("npm:flaky@1.0.0", "ISC"),
            ("npm:limited@1.0.0", "Apache-2.0"),
            ("npm:ok@1.0.0", "MIT"),
        ])
    );
    assert_eq!(flaky.load(Ordering::SeqCst), 3, "two 503s, then success");
    assert_eq!(server.hits("/down"), 3, "first attempt and two retries");
    assert!(elapsed >= Duration::from_secs(1), "Retry-After: 1 honoured");
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");

    let base = &server.base;
    let expect = [
        format!("npm `down`: `{base}/down`: HTTP 500 after 3 attempt(s)"),
        format!("npm `hang`: `{base}/hang`: timed out after 3 attempt(s)"),
        format!("npm `huge`: `{base}/huge`: response larger than 33554432 bytes, ignored"),
        format!("npm `stream`: `{base}/stream`: response larger than 33554432 bytes, ignored"),
        format!("npm `missing`: `{base}/missing`: not in the registry"),
    ];
    for e in &expect {
        assert!(
            out.notices.contains(e),
            "missing {e:?} in {:#?}",
            out.notices
        );
    }
    let starts = |p: &str| out.notices.iter().any(|n| n.starts_with(p));
    assert!(starts(&format!(
        "npm `malformed`: `{base}/malformed`: malformed response: EOF"
    )));
    assert!(starts(&format!("npm `truncated`: `{base}/truncated`: ")));
    assert_eq!(out.notices.len(), 7, "{:#?}", out.notices);
    assert_eq!(out.stats.failed, 7);

    // Only complete answers were cached (3 successes and the 404), all readable.
    assert_eq!(cache_files(cache.path()), 4);

    // Offline, the same facts come from the cache; the rest is "not in the cache".
    let mut offline = cfg.clone();
    offline.offline = true;
    let again = enrich::enrich(&inv, &offline, &Silent).unwrap();
    assert_eq!(again.facts.packages, out.facts.packages);
    assert!(again.notices.contains(&format!(
        "npm `down`: `{base}/down`: offline and not in the cache"
    )));

    // A corrupted entry is discarded with a notice, not a crash.
    let npm_dir = cache.path().join("npm");
    let entry = std::fs::read_dir(&npm_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| std::fs::read_to_string(p).unwrap().contains("/ok\""))
        .unwrap();
    let text = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(&entry, &text[..text.len() / 3]).unwrap();
    let third = enrich::enrich(&inv, &offline, &Silent).unwrap();
    assert!(
        third
            .notices
            .iter()
            .any(|n| n.starts_with("discarded corrupt cache entry")),
        "{:#?}",
        third.notices
    );
    assert!(!third.facts.packages.contains_key("npm:ok@1.0.0"));
    assert!(!entry.exists());
}

#[test]
fn advisories_forges_and_other_registries_from_recorded_responses() {
    let server = Server::start(|req| {
        let f = |rel: &str| json(200, read_fixture(rel));
        match (req.method.as_str(), req.path.as_str()) {
            ("POST", "/v1/querybatch") => {
                let q: serde_json::Value = serde_json::from_str(&req.body).unwrap();
                let purls: Vec<&str> = q["queries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|q| q["package"]["purl"].as_str().unwrap())
                    .collect();
                assert_eq!(
                    purls,
                    [
                        "pkg:cargo/itoa@1.0.11",
                        "pkg:maven/org.apache.commons/commons-lang3@3.12.0",
                        "pkg:npm/lodash@4.17.15",
                        "pkg:pypi/six@1.17.0",
                    ]
                );
                let batch: serde_json::Value =
                    serde_json::from_slice(&read_fixture("osv/querybatch.json")).unwrap();
                let hits = batch["results"][0].clone();
                json(
                    200,
                    serde_json::json!({"results": [{}, {}, hits, {}]}).to_string(),
                )
            }
            ("GET", p) if p.starts_with("/v1/vulns/") => {
                f(&format!("osv/{}.json", &p["/v1/vulns/".len()..]))
            }
            ("GET", "/lodash") => json(
                200,
                r#"{"versions":{"4.17.15":{"license":"MIT","repository":{"url":"git+https://github.com/lodash/lodash.git"}}}}"#,
            ),
            ("GET", "/repos/lodash/lodash") => f("github/repo.json"),
            // No commit in the year before `now`: the last one is asked for separately.
            ("GET", "/repos/lodash/lodash/commits?since=2025-11-01T00:00:00Z&per_page=100") => {
                json(200, "[]")
            }
            ("GET", "/repos/lodash/lodash/commits?per_page=1") => f("github/commits.json"),
            ("GET", "/repos/lodash/lodash/releases?per_page=100") => f("github/releases.json"),
            ("GET", "/repos/lodash/lodash/contributors?per_page=100") => {
                f("github/contributors.json")
            }
            ("GET", "/users/jdalton") => f("github/user-jdalton.json"),
            ("GET", "/users/bnjmnt4n") => f("github/user-bnjmnt4n.json"),
            ("GET", "/pypi/six/1.17.0/json") => json(404, "{}"),
            ("GET", "/pypi/six/json") => f("pypi/six.json"),
            ("GET", "/it/oa/itoa") => f("crates/itoa.index"),
            ("GET", "/itoa/itoa-1.0.11.crate") => f("crates/itoa-1.0.11.crate"),
            ("GET", "/org/apache/commons/commons-lang3/3.12.0/commons-lang3-3.12.0.pom") => {
                f("maven/commons-lang3-3.12.0.pom")
            }
            ("GET", "/org/apache/commons/commons-parent/52/commons-parent-52.pom") => {
                f("maven/commons-parent-52.pom")
            }
            ("GET", "/api/v4/projects/opencode%2Ftools%2Fwidget") => f("gitlab/project.json"),
            (
                "GET",
                "/api/v4/projects/opencode%2Ftools%2Fwidget/repository/commits?since=2025-11-01T00:00:00Z&per_page=100",
            ) => f("gitlab/commits.json"),
            ("GET", "/api/v4/projects/opencode%2Ftools%2Fwidget/releases?per_page=100") => {
                f("gitlab/releases.json")
            }
            (
                "GET",
                "/api/v4/projects/opencode%2Ftools%2Fwidget/repository/contributors?per_page=100&order_by=commits&sort=desc",
            ) => f("gitlab/contributors.json"),
            _ => json(404, "{}"),
        }
    });
    let mut widget = pkg(Ecosystem::Other("generic".into()), "widget", "2.1.0");
    widget.repository = Some("https://gitlab.opencode.de/opencode/tools/widget".into());
    let mut lang3 = pkg(Ecosystem::Maven, "commons-lang3", "3.12.0");
    lang3.set_purl(Some(
        "pkg:maven/org.apache.commons/commons-lang3@3.12.0".into(),
    ));
    let inv = inventory([
        pkg(Ecosystem::Npm, "lodash", "4.17.15"),
        pkg(Ecosystem::Pypi, "six", "1.17.0"),
        pkg(Ecosystem::Cargo, "itoa", "1.0.11"),
        lang3,
        widget,
    ]);
    let cache = tempfile::tempdir().unwrap();
    let mut cfg = config(&server.base, &Source::ALL, cache.path());
    cfg.github_token = Some("ghp_secret_token_value".into());
    cfg.gitlab_token = Some("glpat_secret_token_value".into());
    let out = enrich::enrich(&inv, &cfg, &Silent).unwrap();
    let base = &server.base;
    assert_eq!(
        out.notices,
        [
            format!("github `github.com/benjaminp/six`: `{base}/repos/benjaminp/six`: not found"),
            format!("github `github.com/dtolnay/itoa`: `{base}/repos/dtolnay/itoa`: not found"),
        ]
    );

    // OSV: two advisories on lodash, severity from the label or the CVSS vector.
    let adv = &out.facts.advisories["npm:lodash@4.17.15"];
    let got: Vec<(&str, Severity, &[String])> = adv
        .iter()
        .map(|a| (a.id.as_str(), a.severity, a.fixed.as_slice()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "GHSA-35jh-r3h4-6jhm",
                Severity::High,
                &["4.17.21".to_owned()][..]
            ),
            (
                "GHSA-p6mc-m468-83gw",
                Severity::High,
                &["4.17.19".to_owned()][..]
            ),
        ]
    );
    // The other packages were checked and have none.
    assert_eq!(out.facts.advisories.len(), 4);
    assert!(out.facts.advisories["pypi:six@1.17.0"].is_empty());

    // Registries.
    let p = &out.facts.packages;
    assert_eq!(p["pypi:six@1.17.0"].license.as_ref().unwrap().value, "MIT");
    assert_eq!(
        p["pypi:six@1.17.0"].repository.as_ref().unwrap().value,
        "https://github.com/benjaminp/six"
    );
    let itoa = &p["cargo:itoa@1.0.11"];
    assert_eq!(itoa.license.as_ref().unwrap().value, "MIT OR Apache-2.0");
    assert_eq!(
        itoa.repository.as_ref().unwrap().value,
        "https://github.com/dtolnay/itoa"
    );
    assert_eq!(itoa.yanked.as_ref().map(|y| y.value), Some(false));
    let lang3 = &p["maven:org.apache.commons:commons-lang3@3.12.0"];
    assert_eq!(lang3.license.as_ref().unwrap().value, "Apache-2.0");
    assert!(
        lang3
            .license
            .as_ref()
            .unwrap()
            .url
            .ends_with("commons-parent-52.pom")
    );
    assert_eq!(
        lang3.supplier.as_ref().unwrap().value,
        "The Apache Software Foundation"
    );

    // Forges.
    let gh = &out.facts.repositories["github.com/lodash/lodash"];
    assert_eq!(gh.archived, Some(true));
    assert_eq!(gh.last_commit.as_deref(), Some("2025-08-31T09:00:00Z"));
    assert_eq!(gh.releases_last_6_months, Some(1));
    assert_eq!(gh.contributors, Some(2), "bots are not contributors");
    assert_eq!(gh.top_contributor_share, Some(0.9));
    assert_eq!(
        gh.organisations,
        BTreeMap::from([("microsoft".to_owned(), 1)])
    );
    let gl = &out.facts.repositories["gitlab.opencode.de/opencode/tools/widget"];
    assert_eq!(gl.archived, Some(false));
    assert_eq!(gl.releases_last_6_months, Some(1));
    assert_eq!(
        gl.organisations,
        BTreeMap::from([("dataport.de".to_owned(), 2)])
    );
    assert_eq!(gl.top_contributor_share, Some(0.6));
    assert_eq!(
        gl.last_commit.as_deref(),
        Some("2026-09-30T17:00:00.000+02:00")
    );
    assert_eq!(
        (gl.contributors_12m, gl.organisations_12m),
        (Some(3), Some(2))
    );
    assert_eq!(
        (gh.contributors_12m, gh.organisations_12m),
        (Some(0), Some(0))
    );
    let lodash = &inv.packages[0];
    // The score's continuity evidence for the GitLab-hosted component.
    let c = out
        .facts
        .continuity(&inv.packages[4], "2026-11-01".parse().unwrap())
        .unwrap();
    assert_eq!(
        c,
        enrich::facts::ContinuityEvidence {
            contributors_12m: Some(3),
            contributor_orgs_12m: Some(2),
            days_since_release: Some(61),
            source: format!(
                "gitlab.opencode.de/opencode/tools/widget @ {}",
                &gl.retrieved[..10]
            ),
        }
    );
    assert_eq!(
        out.facts.continuity_of_repository(
            "git+https://gitlab.opencode.de/opencode/tools/widget.git",
            "2026-11-01".parse().unwrap()
        ),
        Some(c)
    );
    let by_id = out
        .facts
        .continuity_by_package_id(&inv, "2026-11-01".parse().unwrap());
    assert_eq!(
        by_id.keys().collect::<Vec<_>>(),
        ["generic:widget@2.1.0", "npm:lodash@4.17.15"]
    );
    assert_eq!(out.facts.advisories(lodash).map(<[_]>::len), Some(2));
    assert_eq!(
        out.facts.repository(lodash).map(|(k, _)| k),
        Some("github.com/lodash/lodash")
    );

    // Tokens reach the forge, and nothing else: not the cache, not the facts.
    let reqs = server.requests();
    assert!(reqs.iter().any(|r| r.path.starts_with("/repos/")
        && r.header("authorization") == Some("Bearer ghp_secret_token_value")));
    assert!(reqs.iter().any(|r| r.path.starts_with("/api/v4/")
        && r.header("private-token") == Some("glpat_secret_token_value")));
    assert!(
        reqs.iter()
            .all(|r| !r.path.starts_with("/lodash") || r.header("authorization").is_none())
    );
    let facts = out.facts.to_json();
    assert!(!facts.contains("secret_token"));
    let mut all_cache = String::new();
    collect_text(cache.path(), &mut all_cache);
    assert!(!all_cache.is_empty());
    assert!(!all_cache.contains("secret_token"));
}

fn collect_text(dir: &Path, out: &mut String) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_text(&p, out);
        } else {
            out.push_str(&std::fs::read_to_string(&p).unwrap());
        }
    }
}

#[test]
fn facts_fill_only_what_inputs_lack() {
    let text = r#"{
  "format": "sovra-facts",
  "version": 1,
  "generated": "2026-11-01T00:00:00Z",
  "packages": {
    "npm:a@1.0.0": {
      "license": {"value": "MIT", "source": "npm", "url": "http://r/a", "retrieved": "2026-10-31T00:00:00Z"},
      "supplier": {"value": "Jo", "source": "npm", "url": "http://r/a", "retrieved": "2026-10-31T00:00:00Z"}
    },
    "npm:b@1.0.0": {
      "license": {"value": "MIT", "source": "npm", "url": "http://r/b", "retrieved": "2026-10-31T00:00:00Z"}
    }
  }
}"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("facts.json");
    std::fs::write(&path, text).unwrap();
    let (facts, ev) = Facts::load(&path).unwrap();
    assert_eq!(ev.oldest.as_deref(), Some("2026-10-31T00:00:00Z"));
    assert_eq!(
        ev.age_days("2026-11-11T00:00:00Z".parse().unwrap()),
        Some(10)
    );
    let mut b = pkg(Ecosystem::Npm, "b", "1.0.0");
    b.declared = vec!["Apache-2.0".into()];
    let mut inv = inventory([pkg(Ecosystem::Npm, "a", "1.0.0"), b]);
    let applied = facts.apply(&mut inv);
    assert_eq!(applied.licenses, 1);
    assert_eq!(applied.suppliers, 1);
    assert_eq!(inv.packages[0].declared, vec!["MIT".to_owned()]);
    assert_eq!(
        inv.from_facts,
        vec![
            (PkgIdx(0), FactField::License),
            (PkgIdx(0), FactField::Supplier)
        ]
    );
    assert_eq!(inv.packages[1].declared, vec!["Apache-2.0".to_owned()]);

    // The assessment entry point: apply, plus continuity evidence by package id and
    // component name.
    let mut inv = inventory([pkg(Ecosystem::Npm, "a", "1.0.0")]);
    let e = Facts::load_for_assessment(
        &crate::test_support::root().join("tests/fixtures/rules/GOV002/fire/facts.json"),
        &mut inv,
        &[(
            "Fine".to_owned(),
            "https://github.com/example/fine".to_owned(),
        )],
        "2026-11-22".parse().unwrap(),
    )
    .unwrap();
    assert_eq!(e.applied, Applied::default());
    assert_eq!(e.continuity.keys().collect::<Vec<_>>(), ["Fine"]);
    assert_eq!(e.continuity["Fine"].days_since_release, Some(82));
    assert_eq!(e.continuity["Fine"].contributor_orgs_12m, Some(4));

    // Malformed and foreign files are errors with a position.
    std::fs::write(
        &path,
        "{\n  \"format\": \"sovra-facts\",\n  \"version\": 1,\n  \"generated\": 5\n}",
    )
    .unwrap();
    let err = Facts::load(&path).unwrap_err().to_string();
    assert!(err.contains("facts.json:4:"), "{err}");
    std::fs::write(
        &path,
        r#"{"format":"sovra-facts","version":9,"generated":""}"#,
    )
    .unwrap();
    let err = Facts::load(&path).unwrap_err().to_string();
    assert!(err.contains("version 9 is not supported"), "{err}");
}

/// One lookup per registry against the real services; runs only with `SOVRA_LIVE=1`.
#[test]
fn live_registries() {
    if std::env::var("SOVRA_LIVE").as_deref() != Ok("1") {
        eprintln!("SOVRA_LIVE is not 1: skipping the live check");
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let mut cfg = Config::from_env();
    cfg.cache_dir = Some(cache.path().to_owned());
    let mut only = |s: Source, p: Package| {
        cfg.sources = [s].into_iter().collect();
        let out = enrich::enrich(&inventory([p]), &cfg, &Silent).unwrap();
        eprintln!("{}: {:?} {:?}", s.as_str(), out.stats, out.notices);
        out
    };
    let npm = only(Source::Npm, pkg(Ecosystem::Npm, "fastify", "4.29.1"));
    assert_eq!(
        npm.facts.packages["npm:fastify@4.29.1"]
            .license
            .as_ref()
            .unwrap()
            .value,
        "MIT"
    );
    let pypi = only(Source::Pypi, pkg(Ecosystem::Pypi, "six", "1.17.0"));
    assert_eq!(
        pypi.facts.packages["pypi:six@1.17.0"]
            .license
            .as_ref()
            .unwrap()
            .value,
        "MIT"
    );
    let crates = only(Source::Crates, pkg(Ecosystem::Cargo, "itoa", "1.0.11"));
    assert_eq!(
        crates.facts.packages["cargo:itoa@1.0.11"]
            .license
            .as_ref()
            .unwrap()
            .value,
        "MIT OR Apache-2.0"
    );
    let osv = only(Source::Osv, pkg(Ecosystem::Npm, "lodash", "4.17.15"));
    eprintln!("osv advisories: {}", osv.stats.advisories);
}

#[test]
fn requests_to_one_host_are_paced() {
    let server = Server::start(|_| json(200, r#"{"versions":{"1.0.0":{"license":"MIT"}}}"#));
    let inv = inventory((0..5).map(|i| pkg(Ecosystem::Npm, &format!("p{i}"), "1.0.0")));
    let mut cfg = config(&server.base, &[Source::Npm], Path::new("unused"));
    cfg.cache_dir = None;
    cfg.http.host_interval = Duration::from_millis(150);
    let started = Instant::now();
    let out = enrich::enrich(&inv, &cfg, &Silent).unwrap();
    assert_eq!(out.stats.licenses, 5);
    // Five requests on eight workers still start 150 ms apart.
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn an_exhausted_rate_limit_stops_asking_that_host() {
    let server = Server::start(|req| {
        if req.path.starts_with("/repos/") {
            Reply::Send(
                403,
                vec![
                    ("x-ratelimit-remaining", "0".into()),
                    ("x-ratelimit-reset", "4102444800".into()),
                ],
                br#"{"message":"API rate limit exceeded"}"#.to_vec(),
            )
        } else {
            json(404, "{}")
        }
    });
    let inv = inventory((0..6).map(|i| {
        let mut p = pkg(
            Ecosystem::Other("generic".into()),
            &format!("p{i}"),
            "1.0.0",
        );
        p.repository = Some(format!("https://github.com/o/r{i}"));
        p
    }));
    let mut cfg = config(&server.base, &[Source::Github], Path::new("unused"));
    cfg.cache_dir = None;
    cfg.workers = 1;
    let out = enrich::enrich(&inv, &cfg, &Silent).unwrap();
    assert_eq!(
        server.hits("/repos/"),
        1,
        "the first refusal stops the rest"
    );
    assert_eq!(out.stats.failed, 6);
    assert_eq!(out.notices.len(), 2, "{:#?}", out.notices);
    assert!(
        out.notices[0].starts_with("5 lookup(s) not asked: `127.0.0.1:"),
        "{:#?}",
        out.notices
    );
    assert!(out.notices[1].contains("rate limited, server asks to retry after"));

    // A 429 asking for an hour is not waited for, and ends the host's run too.
    let server =
        Server::start(|_| Reply::Send(429, vec![("Retry-After", "3600".into())], Vec::new()));
    let mut cfg = config(&server.base, &[Source::Npm], Path::new("unused"));
    cfg.cache_dir = None;
    cfg.workers = 1;
    let inv = inventory((0..3).map(|i| pkg(Ecosystem::Npm, &format!("p{i}"), "1.0.0")));
    let started = Instant::now();
    let out = enrich::enrich(&inv, &cfg, &Silent).unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.hits("/"), 1);
    let base = &server.base;
    assert_eq!(
        out.notices,
        [
            format!(
                "2 lookup(s) not asked: `{}` rate-limited this run",
                base.trim_start_matches("http://")
            ),
            format!("npm `p0`: `{base}/p0`: rate limited, server asks to retry after 3600 s"),
        ]
    );
}

#[test]
fn an_unreachable_host_is_tried_once_per_run() {
    // Nothing listens on the discard port of the loopback interface.
    let base = "http://127.0.0.1:9";
    let inv = inventory((0..4).map(|i| pkg(Ecosystem::Npm, &format!("p{i}"), "1.0.0")));
    let mut cfg = config(base, &[Source::Npm], Path::new("unused"));
    cfg.cache_dir = None;
    cfg.workers = 1;
    let out = enrich::enrich(&inv, &cfg, &Silent).unwrap();
    assert_eq!(out.stats.failed, 4);
    assert_eq!(out.notices.len(), 2, "{:#?}", out.notices);
    assert_eq!(
        out.notices[0],
        "3 lookup(s) not asked: `127.0.0.1:9` was unreachable"
    );
    assert!(
        out.notices[1].starts_with("npm `p0`: `http://127.0.0.1:9/p0`: ")
            && out.notices[1].ends_with("after 3 attempt(s)"),
        "{:#?}",
        out.notices
    );
}

/// Packagist, RubyGems, NuGet and Go modules (deps.dev), answered on loopback in each
/// API's documented response format; hostile names stay inside each API's path.
#[test]
fn packagist_rubygems_nuget_and_go_from_documented_responses() {
    let server = Server::start(|req| {
        if req.method != "GET" {
            return json(405, "{}");
        }
        match req.path.as_str() {
            // Composer v2 metadata, minified: later versions inherit unchanged fields.
            "/p2/symfony/console.json" => json(
                200,
                r#"{"minified":"composer/2.0","packages":{"symfony/console":[
                  {"name":"symfony/console","version":"v7.0.0","version_normalized":"7.0.0.0",
                   "license":["MIT"],"authors":[{"name":"Fabien Potencier","email":"f@example.org"}],
                   "source":{"type":"git","url":"https://github.com/symfony/console.git","reference":"abc"},
                   "homepage":"https://symfony.com","time":"2023-11-29T00:00:00+00:00"},
                  {"version":"v6.4.1","version_normalized":"6.4.1.0","time":"2023-11-30T00:00:00+00:00"}]}}"#,
            ),
            "/api/v2/rubygems/rack/versions/3.0.8.json" => json(
                200,
                r#"{"name":"rack","version":"3.0.8","platform":"ruby","authors":"Leah Neukirchen",
                  "licenses":["MIT"],"homepage_uri":"https://github.com/rack/rack",
                  "source_code_uri":"https://github.com/rack/rack","created_at":"2023-06-14T00:00:00.000Z"}"#,
            ),
            "/v3-flatcontainer/newtonsoft.json/13.0.3/newtonsoft.json.nuspec" => Reply::Send(
                200,
                Vec::new(),
                br#"<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata minClientVersion="2.12">
<id>Newtonsoft.Json</id><version>13.0.3</version><authors>James Newton-King</authors>
<license type="expression">MIT</license><licenseUrl>https://licenses.nuget.org/MIT</licenseUrl>
<projectUrl>https://www.newtonsoft.com/json</projectUrl>
<repository type="git" url="https://github.com/JamesNK/Newtonsoft.Json.git" commit="0a2e29"/>
</metadata></package>"#
                    .to_vec(),
            ),
            "/v3-flatcontainer/own.licence/1.0.0/own.licence.nuspec" => Reply::Send(
                200,
                Vec::new(),
                br#"<package><metadata><id>Own.Licence</id><version>1.0.0</version><authors>Acme</authors>
<license type="file">LICENSE.txt</license><licenseUrl>https://aka.ms/deprecateLicenseUrl</licenseUrl>
</metadata></package>"#
                    .to_vec(),
            ),
            "/v3/systems/go/packages/github.com%2Fgorilla%2Fmux/versions/v1.8.0" => json(
                200,
                r#"{"versionKey":{"system":"GO","name":"github.com/gorilla/mux","version":"v1.8.0"},
                  "publishedAt":"2020-07-17T00:00:00Z","isDefault":false,"licenses":["BSD-3-Clause"],
                  "advisoryKeys":[],"links":[{"label":"SOURCE_REPO","url":"https://github.com/gorilla/mux"}]}"#,
            ),
            _ => json(404, r#"{"error":"not found"}"#),
        }
    });
    let inv = inventory([
        pkg(Ecosystem::Composer, "symfony/console", "v6.4.1"),
        pkg(Ecosystem::Composer, "acme/gone", "1.0.0"),
        pkg(Ecosystem::Gem, "rack", "3.0.8"),
        pkg(Ecosystem::Gem, "../../admin", "1.0"),
        pkg(Ecosystem::Nuget, "Newtonsoft.Json", "13.0.3"),
        pkg(Ecosystem::Nuget, "Own.Licence", "1.0.0"),
        pkg(Ecosystem::Golang, "github.com/gorilla/mux", "v1.8.0"),
    ]);
    let cache = tempfile::tempdir().unwrap();
    let mut cfg = config(
        &server.base,
        &[
            Source::Packagist,
            Source::Rubygems,
            Source::Nuget,
            Source::Go,
        ],
        cache.path(),
    );
    cfg.base_urls
        .insert("nuget".into(), format!("{}/v3-flatcontainer/", server.base));
    let out = enrich::enrich(&inv, &cfg, &Silent).unwrap();
    let base = &server.base;
    assert_eq!(
        out.notices,
        [
            format!("packagist `acme/gone`: `{base}/p2/acme/gone.json`: not in the registry"),
            format!(
                "rubygems `../../admin`: `{base}/api/v2/rubygems/..%2F..%2Fadmin/versions/1.0.json`: not in the registry"
            ),
        ]
    );
    let p = &out.facts.packages;
    let lic = |k: &str| p[k].license.as_ref().map(|l| l.value.clone());
    assert_eq!(
        lic("composer:symfony/console@v6.4.1").as_deref(),
        Some("MIT")
    );
    let console = &p["composer:symfony/console@v6.4.1"];
    assert_eq!(console.supplier.as_ref().unwrap().value, "Fabien Potencier");
    assert_eq!(
        console.published.as_ref().unwrap().value,
        "2023-11-30T00:00:00+00:00"
    );
    assert_eq!(
        console.license.as_ref().unwrap().url,
        format!("{base}/p2/symfony/console.json")
    );
    assert_eq!(console.license.as_ref().unwrap().source, "packagist");
    assert_eq!(lic("gem:rack@3.0.8").as_deref(), Some("MIT"));
    assert_eq!(lic("nuget:Newtonsoft.Json@13.0.3").as_deref(), Some("MIT"));
    assert_eq!(
        p["nuget:Newtonsoft.Json@13.0.3"]
            .repository
            .as_ref()
            .unwrap()
            .value,
        "https://github.com/JamesNK/Newtonsoft.Json.git"
    );
    // A licence only inside the package is not a licence fact: it stays unknown.
    assert_eq!(lic("nuget:Own.Licence@1.0.0"), None);
    assert_eq!(
        p["nuget:Own.Licence@1.0.0"]
            .supplier
            .as_ref()
            .unwrap()
            .value,
        "Acme"
    );
    assert_eq!(
        lic("golang:github.com/gorilla/mux@v1.8.0").as_deref(),
        Some("BSD-3-Clause")
    );
    assert_eq!(out.facts.sources["go"], server.base);
    // Every request stayed inside an API prefix.
    for r in server.requests() {
        assert!(
            [
                "/p2/",
                "/api/v2/rubygems/",
                "/v3-flatcontainer/",
                "/v3/systems/go/packages/"
            ]
            .iter()
            .any(|p| r.path.starts_with(p))
                && !r.path.contains("/../"),
            "{}",
            r.path
        );
    }

    // Applied to the inventory, the licences fill what the lockfiles lack.
    let mut applied = inv.clone();
    let a: Applied = out.facts.apply(&mut applied);
    assert_eq!(a.licenses, 4);

    // The second run is answered from the cache alone.
    let mut offline = cfg.clone();
    offline.offline = true;
    let hits = server.hits("/");
    let again = enrich::enrich(&inv, &offline, &Silent).unwrap();
    assert_eq!(server.hits("/"), hits);
    assert_eq!(again.facts.packages, out.facts.packages);
}
