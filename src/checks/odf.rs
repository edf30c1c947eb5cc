//! `odf`: office components read and write the OpenDocument Format.

use super::{Ctx, Kind, Params, Phase, compile_with};
use crate::finding::Hit;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "odf",
    docs: "Reports every component covering one of `functions` that does not list \
`ODF` among its open standards, and a candidate covering one of them whose data export \
formats do not include ODF.\n\nParameters: `functions` (list; default `[\"office\"]`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "office")]
    functions: Vec<String>,
}

fn office() -> Vec<String> {
    vec!["office".into()]
}

impl Params for P {}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let facts = &ctx.extra.facts;
    let mut hits = Vec::new();
    let mut covered = false;
    for u in &facts.units {
        let Some(ci) = u.component else { continue };
        if !u.function.as_ref().is_some_and(|f| p.functions.contains(f)) {
            continue;
        }
        covered = true;
        if !u.open_standards.iter().any(|s| s == "ODF") {
            hits.push(Hit {
                component: Some(ci),
                message: text!("odf.component", component = &u.name),
                ..Hit::default()
            });
        }
    }
    let exit = &facts.candidate.exit;
    if covered && !exit.export_formats.iter().any(|f| f == "ODF") {
        hits.push(Hit {
            message: text!("odf.export"),
            notes: if exit.export_formats.is_empty() {
                vec![text!("odf.no-export-formats")]
            } else {
                vec![text!(
                    "note.export-formats",
                    list = exit.export_formats.join(", ")
                )]
            },
            ..Hit::default()
        });
    }
    hits
}
