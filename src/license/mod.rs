//! Licence interpretation: raw licence strings from inputs → SPDX expressions.
//!
//! Strict parse first (`spdx` crate, SPDX 2.x syntax), then a lenient pass driven by the
//! data table in `rules/licenses/`; every lenient rewrite is kept with the original
//! string so that rules can report it. Packages without a usable licence are
//! [`LicenseState::Unknown`] with the reason.
//!
//! "Strict" means valid SPDX 2.x syntax with ids from the SPDX list, deprecated ids
//! included (the specification allows them; rule LIC003 reports them). Everything the
//! `spdx` crate's strict mode rejects for other reasons goes to the lenient pass.
//!
//! Classes ([`class`]), the OSADL matrix ([`osadl`]) and licence texts are read from the
//! embedded knowledge base; every table is parsed once.

pub(crate) mod class;
pub(crate) mod compat;
pub(crate) mod identify;
mod lenient;
pub(crate) mod osadl;

pub(crate) use class::{Class, Classes, Deployment, duties, duty_text, obligations};
pub(crate) use lenient::LenientTable;

use spdx::{LicenseItem, LicenseReq};

use crate::model::{Inventory, Package};

/// SPDX 2.x syntax as specified: strict, but deprecated ids are valid.
pub(crate) const SPEC_MODE: spdx::ParseMode = spdx::ParseMode {
    allow_slash_as_or_operator: false,
    allow_imprecise_license_names: false,
    allow_postfix_plus_on_gpl: false,
    allow_deprecated: true,
    allow_unknown: false,
};

/// How an expression was obtained from the raw string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Parsed {
    /// Valid SPDX syntax as written.
    Strict,
    /// Made valid by lenient rewrites (each recorded).
    Lenient {
        original: String,
        rewrites: Vec<crate::text::Text>,
    },
}

/// Which field of the input the licence came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum LicenseOrigin {
    Declared,
    Concluded,
}

/// A licence the tool could interpret.
#[derive(Debug, Clone)]
pub(crate) struct Licensing {
    pub expression: spdx::Expression,
    pub parsed: Parsed,
    pub origin: LicenseOrigin,
}

impl Licensing {
    /// The expression as SPDX text.
    pub(crate) fn text(&self) -> &str {
        self.expression.as_ref()
    }
}

/// Why a package's licence is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UnknownReason {
    /// The input has no licence field for the package.
    Missing,
    /// `NOASSERTION`.
    NoAssertion,
    /// `NONE`: the input asserts that no licence applies.
    None,
    /// Only a licence file is named (Cargo `license-file`).
    LicenseFileOnly(String),
    /// A licence file was read but matched no SPDX licence text well enough: the best
    /// candidate and its score (two decimals) are named.
    Unidentified {
        file: String,
        best: String,
        score: String,
    },
    /// The string is neither valid SPDX nor fixable by the lenient table.
    Unparseable { raw: String, error: String },
}

/// The interpreted licence of one package.
#[derive(Debug, Clone)]
pub(crate) enum LicenseState {
    Known(Box<Licensing>),
    Unknown(UnknownReason),
}

/// Interpreted licences of every package of an inventory, indexed by `PkgIdx`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Licenses {
    pub per_package: Vec<LicenseState>,
}

/// Interprets the licence of every package.
pub(crate) fn resolve_all(inv: &Inventory) -> Licenses {
    resolve_all_with(inv, LenientTable::builtin())
}

/// [`resolve_all`] with a given lenient table (e.g. one with a user file layered on top).
pub(crate) fn resolve_all_with(inv: &Inventory, table: &LenientTable) -> Licenses {
    resolve_all_at(inv, table, identify::DEFAULT_THRESHOLD)
}

/// [`resolve_all_with`] with the policy's confidence threshold for licence texts.
///
/// A `LicenseRef-*` whose text the input gives (SPDX `hasExtractedLicensingInfos`, an
/// SPDX 3 custom licence) is identified against the SPDX licence texts: at or above the
/// threshold it is replaced by the licence found, recorded as a rewrite; below it, a
/// package whose licence is that reference alone is unknown with the best candidate
/// named, and in a compound expression the reference stays as written.
pub(crate) fn resolve_all_at(inv: &Inventory, table: &LenientTable, threshold: f32) -> Licenses {
    let mut seen = std::collections::BTreeMap::new();
    Licenses {
        per_package: inv
            .packages
            .iter()
            .map(|p| identify_refs(resolve_at(p, table, threshold), inv, threshold, &mut seen))
            .collect(),
    }
}

/// Identifications of `LicenseRef-*` texts, by id: best candidate and score.
type RefIdentifications = std::collections::BTreeMap<String, (String, f32)>;

/// [`resolve_all_at`]'s identification of the `LicenseRef-*` texts of one package's
/// licence.
fn identify_refs(
    state: LicenseState,
    inv: &Inventory,
    threshold: f32,
    seen: &mut RefIdentifications,
) -> LicenseState {
    let LicenseState::Known(l) = state else {
        return state;
    };
    let mut refs: Vec<String> = Vec::new();
    for r in l.expression.requirements() {
        if let LicenseItem::Other(o) = &r.req.license {
            let key = format!("LicenseRef-{}", o.lic_ref);
            if o.doc_ref.is_none() && inv.license_refs.contains_key(&key) && !refs.contains(&key) {
                refs.push(key);
            }
        }
    }
    if refs.is_empty() {
        return LicenseState::Known(l);
    }
    let where_ = |key: &str| {
        inv.license_refs
            .get(key)
            .and_then(|x| inv.inputs.get(x.input.0 as usize))
            .map(|i| i.path.display().to_string())
            .unwrap_or_default()
    };
    let mut text = l.text().to_owned();
    let mut rewrites = Vec::new();
    for key in &refs {
        let (best, score) = seen
            .entry(key.clone())
            .or_insert_with(|| identify::identify(&inv.license_refs[key].text))
            .clone();
        let shown = format!("{score:.2}");
        let valid = spdx::Expression::parse_mode(&best, SPEC_MODE).is_ok();
        if score >= threshold && valid {
            text = replace_ref(&text, key, &best);
            rewrites.push(crate::text!(
                "rewrite.identified-ref",
                id = key,
                file = &where_(key),
                licence = &best,
                score = &shown
            ));
        } else if l.expression.requirements().count() == 1 {
            return LicenseState::Unknown(UnknownReason::Unidentified {
                file: format!("{} ({key})", where_(key)),
                best,
                score: shown,
            });
        }
    }
    if rewrites.is_empty() {
        return LicenseState::Known(l);
    }
    match spdx::Expression::parse_mode(&text, SPEC_MODE) {
        Ok(expression) => {
            let (original, mut before) = match l.parsed {
                Parsed::Strict => (l.text().to_owned(), Vec::new()),
                Parsed::Lenient { original, rewrites } => (original, rewrites),
            };
            before.extend(rewrites);
            LicenseState::Known(Box::new(Licensing {
                expression,
                parsed: Parsed::Lenient {
                    original,
                    rewrites: before,
                },
                origin: l.origin,
            }))
        }
        Err(_) => LicenseState::Known(l),
    }
}

/// `text` with every whole-word occurrence of the licence reference `key` replaced.
fn replace_ref(text: &str, key: &str, by: &str) -> String {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == ':';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(key) {
        let end = at + key.len();
        let before_ok = !rest[..at].chars().next_back().is_some_and(word);
        let after_ok = !rest[end..].chars().next().is_some_and(word);
        out.push_str(&rest[..at]);
        out.push_str(if before_ok && after_ok { by } else { key });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Interprets one package's licence: concluded wins over declared unless it is
/// `NOASSERTION`; several statements apply together (`AND`).
pub(crate) fn resolve(pkg: &Package) -> LicenseState {
    resolve_with(pkg, LenientTable::builtin())
}

/// [`resolve`] with a given lenient table.
pub(crate) fn resolve_with(pkg: &Package, table: &LenientTable) -> LicenseState {
    resolve_at(pkg, table, identify::DEFAULT_THRESHOLD)
}

/// [`resolve_with`] with a confidence threshold for licence texts.
pub(crate) fn resolve_at(pkg: &Package, table: &LenientTable, threshold: f32) -> LicenseState {
    let pick = |v: &[String]| -> Option<String> {
        let v: Vec<&str> = v
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        match v.len() {
            0 => None,
            1 => Some(v[0].to_owned()),
            _ => Some(
                v.iter()
                    .map(|s| {
                        if s.contains(|c: char| c.is_whitespace() || c == '/' || c == ',') {
                            format!("({s})")
                        } else {
                            (*s).to_owned()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" AND "),
            ),
        }
    };
    let concluded = pick(&pkg.concluded).filter(|s| s != "NOASSERTION");
    let (raw, origin) = match (concluded, pick(&pkg.declared)) {
        (Some(c), _) => (c, LicenseOrigin::Concluded),
        (None, Some(d)) => (d, LicenseOrigin::Declared),
        (None, None) => {
            if let Some(f) = &pkg.license_file {
                return match &pkg.license_text {
                    Some(text) => identify::resolve_file(f, text, threshold),
                    None => LicenseState::Unknown(UnknownReason::LicenseFileOnly(f.clone())),
                };
            }
            if pkg.concluded.iter().any(|s| s.trim() == "NOASSERTION") {
                return LicenseState::Unknown(UnknownReason::NoAssertion);
            }
            return LicenseState::Unknown(UnknownReason::Missing);
        }
    };
    match interpret_with(&raw, table) {
        Interpretation::Expression { expression, parsed } => {
            LicenseState::Known(Box::new(Licensing {
                expression: *expression,
                parsed,
                origin,
            }))
        }
        Interpretation::Unknown(reason) => LicenseState::Unknown(reason),
    }
}

/// What one raw licence string means.
#[derive(Debug, Clone)]
pub(crate) enum Interpretation {
    Expression {
        expression: Box<spdx::Expression>,
        parsed: Parsed,
    },
    Unknown(UnknownReason),
}

#[cfg_attr(not(test), allow(dead_code))] // for tests only
/// Interprets one raw licence string: `NOASSERTION` / `NONE`, then a strict SPDX
/// parse, then the built-in lenient table.
pub(crate) fn interpret(raw: &str) -> Interpretation {
    interpret_with(raw, LenientTable::builtin())
}

/// [`interpret`] with a given lenient table.
pub(crate) fn interpret_with(raw: &str, table: &LenientTable) -> Interpretation {
    let trimmed = raw.trim();
    match trimmed {
        "" => return Interpretation::Unknown(UnknownReason::Missing),
        "NOASSERTION" => return Interpretation::Unknown(UnknownReason::NoAssertion),
        "NONE" => return Interpretation::Unknown(UnknownReason::None),
        _ => {}
    }
    let strict_err = match spdx::Expression::parse_mode(trimmed, SPEC_MODE) {
        Ok(expression) => {
            return Interpretation::Expression {
                expression: Box::new(expression),
                parsed: Parsed::Strict,
            };
        }
        Err(e) => e,
    };
    match lenient::read_with(table, trimmed) {
        Some(lenient::Reading::Expression { text, rewrites }) => {
            match spdx::Expression::parse_mode(&text, SPEC_MODE) {
                Ok(expression) => Interpretation::Expression {
                    expression: Box::new(expression),
                    parsed: Parsed::Lenient {
                        original: raw.to_owned(),
                        rewrites,
                    },
                },
                Err(e) => Interpretation::Unknown(UnknownReason::Unparseable {
                    raw: raw.to_owned(),
                    error: parse_error(&e),
                }),
            }
        }
        Some(lenient::Reading::LicenseFile(f)) => {
            Interpretation::Unknown(UnknownReason::LicenseFileOnly(f))
        }
        None => Interpretation::Unknown(UnknownReason::Unparseable {
            raw: raw.to_owned(),
            error: parse_error(&strict_err),
        }),
    }
}

/// A one-line description of a parse error: the reason and the offending text.
fn parse_error(e: &spdx::ParseError) -> String {
    match e.original.get(e.span.clone()).map(str::trim) {
        Some(t) if !t.is_empty() => format!("{} at `{t}`", e.reason),
        _ => e.reason.to_string(),
    }
}

impl UnknownReason {
    /// A stable kebab-case name, for grouping and output.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            UnknownReason::Missing => "missing",
            UnknownReason::NoAssertion => "noassertion",
            UnknownReason::None => "none",
            UnknownReason::LicenseFileOnly(_) | UnknownReason::Unidentified { .. } => {
                "license-file-only"
            }
            UnknownReason::Unparseable { .. } => "unparseable",
        }
    }
}

impl LicenseState {
    /// The class of the package's licence as a whole (the best `OR` alternative).
    pub(crate) fn class(&self) -> Class {
        match self {
            LicenseState::Known(l) => Classes::builtin().of_expression(&l.expression),
            LicenseState::Unknown(_) => Class::Unknown,
        }
    }

    pub(crate) fn known(&self) -> Option<&Licensing> {
        match self {
            LicenseState::Known(l) => Some(l),
            LicenseState::Unknown(_) => None,
        }
    }
}

impl Licenses {}

/// One way to satisfy an expression: requirements that all apply, with their classes.
#[derive(Debug, Clone)]
pub(crate) struct Alternative {
    pub reqs: Vec<(LicenseReq, Class)>,
    /// The most restrictive class among `reqs`.
    pub class: Class,
}

/// The classes of an expression: per alternative (disjunctive normal form) and overall.
#[derive(Debug, Clone)]
pub(crate) struct Classification {
    /// The alternatives the licensee may choose between, each a set of requirements
    /// that apply together. Empty when the expression has more than
    /// [`MAX_ALTERNATIVES`] alternatives (then only `class` is given).
    pub alternatives: Vec<Alternative>,
    /// The class of the least restrictive alternative.
    pub class: Class,
}

/// Expansion limit for [`classify`]'s alternatives.
pub(crate) const MAX_ALTERNATIVES: usize = 256;

/// [`classify`] with a given class table (e.g. one with a user file layered on top).
pub(crate) fn classify_with(classes: &Classes, expr: &spdx::Expression) -> Classification {
    let class = classes.of_expression(expr);
    let alternatives = match alternatives(expr) {
        Some(alts) => alts
            .into_iter()
            .map(|reqs| {
                let reqs: Vec<(LicenseReq, Class)> = reqs
                    .into_iter()
                    .map(|r| {
                        let c = classes.of_req(&r);
                        (r, c)
                    })
                    .collect();
                let class = reqs.iter().map(|(_, c)| *c).max().unwrap_or(Class::Unknown);
                Alternative { reqs, class }
            })
            .collect(),
        None => Vec::new(),
    };
    Classification {
        alternatives,
        class,
    }
}

/// The disjunctive normal form of `expr`: alternatives of requirements that apply
/// together, each sorted and de-duplicated; `None` past [`MAX_ALTERNATIVES`].
pub(crate) fn alternatives(expr: &spdx::Expression) -> Option<Vec<Vec<LicenseReq>>> {
    use spdx::expression::{ExprNode, Operator};
    let mut stack: Vec<Vec<Vec<LicenseReq>>> = Vec::new();
    for node in expr.iter() {
        match node {
            ExprNode::Req(r) => stack.push(vec![vec![r.req.clone()]]),
            ExprNode::Op(op) => {
                let b = stack.pop()?;
                let a = stack.pop()?;
                let combined = match op {
                    Operator::Or => {
                        let mut v = a;
                        v.extend(b);
                        v
                    }
                    Operator::And => {
                        if a.len().saturating_mul(b.len()) > MAX_ALTERNATIVES {
                            return None;
                        }
                        let mut v = Vec::with_capacity(a.len() * b.len());
                        for x in &a {
                            for y in &b {
                                let mut c = x.clone();
                                c.extend(y.iter().cloned());
                                v.push(c);
                            }
                        }
                        v
                    }
                };
                if combined.len() > MAX_ALTERNATIVES {
                    return None;
                }
                stack.push(combined);
            }
        }
    }
    let mut alts = stack.pop()?;
    for a in &mut alts {
        a.sort();
        a.dedup();
    }
    // Keep the expression's order of alternatives (it often states a preference).
    let mut seen = std::collections::BTreeSet::new();
    alts.retain(|a| seen.insert(a.clone()));
    Some(alts)
}

/// The SPDX licence id of a requirement, when it is one from the list.
fn spdx_id(req: &LicenseReq) -> Option<spdx::LicenseId> {
    match &req.license {
        LicenseItem::Spdx { id, .. } => Some(*id),
        LicenseItem::Other(_) => None,
    }
}

/// OSI approved (from the `spdx` crate's licence list). `LicenseRef-*` ids are not.
pub(crate) fn is_osi(req: &LicenseReq) -> bool {
    spdx_id(req).is_some_and(|id| id.is_osi_approved())
}

/// Free / libre according to the FSF (from the `spdx` crate's licence list).
pub(crate) fn is_fsf(req: &LicenseReq) -> bool {
    spdx_id(req).is_some_and(|id| id.is_fsf_free_libre())
}

/// A deprecated licence id, or a deprecated exception id.
pub(crate) fn is_deprecated(req: &LicenseReq) -> bool {
    spdx_id(req).is_some_and(|id| id.is_deprecated())
        || req
            .addition
            .as_ref()
            .and_then(|a| a.id())
            .is_some_and(|e| e.is_deprecated())
}

mod texts {
    include!(concat!(env!("OUT_DIR"), "/licence_texts.rs"));
}

/// The SPDX list's licence and exception texts, one string (build.rs), decompressed on
/// first use. The stream is produced by this build from data in the build: failing to
/// decompress it is a defect of the build (a unit test loads it), and yields no texts.
static TEXTS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    zstd::decode_all(&include_bytes!(concat!(env!("OUT_DIR"), "/licence-texts.zst"))[..])
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
});

/// The licence text of an SPDX licence or exception id, for attribution appendices.
pub(crate) fn text(id: &str) -> Option<&'static str> {
    let find = |index: &[(&str, usize, usize)]| {
        index
            .binary_search_by(|(i, _, _)| (*i).cmp(id))
            .ok()
            .and_then(|n| TEXTS.get(index[n].1..index[n].2))
    };
    find(texts::LICENCE_TEXTS).or_else(|| find(texts::EXCEPTION_TEXTS))
}

/// The version of the SPDX licence list the ids and flags come from.
pub(crate) fn spdx_list_version() -> &'static str {
    spdx::identifiers::VERSION
}

#[cfg(test)]
mod conformance_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_texts_are_the_spdx_lists_texts() {
        for (id, t) in spdx::text::LICENSE_TEXTS
            .iter()
            .chain(spdx::text::EXCEPTION_TEXTS)
        {
            assert_eq!(text(id), Some(*t), "{id}");
        }
        assert_eq!(text("No-Such-Licence"), None);
    }

    fn expr(s: &str) -> spdx::Expression {
        spdx::Expression::parse_mode(s, SPEC_MODE).unwrap()
    }

    #[test]
    fn strict_accepts_deprecated_ids_and_lenient_records_rewrites() {
        match interpret("GPL-2.0") {
            Interpretation::Expression { parsed, .. } => assert_eq!(parsed, Parsed::Strict),
            other => panic!("{other:?}"),
        }
        match interpret("MIT/Apache-2.0") {
            Interpretation::Expression { expression, parsed } => {
                assert_eq!(AsRef::<str>::as_ref(&*expression), "MIT OR Apache-2.0");
                assert_eq!(
                    parsed,
                    Parsed::Lenient {
                        original: "MIT/Apache-2.0".into(),
                        rewrites: vec![crate::text!("rewrite.slash-or")]
                    }
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            interpret("SEE LICENSE IN LICENSE"),
            Interpretation::Unknown(UnknownReason::LicenseFileOnly(f)) if f == "LICENSE"
        ));
        assert!(matches!(
            interpret("My Own License"),
            Interpretation::Unknown(UnknownReason::Unparseable { .. })
        ));
        assert!(matches!(
            interpret("NOASSERTION"),
            Interpretation::Unknown(UnknownReason::NoAssertion)
        ));
    }

    #[test]
    fn a_user_lenient_file_maps_house_names_and_reports_every_problem() {
        let base = LenientTable::builtin();
        let user = "[[alias]]\nnames = [\"Acme Commercial License\"]\nspdx = \"LicenseRef-acme-commercial\"\n\
                    why = \"our vendor contract\"\n\n[[alias]]\nnames = [\"BSD\"]\nspdx = \"BSD-3-Clause\"\n";
        let table = base
            .layered(std::path::Path::new("house.toml"), user)
            .unwrap();
        match interpret_with("Acme Commercial License", &table) {
            Interpretation::Expression { expression, parsed } => {
                assert_eq!(
                    AsRef::<str>::as_ref(&*expression),
                    "LicenseRef-acme-commercial"
                );
                assert!(matches!(parsed, Parsed::Lenient { rewrites, .. }
                    if rewrites.iter().map(ToString::to_string).collect::<Vec<_>>()
                        == ["`Acme Commercial License` → `LicenseRef-acme-commercial` (our vendor contract)"]));
            }
            other => panic!("{other:?}"),
        }
        // The user's reading of `BSD` replaces the built-in one; the built-in table is
        // unchanged.
        assert!(matches!(interpret_with("BSD", &table),
            Interpretation::Expression { expression, .. } if AsRef::<str>::as_ref(&*expression) == "BSD-3-Clause"));
        assert!(matches!(interpret("BSD"),
            Interpretation::Expression { expression, .. } if AsRef::<str>::as_ref(&*expression) == "LicenseRef-sovra-ambiguous-BSD"));

        let bad = "[[alias]]\nnames = [\"X\"]\nspdx = \"Nope-9\"\n\n[[pattern]]\nregex = \"(\"\nspdx = \"MIT\"\n";
        let err = base
            .layered(std::path::Path::new("house.toml"), bad)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("house.toml:3:9: `Nope-9`: not a valid SPDX expression"),
            "{err}"
        );
        assert!(
            err.contains("\nhouse.toml:6:10: `(`: not a valid pattern"),
            "{err}"
        );
        let unknown = base
            .layered(std::path::Path::new("house.toml"), "[[alias]]\nname = []\n")
            .unwrap_err()
            .to_string();
        assert!(
            unknown.starts_with("house.toml:2:1: unknown field `name`"),
            "{unknown}"
        );
    }

    #[test]
    fn classification_per_alternative() {
        let c = classify_with(
            Classes::builtin(),
            &expr("(MIT OR GPL-3.0-only) AND Apache-2.0"),
        );
        assert_eq!(c.class, Class::Permissive);
        let alts: Vec<(Vec<String>, Class)> = c
            .alternatives
            .iter()
            .map(|a| (a.reqs.iter().map(|(r, _)| r.to_string()).collect(), a.class))
            .collect();
        assert_eq!(
            alts,
            vec![
                (vec!["Apache-2.0".into(), "MIT".into()], Class::Permissive),
                (
                    vec!["Apache-2.0".into(), "GPL-3.0-only".into()],
                    Class::StrongCopyleft
                ),
            ]
        );
    }

    #[test]
    fn flags_come_from_the_crate() {
        let req = |s: &str| expr(s).requirements().next().unwrap().req.clone();
        assert!(is_osi(&req("MIT")));
        assert!(!is_osi(&req("LicenseRef-x")));
        assert!(!is_osi(&req("SSPL-1.0")));
        assert!(is_fsf(&req("GPL-3.0-only")));
        assert!(is_deprecated(&req("GPL-2.0")));
        assert!(!is_deprecated(&req("GPL-2.0-only")));
        assert!(text("MIT").is_some_and(|t| t.contains("Permission is hereby granted")));
        assert!(text("LLVM-exception").is_some());
        assert!(text("NoSuchLicence").is_none());
    }

    #[test]
    fn packages_resolve_concluded_then_declared() {
        let pkg = Package {
            declared: vec!["Apache 2.0".into()],
            concluded: vec!["NOASSERTION".into()],
            ..Package::default()
        };
        let state = resolve(&pkg);
        let l = state.known().unwrap();
        assert_eq!(l.text(), "Apache-2.0");
        assert_eq!(l.origin, LicenseOrigin::Declared);
        assert_eq!(state.class(), Class::Permissive);
        let none = Package::default();
        assert!(matches!(
            resolve(&none),
            LicenseState::Unknown(UnknownReason::Missing)
        ));
    }
}
