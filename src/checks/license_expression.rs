//! `license-expression`: every package states a licence as a valid SPDX expression.

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, pkg_name};
use crate::finding::Hit;
use crate::license::{LicenseState, Parsed, UnknownReason};
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "license-expression",
    docs: "Reports packages whose licence is not a valid SPDX expression: an unparseable \
string is a violation; a string that only a lenient rewrite made valid, and (with \
`missing = true`) a package with no licence, NOASSERTION or only a licence file, are \
review findings.\n\nParameters: `scope` (`runtime`, `build`, `all`; default `all`), \
`missing` (bool, default `true`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "all")]
    scope: ScopeParam,
    #[serde(default = "yes")]
    missing: bool,
}

fn all() -> ScopeParam {
    ScopeParam::All
}

fn yes() -> bool {
    true
}

impl Params for P {}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mut hits = Vec::new();
    for pkg in ctx.graph.reachable(p.scope.scope()) {
        let Some(state) = ctx.licenses.per_package.get(pkg.index()) else {
            continue;
        };
        let name = pkg_name(ctx, pkg);
        let hit = match state {
            LicenseState::Known(l) => match &l.parsed {
                Parsed::Strict => None,
                Parsed::Lenient { original, rewrites } => Some(Hit {
                    message: text!(
                        "license-expression.lenient",
                        pkg = &name,
                        original = original,
                        read = l.text()
                    ),
                    notes: rewrites
                        .iter()
                        .map(|r| text!("note.rewrite", rewrite = r.clone()))
                        .collect(),
                    subject: Some(original.clone()),
                    review_only: true,
                    ..Hit::default()
                }),
            },
            LicenseState::Unknown(UnknownReason::Unparseable { raw, error }) => Some(Hit {
                message: text!("license-expression.invalid", pkg = &name, raw = raw),
                notes: vec![text!("note.parser", error = error.to_string())],
                subject: Some(raw.clone()),
                ..Hit::default()
            }),
            LicenseState::Unknown(reason) if p.missing => {
                let message = match reason {
                    UnknownReason::Missing => text!("license-expression.missing", pkg = &name),
                    UnknownReason::NoAssertion => {
                        text!("license-expression.noassertion", pkg = &name)
                    }
                    UnknownReason::None => text!("license-expression.none", pkg = &name),
                    UnknownReason::LicenseFileOnly(f)
                    | UnknownReason::Unidentified { file: f, .. } => {
                        text!("license-expression.file-only", pkg = &name, file = f)
                    }
                    UnknownReason::Unparseable { .. } => continue,
                };
                Some(Hit {
                    message,
                    review_only: true,
                    ..Hit::default()
                })
            }
            LicenseState::Unknown(_) => None,
        };
        if let Some(mut h) = hit {
            h.package = Some(pkg);
            hits.push(h);
        }
    }
    hits
}
