//! The dependency graph over an [`Inventory`], and the licence graph beside it.
//!
//! petgraph lives only in this module: callers speak [`PkgIdx`], never node handles.
//! Everything here is computed once when the graph is built (reachability per scope and
//! the shortest inclusion path of every package, by one multi-source breadth-first
//! search per scope), so queries are O(path length) and nothing is quadratic in the
//! number of packages. Cycles are tolerated.
//!
//! Packages that no root reaches (a flat SBOM without a `dependencies` section, stray
//! lockfile entries) are treated as *orphan roots*: they are part of the product, so
//! they count as reachable at run time, and [`DepGraph::orphans`] lists them so rules can
//! say the input lacks dependency relationships.

pub(crate) mod licenses;

use std::collections::VecDeque;

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::model::{EdgeKind, Inventory, PkgIdx};

/// Which edge kinds a traversal follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Scope {
    /// Runtime and optional edges: what ships and runs.
    Runtime,
    /// Runtime, optional and build edges.
    Build,
    /// Every edge, dev included.
    All,
}

impl Scope {
    pub(crate) fn follows(self, kind: EdgeKind) -> bool {
        match self {
            Scope::Runtime => matches!(kind, EdgeKind::Runtime | EdgeKind::Optional),
            Scope::Build => kind != EdgeKind::Dev,
            Scope::All => true,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Scope::Runtime => "runtime",
            Scope::Build => "build",
            Scope::All => "all",
        }
    }

    const ALL: [Scope; 3] = [Scope::Runtime, Scope::Build, Scope::All];
}

/// Packages shown at the root end of a long inclusion path.
pub(crate) const SHOWN_HEAD: usize = 2;
/// Packages shown at the far end of a long inclusion path.
pub(crate) const SHOWN_TAIL: usize = 4;

/// An inclusion path as shown: `head`, then `omitted` packages left out, then `tail`
/// (empty when nothing is left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShortPath {
    pub head: Vec<PkgIdx>,
    pub omitted: usize,
    pub tail: Vec<PkgIdx>,
}

impl ShortPath {
    /// The shown packages, `None` where packages are left out.
    pub(crate) fn shown(&self) -> impl Iterator<Item = Option<PkgIdx>> + '_ {
        let gap = (self.omitted > 0).then_some(None);
        self.head
            .iter()
            .map(|p| Some(*p))
            .chain(gap)
            .chain(self.tail.iter().map(|p| Some(*p)))
    }
}

/// Breadth-first result for one scope: distance from the nearest root and the parent on
/// one shortest path (ties broken by the lower package index, so output is stable).
#[derive(Debug, Clone)]
struct Reach {
    dist: Vec<u32>,
    parent: Vec<u32>,
}

const UNREACHED: u32 = u32::MAX;

/// The dependency graph with reachability and inclusion paths precomputed.
#[derive(Debug, Clone)]
pub(crate) struct DepGraph {
    graph: DiGraph<PkgIdx, EdgeKind, u32>,
    roots: Vec<PkgIdx>,
    orphans: Vec<PkgIdx>,
    reach: [Reach; 3],
}

impl DepGraph {
    /// Builds the graph of `inv`. Node `i` is package `i`.
    pub(crate) fn build(inv: &Inventory) -> DepGraph {
        let n = inv.packages.len();
        let mut graph = DiGraph::with_capacity(n, inv.edges.len());
        for i in 0..n {
            graph.add_node(PkgIdx(i as u32));
        }
        // Edges are added in sorted order so neighbour iteration is deterministic.
        let mut edges: Vec<_> = inv.edges.iter().collect();
        edges.sort_by_key(|e| (e.from, e.to, e.kind));
        for e in &edges {
            if e.from.index() < n && e.to.index() < n && e.from != e.to {
                graph.add_edge(node(e.from), node(e.to), e.kind);
            }
        }

        let mut roots: Vec<PkgIdx> = inv.roots.clone();
        roots.sort();
        roots.dedup();

        // Orphans: not reachable from any root along any edge, and no incoming edge from
        // a package that is itself reachable. Each weakly-connected leftover gets its
        // packages without incoming edges as extra starting points (or its smallest
        // member when it is a pure cycle).
        let all = bfs(&graph, &roots, Scope::All);
        let mut orphans = Vec::new();
        let mut covered = all.dist.clone();
        for (i, _) in all
            .dist
            .iter()
            .enumerate()
            .filter(|(_, d)| **d == UNREACHED)
        {
            let has_incoming = graph
                .edges_directed(NodeIndex::new(i), Direction::Incoming)
                .next()
                .is_some();
            if !has_incoming {
                orphans.push(PkgIdx(i as u32));
            }
        }
        let mut starts: Vec<PkgIdx> = roots.iter().chain(&orphans).copied().collect();
        mark(&graph, &starts, &mut covered);
        // Pure cycles unreachable from anything: take their smallest member.
        for i in 0..n {
            if covered[i] == UNREACHED {
                let p = PkgIdx(i as u32);
                orphans.push(p);
                mark(&graph, &[p], &mut covered);
            }
        }
        orphans.sort();
        starts = roots.iter().chain(&orphans).copied().collect();
        starts.sort();
        starts.dedup();

        let reach = Scope::ALL.map(|scope| bfs(&graph, &starts, scope));
        DepGraph {
            graph,
            roots,
            orphans,
            reach,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.graph.node_count()
    }

    /// The declared roots.
    pub(crate) fn roots(&self) -> &[PkgIdx] {
        &self.roots
    }

    /// Whether `pkg` is a declared root (the roots are sorted).
    pub(crate) fn is_root(&self, pkg: PkgIdx) -> bool {
        self.roots.binary_search(&pkg).is_ok()
    }

    /// Packages no declared root reaches, treated as roots of their own.
    pub(crate) fn orphans(&self) -> &[PkgIdx] {
        &self.orphans
    }

    fn reach(&self, scope: Scope) -> &Reach {
        match scope {
            Scope::Runtime => &self.reach[0],
            Scope::Build => &self.reach[1],
            Scope::All => &self.reach[2],
        }
    }

    /// Whether `pkg` is reachable from a root (or orphan root) in `scope`.
    pub(crate) fn is_reachable(&self, pkg: PkgIdx, scope: Scope) -> bool {
        self.reach(scope)
            .dist
            .get(pkg.index())
            .is_some_and(|&d| d != UNREACHED)
    }

    /// Every package reachable in `scope`, in index order.
    pub(crate) fn reachable(&self, scope: Scope) -> impl Iterator<Item = PkgIdx> + '_ {
        self.reach(scope)
            .dist
            .iter()
            .enumerate()
            .filter(|(_, d)| **d != UNREACHED)
            .map(|(i, _)| PkgIdx(i as u32))
    }

    /// The narrowest scope in which `pkg` is reachable, if any.
    pub(crate) fn scope_of(&self, pkg: PkgIdx) -> Option<Scope> {
        Scope::ALL.into_iter().find(|&s| self.is_reachable(pkg, s))
    }

    /// Distance (in edges) from the nearest root in `scope`.
    pub(crate) fn depth(&self, pkg: PkgIdx, scope: Scope) -> Option<u32> {
        let d = *self.reach(scope).dist.get(pkg.index())?;
        (d != UNREACHED).then_some(d)
    }

    /// One shortest inclusion path in `scope`, from a root to `pkg` (both included).
    pub(crate) fn inclusion_path(&self, pkg: PkgIdx, scope: Scope) -> Option<Vec<PkgIdx>> {
        let reach = self.reach(scope);
        if *reach.dist.get(pkg.index())? == UNREACHED {
            return None;
        }
        let mut path = vec![pkg];
        let mut cur = pkg.index();
        while reach.parent[cur] != UNREACHED {
            cur = reach.parent[cur] as usize;
            path.push(PkgIdx(cur as u32));
        }
        path.reverse();
        Some(path)
    }

    /// The inclusion path of `pkg` in `scope` as shown to people: the whole path when it
    /// has at most [`SHOWN_HEAD`] + [`SHOWN_TAIL`] + 1 packages, otherwise its first
    /// [`SHOWN_HEAD`] packages, the number left out, and its last [`SHOWN_TAIL`]. Output
    /// stays linear in the number of findings however deep the graph.
    pub(crate) fn short_path(&self, pkg: PkgIdx, scope: Scope) -> Option<ShortPath> {
        let reach = self.reach(scope);
        let depth = *reach.dist.get(pkg.index())? as usize;
        if depth == UNREACHED as usize {
            return None;
        }
        let len = depth + 1;
        let mut tail = Vec::with_capacity(len.min(SHOWN_TAIL + SHOWN_HEAD + 1));
        let mut cur = pkg.index();
        tail.push(pkg);
        while reach.parent[cur] != UNREACHED {
            cur = reach.parent[cur] as usize;
            tail.push(PkgIdx(cur as u32));
        }
        tail.reverse();
        if len <= SHOWN_HEAD + SHOWN_TAIL + 1 {
            return Some(ShortPath {
                head: tail,
                omitted: 0,
                tail: Vec::new(),
            });
        }
        let head = tail[..SHOWN_HEAD].to_vec();
        let tail = tail[len - SHOWN_TAIL..].to_vec();
        Some(ShortPath {
            head,
            omitted: len - SHOWN_HEAD - SHOWN_TAIL,
            tail,
        })
    }

    /// The parent of `pkg` on its shortest inclusion path in `scope` (`None` for a root
    /// or an unreached package).
    pub(crate) fn path_parent(&self, pkg: PkgIdx, scope: Scope) -> Option<PkgIdx> {
        let p = *self.reach(scope).parent.get(pkg.index())?;
        (p != UNREACHED).then_some(PkgIdx(p))
    }

    /// Direct dependencies of `pkg` with the edge kind, sorted by package index.
    pub(crate) fn dependencies(
        &self,
        pkg: PkgIdx,
    ) -> impl Iterator<Item = (PkgIdx, EdgeKind)> + '_ {
        self.neighbours(pkg, Direction::Outgoing)
    }

    /// Direct dependents of `pkg` with the edge kind, sorted by package index.
    pub(crate) fn dependents(&self, pkg: PkgIdx) -> impl Iterator<Item = (PkgIdx, EdgeKind)> + '_ {
        self.neighbours(pkg, Direction::Incoming)
    }

    fn neighbours(
        &self,
        pkg: PkgIdx,
        dir: Direction,
    ) -> impl Iterator<Item = (PkgIdx, EdgeKind)> + '_ {
        let mut out: Vec<(PkgIdx, EdgeKind)> = if pkg.index() < self.graph.node_count() {
            self.graph
                .edges_directed(node(pkg), dir)
                .map(|e| {
                    let other = if dir == Direction::Outgoing {
                        e.target()
                    } else {
                        e.source()
                    };
                    (PkgIdx(other.index() as u32), *e.weight())
                })
                .collect()
        } else {
            Vec::new()
        };
        out.sort();
        out.dedup();
        out.into_iter()
    }

    /// Edges between two packages both reachable in `scope`, followed in `scope`:
    /// `(dependent, dependency, kind)`, sorted.
    pub(crate) fn edges_in(&self, scope: Scope) -> Vec<(PkgIdx, PkgIdx, EdgeKind)> {
        let mut out: Vec<_> = self
            .graph
            .edge_references()
            .filter(|e| scope.follows(*e.weight()))
            .map(|e| {
                (
                    PkgIdx(e.source().index() as u32),
                    PkgIdx(e.target().index() as u32),
                    *e.weight(),
                )
            })
            .filter(|(a, _, _)| self.is_reachable(*a, scope))
            .collect();
        out.sort();
        out
    }
}

fn node(p: PkgIdx) -> NodeIndex<u32> {
    NodeIndex::new(p.index())
}

fn bfs(graph: &DiGraph<PkgIdx, EdgeKind, u32>, starts: &[PkgIdx], scope: Scope) -> Reach {
    let n = graph.node_count();
    let mut dist = vec![UNREACHED; n];
    let mut parent = vec![UNREACHED; n];
    let mut queue = VecDeque::new();
    for s in starts {
        if s.index() < n && dist[s.index()] == UNREACHED {
            dist[s.index()] = 0;
            queue.push_back(s.index());
        }
    }
    let mut next: Vec<usize> = Vec::new();
    while let Some(cur) = queue.pop_front() {
        next.clear();
        next.extend(
            graph
                .edges_directed(NodeIndex::new(cur), Direction::Outgoing)
                .filter(|e| scope.follows(*e.weight()))
                .map(|e| e.target().index()),
        );
        next.sort_unstable();
        for &t in &next {
            if dist[t] == UNREACHED {
                dist[t] = dist[cur] + 1;
                parent[t] = cur as u32;
                queue.push_back(t);
            }
        }
    }
    Reach { dist, parent }
}

fn mark(graph: &DiGraph<PkgIdx, EdgeKind, u32>, starts: &[PkgIdx], covered: &mut [u32]) {
    let mut stack = Vec::new();
    for s in starts {
        if covered[s.index()] == UNREACHED {
            covered[s.index()] = 0;
            stack.push(s.index());
        }
    }
    while let Some(cur) = stack.pop() {
        for e in graph.edges_directed(NodeIndex::new(cur), Direction::Outgoing) {
            let t = e.target().index();
            if covered[t] == UNREACHED {
                covered[t] = 0;
                stack.push(t);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Ecosystem, Package, PackageId};

    fn inv(n: usize, edges: &[(u32, u32, EdgeKind)], roots: &[u32]) -> Inventory {
        let mut inv = Inventory::new();
        for i in 0..n {
            inv.add_package(Package {
                id: PackageId::synthetic(&Ecosystem::Cargo, &format!("p{i}"), None),
                name: format!("p{i}"),
                ..Package::default()
            });
        }
        for &(a, b, k) in edges {
            inv.add_edge(PkgIdx(a), PkgIdx(b), k, None);
        }
        for &r in roots {
            inv.add_root(PkgIdx(r));
        }
        inv
    }

    fn path(g: &DepGraph, p: u32, scope: Scope) -> Option<Vec<u32>> {
        g.inclusion_path(PkgIdx(p), scope)
            .map(|v| v.into_iter().map(|p| p.0).collect())
    }

    #[test]
    fn scopes_and_shortest_paths() {
        use EdgeKind::*;
        // 0 -> 1 -> 2 -> 3, 0 -> 3 (dev), 0 -> 4 (build), 4 -> 5
        let g = DepGraph::build(&inv(
            6,
            &[
                (0, 1, Runtime),
                (1, 2, Runtime),
                (2, 3, Runtime),
                (0, 3, Dev),
                (0, 4, Build),
                (4, 5, Runtime),
            ],
            &[0],
        ));
        assert_eq!(path(&g, 3, Scope::Runtime), Some(vec![0, 1, 2, 3]));
        assert_eq!(path(&g, 3, Scope::All), Some(vec![0, 3]));
        assert_eq!(path(&g, 5, Scope::Runtime), None);
        assert_eq!(path(&g, 5, Scope::Build), Some(vec![0, 4, 5]));
        assert_eq!(g.scope_of(PkgIdx(5)), Some(Scope::Build));
        assert_eq!(g.scope_of(PkgIdx(3)), Some(Scope::Runtime));
        assert!(g.orphans().is_empty());
    }

    #[test]
    fn cycles_and_orphans() {
        use EdgeKind::*;
        // root 0 -> 1 -> 0 (cycle); 2 -> 3 unreachable (2 is an orphan root);
        // 4 <-> 5 pure unreachable cycle.
        let g = DepGraph::build(&inv(
            6,
            &[
                (0, 1, Runtime),
                (1, 0, Runtime),
                (2, 3, Runtime),
                (4, 5, Runtime),
                (5, 4, Runtime),
            ],
            &[0],
        ));
        assert_eq!(path(&g, 1, Scope::Runtime), Some(vec![0, 1]));
        assert_eq!(g.orphans(), &[PkgIdx(2), PkgIdx(4)]);
        assert_eq!(path(&g, 3, Scope::Runtime), Some(vec![2, 3]));
        assert_eq!(path(&g, 5, Scope::Runtime), Some(vec![4, 5]));
        assert_eq!(
            g.dependents(PkgIdx(0)).collect::<Vec<_>>(),
            vec![(PkgIdx(1), Runtime)]
        );
    }

    #[test]
    fn no_roots_means_every_source_is_an_orphan_root() {
        let g = DepGraph::build(&inv(3, &[], &[]));
        assert_eq!(g.orphans().len(), 3);
        assert!(g.reachable(Scope::Runtime).count() == 3);
    }
}
