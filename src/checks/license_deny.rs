//! `license-deny`: banned licences.

use serde::Deserialize;
use spdx::Licensee;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, pkg_name};
use crate::checks::choice::alternatives;
use crate::finding::Hit;
use crate::license::LicenseState;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "license-deny",
    docs: "Reports packages that can only be used under a banned licence: every `OR` \
alternative of their expression contains one. A package with one clean alternative passes, \
and the finding of a package that fails names the alternatives.\n\nParameters: `licenses` \
(SPDX ids), `classes` (licence class names such as `strong-copyleft`), `scope` (`runtime`, `build`, `all`; default `runtime`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default)]
    licenses: Vec<String>,
    #[serde(default)]
    classes: Vec<String>,
    #[serde(default)]
    scope: ScopeParam,
}

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        for a in &self.licenses {
            Licensee::parse(a)
                .map_err(|e| format!("`{a}` in `licenses` is not an SPDX licence: {e}"))?;
        }
        super::license_class::parse_classes(&self.classes).map(|_| ())
    }
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let banned: Vec<Licensee> = p
        .licenses
        .iter()
        .filter_map(|a| Licensee::parse(a).ok())
        .collect();
    let classes = super::license_class::parse_classes(&p.classes).unwrap_or_default();
    let table = &ctx.kb.classes;
    let mut hits = Vec::new();
    if banned.is_empty() && classes.is_empty() {
        return hits;
    }
    for pkg in ctx.graph.reachable(p.scope.scope()) {
        let Some(LicenseState::Known(l)) = ctx.licenses.per_package.get(pkg.index()) else {
            continue;
        };
        let alts = alternatives(&l.expression);
        let found = super::in_every_alternative(
            alts.iter()
                .map(|alt| alt.iter().map(|r| (r, table.of_req(r)))),
            |r, class| banned.iter().any(|b| b.satisfies(r)) || classes.contains(&class),
        );
        if let Some(found) = found {
            hits.push(Hit {
                package: Some(pkg),
                message: text!(
                    "license-deny.banned",
                    pkg = pkg_name(ctx, pkg),
                    licence = l.text(),
                    found = found.join(", ")
                ),
                notes: (alts.len() > 1)
                    .then(|| text!("license-deny.every-alternative"))
                    .into_iter()
                    .collect(),
                subject: Some(l.text().to_owned()),
                ..Hit::default()
            });
        }
    }
    hits
}
