//! The JSON form of `sovra health` (schema `sovra.health/1`, documented in
//! `docs/health.md`): the serialisable mirror of [`Health`] per repository.

use std::path::Path;

use serde::Serialize;

use crate::health::{self, Health};

/// One assessed repository: its key in the facts file, where it is, the component that
/// names it, and what its history says.
pub(crate) struct Repo<'a> {
    pub(crate) key: &'a str,
    pub(crate) path: &'a Path,
    pub(crate) component: Option<&'a str>,
    pub(crate) health: &'a Health,
}

/// `sovra.health/1`, the serialisable mirror of [`Health`].
#[derive(Debug, Serialize)]
pub(crate) struct Doc {
    schema: &'static str,
    now: String,
    organisation_table: String,
    repositories: Vec<RepoDoc>,
}

#[derive(Debug, Serialize)]
pub(crate) struct RepoDoc {
    key: String,
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    component: Option<String>,
    head: Option<String>,
    shallow: bool,
    last_commit: Option<String>,
    activity: Option<ActivityDoc>,
    releases: Option<ReleasesDoc>,
    files: Option<std::collections::BTreeMap<&'static str, Vec<String>>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ActivityDoc {
    commits_total: u64,
    commits_90d: u32,
    commits_365d: u32,
    authors_90d: u32,
    authors_365d: u32,
    weeks_with_commits_365d: u32,
    bus_factor_365d: u32,
    elephant_factor_365d: u32,
    top_author_share_365d: Option<f64>,
    organisations_365d: std::collections::BTreeMap<String, u32>,
    individuals_365d: u32,
    signed_commits_365d: u32,
}

#[derive(Debug, Serialize)]
pub(crate) struct ReleasesDoc {
    tags_total: u32,
    tags_365d: u32,
    semver_tags_365d: u32,
    signed_tags_365d: u32,
    latest_tag: Option<String>,
    latest_tag_date: Option<String>,
}

pub(crate) fn doc<'a>(repos: impl Iterator<Item = Repo<'a>>, now: i64) -> Doc {
    let repositories = repos
        .map(
            |Repo {
                 key,
                 path,
                 component,
                 health: h,
             }| RepoDoc {
                key: key.to_owned(),
                path: path.display().to_string(),
                component: component.map(str::to_owned),
                head: h.head.clone(),
                shallow: h.shallow,
                last_commit: h.last_commit.map(health::rfc3339),
                activity: h.activity.as_ref().map(|a| ActivityDoc {
                    commits_total: a.commits_total,
                    commits_90d: a.commits_90d,
                    commits_365d: a.commits_365d,
                    authors_90d: a.authors_90d,
                    authors_365d: a.authors_365d,
                    weeks_with_commits_365d: a.weeks_with_commits_365d,
                    bus_factor_365d: a.bus_factor_365d,
                    elephant_factor_365d: a.elephant_factor_365d,
                    top_author_share_365d: a.top_author_share_365d,
                    organisations_365d: a.organisations_365d.clone(),
                    individuals_365d: a.individuals_365d,
                    signed_commits_365d: a.signed_commits_365d,
                }),
                releases: h.releases.as_ref().map(|r| ReleasesDoc {
                    tags_total: r.tags_total,
                    tags_365d: r.tags_365d,
                    semver_tags_365d: r.semver_tags_365d,
                    signed_tags_365d: r.signed_tags_365d,
                    latest_tag: r.latest.as_ref().map(|(n, _)| n.clone()),
                    latest_tag_date: r.latest.as_ref().map(|(_, d)| health::rfc3339(*d)),
                }),
                files: h.files.as_ref().map(|f| {
                    [
                        ("binary-artefacts", f.binary_artefacts.clone()),
                        ("changelog", f.changelog.clone()),
                        ("ci", f.ci.clone()),
                        ("contributing", f.contributing.clone()),
                        ("dependency-update", f.dependency_update.clone()),
                        ("license", f.license.clone()),
                        ("publiccode", f.publiccode.clone()),
                        ("security-policy", f.security_policy.clone()),
                    ]
                    .into_iter()
                    .collect()
                }),
            },
        )
        .collect();
    Doc {
        schema: "sovra.health/1",
        now: health::rfc3339(now),
        organisation_table: health::orgs::TABLE.version.clone(),
        repositories,
    }
}
