//! Fuzz target: see `run_candidate` in `src/lib.rs` for what is read and checked.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sovra_fuzz::run_candidate(data));
