//! `sovra serve`: the catalogue on the web. Server-side pages for people and a JSON API
//! under `/api/v1/` for tools, over the store (`crate::store`), with uploads assessed
//! in the background by workers that share the database's job table.
//!
//! - `api`: the JSON routes and their one route table ([`api::ROUTES`]), which the
//!   OpenAPI document (`openapi`) is tested against.
//! - `fetch`: what the API answers, shared by pages and API, so a page shows nothing
//!   the API does not offer.
//! - `pages`: the HTML pages (minijinja templates in `report-templates/web/`, compiled
//!   once at start, German and English from the report locales).
//! - `auth`, `session`: roles, passwords, tokens, sessions and CSRF.
//! - `jobs`: the durable job queue (lease, `FOR UPDATE SKIP LOCKED` on PostgreSQL) and
//!   its workers; `unpack`: uploads onto disk, bounded and confined.
//!
//! Every response carries the security headers of [`security_headers`]; errors of the
//! API are problem objects (RFC 9457), never a 5xx for bad input.

pub(crate) mod admin;
pub(crate) mod api;
pub(crate) mod auth;
pub(crate) mod db;
pub(crate) mod fetch;
pub(crate) mod jobs;
pub(crate) mod openapi;
pub(crate) mod pages;
pub(crate) mod session;
pub(crate) mod unpack;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{Error, Result};

/// Whether reading needs a login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReadAccess {
    /// Anyone who reaches the server may read.
    Open,
    /// Reading needs a login or a token of any role.
    Login,
}

/// The validated options of `sovra serve`.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The catalogue: a file path (SQLite) or a `postgres://` URL.
    pub db: String,
    pub listen: String,
    pub read_access: ReadAccess,
    /// Session cookies without `Secure`, for plain HTTP on one's own machine.
    pub insecure_cookies: bool,
    /// Largest request body of an upload, in bytes.
    pub max_upload: u64,
    /// Background workers assessing uploads in this instance.
    pub workers: usize,
    /// How long a worker's claim on a job lasts without renewal.
    pub lease: Duration,
    /// Where jobs unpack their uploads (one directory per job, removed afterwards).
    pub work_dir: PathBuf,
    /// How long a session lasts.
    pub session_ttl: Duration,
    /// The policy uploads are judged by: a bundled name or an absolute file path.
    pub policy: String,
}

/// What every request handler shares.
#[derive(Debug)]
pub(crate) struct App {
    pub config: Config,
    pub db: db::Db,
    pub pages: pages::Pages,
    /// Tells the workers to stop claiming jobs.
    pub stopping: tokio::sync::watch::Receiver<bool>,
}

pub(crate) type Shared = Arc<App>;

/// Runs the server until SIGTERM or SIGINT, then stops accepting connections, lets
/// requests in flight and the workers' current jobs finish, and returns.
pub(crate) fn run(config: Config) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::External(format!("cannot start the runtime: {e}")))?;
    rt.block_on(serve(config))
}

async fn serve(config: Config) -> Result<()> {
    let db = db::Db::open(&config.db).await?;
    // The read model is built before the first request, not by it.
    db.store.snapshot().await?;
    db.record_policy(&config.policy).await?;
    std::fs::create_dir_all(&config.work_dir).map_err(|e| Error::io(&config.work_dir, e))?;
    let pages = pages::Pages::load()?;
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| Error::Usage(format!("cannot listen on `{}`: {e}", config.listen)))?;
    let addr: SocketAddr = listener
        .local_addr()
        .map_err(|e| Error::External(format!("cannot read the listening address: {e}")))?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let app = Arc::new(App {
        config,
        db,
        pages,
        stopping: stop_rx,
    });
    let workers = jobs::start(&app);
    let router = router(Arc::clone(&app));
    {
        use std::io::Write;
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "sovra serve: listening on http://{addr}");
    }
    let shutdown = async move {
        shutdown_signal().await;
        let _ = stop_tx.send(true);
    };
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| Error::External(format!("the server failed: {e}")))?;
    for w in workers {
        let _ = w.await;
    }
    app.db.close().await;
    {
        use std::io::Write;
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "sovra serve: stopped");
    }
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            _ => std::future::pending::<()>().await,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The whole application: API, pages, the stylesheet, headers and error shapes.
pub(crate) fn router(app: Shared) -> Router {
    let limit = usize::try_from(app.config.max_upload)
        .unwrap_or(usize::MAX)
        .saturating_add(64 << 10);
    api::router()
        .merge(pages::router())
        .fallback(not_found)
        .layer(axum::middleware::from_fn(problems))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            security_headers,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(app)
}

async fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

/// The Content-Security-Policy of every page: nothing loads but the server's own
/// stylesheet; forms post only to the server; no framing.
pub(crate) const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of a downloaded HTML report: its styles are inline and it loads nothing.
pub(crate) const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; \
     base-uri 'none'; form-action 'none'";

async fn security_headers(State(app): State<Shared>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if !app.config.insecure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    res
}

/// Turns every error response that is not already a problem object or a page into
/// one: the API answers problem objects, the pages an error page. Rejections of the
/// extractors (a malformed query, a path parameter of the wrong type, a body over the
/// limit) come here as plain text.
async fn problems(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let lang = pages::lang_of(req.uri().query(), req.headers());
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let shaped = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        let v = v.to_str().unwrap_or_default();
        v.starts_with("application/problem+json") || v.starts_with("text/html")
    });
    if shaped {
        return res;
    }
    let (parts, body) = res.into_parts();
    let detail = axum::body::to_bytes(body, 64 << 10)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let mut out = if api {
        Problem::new(status, detail).into_response()
    } else {
        pages::error_page(lang, status, &detail)
    };
    // Keep the headers a handler set (Allow, WWW-Authenticate), not its body's type.
    for (k, v) in &parts.headers {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}

/// An error of the API as a problem object (RFC 9457).
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub status: StatusCode,
    pub detail: String,
    /// Sends `WWW-Authenticate: Bearer` (a 401 of the API).
    pub challenge: bool,
}

impl Problem {
    pub(crate) fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            detail: detail.into(),
            challenge: false,
        }
    }

    pub(crate) fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, detail)
    }

    pub(crate) fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, detail)
    }

    /// A failure of the server itself (the database gone): logged, and answered
    /// without its details.
    pub(crate) fn internal(e: &dyn std::fmt::Display) -> Problem {
        {
            use std::io::Write;
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "sovra serve: error: {e}");
        }
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the server could not answer; the error is in its log",
        )
    }
}

impl From<Error> for Problem {
    fn from(e: Error) -> Problem {
        match e {
            Error::Usage(m) => Problem::bad_request(m),
            other => Problem::internal(&other),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let title = self.status.canonical_reason().unwrap_or("Error");
        let body = serde_json::json!({
            "type": "about:blank",
            "title": title,
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        let mut res = Response::new(Body::from(body.to_string()));
        *res.status_mut() = self.status;
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if self.challenge {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"sovra\""),
            );
        }
        res
    }
}
