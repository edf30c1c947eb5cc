//! `substitutable`: at least two substitutable implementations exist per function.

use std::collections::{BTreeMap, BTreeSet};

use super::{Ctx, Kind, Params, Phase, compile_with};
use crate::finding::Hit;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "substitutable",
    docs: "For every function the candidate's components cover, looks at the open \
standards they support and reports a function for which no standard has at least `min` \
known independent implementations (`implementations`, a table from standard to \
products): such a function cannot be moved to another product without a migration \
project.\n\nParameters: `min` (default 2), `implementations` (table of standard → list \
of products).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "two")]
    min: usize,
    #[serde(default)]
    implementations: BTreeMap<String, Vec<String>>,
}

fn two() -> usize {
    2
}

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        if self.min == 0 {
            return Err("`min` must be at least 1".into());
        }
        Ok(())
    }
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mut by_function: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for u in &ctx.extra.facts.units {
        if u.component.is_none() {
            continue;
        }
        let Some(f) = u.function.as_deref() else {
            continue;
        };
        let set = by_function.entry(f).or_default();
        if !u.proprietary() {
            set.extend(u.open_standards.iter().map(String::as_str));
        }
    }
    let mut hits = Vec::new();
    for (function, standards) in by_function {
        let best = standards
            .iter()
            .map(|s| (p.implementations.get(*s).map_or(0, Vec::len), *s))
            .max();
        if best.is_none_or(|(n, _)| n < p.min) {
            hits.push(Hit {
                message: text!(
                    "substitutable.none",
                    function = crate::text::Arg::label("function", function.to_string()),
                    min = p.min
                ),
                notes: vec![if standards.is_empty() {
                    text!("substitutable.no-standard")
                } else {
                    text!(
                        "note.standards",
                        list = standards.iter().copied().collect::<Vec<_>>().join(", ")
                    )
                }],
                subject: Some(function.to_owned()),
                ..Hit::default()
            });
        }
    }
    hits
}
