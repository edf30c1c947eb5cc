//! `publiccode-proprietary-deps`: proprietary dependencies declared in publiccode.yml.

use super::{Ctx, Kind, NoParams, Phase, compile_with};
use crate::finding::Hit;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "publiccode-proprietary-deps",
    docs: "Reports every `dependsOn.proprietary` entry of a component's publiccode.yml; \
an exception for the dependency (subject: its name) records the justification. \
Hardware dependencies are notes. Takes no parameters.",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

fn run(ctx: &Ctx<'_>, _: &NoParams) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (i, c) in ctx.extra.facts.candidate.components.iter().enumerate() {
        let Some(pc) = c.publiccode.as_ref().filter(|p| p.is_valid()) else {
            continue;
        };
        for d in &pc.depends_proprietary {
            hits.push(Hit {
                component: u32::try_from(i).ok(),
                message: if d.optional {
                    text!(
                        "publiccode-proprietary-deps.optional",
                        component = &c.name,
                        dependency = &d.name
                    )
                } else {
                    text!(
                        "publiccode-proprietary-deps.required",
                        component = &c.name,
                        dependency = &d.name
                    )
                },
                notes: pc
                    .depends_hardware
                    .iter()
                    .map(|h| text!("note.hardware-dependency", name = &h.name))
                    .collect(),
                subject: Some(d.name.clone()),
                ..Hit::default()
            });
        }
    }
    hits
}
