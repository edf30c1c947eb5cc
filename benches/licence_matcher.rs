//! The licence matcher's cost per run: building the askalono store from the SPDX licence
//! texts (what every run that met a licence file paid before the store was precomputed)
//! against loading the store precomputed by build.rs from the embedded zstd cache, and
//! one identification against the loaded store.
//!
//! Run with `cargo bench --bench licence_matcher`; prints the median of the runs.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::{Duration, Instant};

use askalono::{Store, TextData};

const RUNS: usize = 7;

static CACHE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/licence-store.bin.zst"));

fn median<T>(mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn main() {
    let built = median(|| {
        let mut store = Store::new();
        for (id, text) in spdx::text::LICENSE_TEXTS {
            store.add_license((*id).to_owned(), TextData::new(text));
        }
        store
    });
    let loaded = median(|| Store::from_cache(CACHE).unwrap());
    let store = Store::from_cache(CACHE).unwrap();
    let apache = spdx::text::LICENSE_TEXTS
        .iter()
        .find(|(id, _)| *id == "Apache-2.0")
        .map(|(_, t)| TextData::new(t))
        .unwrap();
    let matched = median(|| store.analyze(&apache).score);
    println!(
        "licence store: built from {} SPDX texts {:.0} ms; loaded from the embedded cache \
         ({} KiB) {:.0} ms; one identification (Apache-2.0) {:.1} ms; median of {RUNS}",
        spdx::text::LICENSE_TEXTS.len(),
        built.as_secs_f64() * 1e3,
        CACHE.len() / 1024,
        loaded.as_secs_f64() * 1e3,
        matched.as_secs_f64() * 1e3,
    );
}
