//! The pages: server-side HTML for people in a browser, German or English, built only
//! from what the API's `fetch` functions return.
//!
//! Templates live in `report-templates/web/` and are compiled once at start into one
//! environment per language (the report's environment: the same locale files, filters
//! and HTML escaping). The language is `?lang=`, else the browser's
//! `Accept-Language`, else English. Pages need no JavaScript: the job page refreshes
//! itself with `<meta http-equiv="refresh">`; every form carries a CSRF token.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Multipart, Path, Query, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::Environment;
use serde::Serialize;

use super::fetch;
use super::session::{self, Caller};
use super::{Problem, Shared};
use crate::error::{Error, Result};
use crate::locale::Locale;

/// The page templates, by name.
pub(crate) const TEMPLATES: [(&str, &str); 10] = [
    (
        "web/base.html",
        include_str!("../../report-templates/web/base.html"),
    ),
    (
        "web/search.html",
        include_str!("../../report-templates/web/search.html"),
    ),
    (
        "web/candidate.html",
        include_str!("../../report-templates/web/candidate.html"),
    ),
    (
        "web/compare.html",
        include_str!("../../report-templates/web/compare.html"),
    ),
    (
        "web/functions.html",
        include_str!("../../report-templates/web/functions.html"),
    ),
    (
        "web/function.html",
        include_str!("../../report-templates/web/function.html"),
    ),
    (
        "web/upload.html",
        include_str!("../../report-templates/web/upload.html"),
    ),
    (
        "web/job.html",
        include_str!("../../report-templates/web/job.html"),
    ),
    (
        "web/login.html",
        include_str!("../../report-templates/web/login.html"),
    ),
    (
        "web/search-results.html",
        include_str!("../../report-templates/web/search-results.html"),
    ),
];

const CSS: &str = include_str!("../../report-templates/web/site.css");

/// The compiled templates of every language.
pub(crate) struct Pages {
    envs: BTreeMap<&'static str, Environment<'static>>,
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("langs", &self.envs.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Pages {
    /// Compiles every template for every language; a template error fails the start.
    pub(crate) fn load() -> Result<Pages> {
        let mut envs = BTreeMap::new();
        for lang in crate::locale::LANGS {
            let locale = Locale::load(lang, None)?;
            let mut env = crate::report::render::environment(
                &locale,
                &crate::report::render::Templates::default(),
            );
            // Path segments in links (function names come from candidates' manifests).
            env.add_filter("urlencode", |v: &str| urlencode(v));
            for (name, text) in TEMPLATES {
                env.add_template(name, text).map_err(|e| {
                    Error::at(
                        std::path::Path::new("report-templates")
                            .join(name)
                            .as_path(),
                        e.line().unwrap_or(1),
                        1,
                        e.to_string(),
                    )
                })?;
            }
            envs.insert(lang, env);
        }
        Ok(Pages { envs })
    }

    /// Renders page `name` with `ctx`.
    pub(crate) fn render(&self, lang: &str, name: &str, ctx: minijinja::Value) -> Result<String> {
        let env = self
            .envs
            .get(lang)
            .or_else(|| self.envs.get("en"))
            .ok_or_else(|| Error::External("no page templates".to_owned()))?;
        let tmpl = env
            .get_template(name)
            .map_err(|e| Error::External(format!("template `{name}`: {e}")))?;
        tmpl.render(ctx)
            .map_err(|e| Error::External(format!("template `{name}`: {e:#}")))
    }
}

/// The language of a request: `?lang=`, else the first of `Accept-Language` sovra
/// speaks (by quality), else English.
pub(crate) fn lang_of(query: Option<&str>, headers: &HeaderMap) -> &'static str {
    if let Some(q) = query {
        for pair in q.split('&') {
            if let Some(v) = pair.strip_prefix("lang=")
                && let Some(l) = crate::locale::LANGS.iter().find(|l| **l == v)
            {
                return l;
            }
        }
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut best: Option<(f32, &'static str)> = None;
    for part in accept.split(',') {
        let mut bits = part.trim().split(';');
        let tag = bits.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q = bits
            .find_map(|b| b.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or_default();
        if let Some(l) = crate::locale::LANGS.iter().find(|l| **l == primary)
            && q > 0.0
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, l));
        }
    }
    best.map_or("en", |(_, l)| l)
}

/// What every page shows besides its content: who is signed in, the CSRF token,
/// the language and the links to the other language.
#[derive(Debug, Serialize)]
struct Frame {
    lang: &'static str,
    user: Option<String>,
    role: Option<&'static str>,
    may_write: bool,
    csrf: String,
    /// The current path and query without `lang`, for the language links.
    here: String,
    here_sep: &'static str,
}

/// A page response under construction: the caller's frame and a cookie to set.
struct Ctx {
    frame: Frame,
    set_csrf: Option<String>,
}

fn ctx(
    app: &super::App,
    caller: &Caller,
    lang: &'static str,
    path: &str,
    query: Option<&str>,
) -> Ctx {
    let (csrf, set_csrf) = match &caller.csrf {
        Some(c) => (c.clone(), None),
        None => {
            let c = super::auth::secret().unwrap_or_default();
            (c.clone(), Some(c))
        }
    };
    let kept: Vec<&str> = query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    let here = if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    };
    let _ = app;
    Ctx {
        frame: Frame {
            lang,
            user: caller.user.clone(),
            role: caller.actor.as_ref().map(|a| a.role.as_str()),
            may_write: caller.actor.as_ref().is_some_and(|a| a.role.may_write()),
            csrf,
            here_sep: if kept.is_empty() { "?" } else { "&" },
            here,
        },
        set_csrf,
    }
}

impl Ctx {
    fn page(self, app: &super::App, name: &str, content: minijinja::Value) -> Response {
        let ctx = minijinja::context! { frame => minijinja::Value::from_serialize(&self.frame), page => content };
        match app.pages.render(self.frame.lang, name, ctx) {
            Ok(html) => {
                let mut res = html_response(StatusCode::OK, html);
                if let Some(c) = self.set_csrf
                    && let Ok(v) = HeaderValue::from_str(&session::set_cookie(
                        session::CSRF_COOKIE,
                        &c,
                        None,
                        !app.config.insecure_cookies,
                    ))
                {
                    res.headers_mut().append(header::SET_COOKIE, v);
                }
                res
            }
            Err(e) => {
                let p = Problem::internal(&e);
                error_page(self.frame.lang, p.status, &p.detail)
            }
        }
    }
}

fn html_response(status: StatusCode, html: String) -> Response {
    let mut res = (status, html).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res
}

/// A minimal error page, for errors that reach no handler (and when a template fails).
pub(crate) fn error_page(lang: &str, status: StatusCode, detail: &str) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    let home = if lang == "de" {
        "Zur Suche"
    } else {
        "Back to the search"
    };
    let esc = crate::report::render::escape_xml;
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{} {}</title>\
         <link rel=\"stylesheet\" href=\"/static/site.css\"></head><body><main id=\"main\">\
         <h1>{} {}</h1><p class=\"notice error\" role=\"alert\">{}</p><p><a href=\"/\">{home}</a></p>\
         </main></body></html>\n",
        status.as_u16(),
        esc(title),
        status.as_u16(),
        esc(title),
        esc(detail)
    );
    html_response(status, html)
}

/// The routes of the pages.
pub(crate) fn router() -> Router<Shared> {
    Router::new()
        .route("/", get(search))
        .route("/candidates/{id}", get(candidate))
        .route("/candidates/{id}/withdraw", post(withdraw))
        .route("/compare", get(compare))
        .route("/functions", get(functions))
        .route("/functions/{name}", get(function))
        .route("/upload", get(upload_form).post(upload))
        .route("/jobs/{id}", get(job))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/static/site.css", get(css))
        // Browsers ask for it on every site; no icon, and no 404 in their console.
        .route("/favicon.ico", get(no_icon))
}

async fn no_icon() -> Response {
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    res
}

async fn css() -> Response {
    let mut res = CSS.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    res
}

/// The response to a refused page request: to the login page when a login would help,
/// else an error page.
fn refused(lang: &'static str, p: Problem, back: &str) -> Response {
    if p.status == StatusCode::UNAUTHORIZED {
        let to = format!("/login?next={}&lang={lang}", urlencode(back));
        return Redirect::to(&to).into_response();
    }
    error_page(lang, p.status, &p.detail)
}

fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A local path to return to after login: only a path on this server.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/') && !n.starts_with("//") && !n.contains(['\\', '\r', '\n']) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

async fn search(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = lang_of(query.as_deref(), &headers);
    let back = format!("/?{}", query.as_deref().unwrap_or_default());
    if let Err(p) = caller.may_read(&app) {
        return refused(lang, p, &back);
    }
    let params = fetch::SearchParams::from_query(query.as_deref().unwrap_or_default());
    let c = ctx(&app, &caller, lang, "/", query.as_deref());
    let (results, error) = match params.validate() {
        Ok(s) => match results_html(&app, &s, lang).await {
            Ok(r) => (Some(r), None),
            Err(p) => (None, Some(p.detail)),
        },
        Err(p) => (None, Some(p.detail)),
    };
    let functions = fetch::functions(&app).await.unwrap_or_default();
    c.page(
        &app,
        "web/search.html",
        minijinja::context! {
            params => minijinja::Value::from_serialize(&params),
            results_html => results.as_deref().map(String::as_str),
            error => error,
            functions => minijinja::Value::from_serialize(&*functions),
            classes => fetch::LICENCE_CLASSES,
            verdicts => fetch::VERDICTS,
        },
    )
}

/// The search page's results as HTML, memoised per search and language: they hold
/// nothing of the caller, and rendering them is most of a search page's work.
async fn results_html(
    app: &super::App,
    s: &crate::store::Search,
    lang: &'static str,
) -> Result<Arc<String>, Problem> {
    fetch::memoised(app, format!("search-html {lang} {s:?}"), || async {
        let results = fetch::candidates(app, s).await?;
        app.pages
            .render(
                lang,
                "web/search-results.html",
                minijinja::context! {
                    frame => minijinja::context! { lang => lang },
                    page => minijinja::context! {
                        results => minijinja::Value::from_serialize(&*results),
                    },
                },
            )
            .map_err(|e| Problem::internal(&e))
    })
    .await
}

async fn candidate(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = lang_of(query.as_deref(), &headers);
    let path = format!("/candidates/{}", urlencode(&id));
    if let Err(p) = caller.may_read(&app) {
        return refused(lang, p, &path);
    }
    let found = match fetch::parse_id(&id) {
        Ok(id) => fetch::candidate(&app, id, lang).await,
        Err(p) => Err(p),
    };
    match found {
        Ok(cand) => ctx(&app, &caller, lang, &path, query.as_deref()).page(
            &app,
            "web/candidate.html",
            minijinja::context! { candidate => minijinja::Value::from_serialize(&*cand) },
        ),
        Err(p) => error_page(lang, p.status, &p.detail),
    }
}

async fn compare(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = lang_of(query.as_deref(), &headers);
    let back = format!("/compare?{}", query.as_deref().unwrap_or_default());
    if let Err(p) = caller.may_read(&app) {
        return refused(lang, p, &back);
    }
    let ids = fetch::ids_of_query(query.as_deref().unwrap_or_default());
    let (comparison, error) = match ids {
        Ok(ids) if ids.len() >= 2 => match fetch::compare(&app, &ids, lang).await {
            Ok(c) => (Some(c), None),
            Err(p) => (None, Some(p.detail)),
        },
        Ok(_) => (None, None),
        Err(p) => (None, Some(p.detail)),
    };
    // Every candidate to choose from (a default search would stop at one page).
    let everything = crate::store::Search {
        limit: Some(fetch::MAX_LIMIT),
        ..crate::store::Search::default()
    };
    let all = fetch::candidates(&app, &everything).await.ok();
    ctx(&app, &caller, lang, "/compare", query.as_deref()).page(
        &app,
        "web/compare.html",
        minijinja::context! {
            comparison => minijinja::Value::from_serialize(&comparison),
            error => error,
            all => minijinja::Value::from_serialize(all.as_deref()),
        },
    )
}

async fn functions(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = lang_of(query.as_deref(), &headers);
    if let Err(p) = caller.may_read(&app) {
        return refused(lang, p, "/functions");
    }
    match fetch::functions(&app).await {
        Ok(f) => ctx(&app, &caller, lang, "/functions", query.as_deref()).page(
            &app,
            "web/functions.html",
            minijinja::context! { functions => minijinja::Value::from_serialize(&*f) },
        ),
        Err(p) => error_page(lang, p.status, &p.detail),
    }
}

async fn function(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = lang_of(query.as_deref(), &headers);
    let path = format!("/functions/{}", urlencode(&name));
    if let Err(p) = caller.may_read(&app) {
        return refused(lang, p, &path);
    }
    match fetch::function(&app, &name).await {
        Ok(f) => ctx(&app, &caller, lang, &path, query.as_deref()).page(
            &app,
            "web/function.html",
            minijinja::context! { function => minijinja::Value::from_serialize(&*f) },
        ),
        Err(p) => error_page(lang, p.status, &p.detail),
    }
}

async fn upload_form(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = lang_of(query.as_deref(), &headers);
    match &caller.actor {
        None => {
            return refused(
                lang,
                Problem::new(StatusCode::UNAUTHORIZED, "login needed"),
                "/upload",
            );
        }
        // A reader is shown no form it could not send.
        Some(a) if !a.role.may_write() => {
            return refused(
                lang,
                Problem::new(StatusCode::FORBIDDEN, "uploading needs the role assessor"),
                "/upload",
            );
        }
        Some(_) => {}
    }
    ctx(&app, &caller, lang, "/upload", query.as_deref()).page(
        &app,
        "web/upload.html",
        minijinja::context! {
            max_upload_mib => app.config.max_upload >> 20,
            error => minijinja::Value::from(()),
        },
    )
}

async fn upload(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    multipart: Multipart,
) -> Response {
    let lang = lang_of(query.as_deref(), &headers);
    let form = match fetch::read_upload(multipart).await {
        Ok(f) => f,
        Err(p) => return error_page(lang, p.status, &p.detail),
    };
    let actor = match caller.may_write(form.csrf.as_deref()) {
        Ok(a) => a.clone(),
        Err(p) => return refused(lang, p, "/upload"),
    };
    match fetch::submit(&app, &actor, form.files).await {
        Ok(job) => Redirect::to(&format!("/jobs/{}?lang={lang}", job.id)).into_response(),
        Err(p)
            if p.status == StatusCode::UNPROCESSABLE_ENTITY
                || p.status == StatusCode::BAD_REQUEST =>
        {
            let mut res = ctx(&app, &caller, lang, "/upload", query.as_deref()).page(
                &app,
                "web/upload.html",
                minijinja::context! {
                    max_upload_mib => app.config.max_upload >> 20,
                    error => p.detail,
                },
            );
            *res.status_mut() = p.status;
            res
        }
        Err(p) => error_page(lang, p.status, &p.detail),
    }
}

async fn job(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = lang_of(query.as_deref(), &headers);
    let path = format!("/jobs/{}", urlencode(&id));
    if let Err(p) = caller.may_read(&app) {
        return refused(lang, p, &path);
    }
    match fetch::job(&app, &id).await {
        Ok(j) => ctx(&app, &caller, lang, &path, query.as_deref()).page(
            &app,
            "web/job.html",
            minijinja::context! { job => minijinja::Value::from_serialize(&j) },
        ),
        Err(p) => error_page(lang, p.status, &p.detail),
    }
}

#[derive(Debug, serde::Deserialize)]
struct LoginQuery {
    next: Option<String>,
}

async fn login_form(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = lang_of(query.as_deref(), &headers);
    let next = serde_urlencoded_next(query.as_deref());
    ctx(&app, &caller, lang, "/login", query.as_deref()).page(
        &app,
        "web/login.html",
        minijinja::context! { next => safe_next(next.as_deref()), error => minijinja::Value::from(()) },
    )
}

fn serde_urlencoded_next(query: Option<&str>) -> Option<String> {
    let q: Query<LoginQuery> =
        Query::try_from_uri(&format!("/?{}", query.unwrap_or_default()).parse().ok()?).ok()?;
    q.0.next
}

#[derive(Debug, serde::Deserialize)]
struct LoginForm {
    name: Option<String>,
    password: Option<String>,
    csrf: Option<String>,
    next: Option<String>,
}

async fn login(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    let lang = lang_of(query.as_deref(), &headers);
    if let Err(p) = caller.check_csrf(form.csrf.as_deref()) {
        return error_page(lang, p.status, &p.detail);
    }
    let name = form.name.unwrap_or_default();
    let password = form.password.unwrap_or_default();
    match fetch::login(&app, &name, &password).await {
        Ok(Some(cookie)) => {
            let next = safe_next(form.next.as_deref());
            let sep = if next.contains('?') { '&' } else { '?' };
            let mut res = Redirect::to(&format!("{next}{sep}lang={lang}")).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Ok(None) => {
            let mut res = ctx(&app, &caller, lang, "/login", query.as_deref()).page(
                &app,
                "web/login.html",
                minijinja::context! {
                    next => safe_next(form.next.as_deref()),
                    error => "login.failed",
                },
            );
            *res.status_mut() = StatusCode::UNAUTHORIZED;
            res
        }
        Err(p) => error_page(lang, p.status, &p.detail),
    }
}

#[derive(Debug, serde::Deserialize)]
struct WithdrawForm {
    csrf: Option<String>,
    reason: Option<String>,
}

async fn withdraw(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    axum::Form(form): axum::Form<WithdrawForm>,
) -> Response {
    let lang = lang_of(query.as_deref(), &headers);
    let path = format!("/candidates/{}", urlencode(&id));
    let actor = match caller.may(super::auth::Role::Admin, form.csrf.as_deref()) {
        Ok(a) => a.clone(),
        Err(p) => return refused(lang, p, &path),
    };
    let done = match fetch::parse_id(&id) {
        Ok(id) => fetch::withdraw(&app, &actor, id, form.reason.as_deref()).await,
        Err(p) => Err(p),
    };
    match done {
        Ok(_) => Redirect::to(&format!("{path}?lang={lang}")).into_response(),
        Err(p) => error_page(lang, p.status, &p.detail),
    }
}

#[derive(Debug, serde::Deserialize)]
struct LogoutForm {
    csrf: Option<String>,
}

async fn logout(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    axum::Form(form): axum::Form<LogoutForm>,
) -> Response {
    let lang = lang_of(query.as_deref(), &headers);
    if let Err(p) = caller.check_csrf(form.csrf.as_deref()) {
        return error_page(lang, p.status, &p.detail);
    }
    if let Err(p) = fetch::logout(&app, &caller).await {
        return error_page(lang, p.status, &p.detail);
    }
    let mut res = Redirect::to(&format!("/?lang={lang}")).into_response();
    if let Ok(v) = HeaderValue::from_str(&session::set_cookie(
        session::SESSION_COOKIE,
        "",
        Some(0),
        !app.config.insecure_cookies,
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
