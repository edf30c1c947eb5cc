//! Go modules. The module proxy protocol (`$GOPROXY/<module>/@v/<version>.info`) records
//! no licence, so Go modules are asked of the deps.dev API v3:
//! `GET <base>/v3/systems/go/packages/<module>/versions/<version>`, the module path
//! URL-encoded as one segment. It gives the licences deps.dev found in the module (SPDX
//! expressions, or `non-standard`), the source repository and the publish time.

use serde_json::Value;

use super::coords::{Coords, path_segment};
use super::facts::PackageFacts;
use super::http::{Http, Request, Response};
use super::{Source, all_of, fact, str_at, strings_at};

pub(crate) fn url(base: &str, c: &Coords) -> Result<String, String> {
    Ok(format!(
        "{}/v3/systems/go/packages/{}/versions/{}",
        base.trim_end_matches('/'),
        path_segment(&c.full_name())?,
        path_segment(&c.version)?
    ))
}

pub(crate) fn lookup(http: &Http, base: &str, c: &Coords) -> Result<PackageFacts, String> {
    let resp = http
        .fetch(&Request::get(Source::Go, url(base, c)?))
        .map_err(|e| e.to_string())?;
    parse(&resp)
}

pub(crate) fn parse(resp: &Response) -> Result<PackageFacts, String> {
    if resp.gone() {
        return Err(format!("`{}`: not in the registry", resp.url));
    }
    let doc: Value = resp.json()?;
    let f = |v: String| fact(Source::Go, resp, v);
    let mut licenses: Vec<String> = strings_at(&doc, "licenses");
    licenses.sort();
    licenses.dedup();
    // Licences found in one module all apply to it.
    let license = all_of(licenses).map(f);
    let link = |label: &str| {
        doc.get("links")
            .and_then(Value::as_array)
            .and_then(|l| {
                l.iter()
                    .find(|x| str_at(x, "label").as_deref() == Some(label))
            })
            .and_then(|x| str_at(x, "url"))
            .filter(|s| !s.is_empty())
    };
    Ok(PackageFacts {
        license,
        repository: link("SOURCE_REPO").map(f),
        homepage: link("HOMEPAGE").map(f),
        published: str_at(&doc, "publishedAt").filter(|s| !s.is_empty()).map(f),
        ..PackageFacts::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_licences_and_links() {
        let r = Response {
            status: 200,
            body: r#"{"versionKey":{"system":"GO","name":"github.com/a/b","version":"v1.2.0"},
              "publishedAt":"2024-02-01T00:00:00Z","licenses":["MIT","BSD-3-Clause"],
              "links":[{"label":"SOURCE_REPO","url":"https://github.com/a/b"}]}"#
                .into(),
            url: "http://r/x".into(),
            retrieved: "2026-01-01T00:00:00Z".parse().unwrap(),
        };
        let f = parse(&r).unwrap();
        assert_eq!(f.license.unwrap().value, "(BSD-3-Clause) AND (MIT)");
        assert_eq!(f.repository.unwrap().value, "https://github.com/a/b");
        assert_eq!(f.published.unwrap().value, "2024-02-01T00:00:00Z");
    }

    #[test]
    fn module_paths_are_one_segment() {
        let c =
            crate::enrich::coords::from_purl("pkg:golang/github.com/gorilla/mux@v1.8.0").unwrap();
        assert_eq!(
            url("http://h/", &c).unwrap(),
            "http://h/v3/systems/go/packages/github.com%2Fgorilla%2Fmux/versions/v1.8.0"
        );
    }
}
