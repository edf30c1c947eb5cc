//! `sovra why <package> <inputs>...`: why a package is in the dependency graph.
//!
//! `<package>` is a name, `name@version` or a purl. For every matching package the
//! shortest inclusion path from a root is printed in the narrowest scope that reaches
//! it (runtime, else build, else dev), followed by its direct dependents with the kind
//! of each edge. The paths come precomputed from [`DepGraph`]; nothing is searched per
//! query. No match is a usage error (exit status 2) that suggests close names.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::inventory::label;
use super::{InputArgs, Status, emit};
use crate::error::{Error, Result};
use crate::graph::{DepGraph, Scope};
use crate::ingest::close_names;
use crate::model::{Inventory, Package, PkgIdx};
use crate::report::schema::inventory::scope_label;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The package: a name, name@version or purl
    #[arg(value_name = "PACKAGE")]
    pub package: String,
    #[command(flatten)]
    pub input: InputArgs,
}

pub(crate) fn run(args: Args) -> Result<Status> {
    let inv = args
        .input
        .flags
        .read(&args.input.inputs)?
        .0
        .loaded
        .inventory;
    let wanted = Wanted::parse(&args.package);
    let mut matches: Vec<PkgIdx> = (0..inv.packages.len())
        .map(|i| PkgIdx(i as u32))
        .filter(|&i| wanted.matches(inv.package(i)))
        .collect();
    if matches.is_empty() {
        return Err(no_match(&inv, &args.package, &wanted));
    }
    matches.sort_by(|&a, &b| {
        let (pa, pb) = (inv.package(a), inv.package(b));
        (&pa.name, &pa.version, &pa.id).cmp(&(&pb.name, &pb.version, &pb.id))
    });
    let graph = DepGraph::build(&inv);
    let mut out = String::new();
    for (n, &pkg) in matches.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        explain(&inv, &graph, pkg, &mut out);
    }
    emit(&out)?;
    Ok(Status::Clean)
}

fn explain(inv: &Inventory, graph: &DepGraph, pkg: PkgIdx, out: &mut String) {
    let p = inv.package(pkg);
    let _ = writeln!(out, "{}", label(inv, pkg));
    if let Some(purl) = p.purl() {
        let _ = writeln!(out, "  purl: {}", crate::text::escape_controls(purl));
    }
    if graph.roots().contains(&pkg) {
        let _ = writeln!(out, "  a root of the inputs");
    } else if graph.orphans().contains(&pkg) {
        let _ = writeln!(
            out,
            "  an orphan: no root reaches it, so it counts as a root of its own"
        );
    }
    let scope = [Scope::Runtime, Scope::Build, Scope::All]
        .into_iter()
        .find(|&s| graph.is_reachable(pkg, s));
    match scope.and_then(|s| graph.inclusion_path(pkg, s).map(|path| (s, path))) {
        Some((s, path)) if path.len() > 1 => {
            let names: Vec<String> = path.iter().map(|&i| label(inv, i)).collect();
            let _ = writeln!(out, "  path: {} ({})", names.join(" → "), scope_label(s));
        }
        Some(_) => {}
        None => {
            let _ = writeln!(out, "  not reachable from any root");
        }
    }
    let dependents: Vec<(PkgIdx, crate::model::EdgeKind)> = graph.dependents(pkg).collect();
    if dependents.is_empty() {
        let _ = writeln!(out, "  dependents: none");
    } else {
        let _ = writeln!(out, "  dependents:");
        let mut rows: Vec<(String, &str)> = dependents
            .iter()
            .map(|&(d, k)| (label(inv, d), k.as_str()))
            .collect();
        rows.sort();
        for (name, kind) in rows {
            let _ = writeln!(out, "    {name} ({kind})");
        }
    }
}

/// What the user asked for.
#[derive(Debug)]
enum Wanted {
    Name(String),
    NameVersion(String, String),
    Purl(String),
}

impl Wanted {
    fn parse(s: &str) -> Wanted {
        if s.starts_with("pkg:") {
            return Wanted::Purl(s.to_owned());
        }
        // `@scope/name@1.0.0`: the version separator is an `@` after the first character.
        match s.char_indices().skip(1).filter(|&(_, c)| c == '@').last() {
            Some((i, _)) => Wanted::NameVersion(s[..i].to_owned(), s[i + 1..].to_owned()),
            None => Wanted::Name(s.to_owned()),
        }
    }

    fn matches(&self, p: &Package) -> bool {
        match self {
            Wanted::Name(n) => &p.name == n,
            Wanted::NameVersion(n, v) => &p.name == n && p.version.as_deref() == Some(v),
            Wanted::Purl(u) => p.purl().is_some_and(|purl| {
                // `@` in a namespace may be written as is or percent-encoded.
                let plain = |s: &str| {
                    s.split(['?', '#'])
                        .next()
                        .unwrap_or(s)
                        .replace("%40", "@")
                        .to_lowercase()
                };
                let (purl, u) = (plain(purl), plain(u));
                let (purl, u) = (purl.as_str(), u.as_str());
                // A purl without version matches every version.
                purl == u
                    || purl
                        .strip_prefix(u)
                        .is_some_and(|rest| rest.starts_with('@'))
            }),
        }
    }

    fn name(&self) -> &str {
        match self {
            Wanted::Name(n) | Wanted::NameVersion(n, _) => n,
            Wanted::Purl(u) => {
                let u = u.split(['?', '#', '@']).next().unwrap_or(u);
                u.rsplit('/').next().unwrap_or(u)
            }
        }
    }
}

fn no_match(inv: &Inventory, asked: &str, wanted: &Wanted) -> Error {
    let names: BTreeSet<&str> = inv.packages.iter().map(|p| p.name.as_str()).collect();
    let mut msg = format!("no package matches `{asked}` in the inputs");
    if let Wanted::NameVersion(n, _) = wanted {
        let versions: Vec<String> = inv
            .packages
            .iter()
            .filter(|p| &p.name == n)
            .filter_map(|p| p.version.clone())
            .collect();
        if !versions.is_empty() {
            let _ = write!(msg, "; versions of `{n}` present: {}", versions.join(", "));
            return Error::Usage(msg);
        }
    }
    let close = close_names(wanted.name(), names);
    if !close.is_empty() {
        let list: Vec<String> = close.iter().map(|n| format!("`{n}`")).collect();
        let _ = write!(msg, "; did you mean {}?", list.join(", "));
    }
    Error::Usage(msg)
}
