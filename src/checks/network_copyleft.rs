//! `network-copyleft`: obligations of network-copyleft licences when the software is
//! operated as a service.

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, pkg_name};
use crate::finding::Hit;
use crate::license::{Class, obligations};
use crate::policy::Deployment;
use crate::text;
use crate::text::{Arg, Text};

pub(crate) static KIND: Kind = Kind {
    name: "network-copyleft",
    docs: "When the policy's deployment mode is one of `modes`, reports every package whose \
chosen licence alternative contains a network-copyleft licence (AGPL, EUPL, OSL, …), with \
the obligations that follow from operating it for others over a network.\n\nParameters: \
`modes` (deployment modes, default `[\"saas\"]`), `scope` (`runtime`, `build`, `all`; default \
`runtime`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "saas")]
    modes: Vec<String>,
    #[serde(default)]
    scope: ScopeParam,
}

fn saas() -> Vec<String> {
    vec!["saas".to_owned()]
}

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        for m in &self.modes {
            if Deployment::parse(m).is_none() {
                return Err(format!(
                    "unknown deployment mode `{m}`, expected `distributed`, `saas` or `internal`"
                ));
            }
        }
        Ok(())
    }
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mode = ctx.policy.deployment.value;
    if !p.modes.iter().any(|m| Deployment::parse(m) == Some(mode)) {
        return Vec::new();
    }
    let lmode = match mode {
        Deployment::Distributed => crate::license::Deployment::Distributed,
        Deployment::Saas => crate::license::Deployment::Saas,
        Deployment::Internal => crate::license::Deployment::Internal,
    };
    let duties: Vec<Text> = obligations(Class::NetworkCopyleft, lmode)
        .map(|o| {
            (0..o.len())
                .map(|i| {
                    let duty = Arg::PerLanguage(o.per_language(i));
                    text!("note.obligation", duty = duty)
                })
                .collect()
        })
        .unwrap_or_default();
    let classes = &ctx.kb.classes;
    let mut hits = Vec::new();
    for pkg in ctx.graph.reachable(p.scope.scope()) {
        let Some(choice) = ctx.choice(pkg) else {
            continue;
        };
        let network: Vec<String> = choice
            .licenses
            .iter()
            .filter(|r| classes.of_req(r) == Class::NetworkCopyleft)
            .map(|r| format!("`{r}`"))
            .collect();
        if network.is_empty() {
            continue;
        }
        let mut notes: Vec<Text> = choice.note().into_iter().collect();
        notes.push(text!(
            "network-copyleft.deployment",
            mode = mode.as_str(),
            layer = &ctx.policy.deployment.layer
        ));
        notes.extend(duties.iter().cloned());
        hits.push(Hit {
            package: Some(pkg),
            message: text!(
                "network-copyleft.operated",
                pkg = pkg_name(ctx, pkg),
                ids = network.join(", "),
                mode = mode.as_str()
            ),
            notes,
            subject: Some(choice.text()),
            ..Hit::default()
        });
    }
    hits
}
