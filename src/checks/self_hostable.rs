//! `self-hostable`: the offer can be operated on the customer's own infrastructure.

use super::{Ctx, Kind, NoParams, Phase, compile_with};
use crate::finding::Hit;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "self-hostable",
    docs: "Reports a candidate that cannot be self-hosted, and, for review, one whose \
manifest does not say; a candidate that works only connected to its vendor's service is \
reported too. Implicit candidates are not checked. Takes no parameters.",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

fn run(ctx: &Ctx<'_>, _: &NoParams) -> Vec<Hit> {
    let c = &ctx.extra.facts.candidate;
    if c.implicit {
        return Vec::new();
    }
    let mut hits = Vec::new();
    match c.exit.self_hostable {
        Some(true) => {}
        Some(false) => hits.push(Hit {
            message: text!("self-hostable.no", candidate = &c.name),
            notes: c
                .deployment
                .map(|d| vec![text!("note.deployment", mode = d.as_str())])
                .unwrap_or_default(),
            ..Hit::default()
        }),
        None => hits.push(Hit {
            message: text!("self-hostable.not-stated", candidate = &c.name),
            review_only: true,
            ..Hit::default()
        }),
    }
    if c.exit.works_disconnected == Some(false) {
        hits.push(Hit {
            message: text!("self-hostable.connected", candidate = &c.name),
            ..Hit::default()
        });
    }
    hits
}
