//! `license-deprecated`: licence expressions use no deprecated SPDX ids.

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, pkg_name};
use crate::finding::Hit;
use crate::license::{LicenseState, UnknownReason};
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "license-deprecated",
    docs: "Reports packages whose licence expression uses a deprecated SPDX licence or \
exception id (`GPL-2.0`, `LGPL-2.1+`, `wxWindows`), naming the current ids to use.\n\n\
Parameters: `scope` (`runtime`, `build`, `all`; default `all`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "all")]
    scope: ScopeParam,
}

fn all() -> ScopeParam {
    ScopeParam::All
}

impl Params for P {}

/// The ids that replace a deprecated one, when the SPDX list says.
fn replacement(id: &str) -> Option<&'static str> {
    Some(match id {
        "GPL-1.0" => "GPL-1.0-only",
        "GPL-1.0+" => "GPL-1.0-or-later",
        "GPL-2.0" => "GPL-2.0-only",
        "GPL-2.0+" => "GPL-2.0-or-later",
        "GPL-3.0" => "GPL-3.0-only",
        "GPL-3.0+" => "GPL-3.0-or-later",
        "LGPL-2.0" => "LGPL-2.0-only",
        "LGPL-2.0+" => "LGPL-2.0-or-later",
        "LGPL-2.1" => "LGPL-2.1-only",
        "LGPL-2.1+" => "LGPL-2.1-or-later",
        "LGPL-3.0" => "LGPL-3.0-only",
        "LGPL-3.0+" => "LGPL-3.0-or-later",
        "AGPL-1.0" => "AGPL-1.0-only",
        "AGPL-3.0" => "AGPL-3.0-only",
        "GFDL-1.1" => "GFDL-1.1-only",
        "GFDL-1.2" => "GFDL-1.2-only",
        "GFDL-1.3" => "GFDL-1.3-only",
        "eCos-2.0" => "GPL-2.0-or-later WITH eCos-exception-2.0",
        "wxWindows" => "GPL-2.0-or-later WITH WxWindows-exception-3.1",
        "StandardML-NJ" => "SMLNJ",
        "Nunit" => "zlib-acknowledgement",
        "BSD-2-Clause-FreeBSD" | "BSD-2-Clause-NetBSD" => "BSD-2-Clause",
        _ => return None,
    })
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mut hits = Vec::new();
    for pkg in ctx.graph.reachable(p.scope.scope()) {
        let parsed;
        let expr = match ctx.licenses.per_package.get(pkg.index()) {
            Some(LicenseState::Known(l)) => &l.expression,
            // A strict parse rejects deprecated ids; see whether they are the only problem.
            Some(LicenseState::Unknown(UnknownReason::Unparseable { raw, .. })) => {
                let mode = spdx::ParseMode {
                    allow_deprecated: true,
                    ..spdx::ParseMode::STRICT
                };
                match spdx::Expression::parse_mode(raw, mode) {
                    Ok(e) => {
                        parsed = e;
                        &parsed
                    }
                    Err(_) => continue,
                }
            }
            _ => continue,
        };
        let mut deprecated: Vec<String> = Vec::new();
        let mut notes = Vec::new();
        for r in expr.requirements() {
            if let Some(id) = r.req.license.id() {
                if id.is_deprecated() && !deprecated.contains(&id.name.to_owned()) {
                    deprecated.push(id.name.to_owned());
                    if let Some(new) = replacement(id.name) {
                        notes.push(text!("license-deprecated.use", new = new, old = id.name));
                    }
                }
            }
            if let Some(ex) = r.req.addition.as_ref().and_then(|a| a.id()) {
                if ex.is_deprecated() && !deprecated.contains(&ex.name.to_owned()) {
                    deprecated.push(ex.name.to_owned());
                }
            }
        }
        if deprecated.is_empty() {
            continue;
        }
        let ids: Vec<String> = deprecated.iter().map(|d| format!("`{d}`")).collect();
        hits.push(Hit {
            package: Some(pkg),
            message: text!(
                "license-deprecated.uses",
                pkg = pkg_name(ctx, pkg),
                ids = ids.join(", "),
                expression = expr.as_ref()
            ),
            notes,
            subject: deprecated.first().cloned(),
            ..Hit::default()
        });
    }
    hits
}
