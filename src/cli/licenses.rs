//! `sovra licenses`: every distinct licence expression of the inputs with its class, OSI
//! flag and packages; unknown licences grouped by reason; every lenient rewrite.
//!
//! The JSON form (`--format json`) has the versioned schema `sovra.licenses/1`,
//! documented in `docs/licenses-json.md`; its serialisable types live here.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::{InputArgs, Status, emit};
use crate::error::{Error, Result};
use crate::graph::{DepGraph, Scope};
use crate::license::{self, Class, LicenseState, Licenses, Parsed, UnknownReason};
use crate::model::{Inventory, PkgIdx};

/// The schema identifier of the JSON form; bump the number on incompatible changes.
pub(crate) const SCHEMA: &str = "sovra.licenses/1";

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
// The view: what both forms show

#[derive(Debug, Serialize)]
pub(crate) struct LicensesJson {
    schema: &'static str,
    spdx_list_version: &'static str,
    scope: &'static str,
    /// The policy's deployment mode the duties are given for.
    deployment: &'static str,
    /// The language the duties are worded in.
    lang: String,
    packages: usize,
    /// Packages per class of their licence (the least restrictive alternative), from
    /// least to most restrictive.
    classes: Vec<ClassCount>,
    expressions: Vec<ExpressionJson>,
    unknown: Vec<UnknownJson>,
    rewrites: Vec<RewriteJson>,
}

#[derive(Debug, Serialize)]
struct ClassCount {
    class: &'static str,
    packages: usize,
}

#[derive(Debug, Serialize)]
struct ExpressionJson {
    expression: String,
    class: &'static str,
    /// Some alternative consists of OSI-approved licences only.
    osi: bool,
    /// Some alternative consists of FSF free licences only.
    fsf: bool,
    /// The expression uses a deprecated licence or exception id.
    deprecated: bool,
    alternatives: Vec<AlternativeJson>,
    /// What the licences of the expression ask in the policy's deployment mode
    /// (`rules/licenses/duties.toml`).
    duties: Vec<DutyJson>,
    packages: Vec<String>,
}

#[derive(Debug, Serialize)]
struct DutyJson {
    /// `attribution`, `source-offer`, `notice-file`, `network-use` or `read-terms`.
    duty: &'static str,
    /// The duty in the output's language.
    text: &'static str,
}

#[derive(Debug, Serialize)]
struct AlternativeJson {
    class: &'static str,
    terms: Vec<TermJson>,
}

#[derive(Debug, Serialize)]
struct TermJson {
    term: String,
    class: &'static str,
    osi: bool,
}

#[derive(Debug, Serialize)]
struct UnknownJson {
    reason: &'static str,
    packages: Vec<UnknownPackageJson>,
}

#[derive(Debug, Serialize)]
struct UnknownPackageJson {
    package: String,
    /// The licence file named instead of a licence (`license-file-only`).
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    /// The raw string (`unparseable`).
    #[serde(skip_serializing_if = "Option::is_none")]
    raw: Option<String>,
    /// Why it does not parse (`unparseable`).
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl UnknownPackageJson {
    fn new(package: String, reason: &UnknownReason) -> Self {
        let (file, raw, error) = match reason {
            UnknownReason::LicenseFileOnly(f) => (Some(f.clone()), None, None),
            UnknownReason::Unidentified { file, best, score } => (
                Some(file.clone()),
                None,
                Some(format!("best match `{best}`, score {score}")),
            ),
            UnknownReason::Unparseable { raw, error } => {
                (None, Some(raw.clone()), Some(error.clone()))
            }
            UnknownReason::Missing | UnknownReason::NoAssertion | UnknownReason::None => {
                (None, None, None)
            }
        };
        UnknownPackageJson {
            package,
            file,
            raw,
            error,
        }
    }

    /// The detail people read after the package name.
    fn detail(&self) -> Option<String> {
        match (&self.file, &self.raw, &self.error) {
            (Some(f), _, _) => Some(format!("licence file `{f}`")),
            (None, Some(raw), Some(e)) => Some(format!("`{raw}`: {e}")),
            _ => None,
        }
    }
}

#[derive(Debug, Serialize)]
struct RewriteJson {
    original: String,
    result: String,
    rewrites: Vec<String>,
    packages: Vec<String>,
}

pub(crate) fn view(
    inv: &Inventory,
    graph: &DepGraph,
    licenses: &Licenses,
    scope: Scope,
) -> LicensesJson {
    let mut packages = 0;
    let mut classes: BTreeMap<Class, usize> = BTreeMap::new();
    let mut expressions: BTreeMap<String, (ExpressionJson, Class)> = BTreeMap::new();
    let mut unknown: BTreeMap<&'static str, Vec<UnknownPackageJson>> = BTreeMap::new();
    let mut rewrites: BTreeMap<(String, String), RewriteJson> = BTreeMap::new();
    for (i, state) in licenses.per_package.iter().enumerate() {
        let idx = PkgIdx(i as u32);
        if !graph.is_reachable(idx, scope) {
            continue;
        }
        packages += 1;
        let label = super::inventory::label(inv, idx);
        *classes.entry(state.class()).or_default() += 1;
        match state {
            LicenseState::Known(l) => {
                let text = l.text().to_owned();
                expressions
                    .entry(text.clone())
                    .or_insert_with(|| expression(&l.expression, text.clone()))
                    .0
                    .packages
                    .push(label.clone());
                if let Parsed::Lenient {
                    original,
                    rewrites: steps,
                } = &l.parsed
                {
                    rewrites
                        .entry((original.clone(), text.clone()))
                        .or_insert_with(|| RewriteJson {
                            original: original.clone(),
                            result: text,
                            rewrites: steps.iter().map(ToString::to_string).collect(),
                            packages: Vec::new(),
                        })
                        .packages
                        .push(label);
                }
            }
            LicenseState::Unknown(reason) => {
                unknown
                    .entry(reason.kind())
                    .or_default()
                    .push(UnknownPackageJson::new(label, reason));
            }
        }
    }
    let mut expressions: Vec<(ExpressionJson, Class)> = expressions.into_values().collect();
    // Most restrictive first, then by expression: what a reviewer must look at leads.
    expressions.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.expression.cmp(&b.0.expression)));
    let sort = |mut v: Vec<String>| {
        v.sort();
        v.dedup();
        v
    };
    LicensesJson {
        schema: SCHEMA,
        spdx_list_version: license::spdx_list_version(),
        scope: scope.as_str(),
        deployment: "",
        lang: String::new(),
        packages,
        classes: classes
            .into_iter()
            .map(|(k, v)| ClassCount {
                class: k.as_str(),
                packages: v,
            })
            .collect(),
        expressions: expressions
            .into_iter()
            .map(|(mut e, _)| {
                e.packages = sort(std::mem::take(&mut e.packages));
                e
            })
            .collect(),
        unknown: unknown
            .into_iter()
            .map(|(reason, mut packages)| {
                packages.sort_by(|a, b| {
                    (&a.package, &a.file, &a.raw).cmp(&(&b.package, &b.file, &b.raw))
                });
                UnknownJson { reason, packages }
            })
            .collect(),
        rewrites: rewrites
            .into_values()
            .map(|mut r| {
                r.packages = sort(std::mem::take(&mut r.packages));
                r
            })
            .collect(),
    }
}

fn expression(expr: &spdx::Expression, text: String) -> (ExpressionJson, Class) {
    let c = license::classify_with(license::Classes::builtin(), expr);
    let json = ExpressionJson {
        expression: text,
        class: c.class.as_str(),
        osi: expr.evaluate(license::is_osi),
        fsf: expr.evaluate(license::is_fsf),
        deprecated: expr.requirements().any(|r| license::is_deprecated(&r.req)),
        alternatives: c
            .alternatives
            .iter()
            .map(|a| AlternativeJson {
                class: a.class.as_str(),
                terms: a
                    .reqs
                    .iter()
                    .map(|(r, class)| TermJson {
                        term: r.to_string(),
                        class: class.as_str(),
                        osi: license::is_osi(r),
                    })
                    .collect(),
            })
            .collect(),
        duties: Vec::new(),
        packages: Vec::new(),
    };
    (json, c.class)
}

/// The duties of every expression in `mode`, worded in `lang`, in the order of
/// [`license::class::DUTIES`]: those of every licence of an alternative (`AND`), of
/// the alternative that asks least (an `OR` lets the user choose; the first of equals).
fn add_duties(view: &mut LicensesJson, mode: license::Deployment, lang: &str) {
    view.deployment = mode.as_str();
    view.lang = lang.to_owned();
    for e in &mut view.expressions {
        let per_alternative = e.alternatives.iter().map(|a| {
            let mut all: Vec<&'static str> = Vec::new();
            for t in &a.terms {
                let id = t.term.split(" WITH ").next().unwrap_or_default();
                let id = id.trim_end_matches('+');
                let class = Class::from_name(t.class).unwrap_or(Class::Unknown);
                all.extend(license::duties(id, class, mode));
            }
            all.sort_unstable();
            all.dedup();
            all
        });
        let all = per_alternative.min_by_key(Vec::len).unwrap_or_default();
        e.duties = license::class::DUTIES
            .into_iter()
            .filter(|d| all.contains(d))
            .map(|duty| DutyJson {
                duty,
                text: license::duty_text(duty, lang),
            })
            .collect();
    }
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
    use crate::model::{Ecosystem, Package, PackageId};

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
