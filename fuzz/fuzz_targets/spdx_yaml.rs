//! Fuzz target: `sovra::ingest::parse_as` with `InputFormat::SpdxYaml` (SPDX 2.2 / 2.3 YAML; see
//! `src/lib.rs` for what is checked).

#![no_main]

use libfuzzer_sys::fuzz_target;
use sovra::model::InputFormat;

fuzz_target!(|data: &[u8]| sovra_fuzz::run(InputFormat::SpdxYaml, data));
