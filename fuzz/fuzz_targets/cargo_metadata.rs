//! Fuzz target: `sovra::ingest::parse_as` with `InputFormat::CargoMetadata`. Any input must give
//! an error or a well-formed inventory (indices in range) that the graph and licence
//! stages accept, never a panic.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sovra::graph::{DepGraph, Scope};
use sovra::ingest::parse_as;
use sovra::model::InputFormat;

fuzz_target!(|data: &[u8]| {
    let Ok(inv) = parse_as(InputFormat::CargoMetadata, Path::new("fuzz-input"), data) else {
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
});
