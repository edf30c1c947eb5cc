//! `publiccode-maintained`: publiccode.yml declares active maintenance.

use super::{Ctx, Kind, NoParams, Phase, compile_with};
use crate::engine::Hit;

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
                message: format!(
                    "component `{}` is not maintained (publiccode.yml: `none`)",
                    c.name
                ),
                ..Hit::default()
            }),
            Some("contract") if pc.contractors.iter().all(|k| k.until < today) => hits.push(Hit {
                component,
                message: format!(
                    "component `{}`: every maintenance contract has ended",
                    c.name
                ),
                notes: pc
                    .contractors
                    .iter()
                    .map(|k| format!("`{}` until {}", k.name, k.until))
                    .collect(),
                ..Hit::default()
            }),
            _ => {}
        }
    }
    hits
}
