//! `sovra serve` through the binary: a real server on a free loopback port, spoken to
//! over HTTP. Authentication and CSRF, uploads from the happy path to hostile
//! archives, and what a kill or a SIGTERM leaves behind.
//!
//! Every test runs on SQLite; with `SOVRA_TEST_POSTGRES` set to a PostgreSQL URL the
//! tests marked so run there too (each in a schema of its own).
#![allow(clippy::unwrap_used)] // test scaffolding: a failed setup is a failed test

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::root;

/// A running server and its database.
pub(crate) struct Server {
    child: Child,
    /// Every line the server wrote to stderr so far.
    pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    pub addr: String,
    pub db: String,
    _dir: Option<tempfile::TempDir>,
    pub work: PathBuf,
}

/// A database for one test: a SQLite file in `dir`.
fn sqlite_db(dir: &Path) -> String {
    dir.join("catalogue.db").display().to_string()
}

impl Server {
    /// Starts `sovra serve` on a new SQLite catalogue with `extra` flags.
    pub(crate) fn start(extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite_db(dir.path());
        let work = dir.path().join("work");
        let mut s = Server::start_on(&db, &work, extra);
        s._dir = Some(dir);
        s
    }

    /// Starts `sovra serve` on `db`.
    pub(crate) fn start_on(db: &str, work: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sovra"))
            .args([
                "serve",
                "--db",
                db,
                "--listen",
                "127.0.0.1:0",
                "--insecure-cookies",
            ])
            .arg("--work-dir")
            .arg(work)
            .args(extra)
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sovra serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let lines = std::sync::Arc::clone(&log);
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if !sent && let Some(a) = line.strip_prefix("sovra serve: listening on http://") {
                    let _ = tx.send(a.to_owned());
                    sent = true;
                }
                lines.lock().unwrap().push(line);
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server names its address");
        Server {
            child,
            log,
            addr,
            db: db.to_owned(),
            _dir: None,
            work: work.to_path_buf(),
        }
    }

    /// Sends SIGTERM and waits for the exit status.
    pub(crate) fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let started = Instant::now();
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no exit after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kills the server at once (SIGKILL).
    pub(crate) fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A user or token created through the CLI.
pub(crate) fn add_user(db: &str, name: &str, role: &str, password: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_sovra"))
        .args(["serve", "user", "add", name, "--role", role, "--db", db])
        .env("SOVRA_PASSWORD", password)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub(crate) fn add_token(db: &str, name: &str, role: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sovra"))
        .args(["serve", "token", "add", name, "--role", role, "--db", db])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// One HTTP/1.1 answer.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The value of a cookie this answer sets.
    pub(crate) fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| v.split(';').next()?.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    }
}

/// Sends one request over a new connection (`Connection: close`) and reads the answer.
pub(crate) fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // A server may answer (413, 401) before reading the whole body.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse_answer(&raw)
}

fn parse_answer(raw: &[u8]) -> Answer {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP answer: {}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let rest = &raw[split + 4..];
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    Answer {
        status,
        headers,
        body,
    }
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&rest[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&rest[end + 2..end + 2 + size]);
        rest = &rest[end + 2 + size + 2..];
    }
    out
}

pub(crate) fn get(addr: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
    request(addr, "GET", path, headers, b"")
}

/// A multipart/form-data body of `fields` (name, value) and `files` (field, file
/// name, bytes), and its content type.
pub(crate) fn multipart(
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> (String, Vec<u8>) {
    let boundary = "sovra-test-boundary-7d3f1a";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (field, name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A directory as a .tar.gz, paths relative to its parent (so the archive holds one
/// top-level directory, as `tar czf x.tar.gz dir` makes it).
pub(crate) fn tar_gz(dir: &Path) -> Vec<u8> {
    let out = Command::new("tar")
        .arg("czf")
        .arg("-")
        .arg("-C")
        .arg(dir.parent().unwrap())
        .arg(dir.file_name().unwrap())
        .output()
        .expect("tar");
    assert!(out.status.success());
    out.stdout
}

/// Uploads through the API with a token; the answer.
pub(crate) fn upload(addr: &str, token: &str, files: &[(&str, &str, &[u8])]) -> Answer {
    let (ct, body) = multipart(&[], files);
    let auth = format!("Bearer {token}");
    request(
        addr,
        "POST",
        "/api/v1/assessments",
        &[("Content-Type", &ct), ("Authorization", &auth)],
        &body,
    )
}

/// Polls a job until it is done or failed.
pub(crate) fn wait_job(addr: &str, id: &str, within: Duration) -> serde_json::Value {
    let started = Instant::now();
    loop {
        let j = get(addr, &format!("/api/v1/jobs/{id}"), &[]).json();
        if j["state"] == "done" || j["state"] == "failed" {
            return j;
        }
        assert!(started.elapsed() < within, "job {id} still {j}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn every_answer_carries_the_security_headers() {
    let s = Server::start(&["--workers", "0"]);
    for path in [
        "/",
        "/api/v1/openapi.json",
        "/api/v1/nothing",
        "/login",
        "/static/site.css",
    ] {
        let a = get(&s.addr, path, &[]);
        let csp = a
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert_eq!(
            a.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(a.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(a.header("referrer-policy"), Some("no-referrer"), "{path}");
    }
    // Unknown API paths and bad parameters answer problem objects, not text or a 5xx.
    let a = get(&s.addr, "/api/v1/nothing", &[]);
    assert_eq!(a.status, 404);
    assert_eq!(a.header("content-type"), Some("application/problem+json"));
    assert_eq!(a.json()["status"], 404);
    let a = get(&s.addr, "/api/v1/candidates?score_min=lots", &[]);
    assert_eq!(a.status, 400);
    assert!(
        a.json()["detail"].as_str().unwrap().contains("`score_min`"),
        "{}",
        a.text()
    );
    let a = request(&s.addr, "PUT", "/api/v1/candidates", &[], b"");
    assert_eq!(a.status, 405);
    assert_eq!(a.header("content-type"), Some("application/problem+json"));
}

#[test]
fn writing_needs_a_writer_and_reading_can_need_a_login() {
    let s = Server::start(&["--workers", "0", "--read-access", "login"]);
    let reader = add_token(&s.db, "ci-reader", "reader");
    let assessor = add_token(&s.db, "ci-assessor", "assessor");
    let file: &[(&str, &str, &[u8])] = &[("files", "bom.json", b"{}")];

    // Reading behind a login: 401 without credentials, 200 with any role.
    let a = get(&s.addr, "/api/v1/functions", &[]);
    assert_eq!(a.status, 401);
    assert_eq!(a.header("www-authenticate"), Some("Bearer realm=\"sovra\""));
    let auth = format!("Bearer {reader}");
    assert_eq!(
        get(&s.addr, "/api/v1/functions", &[("Authorization", &auth)]).status,
        200
    );
    let page = get(&s.addr, "/", &[]);
    assert_eq!(page.status, 303);
    assert!(page.header("location").unwrap().starts_with("/login?next="));

    // Uploads: 401 without, and with a bad token; 403 for a reader; 202 for an assessor.
    let (ct, body) = multipart(&[], file);
    let a = request(
        &s.addr,
        "POST",
        "/api/v1/assessments",
        &[("Content-Type", &ct)],
        &body,
    );
    assert_eq!(a.status, 401, "{}", a.text());
    assert_eq!(upload(&s.addr, "not-a-token", file).status, 401);
    let a = upload(&s.addr, &reader, file);
    assert_eq!(a.status, 403, "{}", a.text());
    assert!(a.json()["detail"].as_str().unwrap().contains("`reader`"));
    let a = upload(&s.addr, &assessor, file);
    assert_eq!(a.status, 202, "{}", a.text());
    let job = a.json();
    assert_eq!(job["state"], "queued");
    assert_eq!(
        a.header("location").unwrap(),
        format!("/api/v1/jobs/{}", job["id"].as_str().unwrap())
    );
}

#[test]
fn sessions_need_their_csrf_token() {
    let s = Server::start(&["--workers", "0"]);
    add_user(&s.db, "anna", "assessor", "correct horse battery");
    add_user(&s.db, "rita", "reader", "correct horse battery");

    // The login form sets the pre-login CSRF cookie; a login without it is refused.
    let form = get(&s.addr, "/login", &[]);
    assert_eq!(form.status, 200);
    let pre = form.cookie("sovra_csrf").expect("a CSRF cookie");
    let set = form
        .headers
        .iter()
        .find(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("sovra_csrf"))
        .unwrap();
    assert!(
        set.1.contains("HttpOnly") && set.1.contains("SameSite=Strict"),
        "{}",
        set.1
    );
    assert!(
        form.text()
            .contains(&format!("name=\"csrf\" value=\"{pre}\""))
    );
    let login = |name: &str, pw: &str, cookie: &str, csrf: &str| {
        let body = format!(
            "name={name}&password={}&csrf={csrf}&next=%2Fupload",
            pw.replace(' ', "+")
        );
        request(
            &s.addr,
            "POST",
            "/login",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", cookie),
            ],
            body.as_bytes(),
        )
    };
    let cookie = format!("sovra_csrf={pre}");
    assert_eq!(
        login("anna", "correct horse battery", "", &pre).status,
        403,
        "no cookie"
    );
    assert_eq!(
        login("anna", "correct horse battery", &cookie, "0000").status,
        403,
        "wrong token"
    );
    assert_eq!(login("anna", "wrong password!", &cookie, &pre).status, 401);
    let ok = login("anna", "correct horse battery", &cookie, &pre);
    assert_eq!(ok.status, 303, "{}", ok.text());
    assert!(ok.header("location").unwrap().starts_with("/upload"));
    let session = ok.cookie("sovra_session").expect("a session cookie");
    let set = ok
        .headers
        .iter()
        .find(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("sovra_session"))
        .unwrap();
    assert!(
        set.1.contains("HttpOnly") && set.1.contains("SameSite=Strict"),
        "{}",
        set.1
    );

    // The upload page carries the session's own CSRF token; posting without it fails.
    let cookie = format!("sovra_session={session}");
    let page = get(&s.addr, "/upload", &[("Cookie", &cookie)]);
    assert_eq!(page.status, 200);
    let text = page.text();
    let csrf = text
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert_ne!(csrf, pre);
    let file: &[(&str, &str, &[u8])] = &[("files", "bom.json", b"{}")];
    let post = |fields: &[(&str, &str)]| {
        let (ct, body) = multipart(fields, file);
        request(
            &s.addr,
            "POST",
            "/upload",
            &[("Content-Type", &ct), ("Cookie", &cookie)],
            &body,
        )
    };
    assert_eq!(post(&[]).status, 403);
    assert_eq!(post(&[("csrf", &pre)]).status, 403);
    let done = post(&[("csrf", &csrf)]);
    assert_eq!(done.status, 303, "{}", done.text());
    assert!(done.header("location").unwrap().starts_with("/jobs/"));
    // The API takes the session too, with the token in a header.
    let (ct, body) = multipart(&[], file);
    let api = |extra: Option<(&str, &str)>| {
        let mut h = vec![("Content-Type", ct.as_str()), ("Cookie", cookie.as_str())];
        h.extend(extra);
        request(&s.addr, "POST", "/api/v1/assessments", &h, &body).status
    };
    assert_eq!(api(None), 403);
    assert_eq!(api(Some(("X-CSRF-Token", &csrf))), 202);

    // A reader signs in but may not upload.
    let ok = login(
        "rita",
        "correct horse battery",
        &format!("sovra_csrf={pre}"),
        &pre,
    );
    let rita = format!("sovra_session={}", ok.cookie("sovra_session").unwrap());
    let page = get(&s.addr, "/", &[("Cookie", &rita)]);
    assert!(!page.text().contains("id=\"nav-upload\""));
    let (ct, body) = multipart(&[], file);
    let a = request(
        &s.addr,
        "POST",
        "/api/v1/assessments",
        &[
            ("Content-Type", &ct),
            ("Cookie", &rita),
            ("X-CSRF-Token", "x"),
        ],
        &body,
    );
    assert_eq!(a.status, 403);

    // Logout ends the session.
    let text = get(&s.addr, "/", &[("Cookie", &cookie)]).text();
    let csrf = text
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let out = request(
        &s.addr,
        "POST",
        "/logout",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookie),
        ],
        format!("csrf={csrf}").as_bytes(),
    );
    assert_eq!(out.status, 303);
    assert_eq!(api(Some(("X-CSRF-Token", &csrf))), 401);
}

#[test]
fn oversized_and_hostile_uploads_are_refused() {
    let s = Server::start(&["--workers", "0", "--max-upload", "1"]);
    let token = add_token(&s.db, "ci", "assessor");
    let big = vec![b'x'; 2 << 20];
    let a = upload(&s.addr, &token, &[("files", "big.json", &big)]);
    assert_eq!(a.status, 413, "{}", a.text());
    // A tar entry climbing out of its directory: refused before it is acknowledged.
    let mut evil = tar::Header::new_old();
    evil.as_old_mut().name[..9].copy_from_slice(b"../escape");
    evil.set_size(1);
    evil.set_cksum();
    let mut bytes = evil.as_bytes().to_vec();
    bytes.push(b'x');
    bytes.resize(512 * 4, 0);
    let a = upload(&s.addr, &token, &[("files", "evil.tar", &bytes)]);
    assert_eq!(a.status, 422, "{}", a.text());
    assert!(
        a.json()["detail"].as_str().unwrap().contains("climbs out"),
        "{}",
        a.text()
    );
    assert!(!s.work.parent().unwrap().join("escape").exists());
    let a = upload(&s.addr, &token, &[]);
    assert_eq!(a.status, 400, "{}", a.text());
}

#[test]
fn sigterm_ends_the_server_cleanly() {
    let s = Server::start(&["--workers", "1"]);
    assert_eq!(get(&s.addr, "/api/v1/openapi.json", &[]).status, 200);
    let log = std::sync::Arc::clone(&s.log);
    let status = s.terminate();
    assert_eq!(status.code(), Some(0), "{status:?}");
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        log.lock()
            .unwrap()
            .iter()
            .any(|l| l == "sovra serve: stopped"),
        "{:?}",
        log.lock().unwrap()
    );
}

/// Uploads `bytes` as `name` with `token`, waits for the job to be done, and answers
/// the stored candidate (`GET /api/v1/candidates/{id}`).
fn upload_assessed(addr: &str, token: &str, name: &str, bytes: &[u8]) -> serde_json::Value {
    let a = upload(addr, token, &[("files", name, bytes)]);
    assert_eq!(a.status, 202, "{}", a.text());
    let job = wait_job(
        addr,
        a.json()["id"].as_str().unwrap(),
        Duration::from_secs(240),
    );
    assert_eq!(job["state"], "done", "{job}");
    let id = job["candidate_id"].as_i64().unwrap();
    get(addr, &format!("/api/v1/candidates/{id}"), &[]).json()
}

/// The audit log's entries of `action` in catalogue `db`, newest first.
fn audit_entries(db: &str, action: &str) -> Vec<serde_json::Value> {
    let out = crate::support::sovra(&["catalog", "audit", "--format", "json", "--db", db]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == action)
        .cloned()
        .collect()
}

/// Withdrawing a candidate needs an admin, a reason and (for a session) the CSRF
/// token; it leaves search and the functions list, keeps its history, is audited, and
/// a new assessment takes it back in.
#[test]
fn withdrawing_a_candidate_needs_an_admin_and_deletes_nothing() {
    let s = Server::start(&["--workers", "0"]);
    let assessor = add_token(&s.db, "ci-assessor", "assessor");
    let admin = add_token(&s.db, "ci-admin", "admin");
    let add = || {
        let out = crate::support::sovra(&[
            "catalog",
            "add",
            "samples/proprietary-suite",
            "--db",
            &s.db,
            "--date",
            "2026-03-01",
            "--format",
            "json",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["assessment"]["candidate_id"].as_i64().unwrap()
    };
    let id = add();
    let total = || {
        get(&s.addr, "/api/v1/candidates", &[]).json()["total"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(total(), 1, "a write by another process is found");
    // Candidates over all functions.
    let covered = || -> i64 {
        let f = get(&s.addr, "/api/v1/functions", &[]).json();
        let list = f
            .as_array()
            .or_else(|| f["functions"].as_array())
            .unwrap()
            .clone();
        list.iter().map(|x| x["candidates"].as_i64().unwrap()).sum()
    };
    assert!(covered() > 0);
    let path = format!("/api/v1/candidates/{id}?reason=end+of+support");
    let delete = |path: &str, token: Option<&str>| {
        let auth = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> =
            auth.iter().map(|a| ("Authorization", a.as_str())).collect();
        request(&s.addr, "DELETE", path, &headers, b"")
    };
    assert_eq!(delete(&path, None).status, 401);
    let a = delete(&path, Some(&assessor));
    assert_eq!(a.status, 403, "{}", a.text());
    assert!(a.json()["detail"].as_str().unwrap().contains("`admin`"));
    let a = delete(&format!("/api/v1/candidates/{id}"), Some(&admin));
    assert_eq!(a.status, 400, "a reason is required: {}", a.text());
    assert!(a.json()["detail"].as_str().unwrap().contains("`reason`"));
    assert_eq!(
        delete("/api/v1/candidates/9999?reason=x", Some(&admin)).status,
        404
    );
    assert_eq!(total(), 1, "nothing withdrawn by a refused request");

    let a = delete(&path, Some(&admin));
    assert_eq!(a.status, 200, "{}", a.text());
    let w = a.json();
    assert_eq!(
        (w["by"].as_str(), w["reason"].as_str()),
        (Some("token:ci-admin"), Some("end of support"))
    );
    assert_eq!(total(), 0, "withdrawn: not found by search");
    assert_eq!(covered(), 0, "withdrawn: under no function");
    // Again: the first withdrawal stands.
    assert_eq!(
        delete(
            &format!("/api/v1/candidates/{id}?reason=other"),
            Some(&admin)
        )
        .json()["reason"],
        "end of support"
    );
    // Nothing deleted: the candidate, its history and the page say so.
    let c = get(&s.addr, &format!("/api/v1/candidates/{id}"), &[]).json();
    assert_eq!(c["withdrawn"]["reason"], "end of support");
    assert_eq!(c["history"].as_array().unwrap().len(), 1);
    let page = get(&s.addr, &format!("/candidates/{id}?lang=de"), &[]).text();
    assert!(
        page.contains("id=\"withdrawn\"") && page.contains("zurückgezogen"),
        "{page}"
    );
    let withdrawals = audit_entries(&s.db, "withdraw");
    assert_eq!(withdrawals.len(), 1, "{withdrawals:?}");
    assert_eq!(withdrawals[0]["actor"], "token:ci-admin");

    // A new assessment takes it back in.
    assert_eq!(add(), id);
    assert_eq!(total(), 1);
    let c = get(&s.addr, &format!("/api/v1/candidates/{id}"), &[]).json();
    assert!(c["withdrawn"].is_null(), "{c}");
    assert_eq!(c["history"].as_array().unwrap().len(), 2);
}

/// An uploaded archive is the bidder's: a `sovra.toml` in it that allows the gate the
/// offer fails is named as not applied, and the verdict stays what the catalogue's
/// policy gives.
#[test]
fn a_policy_inside_an_uploaded_archive_does_not_change_the_verdict() {
    let s = Server::start(&["--workers", "1"]);
    let token = add_token(&s.db, "ci", "assessor");
    let dir = tempfile::tempdir().unwrap();
    let offer = dir.path().join("offer");
    std::fs::create_dir(&offer).unwrap();
    for e in std::fs::read_dir(root().join("samples/proprietary-suite")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), offer.join(e.file_name())).unwrap();
    }
    std::fs::write(
        offer.join("sovra.toml"),
        "[rules.CON001]\nlevel = \"allow\"\n",
    )
    .unwrap();
    let c = upload_assessed(&s.addr, &token, "offer.tar.gz", &tar_gz(&offer));
    assert_eq!(c["latest"]["verdict"], "non-compliant", "{}", c["latest"]);
    let policy = &c["latest"]["report"]["evidence"]["policy"];
    let not_applied: Vec<&str> = policy["not_applied"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        not_applied.iter().any(|p| p.ends_with("sovra.toml")),
        "the bidder's policy is named as not applied: {policy}"
    );
    let gates = c["latest"]["report"]["failed_gates"].to_string();
    assert!(gates.contains("CON001"), "{gates}");
}

/// The policy uploads are judged by is the operator's (`--policy`), named in each
/// assessment's evidence; a start with another policy is audited once; a bad policy
/// fails the start with its position.
#[test]
fn the_operator_sets_the_uploads_policy_and_a_change_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("catalogue.db").display().to_string();
    let work = dir.path().join("work");
    let policy = dir.path().join("team.toml");
    std::fs::write(
        &policy,
        "extends = \"de-public-sector\"\n\n[rules.CON001]\nlevel = \"allow\"\n",
    )
    .unwrap();
    let audited = || -> Vec<String> {
        audit_entries(&db, "serve-policy")
            .iter()
            .map(|e| e["detail"].as_str().unwrap().to_owned())
            .collect()
    };
    let p = policy.display().to_string();
    let s = Server::start_on(&db, &work, &["--workers", "1", "--policy", &p]);
    let token = add_token(&db, "ci", "assessor");
    let c = upload_assessed(&s.addr, &token, "p.tar.gz", &sample("proprietary-suite"));
    let gates = c["latest"]["report"]["failed_gates"].to_string();
    assert!(
        !gates.contains("CON001"),
        "the operator's policy allows CON001: {gates}"
    );
    assert_ne!(c["latest"]["verdict"], "non-compliant", "{}", c["latest"]);
    let evidence = c["latest"]["report"]["evidence"]["policy"].to_string();
    assert!(evidence.contains("team"), "{evidence}");
    drop(s);
    let first = audited();
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(first[0].contains("team.toml sha256:"), "{first:?}");

    // The same policy again: nothing new; an edited file or another policy: recorded.
    let s = Server::start_on(&db, &work, &["--workers", "0", "--policy", &p]);
    drop(s);
    assert_eq!(audited().len(), 1);
    std::fs::write(&policy, "extends = \"de-public-sector\"\n").unwrap();
    drop(Server::start_on(
        &db,
        &work,
        &["--workers", "0", "--policy", &p],
    ));
    drop(Server::start_on(&db, &work, &["--workers", "0"]));
    let all = audited();
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(all[0], "de-public-sector", "newest first: {all:?}");

    // A bad policy: no server, a located error, exit 2.
    std::fs::write(
        &policy,
        "extends = \"de-public-sector\"\n[rules.CON001]\nlevel = 7\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sovra"))
        .args([
            "serve",
            "--db",
            &db,
            "--listen",
            "127.0.0.1:0",
            "--policy",
            &p,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("team.toml:3"), "{err}");
}

/// The sample offers as archives, as a browser would upload them.
fn sample(name: &str) -> Vec<u8> {
    tar_gz(&root().join("samples").join(name))
}

#[test]
fn an_uploaded_offer_is_assessed_found_compared_and_downloaded() {
    let s = Server::start(&["--workers", "2"]);
    let token = add_token(&s.db, "ci", "assessor");
    let mut ids = Vec::new();
    for name in ["opendesk", "proprietary-suite"] {
        let bytes = sample(name);
        let a = upload(
            &s.addr,
            &token,
            &[("files", &format!("{name}.tar.gz"), &bytes)],
        );
        assert_eq!(a.status, 202, "{}", a.text());
        let job = wait_job(
            &s.addr,
            a.json()["id"].as_str().unwrap(),
            Duration::from_secs(240),
        );
        assert_eq!(job["state"], "done", "{job}");
        assert_eq!(job["percent"], 100);
        ids.push(job["candidate_id"].as_i64().unwrap());
    }
    // Found by function, with its latest assessment.
    let found = get(&s.addr, "/api/v1/candidates?function=office", &[]).json();
    assert_eq!(found["total"], 2, "{found}");
    let found = get(&s.addr, "/api/v1/candidates?q=openDesk", &[]).json();
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["candidates"][0]["name"], "openDesk CE");
    let c = get(&s.addr, &format!("/api/v1/candidates/{}", ids[0]), &[]).json();
    assert_eq!(c["history"].as_array().unwrap().len(), 1);
    let verdict = c["latest"]["verdict"].as_str().unwrap().to_owned();
    assert_eq!(c["latest"]["report"]["name"], "openDesk CE");
    // The same verdict as `sovra score` gives on the same directory.
    let score = crate::support::sovra(&["score", "--format", "json", "samples/opendesk"]);
    let score: serde_json::Value = serde_json::from_slice(&score.stdout).unwrap();
    assert_eq!(score["candidates"][0]["verdict"], verdict.as_str());

    // The report downloads.
    let aid = c["latest"]["id"].as_i64().unwrap();
    for (format, ct, start) in [
        (
            "fodt",
            "application/vnd.oasis.opendocument.text-flat-xml",
            "<?xml",
        ),
        ("html", "text/html; charset=utf-8", "<!DOCTYPE html>"),
        ("md", "text/markdown; charset=utf-8", "#"),
    ] {
        let r = get(
            &s.addr,
            &format!("/api/v1/assessments/{aid}/report?format={format}&lang=de"),
            &[],
        );
        assert_eq!(r.status, 200, "{format}: {}", r.text());
        assert_eq!(r.header("content-type"), Some(ct));
        assert!(
            r.header("content-disposition")
                .unwrap()
                .starts_with("attachment;")
        );
        assert!(r.text().trim_start().starts_with(start), "{format}");
    }
    // The comparison, on the API and its page.
    let cmp = get(
        &s.addr,
        &format!("/api/v1/compare?ids={},{}", ids[0], ids[1]),
        &[],
    )
    .json();
    assert_eq!(cmp["candidates"].as_array().unwrap().len(), 2);
    assert!(!cmp["comparison"]["rows"].as_array().unwrap().is_empty());
    let page = get(
        &s.addr,
        &format!("/compare?ids={}&ids={}&lang=de", ids[0], ids[1]),
        &[],
    );
    assert_eq!(page.status, 200);
    assert!(page.text().contains("id=\"comparison\""));
    // Without a choice yet, the page offers every stored candidate to choose from.
    let picker = get(&s.addr, "/compare?lang=en", &[]);
    assert_eq!(picker.status, 200);
    for id in &ids {
        assert!(
            picker.text().contains(&format!("id=\"cmp-{id}\"")),
            "candidate {id} is not offered"
        );
    }
    // Per function, and the candidate's page.
    let f = get(&s.addr, "/api/v1/functions/office", &[]).json();
    assert_eq!(f["alternatives"].as_array().unwrap().len(), 2, "{f}");
    // A new upload of the same offer is a new version; the history shows both.
    let bytes = sample("opendesk");
    let a = upload(&s.addr, &token, &[("files", "opendesk.tar.gz", &bytes)]);
    wait_job(
        &s.addr,
        a.json()["id"].as_str().unwrap(),
        Duration::from_secs(240),
    );
    let c = get(&s.addr, &format!("/api/v1/candidates/{}", ids[0]), &[]).json();
    assert_eq!(c["history"].as_array().unwrap().len(), 2, "{c}");
    assert_eq!(c["history"][0]["version"], 2);
}

#[test]
fn a_killed_server_loses_no_acknowledged_upload_and_stores_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_db(dir.path());
    let work = dir.path().join("work");
    let s = Server::start_on(&db, &work, &["--workers", "1", "--lease", "2"]);
    let token = add_token(&db, "ci", "assessor");
    let bytes = sample("opendesk");
    let a = upload(&s.addr, &token, &[("files", "opendesk.tar.gz", &bytes)]);
    assert_eq!(a.status, 202, "{}", a.text());
    let id = a.json()["id"].as_str().unwrap().to_owned();
    // Killed while the worker holds the job (or, on a fast machine, just after).
    let started = Instant::now();
    loop {
        let j = get(&s.addr, &format!("/api/v1/jobs/{id}"), &[]).json();
        if j["state"] != "queued" || started.elapsed() > Duration::from_secs(30) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    s.kill();
    // A half-sent upload is never acknowledged and leaves nothing behind.
    let s = Server::start_on(&db, &work, &["--workers", "1", "--lease", "2"]);
    let (ct, body) = multipart(&[], &[("files", "opendesk.tar.gz", &bytes)]);
    {
        let mut c = TcpStream::connect(&s.addr).unwrap();
        let head = format!(
            "POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        c.write_all(head.as_bytes()).unwrap();
        c.write_all(&body[..body.len() / 2]).unwrap();
        s.kill();
    }
    let s = Server::start_on(&db, &work, &["--workers", "1", "--lease", "2"]);
    let j = wait_job(&s.addr, &id, Duration::from_secs(240));
    assert_eq!(j["state"], "done", "{j}");
    let found = get(&s.addr, "/api/v1/candidates", &[]).json();
    assert_eq!(found["total"], 1, "{found}");
    let c = get(
        &s.addr,
        &format!("/api/v1/candidates/{}", j["candidate_id"]),
        &[],
    )
    .json();
    assert_eq!(
        c["history"].as_array().unwrap().len(),
        1,
        "stored once: {c}"
    );
    assert_eq!(c["latest"]["id"], j["assessment_id"]);
    assert_eq!(s.terminate().code(), Some(0));
}
