//! Ingest + graph + licences on the saved cargo metadata of cargo-deny (211 packages):
//! parse the document, build the inventory, then `assess::analyse_inventory` (the
//! dependency graph with its reachability and inclusion paths, every package's licence).
//! A plain timing loop; prints median and minimum.
//!
//! Run with `cargo bench --bench ingest`. Needs `shared/corpus/` beside the checkout
//! (or beside one of its parents); without it the benchmark says so and exits.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sovra::assess;
use sovra::model::InputFormat;

const RUNS: usize = 200;

fn corpus(rel: &str) -> Option<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .skip(1)
        .map(|d| d.join("shared/corpus").join(rel))
        .find(|p| p.exists())
}

fn main() {
    let Some(path) = corpus("cargo/cargo-deny/metadata.json") else {
        println!(
            "ingest: corpus absent (shared/corpus/cargo/cargo-deny/metadata.json), nothing measured"
        );
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut packages = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let inv = assess::parse_as(InputFormat::CargoMetadata, &path, &bytes).unwrap();
        let stages = assess::analyse_inventory(&inv);
        times.push(start.elapsed());
        packages = stages.packages();
        std::hint::black_box(&stages);
    }
    times.sort();
    println!(
        "ingest + graph + licences, cargo-deny metadata ({} bytes, {packages} packages), {RUNS} runs: median {:.2} ms, min {:.2} ms",
        bytes.len(),
        times[RUNS / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
    );
}
