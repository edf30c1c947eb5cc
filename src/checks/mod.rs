//! Check kinds: the code that rules parameterise.
//!
//! One file per kind. Each kind has a kebab-case name, docs, a typed parameter struct
//! deserialised from the rule's (and the policy's) TOML `params`, and a pure `run` over
//! the [`Ctx`] that returns [`Hit`]s. Kinds are registered in [`KINDS`], one sorted
//! static list; the engine looks them up by name. No IO happens here.
//!
//! To add a kind: write `src/checks/<name>.rs` with `pub(crate) static KIND: Kind`, add
//! it to [`KINDS`] in name order, and write a rule in `rules/catalogue/` that uses it.

use serde::de::DeserializeOwned;

use crate::checks::choice::Choice;
use crate::facts::{Extra, Kb};
use crate::finding::Hit;
use crate::graph::DepGraph;
use crate::license::Licenses;
use crate::model::{Inventory, PkgIdx};
use crate::policy::EffectivePolicy;
use crate::text;
use crate::text::Text;

mod bus_factor;
pub(crate) mod choice;
mod closed_artefacts;
mod continuity_risk;
mod controller_jurisdiction;
mod data_act_exit;
mod data_export;
mod evidence_unread;
mod exception_expired;
mod exception_unused;
mod known_vulnerability;
mod license_allow;
mod license_class;
mod license_deny;
mod license_deprecated;
mod license_expression;
mod license_osi;
mod network_copyleft;
mod non_registry_source;
mod odf;
mod open_standards;
mod origin_known;
mod osadl_compatibility;
mod package_deny;
mod publiccode_maintained;
mod publiccode_proprietary_deps;
mod publiccode_status;
mod publiccode_valid;
mod relicensing_risk;
mod sbom_completeness;
mod self_hostable;
mod single_vendor_control;
mod substitutable;
mod unknown_license_share;
mod unmaintained;

/// Everything a check may read. Built once per analysis by the engine.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub inventory: &'a Inventory,
    pub graph: &'a DepGraph,
    pub licenses: &'a Licenses,
    /// The OR branch chosen for every package (indexed by `PkgIdx`), `None` when the
    /// licence is unknown.
    pub choices: &'a [Option<Choice>],
    pub kb: &'a Kb,
    pub policy: &'a EffectivePolicy,
    /// Candidate facts and other inputs that later stages fill.
    pub extra: &'a Extra,
    /// The date exceptions expire against.
    pub today: jiff::civil::Date,
    /// For [`Phase::Post`] kinds: which exceptions (by index into
    /// `policy.exceptions`) suppressed at least one finding. Empty in the main phase.
    pub used_exceptions: &'a [bool],
}

impl Ctx<'_> {
    /// The chosen licence branch of a package.
    pub(crate) fn choice(&self, pkg: PkgIdx) -> Option<&Choice> {
        self.choices.get(pkg.index()).and_then(Option::as_ref)
    }
}

/// When a kind runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// With the other checks, before exceptions are applied.
    Main,
    /// After exceptions were applied to the main phase's findings (exception hygiene).
    Post,
}

/// A check compiled with its parameters, ready to run.
pub(crate) type Compiled = Box<dyn Fn(&Ctx<'_>) -> Vec<Hit> + Send + Sync>;

/// One check kind.
pub(crate) struct Kind {
    /// Kebab-case name, referenced by rules' `check` key.
    pub name: &'static str,
    /// What the kind does and what its parameters mean (Markdown).
    pub docs: &'static str,
    pub phase: Phase,
    /// Deserialises and validates parameters; the error is a one-line message.
    pub compile: fn(&toml::Table) -> Result<Compiled, String>,
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kind").field("name", &self.name).finish()
    }
}

/// Typed parameters of a check kind.
pub(crate) trait Params: DeserializeOwned + Send + Sync + 'static {
    /// Checks what serde cannot (ranges, valid licence ids).
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }
}

/// Parameters of kinds that take none.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoParams {}

impl Params for NoParams {}

/// Deserialises `params` into `P` and binds them to `run`.
pub(crate) fn compile_with<P: Params>(
    params: &toml::Table,
    run: fn(&Ctx<'_>, &P) -> Vec<Hit>,
) -> Result<Compiled, String> {
    let p: P = params
        .clone()
        .try_into()
        .map_err(|e: toml::de::Error| e.message().trim().trim_end_matches('.').to_owned())?;
    p.validate()?;
    Ok(Box::new(move |ctx| run(ctx, &p)))
}

/// Every check kind, sorted by name.
pub(crate) static KINDS: &[&Kind] = &[
    &bus_factor::KIND,
    &closed_artefacts::KIND,
    &continuity_risk::KIND,
    &controller_jurisdiction::KIND,
    &data_act_exit::KIND,
    &data_export::KIND,
    &evidence_unread::KIND,
    &exception_expired::KIND,
    &exception_unused::KIND,
    &known_vulnerability::KIND,
    &license_allow::KIND,
    &license_class::KIND,
    &license_deny::KIND,
    &license_deprecated::KIND,
    &license_expression::KIND,
    &license_osi::KIND,
    &network_copyleft::KIND,
    &non_registry_source::KIND,
    &odf::KIND,
    &open_standards::KIND,
    &origin_known::KIND,
    &osadl_compatibility::KIND,
    &package_deny::KIND,
    &publiccode_maintained::KIND,
    &publiccode_proprietary_deps::KIND,
    &publiccode_status::KIND,
    &publiccode_valid::KIND,
    &relicensing_risk::KIND,
    &sbom_completeness::KIND,
    &self_hostable::KIND,
    &single_vendor_control::KIND,
    &substitutable::KIND,
    &unknown_license_share::KIND,
    &unmaintained::KIND,
];

/// The kind named `name`.
pub(crate) fn kind(name: &str) -> Option<&'static Kind> {
    KINDS
        .binary_search_by(|k| k.name.cmp(name))
        .ok()
        .map(|i| KINDS[i])
}

/// The review finding of a check that needs the facts file when none was given.
/// `what` is a key under `msg.assessed.` naming what was not assessed.
pub(crate) fn no_facts_hit(what: Text) -> Hit {
    Hit {
        message: text!("facts.none", what = what),
        notes: vec![text!("facts.none-hint")],
        review_only: true,
        ..Hit::default()
    }
}

/// The review finding for packages a facts file has nothing on, naming the first ten.
pub(crate) fn unchecked_hit(names: &mut [String], scope: ScopeParam, what: Text) -> Option<Hit> {
    if names.is_empty() {
        return None;
    }
    names.sort();
    let listed: Vec<String> = names.iter().take(10).map(|n| format!("`{n}`")).collect();
    let mut note = text!("facts.unchecked-list", names = listed.join(", "));
    if names.len() > 10 {
        note = text!(
            "facts.unchecked-list-more",
            names = listed.join(", "),
            more = names.len() - 10
        );
    }
    let message = if names.len() == 1 {
        text!("facts.unchecked-one", scope = scope.text(), what = what)
    } else {
        text!(
            "facts.unchecked-many",
            count = names.len(),
            scope = scope.text(),
            what = what
        )
    };
    Some(Hit {
        message,
        notes: vec![note],
        review_only: true,
        ..Hit::default()
    })
}

/// The licences `bad` flags in `alternatives` (each a set of `(licence, class)` that
/// apply together), labelled `` `id` (class) `` and listed once each; `None` unless
/// every alternative holds at least one, since an alternative without any is a way
/// to use the package.
pub(crate) fn in_every_alternative<'r, A, R>(
    alternatives: A,
    bad: impl Fn(&spdx::LicenseReq, crate::license::Class) -> bool,
) -> Option<Vec<String>>
where
    A: IntoIterator<Item = R>,
    R: IntoIterator<Item = (&'r spdx::LicenseReq, crate::license::Class)>,
{
    let mut found: Vec<String> = Vec::new();
    let mut any = false;
    for alt in alternatives {
        any = true;
        let mut hit = false;
        for (r, class) in alt {
            if bad(r, class) {
                hit = true;
                let label = format!("`{r}` ({class})");
                if !found.contains(&label) {
                    found.push(label);
                }
            }
        }
        if !hit {
            return None;
        }
    }
    any.then_some(found)
}

/// The note naming where a fact came from and when it was fetched.
pub(crate) fn source_note(url: &str, retrieved: &str) -> Text {
    text!(
        "note.source-retrieved",
        url = url,
        retrieved = text::Arg::Date(retrieved.to_owned())
    )
}

/// Whole months (of 30.44 days) from an RFC 3339 time (or a plain date) to `today`.
pub(crate) fn months_since(when: &str, today: jiff::civil::Date) -> Option<u32> {
    let date: jiff::civil::Date = match when.parse::<jiff::Timestamp>() {
        Ok(t) => t.to_zoned(jiff::tz::TimeZone::UTC).date(),
        Err(_) => when.get(..10)?.parse().ok()?,
    };
    let days = (today - date).get_days();
    let days = i64::from(days).max(0);
    u32::try_from((days as f64 / 30.44) as i64).ok()
}

/// Validates a parameter that is a share of something: 0.0 to 1.0.
pub(crate) fn share(name: &str, value: f64) -> Result<(), String> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "`{name}` must lie between 0.0 and 1.0, not {value}"
        ))
    }
}

/// Message fragment naming a package: `` `name@version` ``.
pub(crate) fn pkg_name(ctx: &Ctx<'_>, pkg: PkgIdx) -> String {
    format!("`{}`", ctx.inventory.package(pkg).display_name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_licence_file_that_resembles_no_licence_text_says_so() {
        use crate::license::UnknownReason as U;
        let unmatched = U::Unidentified {
            file: "LICENSE".into(),
            best: String::new(),
            score: "0.00".into(),
        };
        assert_eq!(
            unknown_reason(&unmatched).to_string(),
            "licence file `LICENSE` not identified (no licence text resembles it)"
        );
        let near = U::Unidentified {
            file: "LICENSE".into(),
            best: "MIT".into(),
            score: "0.61".into(),
        };
        assert_eq!(
            unknown_reason(&near).to_string(),
            "licence file `LICENSE` not identified (best match `MIT`, score 0.61)"
        );
    }

    #[test]
    fn kinds_are_sorted_and_unique() {
        for w in KINDS.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
    }

    #[test]
    fn every_kind_has_docs() {
        for k in KINDS {
            assert!(!k.docs.trim().is_empty(), "{} lacks docs", k.name);
        }
    }
}

/// The `scope` parameter many kinds take: which part of the graph they look at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ScopeParam {
    /// Runtime and optional dependencies: what ships and runs.
    #[default]
    Runtime,
    /// Runtime and build dependencies.
    Build,
    /// Everything, dev dependencies included.
    All,
}

impl ScopeParam {
    /// The scope's name in a message.
    pub(crate) fn text(self) -> Text {
        match self {
            ScopeParam::Runtime => text!("scope.runtime"),
            ScopeParam::Build => text!("scope.build"),
            ScopeParam::All => text!("scope.all"),
        }
    }

    /// Where in the graph, as a phrase that ends a sentence ("in what ships").
    pub(crate) fn where_text(self) -> Text {
        match self {
            ScopeParam::Runtime => text!("scope-where.runtime"),
            ScopeParam::Build => text!("scope-where.build"),
            ScopeParam::All => text!("scope-where.all"),
        }
    }

    pub(crate) fn scope(self) -> crate::graph::Scope {
        match self {
            ScopeParam::Runtime => crate::graph::Scope::Runtime,
            ScopeParam::Build => crate::graph::Scope::Build,
            ScopeParam::All => crate::graph::Scope::All,
        }
    }
}

/// Words for why a licence is unknown.
pub(crate) fn unknown_reason(r: &crate::license::UnknownReason) -> Text {
    use crate::license::UnknownReason as U;
    match r {
        U::Missing => text!("unknown-reason.missing"),
        U::NoAssertion => text!("unknown-reason.noassertion"),
        U::None => text!("unknown-reason.none"),
        U::LicenseFileOnly(f) => text!("unknown-reason.file-only", file = f),
        U::Unidentified { file, best, .. } if best.is_empty() => {
            text!("unknown-reason.file-unmatched", file = file)
        }
        U::Unidentified { file, best, score } => text!(
            "unknown-reason.file-unidentified",
            file = file,
            best = best,
            score = score
        ),
        U::Unparseable { raw, .. } => text!("unknown-reason.unparseable", raw = raw),
    }
}
