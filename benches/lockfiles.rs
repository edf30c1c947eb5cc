//! Each lockfile reader against a bare parse of the same file into untyped values
//! (`serde_json::Value`, a `toml::Table`, saphyr's YAML events, a `roxmltree` document;
//! for the line formats `yarn.lock` v1, `go.mod` and `Gemfile.lock`, a split into
//! whitespace-separated words of every line). The target: each reader within 2× of its bare parse.
//!
//! Run with `cargo bench --bench lockfiles`. Reads the openDesk sample's real lockfiles
//! and corpus fixtures; a file that is absent is said and skipped.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sovra::assess;
use sovra::model::InputFormat;

const RUNS: usize = 30;

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn bare(kind: &str, text: &str) {
    match kind {
        "json" => {
            std::hint::black_box(serde_json::from_str::<serde_json::Value>(text).unwrap());
        }
        "toml" => {
            std::hint::black_box(toml::from_str::<toml::Table>(text).unwrap());
        }
        "xml" => {
            std::hint::black_box(roxmltree::Document::parse(text).unwrap());
        }
        "yaml" => {
            let mut n = 0usize;
            for ev in saphyr_parser::Parser::new_from_str(text) {
                let _ = std::hint::black_box(ev.unwrap());
                n += 1;
            }
            std::hint::black_box(n);
        }
        _ => {
            let words: Vec<Vec<&str>> = text
                .lines()
                .map(|l| l.split_whitespace().collect())
                .collect();
            std::hint::black_box(words);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = |rel: &str| Some(root.join("samples/opendesk/components").join(rel));
    let corpus = |rel: &str| -> Option<PathBuf> {
        root.ancestors()
            .skip(1)
            .map(|d| d.join("shared/corpus").join(rel))
            .find(|p| p.exists())
    };
    let cases: Vec<(Option<PathBuf>, InputFormat, &str)> = vec![
        (
            sample("nextcloud/composer.lock"),
            InputFormat::ComposerLock,
            "json",
        ),
        (
            sample("synapse/poetry.lock"),
            InputFormat::PoetryLock,
            "toml",
        ),
        (sample("notes/backend/uv.lock"), InputFormat::UvLock, "toml"),
        (
            sample("matrix-authentication-service/Cargo.lock"),
            InputFormat::CargoLock,
            "toml",
        ),
        (sample("element-call/go.mod"), InputFormat::GoMod, "lines"),
        (
            sample("notes/frontend/yarn.lock"),
            InputFormat::YarnLock,
            "lines",
        ),
        (
            corpus("lockfiles/yarn/osv-scalibr/multiple-versions.v2.lock"),
            InputFormat::YarnLock,
            "yaml",
        ),
        (
            corpus("lockfiles/bundler/osv-scalibr/rails.lock"),
            InputFormat::GemfileLock,
            "lines",
        ),
        (
            corpus("lockfiles/pipenv/osv-scalibr/multiple-packages.json"),
            InputFormat::PipfileLock,
            "json",
        ),
        (
            corpus("lockfiles/nuget/osv-scalibr/valid/packages.lock.json"),
            InputFormat::NugetLock,
            "json",
        ),
        (
            corpus("lockfiles/gradle/osv-scalibr/5-pkg"),
            InputFormat::GradleLock,
            "lines",
        ),
        (
            sample("matrix-authentication-service/pnpm-lock.yaml"),
            InputFormat::PnpmLock,
            "yaml",
        ),
        (
            sample("xwiki/xwiki-commons/pom.xml"),
            InputFormat::MavenPom,
            "xml",
        ),
        (
            corpus("spdx/tools-python/SPDXYAMLExample-v2.3.spdx.yaml"),
            InputFormat::SpdxYaml,
            "yaml",
        ),
    ];
    for (path, format, kind) in cases {
        let Some(path) = path.filter(|p| p.exists()) else {
            println!("{}: input absent, skipped", format.as_str());
            continue;
        };
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let read = median(|| {
            std::hint::black_box(assess::parse_as(format, &path, &bytes).unwrap());
        });
        let base = median(|| bare(kind, &text));
        println!(
            "{:<16} {:>8} bytes  reader {:>8.3} ms  bare {kind} {:>8.3} ms  ratio {:.2}  ({})",
            format.as_str(),
            bytes.len(),
            read.as_secs_f64() * 1e3,
            base.as_secs_f64() * 1e3,
            read.as_secs_f64() / base.as_secs_f64(),
            path.file_name().unwrap().to_string_lossy(),
        );
    }
}
