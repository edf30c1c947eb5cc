//! Enrichment against a real HTTP server on 127.0.0.1 started by each test: recorded
//! registry, OSV and forge responses (`tests/fixtures/enrich/`), and faults (500, 429
//! with `Retry-After`, a hang past the timeout, truncated and malformed JSON, a 50 MB
//! body). Plus the opt-in live check (`SOVRA_LIVE=1`). Here through the command line;
//! the enrichment's internals are tested in `src/enrich/net_tests.rs`.

#![allow(clippy::unwrap_used)] // test scaffolding: a failed setup is a failed test

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support;

// ---------------------------------------------------------------------------------------
// The loopback server.

/// A request as the server saw it.
#[derive(Debug, Clone)]
#[allow(dead_code)] // the same loopback server as the unit tests; not all of it is used here
struct Req {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

#[allow(dead_code)]
impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
#[allow(dead_code)]
enum Reply {
    /// Status, extra headers, body (sent with its `Content-Length`).
    Send(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Accepts the request and says nothing for this long.
    Hang(Duration),
    /// Announces `declared` bytes, sends `body`, closes.
    Truncated { declared: usize, body: Vec<u8> },
    /// Streams this many bytes with no `Content-Length`, then closes.
    Stream(usize),
}

fn json(status: u16, body: impl Into<Vec<u8>>) -> Reply {
    Reply::Send(status, Vec::new(), body.into())
}

type Handler = dyn Fn(&Req) -> Reply + Send + Sync;

struct Server {
    base: String,
    log: Arc<Mutex<Vec<Req>>>,
}

impl Server {
    fn start(handler: impl Fn(&Req) -> Reply + Send + Sync + 'static) -> Server {
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

    fn hits(&self, path_prefix: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path.starts_with(path_prefix))
            .count()
    }

    #[allow(dead_code)]
    fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Req>>) {
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
    };
    let _ = out.flush();
}

// ---------------------------------------------------------------------------------------
// Helpers.

fn fixture(rel: &str) -> PathBuf {
    support::root().join("tests/fixtures/enrich").join(rel)
}

fn read_fixture(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).unwrap()
}

/// The recorded npm package documents, by name.
fn npm_recordings() -> BTreeMap<String, serde_json::Value> {
    let gz = read_fixture("npm/terminvergabe.json.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn npm_name(path: &str) -> String {
    percent_encoding::percent_decode_str(path.trim_start_matches('/'))
        .decode_utf8()
        .unwrap()
        .into_owned()
}

/// Every file under `dir` (recursively) parses as JSON; returns how many there are.
/// A facts file as `sovra enrich` wrote it: accepted by sovra's strict reader, then
/// read as JSON (`docs/facts-json.md`).
fn read_facts(path: &Path) -> serde_json::Value {
    let bytes = std::fs::read(path).unwrap();
    sovra::assess::parse_facts(path, &bytes).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn cache_files(dir: &Path) -> usize {
    let mut n = 0;
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            n += cache_files(&p);
        } else {
            let text = std::fs::read_to_string(&p).unwrap();
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("cache entry {} is corrupt: {e}", p.display()));
            n += 1;
        }
    }
    n
}

// ---------------------------------------------------------------------------------------
// Tests.

#[test]
fn cli_rejects_bad_enrich_flags() {
    let out = support::sovra(&[
        "enrich",
        "x.json",
        "--sources",
        "npm,cocoapods",
        "--no-cache",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown source `cocoapods`"), "{err}");
    let out = support::sovra(&["enrich", "x.json", "--base-url", "npm", "--no-cache"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected NAME=URL"));
}

/// Runs `sovra` with extra environment variables.
fn sovra_env(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sovra"));
    cmd.args(args)
        .current_dir(support::root())
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// Copies `lockfile` to `to` with every `license` field removed.
fn strip_licences(lockfile: &Path, to: &Path) {
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(lockfile).unwrap()).unwrap();
    for entry in doc["packages"].as_object_mut().unwrap().values_mut() {
        entry.as_object_mut().unwrap().remove("license");
    }
    std::fs::write(to, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
}

#[test]
fn cli_enrich_then_check_with_facts_needs_no_network_and_is_reproducible() {
    let Some(dir) = support::corpus("npm/Aitema-gmbh__terminvergabe") else {
        eprintln!("corpus absent: skipping");
        return;
    };
    let docs = Arc::new(npm_recordings());
    let served = Arc::clone(&docs);
    let server = Server::start(move |req| match served.get(&npm_name(&req.path)) {
        Some(doc) => json(200, doc.to_string()),
        None => json(404, r#"{"error":"Not found"}"#),
    });
    let tmp = tempfile::tempdir().unwrap();
    let (backend, frontend) = (
        tmp.path().join("backend.json"),
        tmp.path().join("frontend.json"),
    );
    strip_licences(&dir.join("backend/package-lock.json"), &backend);
    strip_licences(
        &dir.join("frontend-mitarbeiter/package-lock.json"),
        &frontend,
    );
    let facts = tmp.path().join("facts.json");
    let cache = tmp.path().join("cache");
    let s = |p: &Path| p.to_str().unwrap().to_owned();
    let (b, f, fa, ca) = (s(&backend), s(&frontend), s(&facts), s(&cache));
    let out = sovra_env(
        &[
            "enrich",
            &b,
            &f,
            "--sources",
            "npm",
            "--cache-dir",
            &ca,
            "-o",
            &fa,
            "--now",
            "2026-11-01T00:00:00Z",
        ],
        &[("SOVRA_NPM_URL", &server.base)],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    // Every locked name@version has a recorded licence: 507 of them.
    assert!(err.contains("(507 licences)"), "{err}");
    let pinned = read_facts(&facts);
    let packages = pinned["packages"].as_object().unwrap();
    let licences = packages
        .values()
        .filter(|p| p.get("license").is_some())
        .count();
    assert_eq!(licences, 507);
    assert!(packages.values().all(|p| {
        let l = &p["license"];
        l["url"]
            .as_str()
            .is_some_and(|u| u.starts_with(&server.base))
            && l["retrieved"].as_str().is_some_and(|r| !r.is_empty())
    }));

    // Without facts the stripped lockfiles have no licences; with them, every
    // dependency's licence is back and no network is asked.
    let check = |with_facts: bool| {
        let mut args = vec![
            "check",
            &b,
            &f,
            "--format",
            "json",
            "--no-project-policy",
            "--date",
            "2026-11-22",
        ];
        if with_facts {
            args.extend(["--facts", &fa]);
        }
        sovra_env(&args, &[("SOVRA_NPM_URL", "http://127.0.0.1:9")])
    };
    let no_licence = |o: &std::process::Output| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| {
                f["message"]
                    .as_str()
                    .unwrap()
                    .ends_with("states no licence")
            })
            .count()
    };
    let before = check(false);
    let hits = server.hits("/");
    let after = check(true);
    let again = check(true);
    assert_eq!(server.hits("/"), hits, "check --facts asked the network");
    assert!(no_licence(&before) >= 400, "{}", no_licence(&before));
    // Only the two projects' own roots (not on the registry) still state none.
    assert_eq!(no_licence(&after), 2);
    assert_eq!(after.stdout, again.stdout, "same facts, same bytes");
}

/// Each rule over its fixture (`tests/fixtures/rules/<ID>/fire/`): it fires on the
/// unhealthy packages and stays quiet on `fine@1.0.0`, whose facts are all good.
#[test]
fn rules_fire_and_stay_quiet_with_a_facts_file() {
    for (id, status) in [("GOV001", 0), ("GOV002", 0), ("SUP005", 1)] {
        let dir = format!("tests/fixtures/rules/{id}/fire");
        let out = support::sovra(&[
            "check",
            &format!("{dir}/package-lock.json"),
            "--facts",
            &format!("{dir}/facts.json"),
            "--select",
            id,
            "--date",
            "2026-11-22",
            "--no-project-policy",
        ]);
        assert_eq!(out.status.code(), Some(status), "{id}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(&format!("[{id}]")), "{id} fires:\n{text}");
        assert!(
            !text.contains("`fine@1.0.0`"),
            "a healthy package stays quiet"
        );
        insta::assert_snapshot!(format!("enrich-{id}"), text);
    }

    let out = support::sovra(&[
        "check",
        "tests/fixtures/rules/SUP005/fire/package-lock.json",
        "--date",
        "2026-11-22",
        "--no-project-policy",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let not_assessed: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["message"].as_str().unwrap().ends_with("no facts file"))
        .map(|f| (f["rule"].as_str().unwrap(), f["level"].as_str().unwrap()))
        .collect();
    assert_eq!(
        not_assessed,
        [("GOV001", "warn"), ("GOV002", "warn"), ("SUP005", "warn")],
        "without facts nothing passes silently"
    );
}

#[test]
fn an_interrupted_enrichment_leaves_a_consistent_cache_and_no_facts_file() {
    let Some(dir) = support::corpus("npm/Aitema-gmbh__terminvergabe") else {
        eprintln!("corpus absent: skipping");
        return;
    };
    let docs = Arc::new(npm_recordings());
    let served = Arc::clone(&docs);
    // Answers slowly, so that the process is killed mid-run.
    let server = Server::start(move |req| {
        std::thread::sleep(Duration::from_millis(20));
        match served.get(&npm_name(&req.path)) {
            Some(doc) => json(200, doc.to_string()),
            None => json(404, "{}"),
        }
    });
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let facts = tmp.path().join("facts.json");
    let lock = dir.join("backend/package-lock.json");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sovra"))
        .args([
            "enrich",
            lock.to_str().unwrap(),
            "--sources",
            "npm",
            "--jobs",
            "2",
        ])
        .arg("--cache-dir")
        .arg(&cache)
        .arg("-o")
        .arg(&facts)
        .env("SOVRA_NPM_URL", &server.base)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.hits("/") < 20 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!facts.exists(), "no half-written facts file");
    let entries = cache_files(&cache);
    assert!(entries > 0 && entries < docs.len(), "{entries} entries");
    // A rerun completes from where the cache stands.
    let out = sovra_env(
        &[
            "enrich",
            lock.to_str().unwrap(),
            "--sources",
            "npm",
            "--cache-dir",
            cache.to_str().unwrap(),
            "-o",
            facts.to_str().unwrap(),
        ],
        &[("SOVRA_NPM_URL", &server.base)],
    );
    assert_eq!(out.status.code(), Some(0));
    let bytes = std::fs::read(&facts).unwrap();
    assert!(sovra::assess::parse_facts(&facts, &bytes).is_ok());
}

#[test]
fn score_with_facts_assesses_continuity() {
    let continuity = |with_facts: bool| {
        let mut args = vec![
            "score",
            "tests/fixtures/rules/GOV002/fire/package-lock.json",
            "--date",
            "2026-11-22",
            "--format",
            "json",
        ];
        if with_facts {
            args.extend(["--facts", "tests/fixtures/rules/GOV002/fire/facts.json"]);
        }
        let out = support::sovra(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["candidates"][0]["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == "continuity-community")
            .cloned()
            .unwrap()
    };
    assert_eq!(
        continuity(false)["assessed"],
        false,
        "no facts, not assessed"
    );
    let d = continuity(true);
    assert_eq!(d["assessed"], true);
    let notes: Vec<&str> = d["contributors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["note"].as_str().unwrap())
        .collect();
    assert!(
        notes.contains(&"forge evidence (github.com/example/fine @ 2026-11-01)"),
        "{notes:?}"
    );
}

#[test]
fn a_candidate_directory_is_enriched_with_its_components_repositories() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let facts = tmp.path().join("facts.json");
    // Offline with an empty cache: nothing is fetched, every lookup is a notice, and
    // the run still ends with a (sparse) facts file.
    let out = support::sovra(&[
        "enrich",
        "samples/opendesk",
        "--offline",
        "--cache-dir",
        cache.to_str().unwrap(),
        "-o",
        facts.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("notice: github `github.com/cryptpad/cryptpad`: "),
        "component repositories are asked about:\n{err}"
    );
    assert!(err.contains("offline and not in the cache"), "{err}");
    let f = read_facts(&facts);
    assert!(f["packages"].as_object().is_none_or(|p| p.is_empty()));
}
