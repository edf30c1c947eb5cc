//! OSV advisories: `POST <base>/v1/querybatch` with one purl query per package (at most
//! 1,000 per request, as the API allows) returns the ids of the advisories affecting
//! each; `GET <base>/v1/vulns/<id>` returns each record once. Severity is read from the
//! record's `database_specific.severity` (GitHub advisories), the affected entry's
//! `ecosystem_specific` / `database_specific` severity, or computed from a CVSS v3 base
//! vector, in that order.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::coords::Coords;
use super::facts::{Advisory, Severity};
use super::http::{Http, Request, Response};
use super::{Source, str_at};

/// Queries per batch request (the API's maximum).
pub(crate) const BATCH: usize = 1000;
/// Pages followed for one query that has more results.
const MAX_PAGES: usize = 10;

/// The advisory ids of each package of `batch` (same order), or a notice.
pub(crate) fn query_batch(
    http: &Http,
    base: &str,
    batch: &[Coords],
) -> Result<Vec<BTreeSet<String>>, String> {
    let url = format!("{}/v1/querybatch", base.trim_end_matches('/'));
    let queries: Vec<Value> = batch.iter().map(|c| query(c, None)).collect();
    let resp = post(http, &url, &json!({ "queries": queries }))?;
    let results = parse_batch(&resp, batch.len())?;
    let mut out = Vec::with_capacity(batch.len());
    for (c, (mut ids, mut token)) in batch.iter().zip(results) {
        let mut pages = 0;
        while let Some(t) = token.take() {
            pages += 1;
            if pages > MAX_PAGES {
                break;
            }
            let resp = post(http, &url, &json!({ "queries": [query(c, Some(&t))] }))?;
            let mut more = parse_batch(&resp, 1)?;
            if let Some((m, next)) = more.pop() {
                ids.extend(m);
                token = next;
            }
        }
        out.push(ids);
    }
    Ok(out)
}

fn post(http: &Http, url: &str, body: &Value) -> Result<Response, String> {
    let req = Request {
        source: Source::Osv,
        url: url.to_owned(),
        body: Some(body.to_string()),
        headers: Vec::new(),
        json: true,
        extract: None,
    };
    let resp = http.fetch(&req).map_err(|e| e.to_string())?;
    if resp.status != 200 {
        return Err(format!("`{url}`: HTTP {}", resp.status));
    }
    Ok(resp)
}

fn query(c: &Coords, page_token: Option<&str>) -> Value {
    let mut q = json!({ "package": { "purl": c.purl() } });
    if let Some(t) = page_token {
        q["page_token"] = Value::String(t.to_owned());
    }
    q
}

/// Advisory ids of one query result and its next-page token.
type Page = (BTreeSet<String>, Option<String>);

/// Ids and next-page token of each result of a batch response.
pub(crate) fn parse_batch(resp: &Response, expected: usize) -> Result<Vec<Page>, String> {
    let doc: Value = serde_json::from_str(&resp.body)
        .map_err(|e| format!("`{}`: malformed response: {e}", resp.url))?;
    let results = doc
        .get("results")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("`{}`: response has no `results`", resp.url))?;
    if results.len() != expected {
        return Err(format!(
            "`{}`: {} results for {expected} queries",
            resp.url,
            results.len()
        ));
    }
    Ok(results
        .iter()
        .map(|r| {
            let ids = r
                .get("vulns")
                .and_then(Value::as_array)
                .map(|v| v.iter().filter_map(|x| str_at(x, "id")).collect())
                .unwrap_or_default();
            (ids, str_at(r, "next_page_token").filter(|t| !t.is_empty()))
        })
        .collect())
}

pub(crate) fn vuln_url(base: &str, id: &str) -> String {
    format!("{}/v1/vulns/{id}", base.trim_end_matches('/'))
}

/// Fetches one advisory record; `package` selects the affected entry for fixed versions.
pub(crate) fn lookup_vuln(http: &Http, base: &str, id: &str) -> Result<Response, String> {
    let resp = http
        .fetch(&Request::get(Source::Osv, vuln_url(base, id)))
        .map_err(|e| e.to_string())?;
    if resp.status != 200 {
        return Err(format!("`{}`: HTTP {}", resp.url, resp.status));
    }
    Ok(resp)
}

/// Reads an OSV record as it concerns the package `c`.
pub(crate) fn parse_vuln(resp: &Response, c: &Coords) -> Result<Advisory, String> {
    let v: Value = serde_json::from_str(&resp.body)
        .map_err(|e| format!("`{}`: malformed response: {e}", resp.url))?;
    let id = str_at(&v, "id").ok_or_else(|| format!("`{}`: record has no `id`", resp.url))?;
    let mut aliases: Vec<String> = v
        .get("aliases")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    aliases.sort();
    aliases.dedup();
    let affected: Vec<&Value> = v
        .get("affected")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|e| {
                    let p = e.get("package");
                    let purl_match = p
                        .and_then(|p| str_at(p, "purl"))
                        .and_then(|p| super::coords::from_purl(&format!("{p}@0")))
                        .is_some_and(|pc| pc.full_name() == c.full_name());
                    let name_match = p
                        .and_then(|p| str_at(p, "name"))
                        .is_some_and(|n| n.eq_ignore_ascii_case(&c.full_name()));
                    purl_match || name_match
                })
                .collect()
        })
        .unwrap_or_default();
    let labelled = str_at(
        v.get("database_specific").unwrap_or(&Value::Null),
        "severity",
    )
    .or_else(|| {
        affected.iter().find_map(|a| {
            ["ecosystem_specific", "database_specific"]
                .iter()
                .find_map(|k| a.get(*k).and_then(|s| str_at(s, "severity")))
        })
    })
    .and_then(|s| Severity::parse(&s));
    let vector = v
        .get("severity")
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter().find_map(|s| {
                let ty = str_at(s, "type")?;
                let score = str_at(s, "score")?;
                (ty == "CVSS_V3").then_some(score)
            })
        });
    let (severity, cvss) = match (labelled, &vector) {
        (Some(s), _) => (s, vector.clone()),
        (None, Some(vec)) => match cvss3_base_score(vec) {
            Some(score) => (Severity::from_score(score), vector.clone()),
            None => (Severity::Unknown, vector.clone()),
        },
        (None, None) => (Severity::Unknown, None),
    };
    let mut fixed: Vec<String> = affected
        .iter()
        .filter_map(|a| a.get("ranges").and_then(Value::as_array))
        .flatten()
        .filter_map(|r| r.get("events").and_then(Value::as_array))
        .flatten()
        .filter_map(|e| str_at(e, "fixed"))
        .collect();
    fixed.sort();
    fixed.dedup();
    Ok(Advisory {
        id,
        aliases,
        summary: str_at(&v, "summary").filter(|s| !s.is_empty()),
        severity,
        cvss,
        fixed,
        url: resp.url.clone(),
        retrieved: resp.retrieved.to_string(),
    })
}

/// The CVSS v3.0 / v3.1 base score of a vector (`CVSS:3.1/AV:N/AC:L/…`), per the
/// specification's formulas; `None` when a base metric is missing or invalid.
pub(crate) fn cvss3_base_score(vector: &str) -> Option<f64> {
    let mut parts = vector.split('/');
    if !parts.next()?.starts_with("CVSS:3") {
        return None;
    }
    let mut m = std::collections::HashMap::new();
    for p in parts {
        let (k, v) = p.split_once(':')?;
        m.insert(k, v);
    }
    let scope_changed = match *m.get("S")? {
        "U" => false,
        "C" => true,
        _ => return None,
    };
    let av = match *m.get("AV")? {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        "P" => 0.2,
        _ => return None,
    };
    let ac = match *m.get("AC")? {
        "L" => 0.77,
        "H" => 0.44,
        _ => return None,
    };
    let pr = match (*m.get("PR")?, scope_changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        _ => return None,
    };
    let ui = match *m.get("UI")? {
        "N" => 0.85,
        "R" => 0.62,
        _ => return None,
    };
    let cia = |k: &str| -> Option<f64> {
        match *m.get(k)? {
            "H" => Some(0.56),
            "L" => Some(0.22),
            "N" => Some(0.0),
            _ => None,
        }
    };
    let (c, i, a) = (cia("C")?, cia("I")?, cia("A")?);
    let iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
    let impact = if scope_changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
    } else {
        6.42 * iss
    };
    let exploitability = 8.22 * av * ac * pr * ui;
    if impact <= 0.0 {
        return Some(0.0);
    }
    let raw = if scope_changed {
        (1.08 * (impact + exploitability)).min(10.0)
    } else {
        (impact + exploitability).min(10.0)
    };
    Some(round_up(raw))
}

/// CVSS v3.1 `Roundup`: the smallest one-decimal number not below `x`.
fn round_up(x: f64) -> f64 {
    let i = (x * 100_000.0).round() as i64;
    if i % 10_000 == 0 {
        i as f64 / 100_000.0
    } else {
        ((i / 10_000) + 1) as f64 / 10.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cvss_scores_match_the_specification_examples() {
        let s = |v: &str| cvss3_base_score(v).unwrap();
        assert_eq!(s("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);
        assert_eq!(s("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);
        assert_eq!(s("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N"), 5.5);
        assert_eq!(s("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), 0.0);
        assert!(cvss3_base_score("CVSS:4.0/AV:N").is_none());
    }

    #[test]
    fn reads_a_record() {
        let c = super::super::coords::from_purl("pkg:npm/lodash@4.17.15").unwrap();
        let r = Response {
            status: 200,
            body: r#"{"id":"GHSA-x","aliases":["CVE-2","CVE-1"],"summary":"proto pollution",
              "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
              "affected":[{"package":{"ecosystem":"npm","name":"lodash"},
                "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]},
                {"package":{"ecosystem":"npm","name":"other"},
                "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"9"}]}]}]}"#
                .into(),
            url: "http://o/v1/vulns/GHSA-x".into(),
            retrieved: "2026-01-01T00:00:00Z".parse().unwrap(),
        };
        let a = parse_vuln(&r, &c).unwrap();
        assert_eq!(a.severity, Severity::Critical);
        assert_eq!(a.aliases, vec!["CVE-1", "CVE-2"]);
        assert_eq!(a.fixed, vec!["4.17.21"]);
    }
}
