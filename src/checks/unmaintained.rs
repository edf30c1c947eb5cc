//! `unmaintained`: packages whose repository is archived or inactive, or that their
//! registry marks deprecated or yanked, read from the facts file of `sovra enrich`.

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, pkg_name};
use crate::finding::Hit;
use crate::text;
use crate::text::{Arg, Text};

pub(crate) static KIND: Kind = Kind {
    name: "unmaintained",
    docs: "Reports packages in scope whose source repository is archived on its forge or has \
had no commit for more than `max_inactive_months`, and packages whose registry marks the \
locked version deprecated (npm) or yanked (crates.io, PyPI). Facts come from the facts file \
(`sovra enrich`, `--facts`); without one, or for packages it has no registry or forge facts \
for, one review finding says that maintenance was not assessed.\n\nParameters: \
`max_inactive_months` (default 24), `deprecated` and `yanked` (bool, default `true`), `scope` \
(`runtime`, `build`, `all`; default `runtime`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "two_years")]
    max_inactive_months: u32,
    #[serde(default = "yes")]
    deprecated: bool,
    #[serde(default = "yes")]
    yanked: bool,
    #[serde(default)]
    scope: ScopeParam,
}

fn two_years() -> u32 {
    24
}

fn yes() -> bool {
    true
}

impl Params for P {}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let Some(facts) = &ctx.extra.enrichment else {
        return vec![super::no_facts_hit(text!("assessed.maintenance"))];
    };
    let mut hits = Vec::new();
    let mut unchecked = Vec::new();
    for pkg in ctx.graph.reachable(p.scope.scope()) {
        let package = ctx.inventory.package(pkg);
        let registry = facts.package(package);
        let repo = facts.repository(package);
        if registry.is_none() && repo.is_none() {
            // The candidate's own roots are what is assessed, not a dependency.
            if !ctx.graph.is_root(pkg) {
                unchecked.push(package.display_name());
            }
            continue;
        }
        let mut hit = |message: Text, note: Text| {
            hits.push(Hit {
                package: Some(pkg),
                message,
                notes: vec![note],
                ..Hit::default()
            });
        };
        if let Some((key, r)) = repo {
            let source = super::source_note(&r.urls[0], &r.retrieved);
            if r.archived == Some(true) {
                hit(
                    text!(
                        "unmaintained.archived",
                        pkg = pkg_name(ctx, pkg),
                        repo = key
                    ),
                    source,
                );
            } else if let Some(last) = &r.last_commit
                && let Some(months) = super::months_since(last, ctx.today)
                && months > p.max_inactive_months
            {
                hit(
                    text!(
                        "unmaintained.inactive",
                        pkg = pkg_name(ctx, pkg),
                        repo = key,
                        months = months,
                        last = Arg::Date(last.chars().take(10).collect())
                    ),
                    source,
                );
            }
        }
        if let Some(f) = registry {
            if p.deprecated
                && let Some(d) = &f.deprecated
            {
                hit(
                    text!(
                        "unmaintained.deprecated",
                        pkg = pkg_name(ctx, pkg),
                        why = d.value.trim()
                    ),
                    super::source_note(&d.url, &d.retrieved),
                );
            }
            if p.yanked
                && let Some(y) = f.yanked.as_ref().filter(|y| y.value)
            {
                hit(
                    text!("unmaintained.yanked", pkg = pkg_name(ctx, pkg)),
                    super::source_note(&y.url, &y.retrieved),
                );
            }
        }
    }
    if let Some(hit) = super::unchecked_hit(&mut unchecked, p.scope, text!("unchecked.maintenance"))
    {
        hits.push(hit);
    }
    hits
}
