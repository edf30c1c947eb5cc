//! SARIF 2.1.0 output for code-scanning dashboards (GitHub, GitLab, Azure DevOps).
//!
//! Every catalogue rule that ran is a `reportingDescriptor` with its docs as help;
//! every finding a `result` pointing at the input file its package came from, with the
//! package as a logical location and the inclusion path in the message. Excepted
//! findings carry an accepted external suppression with the exception's reason.

use serde::Serialize;

use super::{help, input_path, why};
use crate::assess::Analysis;
use crate::finding::Level;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
    #[serde(rename = "columnKind")]
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Multiformat {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Multiformat,
    default_configuration: Configuration,
    properties: Properties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Properties {
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: std::collections::BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: Physical,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<Logical>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    region: Region,
}

#[derive(Serialize)]
struct Artifact {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Logical {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Gate | Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "note",
    }
}

/// A URI for a path: relative paths stay relative references, absolute ones become
/// `file:` URIs (SARIF forbids relative references that begin with a slash); forward
/// slashes, other reserved characters escaped.
fn uri(p: &std::path::Path) -> String {
    let s = p.display().to_string().replace('\\', "/");
    let (prefix, s) = if p.is_absolute() {
        ("file:///", s.trim_start_matches('/').to_owned())
    } else {
        ("", s)
    };
    let mut out = String::with_capacity(prefix.len() + s.len());
    out.push_str(prefix);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            // A drive letter's colon in a `file:` URI; in a relative reference a colon
            // would read as a scheme.
            b':' if !prefix.is_empty() => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub(super) fn render(a: &Analysis) -> String {
    let ran: Vec<&String> = a
        .policy
        .rules
        .iter()
        .filter(|(_, r)| r.enabled.value)
        .map(|(id, _)| id)
        .collect();
    let rules: Vec<Descriptor> = ran
        .iter()
        .filter_map(|id| a.catalogue.get(id))
        .map(|r| {
            let eff = a.policy.rules.get(&r.id);
            let lvl = eff.map_or(r.level, |e| e.level.value);
            Descriptor {
                id: r.id.clone(),
                name: r.name.clone(),
                short_description: Text {
                    text: r.summary.clone(),
                },
                full_description: Text {
                    text: r.docs.what.trim().to_owned(),
                },
                help: Multiformat {
                    text: r.docs.resolve.trim().to_owned(),
                    markdown: format!(
                        "**Why it matters**\n\n{}\n\n**How to resolve**\n\n{}",
                        r.docs.why.trim(),
                        r.docs.resolve.trim()
                    ),
                },
                default_configuration: Configuration { level: level(lvl) },
                properties: Properties {
                    tags: r.references.clone(),
                },
            }
        })
        .collect();
    let results = a
        .findings
        .iter()
        .map(|f| {
            let mut text = f.hit.message.to_string();
            if let Some(w) = why(a, f) {
                text.push_str(&format!(" (why: {w})"));
            }
            for n in &f.hit.notes {
                text.push_str(&format!("; {n}"));
            }
            if let Some(h) = help(a, f) {
                text.push_str(&format!("; help: {h}"));
            }
            let artifact = input_path(a, f).map_or_else(|| "inputs".to_owned(), |p| uri(&p));
            let logical = f
                .hit
                .package
                .map(|p| {
                    let p = a.inventory.package(p);
                    vec![Logical {
                        name: p.name.clone(),
                        fully_qualified_name: p.id.to_string(),
                        kind: "module",
                    }]
                })
                .unwrap_or_default();
            let mut fp = std::collections::BTreeMap::new();
            fp.insert(
                "sovraFinding/v1",
                format!(
                    "{}|{}|{}",
                    f.rule,
                    f.hit
                        .package
                        .map(|p| a.inventory.package(p).id.to_string())
                        .unwrap_or_default(),
                    f.hit.subject.clone().unwrap_or_default()
                ),
            );
            SarifResult {
                rule_id: f.rule.clone(),
                rule_index: rules.iter().position(|r| r.id == f.rule).unwrap_or(0),
                level: level(f.level),
                message: Text { text },
                locations: vec![Location {
                    physical_location: Physical {
                        artifact_location: Artifact { uri: artifact },
                        region: Region { start_line: 1 },
                    },
                    logical_locations: logical,
                }],
                partial_fingerprints: fp,
                suppressions: f
                    .exception
                    .iter()
                    .map(|e| Suppression {
                        kind: "external",
                        status: "accepted",
                        justification: format!(
                            "{} (owner {}, layer `{}`)",
                            e.reason, e.owner, e.layer
                        ),
                    })
                    .collect(),
            }
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "sovra",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://gitlab.opencode.de/sovra/sovra",
                    rules,
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}
