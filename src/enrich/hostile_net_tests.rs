//! The network paths a judged party could use to steer a run, each against generated
//! hostile inputs and a real server on 127.0.0.1 that the test starts (see
//! `docs/security.md`). The output paths are tested through the command line in
//! `tests/it/hostile_net.rs`.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::enrich::{self, Config, Silent, Source};
use crate::model::{Ecosystem, Inventory};

use super::test_support::{Reply, Server, inventory, ok, pkg};

// ---------------------------------------------------------------------------------------
// Inputs, configuration and archives.

/// The shared configuration without retries: each fault is met once.
fn config(base: &str, sources: &[Source], cache: &Path) -> Config {
    let mut cfg = super::test_support::config(base, sources, cache);
    cfg.http.retries = 0;
    cfg.http.backoff = Duration::from_millis(10);
    cfg
}

/// The text of every file under `dir`, recursively.
fn all_text(dir: &Path) -> String {
    let mut out = String::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.push_str(&all_text(&p));
        } else {
            out.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
        }
    }
    out
}

/// A ustar header for a regular file.
fn tar_header(name: &str, size: u64) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h[100..108].copy_from_slice(b"0000644\0");
    h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h
}

/// A `.crate`: gzip over a tar of `(name, content)` entries, where content is either
/// bytes or a run of that many zero bytes (streamed, never held).
fn crate_archive(entries: &[(&str, Result<&[u8], u64>)]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for (name, content) in entries {
        let size = match content {
            Ok(b) => b.len() as u64,
            Err(n) => *n,
        };
        gz.write_all(&tar_header(name, size)).unwrap();
        match content {
            Ok(b) => gz.write_all(b).unwrap(),
            Err(n) => {
                let zeros = vec![0u8; 1 << 20];
                let mut left = *n;
                while left > 0 {
                    let k = left.min(zeros.len() as u64);
                    gz.write_all(&zeros[..k as usize]).unwrap();
                    left -= k;
                }
            }
        }
        let pad = size.div_ceil(512) * 512 - size;
        gz.write_all(&vec![0u8; pad as usize]).unwrap();
    }
    gz.write_all(&[0u8; 1024]).unwrap();
    gz.finish().unwrap()
}

const MANIFEST: &[u8] = b"[package]\nname = \"x\"\nversion = \"1.0.0\"\nlicense = \"MIT\"\n";

// ---------------------------------------------------------------------------------------
// Credentials and the network.

#[test]
fn a_cross_origin_redirect_carries_no_token() {
    let other = Server::start(|_| ok("[]"));
    let target = other.base.clone();
    let forge = Server::start(move |req| {
        Reply::Send(
            302,
            vec![("Location", format!("{target}{}", req.path))],
            Vec::new(),
        )
    });
    let cache = tempfile::tempdir().unwrap();
    let mut cfg = config(&forge.base, &[Source::Gitlab, Source::Github], cache.path());
    cfg.gitlab_token = Some("glpat-secret".into());
    cfg.github_token = Some("ghp-secret".into());
    cfg.repositories = vec![
        "https://gitlab.com/group/project".into(),
        "https://github.com/owner/name".into(),
    ];
    enrich::enrich(&Inventory::new(), &cfg, &Silent).unwrap();
    let asked = forge.requests();
    assert!(
        asked
            .iter()
            .any(|r| r.header("private-token") == Some("glpat-secret")),
        "the configured origin gets the token: {asked:#?}"
    );
    let leaked = other.requests();
    assert!(!leaked.is_empty(), "the redirect was followed");
    for r in leaked {
        assert_eq!(r.header("private-token"), None, "{r:#?}");
        assert_eq!(r.header("authorization"), None, "{r:#?}");
    }
}

#[test]
fn the_timeout_bounds_a_dripping_body() {
    let server = Server::start(|_| Reply::Drip {
        len: 60,
        every: Duration::from_millis(100),
    });
    let cache = tempfile::tempdir().unwrap();
    let mut cfg = config(&server.base, &[Source::Npm], cache.path());
    cfg.http.timeout = Duration::from_millis(1000);
    let inv = inventory([pkg(Ecosystem::Npm, "left-pad", "1.3.0")]);
    let start = Instant::now();
    let out = enrich::enrich(&inv, &cfg, &Silent).unwrap();
    let took = start.elapsed();
    assert!(took < Duration::from_millis(3500), "took {took:?}");
    assert_eq!(out.stats.failed, 1);
    assert!(
        out.notices.iter().any(|n| n.contains("timed out")),
        "{:#?}",
        out.notices
    );
}

#[test]
fn answers_stay_pinned_to_their_packages() {
    let archive = crate_archive(&[("x-1.0.0/Cargo.toml", Ok(MANIFEST))]);
    let server = Server::start(move |req| {
        if req.path.ends_with(".crate") {
            ok(archive.clone())
        } else if req.path.ends_with("/x") {
            ok("{\"name\":\"x\",\"vers\":\"1.0.0\",\"yanked\":false}\n")
        } else {
            Reply::Send(404, Vec::new(), Vec::new())
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let cfg = config(&server.base, &[Source::Crates], cache.path());
    // `pkg:cargo/a%C3%A9b`: a multibyte name that sorts before `x`.
    let inv = inventory([
        pkg(Ecosystem::Cargo, "a\u{e9}b", "1.0.0"),
        pkg(Ecosystem::Cargo, "x", "1.0.0"),
    ]);
    let out = enrich::enrich(&inv, &cfg, &Silent).unwrap();
    let x = &out.facts.packages["cargo:x@1.0.0"];
    assert_eq!(x.license.as_ref().unwrap().value, "MIT");
    assert!(!out.facts.packages.contains_key("cargo:a\u{e9}b@1.0.0"));
    assert_eq!(out.stats.failed, 1);
    assert!(
        out.notices
            .iter()
            .any(|n| n.starts_with("crates `a\u{e9}b`")),
        "{:#?}",
        out.notices
    );
}

#[test]
fn credentials_in_base_urls_are_redacted_everywhere() {
    let server = Server::start(|req| {
        if req.path.contains("present") {
            ok(r#"{"name":"present","versions":{"1.0.0":{"license":"MIT"}}}"#)
        } else {
            Reply::Send(500, Vec::new(), b"{}".to_vec())
        }
    });
    let base = server
        .base
        .replace("http://", "http://mirror-user:hunter2@");
    let cache = tempfile::tempdir().unwrap();
    let cfg = config(&base, &[Source::Npm], cache.path());
    let inv = inventory([
        pkg(Ecosystem::Npm, "present", "1.0.0"),
        pkg(Ecosystem::Npm, "broken", "1.0.0"),
    ]);
    let out = enrich::enrich(&inv, &cfg, &Silent).unwrap();
    assert!(out.facts.packages.contains_key("npm:present@1.0.0"));
    assert_eq!(out.stats.failed, 1, "{:#?}", out.notices);
    let facts = serde_json::to_string(&out.facts).unwrap();
    let cached = all_text(cache.path());
    assert!(!cached.is_empty());
    for (what, text) in [
        ("facts", facts.as_str()),
        ("cache", cached.as_str()),
        ("notices", &out.notices.join("\n")),
    ] {
        assert!(!text.contains("hunter2"), "{what}: {text}");
        assert!(!text.contains("mirror-user"), "{what}: {text}");
    }
    assert!(facts.contains("***@127.0.0.1"), "{facts}");
}

#[test]
fn repository_paths_never_leave_the_api_prefix() {
    let server = Server::start(|_| ok("{}"));
    let cache = tempfile::tempdir().unwrap();
    let mut cfg = config(
        &format!("{}/api", server.base),
        &[Source::Github, Source::Gitlab],
        cache.path(),
    );
    cfg.repositories = vec![
        "https://github.com/../..".into(),
        "https://github.com/owner/..".into(),
        "https://github.com/%2e%2e/%2e%2e".into(),
        "https://gitlab.com/a/%2e%2e/%2e%2e/%2e%2e/admin".into(),
        "https://gitlab.com/a/..%2F..%2Fadmin".into(),
    ];
    enrich::enrich(&Inventory::new(), &cfg, &Silent).unwrap();
    for r in server.requests() {
        assert!(
            r.path.starts_with("/api/repos/") || r.path.starts_with("/api/api/v4/projects/"),
            "left the prefix: {}",
            r.path
        );
        assert!(!r.path.contains("/../") && !r.path.to_lowercase().contains("%2e%2e"));
    }
}

#[test]
fn package_names_never_leave_the_registry_prefix() {
    let server = Server::start(|_| ok("{}"));
    let cache = tempfile::tempdir().unwrap();
    let cfg = config(
        &format!("{}/api", server.base),
        &[Source::Npm, Source::Pypi, Source::Maven],
        cache.path(),
    );
    let mut pkgs = Vec::new();
    for name in [
        "..",
        "../../admin",
        "%2e%2e",
        "a/../../admin",
        "x?y#z",
        "@../..",
        "@x/..",
    ] {
        pkgs.push(pkg(Ecosystem::Npm, name, "1.0.0"));
        pkgs.push(pkg(Ecosystem::Npm, "ok", name));
    }
    for name in ["..", "../../admin", "%2E%2E", "a b?c"] {
        pkgs.push(pkg(Ecosystem::Pypi, name, "1.0"));
        pkgs.push(pkg(Ecosystem::Pypi, "ok", name));
    }
    for name in [
        "..:x",
        "a..b:x",
        "g:..",
        "g:../../admin",
        "g.%2e%2e:a",
        "g:a?b",
    ] {
        pkgs.push(pkg(Ecosystem::Maven, name, "1"));
        pkgs.push(pkg(Ecosystem::Maven, "g:a", name));
    }
    let n = pkgs.len();
    enrich::enrich(&inventory(pkgs), &cfg, &Silent).unwrap();
    let requests = server.requests();
    // Most names are asked about (encoded); only dot-only segments are refused.
    assert!(requests.len() * 2 > n, "{} requests", requests.len());
    for r in requests {
        assert!(
            r.path.starts_with("/api/pypi/")
                || (r.path.starts_with("/api/") && r.path.matches('/').count() >= 2),
            "left the prefix: {}",
            r.path
        );
        let segs: Vec<&str> = r.path.split(['/', '?', '#']).collect();
        assert!(
            !segs
                .iter()
                .any(|s| *s == ".." || s.to_lowercase() == "%2e%2e"),
            "dot segment: {}",
            r.path
        );
        assert!(!r.path.contains(['?', '#', ' ']), "unencoded: {}", r.path);
    }
}

#[test]
fn an_unparseable_index_answer_is_not_cached() {
    let server = Server::start(|_| ok("<html>maintenance</html>\n"));
    let cache = tempfile::tempdir().unwrap();
    let cfg = config(&server.base, &[Source::Crates], cache.path());
    let inv = inventory([pkg(Ecosystem::Cargo, "serde", "1.0.0")]);
    let out = enrich::enrich(&inv, &cfg, &Silent).unwrap();
    assert_eq!(out.stats.failed, 1);
    assert!(
        out.notices.iter().any(|n| n.contains("malformed")),
        "{:#?}",
        out.notices
    );
    assert_eq!(all_text(cache.path()), "", "a malformed answer was cached");
}

#[test]
fn crate_archive_inflation_is_capped() {
    // 100 MiB of padding before the manifest: a real crate's manifest comes early and a
    // manifest is a few kilobytes, so both bombs are refused, quickly and uncached.
    let padded = crate_archive(&[
        ("x-1.0.0/padding", Err(100 << 20)),
        ("x-1.0.0/Cargo.toml", Ok(MANIFEST)),
    ]);
    let huge_manifest = crate_archive(&[("x-1.0.0/Cargo.toml", Err(3 << 20))]);
    assert!(padded.len() < 1 << 20 && huge_manifest.len() < 1 << 20);
    let server = Server::start(move |req| {
        if req.path.ends_with("/x/x-1.0.0.crate") {
            ok(padded.clone())
        } else if req.path.ends_with("/y/y-1.0.0.crate") {
            ok(huge_manifest.clone())
        } else {
            let name = req.path.rsplit('/').next().unwrap().to_owned();
            ok(format!("{{\"name\":\"{name}\",\"vers\":\"1.0.0\"}}\n"))
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let cfg = config(&server.base, &[Source::Crates], cache.path());
    let inv = inventory([
        pkg(Ecosystem::Cargo, "x", "1.0.0"),
        pkg(Ecosystem::Cargo, "y", "1.0.0"),
    ]);
    let start = Instant::now();
    let out = enrich::enrich(&inv, &cfg, &Silent).unwrap();
    assert!(start.elapsed() < Duration::from_secs(10));
    assert!(out.facts.packages.is_empty(), "{:#?}", out.facts.packages);
    assert_eq!(out.stats.failed, 2);
    assert!(
        out.notices
            .iter()
            .any(|n| n.starts_with("crates `x`") && n.contains("inflates to more than")),
        "{:#?}",
        out.notices
    );
    assert!(
        out.notices
            .iter()
            .any(|n| n.starts_with("crates `y`") && n.contains("more than a manifest")),
        "{:#?}",
        out.notices
    );
}
