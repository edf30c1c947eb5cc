//! `license-allow`: only licences of an allow-list (cargo-deny's `[licenses] allow`).

use serde::Deserialize;
use spdx::Licensee;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, pkg_name};
use crate::finding::Hit;
use crate::license::LicenseState;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "license-allow",
    docs: "Accepts a package when its licence expression can be satisfied by the allowed \
licences alone (an `OR` needs one allowed branch, an `AND` needs all parts allowed; \
`WITH` exceptions must be listed with the licence, as in cargo-deny). Packages whose licence \
is unknown are not accepted. Allow entries that matched no package are reported for review.\n\n\
Parameters: `allow` (SPDX ids, optionally `… WITH …`), `scope` (`runtime`, `build`, `all`; \
default `all`), `unused` (report allow entries that matched nothing; default `true`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default = "all")]
    scope: ScopeParam,
    #[serde(default = "yes")]
    unused: bool,
}

fn all() -> ScopeParam {
    ScopeParam::All
}

fn yes() -> bool {
    true
}

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        for a in &self.allow {
            Licensee::parse(a)
                .map_err(|e| format!("`{a}` in `allow` is not an SPDX licence: {e}"))?;
        }
        Ok(())
    }
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let allow: Vec<Licensee> = p
        .allow
        .iter()
        .filter_map(|a| Licensee::parse(a).ok())
        .collect();
    let mut used = vec![false; allow.len()];
    let mut hits = Vec::new();
    for pkg in ctx.graph.reachable(p.scope.scope()) {
        let name = pkg_name(ctx, pkg);
        match ctx.licenses.per_package.get(pkg.index()) {
            Some(LicenseState::Known(l)) => {
                let verdict = l.expression.evaluate_with_failures(|req| {
                    let mut ok = false;
                    for (i, a) in allow.iter().enumerate() {
                        if a.satisfies(req) {
                            used[i] = true;
                            ok = true;
                        }
                    }
                    ok
                });
                if let Err(failed) = verdict {
                    let mut ids: Vec<String> =
                        failed.iter().map(|r| format!("`{}`", r.req)).collect();
                    ids.dedup();
                    hits.push(Hit {
                        package: Some(pkg),
                        message: text!(
                            "license-allow.not-accepted",
                            pkg = &name,
                            licence = l.text()
                        ),
                        notes: vec![text!("note.not-allowed", ids = ids.join(", "))],
                        subject: Some(l.text().to_owned()),
                        ..Hit::default()
                    });
                }
            }
            Some(LicenseState::Unknown(reason)) => hits.push(Hit {
                package: Some(pkg),
                message: text!("license-allow.unknown", pkg = &name),
                notes: vec![text!(
                    "note.licence-unknown",
                    reason = super::unknown_reason(reason)
                )],
                ..Hit::default()
            }),
            None => {}
        }
    }
    if p.unused {
        for (i, a) in p.allow.iter().enumerate() {
            if !used[i] {
                hits.push(Hit {
                    message: text!("license-allow.unused", entry = a),
                    subject: Some(a.clone()),
                    review_only: true,
                    ..Hit::default()
                });
            }
        }
    }
    hits
}
