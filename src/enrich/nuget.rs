//! NuGet V3 package content resource (the "flat container"):
//! `GET <base>/<id>/<version>/<id>.nuspec`, with id and version lower-cased as the
//! protocol requires, gives the package manifest: licence expression, authors, project
//! and repository URLs. A licence shipped only as a file inside the package, or a bare
//! `licenseUrl`, is no licence fact: it stays unknown.

use super::coords::{Coords, path_segment};
use super::facts::PackageFacts;
use super::http::{Http, Request, Response};
use super::{Source, fact};

/// The deprecated `licenseUrl` that nuget.org writes for an expression.
const LICENSE_URL: &str = "https://licenses.nuget.org/";

pub(crate) fn url(base: &str, c: &Coords) -> Result<String, String> {
    let id = path_segment(&c.full_name().to_ascii_lowercase())?;
    Ok(format!(
        "{}/{id}/{}/{id}.nuspec",
        base.trim_end_matches('/'),
        path_segment(&c.version.to_ascii_lowercase())?
    ))
}

pub(crate) fn lookup(http: &Http, base: &str, c: &Coords) -> Result<PackageFacts, String> {
    let mut req = Request::get(Source::Nuget, url(base, c)?);
    req.json = false;
    req.extract = Some(check_xml);
    let resp = http.fetch(&req).map_err(|e| e.to_string())?;
    parse(&resp)
}

/// Accepts a body only when it is well-formed XML, so a broken manifest is never cached.
fn check_xml(bytes: &[u8]) -> Result<String, String> {
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| "not UTF-8".to_owned())?;
    roxmltree::Document::parse(&text).map_err(|e| e.to_string())?;
    Ok(text)
}

pub(crate) fn parse(resp: &Response) -> Result<PackageFacts, String> {
    if resp.gone() {
        return Err(format!("`{}`: not in the registry", resp.url));
    }
    let doc = roxmltree::Document::parse(&resp.body)
        .map_err(|e| format!("`{}`: malformed manifest: {e}", resp.url))?;
    let Some(meta) = doc
        .root_element()
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "metadata")
    else {
        return Err(format!("`{}`: manifest without <metadata>", resp.url));
    };
    let el = |name: &str| {
        meta.children()
            .find(|n| n.is_element() && n.tag_name().name() == name)
    };
    let text = |name: &str| {
        el(name)
            .and_then(|n| n.text())
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
    };
    let f = |v: String| fact(Source::Nuget, resp, v);
    let license = match el("license") {
        Some(l) if l.attribute("type") == Some("expression") => l
            .text()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty()),
        Some(_) => None,
        None => text("licenseUrl")
            .and_then(|u| u.strip_prefix(LICENSE_URL).map(str::to_owned))
            .map(|e| e.trim_end_matches('/').to_owned())
            .filter(|e| !e.is_empty() && !e.contains('/')),
    }
    .map(f);
    let supplier = text("authors")
        .and_then(|a| a.split(',').next().map(|s| s.trim().to_owned()))
        .filter(|s| !s.is_empty())
        .map(f);
    let repository = el("repository")
        .and_then(|r| r.attribute("url"))
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
        .map(f);
    let homepage = text("projectUrl").map(f);
    Ok(PackageFacts {
        license,
        supplier,
        repository,
        homepage,
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
            url: "http://r/x".into(),
            retrieved: "2026-01-01T00:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn reads_expression_and_ignores_licence_files() {
        let ns = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";
        let f = parse(&resp(&format!(
            r#"<?xml version="1.0"?><package xmlns="{ns}"><metadata>
              <id>Newtonsoft.Json</id><version>13.0.3</version><authors>James Newton-King</authors>
              <license type="expression">MIT</license>
              <licenseUrl>https://licenses.nuget.org/MIT</licenseUrl>
              <projectUrl>https://www.newtonsoft.com/json</projectUrl>
              <repository type="git" url="https://github.com/JamesNK/Newtonsoft.Json.git"/>
            </metadata></package>"#
        )))
        .unwrap();
        assert_eq!(f.license.unwrap().value, "MIT");
        assert_eq!(f.supplier.unwrap().value, "James Newton-King");
        assert_eq!(
            f.repository.unwrap().value,
            "https://github.com/JamesNK/Newtonsoft.Json.git"
        );
        let file = parse(&resp(
            r#"<package><metadata><license type="file">LICENSE.txt</license>
               <licenseUrl>https://aka.ms/deprecateLicenseUrl</licenseUrl></metadata></package>"#,
        ))
        .unwrap();
        assert!(file.license.is_none());
        let legacy = parse(&resp(
            r#"<package><metadata><licenseUrl>https://licenses.nuget.org/Apache-2.0</licenseUrl></metadata></package>"#,
        ))
        .unwrap();
        assert_eq!(legacy.license.unwrap().value, "Apache-2.0");
    }

    #[test]
    fn ids_are_lower_cased_and_kept_in_one_segment() {
        let c = |n: &str| Coords {
            ecosystem: crate::model::Ecosystem::Nuget,
            namespace: None,
            name: n.into(),
            version: "13.0.3-Beta".into(),
        };
        assert_eq!(
            url("http://h/", &c("Newtonsoft.Json")).unwrap(),
            "http://h/newtonsoft.json/13.0.3-beta/newtonsoft.json.nuspec"
        );
        assert_eq!(
            url("http://h", &c("a/../b")).unwrap(),
            "http://h/a%2F..%2Fb/13.0.3-beta/a%2F..%2Fb.nuspec"
        );
    }
}
