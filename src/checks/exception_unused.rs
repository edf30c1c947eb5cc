//! `exception-unused`: exceptions that suppressed nothing.

use super::{Ctx, Kind, NoParams, Phase, compile_with};
use crate::finding::Hit;
use crate::text;

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
            message: if on {
                text!(
                    "exception-unused.unused",
                    rule = &e.rule,
                    target = e.describe()
                )
            } else {
                text!(
                    "exception-unused.unused-rule-off",
                    rule = &e.rule,
                    target = e.describe()
                )
            },
            notes: vec![
                text!(
                    "note.declared-at",
                    location = e.location.to_string(),
                    layer = &e.layer
                ),
                text!("note.owner", owner = &e.owner),
            ],
            subject: Some(e.rule.clone()),
            ..Hit::default()
        })
        .collect()
}
