//! The output paths a judged party could use to steer a run, each against generated
//! hostile inputs; a signal during a request to a real server on 127.0.0.1 that the test
//! starts (see `docs/security.md`). The network paths are tested in
//! `src/enrich/hostile_net_tests.rs`.

#![allow(clippy::unwrap_used)] // test scaffolding: a failed setup is a failed test

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::Duration;

// ---------------------------------------------------------------------------------------
// A loopback server that never finishes an answer.

/// Starts a server on 127.0.0.1 that reads each request, announces `len` bytes of body
/// and sends one every `every`; returns its base URL.
fn drip_server(len: usize, every: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            std::thread::spawn(move || drip(stream, len, every));
        }
    });
    base
}

fn drip(stream: TcpStream, len: usize, every: Duration) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
        line.clear();
    }
    let mut out = stream;
    let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n");
    let mut r = out.write_all(head.as_bytes());
    for _ in 0..len {
        if r.is_err() {
            break;
        }
        std::thread::sleep(every);
        r = out.write_all(b" ").and_then(|()| out.flush());
    }
}

// ---------------------------------------------------------------------------------------
// Output safety.

#[test]
fn templates_include_only_files_inside_their_directory() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "TOKEN=glpat-secret\n").unwrap();
    let templates = dir.path().join("style");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join("part.txt"), "inside\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, templates.join("link.txt")).unwrap();
    let t = templates.to_str().unwrap();
    let run = |body: &str| {
        std::fs::write(templates.join("summary.txt"), body).unwrap();
        crate::support::sovra(&["report", "samples/rust-service", "--templates", t])
    };
    let o = run("{% include \"part.txt\" %}");
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "inside\n");
    let abs = secret.to_str().unwrap().to_owned();
    let mut hostile = vec![
        "{% include \"../secret.txt\" %}".to_owned(),
        format!("{{% include \"{abs}\" %}}"),
        "{% include \"/proc/self/environ\" %}".to_owned(),
    ];
    if cfg!(unix) {
        hostile.push("{% include \"link.txt\" %}".to_owned());
    }
    for body in hostile {
        let o = run(&body);
        let out = String::from_utf8_lossy(&o.stdout);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{body}: {out}{err}");
        assert!(!out.contains("glpat") && !err.contains("glpat"), "{body}");
        assert!(
            err.contains("summary.txt:1:") && err.contains("not a file inside"),
            "{body}: {err}"
        );
    }
}

/// A CycloneDX SBOM of `app` depending on `lib-<name>` for each name, in that order.
fn sbom_in_order(names: &[&str]) -> String {
    let comps: Vec<String> = names
        .iter()
        .map(|n| {
            format!(
                r#"{{"type":"library","name":"lib-{n}","version":"1.0.0","bom-ref":"{n}","purl":"pkg:npm/lib-{n}@1.0.0"}}"#
            )
        })
        .collect();
    let refs: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    format!(
        r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{{"component":{{"type":"application","name":"app","version":"1.0.0","bom-ref":"app"}}}},"components":[{}],"dependencies":[{{"ref":"app","dependsOn":[{}]}}]}}"#,
        comps.join(","),
        refs.join(",")
    )
}

#[test]
fn score_lists_do_not_follow_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.cdx.json");
    let b = dir.path().join("b.cdx.json");
    std::fs::write(&a, sbom_in_order(&["zeta", "alpha", "mid"])).unwrap();
    std::fs::write(&b, sbom_in_order(&["mid", "zeta", "alpha"])).unwrap();
    let score = |p: &Path| {
        let o = crate::support::sovra(&["score", p.to_str().unwrap(), "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["candidates"][0]["dimensions"].clone()
    };
    let (x, y) = (score(&a), score(&b));
    assert!(x.to_string().contains("lib-zeta"), "{x}");
    assert_eq!(x, y);
}

#[test]
fn control_characters_from_inputs_never_reach_the_output_raw() {
    let dir = tempfile::tempdir().unwrap();
    let sbom = dir.path().join("bom.cdx.json");
    // ESC (CSI and OSC), BEL, NUL, a C1 CSI, and a newline forging a diagnostic line.
    let name = "evil\u{1b}]0;pwned\u{7}\u{1b}[2J\u{0}\u{9b}31m\nerror[CON001]: forged";
    let licence = "GPL-3.0-only\u{1b}[8m\n::error::forged";
    let doc = serde_json::json!({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "metadata": {"component": {"type": "application", "name": "app", "version": "1.0.0",
                                   "bom-ref": "app"}},
        "components": [{"type": "library", "name": name, "version": "1.0.0", "bom-ref": "x",
                        "licenses": [{"expression": licence}]}],
        "dependencies": [{"ref": "app", "dependsOn": ["x"]}]
    });
    std::fs::write(&sbom, doc.to_string()).unwrap();
    let path = sbom.to_str().unwrap();
    for format in ["human", "github"] {
        let o = crate::support::sovra(&["check", path, "--format", format]);
        assert!(o.status.code().is_some_and(|c| c < 2), "{o:?}");
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(
            out.contains("evil"),
            "{format}: the package is named: {out}"
        );
        for c in out.chars() {
            assert!(
                !c.is_control() || c == '\n',
                "{format}: raw {:?} in output:\n{out}",
                c
            );
        }
        for line in out.lines() {
            assert!(
                !line.starts_with("error[CON001]: forged") && !line.starts_with("::error::forged"),
                "{format}: forged line:\n{out}"
            );
        }
    }
}

#[test]
fn names_in_other_text_outputs_are_escaped_and_write_errors_say_write() {
    let dir = tempfile::tempdir().unwrap();
    let sbom = dir.path().join("bom.cdx.json");
    let doc = serde_json::json!({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "metadata": {"component": {"type": "application", "name": "app\u{1b}]8;;x\u{7}",
                                   "version": "1.0.0", "bom-ref": "app"}},
        "components": [{"type": "library", "name": "lib\u{1b}[2J\u{9b}\nforged: line", "version": "1.0.0",
                        "bom-ref": "x", "purl": "pkg:npm/lib@1.0.0?x=\u{1b}[2J\nforged: line",
                        "licenses": [{"expression": "MIT\u{9b}\nforged: line"}]},
                       {"type": "library", "name": "other", "version": "1.0.0", "bom-ref": "y",
                        "licenses": [{"license": {"name": "Custom\u{1b}]8;;x\u{7}\nforged: line"}}]}],
        "dependencies": [{"ref": "app", "dependsOn": ["x", "y"]}]
    });
    std::fs::write(&sbom, doc.to_string()).unwrap();
    let path = sbom.to_str().unwrap();
    let other = dir.path().join("other.cdx.json");
    std::fs::copy(&sbom, &other).unwrap();
    let lib = "lib\u{1b}[2J\u{9b}\nforged: line";
    for args in [
        vec!["inventory", path],
        vec!["licenses", path],
        vec!["score", path],
        vec!["why", lib, path],
        vec!["compare", path, other.to_str().unwrap()],
        vec!["check", path, "--format", "sarif"],
        vec!["check", path, "--format", "junit"],
    ] {
        let o = crate::support::sovra(&args);
        let out = String::from_utf8(o.stdout.clone()).unwrap();
        assert!(!out.is_empty(), "{args:?}: {o:?}");
        assert!(
            !out.contains(['\u{1b}', '\u{7}', '\u{9b}']),
            "{args:?}: raw control character:\n{out}"
        );
        assert!(
            !out.lines()
                .any(|l| l.trim_start().starts_with("forged: line")),
            "{args:?}: forged line:\n{out}"
        );
    }
    // An output directory that is a file: the error says what failed.
    let o = crate::support::sovra(&["report", path, "-o", &format!("{path}/report.html")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot write"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_signal_ends_the_run_with_its_status_and_no_temporary_file() {
    // The registry hangs; SIGTERM and SIGINT arrive while enrich waits for it.
    let base = drip_server(100, Duration::from_millis(200));
    let dir = tempfile::tempdir().unwrap();
    let lock = dir.path().join("package-lock.json");
    std::fs::write(
        &lock,
        r#"{"name":"app","version":"1.0.0","lockfileVersion":3,"packages":{"":{"name":"app","version":"1.0.0","dependencies":{"left-pad":"1.3.0"}},"node_modules/left-pad":{"version":"1.3.0"}}}"#,
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    for (signal, status) in [("-TERM", 143), ("-INT", 130)] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sovra"))
            .args([
                "enrich",
                lock.to_str().unwrap(),
                "--sources",
                "npm",
                "--no-cache",
            ])
            .args(["--base-url", &format!("npm={base}"), "--timeout", "60"])
            .arg("-o")
            .arg(out_dir.join("facts.json"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(800));
        let killed = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let done = child.wait().unwrap();
        assert_eq!(done.code(), Some(status), "{signal}: {done:?}");
        let left: Vec<_> = std::fs::read_dir(&out_dir).unwrap().collect();
        assert!(left.is_empty(), "{signal}: {left:?}");
    }
}
