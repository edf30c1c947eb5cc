//! `non-registry-source`: packages that come from git, a local path or an unknown
//! registry.

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, pkg_name};
use crate::finding::Hit;
use crate::model::SourceKind;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "non-registry-source",
    docs: "Lists packages whose code does not come from their ecosystem's default public \
registry: git repositories, local paths (workspace members and other roots excepted) and \
other registries. URLs starting with an `allow` prefix pass. With `unknown = true`, packages \
whose input says nothing about their source are listed too.\n\nParameters: `allow` (URL \
prefixes), `unknown` (bool, default `false`), `scope` (`runtime`, `build`, `all`; default \
`build`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    unknown: bool,
    #[serde(default = "build")]
    scope: ScopeParam,
}

fn build() -> ScopeParam {
    ScopeParam::Build
}

impl Params for P {}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let allowed = |url: &str| p.allow.iter().any(|a| url.starts_with(a.as_str()));
    let mut hits = Vec::new();
    for pkg in ctx.graph.reachable(p.scope.scope()) {
        let what = match &ctx.inventory.package(pkg).source {
            SourceKind::DefaultRegistry => continue,
            SourceKind::Registry(url) if !allowed(url) => {
                text!("source-registry.registry", url = url)
            }
            SourceKind::Git(url) if !allowed(url) => text!("source-registry.git", url = url),
            SourceKind::Path(path) if !ctx.graph.is_root(pkg) => {
                text!("source-registry.path", path = path.to_string())
            }
            SourceKind::Unknown if p.unknown => text!("source-registry.unknown"),
            _ => continue,
        };
        hits.push(Hit {
            package: Some(pkg),
            message: text!(
                "source-registry.from",
                pkg = pkg_name(ctx, pkg),
                source = what
            ),
            ..Hit::default()
        });
    }
    hits
}
