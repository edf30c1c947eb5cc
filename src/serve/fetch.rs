//! What the catalogue answers, once for the API and the pages: every page is built
//! from these functions and nothing else, so the API offers all a page shows.
//!
//! Bad input is a [`Problem`] with status 400 or 404 and a sentence naming the
//! parameter; only a failing database is a 500.

use std::sync::Arc;

use axum::extract::Multipart;
use axum::http::StatusCode;
use serde::Serialize;

use super::auth::{self, Actor};
use super::session::{self, Caller};
use super::unpack::{self, Upload};
use super::{App, Problem};

/// The licence classes a search can filter by.
pub(crate) const LICENCE_CLASSES: [&str; 9] = [
    "permissive",
    "weak-copyleft",
    "strong-copyleft",
    "network-copyleft",
    "public-domain",
    "source-available",
    "non-commercial",
    "proprietary",
    "unknown",
];

/// The verdicts a search can filter by.
pub(crate) const VERDICTS: [&str; 4] = [
    "compliant",
    "review-needed",
    "not-assessed",
    "non-compliant",
];

/// Search parameters as sent (query string), kept to refill the search form.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub(crate) struct SearchParams {
    pub q: Option<String>,
    pub function: Option<String>,
    pub licence_class: Option<String>,
    pub jurisdiction: Option<String>,
    pub verdict: Option<String>,
    pub score_min: Option<String>,
    pub score_max: Option<String>,
    pub seal_min: Option<String>,
    pub assessed_from: Option<String>,
    pub assessed_to: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
}

/// Results one search returns unless it asks for another number.
pub(crate) const DEFAULT_LIMIT: i64 = 100;

/// Results at most one search returns.
pub(crate) const MAX_LIMIT: i64 = 500;

fn nonempty(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl SearchParams {
    /// Reads the query string leniently: unknown and repeated keys are ignored.
    pub(crate) fn from_query(query: &str) -> SearchParams {
        let mut p = SearchParams::default();
        for (k, v) in form_pairs(query) {
            let slot = match k.as_str() {
                "q" => &mut p.q,
                "function" => &mut p.function,
                "licence_class" => &mut p.licence_class,
                "jurisdiction" => &mut p.jurisdiction,
                "verdict" => &mut p.verdict,
                "score_min" => &mut p.score_min,
                "score_max" => &mut p.score_max,
                "seal_min" => &mut p.seal_min,
                "assessed_from" => &mut p.assessed_from,
                "assessed_to" => &mut p.assessed_to,
                "limit" => &mut p.limit,
                "offset" => &mut p.offset,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(v);
            }
        }
        p
    }

    /// Checks every parameter; the first bad one is named.
    pub(crate) fn validate(&self) -> Result<crate::store::Search, Problem> {
        let number =
            |name: &str, v: &Option<String>, lo: f64, hi: f64| -> Result<Option<f64>, Problem> {
                match nonempty(v) {
                    None => Ok(None),
                    Some(s) => match s.parse::<f64>() {
                        Ok(n) if n.is_finite() && (lo..=hi).contains(&n) => Ok(Some(n)),
                        _ => Err(Problem::bad_request(format!(
                            "`{name}` must be a number from {lo} to {hi}, not `{s}`"
                        ))),
                    },
                }
            };
        let one_of =
            |name: &str, v: &Option<String>, allowed: &[&str]| -> Result<Option<String>, Problem> {
                match nonempty(v) {
                    None => Ok(None),
                    Some(s) if allowed.contains(&s.as_str()) => Ok(Some(s)),
                    Some(s) => Err(Problem::bad_request(format!(
                        "`{name}` must be one of {}, not `{s}`",
                        allowed.join(", ")
                    ))),
                }
            };
        let date = |name: &str, v: &Option<String>| -> Result<Option<String>, Problem> {
            match nonempty(v) {
                None => Ok(None),
                Some(s) => s
                    .parse::<jiff::civil::Date>()
                    .map(|d| Some(d.to_string()))
                    .map_err(|_| {
                        Problem::bad_request(format!(
                            "`{name}` must be a date like 2026-03-31, not `{s}`"
                        ))
                    }),
            }
        };
        let short = |name: &str, v: &Option<String>| -> Result<Option<String>, Problem> {
            match nonempty(v) {
                Some(s) if s.chars().count() > 200 => Err(Problem::bad_request(format!(
                    "`{name}` is longer than 200 characters"
                ))),
                other => Ok(other),
            }
        };
        let score_min = number("score_min", &self.score_min, 0.0, 100.0)?;
        let score_max = number("score_max", &self.score_max, 0.0, 100.0)?;
        let seal_min = number("seal_min", &self.seal_min, 0.0, 4.0)?;
        if seal_min.is_some_and(|s| s.fract() != 0.0) {
            return Err(Problem::bad_request(
                "`seal_min` must be a whole number from 0 to 4",
            ));
        }
        let limit = number("limit", &self.limit, 1.0, MAX_LIMIT as f64)?;
        let offset = number("offset", &self.offset, 0.0, 1e9)?;
        Ok(crate::store::Search {
            q: short("q", &self.q)?,
            function: short("function", &self.function)?,
            licence_class: one_of("licence_class", &self.licence_class, &LICENCE_CLASSES)?,
            jurisdiction: short("jurisdiction", &self.jurisdiction)?
                .map(|j| j.to_ascii_uppercase()),
            verdict: one_of("verdict", &self.verdict, &VERDICTS)?,
            score_min,
            score_max,
            seal_min: seal_min.map(|s| s as i64),
            date_from: date("assessed_from", &self.assessed_from)?,
            date_to: date("assessed_to", &self.assessed_to)?,
            sort: None,
            limit: Some(limit.map_or(DEFAULT_LIMIT, |l| l as i64)),
            offset: Some(offset.map_or(0, |o| o as i64)),
        })
    }
}

/// `application/x-www-form-urlencoded` pairs, decoded.
pub(crate) fn form_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The first value of `key` in a query string.
pub(crate) fn query_value(query: &str, key: &str) -> Option<String> {
    form_pairs(query)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

fn decode(s: &str) -> String {
    let plus = s.replace('+', " ");
    percent_encoding::percent_decode_str(&plus)
        .decode_utf8_lossy()
        .into_owned()
}

/// A catalogue id from a path segment.
pub(crate) fn parse_id(s: &str) -> Result<i64, Problem> {
    s.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        Problem::not_found(format!(
            "there is no `{}` here: ids are positive whole numbers",
            s.escape_debug()
        ))
    })
}

/// The candidate ids of a comparison: `ids=1,2` or `ids=1&ids=2` (a form's check
/// boxes); at most 10.
pub(crate) fn ids_of_query(query: &str) -> Result<Vec<i64>, Problem> {
    let mut ids = Vec::new();
    for (k, v) in form_pairs(query) {
        if k != "ids" {
            continue;
        }
        for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let id = part.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                Problem::bad_request(format!(
                    "`ids` must list candidate ids, not `{}`",
                    part.escape_debug()
                ))
            })?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    if ids.len() > 10 {
        return Err(Problem::bad_request(
            "compare at most 10 candidates at once",
        ));
    }
    Ok(ids)
}

/// A job as the API and the job page show it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct JobView {
    pub id: String,
    /// `queued`, `running`, `done`, `failed`.
    pub state: String,
    /// `queued`, `unpacking`, `assessing`, `storing`, `done`, `failed`.
    pub step: String,
    /// Share of the work done (0–100), from the step.
    pub percent: u8,
    pub created: String,
    pub updated: String,
    pub attempts: i64,
    pub assessment_id: Option<i64>,
    pub candidate_id: Option<i64>,
    pub error: Option<String>,
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// The job `id`.
pub(crate) async fn job(app: &App, id: &str) -> Result<JobView, Problem> {
    let valid = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
    let found = if valid { app.db.job(id).await? } else { None };
    let j = found
        .ok_or_else(|| Problem::not_found(format!("there is no job `{}`", id.escape_debug())))?;
    let percent = match j.step.as_str() {
        "queued" => 0,
        "unpacking" => 15,
        "assessing" => 40,
        "storing" => 85,
        _ => 100,
    };
    Ok(JobView {
        percent,
        created: rfc3339(j.created_ms),
        updated: rfc3339(j.updated_ms),
        id: j.id,
        state: j.state,
        step: j.step,
        attempts: j.attempts,
        assessment_id: j.assessment_id,
        candidate_id: j.candidate_id,
        error: j.error,
    })
}

/// An upload form as read: its files and, from a page, its CSRF token.
#[derive(Debug, Default)]
pub(crate) struct UploadForm {
    pub files: Vec<Upload>,
    pub csrf: Option<String>,
}

/// Reads a multipart upload: every part with a file name is a file (`file`, `files`,
/// or any other field name), a `csrf` field is the form's token. The request body is
/// already bounded by `--max-upload`.
pub(crate) async fn read_upload(mut multipart: Multipart) -> Result<UploadForm, Problem> {
    let mut form = UploadForm::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(multipart_problem(e.status(), e.body_text())),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file = field.file_name().map(str::to_owned);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| multipart_problem(e.status(), e.body_text()))?;
        match file {
            Some(f) if !(f.is_empty() && bytes.is_empty()) => {
                if form.files.len() >= 100 {
                    return Err(Problem::bad_request("an upload holds at most 100 files"));
                }
                form.files.push(Upload {
                    name: if f.is_empty() { "upload".to_owned() } else { f },
                    bytes: bytes.to_vec(),
                });
            }
            Some(_) => {}
            None if name == "csrf" => {
                form.csrf = Some(String::from_utf8_lossy(&bytes).into_owned());
            }
            None => {}
        }
    }
    Ok(form)
}

fn multipart_problem(status: StatusCode, text: String) -> Problem {
    let status = if status == StatusCode::PAYLOAD_TOO_LARGE {
        status
    } else {
        StatusCode::BAD_REQUEST
    };
    Problem::new(status, format!("the upload cannot be read: {text}"))
}

/// Checks an upload and queues it: the job and its files are committed before this
/// returns, so a 202 is never lost.
pub(crate) async fn submit(
    app: &App,
    actor: &Actor,
    files: Vec<Upload>,
) -> Result<JobView, Problem> {
    if files.is_empty() {
        return Err(Problem::bad_request(
            "the upload holds no file: send a candidate archive (.tar, .tar.gz) or SBOMs and lockfiles",
        ));
    }
    let checked = tokio::task::spawn_blocking(move || {
        unpack::inspect(&files, unpack::Limits::default()).map(|_| files)
    })
    .await
    .map_err(|e| Problem::internal(&e))?;
    let files = checked.map_err(|r| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, r.0))?;
    let id = auth::random_hex(16).map_err(|e| Problem::internal(&e))?;
    app.db.enqueue(&id, &actor.id, &files).await?;
    job(app, &id).await
}

/// Signs a user in: the `Set-Cookie` value of a new session, `None` for a wrong name
/// or password. The login is audited.
pub(crate) async fn login(
    app: &App,
    name: &str,
    password: &str,
) -> Result<Option<String>, Problem> {
    if name.len() > 64 || password.len() > 1024 {
        return Ok(None);
    }
    let user = app.db.user(name).await?;
    let hash = user.as_ref().map_or_else(
        || auth::dummy_hash().to_owned(),
        |u| u.password_hash.clone(),
    );
    let pw = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&pw, &hash))
        .await
        .map_err(|e| Problem::internal(&e))?;
    let Some(user) = user.filter(|_| ok) else {
        return Ok(None);
    };
    let id = auth::secret().map_err(|e| Problem::internal(&e))?;
    let csrf = auth::secret().map_err(|e| Problem::internal(&e))?;
    let ttl = app.config.session_ttl;
    let expires = super::db::now_ms() + i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX / 2);
    app.db
        .add_session(&auth::digest(&id), &user.name, &csrf, expires)
        .await?;
    Ok(Some(session::set_cookie(
        session::SESSION_COOKIE,
        &id,
        Some(ttl.as_secs()),
        !app.config.insecure_cookies,
    )))
}

/// Ends the caller's session, if it has one.
pub(crate) async fn logout(app: &App, caller: &Caller) -> Result<(), Problem> {
    if let (Some(digest), Some(actor)) = (&caller.session, &caller.actor) {
        app.db.end_session(digest, &actor.id).await?;
    }
    Ok(())
}

/// One assessment in a list: the search results and a candidate's history.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AssessmentSummary {
    pub id: i64,
    pub version: i64,
    /// RFC 3339.
    pub assessed_at: String,
    pub verdict: String,
    pub score: Option<f64>,
    pub band: Option<String>,
    pub seal: Option<i64>,
    /// Findings at levels gate, deny and warn.
    pub findings: i64,
    pub licence_classes: Vec<String>,
    pub jurisdictions: Vec<String>,
    pub sovra_version: String,
    /// Against the version before (history only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score_change: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings_added: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings_removed: Option<i64>,
}

/// One candidate in a list.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CandidateSummary {
    pub id: i64,
    pub name: String,
    pub vendor: Option<String>,
    pub functions: Vec<String>,
    pub latest: Option<AssessmentSummary>,
}

/// A page of search results.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SearchResult {
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    pub candidates: Vec<CandidateSummary>,
}

/// One stored assessment with its report's candidate.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AssessmentDetail {
    pub id: i64,
    pub candidate_id: i64,
    pub version: i64,
    pub assessed_at: String,
    pub verdict: String,
    pub score: Option<f64>,
    pub band: Option<String>,
    pub seal: Option<i64>,
    pub licence_classes: Vec<String>,
    pub jurisdictions: Vec<String>,
    pub sovra_version: String,
    /// The candidate of the stored report view model (`sovra.report/2`).
    pub report: serde_json::Value,
    /// The length of the stored report JSON: what the answer weighs in memory, about.
    #[serde(skip)]
    pub report_bytes: usize,
}

/// A candidate with its latest assessment and its history, newest first.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CandidateDetail {
    pub id: i64,
    pub name: String,
    pub vendor: Option<String>,
    pub functions: Vec<String>,
    pub latest: Option<AssessmentDetail>,
    pub history: Vec<AssessmentSummary>,
    /// Set when the candidate was withdrawn from the catalogue.
    pub withdrawn: Option<crate::store::Withdrawal>,
}

/// Candidates side by side: the report's comparison of their latest assessments.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Comparison {
    pub candidates: Vec<CandidateSummary>,
    pub comparison: serde_json::Value,
}

/// A function and how many candidates cover it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FunctionSummary {
    pub name: String,
    pub candidates: i64,
    /// Of them, those whose latest verdict is `compliant`.
    pub compliant: i64,
}

/// The candidates covering one function.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FunctionDetail {
    pub name: String,
    pub alternatives: Vec<CandidateSummary>,
    pub compliant: i64,
    /// At least two compliant candidates ("two products per function").
    pub substitutable: bool,
}

/// A rendered report.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub body: String,
    pub content_type: &'static str,
    pub file_name: String,
}

fn latest_of(
    row: &crate::store::AssessmentRow,
    classes: &[String],
    places: &[String],
) -> AssessmentSummary {
    AssessmentSummary {
        id: row.id,
        version: row.version,
        assessed_at: row.created.clone(),
        verdict: row.verdict.clone(),
        score: row.score,
        band: row.band.clone(),
        seal: row.seal,
        findings: row.counts.gate + row.counts.deny + row.counts.warn,
        licence_classes: classes.to_vec(),
        jurisdictions: places.to_vec(),
        sovra_version: row.sovra_version.clone(),
        score_change: None,
        findings_added: None,
        findings_removed: None,
    }
}

fn summary_of(s: &crate::store::Summary) -> CandidateSummary {
    CandidateSummary {
        id: s.row.candidate_id,
        name: s.row.candidate.clone(),
        vendor: s.row.vendor.clone(),
        functions: s.functions.clone(),
        latest: Some(latest_of(&s.row, &s.licence_classes, &s.jurisdictions)),
    }
}

/// The answer memoised under `key` in the current read model, else `make`'s, memoised.
/// Every write to the catalogue replaces the read model, and with it every answer.
pub(crate) async fn memoised<T, F, Fut>(app: &App, key: String, make: F) -> Result<Arc<T>, Problem>
where
    T: crate::store::Weigh + std::any::Any + Send + Sync,
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<T, Problem>>,
{
    let snap = app.db.store.snapshot().await?;
    if let Some(v) = snap.memo::<T>(&key) {
        return Ok(v);
    }
    let v = make().await?;
    Ok(snap.remember(&key, v))
}

/// The catalogue's search, each candidate by its newest assessment.
/// Answers are memoised in the store's read model, which a write to the catalogue
/// replaces: the same search again costs a lookup.
pub(crate) async fn candidates(
    app: &App,
    s: &crate::store::Search,
) -> Result<Arc<SearchResult>, Problem> {
    memoised(app, format!("search {s:?}"), || async {
        let page = app.db.store.search(s).await?;
        Ok(SearchResult {
            total: page.total,
            limit: s.limit.unwrap_or(DEFAULT_LIMIT),
            offset: page.offset,
            candidates: page.items.iter().map(summary_of).collect(),
        })
    })
    .await
}

/// The candidate of the stored report JSON of assessment `id`, in `lang`, and the
/// JSON's length.
async fn report_candidate(
    app: &App,
    id: i64,
    lang: &str,
) -> Result<(serde_json::Value, usize), Problem> {
    let json = app
        .db
        .store
        .report_json_in(id, lang)
        .await?
        .unwrap_or_default();
    let mut v: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| Problem::internal(&e))?;
    Ok((v["candidates"][0].take(), json.len()))
}

// What memoised answers weigh (`store::Weigh`), about: a parsed JSON tree takes several
// times its text.
impl crate::store::Weigh for SearchResult {
    fn weight(&self) -> usize {
        256 + 512 * self.candidates.len()
    }
}

impl crate::store::Weigh for Vec<FunctionSummary> {
    fn weight(&self) -> usize {
        64 * self.len()
    }
}

impl crate::store::Weigh for FunctionDetail {
    fn weight(&self) -> usize {
        256 + 512 * self.alternatives.len()
    }
}

impl crate::store::Weigh for CandidateDetail {
    fn weight(&self) -> usize {
        1024 + 256 * self.history.len() + self.latest.as_ref().map_or(0, |l| 6 * l.report_bytes)
    }
}

impl crate::store::Weigh for axum::body::Bytes {
    fn weight(&self) -> usize {
        self.len()
    }
}

/// One stored assessment with its report's candidate, worded in `lang`.
pub(crate) async fn assessment(
    app: &App,
    id: i64,
    lang: &str,
) -> Result<AssessmentDetail, Problem> {
    let s = app
        .db
        .store
        .summary(id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("there is no assessment {id}")))?;
    assessment_of(app, &s, lang).await
}

/// [`assessment`] of a summary read already.
async fn assessment_of(
    app: &App,
    s: &crate::store::Summary,
    lang: &str,
) -> Result<AssessmentDetail, Problem> {
    let r = &s.row;
    let (report, report_bytes) = report_candidate(app, r.id, lang).await?;
    Ok(AssessmentDetail {
        id: r.id,
        candidate_id: r.candidate_id,
        version: r.version,
        assessed_at: r.created.clone(),
        verdict: r.verdict.clone(),
        score: r.score,
        band: r.band.clone(),
        seal: r.seal,
        licence_classes: s.licence_classes.clone(),
        jurisdictions: s.jurisdictions.clone(),
        sovra_version: r.sovra_version.clone(),
        report,
        report_bytes,
    })
}

/// A candidate: its newest assessment and every version, newest first, each with
/// the change from the one before; the report worded in `lang`. Memoised like
/// [`candidates`].
pub(crate) async fn candidate(
    app: &App,
    id: i64,
    lang: &str,
) -> Result<Arc<CandidateDetail>, Problem> {
    memoised(app, format!("candidate {id} {lang}"), || {
        candidate_of(app, id, lang)
    })
    .await
}

async fn candidate_of(app: &App, id: i64, lang: &str) -> Result<CandidateDetail, Problem> {
    let c = app
        .db
        .store
        .candidate(id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("there is no candidate {id}")))?;
    let mut history = Vec::with_capacity(c.history.len());
    for (i, row) in c.history.iter().enumerate() {
        let mut h = latest_of(row, &[], &[]);
        if i > 0 {
            let before = &c.history[i - 1];
            if let Some(d) = app.db.store.diff(before.id, row.id).await? {
                h.score_change = d.score_change;
                h.findings_added = i64::try_from(d.added.len()).ok();
                h.findings_removed = i64::try_from(d.removed.len()).ok();
            }
        }
        history.push(h);
    }
    history.reverse();
    Ok(CandidateDetail {
        id: c.id,
        vendor: c.latest.row.vendor.clone(),
        functions: c.latest.functions.clone(),
        latest: Some(assessment_of(app, &c.latest, lang).await?),
        name: c.name,
        history,
        withdrawn: c.withdrawn,
    })
}

/// Longest reason of a withdrawal, in characters.
const MAX_REASON: usize = 500;

/// Withdraws candidate `id` (the caller is an admin); the reason is required.
pub(crate) async fn withdraw(
    app: &App,
    actor: &Actor,
    id: i64,
    reason: Option<&str>,
) -> Result<crate::store::Withdrawal, Problem> {
    let reason = reason.map(str::trim).unwrap_or_default();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(Problem::bad_request(format!(
            "`reason`: say why the candidate is withdrawn, in 1 to {MAX_REASON} characters"
        )));
    }
    app.db
        .store
        .withdraw(id, &actor.id, reason)
        .await?
        .ok_or_else(|| Problem::not_found(format!("there is no candidate {id}")))
}

/// The report of assessment `id`, run again from what is stored.
pub(crate) async fn report(
    app: &App,
    id: i64,
    format: crate::report::Format,
    lang: &str,
) -> Result<Document, Problem> {
    let row = app
        .db
        .store
        .row(id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("there is no assessment {id}")))?;
    let body = app
        .db
        .store
        .render(id, format, lang)
        .await?
        .ok_or_else(|| Problem::not_found(format!("there is no assessment {id}")))?;
    let (ext, content_type) = match format {
        crate::report::Format::Html => ("html", "text/html; charset=utf-8"),
        crate::report::Format::Md => ("md", "text/markdown; charset=utf-8"),
        crate::report::Format::Fodt => ("fodt", "application/vnd.oasis.opendocument.text-flat-xml"),
        _ => ("json", "application/json"),
    };
    let stem: String = row
        .candidate
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Ok(Document {
        body,
        content_type,
        file_name: format!("{stem}-v{}-{lang}.{ext}", row.version),
    })
}

/// Candidates side by side, each by its newest assessment: the comparison
/// `sovra compare` makes.
pub(crate) async fn compare(app: &App, ids: &[i64], lang: &str) -> Result<Comparison, Problem> {
    let mut candidates = Vec::new();
    let mut assessments = Vec::new();
    for id in ids {
        let c = app
            .db
            .store
            .candidate(*id)
            .await?
            .ok_or_else(|| Problem::not_found(format!("there is no candidate {id}")))?;
        assessments.push(c.latest.row.id);
        candidates.push(summary_of(&c.latest));
    }
    let cmp = app
        .db
        .store
        .compare(&assessments, lang)
        .await?
        .ok_or_else(|| Problem::not_found("a candidate's assessment is gone"))?;
    Ok(Comparison {
        candidates,
        comparison: serde_json::to_value(&cmp).map_err(|e| Problem::internal(&e))?,
    })
}

/// Every function the catalogue's candidates name.
pub(crate) async fn functions(app: &App) -> Result<Arc<Vec<FunctionSummary>>, Problem> {
    memoised(app, "functions".to_owned(), || async {
        Ok(app
            .db
            .store
            .functions()
            .await?
            .iter()
            .map(|f| FunctionSummary {
                candidates: i64::try_from(f.alternatives.len()).unwrap_or(i64::MAX),
                compliant: i64::try_from(f.compliant).unwrap_or(i64::MAX),
                name: f.function.clone(),
            })
            .collect())
    })
    .await
}

/// The candidates covering `name`, best first (memoised).
pub(crate) async fn function(app: &App, name: &str) -> Result<Arc<FunctionDetail>, Problem> {
    memoised(app, format!("function {name}"), || function_of(app, name)).await
}

async fn function_of(app: &App, name: &str) -> Result<FunctionDetail, Problem> {
    let all = app.db.store.functions().await?;
    let entry = all.iter().find(|f| f.function == name).ok_or_else(|| {
        Problem::not_found(format!(
            "no candidate covers the function `{}`",
            name.escape_debug()
        ))
    })?;
    let page = app
        .db
        .store
        .search(&crate::store::Search {
            function: Some(name.to_owned()),
            limit: Some(1000),
            ..crate::store::Search::default()
        })
        .await?;
    let by_id: std::collections::BTreeMap<i64, &crate::store::Summary> =
        page.items.iter().map(|s| (s.row.id, s)).collect();
    let alternatives: Vec<CandidateSummary> = entry
        .alternatives
        .iter()
        .map(|row| match by_id.get(&row.id) {
            Some(s) => summary_of(s),
            None => CandidateSummary {
                id: row.candidate_id,
                name: row.candidate.clone(),
                vendor: row.vendor.clone(),
                functions: vec![name.to_owned()],
                latest: Some(latest_of(row, &[], &[])),
            },
        })
        .collect();
    let compliant = i64::try_from(entry.compliant).unwrap_or(i64::MAX);
    Ok(FunctionDetail {
        name: entry.function.clone(),
        alternatives,
        compliant,
        substitutable: compliant >= 2,
    })
}

/// Assesses the unpacked upload at `root` and stores it, in one transaction with the
/// job's completion: stored once, by the worker that still holds the job.
pub(crate) async fn assess_and_store(
    app: &super::Shared,
    owner: &str,
    job: &str,
    actor: &str,
    root: std::path::PathBuf,
    step: &std::sync::Mutex<&'static str>,
) -> Result<(), String> {
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let mut req = crate::store::AddRequest::new(vec![root], today);
    req.policy = Some(app.config.policy.clone());
    let prepared = tokio::task::spawn_blocking(move || crate::store::prepare(&req))
        .await
        .map_err(|e| format!("the assessment stopped: {e}"))?
        .map_err(|e| e.to_string())?;
    super::jobs::set_step(step, "storing");
    app.db
        .complete(job, owner, actor, &prepared)
        .await
        .map_err(|e| format!("cannot store the assessment: {e}"))
}
