//! `bus-factor`: critical components whose last year of history rests on too few
//! authors, read from the git-history facts of `sovra health`.

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, compile_with};
use crate::enrich::{local_key, source_key};
use crate::finding::Hit;
use crate::ingest::candidate::Criticality;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "bus-factor",
    docs: "Reports each critical component whose bus factor (the fewest authors who made \
half the commits of the last 365 days, from `sovra health`) is below `min`. The facts come \
from the facts file (`--facts`), matched by the component's `repository` URL or, for a \
component with only `git = \"path\"`, by `local/<name>`. Without a facts file, or for \
critical components without git-history facts (or with those of a shallow clone), one review \
finding says that the bus factor was not assessed. Candidates without critical components \
give nothing.\n\nParameters: `min` (default 2).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "two")]
    min: u32,
}

fn two() -> u32 {
    2
}

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        if self.min == 0 {
            return Err("`min` must be at least 1".into());
        }
        Ok(())
    }
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let facts = &ctx.extra.facts;
    let critical: Vec<_> = facts
        .units
        .iter()
        .filter(|u| u.component.is_some() && u.criticality == Some(Criticality::Critical))
        .collect();
    if critical.is_empty() {
        return Vec::new();
    }
    let Some(enrichment) = &ctx.extra.enrichment else {
        return vec![Hit {
            message: text!("facts.none", what = text!("assessed.bus-factor")),
            notes: vec![text!("bus-factor.hint")],
            review_only: true,
            ..Hit::default()
        }];
    };
    let mut hits = Vec::new();
    let mut unchecked = Vec::new();
    for u in critical {
        let Some(comp) = u
            .component
            .and_then(|i| facts.candidate.components.get(i as usize))
        else {
            continue;
        };
        let keys = [
            comp.repository.as_deref().and_then(source_key),
            Some(local_key(&comp.name)),
        ];
        let found = keys.into_iter().flatten().find_map(|k| {
            let r = enrichment.repositories.get(&k)?;
            let bus = r.git.as_ref()?.bus_factor_12m?;
            Some((k, r, bus))
        });
        let Some((key, r, bus)) = found else {
            unchecked.push(format!("`{}`", comp.name));
            continue;
        };
        if bus < p.min {
            hits.push(Hit {
                package: u.package,
                message: text!(
                    "bus-factor.low",
                    component = comp.name.as_str(),
                    repo = key.as_str(),
                    bus = bus,
                    min = p.min
                ),
                notes: vec![super::source_note(&r.urls[0], &r.retrieved)],
                subject: Some(comp.name.clone()),
                ..Hit::default()
            });
        }
    }
    if !unchecked.is_empty() {
        unchecked.sort();
        hits.push(Hit {
            message: text!("bus-factor.not-assessed", names = unchecked.join(", ")),
            notes: vec![text!("bus-factor.hint")],
            review_only: true,
            ..Hit::default()
        });
    }
    hits
}
