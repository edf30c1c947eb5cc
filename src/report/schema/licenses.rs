//! The JSON form of `sovra licenses` (schema `sovra.licenses/1`, documented in
//! `docs/licenses-json.md`): licence expressions by class, their duties under the
//! policy's deployment mode, the unknowns with their reasons, the lenient rewrites. The
//! human form of the command renders the same view.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::graph::{DepGraph, Scope};
use crate::license::{self, Class, LicenseState, Licenses, Parsed, UnknownReason};
use crate::model::{Inventory, PkgIdx};

/// The schema identifier of the JSON form; bump the number on incompatible changes.
pub(crate) const SCHEMA: &str = "sovra.licenses/1";

#[derive(Debug, Serialize)]
pub(crate) struct LicensesJson {
    pub(crate) schema: &'static str,
    pub(crate) spdx_list_version: &'static str,
    pub(crate) scope: &'static str,
    /// The policy's deployment mode the duties are given for.
    pub(crate) deployment: &'static str,
    /// The language the duties are worded in.
    pub(crate) lang: String,
    pub(crate) packages: usize,
    /// Packages per class of their licence (the least restrictive alternative), from
    /// least to most restrictive.
    pub(crate) classes: Vec<ClassCount>,
    pub(crate) expressions: Vec<ExpressionJson>,
    pub(crate) unknown: Vec<UnknownJson>,
    pub(crate) rewrites: Vec<RewriteJson>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ClassCount {
    pub(crate) class: &'static str,
    pub(crate) packages: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct ExpressionJson {
    pub(crate) expression: String,
    pub(crate) class: &'static str,
    /// Some alternative consists of OSI-approved licences only.
    pub(crate) osi: bool,
    /// Some alternative consists of FSF free licences only.
    pub(crate) fsf: bool,
    /// The expression uses a deprecated licence or exception id.
    pub(crate) deprecated: bool,
    pub(crate) alternatives: Vec<AlternativeJson>,
    /// What the licences of the expression ask in the policy's deployment mode
    /// (`rules/licenses/duties.toml`).
    pub(crate) duties: Vec<DutyJson>,
    pub(crate) packages: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct DutyJson {
    /// `attribution`, `source-offer`, `notice-file`, `network-use` or `read-terms`.
    pub(crate) duty: &'static str,
    /// The duty in the output's language.
    pub(crate) text: &'static str,
}

#[derive(Debug, Serialize)]
pub(crate) struct AlternativeJson {
    pub(crate) class: &'static str,
    pub(crate) terms: Vec<TermJson>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TermJson {
    pub(crate) term: String,
    pub(crate) class: &'static str,
    pub(crate) osi: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct UnknownJson {
    pub(crate) reason: &'static str,
    pub(crate) packages: Vec<UnknownPackageJson>,
}

#[derive(Debug, Serialize)]
pub(crate) struct UnknownPackageJson {
    pub(crate) package: String,
    /// The licence file named instead of a licence (`license-file-only`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) file: Option<String>,
    /// The raw string (`unparseable`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) raw: Option<String>,
    /// Why it does not parse (`unparseable`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<String>,
}

impl UnknownPackageJson {
    fn new(package: String, reason: &UnknownReason) -> Self {
        let (file, raw, error) = match reason {
            UnknownReason::LicenseFileOnly(f) => (Some(f.clone()), None, None),
            UnknownReason::Unidentified { file, best, .. } if best.is_empty() => (
                Some(file.clone()),
                None,
                Some("no licence text resembles it".to_owned()),
            ),
            UnknownReason::Unidentified { file, best, score } => (
                Some(file.clone()),
                None,
                Some(format!("best match `{best}`, score {score}")),
            ),
            UnknownReason::Unparseable { raw, error } => {
                (None, Some(raw.clone()), Some(error.clone()))
            }
            UnknownReason::Missing | UnknownReason::NoAssertion | UnknownReason::None => {
                (None, None, None)
            }
        };
        UnknownPackageJson {
            package,
            file,
            raw,
            error,
        }
    }

    /// The detail people read after the package name.
    pub(crate) fn detail(&self) -> Option<String> {
        match (&self.file, &self.raw, &self.error) {
            (Some(f), _, _) => Some(format!("licence file `{f}`")),
            (None, Some(raw), Some(e)) => Some(format!("`{raw}`: {e}")),
            _ => None,
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct RewriteJson {
    pub(crate) original: String,
    pub(crate) result: String,
    pub(crate) rewrites: Vec<String>,
    pub(crate) packages: Vec<String>,
}

pub(crate) fn view(
    inv: &Inventory,
    graph: &DepGraph,
    licenses: &Licenses,
    scope: Scope,
) -> LicensesJson {
    let mut packages = 0;
    let mut classes: BTreeMap<Class, usize> = BTreeMap::new();
    let mut expressions: BTreeMap<String, (ExpressionJson, Class)> = BTreeMap::new();
    let mut unknown: BTreeMap<&'static str, Vec<UnknownPackageJson>> = BTreeMap::new();
    let mut rewrites: BTreeMap<(String, String), RewriteJson> = BTreeMap::new();
    for (i, state) in licenses.per_package.iter().enumerate() {
        let idx = PkgIdx(i as u32);
        if !graph.is_reachable(idx, scope) {
            continue;
        }
        packages += 1;
        let label = super::inventory::label(inv, idx);
        *classes.entry(state.class()).or_default() += 1;
        match state {
            LicenseState::Known(l) => {
                let text = l.text().to_owned();
                expressions
                    .entry(text.clone())
                    .or_insert_with(|| expression(&l.expression, text.clone()))
                    .0
                    .packages
                    .push(label.clone());
                if let Parsed::Lenient {
                    original,
                    rewrites: steps,
                } = &l.parsed
                {
                    rewrites
                        .entry((original.clone(), text.clone()))
                        .or_insert_with(|| RewriteJson {
                            original: original.clone(),
                            result: text,
                            rewrites: steps.iter().map(ToString::to_string).collect(),
                            packages: Vec::new(),
                        })
                        .packages
                        .push(label);
                }
            }
            LicenseState::Unknown(reason) => {
                unknown
                    .entry(reason.kind())
                    .or_default()
                    .push(UnknownPackageJson::new(label, reason));
            }
        }
    }
    let mut expressions: Vec<(ExpressionJson, Class)> = expressions.into_values().collect();
    // Most restrictive first, then by expression: what a reviewer must look at leads.
    expressions.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.expression.cmp(&b.0.expression)));
    let sort = |mut v: Vec<String>| {
        v.sort();
        v.dedup();
        v
    };
    LicensesJson {
        schema: SCHEMA,
        spdx_list_version: license::spdx_list_version(),
        scope: scope.as_str(),
        deployment: "",
        lang: String::new(),
        packages,
        classes: classes
            .into_iter()
            .map(|(k, v)| ClassCount {
                class: k.as_str(),
                packages: v,
            })
            .collect(),
        expressions: expressions
            .into_iter()
            .map(|(mut e, _)| {
                e.packages = sort(std::mem::take(&mut e.packages));
                e
            })
            .collect(),
        unknown: unknown
            .into_iter()
            .map(|(reason, mut packages)| {
                packages.sort_by(|a, b| {
                    (&a.package, &a.file, &a.raw).cmp(&(&b.package, &b.file, &b.raw))
                });
                UnknownJson { reason, packages }
            })
            .collect(),
        rewrites: rewrites
            .into_values()
            .map(|mut r| {
                r.packages = sort(std::mem::take(&mut r.packages));
                r
            })
            .collect(),
    }
}

fn expression(expr: &spdx::Expression, text: String) -> (ExpressionJson, Class) {
    let c = license::classify_with(license::Classes::builtin(), expr);
    let json = ExpressionJson {
        expression: text,
        class: c.class.as_str(),
        osi: expr.evaluate(license::is_osi),
        fsf: expr.evaluate(license::is_fsf),
        deprecated: expr.requirements().any(|r| license::is_deprecated(&r.req)),
        alternatives: c
            .alternatives
            .iter()
            .map(|a| AlternativeJson {
                class: a.class.as_str(),
                terms: a
                    .reqs
                    .iter()
                    .map(|(r, class)| TermJson {
                        term: r.to_string(),
                        class: class.as_str(),
                        osi: license::is_osi(r),
                    })
                    .collect(),
            })
            .collect(),
        duties: Vec::new(),
        packages: Vec::new(),
    };
    (json, c.class)
}

/// The duties of every expression in `mode`, worded in `lang`, in the order of
/// [`license::class::DUTIES`]: those of every licence of an alternative (`AND`), of
/// the alternative that asks least (an `OR` lets the user choose; the first of equals).
pub(crate) fn add_duties(view: &mut LicensesJson, mode: license::Deployment, lang: &str) {
    view.deployment = mode.as_str();
    view.lang = lang.to_owned();
    for e in &mut view.expressions {
        let per_alternative = e.alternatives.iter().map(|a| {
            let mut all: Vec<&'static str> = Vec::new();
            for t in &a.terms {
                let id = t.term.split(" WITH ").next().unwrap_or_default();
                let id = id.trim_end_matches('+');
                let class = Class::from_name(t.class).unwrap_or(Class::Unknown);
                all.extend(license::duties(id, class, mode));
            }
            all.sort_unstable();
            all.dedup();
            all
        });
        let all = per_alternative.min_by_key(Vec::len).unwrap_or_default();
        e.duties = license::class::DUTIES
            .into_iter()
            .filter(|d| all.contains(d))
            .map(|duty| DutyJson {
                duty,
                text: license::duty_text(duty, lang),
            })
            .collect();
    }
}
