//! GitLab REST API (v4): project (`archived`), the last year's commits (last commit,
//! active authors), releases and contributors, whose organisations are read from their
//! e-mail domains (public mail providers and no-reply addresses excluded). `GITLAB_TOKEN` is sent as `PRIVATE-TOKEN` and never
//! stored.

use serde_json::Value;

use super::facts::RepoFacts;
use super::http::{Http, Request, Response};
use super::{Source, str_at};

/// A project path as GitLab's API takes it in place of the numeric id.
fn project_id(path: &str) -> String {
    path.replace('/', "%2F")
}

fn get(http: &Http, url: String, token: Option<&str>) -> Result<Response, String> {
    let mut req = Request::get(Source::Gitlab, url);
    if let Some(t) = token {
        req.headers.push(("private-token", t.to_owned()));
    }
    let resp = http.fetch(&req).map_err(|e| e.to_string())?;
    if resp.gone() {
        return Err(format!("`{}`: not found", resp.url));
    }
    Ok(resp)
}

/// Facts of the project at `path` (`group/sub/name`) on the GitLab at `base`.
pub(crate) fn lookup(
    http: &Http,
    base: &str,
    path: &str,
    token: Option<&str>,
    now: jiff::Timestamp,
) -> Result<RepoFacts, String> {
    let id = project_id(path);
    let api = format!("{}/api/v4/projects/{id}", base.trim_end_matches('/'));
    let project = get(http, api.clone(), token)?;
    let doc = project.json()?;
    let mut facts = RepoFacts {
        forge: "gitlab".into(),
        archived: doc.get("archived").and_then(Value::as_bool),
        urls: vec![project.url.clone()],
        retrieved: project.retrieved.to_string(),
        ..RepoFacts::default()
    };
    let since = super::year_before(now);
    let recent = get(
        http,
        format!("{api}/repository/commits?since={since}&per_page=100"),
        token,
    )?;
    facts.urls.push(recent.url.clone());
    let recent = recent.json()?;
    let recent = recent.as_array().map(Vec::as_slice).unwrap_or(&[]);
    let (people, orgs) =
        super::active_authors(recent.iter().filter_map(|c| str_at(c, "author_email")));
    facts.contributors_12m = Some(people);
    facts.organisations_12m = Some(orgs);
    facts.last_commit = match recent.first().and_then(|c| str_at(c, "committed_date")) {
        Some(d) => Some(d),
        None => {
            let last = get(http, format!("{api}/repository/commits?per_page=1"), token)?;
            facts.urls.push(last.url.clone());
            last.json()?
                .as_array()
                .and_then(|a| a.first())
                .and_then(|c| str_at(c, "committed_date"))
        }
    }
    .or_else(|| str_at(&doc, "last_activity_at"));
    let releases = get(http, format!("{api}/releases?per_page=100"), token)?;
    facts.urls.push(releases.url.clone());
    let dates: Vec<String> = releases
        .json()?
        .as_array()
        .map(|a| a.iter().filter_map(|r| str_at(r, "released_at")).collect())
        .unwrap_or_default();
    facts.latest_release = dates.iter().max().cloned();
    facts.releases_last_6_months = Some(super::count_within_6_months(&dates, now));
    let contributors = get(
        http,
        format!("{api}/repository/contributors?per_page=100&order_by=commits&sort=desc"),
        token,
    )?;
    facts.urls.push(contributors.url.clone());
    let list: Vec<(Option<String>, u64)> = contributors
        .json()?
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| Some((str_at(c, "email"), c.get("commits")?.as_u64()?)))
                .collect()
        })
        .unwrap_or_default();
    facts.contributors = Some(u32::try_from(list.len()).unwrap_or(u32::MAX));
    facts.top_contributor_share = super::top_share(list.iter().map(|(_, n)| *n));
    for (email, _) in &list {
        if let Some(org) = email.as_deref().and_then(super::organisation_of) {
            *facts.organisations.entry(org).or_default() += 1;
        }
    }
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_ids_are_encoded() {
        assert_eq!(project_id("a/b/c"), "a%2Fb%2Fc");
    }
}
