//! PyPI JSON API: `GET <base>/pypi/<name>/<version>/json`, falling back to the project
//! document `GET <base>/pypi/<name>/json` (some mirrors serve only that one). From the
//! project document, licence and people are taken only when its `info` describes the
//! locked version; upload time and yanked state come from `releases`.

use serde_json::Value;

use super::coords::{Coords, path_segment};
use super::facts::PackageFacts;
use super::http::{Http, Request, Response};
use super::{Source, fact, str_at};

pub(crate) fn lookup(http: &Http, base: &str, c: &Coords) -> Result<PackageFacts, String> {
    let base = base.trim_end_matches('/');
    let (name, version) = (path_segment(&c.name)?, path_segment(&c.version)?);
    let url = format!("{base}/pypi/{name}/{version}/json");
    let resp = http
        .fetch(&Request::get(Source::Pypi, url))
        .map_err(|e| e.to_string())?;
    if resp.status != 404 {
        return parse(&resp, &c.version);
    }
    let url = format!("{base}/pypi/{name}/json");
    let resp = http
        .fetch(&Request::get(Source::Pypi, url))
        .map_err(|e| e.to_string())?;
    parse(&resp, &c.version)
}

pub(crate) fn parse(resp: &Response, version: &str) -> Result<PackageFacts, String> {
    if resp.gone() {
        return Err(format!("`{}`: not in the registry", resp.url));
    }
    let doc: Value = resp.json()?;
    let info = doc.get("info").unwrap_or(&Value::Null);
    let f = |v: String| fact(Source::Pypi, resp, v);
    let files = match doc.get("releases") {
        Some(r) => r.get(version).and_then(Value::as_array),
        None => doc.get("urls").and_then(Value::as_array),
    };
    if doc.get("releases").is_some() && files.is_none() {
        return Err(format!("`{}`: version {version} is not listed", resp.url));
    }
    let files = files.map(Vec::as_slice).unwrap_or(&[]);
    let published = files
        .iter()
        .filter_map(|f| str_at(f, "upload_time_iso_8601"))
        .min()
        .map(f);
    let yanked_files = files
        .iter()
        .filter(|f| f.get("yanked").and_then(Value::as_bool) == Some(true))
        .count();
    let yanked = (!files.is_empty()).then(|| fact(Source::Pypi, resp, yanked_files == files.len()));
    let mut out = PackageFacts {
        published,
        yanked,
        ..PackageFacts::default()
    };
    if str_at(info, "version").as_deref() != Some(version) {
        return Ok(out);
    }
    out.license = license(info).map(f);
    out.supplier = ["author", "maintainer"]
        .iter()
        .filter_map(|k| str_at(info, k))
        .find(|s| !s.is_empty())
        .or_else(|| {
            let email = str_at(info, "author_email")?;
            let name = email.split('<').next()?.trim().trim_matches('"').to_owned();
            (!name.is_empty() && !name.contains('@')).then_some(name)
        })
        .map(f);
    let urls = info.get("project_urls").and_then(Value::as_object);
    let url_for = |keys: &[&str]| -> Option<String> {
        let urls = urls?;
        let mut found: Vec<(&String, &Value)> = urls
            .iter()
            .filter(|(k, _)| keys.iter().any(|w| k.eq_ignore_ascii_case(w)))
            .collect();
        found.sort_by_key(|(k, _)| keys.iter().position(|w| k.eq_ignore_ascii_case(w)));
        found
            .first()
            .and_then(|(_, v)| v.as_str())
            .map(str::to_owned)
    };
    out.repository = url_for(&["Source", "Source Code", "Repository", "Code", "GitHub"])
        .or_else(|| str_at(info, "home_page").filter(|h| super::facts::repo_key(h).is_some()))
        .map(f);
    out.homepage = str_at(info, "home_page")
        .filter(|s| !s.is_empty())
        .or_else(|| url_for(&["Homepage", "Home"]))
        .map(f);
    Ok(out)
}

/// `license_expression` (PEP 639), else a one-line `license`, else the licence
/// classifiers (their last segment, joined with `AND`: each classifier is a licence
/// that applies).
fn license(info: &Value) -> Option<String> {
    if let Some(e) = str_at(info, "license_expression").filter(|s| !s.trim().is_empty()) {
        return Some(e.trim().to_owned());
    }
    if let Some(l) = str_at(info, "license") {
        let l = l.trim();
        if !l.is_empty() && !l.contains('\n') && l.len() <= 100 && l != "UNKNOWN" {
            return Some(l.to_owned());
        }
    }
    let classes: Vec<String> = info
        .get("classifiers")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .filter(|c| c.starts_with("License ::"))
        .filter_map(|c| c.rsplit(" :: ").next().map(str::to_owned))
        .filter(|c| c != "OSI Approved")
        .collect();
    match classes.len() {
        0 => None,
        1 => classes.into_iter().next(),
        _ => Some(classes.join(" AND ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(body: &str) -> Response {
        Response {
            status: 200,
            body: body.into(),
            url: "http://p/pypi/x/json".into(),
            retrieved: "2026-01-01T00:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn version_document() {
        let r = resp(
            r#"{"info":{"version":"2.0","license":"","license_expression":null,
                "classifiers":["License :: OSI Approved :: MIT License","Programming Language :: Python"],
                "author":"","maintainer":"","author_email":"Kenneth Reitz <me@kr.org>",
                "project_urls":{"Homepage":"https://x.org","Source":"https://github.com/psf/requests"}},
                "urls":[{"upload_time_iso_8601":"2023-05-22T15:12:44.175Z","yanked":false}]}"#,
        );
        let f = parse(&r, "2.0").unwrap();
        assert_eq!(f.license.unwrap().value, "MIT License");
        assert_eq!(f.supplier.unwrap().value, "Kenneth Reitz");
        assert_eq!(
            f.repository.unwrap().value,
            "https://github.com/psf/requests"
        );
        assert_eq!(f.homepage.unwrap().value, "https://x.org");
        assert!(!f.yanked.unwrap().value);
    }

    #[test]
    fn project_document_of_another_version_gives_dates_only() {
        let r = resp(
            r#"{"info":{"version":"3.0","license_expression":"Apache-2.0"},
                "releases":{"2.0":[{"upload_time_iso_8601":"2020-01-01T00:00:00Z","yanked":true}]}}"#,
        );
        let f = parse(&r, "2.0").unwrap();
        assert!(f.license.is_none());
        assert!(f.yanked.unwrap().value);
        assert!(parse(&r, "9.9").is_err());
        assert_eq!(
            parse(&r, "3.0").unwrap_err(),
            "`http://p/pypi/x/json`: version 3.0 is not listed"
        );
    }
}
