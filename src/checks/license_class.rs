//! `license-class`: no package in scope is only usable under a licence of a banned
//! class (source-available, non-commercial, proprietary by default).

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, pkg_name};
use crate::finding::Hit;
use crate::license::{Class, LicenseState, classify_with};
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "license-class",
    docs: "Classifies every licence (rules/licenses/classes.toml) and reports packages for \
which every `OR` alternative contains a licence of a banned class. A package that offers an \
alternative outside the banned classes passes; the finding names the classes found.\n\n\
Parameters: `classes` (class names: `public-domain`, `permissive`, `weak-copyleft`, \
`strong-copyleft`, `network-copyleft`, `source-available`, `non-commercial`, `unknown`, \
`proprietary`; default the last three but `unknown`), `scope` (`runtime`, `build`, `all`; \
default `runtime`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "closed")]
    classes: Vec<String>,
    #[serde(default)]
    scope: ScopeParam,
}

fn closed() -> Vec<String> {
    ["source-available", "non-commercial", "proprietary"]
        .map(String::from)
        .to_vec()
}

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        parse_classes(&self.classes).map(|_| ())
    }
}

/// Class names → classes; the error names the first unknown one.
pub(crate) fn parse_classes(names: &[String]) -> Result<Vec<Class>, String> {
    names
        .iter()
        .map(|n| {
            Class::from_name(n).ok_or_else(|| {
                format!(
                    "unknown licence class `{n}`, expected one of {}",
                    Class::ALL
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
        })
        .collect()
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let banned = parse_classes(&p.classes).unwrap_or_default();
    let mut hits = Vec::new();
    for pkg in ctx.graph.reachable(p.scope.scope()) {
        let Some(LicenseState::Known(l)) = ctx.licenses.per_package.get(pkg.index()) else {
            continue;
        };
        let c = classify_with(&ctx.kb.classes, &l.expression);
        let found = if c.alternatives.is_empty() {
            // Too many alternatives to expand: the expression's class decides.
            banned
                .contains(&c.class)
                .then(|| vec![format!("`{}` ({})", l.text(), c.class)])
        } else {
            super::in_every_alternative(
                c.alternatives
                    .iter()
                    .map(|alt| alt.reqs.iter().map(|(r, k)| (r, *k))),
                |_, k| banned.contains(&k),
            )
        };
        if let Some(found) = found {
            hits.push(Hit {
                package: Some(pkg),
                message: text!(
                    "license-class.not-allowed",
                    pkg = pkg_name(ctx, pkg),
                    licence = l.text(),
                    found = found.join(", "),
                    place = p.scope.where_text()
                ),
                notes: (c.alternatives.len() > 1)
                    .then(|| text!("license-class.every-alternative"))
                    .into_iter()
                    .collect(),
                subject: Some(l.text().to_owned()),
                ..Hit::default()
            });
        }
    }
    hits
}
