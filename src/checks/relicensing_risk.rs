//! `relicensing-risk`: critical components whose copyright one holder controls.

use super::{Ctx, Kind, NoParams, Phase, compile_with};
use crate::candidate::Criticality;
use crate::engine::Hit;

pub(crate) static KIND: Kind = Kind {
    name: "relicensing-risk",
    docs: "Reports critical components whose code has a single copyright holder or \
whose contributions pass through a contributor licence agreement (CLA): the holder can \
relicense future versions (as happened to Elasticsearch, Terraform and Redis). Takes no \
parameters.",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

fn run(ctx: &Ctx<'_>, _: &NoParams) -> Vec<Hit> {
    let facts = &ctx.extra.facts;
    let mut hits = Vec::new();
    for (i, c) in facts.candidate.components.iter().enumerate() {
        if c.criticality != Some(Criticality::Critical) {
            continue;
        }
        let mut why = Vec::new();
        if c.copyright_holders == Some(crate::candidate::CopyrightHolders::Single) {
            why.push("a single copyright holder".to_owned());
        }
        if c.cla == Some(true) {
            why.push("a contributor licence agreement".to_owned());
        }
        if why.is_empty() {
            continue;
        }
        hits.push(Hit {
            component: u32::try_from(i).ok(),
            message: format!("critical component `{}` has {}", c.name, why.join(" and ")),
            notes: c
                .vendor
                .as_ref()
                .map(|v| vec![format!("holder: `{v}`")])
                .unwrap_or_default(),
            ..Hit::default()
        });
    }
    hits
}
