//! `sbom-completeness`: SBOM inputs carry the minimum elements of NTIA and
//! BSI TR-03183-2.

use serde::Deserialize;

use super::{Ctx, Kind, Params, Phase, compile_with, share};
use crate::finding::Hit;
use crate::model::InputFormat;
use crate::text;
use crate::text::{Arg, Text};

pub(crate) static KIND: Kind = Kind {
    name: "sbom-completeness",
    docs: "For every SBOM input (CycloneDX, SPDX), checks the minimum elements: per \
component supplier, name, version and a unique id (purl); per document a timestamp, an author \
and dependency relationships. The completeness ratio is the share of these elements present; \
a finding is reported when it is below the threshold, with what is missing. With `require = \
true`, inputs without any SBOM are a finding too.\n\nParameters: `threshold` (0.0–1.0, \
default 1.0), `require` (bool, default `false`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "one")]
    threshold: f64,
    #[serde(default)]
    require: bool,
}

fn one() -> f64 {
    1.0
}

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        share("threshold", self.threshold)
    }
}

/// How many package names a note lists.
const LISTED: usize = 5;

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut sboms = 0;
    // Packages grouped by input once: one pass, whatever the number of inputs.
    let mut by_input: Vec<Vec<&crate::model::Package>> =
        vec![Vec::new(); ctx.inventory.inputs.len()];
    for p in &ctx.inventory.packages {
        if let Some(list) = by_input.get_mut(p.input.0 as usize) {
            list.push(p);
        }
    }
    for (input, comps) in ctx.inventory.inputs.iter().zip(&by_input) {
        if !matches!(
            input.format,
            InputFormat::CycloneDxJson
                | InputFormat::CycloneDxXml
                | InputFormat::Spdx3JsonLd
                | InputFormat::SpdxJson
                | InputFormat::SpdxTagValue
        ) {
            continue;
        }
        sboms += 1;
        let mut missing: Vec<(Text, Vec<String>)> = vec![
            (text!("sbom-completeness.supplier"), Vec::new()),
            (text!("sbom-completeness.name"), Vec::new()),
            (text!("sbom-completeness.version"), Vec::new()),
            (text!("sbom-completeness.purl"), Vec::new()),
        ];
        for c in comps {
            let label = if c.name.is_empty() {
                c.id.to_string()
            } else {
                c.display_name()
            };
            let checks = [
                c.supplier.as_deref().is_some_and(|s| !s.trim().is_empty()),
                !c.name.trim().is_empty(),
                c.version.as_deref().is_some_and(|v| !v.trim().is_empty()),
                c.purl.is_some(),
            ];
            for (slot, ok) in missing.iter_mut().zip(checks) {
                if !ok {
                    slot.1.push(label.clone());
                }
            }
        }
        let meta = &input.meta;
        let doc = [
            (
                text!("sbom-completeness.no-timestamp"),
                meta.timestamp.is_some(),
            ),
            (
                if meta.tools.is_empty() {
                    text!("sbom-completeness.no-author")
                } else {
                    text!("sbom-completeness.no-author-tools")
                },
                !meta.authors.is_empty(),
            ),
            (
                text!("sbom-completeness.no-relationships"),
                meta.has_dependencies,
            ),
        ];
        let total = comps.len() * 4 + doc.len();
        let absent: usize =
            missing.iter().map(|m| m.1.len()).sum::<usize>() + doc.iter().filter(|d| !d.1).count();
        let ratio = (total - absent) as f64 / total as f64;
        if ratio >= p.threshold {
            continue;
        }
        let mut notes = Vec::new();
        for (field, names) in &missing {
            if names.is_empty() {
                continue;
            }
            let mut shown: Vec<String> = names
                .iter()
                .take(LISTED)
                .map(|n| format!("`{n}`"))
                .collect();
            if names.len() > LISTED {
                shown.push("…".to_owned());
            }
            notes.push(text!(
                "sbom-completeness.field-missing",
                field = field.clone(),
                count = names.len(),
                total = comps.len(),
                names = shown.join(", ")
            ));
        }
        for (missing, ok) in doc {
            if !ok {
                notes.push(missing);
            }
        }
        hits.push(Hit {
            message: text!(
                "sbom-completeness.below",
                sbom = input.path.display().to_string(),
                share = Arg::number(ratio * 100.0, 1),
                threshold = Arg::number(p.threshold * 100.0, 1)
            ),
            notes,
            subject: Some(input.path.display().to_string()),
            ..Hit::default()
        });
    }
    if sboms == 0 && p.require {
        hits.push(Hit {
            message: text!("sbom-completeness.none"),
            ..Hit::default()
        });
    }
    hits
}
