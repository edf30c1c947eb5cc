//! `license-osi`: the licences a package is used under are OSI-approved.

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, pkg_name};
use crate::finding::Hit;
use crate::text;
use crate::text::Text;

pub(crate) static KIND: Kind = Kind {
    name: "license-osi",
    docs: "Reports packages whose chosen `OR` alternative contains a licence that is not \
OSI-approved (according to the SPDX licence list the `spdx` crate ships; `LicenseRef-…` \
licences are not approved). When another alternative is fully OSI-approved the finding says \
so.\n\nParameters: `scope` (`runtime`, `build`, `all`; default `runtime`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default)]
    scope: ScopeParam,
}

impl Params for P {}

pub(crate) fn osi(req: &spdx::LicenseReq) -> bool {
    req.license.id().is_some_and(|id| id.is_osi_approved())
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mut hits = Vec::new();
    for pkg in ctx.graph.reachable(p.scope.scope()) {
        let Some(choice) = ctx.choice(pkg) else {
            continue;
        };
        let bad: Vec<String> = choice
            .licenses
            .iter()
            .filter(|r| !osi(r))
            .map(|r| format!("`{r}`"))
            .collect();
        if bad.is_empty() {
            continue;
        }
        let mut notes: Vec<Text> = choice.note().into_iter().collect();
        if let Some(crate::license::LicenseState::Known(l)) =
            ctx.licenses.per_package.get(pkg.index())
        {
            if let Some(alt) = crate::checks::choice::alternatives(&l.expression)
                .into_iter()
                .find(|a| a.iter().all(osi))
            {
                let alt: Vec<String> = alt.iter().map(ToString::to_string).collect();
                notes.push(text!(
                    "license-osi.alternative",
                    alternative = alt.join(" AND ")
                ));
            }
        }
        hits.push(Hit {
            package: Some(pkg),
            message: text!(
                "license-osi.not-approved",
                pkg = pkg_name(ctx, pkg),
                ids = bad.join(", ")
            ),
            notes,
            subject: Some(choice.text()),
            ..Hit::default()
        });
    }
    hits
}
