//! `exception-expired`: exceptions past their expiry date.

use super::{Ctx, Kind, NoParams, Phase, compile_with};
use crate::engine::Hit;

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
            message: format!(
                "exception for rule `{}` on {} expired on {}",
                e.rule,
                e.describe(),
                e.expires.map(|d| d.to_string()).unwrap_or_default()
            ),
            notes: vec![
                format!("declared at {} (layer `{}`)", e.location, e.layer),
                format!("owner: {}", e.owner),
                format!("reason: {}", e.reason),
            ],
            subject: Some(e.rule.clone()),
            ..Hit::default()
        })
        .collect()
}
