//! JSON output of `check`: a small, versioned document for scripts and dashboards,
//! documented field by field in `docs/output-schemas.md`.
//!
//! Schema `sovra.check/3` (version 2 wrote `"version": 2` instead of `schema`):
//! `{ "schema": "sovra.check/3", "tool": {name, version}, "policy": {chain,
//! layers: [{name, path}]}, "summary": {gate, deny, warn, allow, excepted, failed,
//! fail_on}, "findings": [{rule, name, level, package?: {name, version, id},
//! message, notes, path: N | null, exception?: {reason, owner, expires, layer}}],
//! "paths": [{package: "name@version", parent: N | null}], "notices": [{input,
//! message}] }`.
//!
//! Inclusion paths are a tree written once: a finding's `path` is the index in
//! `paths` of its package's entry; following `parent` up to `null` gives the path from
//! the package back to its root. Findings that share a path, or part of one, share
//! its entries, so the document stays linear in the findings however deep the graph
//! (version 1 repeated the whole path in every finding).

use std::collections::HashMap;

use serde::Serialize;

use crate::assess::Analysis;
use crate::finding::Level;
use crate::graph::Scope;
use crate::model::PkgIdx;
use crate::text::Text;

/// The schema identifier of `sovra check --format json`.
pub(crate) const SCHEMA: &str = "sovra.check/3";

#[derive(Serialize)]
struct Doc<'a> {
    /// Always [`SCHEMA`].
    schema: &'static str,
    tool: Tool,
    policy: Policy,
    summary: Summary,
    findings: Vec<FindingOut<'a>>,
    /// The inclusion paths of the findings, as a tree.
    paths: Vec<PathNode>,
    /// Odd but valid things ingest noticed in the inputs.
    notices: Vec<NoticeOut>,
}

#[derive(Serialize)]
struct NoticeOut {
    input: String,
    message: String,
}

#[derive(Serialize)]
struct PathNode {
    package: String,
    parent: Option<usize>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Policy {
    chain: String,
    layers: Vec<LayerOut>,
    /// Policy files found among the inputs and not applied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_applied: Vec<String>,
}

#[derive(Serialize)]
struct LayerOut {
    name: String,
    path: String,
}

#[derive(Serialize)]
struct Summary {
    gate: usize,
    deny: usize,
    warn: usize,
    allow: usize,
    excepted: usize,
    failed: bool,
    fail_on: &'static str,
}

#[derive(Serialize)]
struct PackageOut<'a> {
    name: &'a str,
    version: Option<&'a str>,
    id: String,
}

#[derive(Serialize)]
struct ExceptionOut<'a> {
    reason: &'a str,
    owner: &'a str,
    expires: Option<&'a str>,
    layer: &'a str,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule: &'a str,
    name: &'a str,
    level: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    package: Option<PackageOut<'a>>,
    message: &'a str,
    notes: &'a [String],
    path: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exception: Option<ExceptionOut<'a>>,
}

/// The inclusion-path tree, built as findings ask for their paths.
#[derive(Default)]
struct Paths {
    nodes: Vec<PathNode>,
    index: HashMap<(PkgIdx, Scope), usize>,
}

impl Paths {
    /// The entry of `pkg`'s path in `scope`, adding it and any missing ancestors.
    fn node(&mut self, a: &Analysis, pkg: PkgIdx, scope: Scope) -> usize {
        // Walk up to the first package already written (or the root).
        let mut missing = Vec::new();
        let mut cur = Some(pkg);
        let mut parent = None;
        while let Some(p) = cur {
            if let Some(&i) = self.index.get(&(p, scope)) {
                parent = Some(i);
                break;
            }
            missing.push(p);
            cur = a.graph.path_parent(p, scope);
        }
        for p in missing.into_iter().rev() {
            let i = self.nodes.len();
            self.nodes.push(PathNode {
                package: a.inventory.package(p).display_name(),
                parent,
            });
            self.index.insert((p, scope), i);
            parent = Some(i);
        }
        parent.unwrap_or_default()
    }
}

pub(crate) fn render(a: &Analysis, fail_on: Level) -> String {
    let mut paths = Paths::default();
    let counts = a.counts();
    let count = |l: Level| counts.iter().find(|(x, _)| *x == l).map_or(0, |c| c.1);
    // The English words of every finding (most of a large document's cost), rendered
    // in consecutive parts on a few threads when there are many, kept in order.
    let words: Vec<(String, Vec<String>)> = crate::parallel::map_in_parallel(&a.findings, |f| {
        let notes = f.hit.notes.iter().map(Text::to_string).collect();
        (f.hit.message.to_string(), notes)
    });
    let doc = Doc {
        schema: SCHEMA,
        tool: Tool {
            name: "sovra",
            version: env!("CARGO_PKG_VERSION"),
        },
        policy: Policy {
            chain: a.policy.chain(),
            layers: a
                .policy
                .layers
                .iter()
                .map(|l| LayerOut {
                    name: l.name.clone(),
                    path: l.path.display().to_string(),
                })
                .collect(),
            not_applied: a
                .policy
                .not_applied
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
        },
        summary: Summary {
            gate: count(Level::Gate),
            deny: count(Level::Deny),
            warn: count(Level::Warn),
            allow: count(Level::Allow),
            excepted: a.findings.iter().filter(|f| f.exception.is_some()).count(),
            failed: a.fails(fail_on),
            fail_on: fail_on.as_str(),
        },
        findings: a
            .findings
            .iter()
            .zip(&words)
            .map(|(f, (message, notes))| FindingOut {
                rule: &f.rule,
                name: a.catalogue.get(&f.rule).map_or("", |r| r.name.as_str()),
                level: f.level.as_str(),
                package: f.hit.package.map(|p| {
                    let p = a.inventory.package(p);
                    PackageOut {
                        name: &p.name,
                        version: p.version.as_deref(),
                        id: p.id.to_string(),
                    }
                }),
                message,
                notes,
                path: f.path.map(|(p, scope)| paths.node(a, p, scope)),
                exception: f.exception.as_ref().map(|e| ExceptionOut {
                    reason: &e.reason,
                    owner: &e.owner,
                    expires: e.expires.as_deref(),
                    layer: &e.layer,
                }),
            })
            .collect(),
        paths: std::mem::take(&mut paths.nodes),
        notices: a
            .inventory
            .notices
            .iter()
            .map(|n| NoticeOut {
                input: a
                    .inventory
                    .inputs
                    .get(n.input.0 as usize)
                    .map(|i| i.path.display().to_string())
                    .unwrap_or_default(),
                message: n.message.to_string(),
            })
            .collect(),
    };
    // Reserved once (about 700 bytes per finding), so a large offer's document is not
    // copied each time the buffer would have grown.
    let mut buf = Vec::with_capacity(a.findings.len().saturating_mul(704));
    if serde_json::to_writer_pretty(&mut buf, &doc).is_err() {
        buf.clear();
    }
    buf.push(b'\n');
    String::from_utf8(buf).unwrap_or_default()
}
