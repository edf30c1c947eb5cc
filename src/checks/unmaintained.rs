//! `unmaintained`: packages whose repository is archived or inactive, or that their
//! registry marks deprecated or yanked, read from the facts file of `sovra enrich`.

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, pkg_name};
use crate::engine::Hit;

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
        return vec![super::no_facts_hit("maintenance")];
    };
    let mut hits = Vec::new();
    let mut unchecked = Vec::new();
    let roots = ctx.graph.roots();
    for pkg in ctx.graph.reachable(p.scope.scope()) {
        let package = ctx.inventory.package(pkg);
        let registry = facts.package(package);
        let repo = facts.repository(package);
        if registry.is_none() && repo.is_none() {
            // The candidate's own roots are what is assessed, not a dependency.
            if !roots.contains(&pkg) {
                unchecked.push(package.display_name());
            }
            continue;
        }
        let mut hit = |message: String, note: String| {
            hits.push(Hit {
                package: Some(pkg),
                message,
                notes: vec![note],
                ..Hit::default()
            });
        };
        if let Some((key, r)) = repo {
            let source = format!("source: {} (retrieved {})", r.urls[0], r.retrieved);
            if r.archived == Some(true) {
                hit(
                    format!(
                        "{} comes from the archived repository `{key}`",
                        pkg_name(ctx, pkg)
                    ),
                    source,
                );
            } else if let Some(last) = &r.last_commit
                && let Some(months) = super::months_since(last, ctx.today)
                && months > p.max_inactive_months
            {
                hit(
                    format!(
                        "{}'s repository `{key}` has had no commit for {months} months (last on {})",
                        pkg_name(ctx, pkg),
                        &last[..last.len().min(10)]
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
                    format!(
                        "{} is deprecated on its registry: {}",
                        pkg_name(ctx, pkg),
                        d.value.trim()
                    ),
                    format!("source: {} (retrieved {})", d.url, d.retrieved),
                );
            }
            if p.yanked
                && let Some(y) = f.yanked.as_ref().filter(|y| y.value)
            {
                hit(
                    format!("{} is yanked from its registry", pkg_name(ctx, pkg)),
                    format!("source: {} (retrieved {})", y.url, y.retrieved),
                );
            }
        }
    }
    if let Some(hit) = super::unchecked_hit(&mut unchecked, p.scope, "assessed for maintenance") {
        hits.push(hit);
    }
    hits
}
