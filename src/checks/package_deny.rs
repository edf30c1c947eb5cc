//! `package-deny`: banned packages.

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, pkg_name};
use crate::finding::Hit;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "package-deny",
    docs: "Reports packages on a ban list, by name and optionally by a semver version \
requirement, with the reason the list gives.\n\nParameters: `packages` (array of tables with \
`name`, optional `version` requirement such as `\"<1.2\"`, optional `reason`), `scope` \
(`runtime`, `build`, `all`; default `all`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Banned {
    name: String,
    version: Option<String>,
    reason: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default)]
    packages: Vec<Banned>,
    #[serde(default = "all")]
    scope: ScopeParam,
}

fn all() -> ScopeParam {
    ScopeParam::All
}

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        for b in &self.packages {
            if let Some(v) = &b.version {
                semver::VersionReq::parse(v)
                    .map_err(|e| format!("version `{v}` of banned package `{}`: {e}", b.name))?;
            }
        }
        Ok(())
    }
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mut hits = Vec::new();
    for pkg in ctx.graph.reachable(p.scope.scope()) {
        let package = ctx.inventory.package(pkg);
        for b in &p.packages {
            if b.name != package.name {
                continue;
            }
            if let Some(req) = &b.version {
                let matches = semver::VersionReq::parse(req).ok().is_some_and(|req| {
                    package
                        .version
                        .as_deref()
                        .and_then(|v| semver::Version::parse(v).ok())
                        .is_some_and(|v| req.matches(&v))
                });
                if !matches {
                    continue;
                }
            }
            hits.push(Hit {
                package: Some(pkg),
                message: match &b.version {
                    Some(v) => text!(
                        "package-deny.banned-versions",
                        pkg = pkg_name(ctx, pkg),
                        versions = v.to_string()
                    ),
                    None => text!("package-deny.banned", pkg = pkg_name(ctx, pkg)),
                },
                notes: b
                    .reason
                    .iter()
                    .map(|r| text!("note.reason", reason = r))
                    .collect(),
                subject: Some(package.name.clone()),
                ..Hit::default()
            });
        }
    }
    hits
}
