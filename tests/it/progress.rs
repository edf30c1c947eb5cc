//! The progress indication: a spinner on stderr for a step longer than a second, only
//! when stderr is a terminal. On a pseudo-terminal (`script` from util-linux) it shows
//! and is cleared; in a pipe nothing of it is written, and stdout is the same bytes
//! either way.

use std::path::Path;
use std::process::Command;

use crate::support::{root, sovra};

/// A CycloneDX SBOM of `n` packages, large enough that reading and checking it takes
/// more than a second in a debug build.
fn large_sbom(path: &Path, n: usize) {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(n * 160);
    text.push_str(r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":["#);
    for i in 0..n {
        let _ = write!(
            text,
            r#"{}{{"bom-ref":"p{i}","type":"library","name":"p{i}","version":"1.0.0","purl":"pkg:npm/p{i}@1.0.0","licenses":[{{"license":{{"id":"MIT"}}}}]}}"#,
            if i == 0 { "" } else { "," }
        );
    }
    text.push_str("]}");
    std::fs::write(path, text).expect("write the SBOM");
}

/// Every command that reads inputs writes nothing but its own messages to stderr when
/// stderr is a pipe, however long it takes.
#[test]
fn no_progress_in_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let sbom = dir.path().join("large.cdx.json");
    large_sbom(&sbom, 40_000);
    let sbom = sbom.to_str().unwrap();
    let out_sbom = dir.path().join("out.cdx.json");
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", sbom, "--format", "json"],
        vec!["inventory", sbom],
        vec!["licenses", sbom],
        vec!["score", sbom],
        vec!["compare", sbom, "samples/rust-service"],
        vec![
            "sbom",
            sbom,
            "--format",
            "cyclonedx",
            "-o",
            out_sbom.to_str().unwrap(),
        ],
    ];
    for args in runs {
        let out = sovra(&args);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {out:?}"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("reading") && !err.contains('\u{1b}') && !err.contains('\r'),
            "{args:?} wrote progress to a pipe: {err:?}"
        );
    }
}

/// On a terminal, a long `check` shows its step on stderr and clears it; the JSON on
/// stdout is byte-identical to that of a run in a pipe.
#[test]
fn progress_on_a_terminal_is_shown_cleared_and_leaves_stdout_alone() {
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "`script` (util-linux) is missing but CI is set"
        );
        eprintln!("skipped: no `script` to run sovra on a pseudo-terminal");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sbom = dir.path().join("large.cdx.json");
    // The step is drawn from a second on: the SBOM grows until `check` takes two seconds
    // in a pipe, so the run outlasts the delay however fast the machine is.
    let mut n = 100_000;
    let piped = loop {
        large_sbom(&sbom, n);
        let start = std::time::Instant::now();
        let piped = sovra(&["check", sbom.to_str().unwrap(), "--format", "json"]);
        if start.elapsed() >= std::time::Duration::from_secs(2) || n >= 1_600_000 {
            break piped;
        }
        n *= 2;
    };
    let on_tty = dir.path().join("tty.json");
    let typescript = dir.path().join("typescript");
    // stdout to a file, stderr to the pseudo-terminal `script` records.
    let line = format!(
        "'{}' check '{}' --format json > '{}'",
        env!("CARGO_BIN_EXE_sovra"),
        sbom.display(),
        on_tty.display()
    );
    let status = Command::new(script)
        .args(["-q", "-e", "-c", &line])
        .arg(&typescript)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run script");
    assert!(matches!(status.code(), Some(0 | 1)), "{status:?}");
    let terminal = String::from_utf8_lossy(&std::fs::read(&typescript).unwrap()).into_owned();
    let shown = terminal
        .find("reading the inputs and checking")
        .unwrap_or_else(|| panic!("no progress on the terminal: {terminal:?}"));
    // The last thing drawn after the step is the clearing of its line.
    let after = &terminal[shown..];
    assert!(after.contains("\r\u{1b}[2K"), "{after:?}");
    let last_clear = after.rfind("\u{1b}[2K").unwrap();
    assert!(
        !after[last_clear..].contains("reading"),
        "the step is left on the terminal: {:?}",
        &after[last_clear..]
    );
    assert_eq!(std::fs::read(&on_tty).unwrap(), piped.stdout);
}
