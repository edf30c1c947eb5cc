//! The JSON API under `/api/v1/`: one route table ([`routes`]) that the router is built
//! from and that the OpenAPI document is tested against.
//!
//! Reading follows `--read-access`; writing needs a token (`Authorization: Bearer`)
//! or a session with role `assessor` or `admin` (`admin` to withdraw a candidate) and,
//! for a session, the `X-CSRF-Token` header. Answers are JSON; errors are problem objects.

use axum::Json;
use axum::Router;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};

use super::fetch;
use super::session::Caller;
use super::{Problem, Shared};

/// One route of the API.
#[derive(Debug)]
pub(crate) struct Route {
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "read by the test holding the OpenAPI document to the routes"
        )
    )]
    pub method: &'static str,
    pub path: &'static str,
    pub handler: MethodRouter<Shared>,
}

fn route<H, T>(method: &'static str, path: &'static str, handler: H) -> Route
where
    H: axum::handler::Handler<T, Shared>,
    T: 'static,
{
    let filter = match method {
        "post" => MethodFilter::POST,
        "delete" => MethodFilter::DELETE,
        _ => MethodFilter::GET,
    };
    Route {
        method,
        path,
        handler: on(filter, handler),
    }
}

/// Every route of the API.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        route("get", "/api/v1/openapi.json", openapi),
        route("get", "/api/v1/candidates", candidates),
        route("get", "/api/v1/candidates/{id}", candidate),
        route("delete", "/api/v1/candidates/{id}", withdraw),
        route("post", "/api/v1/assessments", submit),
        route("get", "/api/v1/assessments/{id}", assessment),
        route("get", "/api/v1/assessments/{id}/report", report),
        route("get", "/api/v1/jobs/{id}", job),
        route("get", "/api/v1/compare", compare),
        route("get", "/api/v1/functions", functions),
        route("get", "/api/v1/functions/{name}", function),
    ]
}

/// The API's router, built from [`routes`].
pub(crate) fn router() -> Router<Shared> {
    routes()
        .into_iter()
        .fold(Router::new(), |r, route| r.route(route.path, route.handler))
}

type Answer = Result<Response, Problem>;

fn json<T: serde::Serialize>(value: &T) -> Answer {
    Ok(Json(value).into_response())
}

async fn openapi() -> Answer {
    json(&super::openapi::document())
}

async fn candidates(
    State(app): State<Shared>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Answer {
    caller.may_read(&app)?;
    let search =
        fetch::SearchParams::from_query(query.as_deref().unwrap_or_default()).validate()?;
    let body = fetch::memoised(&app, format!("search-json {search:?}"), || async {
        to_json(&*fetch::candidates(&app, &search).await?)
    })
    .await?;
    Ok(json_bytes(&body))
}

/// `value` as JSON, to memoise: an answer asked for again is sent without serialising.
fn to_json<T: serde::Serialize>(value: &T) -> Result<axum::body::Bytes, Problem> {
    serde_json::to_vec(value)
        .map(axum::body::Bytes::from)
        .map_err(|e| Problem::internal(&e))
}

fn json_bytes(body: &axum::body::Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.clone(),
    )
        .into_response()
}

async fn candidate(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Answer {
    caller.may_read(&app)?;
    let lang = super::pages::lang_of(query.as_deref(), &headers);
    let id = fetch::parse_id(&id)?;
    let body = fetch::memoised(&app, format!("candidate-json {id} {lang}"), || async {
        to_json(&*fetch::candidate(&app, id, lang).await?)
    })
    .await?;
    Ok(json_bytes(&body))
}

async fn withdraw(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Answer {
    let actor = caller
        .may(super::auth::Role::Admin, csrf_header(&headers))?
        .clone();
    let id = fetch::parse_id(&id)?;
    let reason = fetch::query_value(query.as_deref().unwrap_or_default(), "reason");
    json(&fetch::withdraw(&app, &actor, id, reason.as_deref()).await?)
}

fn csrf_header(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-csrf-token").and_then(|v| v.to_str().ok())
}

async fn submit(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Answer {
    // Who may upload is decided before the body is read.
    let actor = caller.may_write(csrf_header(&headers))?.clone();
    let multipart = multipart.map_err(|e| {
        Problem::bad_request(format!(
            "send the files as multipart/form-data: {}",
            e.body_text()
        ))
    })?;
    let form = fetch::read_upload(multipart).await?;
    let job = fetch::submit(&app, &actor, form.files).await?;
    let mut res = (StatusCode::ACCEPTED, Json(&job)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/jobs/{}", job.id)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

async fn assessment(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Answer {
    caller.may_read(&app)?;
    let lang = super::pages::lang_of(query.as_deref(), &headers);
    json(&fetch::assessment(&app, fetch::parse_id(&id)?, lang).await?)
}

async fn report(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Answer {
    caller.may_read(&app)?;
    let id = fetch::parse_id(&id)?;
    let query = query.unwrap_or_default();
    let pairs = fetch::form_pairs(&query);
    let format = pairs
        .iter()
        .find(|(k, _)| k == "format")
        .map_or("html", |(_, v)| v.as_str());
    let format = match format {
        "html" => crate::report::Format::Html,
        "md" => crate::report::Format::Md,
        "fodt" => crate::report::Format::Fodt,
        "json" => crate::report::Format::Json,
        other => {
            return Err(Problem::bad_request(format!(
                "`format` must be one of html, md, fodt, json, not `{}`",
                other.escape_debug()
            )));
        }
    };
    let lang = super::pages::lang_of(Some(&query), &headers);
    let doc = fetch::report(&app, id, format, lang).await?;
    let mut res = doc.body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(doc.content_type),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", doc.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if format == crate::report::Format::Html {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(super::REPORT_CSP),
        );
    }
    Ok(res)
}

async fn job(State(app): State<Shared>, caller: Caller, Path(id): Path<String>) -> Answer {
    caller.may_read(&app)?;
    json(&fetch::job(&app, &id).await?)
}

async fn compare(
    State(app): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Answer {
    caller.may_read(&app)?;
    let query = query.unwrap_or_default();
    let ids = fetch::ids_of_query(&query)?;
    if ids.len() < 2 {
        return Err(Problem::bad_request(
            "`ids` must name at least two candidates, e.g. `ids=1,2`",
        ));
    }
    let lang = super::pages::lang_of(Some(&query), &headers);
    json(&fetch::compare(&app, &ids, lang).await?)
}

async fn functions(State(app): State<Shared>, caller: Caller) -> Answer {
    caller.may_read(&app)?;
    json(&*fetch::functions(&app).await?)
}

async fn function(State(app): State<Shared>, caller: Caller, Path(name): Path<String>) -> Answer {
    caller.may_read(&app)?;
    json(&*fetch::function(&app, &name).await?)
}
