//! `continuity-risk`: packages whose project has not released for long, or rests on a
//! single active maintainer, read from the forge facts of `sovra enrich`.

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, pkg_name};
use crate::finding::Hit;
use crate::text;
use crate::text::Arg;

pub(crate) static KIND: Kind = Kind {
    name: "continuity-risk",
    docs: "Reports packages in scope whose repository's latest forge release is older than \
`max_months_without_release`, or whose project rests on one person: a single commit author \
in the last year, or one contributor holding at least `max_top_share` of all commits. One \
finding per package and reason. Facts come from the facts file (`sovra enrich`, `--facts`); \
without one, or for packages without forge facts, one review finding says that continuity was \
not assessed. Projects that publish no forge releases are not judged on releases. Facts \
from `sovra health` (forge `git`) count the same way: tags as releases, authors of the last \
365 days; those of a shallow clone are not assessed.\n\n\
Parameters: `max_months_without_release` (default 18), `max_top_share` (0.0–1.0, default \
0.9), `scope` (`runtime`, `build`, `all`; default `runtime`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "eighteen")]
    max_months_without_release: u32,
    #[serde(default = "ninety_percent")]
    max_top_share: f64,
    #[serde(default)]
    scope: ScopeParam,
}

fn eighteen() -> u32 {
    18
}

fn ninety_percent() -> f64 {
    0.9
}

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        super::share("max_top_share", self.max_top_share)
    }
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let Some(facts) = &ctx.extra.enrichment else {
        return vec![super::no_facts_hit(text!("assessed.continuity"))];
    };
    let mut hits = Vec::new();
    let mut unchecked = Vec::new();
    for pkg in ctx.graph.reachable(p.scope.scope()) {
        let package = ctx.inventory.package(pkg);
        let Some((key, r)) = facts.repository(package) else {
            // The candidate's own roots are what is assessed, not a dependency.
            if !ctx.graph.is_root(pkg) {
                unchecked.push(package.display_name());
            }
            continue;
        };
        // Git-history facts of a shallow clone support none of this: not assessed.
        if r.git.as_ref().is_some_and(|g| g.shallow) {
            unchecked.push(package.display_name());
            continue;
        }
        let source = super::source_note(&r.urls[0], &r.retrieved);
        if let Some(latest) = &r.latest_release
            && let Some(months) = super::months_since(latest, ctx.today)
            && months > p.max_months_without_release
        {
            hits.push(Hit {
                package: Some(pkg),
                message: text!(
                    "continuity-risk.no-release",
                    pkg = pkg_name(ctx, pkg),
                    repo = key,
                    months = months,
                    last = Arg::Date(latest.chars().take(10).collect())
                ),
                notes: vec![source.clone()],
                ..Hit::default()
            });
        }
        let single_author = r.contributors_12m == Some(1);
        let dominant = r
            .top_contributor_share
            .filter(|s| *s >= p.max_top_share && r.contributors.is_some_and(|c| c > 0));
        if single_author || dominant.is_some() {
            let why = match dominant {
                Some(share) if !single_author => text!(
                    "continuity-risk.dominant",
                    share = Arg::number(share * 100.0, 0)
                ),
                _ => text!("continuity-risk.single-author"),
            };
            hits.push(Hit {
                package: Some(pkg),
                message: text!(
                    "continuity-risk.single-maintainer",
                    pkg = pkg_name(ctx, pkg),
                    repo = key,
                    why = why
                ),
                notes: vec![source],
                ..Hit::default()
            });
        }
    }
    if let Some(hit) = super::unchecked_hit(&mut unchecked, p.scope, text!("unchecked.continuity"))
    {
        hits.push(hit);
    }
    hits
}
