//! Fuzz target: `sovra::ingest::parse_as` with `InputFormat::MavenPom` (`pom.xml`, read alone:
//! parents and modules are not looked up; see `src/lib.rs` for what is checked).

#![no_main]

use libfuzzer_sys::fuzz_target;
use sovra::model::InputFormat;

fuzz_target!(|data: &[u8]| sovra_fuzz::run(InputFormat::MavenPom, data));
