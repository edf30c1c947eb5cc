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
