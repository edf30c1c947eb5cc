//! Fuzz target: `sovra::ingest::parse_as` with `InputFormat::NpmLock`. Any input must give
//! an inventory or an error, never a panic.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sovra::ingest::parse_as;
use sovra::model::InputFormat;

fuzz_target!(|data: &[u8]| {
    let _ = parse_as(InputFormat::NpmLock, Path::new("fuzz-input"), data);
});
