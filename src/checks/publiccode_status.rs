//! `publiccode-status`: components are in a stable development status.

use super::{Ctx, Kind, Params, Phase, compile_with};
use crate::finding::Hit;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "publiccode-status",
    docs: "Reports components whose publiccode.yml `developmentStatus` is not one of \
`allowed`.\n\nParameters: `allowed` (list; default `[\"stable\"]`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "stable")]
    allowed: Vec<String>,
}

fn stable() -> Vec<String> {
    vec!["stable".into()]
}

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        const STATUSES: &[&str] = &["concept", "development", "beta", "stable", "obsolete"];
        match self
            .allowed
            .iter()
            .find(|s| !STATUSES.contains(&s.as_str()))
        {
            Some(s) => Err(format!("`{s}` is not a publiccode.yml development status")),
            None => Ok(()),
        }
    }
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (i, c) in ctx.extra.facts.candidate.components.iter().enumerate() {
        let Some(status) = c
            .publiccode
            .as_ref()
            .filter(|pc| pc.is_valid())
            .and_then(|pc| pc.development_status.as_deref())
        else {
            continue;
        };
        if !p.allowed.iter().any(|a| a == status) {
            hits.push(Hit {
                component: u32::try_from(i).ok(),
                message: text!(
                    "publiccode-status.status",
                    component = &c.name,
                    status = status
                ),
                notes: vec![text!("note.allowed", list = p.allowed.join(", "))],
                ..Hit::default()
            });
        }
    }
    hits
}
