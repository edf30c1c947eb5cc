//! Fuzz target: `sovra::assess::parse_as` with `InputFormat::CargoLock` (`Cargo.lock`; see
//! `src/lib.rs` for what is checked).

#![no_main]

use libfuzzer_sys::fuzz_target;
use sovra::model::InputFormat;

fuzz_target!(|data: &[u8]| sovra_fuzz::run(InputFormat::CargoLock, data));
