//! `single-vendor-control`: no single vendor outside the EU/EEA controls a critical
//! function.

use std::collections::BTreeMap;

use super::{Ctx, Kind, Params, Phase, compile_with};
use crate::finding::Hit;
use crate::ingest::candidate::Criticality;
use crate::text;
use crate::text::Arg;

pub(crate) static KIND: Kind = Kind {
    name: "single-vendor-control",
    docs: "Groups the critical components of a candidate by the function they cover and \
reports every vendor outside the EU/EEA that controls more than `max_share` of a \
function (components weighed equally).\n\nParameters: `max_share` (0..1, default 0.5).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "half")]
    max_share: f64,
}

fn half() -> f64 {
    0.5
}

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        if (0.0..1.0).contains(&self.max_share) {
            Ok(())
        } else {
            Err(format!(
                "`max_share` is {}: expected at least 0 and below 1",
                self.max_share
            ))
        }
    }
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mut by_function: BTreeMap<&str, Vec<&crate::facts::Unit>> = BTreeMap::new();
    for u in &ctx.extra.facts.units {
        if u.component.is_some() && u.criticality == Some(Criticality::Critical) {
            by_function
                .entry(u.function.as_deref().unwrap_or("(unspecified)"))
                .or_default()
                .push(u);
        }
    }
    let mut hits = Vec::new();
    for (function, units) in by_function {
        let mut per_vendor: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for u in &units {
            if u.controller.eu_eea == Some(false) {
                if let Some(org) = &u.controller.org {
                    per_vendor.entry(org).or_default().push(&u.name);
                }
            }
        }
        for (org, names) in per_vendor {
            let share = names.len() as f64 / units.len() as f64;
            if share > p.max_share {
                hits.push(Hit {
                    message: text!(
                        "single-vendor-control.controls",
                        org = org,
                        share = Arg::number(share * 100.0, 0),
                        function = crate::text::Arg::label("function", function.to_string())
                    ),
                    notes: vec![text!(
                        "note.components",
                        list = names
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )],
                    subject: Some(org.to_owned()),
                    ..Hit::default()
                });
            }
        }
    }
    hits
}
