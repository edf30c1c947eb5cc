//! JSON output of `check`: a small, versioned document for scripts and dashboards.
//!
//! Schema (version 1): `{ "version": 1, "tool": {name, version}, "policy": {chain,
//! layers: [{name, path}]}, "summary": {gate, deny, warn, allow, excepted, failed,
//! fail_on}, "findings": [{rule, name, level, package?: {name, version, id},
//! message, notes, path: ["name@version", …], exception?: {reason, owner, expires,
//! layer}}], "notices": [{input, message}] }`.

use serde::Serialize;

use crate::assess::Analysis;
use crate::finding::Level;
use crate::text::Text;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    tool: Tool,
    policy: Policy,
    summary: Summary,
    findings: Vec<FindingOut<'a>>,
    /// Odd but valid things ingest noticed in the inputs.
    notices: Vec<NoticeOut>,
}

#[derive(Serialize)]
struct NoticeOut {
    input: String,
    message: String,
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
    message: &'a Text,
    notes: &'a [Text],
    path: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exception: Option<ExceptionOut<'a>>,
}

pub(super) fn render(a: &Analysis, fail_on: Level) -> String {
    let counts = a.counts();
    let count = |l: Level| counts.iter().find(|(x, _)| *x == l).map_or(0, |c| c.1);
    let doc = Doc {
        version: 1,
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
            .map(|f| FindingOut {
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
                message: &f.hit.message,
                notes: &f.hit.notes,
                path: f
                    .path
                    .iter()
                    .map(|p| a.inventory.package(*p).display_name())
                    .collect(),
                exception: f.exception.as_ref().map(|e| ExceptionOut {
                    reason: &e.reason,
                    owner: &e.owner,
                    expires: e.expires.as_deref(),
                    layer: &e.layer,
                }),
            })
            .collect(),
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
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
