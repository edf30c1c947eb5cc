//! The vendor registry (`rules/vendors/*.toml`) and attribution of packages to the
//! organisations that control them.
//!
//! The registry is data: who a vendor is, where it and its ultimate parent sit, which
//! jurisdictions reach it, how it is governed, and the patterns (purl prefixes,
//! repository owners, e-mail domains) that identify its code. Files are parsed into raw
//! span-carrying types, then validated with every problem reported at once.
//!
//! Attribution follows the design brief: the registry vendor when a pattern matches,
//! else the repository owner (`github.com/<owner>`), else the supplier field. The forge
//! hosting the repository is recorded beside it as a fact of its own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Problem, Result};
use crate::model::Package;

/// ISO 3166-1 alpha-2 codes of the EU member states and the EEA states (IS, LI, NO).
pub(crate) const EU_EEA: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS",
    "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Whether an ISO country code is in the EU/EEA.
pub(crate) fn in_eu_eea(country: &str) -> bool {
    EU_EEA.contains(&country)
}

/// How an organisation is governed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Governance {
    Company,
    Foundation,
    PublicBody,
    Community,
}

impl Governance {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Governance::Company => "company",
            Governance::Foundation => "foundation",
            Governance::PublicBody => "public-body",
            Governance::Community => "community",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "company" => Some(Governance::Company),
            "foundation" => Some(Governance::Foundation),
            "public-body" => Some(Governance::PublicBody),
            "community" => Some(Governance::Community),
            _ => None,
        }
    }
}

/// One organisation of the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Vendor {
    pub id: String,
    pub name: String,
    /// Seat (ISO 3166-1 alpha-2); `None` for organisations without a legal entity.
    pub country: Option<String>,
    pub parent: Option<String>,
    pub parent_country: Option<String>,
    /// Vendor and ultimate parent both in the EU/EEA; `None` when the seat is unknown.
    pub eu_eea: Option<bool>,
    pub jurisdiction: Vec<String>,
    pub governance: Governance,
    pub purl: Vec<String>,
    pub repo: Vec<String>,
    pub email: Vec<String>,
    pub source: String,
    /// The registry file the entry comes from (a bundled file, a buyer's `--vendors`
    /// file, or a candidate's `vendors.toml`).
    pub registry: String,
}

/// A code-hosting site and the vendor operating it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Forge {
    pub host: String,
    pub operator: String,
}

/// The validated registry, vendors sorted by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct Registry {
    pub vendors: Vec<Vendor>,
    pub forges: Vec<Forge>,
    /// The buyer's registry files layered over the bundled one (`--vendors`), in order.
    pub layers: Vec<String>,
    /// Bundled entries a buyer's file replaced: `(id, file)`.
    pub corrected: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    vendor: Vec<Spanned<RawVendor>>,
    #[serde(default)]
    forge: Vec<Spanned<RawForge>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVendor {
    id: Spanned<String>,
    name: String,
    country: Option<Spanned<String>>,
    parent: Option<String>,
    parent_country: Option<Spanned<String>>,
    eu_eea: Option<Spanned<bool>>,
    #[serde(default)]
    jurisdiction: Vec<String>,
    governance: Spanned<String>,
    #[serde(default)]
    purl: Vec<Spanned<String>>,
    #[serde(default)]
    repo: Vec<String>,
    #[serde(default)]
    email: Vec<String>,
    source: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForge {
    host: String,
    operator: Spanned<String>,
}

/// The registry files shipped with sovra, embedded in the binary.
const BUILTIN: &[(&str, &str)] = &[
    (
        "rules/vendors/ecosystems.toml",
        include_str!("../rules/vendors/ecosystems.toml"),
    ),
    (
        "rules/vendors/forges.toml",
        include_str!("../rules/vendors/forges.toml"),
    ),
    (
        "rules/vendors/opendesk.toml",
        include_str!("../rules/vendors/opendesk.toml"),
    ),
    (
        "rules/vendors/proprietary.toml",
        include_str!("../rules/vendors/proprietary.toml"),
    ),
];

#[cfg_attr(not(test), allow(dead_code))] // for tests only
/// The built-in registry.
pub(crate) fn builtin() -> Result<Registry> {
    builtin_with(&[])
}

#[cfg_attr(not(test), allow(dead_code))] // for tests only
/// The built-in registry with further files layered on top (a candidate's own
/// `vendors.toml`); ids may not repeat.
pub(crate) fn builtin_with(extra: &[(PathBuf, String)]) -> Result<Registry> {
    layered(&[], extra)
}

/// The built-in registry, then the buyer's registries (`--vendors`), each of which may
/// correct an entry before it (same id: replaced, and recorded in
/// [`Registry::corrected`]), then the candidate's own `vendors.toml`, which comes from
/// the bidder and may only add vendors.
pub(crate) fn layered(
    buyer: &[(PathBuf, String)],
    candidate: &[(PathBuf, String)],
) -> Result<Registry> {
    let mut files: Vec<(PathBuf, &str)> = BUILTIN
        .iter()
        .map(|(p, t)| (PathBuf::from(p), *t))
        .collect();
    let first_buyer = files.len();
    files.extend(buyer.iter().map(|(p, t)| (p.clone(), t.as_str())));
    let buyer_files = first_buyer..files.len();
    files.extend(candidate.iter().map(|(p, t)| (p.clone(), t.as_str())));
    let mut reg = parse_with(&files, &|i| buyer_files.contains(&i))?;
    reg.layers = buyer
        .iter()
        .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
        .collect();
    Ok(reg)
}

#[cfg_attr(not(test), allow(dead_code))] // for tests only
/// Parses and validates registry files; later files may not redefine an id.
pub(crate) fn parse(files: &[(PathBuf, &str)]) -> Result<Registry> {
    parse_with(files, &|_| false)
}

/// [`parse`], where the files whose index `may_correct` accepts may redefine an id.
fn parse_with(files: &[(PathBuf, &str)], may_correct: &dyn Fn(usize) -> bool) -> Result<Registry> {
    let mut problems = Vec::new();
    let mut reg = Registry::default();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut forge_refs = Vec::new();
    for (index, (path, text)) in files.iter().enumerate() {
        let raw: RawFile = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                problems.push(toml_problem(path, text, &e));
                continue;
            }
        };
        for v in raw.vendor {
            let span = v.span();
            let v = v.into_inner();
            let at = |offset: usize, msg: String| Problem::at_offset(path, text, offset, msg);
            let id = v.id.get_ref().clone();
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                problems.push(at(
                    v.id.span().start,
                    format!("vendor id `{id}` must be lowercase letters, digits and `-`"),
                ));
            }
            let registry = path.to_string_lossy().replace('\\', "/");
            if let Some(earlier) = seen.insert(id.clone(), path.clone()) {
                if may_correct(index) && earlier != *path {
                    reg.vendors.retain(|x| x.id != id);
                    reg.corrected.push((id.clone(), registry.clone()));
                } else {
                    problems.push(at(v.id.span().start, format!("duplicate vendor id `{id}`")));
                }
            }
            let governance = Governance::parse(v.governance.get_ref());
            if governance.is_none() {
                problems.push(at(
                    v.governance.span().start,
                    format!(
                        "unknown governance `{}`: expected `company`, `foundation`, `public-body` or `community`",
                        v.governance.get_ref()
                    ),
                ));
            }
            for c in [&v.country, &v.parent_country].into_iter().flatten() {
                let code = c.get_ref();
                if code.len() != 2 || !code.chars().all(|ch| ch.is_ascii_uppercase()) {
                    problems.push(at(
                        c.span().start,
                        format!("`{code}` is not an ISO 3166-1 alpha-2 country code"),
                    ));
                }
            }
            let expected = v.country.as_ref().map(|c| {
                in_eu_eea(c.get_ref())
                    && v.parent_country
                        .as_ref()
                        .is_none_or(|p| in_eu_eea(p.get_ref()))
            });
            match (&v.eu_eea, expected) {
                (Some(flag), Some(exp)) if *flag.get_ref() != exp => problems.push(at(
                    flag.span().start,
                    format!("`eu_eea` is {} but the seats say {exp}", flag.get_ref()),
                )),
                (Some(flag), None) => {
                    problems.push(at(flag.span().start, "`eu_eea` needs `country`".to_owned()))
                }
                (None, Some(_)) => problems.push(at(
                    span.start,
                    format!("vendor `{id}` has a `country` but no `eu_eea`"),
                )),
                _ => {}
            }
            if v.parent_country.is_some() && v.parent.is_none() {
                problems.push(at(
                    span.start,
                    format!("vendor `{id}` has `parent_country` without `parent`"),
                ));
            }
            let src = v.source.get_ref();
            if !src.starts_with("https://") {
                problems.push(at(
                    v.source.span().start,
                    format!("`source` of `{id}` must be an https URL"),
                ));
            }
            for p in &v.purl {
                if !p.get_ref().starts_with("pkg:") {
                    problems.push(at(
                        p.span().start,
                        format!("purl pattern `{}` must start with `pkg:`", p.get_ref()),
                    ));
                }
            }
            reg.vendors.push(Vendor {
                id,
                name: v.name,
                country: v.country.map(Spanned::into_inner),
                parent: v.parent,
                parent_country: v.parent_country.map(Spanned::into_inner),
                eu_eea: expected,
                jurisdiction: v.jurisdiction,
                governance: governance.unwrap_or(Governance::Company),
                purl: v
                    .purl
                    .into_iter()
                    .map(|p| normalise_purl(p.get_ref()))
                    .collect(),
                repo: v.repo.iter().map(|r| normalise_repo(r)).collect(),
                email: v.email.iter().map(|e| e.to_ascii_lowercase()).collect(),
                source: v.source.into_inner(),
                registry,
            });
        }
        for f in raw.forge {
            let f = f.into_inner();
            let off = f.operator.span().start;
            forge_refs.push((path.clone(), *text, off, f.operator.get_ref().clone()));
            reg.forges.push(Forge {
                host: f.host.to_ascii_lowercase(),
                operator: f.operator.into_inner(),
            });
        }
    }
    for (path, text, off, op) in forge_refs {
        if !seen.contains_key(&op) {
            problems.push(Problem::at_offset(
                &path,
                text,
                off,
                format!("forge operator `{op}` is not a vendor id"),
            ));
        }
    }
    if !problems.is_empty() {
        problems.sort();
        return Err(Error::Invalid(problems));
    }
    reg.vendors.sort_by(|a, b| a.id.cmp(&b.id));
    reg.forges.sort_by(|a, b| a.host.cmp(&b.host));
    Ok(reg)
}

/// A TOML error as a [`Problem`] at the error's span.
pub(crate) fn toml_problem(path: &Path, text: &str, e: &toml::de::Error) -> Problem {
    let offset = e.span().map_or(0, |s| s.start);
    Problem::at_offset(
        path,
        text,
        offset,
        e.message().trim_end_matches('\n').to_owned(),
    )
}

impl Registry {
    pub(crate) fn get(&self, id: &str) -> Option<&Vendor> {
        self.vendors
            .binary_search_by(|v| v.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.vendors[i])
    }

    /// The forge hosting `repository`, when the host is known.
    pub(crate) fn forge_of(&self, repository: &str) -> Option<ForgeFact> {
        let host = normalise_repo(repository)
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        if host.is_empty() {
            return None;
        }
        let operator = self
            .forges
            .iter()
            .find(|f| f.host == host)
            .map(|f| f.operator.clone());
        Some(ForgeFact { host, operator })
    }

    /// The registry vendor whose patterns match the package: the longest matching
    /// pattern wins (purl first, then repository, then e-mail domains).
    pub(crate) fn match_package(&self, pkg: &Package) -> Option<&Vendor> {
        if let Some(purl) = pkg.purl() {
            let purl = normalise_purl(purl);
            if let Some(v) = self.longest(|v| &v.purl, |pat| purl_matches(&purl, pat)) {
                return Some(v);
            }
        }
        if let Some(repo) = &pkg.repository {
            let repo = normalise_repo(repo);
            if let Some(v) = self.longest(|v| &v.repo, |pat| repo_matches(&repo, pat)) {
                return Some(v);
            }
        }
        let domains: Vec<String> = pkg
            .authors
            .iter()
            .chain(&pkg.supplier)
            .filter_map(|a| email_domain(a))
            .collect();
        for d in &domains {
            if let Some(v) = self.longest(
                |v| &v.email,
                |pat| d == pat || d.ends_with(&format!(".{pat}")),
            ) {
                return Some(v);
            }
        }
        None
    }

    fn longest<'a>(
        &'a self,
        patterns: impl Fn(&'a Vendor) -> &'a Vec<String>,
        matches: impl Fn(&str) -> bool,
    ) -> Option<&'a Vendor> {
        let mut best: Option<(&Vendor, usize)> = None;
        for v in &self.vendors {
            for p in patterns(v) {
                if matches(p) && best.is_none_or(|(_, len)| p.len() > len) {
                    best = Some((v, p.len()));
                }
            }
        }
        best.map(|(v, _)| v)
    }

    /// Attributes a package to its controlling organisation.
    pub(crate) fn attribute(&self, pkg: &Package) -> Attribution {
        let forge = pkg.repository.as_deref().and_then(|r| self.forge_of(r));
        if let Some(v) = self.match_package(pkg) {
            return Attribution {
                org: Some(v.id.clone()),
                vendor: Some(v.id.clone()),
                via: Via::Registry,
                forge,
            };
        }
        if let Some(owner) = pkg.repository.as_deref().and_then(repo_owner) {
            return Attribution {
                org: Some(owner),
                vendor: None,
                via: Via::RepositoryOwner,
                forge,
            };
        }
        if let Some(s) = pkg
            .supplier
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            return Attribution {
                org: Some(s.to_owned()),
                vendor: None,
                via: Via::Supplier,
                forge,
            };
        }
        Attribution {
            org: None,
            vendor: None,
            via: Via::Unknown,
            forge,
        }
    }
}

/// Which evidence named a package's controlling organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Via {
    /// A registry vendor's pattern matched.
    Registry,
    /// The owner of the repository (`github.com/<owner>`).
    RepositoryOwner,
    /// The input's supplier field.
    Supplier,
    /// Declared in the candidate manifest.
    Manifest,
    /// Nothing names an organisation.
    Unknown,
}

impl Via {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Via::Registry => "registry",
            Via::RepositoryOwner => "repository-owner",
            Via::Supplier => "supplier",
            Via::Manifest => "manifest",
            Via::Unknown => "unknown",
        }
    }
}

/// Where code is hosted, and who operates that forge (a registry vendor id).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ForgeFact {
    pub host: String,
    pub operator: Option<String>,
}

/// The controlling organisation of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attribution {
    /// Registry id, `host/owner`, or the supplier's name.
    pub org: Option<String>,
    /// The registry vendor id, when the registry knows the organisation.
    pub vendor: Option<String>,
    pub via: Via,
    pub forge: Option<ForgeFact>,
}

fn normalise_purl(p: &str) -> String {
    p.replace("%40", "@")
}

fn purl_matches(purl: &str, pat: &str) -> bool {
    if !purl.starts_with(pat) {
        return false;
    }
    // A pattern ending in a separator is a namespace prefix; otherwise the package name
    // must end right after it (`pkg:npm/react` matches `react@18`, not `react-dom`).
    if pat.ends_with(['/', '.', '-']) {
        return true;
    }
    matches!(
        purl.as_bytes().get(pat.len()),
        None | Some(b'@' | b'?' | b'#' | b'/')
    )
}

/// `https://github.com/Owner/repo.git` → `github.com/owner/repo`.
pub(crate) fn normalise_repo(url: &str) -> String {
    let mut s = url.trim().to_ascii_lowercase();
    for prefix in [
        "git+", "https://", "http://", "ssh://", "git://", "git@", "www.",
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.to_owned();
        }
    }
    if let Some(rest) = s.strip_prefix("www.") {
        s = rest.to_owned();
    }
    // scp-like `github.com:owner/repo`
    if let Some(i) = s.find(':') {
        if !s[..i].contains('/') {
            s.replace_range(i..=i, "/");
        }
    }
    let s = s.trim_end_matches('/');
    let s = s.strip_suffix(".git").unwrap_or(s);
    s.to_owned()
}

fn repo_matches(repo: &str, pat: &str) -> bool {
    repo.starts_with(pat) && matches!(repo.as_bytes().get(pat.len()), None | Some(b'/'))
}

/// `host/owner` of a repository URL, when it has both.
pub(crate) fn repo_owner(url: &str) -> Option<String> {
    let n = normalise_repo(url);
    let mut parts = n.split('/');
    let host = parts.next().filter(|h| h.contains('.'))?;
    let owner = parts.next().filter(|o| !o.is_empty())?;
    Some(format!("{host}/{owner}"))
}

fn email_domain(s: &str) -> Option<String> {
    let at = s.rfind('@')?;
    let rest = &s[at + 1..];
    let end = rest.find(['>', ' ', ')']).unwrap_or(rest.len());
    let d = rest[..end].trim().to_ascii_lowercase();
    d.contains('.').then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(purl: Option<&str>, repo: Option<&str>, supplier: Option<&str>) -> Package {
        Package {
            name: "x".into(),
            purl: purl.map(str::to_owned).into(),
            repository: repo.map(str::to_owned),
            supplier: supplier.map(str::to_owned),
            ..Package::default()
        }
    }

    #[test]
    fn builtin_registry_is_valid() {
        let reg = builtin().unwrap();
        assert!(reg.vendors.len() >= 30);
        assert_eq!(reg.get("collabora").unwrap().eu_eea, Some(false));
        assert_eq!(reg.get("embark").unwrap().eu_eea, Some(false));
        assert_eq!(reg.get("tokio-rs").unwrap().eu_eea, None);
    }

    #[test]
    fn attribution_prefers_registry_then_owner_then_supplier() {
        let reg = builtin().unwrap();
        let a = reg.attribute(&pkg(Some("pkg:npm/%40angular/core@17.0.0"), None, None));
        assert_eq!((a.org.as_deref(), a.via), (Some("google"), Via::Registry));
        let a = reg.attribute(&pkg(Some("pkg:npm/react-dom@18"), None, None));
        assert_eq!(a.org.as_deref(), Some("meta"));
        let a = reg.attribute(&pkg(Some("pkg:npm/reactive@1"), None, None));
        assert_eq!(a.via, Via::Unknown);
        let a = reg.attribute(&pkg(
            None,
            Some("git+https://github.com/BurntSushi/ripgrep.git"),
            Some("Someone"),
        ));
        assert_eq!(
            (a.org.as_deref(), a.via),
            (Some("github.com/burntsushi"), Via::RepositoryOwner)
        );
        assert_eq!(a.forge.unwrap().operator.as_deref(), Some("github"));
        let a = reg.attribute(&pkg(None, None, Some("ACME GmbH")));
        assert_eq!(
            (a.org.as_deref(), a.via),
            (Some("ACME GmbH"), Via::Supplier)
        );
        let a = reg.attribute(&pkg(
            None,
            Some("git@codeberg.org:forgejo/forgejo.git"),
            None,
        ));
        assert_eq!(a.org.as_deref(), Some("codeberg"));
    }

    #[test]
    fn invalid_registry_reports_every_problem() {
        let text = "[[vendor]]\nid = \"Bad Id\"\nname = \"x\"\ncountry = \"US\"\neu_eea = true\ngovernance = \"corp\"\nsource = \"http://x\"\n";
        let err = parse(&[(PathBuf::from("v.toml"), text)])
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "v.toml:2:6: vendor id `Bad Id` must be lowercase letters, digits and `-`\n\
             v.toml:5:10: `eu_eea` is true but the seats say false\n\
             v.toml:6:14: unknown governance `corp`: expected `company`, `foundation`, `public-body` or `community`\n\
             v.toml:7:10: `source` of `Bad Id` must be an https URL"
        );
    }
}
