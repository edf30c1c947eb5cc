//! `data-export`: the offer documents a data export in open formats.

use super::{Ctx, Kind, NoParams, Phase, compile_with};
use crate::finding::Hit;
use crate::ingest::candidate::DataExport;
use crate::text;

pub(crate) static KIND: Kind = Kind {
    name: "data-export",
    docs: "Reports a candidate whose data export is `none` or `proprietary`, and, for \
review, one whose manifest does not state its data export. Implicit candidates (plain \
inputs) make no statement about exports and are not checked. Takes no parameters.",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

fn run(ctx: &Ctx<'_>, _: &NoParams) -> Vec<Hit> {
    let c = &ctx.extra.facts.candidate;
    if c.implicit {
        return Vec::new();
    }
    match c.exit.data_export {
        Some(DataExport::OpenFormats) => Vec::new(),
        Some(e) => vec![Hit {
            message: text!(
                "data-export.only",
                candidate = &c.name,
                export = crate::text::Arg::label("export", e.as_str())
            ),
            notes: c
                .exit
                .export_formats
                .iter()
                .map(|f| text!("note.export-format", format = f))
                .collect(),
            ..Hit::default()
        }],
        None => vec![Hit {
            message: text!("data-export.not-stated", candidate = &c.name),
            review_only: true,
            ..Hit::default()
        }],
    }
}
