//! `exception-expired`: exceptions past their expiry date.

use super::{Ctx, Kind, NoParams, Phase, compile_with};
use crate::finding::Hit;
use crate::text;
use crate::text::Arg;

pub(crate) static KIND: Kind = Kind {
    name: "exception-expired",
    docs: "Reports every exception of the effective policy whose `expires` date lies \
before today. An expired exception no longer suppresses anything. Takes no parameters.",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

fn run(ctx: &Ctx<'_>, _: &NoParams) -> Vec<Hit> {
    ctx.policy
        .exceptions
        .iter()
        .filter(|e| e.is_expired(ctx.today))
        .map(|e| Hit {
            message: text!(
                "exception-expired.expired",
                rule = &e.rule,
                target = e.describe(),
                expired = Arg::Date(e.expires.map(|d| d.to_string()).unwrap_or_default())
            ),
            notes: vec![
                text!(
                    "note.declared-at",
                    location = e.location.to_string(),
                    layer = &e.layer
                ),
                text!("note.owner", owner = &e.owner),
                text!("note.reason", reason = &e.reason),
            ],
            subject: Some(e.rule.clone()),
            ..Hit::default()
        })
        .collect()
}
