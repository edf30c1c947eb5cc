//! The catalogue as its users meet it: `sovra serve` started on a free loopback port over
//! a fresh SQLite file, then driven by headless Chromium (`tests/e2e/*.mjs`, playwright-core
//! over Debian's chromium), by schemathesis over the served OpenAPI document, and by plain
//! HTTP for who may write.
//!
//! The browser and schemathesis are tools outside cargo: absent, their tests are skipped
//! with a note, unless `CI` is set (`.ci/run` installs both), when their absence fails.

// Helpers outside `#[test]` functions: test code all the same.
#![allow(clippy::unwrap_used, clippy::print_stderr, clippy::print_stdout)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::root;

/// The password every test user gets; long enough for any password rule.
pub(crate) const PASSWORD: &str = "correct horse battery staple 15";

/// Runs `sovra` with `args` in the repository root and returns its output.
pub(crate) fn sovra(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sovra"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run sovra")
}

/// Like [`sovra`], and fails the test unless the command succeeded; returns its stdout.
pub(crate) fn sovra_ok(args: &[&str]) -> String {
    let out = sovra(args);
    assert!(
        out.status.success(),
        "sovra {} failed ({}):\n{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}

/// Adds a user with `role` and [`PASSWORD`] (given on stdin) to the catalogue at `db`.
pub(crate) fn add_user(db: &Path, name: &str, role: &str) {
    let db = db.to_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sovra"))
        .args(["serve", "user", "add", name, "--role", role, "--db", db])
        .current_dir(root())
        .env_remove("SOVRA_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sovra serve user add");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "sovra serve user add {name} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A new API token `name` with `role`: the secret printed on stdout.
pub(crate) fn add_token(db: &Path, name: &str, role: &str) -> String {
    let db = db.to_str().unwrap();
    let out = sovra_ok(&["serve", "token", "add", name, "--role", role, "--db", db]);
    let token = out.trim().to_owned();
    assert!(
        !token.is_empty() && !token.contains(char::is_whitespace),
        "{out:?}"
    );
    token
}

/// A running `sovra serve`; killed (and reaped) when dropped.
pub(crate) struct Served {
    pub(crate) child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub(crate) base: String,
    pub(crate) addr: SocketAddr,
    pub(crate) log: PathBuf,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// What the server wrote to stderr so far, for failure messages.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// A loopback port nothing listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind a loopback port")
        .port()
}

/// Starts `sovra serve --db db` with `extra` arguments on a free loopback port and waits
/// until it answers HTTP; its stderr goes to `log`. Cookies go without `Secure` (plain
/// HTTP on loopback), and jobs unpack under `work` beside the log.
pub(crate) fn serve(db: &Path, log: &Path, extra: &[&str]) -> Served {
    let work = log.with_extension("work");
    let mut last = String::new();
    // A port found free can be taken before the server binds it: try a few.
    for _ in 0..5 {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let err = std::fs::File::create(log).expect("server log");
        let child = Command::new(env!("CARGO_BIN_EXE_sovra"))
            .args(["serve", "--db", db.to_str().unwrap()])
            .args(["--listen", &addr.to_string(), "--insecure-cookies"])
            .arg("--work-dir")
            .arg(&work)
            .args(extra)
            .current_dir(root())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(err)
            .spawn()
            .expect("start sovra serve");
        let mut served = Served {
            child,
            base: format!("http://{addr}"),
            addr,
            log: log.to_owned(),
        };
        if wait_ready(&mut served) {
            return served;
        }
        last = served.log();
    }
    panic!("sovra serve did not come up:\n{last}");
}

/// Polls until the server answers a request for `/`; false when it exited first or 30 s
/// passed.
fn wait_ready(served: &mut Served) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if served.child.try_wait().expect("poll server").is_some() {
            return false;
        }
        if let Ok(mut s) = TcpStream::connect_timeout(&served.addr, Duration::from_millis(200)) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let req = format!(
                "GET /api/v1/openapi.json HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                served.addr
            );
            let mut head = [0u8; 12];
            if s.write_all(req.as_bytes()).is_ok()
                && s.read_exact(&mut head).is_ok()
                && head.starts_with(b"HTTP/1.1 ")
            {
                return true;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Whether `tool` runs (`tool --version` succeeds); absent, a note on stderr, and a
/// failure when `CI` is set.
pub(crate) fn have(tool: &str, args: &[&str]) -> bool {
    let ok = Command::new(tool)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok || std::env::var_os("CI").is_none(),
        "`{tool}` is missing but CI is set: .ci/run installs it"
    );
    if !ok {
        eprintln!("note: `{tool}` is missing; test skipped (.ci/run installs it)");
    }
    ok
}

/// Debian's chromium, which the browser tests drive.
const CHROMIUM: &str = "/usr/bin/chromium";

/// Whether the browser tests can run: node, `npm ci --prefix tests/e2e` done, chromium.
fn browser_tools() -> bool {
    let modules = root().join("tests/e2e/node_modules/playwright-core");
    let ok = have("node", &["--version"]) && modules.is_dir() && Path::new(CHROMIUM).exists();
    assert!(
        ok || std::env::var_os("CI").is_none(),
        "node, tests/e2e/node_modules (npm ci --prefix tests/e2e) or {CHROMIUM} missing but CI is set"
    );
    if !ok {
        eprintln!(
            "note: browser test skipped: needs node, `npm ci --prefix tests/e2e` and {CHROMIUM}"
        );
    }
    ok
}

/// Where the browser tests save their screenshots: `SOVRA_E2E_SCREENS`, else
/// `target/e2e-screens` in the repository.
fn screens_dir() -> PathBuf {
    std::env::var_os("SOVRA_E2E_SCREENS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/e2e-screens"))
}

/// `dir` as a gzip-less tar archive with the directory's name as its one top-level entry,
/// the way `tar -cf x.tar opendesk` makes it.
pub(crate) fn tar_of(dir: &Path, out: &Path) {
    let file = std::fs::File::create(out).expect("create archive");
    let mut tar = tar::Builder::new(file);
    tar.follow_symlinks(false);
    tar.append_dir_all(dir.file_name().unwrap(), dir)
        .expect("archive directory");
    tar.into_inner().unwrap().sync_all().unwrap();
}

/// Runs one browser script against `served` with `env`, failing with its output.
fn run_script(script: &str, served: &Served, env: &[(&str, String)]) {
    let out = Command::new("node")
        .arg(root().join("tests/e2e").join(script))
        .current_dir(root().join("tests/e2e"))
        .env("SOVRA_BASE", &served.base)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    print!("{stdout}");
    assert!(
        out.status.success(),
        "{script} failed ({}):\n{stdout}\n{stderr}\n--- server log ---\n{}",
        out.status,
        served.log()
    );
}

/// The catalogue with an assessor `anna`, a reader `rudi`, and the proprietary suite
/// already stored (the comparator the assessor picks), served.
struct Catalogue {
    dir: tempfile::TempDir,
    db: PathBuf,
    served: Served,
}

fn catalogue() -> Catalogue {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("catalog.sqlite");
    let db_s = db.to_str().unwrap();
    sovra_ok(&["catalog", "add", "samples/proprietary-suite", "--db", db_s]);
    add_user(&db, "anna", "assessor");
    add_user(&db, "rudi", "reader");
    let served = serve(&db, &dir.path().join("serve.log"), &[]);
    Catalogue { dir, db, served }
}

#[test]
fn assessor_uploads_finds_compares_and_downloads_in_chromium_and_a_reader_cannot_upload() {
    if !browser_tools() {
        return;
    }
    let cat = catalogue();
    let archive = cat.dir.path().join("opendesk.tar");
    tar_of(&root().join("samples/opendesk"), &archive);
    let screens = screens_dir();
    std::fs::create_dir_all(&screens).unwrap();
    run_script(
        "catalogue.mjs",
        &cat.served,
        &[
            ("SOVRA_ASSESSOR", "anna".into()),
            ("SOVRA_READER", "rudi".into()),
            ("SOVRA_PASSWORD", PASSWORD.into()),
            ("SOVRA_ARCHIVE", archive.display().to_string()),
            ("SOVRA_DOWNLOADS", cat.dir.path().display().to_string()),
            ("SOVRA_E2E_SCREENS", screens.display().to_string()),
        ],
    );
    // What the browser did is in the store: openDesk was assessed and stored next to the
    // suite the catalogue started with.
    let list = sovra_ok(&[
        "catalog",
        "list",
        "--format",
        "json",
        "--db",
        cat.db.to_str().unwrap(),
    ]);
    assert!(list.contains("openDesk CE"), "{list}");
    assert!(list.contains("Nimbus Workplace Cloud"), "{list}");
}

/// A blocking HTTP client that follows no redirects, with a generous timeout (a debug
/// build assesses openDesk in a few seconds).
pub(crate) fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// Posts the archive at `archive` to `POST /api/v1/assessments` as multipart/form-data,
/// with `token` as a bearer token when given.
pub(crate) fn upload(
    base: &str,
    token: Option<&str>,
    archive: &Path,
) -> reqwest::blocking::Response {
    const BOUNDARY: &str = "sovra-test-7d1f0c";
    let name = archive.file_name().unwrap().to_str().unwrap();
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"{name}\"\r\n\
         Content-Type: application/x-tar\r\n\r\n"
    )
    .into_bytes();
    body.extend(std::fs::read(archive).unwrap());
    body.extend(format!("\r\n--{BOUNDARY}--\r\n").into_bytes());
    let mut req = client()
        .post(format!("{base}/api/v1/assessments"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().expect("POST /api/v1/assessments")
}

/// `GET base+path` with `token`, as JSON; fails the test unless it answers 200.
pub(crate) fn get_json(base: &str, path: &str, token: &str) -> serde_json::Value {
    let res = client()
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = res.status();
    let text = res.text().unwrap();
    assert_eq!(status, 200, "GET {path}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {path}: {e}: {text}"))
}

/// Polls the job at `location` until it is `done` or `failed` (then fails the test), for
/// at most `secs` seconds; returns the finished job.
pub(crate) fn wait_job(base: &str, location: &str, token: &str, secs: u64) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let job = get_json(base, location, token);
        match job["state"].as_str() {
            Some("done") => return job,
            Some("failed") => panic!("job {location} failed: {job}"),
            _ => {}
        }
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "job {location} not done after {secs} s: {job}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn uploading_needs_a_token_of_an_assessor() {
    let cat = catalogue();
    let archive = cat.dir.path().join("opendesk.tar");
    tar_of(&root().join("samples/opendesk"), &archive);
    let reader = add_token(&cat.db, "reading-tool", "reader");
    let assessor = add_token(&cat.db, "upload-tool", "assessor");
    let base = &cat.served.base;

    // Refused before the body is read: a small archive, so the client is still there
    // to read the answer.
    let small = cat.dir.path().join("small.tar");
    tar_of(
        &root().join("samples/opendesk/components/element-call"),
        &small,
    );
    let res = upload(base, None, &small);
    assert_eq!(res.status(), 401);
    assert!(
        res.headers()
            .get("www-authenticate")
            .is_some_and(|v| v.to_str().unwrap().starts_with("Bearer")),
        "{:?}",
        res.headers()
    );
    assert_eq!(upload(base, Some("0123abcd"), &small).status(), 401);
    assert_eq!(upload(base, Some(&reader), &small).status(), 403);

    let res = upload(base, Some(&assessor), &archive);
    assert_eq!(res.status(), 202);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/api/v1/jobs/"), "{location}");
    let job = wait_job(base, &location, &assessor, 120);
    // Only the assessor's upload was stored, and it is found by a function openDesk has
    // and the proprietary suite has not.
    let found = get_json(base, "/api/v1/candidates?function=wiki", &reader);
    let text = found.to_string();
    assert!(text.contains("openDesk CE"), "{text}");
    assert!(!text.contains("Nimbus"), "{text}");
    let id = job["candidate_id"].as_i64().expect("candidate_id");
    let candidate = get_json(base, &format!("/api/v1/candidates/{id}"), &reader);
    assert!(candidate.to_string().contains("openDesk CE"), "{candidate}");
    let audit = sovra_ok(&["catalog", "audit", "--db", cat.db.to_str().unwrap()]);
    assert!(audit.contains("upload-tool"), "{audit}");
    // The reader's refused attempt wrote nothing (its token's creation is the one line).
    assert!(!audit.contains("token:reading-tool"), "{audit}");
}

#[test]
fn every_api_operation_survives_schemathesis_without_a_server_error() {
    if !have("schemathesis", &["--version"]) {
        return;
    }
    let cat = catalogue();
    // An admin: every operation, the withdrawal among them, is run past its role check.
    let token = add_token(&cat.db, "fuzz", "admin");
    let out = Command::new("schemathesis")
        .arg("run")
        .arg(format!("{}/api/v1/openapi.json", cat.served.base))
        .args(["--checks", "not_a_server_error"])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--max-examples", "25", "--workers", "1", "--seed", "15"])
        .args(["--request-timeout", "30", "--generation-database", "none"])
        .args(["--no-color", "--suppress-health-check", "all"])
        .current_dir(cat.dir.path())
        .output()
        .expect("run schemathesis");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found a server error:\n{stdout}\n{}\n--- server log ---\n{}",
        String::from_utf8_lossy(&out.stderr),
        cat.served.log()
    );
    // It exercised every operation the document names, the upload among them: each
    // phase reports how many operations passed, and none was skipped or deselected.
    let doc = get_json(&cat.served.base, "/api/v1/openapi.json", &token);
    let ops: usize = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .filter_map(serde_json::Value::as_object)
        .flat_map(|o| o.keys())
        .filter(|k| {
            ["get", "put", "post", "delete", "patch", "head", "options"].contains(&k.as_str())
        })
        .count();
    assert!(ops >= 10, "the document names {ops} operations");
    // "N selected / M total": every operation schemathesis took from the document was
    // selected, and it took all of them (it may leave out the route serving the document
    // itself).
    let counts = stdout
        .split_once(" selected / ")
        .and_then(|(before, after)| {
            let selected = before.rsplit(' ').next()?.parse::<usize>().ok()?;
            let total = after.split(' ').next()?.parse::<usize>().ok()?;
            Some((selected, total))
        });
    let Some((selected, total)) = counts else {
        panic!("no operation count in the output:\n{stdout}")
    };
    assert!(
        selected == total && total + 1 >= ops,
        "schemathesis selected {selected} of {total} operations; the document has {ops}:\n{stdout}"
    );
    for phase in ["Coverage", "Fuzzing"] {
        let after = stdout.split_once(phase).map_or("", |(_, rest)| rest);
        let line = after
            .lines()
            .skip(1)
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default();
        assert!(
            line.contains(&format!("{selected} passed")),
            "schemathesis {phase}: not every operation passed: `{line}`\n{stdout}"
        );
    }
}
