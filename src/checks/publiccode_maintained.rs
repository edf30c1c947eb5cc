//! `publiccode-maintained`: publiccode.yml declares active maintenance.

use super::{Ctx, Kind, NoParams, Phase, compile_with};
use crate::finding::Hit;
use crate::text;
use crate::text::Arg;

pub(crate) static KIND: Kind = Kind {
    name: "publiccode-maintained",
    docs: "Reports components whose publiccode.yml declares maintenance type `none`, or \
type `contract` with every contractor's `until` date in the past. Takes no parameters.",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

fn run(ctx: &Ctx<'_>, _: &NoParams) -> Vec<Hit> {
    let today = ctx.today.to_string();
    let mut hits = Vec::new();
    for (i, c) in ctx.extra.facts.candidate.components.iter().enumerate() {
        let Some(pc) = c.publiccode.as_ref().filter(|p| p.is_valid()) else {
            continue;
        };
        let component = u32::try_from(i).ok();
        match pc.maintenance_type.as_deref() {
            Some("none") => hits.push(Hit {
                component,
                message: text!("publiccode-maintained.none", component = &c.name),
                ..Hit::default()
            }),
            Some("contract") if pc.contractors.iter().all(|k| k.until < today) => hits.push(Hit {
                component,
                message: text!("publiccode-maintained.ended", component = &c.name),
                notes: pc
                    .contractors
                    .iter()
                    .map(|k| {
                        text!(
                            "publiccode-maintained.until",
                            contractor = &k.name,
                            until = Arg::Date(k.until.to_string())
                        )
                    })
                    .collect(),
                ..Hit::default()
            }),
            _ => {}
        }
    }
    hits
}
