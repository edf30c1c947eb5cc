//! What every fuzz target checks, whatever the format: any input gives an error or a
//! well-formed inventory (indices in range) that the graph and licence stages accept,
//! never a panic. Everything goes through sovra's public `assess` entry.

use std::path::Path;

use sovra::assess;
use sovra::model::InputFormat;

/// Parses `data` as `format` and, when it is accepted, runs the later stages over it.
pub fn run(format: InputFormat, data: &[u8]) {
    let Ok(inv) = assess::parse_as(format, Path::new("fuzz-input"), data) else {
        return;
    };
    let n = inv.packages.len();
    for e in &inv.edges {
        assert!(e.from.index() < n && e.to.index() < n, "edge out of range");
    }
    for r in &inv.roots {
        assert!(r.index() < n, "root out of range");
    }
    let stages = assess::analyse_inventory(&inv);
    assert_eq!(stages.licence_states(), n, "a licence state per package");
    assert_eq!(
        stages.inclusion_paths(),
        stages.reachable(false),
        "an inclusion path per reachable package"
    );
}

/// Validates `data` as a `publiccode.yml` and, when it is valid, maps it to an inventory.
pub fn run_publiccode(data: &[u8]) {
    let _ = assess::read_publiccode(Path::new("publiccode.yml"), data);
}

/// Parses and validates `data` as a `candidate.toml` in a directory that does not exist
/// (component files are then reported missing, never read).
pub fn run_candidate(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let dir = Path::new("/nonexistent-fuzz-dir");
        let _ = assess::parse_manifest(&dir.join("candidate.toml"), text, dir);
    }
}

/// Loads `data` as a policy file over the embedded catalogue; files it names (`extends`,
/// user catalogues) read as unreadable.
pub fn run_policy(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = assess::parse_policy(Path::new("fuzz.toml"), text);
    }
}

/// Parses `data` as a facts file from `sovra enrich`.
pub fn run_facts(data: &[u8]) {
    let _ = assess::parse_facts(Path::new("facts.json"), data);
}
