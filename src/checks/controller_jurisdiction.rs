//! `controller-jurisdiction`: the controlling vendor and its ultimate parent of every
//! critical component sit in the EU/EEA.

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, compile_with};
use crate::finding::Hit;
use crate::ingest::candidate::Criticality;
use crate::text;
use crate::text::Text;

pub(crate) static KIND: Kind = Kind {
    name: "controller-jurisdiction",
    docs: "For every component of the candidate (critical ones only unless \
`criticality = \"all\"`), reports a controlling vendor or ultimate parent outside the \
EU/EEA, and, for review, a controller whose seat the vendor registry does not know. \
Components of implicit candidates (plain inputs) have no criticality and are checked \
only with `criticality = \"all\"`.\n\nParameters: `criticality` (`critical` or `all`; \
default `critical`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "critical")]
    criticality: String,
}

fn critical() -> String {
    "critical".into()
}

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        match self.criticality.as_str() {
            "critical" | "all" => Ok(()),
            other => Err(format!(
                "`criticality` is `{other}`: expected `critical` or `all`"
            )),
        }
    }
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mut hits = Vec::new();
    for u in &ctx.extra.facts.units {
        let Some(ci) = u.component else { continue };
        if p.criticality == "critical" && u.criticality != Some(Criticality::Critical) {
            continue;
        }
        let c = &u.controller;
        let who = c.org.as_deref().unwrap_or("unknown");
        match c.eu_eea {
            Some(true) => {}
            Some(false) => hits.push(Hit {
                component: Some(ci),
                message: match c.seat.as_deref() {
                    Some(seat) => text!(
                        "controller-jurisdiction.outside",
                        component = &u.name,
                        org = who,
                        seat = crate::text::Arg::label("country", seat)
                    ),
                    None => text!(
                        "controller-jurisdiction.outside-seat-unknown",
                        component = &u.name,
                        org = who
                    ),
                },
                notes: vendor_notes(ctx, c.vendor.as_deref()),
                subject: c.vendor.clone(),
                ..Hit::default()
            }),
            None => hits.push(Hit {
                component: Some(ci),
                message: match &c.org {
                    Some(o) => text!(
                        "controller-jurisdiction.seat-unknown",
                        component = &u.name,
                        org = o
                    ),
                    None => text!(
                        "controller-jurisdiction.vendor-unknown",
                        component = &u.name
                    ),
                },
                notes: vec![text!("controller-jurisdiction.add-vendor")],
                subject: c.vendor.clone(),
                review_only: true,
                ..Hit::default()
            }),
        }
    }
    hits
}

/// Registry facts of a vendor, as finding notes.
pub(crate) fn vendor_notes(ctx: &Ctx<'_>, vendor: Option<&str>) -> Vec<Text> {
    let Some(v) = vendor.and_then(|id| ctx.extra.facts.registry.get(id)) else {
        return Vec::new();
    };
    let mut notes = vec![text!("note.vendor", name = &v.name)];
    if let Some(parent) = &v.parent {
        notes.push(text!(
            "note.parent",
            parent = parent,
            country =
                crate::text::Arg::label("country", v.parent_country.as_deref().unwrap_or("?"))
        ));
    }
    if !v.jurisdiction.is_empty() {
        notes.push(text!(
            "note.jurisdiction",
            list = crate::text::Arg::labels("jurisdiction", &v.jurisdiction)
        ));
    }
    notes.push(text!("note.source", source = &v.source));
    notes
}
