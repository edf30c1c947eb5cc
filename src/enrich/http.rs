//! The HTTP client every source goes through: cache first, then the network with a
//! timeout, retries with backoff on 429 and 5xx (honouring `Retry-After`), a per-host
//! rate limit and a cap on the response size.
//!
//! A response is stored in the cache only once it is complete and, for JSON sources,
//! parses as JSON, so a truncated or malformed answer is never pinned. Authentication
//! headers are sent but never part of a cache key, a cache entry or a message; they go
//! only to the origin of the request's own URL: redirects are followed here, not by
//! reqwest, and a hop to another origin carries no credential. Credentials written into
//! a base URL (`https://user:pass@mirror`) are sent, but every URL that is kept or shown
//! has them replaced by `***` (see [`redact`]). The timeout bounds the whole exchange,
//! redirects and the body included, so a server dripping a byte at a time cannot hold a
//! run.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::Source;
use super::cache::{Cache, Entry, Lookup};

/// Limits and behaviour of the client.
#[derive(Debug, Clone)]
pub(crate) struct HttpConfig {
    /// Timeout of one attempt: connect, send, every redirect and the whole body.
    pub timeout: Duration,
    /// Retries after the first attempt, for 429, 5xx and transport failures.
    pub retries: u32,
    /// First backoff; doubles with each retry.
    pub backoff: Duration,
    /// Longest `Retry-After` the client waits for; a longer one fails the lookup.
    pub max_retry_after: Duration,
    /// Minimum time between two requests to the same host.
    pub host_interval: Duration,
    /// Largest response body accepted, in bytes.
    pub max_body: u64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(20),
            retries: 3,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(60),
            host_interval: Duration::from_millis(50),
            max_body: 32 * 1024 * 1024,
        }
    }
}

/// Turns a raw body into the text that is kept.
pub(crate) type Extract = fn(&[u8]) -> Result<String, String>;

/// One request.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub source: Source,
    pub url: String,
    /// A JSON body to POST; `None` for GET.
    pub body: Option<String>,
    /// Extra headers (authentication); never cached, never shown.
    pub headers: Vec<(&'static str, String)>,
    /// Whether the response must parse as JSON to count as complete.
    pub json: bool,
    /// Turns a successful raw body into the text that is kept (and cached), e.g. the
    /// `Cargo.toml` out of a `.crate` archive; an error fails the lookup uncached.
    pub extract: Option<Extract>,
}

impl Request {
    pub(crate) fn get(source: Source, url: String) -> Self {
        Request {
            source,
            url,
            body: None,
            headers: Vec::new(),
            json: true,
            extract: None,
        }
    }

    /// The key of the cache entry: method, URL (credentials redacted) and body.
    fn cache_key(&self) -> String {
        let url = redact(&self.url);
        match &self.body {
            Some(b) => format!("POST {url}\n{b}"),
            None => format!("GET {url}"),
        }
    }
}

/// A response, from the network or the cache.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub status: u16,
    pub body: String,
    pub url: String,
    pub retrieved: Timestamp,
}

impl Response {
    /// Whether the server says the thing does not exist (404 or 410).
    pub(crate) fn gone(&self) -> bool {
        self.status == 404 || self.status == 410
    }

    /// The body as JSON; a malformed body is an error naming the URL.
    pub(crate) fn json(&self) -> Result<serde_json::Value, String> {
        serde_json::from_str(&self.body)
            .map_err(|e| format!("`{}`: malformed response: {e}", self.url))
    }
}

/// The words that mark a lookup skipped after a host's rate limit (notices with them
/// are summarised per host).
pub(crate) const SKIPPED: &str = "not asked:";

/// Why a lookup failed; its `Display` is the notice shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FetchError {
    /// `--offline` and no usable cache entry.
    NotCached { url: String },
    /// The last attempt's HTTP status, after retries where they apply.
    Status {
        url: String,
        status: u16,
        attempts: u32,
    },
    /// A `Retry-After` longer than the client is willing to wait.
    RetryAfterTooLong { url: String, seconds: u64 },
    /// Transport failure (connect, timeout, truncated body) after retries.
    Transport {
        url: String,
        message: String,
        attempts: u32,
    },
    /// The body exceeds the size cap.
    TooLarge { url: String, limit: u64 },
    /// A complete body that is not the JSON the source expects.
    Malformed { url: String, message: String },
    /// Not asked: the host refused this run earlier (rate limit exhausted) or could not
    /// be reached at all.
    HostLimited {
        url: String,
        host: String,
        why: &'static str,
    },
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::NotCached { url } => write!(f, "`{url}`: offline and not in the cache"),
            FetchError::Status {
                url,
                status,
                attempts,
            } => write!(f, "`{url}`: HTTP {status} after {attempts} attempt(s)"),
            FetchError::RetryAfterTooLong { url, seconds } => {
                write!(
                    f,
                    "`{url}`: rate limited, server asks to retry after {seconds} s"
                )
            }
            FetchError::Transport {
                url,
                message,
                attempts,
            } => write!(f, "`{url}`: {message} after {attempts} attempt(s)"),
            FetchError::TooLarge { url, limit } => {
                write!(f, "`{url}`: response larger than {limit} bytes, ignored")
            }
            FetchError::Malformed { url, message } => {
                write!(f, "`{url}`: malformed response: {message}")
            }
            FetchError::HostLimited { url, host, why } => {
                write!(f, "`{url}`: {SKIPPED} `{host}` {why}")
            }
        }
    }
}

/// The client: configuration, a reqwest client, the cache and the per-host clock.
#[derive(Debug)]
pub(crate) struct Http {
    cfg: HttpConfig,
    client: Option<reqwest::blocking::Client>,
    cache: Option<Cache>,
    offline: bool,
    now: Timestamp,
    next_slot: Mutex<HashMap<String, Instant>>,
    /// One answer per request key and run: concurrent asks for the same URL (several
    /// versions of one npm package) wait for the first instead of asking again.
    memo: Mutex<HashMap<String, Arc<Memo>>>,
    /// Hosts whose rate limit is exhausted for this run: not asked again.
    limited: Mutex<std::collections::BTreeMap<String, &'static str>>,
    /// Notices from the cache (discarded corrupt entries), drained by the caller.
    pub(crate) notices: Mutex<Vec<String>>,
}

type Memo = OnceLock<Result<Response, FetchError>>;

/// The outcome of one attempt.
enum Attempt {
    Done(Response),
    Retry {
        error: FetchError,
        wait: Duration,
        /// The host could not be connected to (DNS, refused): no other request to it
        /// will fare better this run.
        unreachable: bool,
    },
    Fail(FetchError),
}

impl Http {
    pub(crate) fn new(
        cfg: HttpConfig,
        cache: Option<Cache>,
        offline: bool,
        now: Timestamp,
    ) -> Result<Self, String> {
        let client = if offline {
            None
        } else {
            let mut builder = reqwest::blocking::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(cfg.timeout)
                .connect_timeout(cfg.timeout)
                .user_agent(concat!("sovra/", env!("CARGO_PKG_VERSION")));
            for cert in extra_roots()? {
                builder = builder.add_root_certificate(cert);
            }
            Some(
                builder
                    .build()
                    .map_err(|e| format!("cannot build the HTTP client: {e}"))?,
            )
        };
        Ok(Http {
            cfg,
            client,
            cache,
            offline,
            now,
            next_slot: Mutex::new(HashMap::new()),
            memo: Mutex::new(HashMap::new()),
            limited: Mutex::new(std::collections::BTreeMap::new()),
            notices: Mutex::new(Vec::new()),
        })
    }

    /// Fetches `req` once per run: a fresh cache entry wins; offline, any cache entry
    /// does; otherwise the network.
    pub(crate) fn fetch(&self, req: &Request) -> Result<Response, FetchError> {
        let key = req.cache_key();
        let memo = match self.memo.lock() {
            Ok(mut m) => Arc::clone(m.entry(key.clone()).or_default()),
            Err(_) => return self.fetch_once(req, key),
        };
        memo.get_or_init(|| self.fetch_once(req, key)).clone()
    }

    fn fetch_once(&self, req: &Request, key: String) -> Result<Response, FetchError> {
        if let Some(cache) = &self.cache {
            match cache.get(req.source, &key) {
                Lookup::Hit(e) => {
                    let fresh = self.offline || cache.is_fresh(&e, self.now);
                    if fresh {
                        return Ok(Response {
                            status: e.status,
                            body: e.body,
                            url: e.url,
                            retrieved: e.retrieved,
                        });
                    }
                }
                Lookup::Miss => {}
                Lookup::Corrupt(notice) => self.note(notice),
            }
        }
        let Some(client) = &self.client else {
            return Err(FetchError::NotCached {
                url: redact(&req.url),
            });
        };
        let host = host_of(&req.url);
        let why = self.limited.lock().ok().and_then(|l| l.get(&host).copied());
        if let Some(why) = why {
            return Err(FetchError::HostLimited {
                url: redact(&req.url),
                host,
                why,
            });
        }
        let mut attempts = 0;
        loop {
            attempts += 1;
            self.wait_for_host(&host);
            match self.attempt(client, req, attempts) {
                Attempt::Done(resp) => {
                    if let Some(cache) = &self.cache {
                        let entry = Entry {
                            key: key.clone(),
                            url: resp.url.clone(),
                            status: resp.status,
                            retrieved: resp.retrieved,
                            body: resp.body.clone(),
                        };
                        if let Err(e) = cache.put(req.source, &entry) {
                            self.note(e);
                        }
                    }
                    return Ok(resp);
                }
                Attempt::Fail(e) => {
                    if let FetchError::RetryAfterTooLong { .. } = e
                        && let Ok(mut l) = self.limited.lock()
                    {
                        l.insert(host, "rate-limited this run");
                    }
                    return Err(e);
                }
                Attempt::Retry {
                    error,
                    wait,
                    unreachable,
                } => {
                    if attempts > self.cfg.retries {
                        if unreachable && let Ok(mut l) = self.limited.lock() {
                            l.insert(host, "was unreachable");
                        }
                        return Err(error);
                    }
                    let backoff = self.cfg.backoff * 2u32.saturating_pow(attempts - 1);
                    std::thread::sleep(wait.max(backoff));
                }
            }
        }
    }

    fn note(&self, message: String) {
        if let Ok(mut n) = self.notices.lock() {
            n.push(message);
        }
    }

    /// Sleeps until this host may be asked again, and reserves the next slot.
    fn wait_for_host(&self, host: &str) {
        let host = host.to_owned();
        let wait = {
            let Ok(mut slots) = self.next_slot.lock() else {
                return;
            };
            let now = Instant::now();
            let slot = slots.entry(host).or_insert(now);
            let start = (*slot).max(now);
            *slot = start + self.cfg.host_interval;
            start - now
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }

    fn attempt(&self, client: &reqwest::blocking::Client, req: &Request, n: u32) -> Attempt {
        let url = redact(&req.url);
        let deadline = Instant::now() + self.cfg.timeout;
        let transport = |e: &dyn std::fmt::Display| FetchError::Transport {
            url: url.clone(),
            message: e.to_string(),
            attempts: n,
        };
        let timed_out = || Attempt::Retry {
            error: transport(&"timed out"),
            wait: Duration::ZERO,
            unreachable: false,
        };
        let origin = origin_of(&req.url);
        let mut target = req.url.clone();
        let mut body = req.body.clone();
        let mut hops = 0;
        let resp = loop {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return timed_out();
            };
            let mut builder = match &body {
                Some(b) => client
                    .post(&target)
                    .header("content-type", "application/json")
                    .body(b.clone()),
                None => client.get(&target),
            };
            builder = builder.timeout(left);
            if req.json {
                builder = builder.header("accept", "application/json");
            }
            // Credentials go to the origin the request was made for, never to another
            // one a redirect names.
            if origin.is_some() && origin_of(&target) == origin {
                for (k, v) in &req.headers {
                    builder = builder.header(*k, v);
                }
            }
            let resp = match builder.send() {
                Ok(r) => r,
                Err(e) => {
                    let unreachable = e.is_connect() && !e.is_timeout();
                    let msg = if e.is_timeout() {
                        "timed out".to_owned()
                    } else {
                        error_chain(&e.without_url())
                    };
                    return Attempt::Retry {
                        error: transport(&msg),
                        wait: Duration::ZERO,
                        unreachable,
                    };
                }
            };
            let status = resp.status().as_u16();
            if !matches!(status, 301 | 302 | 303 | 307 | 308) {
                break resp;
            }
            hops += 1;
            let next = resp
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .and_then(|l| resp.url().join(l).ok())
                .filter(|u| matches!(u.scheme(), "http" | "https"));
            let Some(next) = next else {
                return Attempt::Fail(FetchError::Status {
                    url,
                    status,
                    attempts: n,
                });
            };
            if hops > MAX_REDIRECTS {
                return Attempt::Fail(transport(&format!("more than {MAX_REDIRECTS} redirects")));
            }
            if status == 303 || (matches!(status, 301 | 302) && body.is_some()) {
                body = None;
            }
            target = next.to_string();
        };
        let status = resp.status().as_u16();
        // GitHub signals an exhausted quota with 403 and `x-ratelimit-remaining: 0`,
        // `x-ratelimit-reset` saying when (epoch seconds).
        if status == 403
            && resp
                .headers()
                .get("x-ratelimit-remaining")
                .is_some_and(|v| v.as_bytes() == b"0")
        {
            let reset = resp
                .headers()
                .get("x-ratelimit-reset")
                .and_then(|v| v.to_str().ok()?.parse::<i64>().ok())
                .map_or(0, |t| t.saturating_sub(self.now_wall().as_second()));
            return Attempt::Fail(FetchError::RetryAfterTooLong {
                url,
                seconds: u64::try_from(reset).unwrap_or(0),
            });
        }
        if status == 429 || (500..600).contains(&status) {
            let wait = retry_after(resp.headers().get("retry-after"), self.now_wall());
            if let Some(w) = wait
                && w > self.cfg.max_retry_after
            {
                return Attempt::Fail(FetchError::RetryAfterTooLong {
                    url,
                    seconds: w.as_secs(),
                });
            }
            return Attempt::Retry {
                error: FetchError::Status {
                    url,
                    status,
                    attempts: n,
                },
                wait: wait.unwrap_or(Duration::ZERO),
                unreachable: false,
            };
        }
        // 404 and 410 are answers ("no such package"), cached like any other; other
        // client errors fail the lookup without retrying.
        if !(200..300).contains(&status) && status != 404 && status != 410 {
            return Attempt::Fail(FetchError::Status {
                url,
                status,
                attempts: n,
            });
        }
        let limit = self.cfg.max_body;
        if resp.content_length().is_some_and(|l| l > limit) {
            return Attempt::Fail(FetchError::TooLarge { url, limit });
        }
        let mut bytes = Vec::new();
        let mut resp = resp.take(limit + 1);
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            // Each read is bounded by reqwest's timeout; the deadline bounds their sum,
            // so a body trickling in byte by byte ends with the timeout too.
            if Instant::now() >= deadline {
                return Attempt::Retry {
                    error: transport(&"timed out reading the body"),
                    wait: Duration::ZERO,
                    unreachable: false,
                };
            }
            match resp.read(&mut buf) {
                Ok(0) => break,
                Ok(k) => bytes.extend_from_slice(&buf[..k]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let msg = if is_timeout(&e) {
                        "timed out reading the body".to_owned()
                    } else {
                        format!("incomplete body: {}", io_chain(&e))
                    };
                    return Attempt::Retry {
                        error: transport(&msg),
                        wait: Duration::ZERO,
                        unreachable: false,
                    };
                }
            }
        }
        if bytes.len() as u64 > limit {
            return Attempt::Fail(FetchError::TooLarge { url, limit });
        }
        let text = match req.extract {
            Some(extract) if status < 300 => extract(&bytes),
            _ => String::from_utf8(bytes).map_err(|_| "not UTF-8".to_owned()),
        };
        let body = match text {
            Ok(s) => s,
            Err(message) => return Attempt::Fail(FetchError::Malformed { url, message }),
        };
        if req.json
            && status < 300
            && let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&body)
        {
            return Attempt::Fail(FetchError::Malformed {
                url,
                message: e.to_string(),
            });
        }
        Attempt::Done(Response {
            status,
            body,
            url,
            retrieved: Timestamp::now(),
        })
    }

    fn now_wall(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// Certificates of the PEM bundle named by `SSL_CERT_FILE`, trusted besides the
/// built-in roots (a competence centre's TLS-inspecting proxy or internal mirror).
fn extra_roots() -> Result<Vec<reqwest::Certificate>, String> {
    let Some(path) = std::env::var_os("SSL_CERT_FILE").filter(|p| !p.is_empty()) else {
        return Ok(Vec::new());
    };
    let pem = std::fs::read(&path).map_err(|e| {
        format!(
            "cannot read `SSL_CERT_FILE` `{}`: {e}",
            std::path::Path::new(&path).display()
        )
    })?;
    reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
        format!(
            "`SSL_CERT_FILE` `{}` is not a PEM bundle: {e}",
            std::path::Path::new(&path).display()
        )
    })
}

/// Redirects followed within one attempt.
const MAX_REDIRECTS: u32 = 10;

/// `url` with any user name and password replaced by `***`: the form of a URL that may
/// be kept (facts file, cache entry) or shown (messages). A string that is not a URL is
/// returned as it is.
pub(crate) fn redact(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_password(None);
            let _ = u.set_username("***");
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Scheme, host and port (explicit or the scheme's default) of a URL.
pub(crate) fn origin_of(url: &str) -> Option<(String, String, u16)> {
    let u = reqwest::Url::parse(url).ok()?;
    Some((
        u.scheme().to_owned(),
        u.host_str()?.to_ascii_lowercase(),
        u.port_or_known_default()?,
    ))
}

/// `host:port` of a URL (port only when written).
fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_owned(),
            })
        })
        .unwrap_or_default()
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(value: Option<&reqwest::header::HeaderValue>, now: Timestamp) -> Option<Duration> {
    let v = value?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(v)
        .ok()?;
    let secs = at.as_second().saturating_sub(now.as_second());
    Some(Duration::from_secs(u64::try_from(secs).unwrap_or(0)))
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

fn io_chain(e: &std::io::Error) -> String {
    error_chain(e)
}

fn is_timeout(e: &std::io::Error) -> bool {
    if e.kind() == std::io::ErrorKind::TimedOut {
        return true;
    }
    let mut src: Option<&(dyn std::error::Error + 'static)> = e.get_ref().map(|r| r as _);
    while let Some(s) = src {
        if let Some(re) = s.downcast_ref::<reqwest::Error>()
            && re.is_timeout()
        {
            return true;
        }
        src = s.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now: Timestamp = "2024-01-10T10:34:40Z".parse().unwrap();
        let h = |s: &str| reqwest::header::HeaderValue::from_str(s).unwrap();
        assert_eq!(
            retry_after(Some(&h("3")), now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            retry_after(Some(&h("Wed, 10 Jan 2024 10:34:45 GMT")), now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(retry_after(Some(&h("soon")), now), None);
        assert_eq!(retry_after(None, now), None);
    }
}
