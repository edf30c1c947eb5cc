//! Fuzz target: the Python readers (`poetry.lock`, `uv.lock`, `Pipfile.lock`,
//! `requirements.txt`); the first byte picks the format, the rest is the input.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sovra::model::InputFormat;

const FORMATS: [InputFormat; 4] = [
    InputFormat::PoetryLock,
    InputFormat::UvLock,
    InputFormat::PipfileLock,
    InputFormat::Requirements,
];

fuzz_target!(|data: &[u8]| {
    if let Some((&pick, rest)) = data.split_first() {
        sovra_fuzz::run(FORMATS[usize::from(pick) % FORMATS.len()], rest);
    }
});
