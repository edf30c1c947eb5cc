//! `publiccode-valid`: components carry a valid publiccode.yml.

use super::{Ctx, Kind, Params, Phase, compile_with};
use crate::finding::Hit;
use crate::text;
use crate::text::Text;

pub(crate) static KIND: Kind = Kind {
    name: "publiccode-valid",
    docs: "Reports every component whose publiccode.yml fails validation (each problem \
as a note, with line and column), and, with `required = true`, every component that \
has none. A valid file that uses deprecated keys is a review finding.\n\nParameters: \
`required` (bool, default `false`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default)]
    required: bool,
}

impl Params for P {}

/// One note per problem, in line order; only the first names the file, the others give
/// line and column, so the path is not repeated on every line.
fn located_notes(problems: &[crate::error::Problem]) -> Vec<Text> {
    let mut sorted: Vec<_> = problems.iter().collect();
    sorted.sort_by_key(|p| (p.line, p.column));
    sorted
        .iter()
        .enumerate()
        .map(|(i, p)| {
            Text::as_is(if i == 0 {
                p.to_string()
            } else {
                format!("{}:{}: {}", p.line, p.column, p.message)
            })
        })
        .collect()
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (i, c) in ctx.extra.facts.candidate.components.iter().enumerate() {
        let component = u32::try_from(i).ok();
        match &c.publiccode {
            Some(pc) if !pc.is_valid() => hits.push(Hit {
                component,
                message: text!(
                    "publiccode-valid.invalid",
                    component = &c.name,
                    count = pc.errors.len()
                ),
                notes: located_notes(&pc.errors),
                ..Hit::default()
            }),
            Some(pc) if !pc.warnings.is_empty() => hits.push(Hit {
                component,
                message: text!(
                    "publiccode-valid.warnings",
                    component = &c.name,
                    count = pc.warnings.len()
                ),
                notes: located_notes(&pc.warnings),
                review_only: true,
                ..Hit::default()
            }),
            Some(_) => {}
            None if p.required => hits.push(Hit {
                component,
                message: text!("publiccode-valid.missing", component = &c.name),
                ..Hit::default()
            }),
            None => {}
        }
    }
    hits
}
