//! Registry coordinates of a package (ecosystem, namespace, name, version), taken from
//! its purl where it has one and from its name otherwise, and the facts-file key made
//! from them.

use crate::model::{Ecosystem, Package};

/// Where a registry finds a package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Coords {
    pub ecosystem: Ecosystem,
    /// npm scope (`@types`), Maven group id; `None` elsewhere.
    pub namespace: Option<String>,
    pub name: String,
    pub version: String,
}

impl Coords {
    /// The full registry name: `@scope/name` for npm, `group:artifact` for Maven.
    pub(crate) fn full_name(&self) -> String {
        match (&self.ecosystem, &self.namespace) {
            (Ecosystem::Npm, Some(ns)) => format!("{ns}/{}", self.name),
            (Ecosystem::Maven, Some(ns)) => format!("{ns}:{}", self.name),
            (_, Some(ns)) => format!("{ns}/{}", self.name),
            (_, None) => self.name.clone(),
        }
    }

    /// The key of this package in a facts file: `ecosystem:full-name@version`.
    pub(crate) fn key(&self) -> String {
        format!(
            "{}:{}@{}",
            self.ecosystem.as_str(),
            self.full_name(),
            self.version
        )
    }

    /// The package's purl (without qualifiers).
    pub(crate) fn purl(&self) -> String {
        let enc = |s: &str| percent_encoding::utf8_percent_encode(s, PURL_SEGMENT).to_string();
        let mut p = format!("pkg:{}/", self.ecosystem.as_str());
        if let Some(ns) = &self.namespace {
            p.push_str(&enc(ns));
            p.push('/');
        }
        p.push_str(&enc(&self.name));
        p.push('@');
        p.push_str(&enc(&self.version));
        p
    }
}

const PURL_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'+');

/// What a registry path segment keeps unencoded (RFC 3986's unreserved characters).
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `s` as one percent-encoded URL path segment, or an error when it is empty or only
/// dots (`.`, `..`, which a URL parser resolves however they are encoded): a name from
/// an input can then never move a request out of the registry's path prefix.
pub(crate) fn path_segment(s: &str) -> Result<String, String> {
    if s.bytes().all(|b| b == b'.') {
        return Err(format!("`{s}` cannot be a path segment; not asked"));
    }
    Ok(percent_encoding::utf8_percent_encode(s, PATH_SEGMENT).to_string())
}

/// Coordinates of `pkg`, or `None` when it has no version or no registry ecosystem.
pub(crate) fn of(pkg: &Package) -> Option<Coords> {
    if let Some(c) = pkg.purl().and_then(from_purl) {
        return Some(c);
    }
    let version = pkg.version.clone()?;
    let (namespace, name) = match &pkg.ecosystem {
        Ecosystem::Npm => match pkg.name.split_once('/') {
            Some((scope, n)) if scope.starts_with('@') => (Some(scope.to_owned()), n.to_owned()),
            _ => (None, pkg.name.clone()),
        },
        Ecosystem::Maven => match pkg.name.split_once(':') {
            Some((g, a)) => (Some(g.to_owned()), a.to_owned()),
            None => return None,
        },
        Ecosystem::Pypi => (None, normalise_pypi(&pkg.name)),
        Ecosystem::Cargo | Ecosystem::Gem | Ecosystem::Nuget | Ecosystem::Golang => {
            (None, pkg.name.clone())
        }
        Ecosystem::Composer => match pkg.name.split_once('/') {
            Some((v, n)) => (Some(v.to_owned()), n.to_owned()),
            None => return None,
        },
        _ => return None,
    };
    Some(Coords {
        ecosystem: pkg.ecosystem.clone(),
        namespace,
        name,
        version,
    })
}

/// PEP 503 normalised name.
fn normalise_pypi(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !dash {
                out.push('-');
            }
            dash = true;
        } else {
            out.push(c.to_ascii_lowercase());
            dash = false;
        }
    }
    out
}

/// Parses `pkg:type/namespace/name@version?qualifiers#subpath`.
pub(crate) fn from_purl(purl: &str) -> Option<Coords> {
    let rest = purl.strip_prefix("pkg:")?;
    let rest = rest.split('#').next()?;
    let rest = rest.split('?').next()?;
    let (path, version) = rest.rsplit_once('@')?;
    let dec = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .ok()
            .map(|c| c.into_owned())
    };
    let mut parts = path.trim_matches('/').split('/');
    let ty = parts.next()?;
    let segs: Vec<String> = parts.map(dec).collect::<Option<_>>()?;
    let (name, ns) = segs.split_last()?;
    let name: &str = name;
    let ecosystem = Ecosystem::from_purl_type(ty);
    let namespace = (!ns.is_empty()).then(|| ns.join("/"));
    let name = if ecosystem == Ecosystem::Pypi {
        normalise_pypi(name)
    } else {
        name.to_owned()
    };
    let version = dec(version)?;
    if name.is_empty() || version.is_empty() {
        return None;
    }
    Some(Coords {
        ecosystem,
        namespace,
        name,
        version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_and_names_give_the_same_key() {
        let c = from_purl("pkg:npm/%40types/node@20.11.0").unwrap();
        assert_eq!(c.key(), "npm:@types/node@20.11.0");
        assert_eq!(c.purl(), "pkg:npm/%40types/node@20.11.0");
        let p = Package {
            name: "@types/node".into(),
            version: Some("20.11.0".into()),
            ecosystem: Ecosystem::Npm,
            ..Package::default()
        };
        assert_eq!(of(&p).unwrap(), c);
        let m = from_purl("pkg:maven/org.apache.commons/commons-lang3@3.12.0?type=jar").unwrap();
        assert_eq!(m.key(), "maven:org.apache.commons:commons-lang3@3.12.0");
        let py = from_purl("pkg:pypi/Django_Rest.Framework@3.0").unwrap();
        assert_eq!(py.key(), "pypi:django-rest-framework@3.0");
        assert!(from_purl("pkg:npm/left-pad").is_none());
    }
}
