//! `exception-unused`: exceptions that suppressed nothing.

use super::{Ctx, Kind, NoParams, Phase, compile_with};
use crate::engine::Hit;

pub(crate) static KIND: Kind = Kind {
    name: "exception-unused",
    docs: "Runs after exceptions were applied and reports every unexpired exception that \
matched no finding: it is stale, or misspelt, and would silently cover a future \
problem. Exceptions of rules left out by `--select` are not reported. Takes no \
parameters.",
    phase: Phase::Post,
    compile: |t| compile_with(t, run),
};

fn run(ctx: &Ctx<'_>, _: &NoParams) -> Vec<Hit> {
    ctx.policy
        .exceptions
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            !e.is_expired(ctx.today) && !ctx.used_exceptions.get(*i).copied().unwrap_or(false)
        })
        .filter_map(|(_, e)| {
            let rule = ctx.policy.rules.get(&e.rule)?;
            // `--select` ran a subset of the rules: the others' exceptions had no chance.
            if !rule.enabled.value && rule.enabled.layer == "--select" {
                return None;
            }
            Some((e, rule.enabled.value))
        })
        .map(|(e, on)| Hit {
            message: format!(
                "exception for rule `{}` on {} matched no finding{}",
                e.rule,
                e.describe(),
                if on { "" } else { " (the rule is off)" }
            ),
            notes: vec![
                format!("declared at {} (layer `{}`)", e.location, e.layer),
                format!("owner: {}", e.owner),
            ],
            subject: Some(e.rule.clone()),
            ..Hit::default()
        })
        .collect()
}
