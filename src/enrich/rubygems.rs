//! RubyGems.org API v2: `GET <base>/api/v2/rubygems/<name>/versions/<version>.json`
//! describes one version: licences, authors, source and home page, creation time. A
//! platform gem as `Gemfile.lock` records it (`1.15.4-x86_64-linux`) is asked for with
//! `?platform=`.

use serde_json::Value;

use super::coords::{Coords, path_segment};
use super::facts::PackageFacts;
use super::http::{Http, Request, Response};
use super::{Source, all_of, fact, str_at, strings_at};

pub(crate) fn url(base: &str, c: &Coords) -> Result<String, String> {
    let (version, platform) = match c.version.split_once('-') {
        Some((v, p)) if !p.is_empty() => (v, Some(p)),
        _ => (c.version.as_str(), None),
    };
    let mut u = format!(
        "{}/api/v2/rubygems/{}/versions/{}.json",
        base.trim_end_matches('/'),
        path_segment(&c.full_name())?,
        path_segment(version)?
    );
    if let Some(p) = platform {
        u.push_str("?platform=");
        u.push_str(&path_segment(p)?);
    }
    Ok(u)
}

pub(crate) fn lookup(http: &Http, base: &str, c: &Coords) -> Result<PackageFacts, String> {
    let resp = http
        .fetch(&Request::get(Source::Rubygems, url(base, c)?))
        .map_err(|e| e.to_string())?;
    parse(&resp)
}

pub(crate) fn parse(resp: &Response) -> Result<PackageFacts, String> {
    if resp.gone() {
        return Err(format!("`{}`: not in the registry", resp.url));
    }
    let doc: Value = resp.json()?;
    if !doc.is_object() {
        return Err(format!("`{}`: malformed response: not an object", resp.url));
    }
    let f = |v: String| fact(Source::Rubygems, resp, v);
    let licenses: Vec<String> = strings_at(&doc, "licenses");
    // The gemspec does not say whether several licences are a choice: all of them apply.
    let license = all_of(licenses).map(f);
    let supplier = str_at(&doc, "authors")
        .and_then(|a| a.split(',').next().map(|s| s.trim().to_owned()))
        .filter(|s| !s.is_empty())
        .map(f);
    let meta = doc.get("metadata").unwrap_or(&Value::Null);
    let repository = str_at(&doc, "source_code_uri")
        .or_else(|| str_at(meta, "source_code_uri"))
        .filter(|s| !s.is_empty())
        .map(f);
    let homepage = str_at(&doc, "homepage_uri")
        .filter(|s| !s.is_empty())
        .map(f);
    let published = str_at(&doc, "created_at").filter(|s| !s.is_empty()).map(f);
    let yanked = doc
        .get("yanked")
        .and_then(Value::as_bool)
        .map(|y| fact(Source::Rubygems, resp, y));
    Ok(PackageFacts {
        license,
        supplier,
        repository,
        homepage,
        published,
        yanked,
        ..PackageFacts::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_version() {
        let r = Response {
            status: 200,
            body: r#"{"name":"rack","version":"3.0.8","authors":"Leah Neukirchen, Others",
              "licenses":["MIT"],"homepage_uri":"https://github.com/rack/rack",
              "created_at":"2023-06-14T00:00:00.000Z",
              "metadata":{"source_code_uri":"https://github.com/rack/rack"}}"#
                .into(),
            url: "http://r/x".into(),
            retrieved: "2026-01-01T00:00:00Z".parse().unwrap(),
        };
        let f = parse(&r).unwrap();
        assert_eq!(f.license.unwrap().value, "MIT");
        assert_eq!(f.supplier.unwrap().value, "Leah Neukirchen");
        assert_eq!(f.repository.unwrap().value, "https://github.com/rack/rack");
        assert_eq!(f.published.unwrap().value, "2023-06-14T00:00:00.000Z");
    }

    #[test]
    fn platform_gems_and_hostile_names() {
        let c = |n: &str, v: &str| Coords {
            ecosystem: crate::model::Ecosystem::Gem,
            namespace: None,
            name: n.into(),
            version: v.into(),
        };
        assert_eq!(
            url("http://h", &c("nokogiri", "1.15.4-x86_64-linux")).unwrap(),
            "http://h/api/v2/rubygems/nokogiri/versions/1.15.4.json?platform=x86_64-linux"
        );
        assert_eq!(
            url("http://h", &c("../../x", "1")).unwrap(),
            "http://h/api/v2/rubygems/..%2F..%2Fx/versions/1.json"
        );
        assert!(url("http://h", &c("..", "1")).is_err());
    }
}
