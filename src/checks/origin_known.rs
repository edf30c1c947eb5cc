//! `origin-known`: every package and component can be attributed to an organisation.

use super::{Ctx, Kind, Phase, ScopeParam, compile_with, pkg_name};
use crate::facts::from_manifest;
use crate::finding::Hit;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "origin-known",
    docs: "Reports packages (in `scope`) whose controlling organisation cannot be \
attributed, neither by the vendor registry, nor by a repository owner, nor by a \
supplier field, and candidate components without a known controller.\n\nParameters: \
`scope` (`runtime`, `build`, `all`; default `runtime`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default)]
    scope: ScopeParam,
}

impl super::Params for P {}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let facts = &ctx.extra.facts;
    let mut hits = Vec::new();
    for pkg in ctx.graph.reachable(p.scope.scope()) {
        let Some(a) = facts.attributions.get(pkg.index()) else {
            continue;
        };
        // A component's own package is reported as the component, below.
        if a.org.is_none() && !from_manifest(ctx.inventory, ctx.inventory.package(pkg)) {
            hits.push(Hit {
                package: Some(pkg),
                message: text!("origin-known.package", pkg = pkg_name(ctx, pkg)),
                ..Hit::default()
            });
        }
    }
    for u in &facts.units {
        if let (Some(ci), None) = (u.component, &u.controller.org) {
            hits.push(Hit {
                component: Some(ci),
                message: text!("origin-known.component", component = &u.name),
                notes: vec![text!("origin-known.hint")],
                ..Hit::default()
            });
        }
    }
    hits
}
