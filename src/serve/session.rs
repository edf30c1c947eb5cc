//! Who is calling: an API token (`Authorization: Bearer …`) or a session cookie, read
//! once per request into a [`Caller`], and the cookies the server sets.
//!
//! Cookies are `HttpOnly`, `SameSite=Strict`, `Path=/` and `Secure` unless the server
//! runs with `--insecure-cookies` (plain HTTP on one's own machine). A form's CSRF
//! token is the session's; before login (the login form itself) it is the value of the
//! `sovra_csrf` cookie, which a cross-site page can neither read nor set.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};

use super::auth::{self, Actor};
use super::{Problem, Shared};

pub(crate) const SESSION_COOKIE: &str = "sovra_session";
pub(crate) const CSRF_COOKIE: &str = "sovra_csrf";

/// The caller of one request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Caller {
    pub actor: Option<Actor>,
    /// The signed-in user's name, for a session.
    pub user: Option<String>,
    /// The session's digest (to end it at logout).
    pub session: Option<String>,
    /// The CSRF token forms must carry: the session's, else the `sovra_csrf` cookie's.
    pub csrf: Option<String>,
    /// Whether the caller authenticated with a token (no CSRF needed: a browser never
    /// sends one by itself).
    pub bearer: bool,
}

/// The value of cookie `name`.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value.
pub(crate) fn set_cookie(name: &str, value: &str, max_age: Option<u64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

fn unauthorized(detail: &str) -> Problem {
    let mut p = Problem::new(StatusCode::UNAUTHORIZED, detail);
    p.challenge = true;
    p
}

impl FromRequestParts<Shared> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, app: &Shared) -> Result<Caller, Problem> {
        let headers = &parts.headers;
        if let Some(v) = headers.get(header::AUTHORIZATION) {
            let token = v
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| unauthorized("the Authorization header is not `Bearer <token>`"))?;
            let found = app.db.token(&auth::digest(token)).await?;
            let Some((name, role)) = found else {
                return Err(unauthorized("the token is not known"));
            };
            return Ok(Caller {
                actor: Some(Actor {
                    id: format!("token:{name}"),
                    role,
                }),
                bearer: true,
                ..Caller::default()
            });
        }
        if let Some(id) = cookie(headers, SESSION_COOKIE) {
            let digest = auth::digest(id);
            if let Some(s) = app.db.session(&digest).await? {
                return Ok(Caller {
                    actor: Some(Actor {
                        id: format!("user:{}", s.user),
                        role: s.role,
                    }),
                    user: Some(s.user),
                    session: Some(digest),
                    csrf: Some(s.csrf),
                    bearer: false,
                });
            }
        }
        Ok(Caller {
            csrf: cookie(headers, CSRF_COOKIE)
                .filter(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()))
                .map(str::to_owned),
            ..Caller::default()
        })
    }
}

impl Caller {
    /// Reading: open, or with `--read-access login` any signed-in caller.
    pub(crate) fn may_read(&self, app: &super::App) -> Result<(), Problem> {
        if app.config.read_access == super::ReadAccess::Login && self.actor.is_none() {
            return Err(unauthorized(
                "reading this catalogue needs a login or a token",
            ));
        }
        Ok(())
    }

    /// Writing: a token or session of role `assessor` or `admin`; a session must send
    /// its CSRF token (`form`).
    pub(crate) fn may_write(&self, form_csrf: Option<&str>) -> Result<&Actor, Problem> {
        self.may(super::auth::Role::Assessor, form_csrf)
    }

    /// What [`Caller::may_write`] checks, for role `at_least`.
    pub(crate) fn may(
        &self,
        at_least: super::auth::Role,
        form_csrf: Option<&str>,
    ) -> Result<&Actor, Problem> {
        let Some(actor) = &self.actor else {
            return Err(unauthorized("this needs a login or a token"));
        };
        if !self.bearer {
            self.check_csrf(form_csrf)?;
        }
        if actor.role < at_least {
            return Err(Problem::new(
                StatusCode::FORBIDDEN,
                format!(
                    "role `{}` may not do this; it needs `{at_least}`",
                    actor.role
                ),
            ));
        }
        Ok(actor)
    }

    /// The form's CSRF token against the caller's.
    pub(crate) fn check_csrf(&self, form_csrf: Option<&str>) -> Result<(), Problem> {
        match (&self.csrf, form_csrf) {
            (Some(mine), Some(sent)) if auth::same(mine, sent) => Ok(()),
            _ => Err(Problem::new(
                StatusCode::FORBIDDEN,
                "the form's CSRF token is missing or stale: reload the page and send it again",
            )),
        }
    }
}
