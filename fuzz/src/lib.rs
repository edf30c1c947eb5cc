//! What every fuzz target checks, whatever the format: any input gives an error or a
//! well-formed inventory (indices in range) that the graph and licence stages accept,
//! never a panic.

use std::path::Path;

use sovra::graph::{DepGraph, Scope};
use sovra::ingest::parse_as;
use sovra::model::InputFormat;

/// Parses `data` as `format` and, when it is accepted, runs the later stages over it.
pub fn run(format: InputFormat, data: &[u8]) {
    let Ok(inv) = parse_as(format, Path::new("fuzz-input"), data) else {
        return;
    };
    let n = inv.packages.len();
    for e in &inv.edges {
        assert!(e.from.index() < n && e.to.index() < n, "edge out of range");
    }
    for r in &inv.roots {
        assert!(r.index() < n, "root out of range");
    }
    let graph = DepGraph::build(&inv);
    let _ = sovra::license::resolve_all(&inv);
    let reachable: Vec<_> = graph.reachable(Scope::All).collect();
    for p in reachable {
        let _ = graph.inclusion_path(p, Scope::All);
    }
}

/// Validates `data` as a `publiccode.yml` and, when it is valid, maps it to an inventory.
pub fn run_publiccode(data: &[u8]) {
    let _ = sovra::ingest::publiccode::read_in(Path::new("publiccode.yml"), None, data);
}

/// Parses and validates `data` as a `candidate.toml` in a directory that does not exist
/// (component files are then reported missing, never read).
pub fn run_candidate(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let dir = Path::new("/nonexistent-fuzz-dir");
        let _ = sovra::ingest::candidate::parse_manifest(&dir.join("candidate.toml"), text, dir);
    }
}

/// Loads `data` as a policy file over the embedded catalogue; files it names (`extends`,
/// user catalogues) read as unreadable.
pub fn run_policy(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let read = |p: &Path| -> sovra::Result<String> {
        if p == Path::new("fuzz.toml") {
            Ok(text.to_owned())
        } else {
            Err(sovra::Error::input(p, "not readable while fuzzing"))
        }
    };
    let dir = |p: &Path| -> sovra::Result<Vec<(std::path::PathBuf, String)>> {
        Err(sovra::Error::input(p, "not readable while fuzzing"))
    };
    let files = sovra::policy::Files {
        read: &read,
        catalogue_dir: &dir,
        canonical: &|_| None,
        kinds: &sovra::engine::kinds,
    };
    let Ok(mut catalogue) = sovra::engine::embedded_catalogue() else {
        return;
    };
    let req = sovra::policy::PolicyRequest {
        policy: Some("fuzz.toml".into()),
        project: None,
    };
    let _ = sovra::policy::load(&req, &mut catalogue, &files);
}

/// Parses `data` as a facts file from `sovra enrich`.
pub fn run_facts(data: &[u8]) {
    let _ = sovra::enrich::Facts::parse(Path::new("facts.json"), data);
}
