//! `osadl-compatibility`: on every runtime edge, the dependency's licence may be
//! included in a work under the dependent's (leading) licence, per the OSADL matrix.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, pkg_name};
use crate::finding::Hit;
use crate::license::osadl::{Compat, verdict_req};
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "osadl-compatibility",
    docs: "For every edge of the graph in scope, looks up the OSADL compatibility matrix \
for each licence of the dependent's chosen alternative (the leading licence) against each \
licence of the dependency's chosen alternative. `No` is a violation; `Unknown` and `Check \
dependency` are review findings (at most `warn`); a licence missing from the matrix is a \
review finding when `not_in_matrix = \"review\"`.\n\nParameters: `scope` (`runtime`, `build`, \
`all`; default `runtime`), `not_in_matrix` (`review` or `ignore`; default `ignore`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Missing {
    Review,
    #[default]
    Ignore,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default)]
    scope: ScopeParam,
    #[serde(default)]
    not_in_matrix: Missing,
}

impl Params for P {}

/// Worst first: how a verdict weighs when several licence pairs meet on one edge.
fn weight(c: Compat) -> u8 {
    match c {
        Compat::No => 4,
        Compat::Unknown => 3,
        Compat::CheckDependency => 2,
        Compat::NotInMatrix => 1,
        Compat::Yes => 0,
    }
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mut cache: BTreeMap<(String, String), Compat> = BTreeMap::new();
    let mut hits = Vec::new();
    for (from, to, _) in ctx.graph.edges_in(p.scope.scope()) {
        let (Some(lead), Some(dep)) = (ctx.choice(from), ctx.choice(to)) else {
            continue;
        };
        let mut worst: Option<(Compat, String, String)> = None;
        for l in &lead.licenses {
            for d in &dep.licenses {
                let key = (l.to_string(), d.to_string());
                let v = *cache
                    .entry(key.clone())
                    .or_insert_with(|| verdict_req(l, d));
                if worst.as_ref().is_none_or(|w| weight(v) > weight(w.0)) {
                    worst = Some((v, key.0, key.1));
                }
            }
        }
        let Some((verdict, l, d)) = worst else {
            continue;
        };
        let (review, what) = match verdict {
            Compat::Yes => continue,
            Compat::NotInMatrix if p.not_in_matrix == Missing::Ignore => continue,
            Compat::No => (false, text!("osadl-compat.no")),
            Compat::Unknown => (true, text!("osadl-compat.unknown")),
            Compat::CheckDependency => (true, text!("osadl-compat.check-dependency")),
            Compat::NotInMatrix => (true, text!("osadl-compat.not-in-matrix")),
        };
        let mut notes = vec![text!(
            "osadl-compat.pair",
            leading = &l,
            lead = pkg_name(ctx, from),
            dependency = &d,
            linking = ctx.policy.linking.value.as_str()
        )];
        notes.extend(
            lead.note()
                .map(|n| text!("note.for-package", pkg = pkg_name(ctx, from), note = n)),
        );
        notes.extend(
            dep.note()
                .map(|n| text!("note.for-package", pkg = pkg_name(ctx, to), note = n)),
        );
        hits.push(Hit {
            package: Some(to),
            message: text!(
                "osadl-compat.edge",
                dep = pkg_name(ctx, to),
                dep_licence = &d,
                lead = pkg_name(ctx, from),
                lead_licence = &l,
                what = what
            ),
            notes,
            subject: Some(d),
            review_only: review,
            ..Hit::default()
        });
    }
    hits
}
