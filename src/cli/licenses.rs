//! `sovra licenses`: every distinct licence expression of the inputs with its class, OSI
//! flag and packages; unknown licences grouped by reason; every lenient rewrite.
//!
//! The JSON form (`--format json`) has the versioned schema `sovra.licenses/1`,
//! documented in `docs/licenses-json.md`; its serialisable types live here.

use std::fmt::Write as _;

use super::{InputArgs, Status, emit};
use crate::error::{Error, Result};
use crate::graph::{DepGraph, Scope};
use crate::license;
use crate::report::schema::licenses::{LicensesJson, add_duties, view};

/// How many packages the human form lists per unknown reason before it stops.
const UNKNOWN_LISTED: usize = 20;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Which packages to list: those reached at run time, also at build time, or all
    #[arg(long, value_enum, default_value_t = ScopeArg::All)]
    pub scope: ScopeArg,
    #[command(flatten)]
    pub lang: super::LangArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ScopeArg {
    Runtime,
    Build,
    All,
}

impl ScopeArg {
    fn scope(self) -> Scope {
        match self {
            ScopeArg::Runtime => Scope::Runtime,
            ScopeArg::Build => Scope::Build,
            ScopeArg::All => Scope::All,
        }
    }
}

pub(crate) fn run(args: Args) -> Result<Status> {
    let (read, policy) = args.input.flags.read(&args.input.inputs)?;
    let inv = read.loaded.inventory;
    let mode = match policy.deployment.value {
        crate::policy::Deployment::Distributed => license::Deployment::Distributed,
        crate::policy::Deployment::Saas => license::Deployment::Saas,
        crate::policy::Deployment::Internal => license::Deployment::Internal,
    };
    let graph = DepGraph::build(&inv);
    let licenses = license::resolve_all(&inv);
    let mut view = view(&inv, &graph, &licenses, args.scope.scope());
    add_duties(&mut view, mode, &args.lang.lang);
    let text = match args.format {
        Format::Human => human(&view),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&view)
                .map_err(|e| Error::External(format!("cannot write JSON: {e}")))?;
            s.push('\n');
            s
        }
    };
    emit(&text)?;
    Ok(Status::Clean)
}

// ---------------------------------------------------------------------------------------
// Human form

/// Human form; text from the inputs (expressions, names) has its control characters
/// escaped, so it cannot forge a line or drive a terminal.
fn human(v: &LicensesJson) -> String {
    use crate::text::escape_controls;
    let mut out = String::new();
    let known: usize = v.expressions.iter().map(|e| e.packages.len()).sum();
    let _ = writeln!(
        out,
        "{} packages ({} scope): {} with a known licence, {} unknown; SPDX licence list {}",
        v.packages,
        v.scope,
        known,
        v.packages - known,
        v.spdx_list_version
    );
    let _ = writeln!(
        out,
        "classes: {}",
        v.classes
            .iter()
            .map(|c| format!("{} {}", c.class, c.packages))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out.push('\n');

    if !v.expressions.is_empty() {
        let _ = writeln!(out, "licence expressions ({})", v.expressions.len());
        let width = v
            .expressions
            .iter()
            .map(|e| escape_controls(&e.expression).chars().count())
            .max()
            .unwrap_or(0);
        for e in &v.expressions {
            let mut flags = vec![if e.osi { "OSI" } else { "not OSI" }];
            if e.deprecated {
                flags.push("deprecated id");
            }
            let expression = escape_controls(&e.expression);
            let pad = width - expression.chars().count();
            let _ = writeln!(
                out,
                "  {}{}  {:<16}  {:<22}  {} {}",
                expression,
                " ".repeat(pad),
                e.class,
                flags.join(", "),
                e.packages.len(),
                if e.packages.len() == 1 {
                    "package"
                } else {
                    "packages"
                }
            );
            let _ = writeln!(out, "      {}", escape_controls(&e.packages.join(", ")));
            for d in &e.duties {
                let _ = writeln!(out, "      {} ({}): {}", d.duty, v.deployment, d.text);
            }
        }
        out.push('\n');
    }

    if !v.unknown.is_empty() {
        let total: usize = v.unknown.iter().map(|u| u.packages.len()).sum();
        let _ = writeln!(out, "unknown licences ({total})");
        for u in &v.unknown {
            let _ = writeln!(out, "  {} ({})", u.reason, u.packages.len());
            for p in u.packages.iter().take(UNKNOWN_LISTED) {
                match p.detail() {
                    Some(d) => {
                        let _ = writeln!(
                            out,
                            "      {}: {}",
                            escape_controls(&p.package),
                            escape_controls(&d)
                        );
                    }
                    None => {
                        let _ = writeln!(out, "      {}", escape_controls(&p.package));
                    }
                }
            }
            if u.packages.len() > UNKNOWN_LISTED {
                let _ = writeln!(
                    out,
                    "      … and {} more (see `--format json`)",
                    u.packages.len() - UNKNOWN_LISTED
                );
            }
        }
        out.push('\n');
    }

    if !v.rewrites.is_empty() {
        let _ = writeln!(out, "lenient rewrites ({})", v.rewrites.len());
        for r in &v.rewrites {
            let _ = writeln!(
                out,
                "  `{}` → `{}` ({})",
                escape_controls(&r.original),
                escape_controls(&r.result),
                escape_controls(&r.packages.join(", "))
            );
            for step in &r.rewrites {
                let _ = writeln!(out, "      {}", escape_controls(step));
            }
        }
        out.push('\n');
    }
    if out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Ecosystem, Inventory, Package, PackageId};

    #[test]
    fn groups_expressions_unknowns_and_rewrites() {
        let mut inv = Inventory::new();
        let mut add = |name: &str, declared: &[&str], file: Option<&str>| {
            inv.add_package(Package {
                id: PackageId::synthetic(&Ecosystem::Npm, name, Some("1.0.0")),
                name: name.into(),
                version: Some("1.0.0".into()),
                ecosystem: Ecosystem::Npm,
                declared: declared.iter().map(|s| (*s).to_owned()).collect(),
                license_file: file.map(str::to_owned),
                ..Package::default()
            })
        };
        let root = add("app", &["UNLICENSED"], None);
        let a = add("a", &["MIT"], None);
        let b = add("b", &["Apache 2.0"], None);
        let c = add("c", &["MIT"], None);
        let d = add("d", &[], Some("LICENSE.txt"));
        let e = add("e", &["GPL-3.0-only OR MIT"], None);
        let f = add("f", &["My Own License"], None);
        for p in [a, b, c, d, e, f] {
            inv.add_edge(root, p, crate::model::EdgeKind::Runtime, None);
        }
        inv.add_root(root);
        let graph = DepGraph::build(&inv);
        let licenses = license::resolve_all(&inv);
        let text = human(&view(&inv, &graph, &licenses, Scope::All));
        let expected = "\
7 packages (all scope): 5 with a known licence, 2 unknown; SPDX licence list 3.29.0
classes: permissive 4, unknown 2, proprietary 1

licence expressions (4)
  LicenseRef-sovra-unlicensed-proprietary  proprietary       not OSI                 1 package
      app 1.0.0
  Apache-2.0                               permissive        OSI                     1 package
      b 1.0.0
  GPL-3.0-only OR MIT                      permissive        OSI                     1 package
      e 1.0.0
  MIT                                      permissive        OSI                     2 packages
      a 1.0.0, c 1.0.0

unknown licences (2)
  license-file-only (1)
      d 1.0.0: licence file `LICENSE.txt`
  unparseable (1)
      f 1.0.0: `My Own License`: unknown term at `My`

lenient rewrites (2)
  `Apache 2.0` → `Apache-2.0` (b 1.0.0)
      `Apache 2.0` → `Apache-2.0`
  `UNLICENSED` → `LicenseRef-sovra-unlicensed-proprietary` (app 1.0.0)
      `UNLICENSED` → `LicenseRef-sovra-unlicensed-proprietary` (npm `UNLICENSED`: the author grants no licence (not the Unlicense))
";
        assert_eq!(text, expected);
    }

    #[test]
    fn long_unknown_lists_are_cut_in_the_human_form_only() {
        let mut inv = Inventory::new();
        for i in 0..25 {
            inv.add_package(Package {
                id: PackageId::synthetic(&Ecosystem::Npm, &format!("p{i:02}"), None),
                name: format!("p{i:02}"),
                ..Package::default()
            });
        }
        let graph = DepGraph::build(&inv);
        let licenses = license::resolve_all(&inv);
        let v = view(&inv, &graph, &licenses, Scope::All);
        assert_eq!(v.unknown[0].packages.len(), 25);
        let text = human(&v);
        assert!(
            text.contains("      p19\n      … and 5 more (see `--format json`)\n"),
            "{text}"
        );
        assert!(!text.contains("p20"), "{text}");
    }
}
