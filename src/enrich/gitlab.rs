//! GitLab REST API (v4): project (`archived`), last commit, releases and contributors,
//! whose organisations are read from their e-mail domains (public mail providers and
//! no-reply addresses excluded). `GITLAB_TOKEN` is sent as `PRIVATE-TOKEN` and never
//! stored.

use serde_json::Value;

use super::facts::RepoFacts;
use super::http::{Http, Request, Response};
use super::{Source, str_at};

/// Mail domains that say nothing about an employer.
const PUBLIC_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "gmx.de",
    "gmx.net",
    "hotmail.com",
    "icloud.com",
    "mailbox.org",
    "outlook.com",
    "posteo.de",
    "proton.me",
    "protonmail.com",
    "t-online.de",
    "web.de",
    "yahoo.com",
];

fn get(http: &Http, url: String, token: Option<&str>) -> Result<Response, String> {
    let mut req = Request::get(Source::Gitlab, url);
    if let Some(t) = token {
        req.headers.push(("private-token", t.to_owned()));
    }
    let resp = http.fetch(&req).map_err(|e| e.to_string())?;
    if resp.status == 404 || resp.status == 410 {
        return Err(format!("`{}`: not found", resp.url));
    }
    Ok(resp)
}

fn json(resp: &Response) -> Result<Value, String> {
    serde_json::from_str(&resp.body).map_err(|e| format!("`{}`: malformed response: {e}", resp.url))
}

/// Facts of the project at `path` (`group/sub/name`) on the GitLab at `base`.
pub(crate) fn lookup(
    http: &Http,
    base: &str,
    path: &str,
    token: Option<&str>,
    now: jiff::Timestamp,
) -> Result<RepoFacts, String> {
    let id = path.replace('/', "%2F");
    let api = format!("{}/api/v4/projects/{id}", base.trim_end_matches('/'));
    let project = get(http, api.clone(), token)?;
    let doc = json(&project)?;
    let mut facts = RepoFacts {
        forge: "gitlab".into(),
        archived: doc.get("archived").and_then(Value::as_bool),
        urls: vec![project.url.clone()],
        retrieved: project.retrieved.to_string(),
        ..RepoFacts::default()
    };
    let commits = get(http, format!("{api}/repository/commits?per_page=1"), token)?;
    facts.urls.push(commits.url.clone());
    facts.last_commit = json(&commits)?
        .as_array()
        .and_then(|a| a.first())
        .and_then(|c| str_at(c, "committed_date"))
        .or_else(|| str_at(&doc, "last_activity_at"));
    let releases = get(http, format!("{api}/releases?per_page=100"), token)?;
    facts.urls.push(releases.url.clone());
    let dates: Vec<String> = json(&releases)?
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
    let list: Vec<(Option<String>, u64)> = json(&contributors)?
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
        if let Some(org) = email.as_deref().and_then(organisation_of) {
            *facts.organisations.entry(org).or_default() += 1;
        }
    }
    Ok(facts)
}

/// The organisation an e-mail address points to: its domain, unless public or no-reply.
fn organisation_of(email: &str) -> Option<String> {
    let domain = email.rsplit_once('@')?.1.trim().to_ascii_lowercase();
    if domain.is_empty()
        || PUBLIC_MAIL.contains(&domain.as_str())
        || domain.contains("noreply")
        || domain.contains("users.")
    {
        return None;
    }
    Some(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisations_from_mail() {
        assert_eq!(
            organisation_of("a@Dataport.de").as_deref(),
            Some("dataport.de")
        );
        assert_eq!(organisation_of("a@gmail.com"), None);
        assert_eq!(organisation_of("1-a@users.noreply.gitlab.com"), None);
        assert_eq!(organisation_of("nomail"), None);
    }
}
