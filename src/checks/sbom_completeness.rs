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
    docs: "For every SBOM input (CycloneDX, SPDX), checks the minimum elements of BSI \
TR-03183-2 (which include NTIA's), in the version the policy names. v2.0.0 (§5): per component \
supplier, name, version and a unique id (purl); per document a timestamp, an author and \
dependency relationships; the format CycloneDX 1.5 or later, or SPDX 2.2.1 or later. v2.1.0 \
(§4, §5.2): the format CycloneDX 1.6 or later, or SPDX 3.0.1 or later; per component besides \
supplier, name and version a SHA-512 hash of the deployable form, the URI of the deployable \
form and of the source code, a purl or a CPE, the declared (original) and the concluded \
(distribution) licence; per document timestamp, author and relationships, and no \
vulnerability data (§5: an SBOM must not carry it). The TR lets the previous version be used \
for six months after a new one is published: until `previous_until`, v2.0.0 is what an SBOM \
is judged by. The completeness ratio is the share of these elements present; a finding is \
reported when it is below the threshold, or when the format is not accepted, with what is \
missing. With `require = true`, inputs without any SBOM are a finding too.\n\nParameters: \
`threshold` (0.0–1.0, default 1.0), `require` (bool, default `false`), `tr_version` \
(`\"2.0.0\"` or `\"2.1.0\"`, default `\"2.1.0\"`), `previous_until` (date, default \
`2026-02-20`: six months after v2.1.0 of 2025-08-20).",
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
    #[serde(default = "latest")]
    tr_version: String,
    #[serde(default = "transition")]
    previous_until: String,
}

fn one() -> f64 {
    1.0
}

fn latest() -> String {
    V2_1.to_owned()
}

fn transition() -> String {
    "2026-02-20".to_owned()
}

const V2_0: &str = "2.0.0";
const V2_1: &str = "2.1.0";

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        share("threshold", self.threshold)?;
        if ![V2_0, V2_1].contains(&self.tr_version.as_str()) {
            return Err(format!(
                "`tr_version` is `{V2_0}` or `{V2_1}`, not `{}`",
                self.tr_version
            ));
        }
        self.previous_until
            .parse::<jiff::civil::Date>()
            .map(|_| ())
            .map_err(|_| {
                format!(
                    "`previous_until` is a date like 2026-02-20, not `{}`",
                    self.previous_until
                )
            })
    }
}

impl P {
    /// The TR version an SBOM is judged by on `today`.
    fn version(&self, today: jiff::civil::Date) -> &'static str {
        let until = self.previous_until.parse::<jiff::civil::Date>().ok();
        if self.tr_version == V2_0 || until.is_some_and(|d| today <= d) {
            V2_0
        } else {
            V2_1
        }
    }
}

/// The numeric parts of a version (`SPDX-2.3` → `[2, 3]`).
fn numbers(v: &str) -> Vec<u32> {
    v.split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect()
}

/// The oldest format version the TR accepts, and the format's name, for one input.
fn format_floor(format: InputFormat, tr: &str) -> (&'static str, &'static str) {
    match (format, tr) {
        (InputFormat::CycloneDxJson | InputFormat::CycloneDxXml, V2_0) => ("CycloneDX", "1.5"),
        (InputFormat::CycloneDxJson | InputFormat::CycloneDxXml, _) => ("CycloneDX", "1.6"),
        (_, V2_0) => ("SPDX", "2.2.1"),
        _ => ("SPDX", "3.0.1"),
    }
}

/// Whether a component states a SHA-512 hash (`SHA-512` in CycloneDX, `sha512` in SPDX).
fn has_sha512(algorithms: &[String]) -> bool {
    algorithms.iter().any(|a| {
        a.bytes()
            .filter(|&b| b != b'-')
            .map(|b| b.to_ascii_lowercase())
            .eq(*b"sha512")
    })
}

/// How many package names a note lists.
const LISTED: usize = 5;

/// How many elements a component is checked for under v2.1.0 (the first four under
/// v2.0.0).
const FIELDS: usize = 9;

/// The names of the component elements, in the order they are checked.
fn field_texts(v21: bool) -> Vec<Text> {
    let mut fields = vec![
        text!("sbom-completeness.supplier"),
        text!("sbom-completeness.name"),
        text!("sbom-completeness.version"),
        if v21 {
            text!("sbom-completeness.purl-or-cpe")
        } else {
            text!("sbom-completeness.purl")
        },
    ];
    if v21 {
        fields.extend([
            text!("sbom-completeness.sha512"),
            text!("sbom-completeness.distribution"),
            text!("sbom-completeness.source"),
            text!("sbom-completeness.declared"),
            text!("sbom-completeness.concluded"),
        ]);
    }
    fields
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let tr = p.version(ctx.today);
    let mut hits = Vec::new();
    let mut sboms = 0;
    // Packages grouped by input once, whatever the number of inputs: one list in input
    // order (a package keeps its place among its input's), cut as the inputs go.
    let mut by_input: Vec<&crate::model::Package> = ctx.inventory.packages.iter().collect();
    by_input.sort_by_key(|p| p.input.0);
    let mut rest = by_input.as_slice();
    for (i, input) in ctx.inventory.inputs.iter().enumerate() {
        let count = rest.iter().take_while(|p| p.input.0 as usize == i).count();
        let (comps, tail) = rest.split_at(count);
        rest = tail;
        if !matches!(
            input.format,
            InputFormat::CycloneDxJson
                | InputFormat::CycloneDxXml
                | InputFormat::Spdx3JsonLd
                | InputFormat::SpdxJson
                | InputFormat::SpdxYaml
                | InputFormat::SpdxTagValue
        ) {
            continue;
        }
        sboms += 1;
        let v21 = tr == V2_1;
        let fields = if v21 { FIELDS } else { 4 };
        // Per element: how many components lack it, and the first few of their names
        // (all a note shows), not a list of every name.
        let mut absent_of = [0usize; FIELDS];
        let mut named: [Vec<String>; FIELDS] = Default::default();
        let filled = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
        for c in comps {
            let checks = [
                filled(&c.supplier),
                !c.name.trim().is_empty(),
                filled(&c.version),
                c.purl().is_some() || (v21 && filled(&c.cpe)),
                // The elements of v2.1.0 only: not looked at under v2.0.0.
                v21 && has_sha512(&c.hash_algorithms),
                filled(&c.distribution),
                filled(&c.repository),
                !c.declared.is_empty(),
                !c.concluded.is_empty(),
            ];
            let mut label: Option<String> = None;
            for ((ok, n), names) in checks
                .into_iter()
                .zip(&mut absent_of)
                .zip(&mut named)
                .take(fields)
            {
                if ok {
                    continue;
                }
                *n += 1;
                if names.len() < LISTED {
                    let label = label.get_or_insert_with(|| {
                        if c.name.is_empty() {
                            c.id.to_string()
                        } else {
                            c.display_name()
                        }
                    });
                    names.push(label.clone());
                }
            }
        }
        let missing: Vec<(Text, usize, Vec<String>)> = field_texts(v21)
            .into_iter()
            .zip(absent_of)
            .zip(named)
            .map(|((field, n), names)| (field, n, names))
            .collect();
        let meta = &input.meta;
        let (format_name, floor) = format_floor(input.format, tr);
        let spec = meta.spec_version.as_deref().unwrap_or("");
        let format_ok = !spec.is_empty() && numbers(spec) >= numbers(floor);
        let mut doc = vec![
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
        if v21 {
            doc.push((
                text!("sbom-completeness.vulnerabilities"),
                !meta.vulnerabilities,
            ));
        }
        let total = count * missing.len() + doc.len();
        let absent: usize =
            missing.iter().map(|m| m.1).sum::<usize>() + doc.iter().filter(|d| !d.1).count();
        let ratio = (total - absent) as f64 / total as f64;
        if ratio >= p.threshold && format_ok {
            continue;
        }
        let mut notes = vec![text!("sbom-completeness.judged", tr = tr)];
        if !format_ok {
            notes.push(text!(
                "sbom-completeness.format",
                format = format_name,
                version = if spec.is_empty() { "?" } else { spec },
                floor = floor,
                tr = tr
            ));
        }
        for (field, n, names) in missing {
            if n == 0 {
                continue;
            }
            let mut shown: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            if n > LISTED {
                shown.push("…".to_owned());
            }
            notes.push(text!(
                "sbom-completeness.field-missing",
                field = field,
                count = n,
                total = count,
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
