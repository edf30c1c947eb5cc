//! Maven repositories (Maven Central layout): the POM at
//! `<base>/<group as path>/<artifact>/<version>/<artifact>-<version>.pom` gives
//! licences, organisation, SCM URL and home page. Fields a POM lacks are looked up in
//! its parent POMs (up to five levels), as Maven's own inheritance does.

use super::coords::{Coords, path_segment};
use super::facts::PackageFacts;
use super::http::{Http, Request, Response};
use super::{Source, fact};

/// Parent chains longer than this are not followed.
const MAX_PARENTS: usize = 5;

/// The POM's URL; each part of the group, the artifact and the version are encoded as
/// path segments, so no coordinate (a parent's included) leaves the repository's path
/// prefix.
pub(crate) fn pom_url(
    base: &str,
    group: &str,
    artifact: &str,
    version: &str,
) -> Result<String, String> {
    let group = group
        .split('.')
        .map(path_segment)
        .collect::<Result<Vec<_>, _>>()?
        .join("/");
    let (a, v) = (path_segment(artifact)?, path_segment(version)?);
    Ok(format!(
        "{}/{group}/{a}/{v}/{a}-{v}.pom",
        base.trim_end_matches('/')
    ))
}

pub(crate) fn lookup(http: &Http, base: &str, c: &Coords) -> Result<PackageFacts, String> {
    let group = c
        .namespace
        .clone()
        .ok_or_else(|| format!("`{}` has no group id", c.full_name()))?;
    let mut target = (group, c.name.clone(), c.version.clone());
    let mut out = PackageFacts::default();
    for depth in 0..=MAX_PARENTS {
        let mut req = Request::get(
            Source::Maven,
            pom_url(base, &target.0, &target.1, &target.2)?,
        );
        req.json = false;
        req.extract = Some(check_xml);
        let resp = http.fetch(&req).map_err(|e| e.to_string())?;
        if resp.gone() {
            if depth == 0 {
                return Err(format!("`{}`: not in the repository", resp.url));
            }
            break;
        }
        let pom = parse(&resp)?;
        let f = |v: Option<String>| v.map(|v| fact(Source::Maven, &resp, v));
        out.license = out.license.or(f(pom.license));
        out.supplier = out.supplier.or(f(pom.organisation));
        out.repository = out.repository.or(f(pom.scm));
        out.homepage = out.homepage.or(f(pom.url));
        let complete = out.license.is_some() && out.supplier.is_some() && out.repository.is_some();
        match pom.parent {
            Some(p) if !complete => target = p,
            _ => break,
        }
    }
    Ok(out)
}

/// The fields sovra reads from one POM.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Pom {
    pub license: Option<String>,
    pub organisation: Option<String>,
    pub scm: Option<String>,
    pub url: Option<String>,
    /// `(group, artifact, version)` of the parent POM.
    pub parent: Option<(String, String, String)>,
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Trimmed text of an element; values with unresolved `${…}` properties are skipped.
fn text(n: Option<roxmltree::Node<'_, '_>>) -> Option<String> {
    n.and_then(|n| n.text())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty() && !t.contains("${"))
}

/// Accepts a body only when it is well-formed XML, so a broken POM is never cached.
fn check_xml(bytes: &[u8]) -> Result<String, String> {
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| "not UTF-8".to_owned())?;
    roxmltree::Document::parse(&text).map_err(|e| e.to_string())?;
    Ok(text)
}

pub(crate) fn parse(resp: &Response) -> Result<Pom, String> {
    let doc = roxmltree::Document::parse(&resp.body)
        .map_err(|e| format!("`{}`: malformed POM: {e}", resp.url))?;
    let project = doc.root_element();
    // Several <license> elements are a choice (Maven POM reference).
    let licenses: Vec<String> = child(project, "licenses")
        .map(|ls| {
            ls.children()
                .filter(|c| c.is_element() && c.tag_name().name() == "license")
                .filter_map(|l| text(child(l, "name")))
                .collect()
        })
        .unwrap_or_default();
    let license = match licenses.len() {
        0 => None,
        1 => licenses.into_iter().next(),
        _ => Some(
            licenses
                .iter()
                .map(|l| {
                    if l.contains(' ') {
                        format!("({l})")
                    } else {
                        l.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" OR "),
        ),
    };
    let organisation =
        text(child(project, "organization").and_then(|o| child(o, "name"))).or_else(|| {
            child(project, "developers")
                .and_then(|d| child(d, "developer"))
                .and_then(|d| text(child(d, "organization")))
        });
    let scm = child(project, "scm")
        .and_then(|s| text(child(s, "url")).or_else(|| text(child(s, "connection"))))
        .map(|s| s.trim_start_matches("scm:git:").to_owned());
    let parent = child(project, "parent").and_then(|p| {
        Some((
            text(child(p, "groupId"))?,
            text(child(p, "artifactId"))?,
            text(child(p, "version"))?,
        ))
    });
    Ok(Pom {
        license,
        organisation,
        scm,
        url: text(child(project, "url")),
        parent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_pom() {
        let r = Response {
            status: 200,
            body: r#"<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><groupId>org.apache.commons</groupId><artifactId>commons-parent</artifactId><version>52</version></parent>
  <url>https://commons.apache.org/proper/commons-lang/</url>
  <licenses><license><name>Apache-2.0</name></license><license><name>MIT License</name></license></licenses>
  <scm><connection>scm:git:https://gitbox.apache.org/repos/asf/commons-lang.git</connection></scm>
  <developers><developer><organization>The Apache Software Foundation</organization></developer></developers>
</project>"#
                .into(),
            url: "http://m/x.pom".into(),
            retrieved: "2026-01-01T00:00:00Z".parse().unwrap(),
        };
        let p = parse(&r).unwrap();
        assert_eq!(p.license.as_deref(), Some("Apache-2.0 OR (MIT License)"));
        assert_eq!(
            p.organisation.as_deref(),
            Some("The Apache Software Foundation")
        );
        assert_eq!(
            p.scm.as_deref(),
            Some("https://gitbox.apache.org/repos/asf/commons-lang.git")
        );
        assert_eq!(
            p.parent,
            Some((
                "org.apache.commons".into(),
                "commons-parent".into(),
                "52".into()
            ))
        );
        assert_eq!(
            pom_url("http://m/", "org.apache.commons", "commons-lang3", "3.12.0").unwrap(),
            "http://m/org/apache/commons/commons-lang3/3.12.0/commons-lang3-3.12.0.pom"
        );
    }
}
