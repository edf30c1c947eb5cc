//! `sovra inventory`: what the inputs contain.
//!
//! The human form is a summary (packages per ecosystem, licence states, unknown
//! licences with their reasons, sources, roots, edges per kind, orphans, notices). The
//! JSON form (`--format json`) is the inventory and its dependency graph in the
//! versioned schema `sovra.inventory/1`, documented field by field in
//! `docs/inventory-json.md`; its serialisable types are in `report::schema::inventory`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{InputArgs, Status, emit};
use crate::error::{Error, Result};
use crate::graph::licenses::LicenseGraph;
use crate::graph::{DepGraph, Scope};
use crate::license::{self, LicenseState, Licenses, Parsed, UnknownReason};
use crate::model::{Inventory, PkgIdx, SourceKind};
pub(crate) use crate::report::schema::inventory::label;
use crate::report::schema::inventory::{scope_label, view};
use crate::text::escape_controls;

/// How many entries a list of the human summary shows (unknown licences, orphans,
/// notices) before it points at the JSON form.
const LISTED: usize = 20;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
}

pub(crate) fn run(args: Args) -> Result<Status> {
    let inv = args
        .input
        .flags
        .read(&args.input.inputs)?
        .0
        .loaded
        .inventory;
    let graph = DepGraph::build(&inv);
    let licenses = license::resolve_all(&inv);
    let text = match args.format {
        Format::Human => human(&inv, &graph, &licenses),
        Format::Json => {
            let terms = LicenseGraph::build(&licenses, &graph);
            let mut s = serde_json::to_string_pretty(&view(&inv, &graph, &licenses, &terms))
                .map_err(|e| Error::External(format!("cannot write JSON: {e}")))?;
            s.push('\n');
            s
        }
    };
    emit(&text)?;
    Ok(Status::Clean)
}

// ---------------------------------------------------------------------------------------
// Human summary

fn human(inv: &Inventory, graph: &DepGraph, licenses: &Licenses) -> String {
    let mut out = String::new();
    let mut section = |title: &str, rows: Vec<(String, String)>| {
        let _ = writeln!(out, "{title}");
        let width = rows
            .iter()
            .map(|(k, _)| escape_controls(k).chars().count())
            .max()
            .unwrap_or(0);
        for (k, v) in rows {
            // Keys and values come from inputs: a newline or an escape sequence in them
            // must not forge a line or reach the terminal.
            let (k, v) = (escape_controls(&k), escape_controls(&v));
            if v.is_empty() {
                let _ = writeln!(out, "  {k}");
            } else {
                let pad = width - k.chars().count();
                let _ = writeln!(out, "  {k}{}  {v}", " ".repeat(pad));
            }
        }
        out.push('\n');
    };

    section(
        &format!("inputs ({})", inv.inputs.len()),
        inv.inputs
            .iter()
            .map(|f| (f.path.display().to_string(), f.format.as_str().to_owned()))
            .collect(),
    );

    let mut ecosystems: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &inv.packages {
        *ecosystems.entry(p.ecosystem.as_str()).or_default() += 1;
    }
    section(
        &format!("packages ({})", inv.packages.len()),
        count_rows(ecosystems),
    );

    section(
        &format!("roots ({})", graph.roots().len()),
        graph
            .roots()
            .iter()
            .map(|&r| (label(inv, r), String::new()))
            .collect(),
    );

    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &inv.edges {
        *kinds.entry(e.kind.as_str()).or_default() += 1;
    }
    section(&format!("edges ({})", inv.edges.len()), count_rows(kinds));

    section(
        "reachable from the roots",
        [Scope::Runtime, Scope::Build, Scope::All]
            .into_iter()
            .map(|s| {
                (
                    scope_label(s).to_owned(),
                    graph.reachable(s).count().to_string(),
                )
            })
            .collect(),
    );

    let mut states: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unknown: Vec<(String, String)> = Vec::new();
    for (i, state) in licenses.per_package.iter().enumerate() {
        match state {
            LicenseState::Known(l) => {
                let k = match l.parsed {
                    Parsed::Strict => "known (valid SPDX)",
                    Parsed::Lenient { .. } => "known (rewritten leniently)",
                };
                *states.entry(k).or_default() += 1;
            }
            LicenseState::Unknown(reason) => {
                *states.entry(reason_label(reason)).or_default() += 1;
                unknown.push((label(inv, PkgIdx(i as u32)), reason_detail(reason)));
            }
        }
    }
    section("licences", count_rows(states));
    let mut classes: BTreeMap<crate::license::Class, usize> = BTreeMap::new();
    for state in &licenses.per_package {
        *classes.entry(state.class()).or_default() += 1;
    }
    section("licence classes", count_rows(classes));
    if !unknown.is_empty() {
        unknown.sort();
        let total = unknown.len();
        section(&format!("unknown licences ({total})"), capped(unknown));
    }

    let mut sources: BTreeMap<String, usize> = BTreeMap::new();
    for p in &inv.packages {
        let k = match &p.source {
            SourceKind::DefaultRegistry => "default registry".to_owned(),
            SourceKind::Registry(u) => format!("registry {u}"),
            SourceKind::Git(_) => "git".to_owned(),
            SourceKind::Path(_) => "path".to_owned(),
            SourceKind::Unknown => "unknown".to_owned(),
        };
        *sources.entry(k).or_default() += 1;
    }
    section(
        "sources",
        sources
            .into_iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect(),
    );

    if !graph.orphans().is_empty() {
        section(
            &format!("orphans: no root reaches them ({})", graph.orphans().len()),
            capped(
                graph
                    .orphans()
                    .iter()
                    .map(|&o| (label(inv, o), String::new()))
                    .collect(),
            ),
        );
    }
    if !inv.notices.is_empty() {
        let rows = inv
            .notices
            .iter()
            .map(|n| (n.message.to_string(), String::new()))
            .collect();
        section(&format!("notices ({})", inv.notices.len()), capped(rows));
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The first [`LISTED`] rows, and a last one saying how many more the JSON form has.
fn capped(mut rows: Vec<(String, String)>) -> Vec<(String, String)> {
    if rows.len() > LISTED {
        let more = rows.len() - LISTED;
        rows.truncate(LISTED);
        rows.push((
            format!("… and {more} more (see `--format json`)"),
            String::new(),
        ));
    }
    rows
}

fn count_rows<K: ToString>(counts: BTreeMap<K, usize>) -> Vec<(String, String)> {
    counts
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn reason_label(r: &UnknownReason) -> &'static str {
    match r {
        UnknownReason::Missing => "unknown: no licence stated",
        UnknownReason::NoAssertion => "unknown: NOASSERTION",
        UnknownReason::None => "unknown: NONE",
        UnknownReason::LicenseFileOnly(_) => "unknown: licence file only",
        UnknownReason::Unidentified { .. } => "unknown: licence file not identified",
        UnknownReason::Unparseable { .. } => "unknown: not a licence expression",
    }
}

fn reason_detail(r: &UnknownReason) -> String {
    match r {
        UnknownReason::Missing => "no licence stated".to_owned(),
        UnknownReason::NoAssertion => "NOASSERTION".to_owned(),
        UnknownReason::None => "NONE".to_owned(),
        UnknownReason::LicenseFileOnly(f) => format!("licence file `{f}` only"),
        UnknownReason::Unidentified { file, best, .. } if best.is_empty() => {
            format!("licence file `{file}` not identified (no licence text resembles it)")
        }
        UnknownReason::Unidentified { file, best, score } => {
            format!("licence file `{file}` not identified (best match `{best}`, score {score})")
        }
        UnknownReason::Unparseable { raw, .. } => format!("`{raw}` is not a licence expression"),
    }
}
