//! `relicensing-risk`: critical components whose copyright one holder controls.

use super::{Ctx, Kind, NoParams, Phase, compile_with};
use crate::finding::Hit;
use crate::ingest::candidate::Criticality;
use crate::text;

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
        let single =
            c.copyright_holders == Some(crate::ingest::candidate::CopyrightHolders::Single);
        let cla = c.cla == Some(true);
        let message = match (single, cla) {
            (true, true) => text!("relicensing-risk.both", component = &c.name),
            (true, false) => text!("relicensing-risk.single-holder", component = &c.name),
            (false, true) => text!("relicensing-risk.cla", component = &c.name),
            (false, false) => continue,
        };
        hits.push(Hit {
            component: u32::try_from(i).ok(),
            message,
            notes: c
                .vendor
                .as_ref()
                .map(|v| vec![text!("note.holder", holder = v)])
                .unwrap_or_default(),
            ..Hit::default()
        });
    }
    hits
}
