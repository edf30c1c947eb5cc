//! `unknown-license-share`: the share of packages with an unknown licence stays under a
//! threshold.

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, share};
use crate::finding::Hit;
use crate::license::LicenseState;
use crate::text;
use crate::text::Arg;

pub(crate) static KIND: Kind = Kind {
    name: "unknown-license-share",
    docs: "Counts the packages in scope whose licence is unknown (missing, `NOASSERTION`, \
`NONE`, a licence file only, or unparseable) and reports one finding for the candidate when \
their share exceeds the threshold, naming the first of them.\n\nParameters: `threshold` \
(0.0–1.0, default 0.05), `scope` (`runtime`, `build`, `all`; default `runtime`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "five_percent")]
    threshold: f64,
    #[serde(default)]
    scope: ScopeParam,
}

fn five_percent() -> f64 {
    0.05
}

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        share("threshold", self.threshold)
    }
}

/// How many names the finding lists.
const LISTED: usize = 10;

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mut total = 0usize;
    let mut unknown = Vec::new();
    for pkg in ctx.graph.reachable(p.scope.scope()) {
        total += 1;
        if let Some(LicenseState::Unknown(_)) = ctx.licenses.per_package.get(pkg.index()) {
            unknown.push(ctx.inventory.package(pkg).display_name());
        }
    }
    if total == 0 {
        return Vec::new();
    }
    let share = unknown.len() as f64 / total as f64;
    if share <= p.threshold {
        return Vec::new();
    }
    unknown.sort();
    let listed: Vec<String> = unknown
        .iter()
        .take(LISTED)
        .map(|n| format!("`{n}`"))
        .collect();
    let note = if unknown.len() > LISTED {
        text!(
            "note.unknown-more",
            list = listed.join(", "),
            more = unknown.len() - LISTED
        )
    } else {
        text!("note.unknown", list = listed.join(", "))
    };
    vec![Hit {
        message: text!(
            "unknown-share.over",
            unknown = unknown.len(),
            total = total,
            scope = p.scope.text(),
            share = Arg::number(share * 100.0, 1),
            threshold = Arg::number(p.threshold * 100.0, 1)
        ),
        notes: vec![note],
        ..Hit::default()
    }]
}
