//! The licence graph: packages → licence terms.
//!
//! A term is one licence requirement of an expression: a licence id (or `LicenseRef-`),
//! its or-later flag and its exception (`GPL-2.0-or-later`, `Apache-2.0 WITH
//! LLVM-exception`). A package links to every term of its expression; the link is
//! *mandatory* when the term is in every `OR` alternative (an `AND` part) and
//! *alternative* otherwise, and the alternatives themselves are kept per package. Built
//! once from the interpreted licences and the dependency graph (each package's
//! narrowest scope), so "which runtime packages bring GPL-3.0-only" is one lookup.

use std::collections::BTreeMap;

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use spdx::{LicenseItem, LicenseReq};

use super::{DepGraph, Scope};
use crate::license::{self, Licenses};
use crate::model::PkgIdx;

/// How a package holds a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Link {
    /// In every alternative: the package cannot be used without it.
    Mandatory,
    /// In some alternatives only: the licensee may choose another.
    Alternative,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Package,
    Term(u32),
}

/// One package's alternatives and its distinct requirements, while building.
type PackageTerms = (Vec<Vec<LicenseReq>>, Vec<LicenseReq>);

/// A term with the packages that hold it, for [`LicenseGraph::terms`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TermCount<'a> {
    pub term: &'a LicenseReq,
    /// Packages holding the term at all.
    pub packages: usize,
    /// Packages that cannot avoid it.
    pub mandatory: usize,
}

/// Packages linked to their licence terms.
#[derive(Debug, Clone)]
pub(crate) struct LicenseGraph {
    graph: DiGraph<Node, Link, u32>,
    packages: usize,
    /// Term index → requirement, sorted.
    terms: Vec<LicenseReq>,
    /// Per package: its alternatives as term indices (empty when unknown or too many).
    #[cfg_attr(not(test), allow(dead_code))] // read by `alternatives`, a test view
    alternatives: Vec<Vec<Vec<u32>>>,
    /// Per package: the narrowest scope that reaches it.
    scope: Vec<Option<Scope>>,
}

impl LicenseGraph {
    /// Builds the graph. Packages with an unknown licence have no terms.
    pub(crate) fn build(licenses: &Licenses, deps: &DepGraph) -> LicenseGraph {
        let n = licenses.per_package.len();
        // Collect terms and per-package alternatives first so term indices are sorted.
        let mut per_pkg: Vec<Option<PackageTerms>> = Vec::with_capacity(n);
        let mut all_terms: BTreeMap<LicenseReq, u32> = BTreeMap::new();
        for state in &licenses.per_package {
            let Some(l) = state.known() else {
                per_pkg.push(None);
                continue;
            };
            let mut reqs: Vec<LicenseReq> =
                l.expression.requirements().map(|r| r.req.clone()).collect();
            reqs.sort();
            reqs.dedup();
            for r in &reqs {
                all_terms.entry(r.clone()).or_insert(0);
            }
            let alts = license::alternatives(&l.expression).unwrap_or_default();
            per_pkg.push(Some((alts, reqs)));
        }
        let terms: Vec<LicenseReq> = all_terms.keys().cloned().collect();
        for (i, v) in all_terms.values_mut().enumerate() {
            *v = i as u32;
        }

        let mut graph = DiGraph::with_capacity(n + terms.len(), n);
        for _ in 0..n {
            graph.add_node(Node::Package);
        }
        for i in 0..terms.len() {
            graph.add_node(Node::Term(i as u32));
        }
        let mut alternatives = Vec::with_capacity(n);
        for (p, entry) in per_pkg.into_iter().enumerate() {
            let Some((alts, reqs)) = entry else {
                alternatives.push(Vec::new());
                continue;
            };
            let alts: Vec<Vec<u32>> = alts
                .iter()
                .map(|a| a.iter().map(|r| all_terms[r]).collect())
                .collect();
            for r in &reqs {
                let t = all_terms[r];
                let mandatory = !alts.is_empty() && alts.iter().all(|a| a.contains(&t));
                let link = if mandatory {
                    Link::Mandatory
                } else {
                    Link::Alternative
                };
                graph.add_edge(NodeIndex::new(p), NodeIndex::new(n + t as usize), link);
            }
            alternatives.push(alts);
        }
        let scope = (0..n).map(|i| deps.scope_of(PkgIdx(i as u32))).collect();
        LicenseGraph {
            graph,
            packages: n,
            terms,
            alternatives,
            scope,
        }
    }

    fn in_scope(&self, pkg: usize, scope: Scope) -> bool {
        self.scope
            .get(pkg)
            .copied()
            .flatten()
            .is_some_and(|s| s <= scope)
    }

    fn term_index(&self, term: &LicenseReq) -> Option<usize> {
        self.terms.binary_search(term).ok()
    }

    /// Every term with its package counts in `scope`, sorted by term.
    pub(crate) fn terms(&self, scope: Scope) -> Vec<TermCount<'_>> {
        (0..self.terms.len())
            .map(|t| {
                let holders = self.holders(t, scope);
                TermCount {
                    term: &self.terms[t],
                    packages: holders.len(),
                    mandatory: holders
                        .iter()
                        .filter(|(_, l)| *l == Link::Mandatory)
                        .count(),
                }
            })
            .filter(|c| c.packages > 0)
            .collect()
    }

    fn holders(&self, t: usize, scope: Scope) -> Vec<(PkgIdx, Link)> {
        let mut out: Vec<(PkgIdx, Link)> = self
            .graph
            .edges_directed(NodeIndex::new(self.packages + t), Direction::Incoming)
            .filter(|e| self.in_scope(e.source().index(), scope))
            .map(|e| (PkgIdx(e.source().index() as u32), *e.weight()))
            .collect();
        out.sort();
        out
    }

    /// Packages in `scope` whose licence contains `term` in any alternative.
    pub(crate) fn packages_with(&self, term: &LicenseReq, scope: Scope) -> Vec<PkgIdx> {
        self.term_index(term)
            .map(|t| self.holders(t, scope).into_iter().map(|(p, _)| p).collect())
            .unwrap_or_default()
    }

    /// Packages in `scope` that cannot avoid `term` (it is in every alternative).
    pub(crate) fn packages_requiring(&self, term: &LicenseReq, scope: Scope) -> Vec<PkgIdx> {
        self.term_index(term)
            .map(|t| {
                self.holders(t, scope)
                    .into_iter()
                    .filter(|(_, l)| *l == Link::Mandatory)
                    .map(|(p, _)| p)
                    .collect()
            })
            .unwrap_or_default()
    }

    #[cfg_attr(not(test), allow(dead_code))] // for tests only
    /// Packages in `scope` with a term of licence `id` (any exception or or-later
    /// form): "which runtime packages bring GPL-3.0-only".
    pub(crate) fn packages_with_license(&self, id: &str, scope: Scope) -> Vec<PkgIdx> {
        let mut out: Vec<PkgIdx> = self
            .terms
            .iter()
            .enumerate()
            .filter(|(_, r)| match &r.license {
                LicenseItem::Spdx { id: lid, .. } => lid.name == id,
                LicenseItem::Other(o) => {
                    o.doc_ref.is_none() && id.strip_prefix("LicenseRef-") == Some(&o.lic_ref)
                }
            })
            .flat_map(|(t, _)| self.holders(t, scope))
            .map(|(p, _)| p)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// A package's terms with how it holds them, sorted by term.
    pub(crate) fn terms_of(&self, pkg: PkgIdx) -> Vec<(&LicenseReq, Link)> {
        if pkg.index() >= self.packages {
            return Vec::new();
        }
        let mut out: Vec<(&LicenseReq, Link)> = self
            .graph
            .edges_directed(NodeIndex::new(pkg.index()), Direction::Outgoing)
            .filter_map(|e| match self.graph[e.target()] {
                Node::Term(t) => Some((&self.terms[t as usize], *e.weight())),
                Node::Package => None,
            })
            .collect();
        out.sort();
        out
    }

    #[cfg_attr(not(test), allow(dead_code))] // for tests only
    /// A package's alternatives: sets of terms that apply together, one of which the
    /// licensee chooses. Empty for an unknown licence (or one with too many
    /// alternatives to list).
    pub(crate) fn alternatives(&self, pkg: PkgIdx) -> Vec<Vec<&LicenseReq>> {
        self.alternatives
            .get(pkg.index())
            .map(|alts| {
                alts.iter()
                    .map(|a| a.iter().map(|&t| &self.terms[t as usize]).collect())
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Ecosystem, EdgeKind, Inventory, Package, PackageId};

    fn inv(licences: &[&str], edges: &[(u32, u32, EdgeKind)]) -> Inventory {
        let mut inv = Inventory::new();
        for (i, l) in licences.iter().enumerate() {
            inv.add_package(Package {
                id: PackageId::synthetic(&Ecosystem::Cargo, &format!("p{i}"), None),
                name: format!("p{i}"),
                declared: if l.is_empty() {
                    vec![]
                } else {
                    vec![(*l).to_owned()]
                },
                ..Package::default()
            });
        }
        for &(a, b, k) in edges {
            inv.add_edge(PkgIdx(a), PkgIdx(b), k, None);
        }
        inv.add_root(PkgIdx(0));
        inv
    }

    fn req(s: &str) -> LicenseReq {
        spdx::Expression::parse(s)
            .unwrap()
            .requirements()
            .next()
            .unwrap()
            .req
            .clone()
    }

    #[test]
    fn terms_alternatives_and_scopes() {
        use EdgeKind::*;
        let inv = inv(
            &[
                "MIT",
                "MIT OR Apache-2.0",
                "GPL-3.0-only AND MIT",
                "GPL-2.0-only WITH Classpath-exception-2.0",
                "",
                "GPL-3.0-only",
            ],
            &[
                (0, 1, Runtime),
                (0, 2, Runtime),
                (0, 3, Runtime),
                (0, 4, Runtime),
                (0, 5, Dev),
            ],
        );
        let deps = DepGraph::build(&inv);
        let g = LicenseGraph::build(&license::resolve_all(&inv), &deps);
        let gpl3 = req("GPL-3.0-only");
        assert_eq!(g.packages_with(&gpl3, Scope::Runtime), vec![PkgIdx(2)]);
        assert_eq!(
            g.packages_with(&gpl3, Scope::All),
            vec![PkgIdx(2), PkgIdx(5)]
        );
        assert_eq!(
            g.packages_requiring(&req("MIT"), Scope::Runtime),
            vec![PkgIdx(0), PkgIdx(2)]
        );
        assert_eq!(
            g.packages_with(&req("MIT"), Scope::Runtime),
            vec![PkgIdx(0), PkgIdx(1), PkgIdx(2)]
        );
        assert_eq!(
            g.packages_with_license("GPL-2.0-only", Scope::Runtime),
            vec![PkgIdx(3)]
        );
        assert_eq!(
            g.terms_of(PkgIdx(1)),
            vec![
                (&req("Apache-2.0"), Link::Alternative),
                (&req("MIT"), Link::Alternative)
            ]
        );
        let alts: Vec<Vec<String>> = g
            .alternatives(PkgIdx(1))
            .iter()
            .map(|a| a.iter().map(|r| r.to_string()).collect())
            .collect();
        assert_eq!(
            alts,
            vec![vec!["MIT".to_owned()], vec!["Apache-2.0".to_owned()]]
        );
        assert!(g.terms_of(PkgIdx(4)).is_empty());
        let counts: Vec<(String, usize, usize)> = g
            .terms(Scope::Runtime)
            .iter()
            .map(|c| (c.term.to_string(), c.packages, c.mandatory))
            .collect();
        assert_eq!(
            counts,
            vec![
                ("Apache-2.0".into(), 1, 0),
                ("GPL-2.0-only WITH Classpath-exception-2.0".into(), 1, 1),
                ("GPL-3.0-only".into(), 1, 1),
                ("MIT".into(), 3, 2),
            ]
        );
    }
}
