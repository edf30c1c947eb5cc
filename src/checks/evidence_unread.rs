//! `evidence-unread`: files of a directory input that look like evidence (an SBOM in a
//! format sovra does not read, text that cannot be decoded, a lockfile) but were not
//! read. The verdict then rests on part of the evidence, which must not pass silently.

use super::{Ctx, Kind, NoParams, Phase, compile_with};
use crate::finding::Hit;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "evidence-unread",
    docs: "Reports every file of a directory input that looks like evidence of the offer \
(by its content or its name: SBOMs in any serialisation, lockfiles) but was not read, with \
the reason: a format sovra recognises but does not read, text that cannot be decoded, a \
device or a file over the size limit. Files that are no evidence (a `tsconfig.json`, a CI \
configuration) are not reported. Takes no parameters.",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

fn run(ctx: &Ctx<'_>, _: &NoParams) -> Vec<Hit> {
    ctx.inventory
        .skipped
        .iter()
        .map(|s| {
            let file = s.path.display().to_string();
            Hit {
                message: text!("evidence-unread.file", file = file.clone()),
                notes: vec![text::Text::as_is(s.reason.clone())],
                subject: Some(file),
                ..Hit::default()
            }
        })
        .collect()
}
