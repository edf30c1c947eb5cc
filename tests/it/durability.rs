//! Durability of the catalogue: `sovra serve` killed with SIGKILL while uploads are queued,
//! being assessed and half sent loses no upload it acknowledged (202), and the store never
//! holds half an assessment.

// Helpers outside `#[test]` functions: test code all the same.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::e2e::{add_token, get_json, serve, sovra_ok, tar_of, upload, wait_job};
use crate::support::root;

/// Each stored assessment of the catalogue at `db`, as `sovra catalog list --format json`
/// lists it: `(candidate name, assessment id)`, sorted.
fn stored(db: &str) -> Vec<(String, i64)> {
    let out = sovra_ok(&[
        "catalog", "list", "--limit", "1000", "--format", "json", "--db", db,
    ]);
    let list: serde_json::Value = serde_json::from_str(&out).expect("catalog list json");
    let mut all: Vec<(String, i64)> = list["assessments"]
        .as_array()
        .unwrap_or_else(|| panic!("no assessments in {out}"))
        .iter()
        .map(|a| {
            let name = a["candidate"].as_str().expect("candidate").to_owned();
            (name, a["id"].as_i64().expect("id"))
        })
        .collect();
    all.sort();
    all
}

/// Every stored assessment is whole: it reproduces byte for byte from what is stored.
fn all_whole(db: &str) {
    for (name, id) in stored(db) {
        sovra_ok(&["catalog", "reproduce", &id.to_string(), "--db", db]);
        let shown = sovra_ok(&["catalog", "show", &id.to_string(), "--db", db]);
        assert!(
            shown.contains(&name),
            "assessment {id} of `{name}`:\n{shown}"
        );
    }
}

#[test]
fn a_killed_server_loses_no_acknowledged_upload_and_stores_nothing_by_halves() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("catalog.sqlite");
    let db = db_path.to_str().unwrap();
    let token = add_token(&db_path, "tool", "assessor");
    let archive = dir.path().join("opendesk.tar");
    tar_of(&root().join("samples/opendesk"), &archive);

    // One worker, a short lease: the killed server's job is taken over two seconds on.
    let args = ["--workers", "1", "--lease", "2"];
    let mut first = serve(&db_path, &dir.path().join("first.log"), &args);
    let base = first.base.clone();
    let mut accepted = Vec::new();
    for _ in 0..3 {
        let res = upload(&base, Some(&token), &archive);
        assert_eq!(res.status(), 202, "{:?}", res.text());
        accepted.push(res.headers()["location"].to_str().unwrap().to_owned());
    }
    // A fourth upload is cut off halfway: the server never acknowledges it.
    let mut half = TcpStream::connect(first.addr).unwrap();
    let len = std::fs::metadata(&archive).unwrap().len();
    write!(
        half,
        "POST /api/v1/assessments HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {}\r\n\r\n\
         --x\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"o.tar\"\r\n\r\n",
        first.addr,
        len + 200
    )
    .unwrap();
    half.write_all(&std::fs::read(&archive).unwrap()[..(len / 2) as usize])
        .unwrap();

    // Killed while the first job is being worked on.
    let start = Instant::now();
    loop {
        let job = get_json(&base, &accepted[0], &token);
        if job["state"] != "queued" {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "never started: {job}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    drop(half);
    // Whatever the kill left is whole.
    let before = stored(db);
    assert!(before.len() <= accepted.len(), "{before:?}");
    all_whole(db);

    // Restarted, the server finishes every acknowledged upload, each exactly once.
    let second = serve(&db_path, &dir.path().join("second.log"), &args);
    for location in &accepted {
        let job = wait_job(&second.base, location, &token, 300);
        assert!(job["assessment_id"].as_i64().is_some(), "{job}");
    }
    let after = stored(db);
    assert_eq!(after.len(), accepted.len(), "{after:?}\n{}", second.log());
    assert!(
        after.iter().all(|(name, _)| name == "openDesk CE"),
        "{after:?}"
    );
    all_whole(db);
}
