//! `open-standards`: every component supports an open standard its function requires.

use std::collections::BTreeMap;

use super::{Ctx, Kind, Params, Phase, compile_with};
use crate::finding::Hit;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "open-standards",
    docs: "For every component whose function has required open standards (`required`, \
a table from function to standards), reports a component that declares none of them; \
a component that declares no open standard at all is reported whatever its function. \
\n\nParameters: `required` (table of function → list of standards; default: office → \
ODF, groupware → IMAP/CalDAV/CardDAV, chat → Matrix/XMPP, video → WebRTC/SIP, files → \
WebDAV, …).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "crate::score::default_required_standards")]
    required: BTreeMap<String, Vec<String>>,
}

impl Params for P {}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mut hits = Vec::new();
    for u in &ctx.extra.facts.units {
        let Some(ci) = u.component else { continue };
        let required = u.function.as_ref().and_then(|f| p.required.get(f));
        if u.open_standards.is_empty() {
            hits.push(Hit {
                component: Some(ci),
                message: text!("open-standards.none", component = &u.name),
                notes: required
                    .map(|r| {
                        vec![text!(
                            "open-standards.expects",
                            function = crate::text::Arg::label(
                                "function",
                                u.function.as_deref().unwrap_or("?")
                            ),
                            list = r.join(", ")
                        )]
                    })
                    .unwrap_or_default(),
                ..Hit::default()
            });
            continue;
        }
        if let Some(req) = required {
            if !u.open_standards.iter().any(|s| req.contains(s)) {
                hits.push(Hit {
                    component: Some(ci),
                    message: text!(
                        "open-standards.unsupported",
                        component = &u.name,
                        function = crate::text::Arg::label(
                            "function",
                            u.function.as_deref().unwrap_or("?")
                        )
                    ),
                    notes: vec![
                        text!("note.required-one-of", list = req.join(", ")),
                        text!("note.declared", list = u.open_standards.join(", ")),
                    ],
                    ..Hit::default()
                });
            }
        }
    }
    hits
}
