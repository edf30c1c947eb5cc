//! GitHub REST API: repository (`archived`), the last year's commits on the default
//! branch (last commit, active authors and their mail domains), releases, contributors and, with a token, the `company` of the five leading
//! contributors. `GITHUB_TOKEN` is sent as a bearer token and never stored. Without a
//! token GitHub allows 60 requests an hour, so organisations are looked up only with one.

use serde_json::Value;

use super::facts::RepoFacts;
use super::http::{Http, Request, Response};
use super::{Source, str_at};

/// Contributors whose organisation is looked up.
const TOP: usize = 5;

fn get(http: &Http, url: String, token: Option<&str>) -> Result<Response, String> {
    let mut req = Request::get(Source::Github, url);
    req.headers
        .push(("x-github-api-version", "2022-11-28".into()));
    if let Some(t) = token {
        req.headers.push(("authorization", format!("Bearer {t}")));
    }
    let resp = http.fetch(&req).map_err(|e| e.to_string())?;
    if resp.gone() {
        return Err(format!("`{}`: not found", resp.url));
    }
    Ok(resp)
}

/// Facts of `owner/name`; `now` bounds the six-month release window.
pub(crate) fn lookup(
    http: &Http,
    base: &str,
    path: &str,
    token: Option<&str>,
    now: jiff::Timestamp,
) -> Result<RepoFacts, String> {
    let api = format!("{}/repos/{path}", base.trim_end_matches('/'));
    let repo = get(http, api.clone(), token)?;
    let mut facts = RepoFacts {
        forge: "github".into(),
        urls: vec![repo.url.clone()],
        retrieved: repo.retrieved.to_string(),
        ..RepoFacts::default()
    };
    let doc = repo.json()?;
    facts.archived = doc.get("archived").and_then(Value::as_bool);
    let since = super::year_before(now);
    let recent = get(
        http,
        format!("{api}/commits?since={since}&per_page=100"),
        token,
    )?;
    facts.urls.push(recent.url.clone());
    let recent = recent.json()?;
    let recent = recent.as_array().map(Vec::as_slice).unwrap_or(&[]);
    let commit_date = |c: &Value| {
        c.get("commit")
            .and_then(|c| c.get("committer").or_else(|| c.get("author")))
            .and_then(|c| str_at(c, "date"))
    };
    // Authors by account where GitHub matched one, else by e-mail.
    let authors = recent.iter().filter_map(|c| {
        c.get("author")
            .and_then(|a| str_at(a, "login"))
            .map(|l| format!("{l}@users.noreply.github.com"))
            .or_else(|| {
                c.get("commit")
                    .and_then(|c| c.get("author"))
                    .and_then(|a| str_at(a, "email"))
            })
    });
    let (people, _) = super::active_authors(authors);
    let (_, orgs) = super::active_authors(recent.iter().filter_map(|c| {
        c.get("commit")
            .and_then(|c| c.get("author"))
            .and_then(|a| str_at(a, "email"))
    }));
    facts.contributors_12m = Some(people);
    facts.organisations_12m = Some(orgs);
    facts.last_commit = match recent.first().and_then(commit_date) {
        Some(d) => Some(d),
        None => {
            let last = get(http, format!("{api}/commits?per_page=1"), token)?;
            facts.urls.push(last.url.clone());
            last.json()?
                .as_array()
                .and_then(|a| a.first())
                .and_then(commit_date)
        }
    }
    .or_else(|| str_at(&doc, "pushed_at"));
    let releases = get(http, format!("{api}/releases?per_page=100"), token)?;
    facts.urls.push(releases.url.clone());
    let dates: Vec<String> = releases
        .json()?
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|r| r.get("draft").and_then(Value::as_bool) != Some(true))
                .filter_map(|r| str_at(r, "published_at"))
                .collect()
        })
        .unwrap_or_default();
    facts.latest_release = dates.iter().max().cloned();
    facts.releases_last_6_months = Some(super::count_within_6_months(&dates, now));
    let contributors = get(http, format!("{api}/contributors?per_page=100"), token)?;
    facts.urls.push(contributors.url.clone());
    let list: Vec<(String, u64)> = contributors
        .json()?
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|c| str_at(c, "type").as_deref() != Some("Bot"))
                .filter_map(|c| Some((str_at(c, "login")?, c.get("contributions")?.as_u64()?)))
                .collect()
        })
        .unwrap_or_default();
    facts.contributors = Some(u32::try_from(list.len()).unwrap_or(u32::MAX));
    facts.top_contributor_share = super::top_share(list.iter().map(|(_, n)| *n));
    if token.is_some() {
        // A login from the answer goes into a URL: only GitHub's own login characters.
        let logins = list
            .iter()
            .map(|(l, _)| l)
            .filter(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        for login in logins.take(TOP) {
            // A deleted or renamed account leaves its organisation unknown, no more.
            let Ok(user) = get(
                http,
                format!("{}/users/{login}", base.trim_end_matches('/')),
                token,
            ) else {
                continue;
            };
            facts.urls.push(user.url.clone());
            if let Some(org) = str_at(&user.json()?, "company").and_then(|c| normalise_company(&c))
            {
                *facts.organisations.entry(org).or_default() += 1;
            }
        }
    }
    Ok(facts)
}

/// `@acme-corp`, ` Acme Corp. ` → a comparable organisation name.
fn normalise_company(c: &str) -> Option<String> {
    let c = c
        .trim()
        .trim_start_matches('@')
        .trim_end_matches('.')
        .trim();
    (!c.is_empty()).then(|| c.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn companies_normalise() {
        assert_eq!(
            normalise_company(" @NearForm ").as_deref(),
            Some("nearform")
        );
        assert_eq!(normalise_company("  "), None);
    }
}
