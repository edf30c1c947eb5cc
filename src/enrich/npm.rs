//! npm registry: the package document (`GET <base>/<name>`, scoped names as
//! `@scope%2fname`) gives licence, author, repository, publish time, deprecation and
//! maintainers of each version.

use serde_json::Value;

use super::coords::{Coords, path_segment};
use super::facts::PackageFacts;
use super::http::{Http, Request, Response};
use super::{Source, fact, str_at};

/// The package document's URL; the scope and name are encoded as path segments, so
/// no name leaves the registry's path prefix.
pub(crate) fn url(base: &str, c: &Coords) -> Result<String, String> {
    let name = path_segment(&c.name)?;
    let doc = match &c.namespace {
        Some(scope) => {
            let scope = path_segment(scope.strip_prefix('@').unwrap_or(scope))?;
            format!("@{scope}%2f{name}")
        }
        None => name,
    };
    Ok(format!("{}/{doc}", base.trim_end_matches('/')))
}

pub(crate) fn lookup(http: &Http, base: &str, c: &Coords) -> Result<PackageFacts, String> {
    let resp = http
        .fetch(&Request::get(Source::Npm, url(base, c)?))
        .map_err(|e| e.to_string())?;
    parse(&resp, &c.version)
}

/// Reads the facts of `version` from a package document.
pub(crate) fn parse(resp: &Response, version: &str) -> Result<PackageFacts, String> {
    if resp.gone() {
        return Err(format!("`{}`: not in the registry", resp.url));
    }
    let doc: Value = resp.json()?;
    let Some(meta) = doc.get("versions").and_then(|v| v.get(version)) else {
        return Err(format!("`{}`: version {version} is not listed", resp.url));
    };
    let f = |v: String| fact(Source::Npm, resp, v);
    let license = license(meta).map(f);
    let supplier = person(meta.get("author")).map(f);
    let repository = match meta.get("repository") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(r) => str_at(r, "url"),
        None => None,
    }
    .filter(|s| !s.is_empty())
    .map(f);
    let homepage = str_at(meta, "homepage").map(f);
    let published = doc
        .get("time")
        .and_then(|t| t.get(version))
        .and_then(Value::as_str)
        .map(|s| f(s.to_owned()));
    let deprecated = str_at(meta, "deprecated").filter(|s| !s.is_empty()).map(f);
    let maintainers = doc
        .get("maintainers")
        .or_else(|| meta.get("maintainers"))
        .and_then(Value::as_array)
        .map(|list| {
            let mut names: Vec<String> = list.iter().filter_map(|m| person(Some(m))).collect();
            names.sort();
            names.dedup();
            names
        })
        .filter(|v| !v.is_empty())
        .map(|v| fact(Source::Npm, resp, v));
    Ok(PackageFacts {
        license,
        supplier,
        repository,
        homepage,
        published,
        yanked: None,
        deprecated,
        maintainers,
    })
}

/// `license` as a string or `{ "type": … }`, or the legacy `licenses` array (joined
/// with `OR`, as npm documented the array as a choice).
fn license(meta: &Value) -> Option<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_owned()),
        other => str_at(other, "type"),
    };
    if let Some(l) = meta.get("license").and_then(one).filter(|s| !s.is_empty()) {
        return Some(l);
    }
    let list: Vec<String> = meta
        .get("licenses")?
        .as_array()?
        .iter()
        .filter_map(one)
        .filter(|s| !s.is_empty())
        .collect();
    match list.len() {
        0 => None,
        1 => list.into_iter().next(),
        _ => Some(list.join(" OR ")),
    }
}

/// A person as `"Name <mail>"` or `{ "name": … }`: the name.
fn person(v: Option<&Value>) -> Option<String> {
    let name = match v? {
        Value::String(s) => s.split(['<', '(']).next().unwrap_or("").trim().to_owned(),
        other => str_at(other, "name")?,
    };
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(body: &str) -> Response {
        Response {
            status: 200,
            body: body.into(),
            url: "http://r/x".into(),
            retrieved: "2026-01-01T00:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn reads_the_locked_version() {
        let r = resp(
            r#"{"maintainers":[{"name":"b"},{"name":"a"}],
                "time":{"1.0.0":"2020-01-01T00:00:00.000Z"},
                "versions":{"1.0.0":{"licenses":[{"type":"MIT"},{"type":"Apache-2.0"}],
                  "author":"Jo Doe <jo@example.org>",
                  "repository":{"type":"git","url":"git+https://github.com/a/b.git"},
                  "deprecated":"use c"}}}"#,
        );
        let f = parse(&r, "1.0.0").unwrap();
        assert_eq!(f.license.unwrap().value, "MIT OR Apache-2.0");
        assert_eq!(f.supplier.unwrap().value, "Jo Doe");
        assert_eq!(
            f.repository.unwrap().value,
            "git+https://github.com/a/b.git"
        );
        assert_eq!(f.published.unwrap().value, "2020-01-01T00:00:00.000Z");
        assert_eq!(f.deprecated.unwrap().value, "use c");
        assert_eq!(f.maintainers.unwrap().value, vec!["a", "b"]);
        assert!(parse(&r, "2.0.0").unwrap_err().contains("not listed"));
    }

    #[test]
    fn scoped_names_are_escaped() {
        let c = super::super::coords::from_purl("pkg:npm/%40types/node@20.0.0").unwrap();
        assert_eq!(url("http://h/", &c).unwrap(), "http://h/@types%2fnode");
    }
}
