//! Packagist (Composer v2 metadata API): `GET <base>/p2/<vendor>/<name>.json` lists
//! every tagged version of a package. The document may be "minified" (`"minified":
//! "composer/2.0"`): each version then carries only the fields that differ from the one
//! before it, and `"__unset"` removes a field. Licence, authors, source repository,
//! home page, release time and the package's `abandoned` flag are read.

use serde_json::{Map, Value};

use super::coords::{Coords, path_segment};
use super::facts::PackageFacts;
use super::http::{Http, Request, Response};
use super::{Source, fact, str_at, strings_at};

pub(crate) fn url(base: &str, c: &Coords) -> Result<String, String> {
    let vendor = c
        .namespace
        .as_deref()
        .ok_or_else(|| format!("`{}` has no vendor", c.full_name()))?;
    Ok(format!(
        "{}/p2/{}/{}.json",
        base.trim_end_matches('/'),
        path_segment(&vendor.to_ascii_lowercase())?,
        path_segment(&c.name.to_ascii_lowercase())?
    ))
}

pub(crate) fn lookup(http: &Http, base: &str, c: &Coords) -> Result<PackageFacts, String> {
    let resp = http
        .fetch(&Request::get(Source::Packagist, url(base, c)?))
        .map_err(|e| e.to_string())?;
    parse(&resp, &c.full_name().to_ascii_lowercase(), &c.version)
}

/// Reads the facts of `version` of package `name` (`vendor/name`).
pub(crate) fn parse(resp: &Response, name: &str, version: &str) -> Result<PackageFacts, String> {
    if resp.gone() {
        return Err(format!("`{}`: not in the registry", resp.url));
    }
    let doc: Value = resp.json()?;
    let list = doc
        .get("packages")
        .and_then(|p| p.get(name))
        .and_then(Value::as_array)
        .ok_or_else(|| format!("`{}`: no version list for {name}", resp.url))?;
    let minified = str_at(&doc, "minified").is_some();
    let bare = |v: &str| v.strip_prefix('v').unwrap_or(v).to_owned();
    let mut current: Map<String, Value> = Map::new();
    let mut found = None;
    for entry in list {
        let Some(obj) = entry.as_object() else {
            continue;
        };
        if !minified {
            current.clear();
        }
        for (k, v) in obj {
            if v.as_str() == Some("__unset") {
                current.remove(k);
            } else {
                current.insert(k.clone(), v.clone());
            }
        }
        let v = current.get("version").and_then(Value::as_str).unwrap_or("");
        if v == version || bare(v) == bare(version) {
            found = Some(Value::Object(current.clone()));
            break;
        }
    }
    let Some(meta) = found else {
        return Err(format!("`{}`: version {version} is not listed", resp.url));
    };
    let f = |v: String| fact(Source::Packagist, resp, v);
    let licenses: Vec<String> = strings_at(&meta, "license");
    // Composer documents several licences as a choice ("disjunctive").
    let license = match licenses.len() {
        0 => None,
        1 => licenses.into_iter().next(),
        _ => Some(format!("({})", licenses.join(" OR "))),
    }
    .map(f);
    let supplier = meta
        .get("authors")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find_map(|p| str_at(p, "name")))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .map(f);
    let repository = meta
        .get("source")
        .and_then(|s| str_at(s, "url"))
        .filter(|s| !s.is_empty())
        .map(f);
    let homepage = str_at(&meta, "homepage").filter(|s| !s.is_empty()).map(f);
    let published = str_at(&meta, "time").filter(|s| !s.is_empty()).map(f);
    let deprecated = match meta.get("abandoned") {
        Some(Value::Bool(true)) => Some("abandoned".to_owned()),
        Some(Value::String(s)) if !s.is_empty() => Some(format!("abandoned, use {s}")),
        _ => None,
    }
    .map(f);
    Ok(PackageFacts {
        license,
        supplier,
        repository,
        homepage,
        published,
        deprecated,
        ..PackageFacts::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(body: &str) -> Response {
        Response {
            status: 200,
            body: body.into(),
            url: "http://r/p2/a/b.json".into(),
            retrieved: "2026-01-01T00:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn minified_versions_inherit_and_unset() {
        let r = resp(
            r#"{"minified":"composer/2.0","packages":{"a/b":[
              {"name":"a/b","version":"v2.0.0","license":["MIT","GPL-2.0-only"],
               "authors":[{"name":"Jo"}],"source":{"type":"git","url":"https://github.com/a/b.git"},
               "homepage":"https://b.example","time":"2024-01-01T00:00:00+00:00"},
              {"version":"v1.0.0","homepage":"__unset","time":"2023-01-01T00:00:00+00:00"},
              {"version":"0.9.0","license":["Apache-2.0"]}]}}"#,
        );
        let f = parse(&r, "a/b", "1.0.0").unwrap();
        assert_eq!(f.license.unwrap().value, "(MIT OR GPL-2.0-only)");
        assert_eq!(f.supplier.unwrap().value, "Jo");
        assert_eq!(f.repository.unwrap().value, "https://github.com/a/b.git");
        assert!(f.homepage.is_none());
        assert_eq!(f.published.unwrap().value, "2023-01-01T00:00:00+00:00");
        let old = parse(&r, "a/b", "0.9.0").unwrap();
        assert_eq!(old.license.unwrap().value, "Apache-2.0");
        assert!(
            parse(&r, "a/b", "3.0.0")
                .unwrap_err()
                .contains("not listed")
        );
    }

    #[test]
    fn names_stay_inside_the_api_path() {
        let c = |ns: &str, n: &str| Coords {
            ecosystem: crate::model::Ecosystem::Composer,
            namespace: Some(ns.into()),
            name: n.into(),
            version: "1.0.0".into(),
        };
        assert_eq!(
            url("http://h/", &c("Symfony", "console")).unwrap(),
            "http://h/p2/symfony/console.json"
        );
        assert_eq!(
            url("http://h", &c("a", "b?x#y")).unwrap(),
            "http://h/p2/a/b%3Fx%23y.json"
        );
        assert!(url("http://h", &c("..", "b")).is_err());
    }
}
