//! Fuzz target: the `pnpm-lock.yaml` reader (lockfile versions 5.x, 6 and 9).

#![no_main]

use libfuzzer_sys::fuzz_target;
use sovra::model::InputFormat;

fuzz_target!(|data: &[u8]| sovra_fuzz::run(InputFormat::PnpmLock, data));
