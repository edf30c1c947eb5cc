//! What the network tests share: a loopback HTTP server that records every request and
//! answers as each test says (including the faulty ways: hanging, truncated, streamed
//! without end, dripping), inventories of a few packages, and an enrichment
//! configuration that sends every source to that server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::enrich::{self, Config, Source};
use crate::model::{Ecosystem, Inventory, Package, PackageId, SourceKind};

// ---------------------------------------------------------------------------------------
// The loopback server.

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub(crate) struct Req {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Req {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
pub(crate) enum Reply {
    /// Status, extra headers, body (sent with its `Content-Length`).
    Send(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Accepts the request and says nothing for this long.
    Hang(Duration),
    /// Announces `declared` bytes, sends `body`, closes.
    Truncated { declared: usize, body: Vec<u8> },
    /// Streams this many bytes with no `Content-Length`, then closes.
    Stream(usize),
    /// Announces `len` bytes of body and sends one every `every`.
    Drip { len: usize, every: Duration },
}

pub(crate) fn json(status: u16, body: impl Into<Vec<u8>>) -> Reply {
    Reply::Send(status, Vec::new(), body.into())
}

/// A 200 answer with `body`.
pub(crate) fn ok(body: impl Into<Vec<u8>>) -> Reply {
    json(200, body)
}

pub(crate) type Handler = dyn Fn(&Req) -> Reply + Send + Sync;

pub(crate) struct Server {
    pub(crate) base: String,
    pub(crate) log: Arc<Mutex<Vec<Req>>>,
}

impl Server {
    pub(crate) fn start(handler: impl Fn(&Req) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log2 = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let handler = Arc::clone(&handler);
                let log = Arc::clone(&log2);
                std::thread::spawn(move || serve(stream, &*handler, &log));
            }
        });
        Server { base, log }
    }

    pub(crate) fn hits(&self, path_prefix: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path.starts_with(path_prefix))
            .count()
    }

    pub(crate) fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap().clone()
    }
}

pub(crate) fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Req>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let path = parts.next().unwrap_or("").to_owned();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    let req = Req {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    log.lock().unwrap().push(req.clone());
    let mut out = stream;
    let reason = |s: u16| match s {
        200 => "OK",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "Status",
    };
    let _ = match handler(&req) {
        Reply::Send(status, extra, body) => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                reason(status),
                body.len()
            );
            for (k, v) in extra {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            out.write_all(head.as_bytes())
                .and_then(|()| out.write_all(&body))
        }
        Reply::Hang(d) => {
            std::thread::sleep(d);
            Ok(())
        }
        Reply::Truncated { declared, body } => out
            .write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
                )
                .as_bytes(),
            )
            .and_then(|()| out.write_all(&body)),
        Reply::Stream(n) => {
            let chunk = vec![b' '; 64 * 1024];
            let mut r = out.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"x\":\"");
            let mut sent = 0;
            while r.is_ok() && sent < n {
                r = out.write_all(&chunk);
                sent += chunk.len();
            }
            r
        }
        Reply::Drip { len, every } => {
            let head =
                format!("HTTP/1.1 200 OK\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n");
            let mut r = out.write_all(head.as_bytes());
            for _ in 0..len {
                if r.is_err() {
                    break;
                }
                std::thread::sleep(every);
                r = out.write_all(b" ").and_then(|()| out.flush());
            }
            r
        }
    };
    let _ = out.flush();
}

// ---------------------------------------------------------------------------------------
// Inputs and configuration.

pub(crate) fn pkg(eco: Ecosystem, name: &str, version: &str) -> Package {
    Package {
        id: PackageId::synthetic(&eco, name, Some(version)),
        name: name.into(),
        version: Some(version.into()),
        ecosystem: eco,
        source: SourceKind::DefaultRegistry,
        ..Package::default()
    }
}

pub(crate) fn inventory(pkgs: impl IntoIterator<Item = Package>) -> Inventory {
    let mut inv = Inventory::new();
    for p in pkgs {
        inv.add_package(p);
    }
    inv
}

/// A configuration that asks only `sources`, all at `base`, with short timeouts.
pub(crate) fn config(base: &str, sources: &[Source], cache: &Path) -> Config {
    let mut cfg = Config::from_env();
    cfg.sources = sources.iter().copied().collect();
    for (name, _) in enrich::BASE_URLS {
        cfg.base_urls.insert(name.to_owned(), base.to_owned());
    }
    cfg.cache_dir = Some(cache.to_owned());
    cfg.http.timeout = Duration::from_millis(1500);
    cfg.http.retries = 2;
    cfg.http.backoff = Duration::from_millis(20);
    cfg.http.host_interval = Duration::ZERO;
    cfg.github_token = None;
    cfg.gitlab_token = None;
    cfg.now = "2026-11-01T00:00:00Z".parse().unwrap();
    cfg
}
