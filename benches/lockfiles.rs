//! Each lockfile reader against a bare parse of the same file into untyped values
//! (`serde_json::Value`, a `toml::Table`, saphyr's YAML events, a `roxmltree` document;
//! for the line formats `yarn.lock` v1, `go.mod`, `Gemfile.lock` and `gradle.lockfile`,
//! every line split into its whitespace-separated words, each word an owned string). The
//! target: each reader within 2× of its bare parse.
//!
//! A value tree owns its strings (`serde_json::Value` and `toml::Table` do), so the line
//! formats' untyped values are owned words. The same split with every word borrowed
//! from the file (one `Vec` of slices per line) is cheaper than any value tree: it is
//! timed too and printed with its ratio (`borrowed words`), as the strictest bound.
//!
//! `parse_as` is the reader and then the evidence step: `ingest::seal`, the SHA-256 of the
//! bytes for the input's record, the same for every format and no part of reading one
//! (readers leave it to whoever read the file). It is timed alone, and the reader's time
//! is `parse_as` less it; the ratio with it is printed too (`with the evidence hash`).
//! Reader and baseline samples are interleaved and the fastest of each kept.
//!
//! Run with `cargo bench --bench lockfiles`. Reads the openDesk sample's real lockfiles
//! and corpus fixtures; a file that is absent is said and skipped. `Gemfile.lock`,
//! `packages.lock.json`, `Pipfile.lock` and `gradle.lockfile` have only small fixtures
//! (under 6 KB, where fixed costs dominate), so each is also measured on a generated file
//! of a real project's size, written in the shapes of those fixtures: 450 gems
//! (OpenProject's `Gemfile.lock` locks about as many), 300 NuGet packages in two target
//! frameworks, 120 Python packages with their wheels' hashes, 400 Gradle modules.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

/// The allocator of the `sovra` binary (`src/main.rs`), so that readers are timed as they run there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sovra::assess;
use sovra::model::InputFormat;

/// Samples of each side. The fastest of many is the figure of a quiet moment: on a
/// shared machine a small file's microseconds are easily doubled by a neighbour.
const RUNS: usize = 200;

/// The time of one call of `reader` and of `bare`: samples of each are interleaved, each
/// sample enough calls to take at least two milliseconds (a small file parses in
/// microseconds), and the fastest sample of each is kept, so that other work on a shared
/// machine slows neither side of the ratio more than the other.
fn fastest(mut reader: impl FnMut(), mut bare: impl FnMut()) -> (Duration, Duration) {
    let calls = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        let once = start.elapsed().max(Duration::from_nanos(100));
        (Duration::from_millis(2).as_nanos() / once.as_nanos()).clamp(1, 100_000) as u32
    };
    let (rc, bc) = (calls(&mut reader), calls(&mut bare));
    let sample = |f: &mut dyn FnMut(), n: u32| {
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        start.elapsed() / n
    };
    let (mut r, mut b) = (Duration::MAX, Duration::MAX);
    for _ in 0..RUNS {
        r = r.min(sample(&mut reader, rc));
        b = b.min(sample(&mut bare, bc));
    }
    (r, b)
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
            let words: Vec<Vec<String>> = text
                .lines()
                .map(|l| l.split_whitespace().map(str::to_owned).collect())
                .collect();
            std::hint::black_box(words);
        }
    }
}

/// A `Gemfile.lock` of `n` gems from rubygems.org, each needing up to three others, one git
/// gem, and every tenth gem a direct dependency.
fn gemfile_lock(n: usize) -> String {
    let mut s = String::from(
        "GIT\n  remote: https://github.com/example/forked-gem.git\n  revision: 4b2e1c0a9f3d5e7b8c6a1d2f3e4b5c6d7e8f9a0b\n  specs:\n    forked-gem (2.1.0)\n      gem-support-1 (>= 1.0)\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n",
    );
    for i in 0..n {
        let _ = writeln!(s, "    gem-support-{i} ({}.{}.{})", i % 7, i % 13, i % 5);
        for d in 1..=(i % 4).min(n - 1 - i) {
            let _ = writeln!(s, "      gem-support-{} (>= {}.0, < 9)", i + d, d);
        }
    }
    s.push_str("\nPLATFORMS\n  ruby\n  x86_64-linux\n\nDEPENDENCIES\n  forked-gem!\n");
    for i in (0..n).step_by(10) {
        let _ = writeln!(s, "  gem-support-{i} (~> {}.{})", i % 7, i % 13);
    }
    s.push_str("\nBUNDLED WITH\n   2.4.19\n");
    s
}

/// A `packages.lock.json` of `n` packages in each of two target frameworks, every fifth
/// direct, each depending on up to three later ones.
fn nuget_lock(n: usize) -> String {
    let mut s = String::from("{\n  \"version\": 1,\n  \"dependencies\": {\n");
    for (f, framework) in ["net6.0", "net8.0"].iter().enumerate() {
        let _ = writeln!(s, "    \"{framework}\": {{");
        for i in 0..n {
            let direct = i % 5 == 0;
            let _ = write!(
                s,
                "      \"Example.Library{i}.Core\": {{\n        \"type\": \"{}\",\n{}        \"resolved\": \"{}.{}.0\",\n        \"contentHash\": \"+/qI1j2oU1S4/nvxb2k/wDsol00iGf1AyJX5g3epV7eOpQEP/2xcgh/cxgKMeFgn3U2fmgSiBnQZdkV+l5y{i:04}==\"",
                if direct { "Direct" } else { "Transitive" },
                if direct {
                    format!("        \"requested\": \"[{}.{}.0, )\",\n", i % 9, f)
                } else {
                    String::new()
                },
                i % 9,
                f,
            );
            let deps: Vec<String> = (1..=(i % 4).min(n - 1 - i))
                .map(|d| {
                    format!(
                        "          \"Example.Library{}.Core\": \"{}.{f}.0\"",
                        i + d,
                        (i + d) % 9
                    )
                })
                .collect();
            if !deps.is_empty() {
                let _ = write!(
                    s,
                    ",\n        \"dependencies\": {{\n{}\n        }}",
                    deps.join(",\n")
                );
            }
            s.push_str(if i + 1 < n {
                "\n      },\n"
            } else {
                "\n      }\n"
            });
        }
        s.push_str(if f == 0 { "    },\n" } else { "    }\n" });
    }
    s.push_str("  }\n}\n");
    s
}

/// A `Pipfile.lock` of `n` packages as pipenv writes it (keys sorted, four spaces), every
/// third in `develop`, each with 2 to 31 wheel hashes and some with markers.
fn pipfile_lock(n: usize) -> String {
    let mut s = String::from(
        "{\n    \"_meta\": {\n        \"hash\": {\n            \"sha256\": \"3809f002b3b58ea51dc4258d4e00b7ebae6b28c46d7cb25ab8d4540a7c5f0d7b\"\n        },\n        \"pipfile-spec\": 6,\n        \"requires\": {\n            \"python_version\": \"3.11\"\n        },\n        \"sources\": [\n            {\n                \"name\": \"pypi\",\n                \"url\": \"https://pypi.org/simple\",\n                \"verify_ssl\": true\n            }\n        ]\n    },\n",
    );
    for (section, develop) in [("default", false), ("develop", true)] {
        let _ = writeln!(s, "    \"{section}\": {{");
        let names: Vec<usize> = (0..n).filter(|i| (i % 3 == 2) == develop).collect();
        for (k, &i) in names.iter().enumerate() {
            let _ = writeln!(
                s,
                "        \"package-{i:04}\": {{\n            \"hashes\": ["
            );
            let hashes = 2 + (i * 7) % 30;
            for h in 0..hashes {
                let _ = writeln!(
                    s,
                    "                \"sha256:{:016x}{:016x}{:016x}{:016x}\"{}",
                    i * 1_000_003 + h,
                    h * 7_919 + 17,
                    i ^ 0x5a5a_5a5a,
                    h + 1,
                    if h + 1 < hashes { "," } else { "" }
                );
            }
            s.push_str("            ],\n            \"index\": \"pypi\",\n");
            if i % 4 == 0 {
                s.push_str("            \"markers\": \"python_version >= '3.8'\",\n");
            }
            let _ = writeln!(
                s,
                "            \"version\": \"=={}.{}.{}\"\n        }}{}",
                i % 5,
                i % 17,
                i % 3,
                if k + 1 < names.len() { "," } else { "" }
            );
        }
        s.push_str(if develop { "    }\n" } else { "    },\n" });
    }
    s.push_str("}\n");
    s
}

/// A `gradle.lockfile` of `n` modules in the configurations real ones list.
fn gradle_lock(n: usize) -> String {
    const CONFIGS: [&str; 4] = [
        "compileClasspath,productionRuntimeClasspath,runtimeClasspath,testCompileClasspath,testRuntimeClasspath",
        "testCompileClasspath,testRuntimeClasspath",
        "annotationProcessor,compileClasspath",
        "developmentOnly,runtimeClasspath",
    ];
    let mut s = String::from(
        "# This is a Gradle generated file for dependency locking.\n# Manual edits can break the build and are not advised.\n# This file is expected to be part of source control.\n",
    );
    for i in 0..n {
        let _ = writeln!(
            s,
            "org.example.group{}:example-artifact-{i}:{}.{}.{}={}",
            i % 40,
            i % 6,
            i % 11,
            i % 3,
            CONFIGS[i % CONFIGS.len()]
        );
    }
    s.push_str("empty=annotationProcessor,testAnnotationProcessor\n");
    s
}

/// The line split with every word borrowed from the file: no value tree, and cheaper
/// than one (it copies no string), so the strictest bound for the line formats.
fn bare_borrowed(text: &str) {
    let words: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    std::hint::black_box(words);
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
    let mut inputs: Vec<(PathBuf, Vec<u8>, InputFormat, &str)> = Vec::new();
    for (path, format, kind) in cases {
        match path.filter(|p| p.exists()) {
            Some(path) => inputs.push((path.clone(), std::fs::read(&path).unwrap(), format, kind)),
            None => println!("{}: input absent, skipped", format.as_str()),
        }
    }
    for (name, text, format, kind) in [
        (
            "generated/Gemfile.lock",
            gemfile_lock(450),
            InputFormat::GemfileLock,
            "lines",
        ),
        (
            "generated/packages.lock.json",
            nuget_lock(300),
            InputFormat::NugetLock,
            "json",
        ),
        (
            "generated/Pipfile.lock",
            pipfile_lock(120),
            InputFormat::PipfileLock,
            "json",
        ),
        (
            "generated/gradle.lockfile",
            gradle_lock(400),
            InputFormat::GradleLock,
            "lines",
        ),
    ] {
        inputs.push((PathBuf::from(name), text.into_bytes(), format, kind));
    }
    for (path, bytes, format, kind) in inputs {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let (read, base) = fastest(
            || {
                std::hint::black_box(assess::parse_as(format, &path, &bytes).unwrap());
            },
            || bare(kind, &text),
        );
        // The evidence step `parse_as` ends with (the SHA-256 of the bytes), timed alone:
        // the same for every format, and no part of a reader or of a bare parse.
        let (_, hash) = fastest(
            || {},
            || {
                use sha2::Digest as _;
                std::hint::black_box(sha2::Sha256::digest(std::hint::black_box(&bytes)));
            },
        );
        let borrowed = (kind == "lines").then(|| {
            let (read, borrowed) = fastest(
                || {
                    std::hint::black_box(assess::parse_as(format, &path, &bytes).unwrap());
                },
                || bare_borrowed(&text),
            );
            format!(
                "  (borrowed words {:.2} µs, ratio {:.2})",
                borrowed.as_secs_f64() * 1e6,
                read.saturating_sub(hash).as_secs_f64() / borrowed.as_secs_f64()
            )
        });
        let reader = read.saturating_sub(hash);
        println!(
            "{:<16} {:>8} bytes  reader {:>9.2} µs  bare {kind:<5} {:>9.2} µs  ratio {:.2}  (evidence hash {:.2} µs, with it {:.2})  {}{}",
            format.as_str(),
            bytes.len(),
            reader.as_secs_f64() * 1e6,
            base.as_secs_f64() * 1e6,
            reader.as_secs_f64() / base.as_secs_f64(),
            hash.as_secs_f64() * 1e6,
            read.as_secs_f64() / base.as_secs_f64(),
            if path.is_relative() {
                path.to_string_lossy()
            } else {
                path.file_name().unwrap().to_string_lossy()
            },
            borrowed.unwrap_or_default(),
        );
    }
}
