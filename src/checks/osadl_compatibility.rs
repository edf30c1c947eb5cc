//! `osadl-compatibility`: licence compatibility asked about the combined work, per edge
//! and per distributed work, with the OSADL matrix as data (`license::compat`).

use std::collections::{BTreeSet, HashMap};

use serde::Deserialize;
use spdx::LicenseReq;

use super::{Ctx, Kind, Params, Phase, ScopeParam, compile_with, pkg_name};
use crate::finding::{Hit, Level};
use crate::license::compat::{Cell, Judgement, Outcome, judge};
use crate::license::osadl::Compat;
use crate::model::PkgIdx;
use crate::policy::{Deployment, Linking};
use crate::text;
use crate::text::Text;

pub(crate) static KIND: Kind = Kind {
    name: "osadl-compatibility",
    docs: "Asks, for every edge of the graph in scope and for every distributed work (each \
root with everything it includes), whether a licence exists under which the combined work \
can be distributed, and whose. The dependency's licence decides which direction of the OSADL \
matrix answers: a strong copyleft component must lead (its copyleft reaches the work), \
otherwise the dependent's licence leads. Outcomes: `incompatible` (no licence satisfies both: \
a violation), `copyleft` / `network-copyleft` (the work must be offered under the component's \
copyleft: an obligation, reported once per work), `part` (weak or file-level copyleft stays \
with its component: a note), OSADL's `Check dependency` and `Unknown` (review findings, at most \
`warn`, said as OSADL says them) and a licence missing from the matrix (a review finding when \
`not_in_matrix = \"review\"`). Licence exceptions cap a licence's class; the MPL-2.0 \
secondary-licence clause, the LLVM exception and `or-later` versions are honoured.\n\n\
Parameters: `scope` (`runtime`, `build`, `all`; default `runtime`), `not_in_matrix` \
(`review` or `ignore`; default `ignore`), `levels`: per outcome (`incompatible`, `copyleft`, \
`network-copyleft`, `part`) a table of the highest level per deployment mode \
(`distributed`, `saas`, `internal`); the rule's level is never exceeded. Defaults: \
incompatible deny / warn / warn (deny in `saas` too when a network copyleft is involved), \
copyleft warn / allow / allow, network-copyleft warn / warn / allow, part allow everywhere.",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Missing {
    Review,
    #[default]
    Ignore,
}

/// The highest level of one outcome per deployment mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct PerMode {
    #[serde(deserialize_with = "level")]
    distributed: Level,
    #[serde(deserialize_with = "level")]
    saas: Level,
    #[serde(deserialize_with = "level")]
    internal: Level,
}

impl PerMode {
    const fn new(distributed: Level, saas: Level, internal: Level) -> PerMode {
        PerMode {
            distributed,
            saas,
            internal,
        }
    }

    fn get(self, mode: Deployment) -> Level {
        match mode {
            Deployment::Distributed => self.distributed,
            Deployment::Saas => self.saas,
            Deployment::Internal => self.internal,
        }
    }
}

fn level<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Level, D::Error> {
    let s = String::deserialize(d)?;
    Level::parse(&s).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "unknown level `{s}`, expected `allow`, `warn`, `deny` or `gate`"
        ))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Levels {
    #[serde(default = "Levels::incompatible")]
    incompatible: PerMode,
    #[serde(default = "Levels::copyleft")]
    copyleft: PerMode,
    #[serde(default = "Levels::network_copyleft")]
    network_copyleft: PerMode,
    #[serde(default = "Levels::part")]
    part: PerMode,
}

impl Levels {
    fn incompatible() -> PerMode {
        PerMode::new(Level::Deny, Level::Warn, Level::Warn)
    }
    fn copyleft() -> PerMode {
        PerMode::new(Level::Warn, Level::Allow, Level::Allow)
    }
    fn network_copyleft() -> PerMode {
        PerMode::new(Level::Warn, Level::Warn, Level::Allow)
    }
    fn part() -> PerMode {
        PerMode::new(Level::Allow, Level::Allow, Level::Allow)
    }
}

impl Default for Levels {
    fn default() -> Self {
        Levels {
            incompatible: Levels::incompatible(),
            copyleft: Levels::copyleft(),
            network_copyleft: Levels::network_copyleft(),
            part: Levels::part(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default)]
    scope: ScopeParam,
    #[serde(default)]
    not_in_matrix: Missing,
    #[serde(default)]
    levels: Levels,
}

impl Params for P {}

/// The highest level of an outcome in a deployment mode. An incompatibility involving a
/// network copyleft weighs in `saas` as if distributed.
fn cap(levels: &Levels, o: &Outcome, mode: Deployment, network_involved: bool) -> Level {
    match o {
        Outcome::Incompatible if mode == Deployment::Saas && network_involved => {
            levels.incompatible.distributed
        }
        Outcome::Incompatible => levels.incompatible.get(mode),
        Outcome::CopyleftReaches { network: true, .. } => levels.network_copyleft.get(mode),
        Outcome::CopyleftReaches { .. } => levels.copyleft.get(mode),
        Outcome::StaysWithPart { .. } => levels.part.get(mode),
        Outcome::Review(_) | Outcome::NotInMatrix => Level::Warn,
        Outcome::Compatible => Level::Allow,
    }
}

/// The words of an outcome (the `{what}` of a finding).
pub(crate) fn wording(o: &Outcome, dep_licence: &str) -> Text {
    match o {
        Outcome::Incompatible => text!("osadl-compat.incompatible"),
        Outcome::CopyleftReaches {
            licence,
            network: false,
        } => text!("osadl-compat.copyleft", licence = licence),
        Outcome::CopyleftReaches {
            licence,
            network: true,
        } => text!("osadl-compat.network-copyleft", licence = licence),
        Outcome::StaysWithPart { relink: false } => {
            text!("osadl-compat.part", licence = dep_licence)
        }
        Outcome::StaysWithPart { relink: true } => {
            text!("osadl-compat.part-relink", licence = dep_licence)
        }
        Outcome::Review(Compat::Unknown) => text!("osadl-compat.unknown"),
        Outcome::Review(_) => text!("osadl-compat.check-dependency"),
        Outcome::NotInMatrix | Outcome::Compatible => text!("osadl-compat.not-in-matrix"),
    }
}

fn cell_note(c: &Cell) -> Text {
    let answer = match c.verdict {
        Compat::Yes => "Yes",
        Compat::No => "No",
        Compat::Unknown => "Unknown",
        Compat::CheckDependency => "Check dependency",
        Compat::NotInMatrix => "-",
    };
    text!(
        "osadl-compat.cell",
        leading = &c.leading,
        component = &c.component,
        answer = answer
    )
}

/// The worst judgement over every licence pair of two chosen alternatives.
struct Judge<'a> {
    ctx: &'a Ctx<'a>,
    static_linking: bool,
    cache: HashMap<(String, String), Judgement>,
}

impl Judge<'_> {
    fn worst(
        &mut self,
        lead: &[LicenseReq],
        dep: &[LicenseReq],
    ) -> Option<(Judgement, String, String)> {
        let mut worst: Option<(Judgement, String, String)> = None;
        for l in lead {
            for d in dep {
                let key = (l.to_string(), d.to_string());
                let j = self
                    .cache
                    .entry(key.clone())
                    .or_insert_with(|| judge(&self.ctx.kb.classes, l, d, self.static_linking))
                    .clone();
                if worst
                    .as_ref()
                    .is_none_or(|w| j.outcome.weight() > w.0.outcome.weight())
                {
                    worst = Some((j, key.0, key.1));
                }
            }
        }
        worst
    }
}

fn network_involved(ctx: &Ctx<'_>, a: &[LicenseReq], b: &[LicenseReq]) -> bool {
    a.iter()
        .chain(b)
        .any(|r| ctx.kb.classes.of_req(r) == crate::license::Class::NetworkCopyleft)
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let mode = ctx.policy.deployment.value;
    let scope = p.scope.scope();
    let mut j = Judge {
        ctx,
        static_linking: ctx.policy.linking.value == Linking::Static,
        cache: HashMap::new(),
    };
    let mut hits = Vec::new();
    let mut hit = |from: PkgIdx, to: PkgIdx, jd: Judgement, l: String, d: String, work: bool| {
        let (Some(lead), Some(dep)) = (ctx.choice(from), ctx.choice(to)) else {
            return;
        };
        let net = network_involved(ctx, &lead.licenses, &dep.licenses);
        let level = cap(&p.levels, &jd.outcome, mode, net);
        let mut notes = vec![text!(
            "osadl-compat.pair",
            leading = &l,
            lead = pkg_name(ctx, from),
            dependency = &d,
            linking = ctx.policy.linking.value.as_str(),
            deployment = mode.as_str()
        )];
        notes.extend(jd.cells.iter().map(cell_note));
        if jd.outcome == Outcome::Incompatible && level < Level::Deny {
            notes.push(text!(
                "osadl-compat.not-conveyed",
                deployment = mode.as_str()
            ));
        }
        notes.extend(
            lead.note()
                .map(|n| text!("note.for-package", pkg = pkg_name(ctx, from), note = n)),
        );
        notes.extend(
            dep.note()
                .map(|n| text!("note.for-package", pkg = pkg_name(ctx, to), note = n)),
        );
        let what = wording(&jd.outcome, &d);
        let review = matches!(jd.outcome, Outcome::Review(_) | Outcome::NotInMatrix);
        hits.push(Hit {
            package: Some(to),
            message: if work {
                text!(
                    "osadl-compat.work",
                    dep = pkg_name(ctx, to),
                    dep_licence = &d,
                    lead = pkg_name(ctx, from),
                    lead_licence = &l,
                    what = what
                )
            } else {
                text!(
                    "osadl-compat.edge",
                    dep = pkg_name(ctx, to),
                    dep_licence = &d,
                    lead = pkg_name(ctx, from),
                    lead_licence = &l,
                    what = what
                )
            },
            notes,
            subject: Some(d),
            review_only: review,
            cap: Some(level),
            ..Hit::default()
        });
    };

    // Per edge: what the dependent's own work meets. A copyleft reaching the work is
    // said once per distributed work, below.
    let mut direct: BTreeSet<(PkgIdx, PkgIdx)> = BTreeSet::new();
    for (from, to, _) in ctx.graph.edges_in(scope) {
        direct.insert((from, to));
        let (Some(lead), Some(dep)) = (ctx.choice(from), ctx.choice(to)) else {
            continue;
        };
        let Some((jd, l, d)) = j.worst(&lead.licenses, &dep.licenses) else {
            continue;
        };
        match jd.outcome {
            Outcome::Compatible | Outcome::CopyleftReaches { .. } => continue,
            Outcome::NotInMatrix if p.not_in_matrix == Missing::Ignore => continue,
            _ => hit(from, to, jd, l, d, false),
        }
    }

    // Per distributed work: each root against everything it includes.
    for &root in ctx.graph.roots() {
        let Some(lead) = ctx.choice(root) else {
            continue;
        };
        let mut seen: BTreeSet<PkgIdx> = BTreeSet::new();
        let mut queue = vec![root];
        while let Some(cur) = queue.pop() {
            for (next, kind) in ctx.graph.dependencies(cur) {
                if scope.follows(kind) && next != root && seen.insert(next) {
                    queue.push(next);
                }
            }
        }
        for &pkg in &seen {
            let Some(dep) = ctx.choice(pkg) else {
                continue;
            };
            let Some((jd, l, d)) = j.worst(&lead.licenses, &dep.licenses) else {
                continue;
            };
            match jd.outcome {
                Outcome::CopyleftReaches { .. } => hit(root, pkg, jd, l, d, true),
                Outcome::Incompatible if !direct.contains(&(root, pkg)) => {
                    hit(root, pkg, jd, l, d, true)
                }
                _ => {}
            }
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::license::Classes;
    use crate::locale::Locale;

    #[derive(Debug, Deserialize)]
    struct Table {
        pair: Vec<Row>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Row {
        dependent: String,
        dependency: String,
        #[serde(default)]
        linking: Option<String>,
        outcome: String,
        levels: [String; 3],
        source: String,
    }

    fn req(s: &str) -> LicenseReq {
        let e = spdx::Expression::parse_mode(s, crate::license::SPEC_MODE).unwrap();
        let first = e.requirements().next().map(|r| r.req.clone());
        first.unwrap()
    }

    fn code(o: &Outcome) -> &'static str {
        match o {
            Outcome::StaysWithPart { relink: true } => "stays-with-part-relink",
            other => other.code(),
        }
    }

    /// Each row's expected outcome cites a source; the level per deployment mode is what
    /// the rule reports with its catalogue parameters (`not_in_matrix = "ignore"`).
    #[test]
    fn compatibility_table_agrees_with_its_sources() {
        let table: Table = toml::from_str(include_str!(
            "../../tests/fixtures/licenses/compat-table.toml"
        ))
        .unwrap();
        assert!(table.pair.len() >= 60, "{} pairs", table.pair.len());
        let classes = Classes::builtin();
        let levels = Levels::default();
        let rule = Level::Deny;
        let mut wrong = Vec::new();
        for row in &table.pair {
            assert!(!row.source.trim().is_empty());
            let (l, d) = (req(&row.dependent), req(&row.dependency));
            let static_linking = row.linking.as_deref() != Some("dynamic");
            let j = judge(classes, &l, &d, static_linking);
            let net = [&l, &d]
                .iter()
                .any(|r| classes.of_req(r) == crate::license::Class::NetworkCopyleft);
            let got: Vec<String> = [
                Deployment::Distributed,
                Deployment::Saas,
                Deployment::Internal,
            ]
            .into_iter()
            .map(|mode| match j.outcome {
                Outcome::Compatible | Outcome::NotInMatrix => "-".to_owned(),
                ref o => rule.min(cap(&levels, o, mode, net)).as_str().to_owned(),
            })
            .collect();
            if code(&j.outcome) != row.outcome || got != row.levels {
                wrong.push(format!(
                    "{} <- {}: expected {} {:?}, got {} {:?} ({:?})",
                    row.dependent,
                    row.dependency,
                    row.outcome,
                    row.levels,
                    code(&j.outcome),
                    got,
                    j.cells
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// The words of every outcome, in English and German.
    #[test]
    fn outcome_wording() {
        let outcomes = [
            Outcome::Incompatible,
            Outcome::CopyleftReaches {
                licence: "GPL-3.0-or-later".into(),
                network: false,
            },
            Outcome::CopyleftReaches {
                licence: "AGPL-3.0-only".into(),
                network: true,
            },
            Outcome::StaysWithPart { relink: false },
            Outcome::StaysWithPart { relink: true },
            Outcome::Review(Compat::CheckDependency),
            Outcome::Review(Compat::Unknown),
            Outcome::NotInMatrix,
        ];
        let mut out = String::new();
        for lang in ["en", "de"] {
            let loc = Locale::load(lang, None).unwrap();
            for o in &outcomes {
                let what = wording(o, "MPL-2.0");
                let edge = text!(
                    "osadl-compat.edge",
                    dep = "`dep@1.0.0`",
                    dep_licence = "MPL-2.0",
                    lead = "`app@2.0.0`",
                    lead_licence = "MIT",
                    what = what.clone()
                );
                let work = text!(
                    "osadl-compat.work",
                    dep = "`dep@1.0.0`",
                    dep_licence = "GPL-3.0-or-later",
                    lead = "`app@2.0.0`",
                    lead_licence = "MIT",
                    what = what
                );
                out.push_str(&format!(
                    "{lang} {o:?}:\n  {}\n  {}\n",
                    edge.render(&loc),
                    work.render(&loc)
                ));
            }
            let cell = cell_note(&Cell {
                leading: "GPL-2.0-only".into(),
                component: "EPL-2.0".into(),
                verdict: Compat::CheckDependency,
            });
            let conveyed = text!("osadl-compat.not-conveyed", deployment = "internal");
            out.push_str(&format!(
                "{lang} notes:\n  {}\n  {}\n",
                cell.render(&loc),
                conveyed.render(&loc)
            ));
        }
        insta::assert_snapshot!(out);
    }
}
