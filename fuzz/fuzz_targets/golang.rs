//! Fuzz target: `sovra::assess::parse_as` with `InputFormat::GoMod` (`go.mod` / `go.sum`; see
//! `src/lib.rs` for what is checked).

#![no_main]

use libfuzzer_sys::fuzz_target;
use sovra::model::InputFormat;

fuzz_target!(|data: &[u8]| sovra_fuzz::run(InputFormat::GoMod, data));
