//! `closed-artefacts`: closed or edition-only artefacts of an offer are listed.

use super::{Ctx, Kind, NoParams, Phase, compile_with};
use crate::finding::Hit;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "closed-artefacts",
    docs: "Lists every closed artefact (binary without source, closed client, \
cloud-only service) and every edition-only feature the candidate manifest declares, and \
every component whose licence is not free. Takes no parameters.",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

fn run(ctx: &Ctx<'_>, _: &NoParams) -> Vec<Hit> {
    let mut hits = Vec::new();
    for u in &ctx.extra.facts.units {
        let Some(ci) = u.component else { continue };
        if u.proprietary() {
            hits.push(Hit {
                component: Some(ci),
                message: text!(
                    "closed-artefacts.proprietary",
                    component = &u.name,
                    licence = u.licence.as_deref().unwrap_or("?")
                ),
                ..Hit::default()
            });
        }
        for a in &u.closed_artefacts {
            hits.push(Hit {
                component: Some(ci),
                message: text!("closed-artefacts.closed", component = &u.name, artefact = a),
                subject: Some(a.clone()),
                ..Hit::default()
            });
        }
        for e in &u.edition_only {
            hits.push(Hit {
                component: Some(ci),
                message: text!(
                    "closed-artefacts.edition-only",
                    component = &u.name,
                    feature = e
                ),
                subject: Some(e.clone()),
                ..Hit::default()
            });
        }
    }
    hits
}
