//! Licence classes: what kind of obligations a licence brings, from the data table
//! `rules/licenses/classes.toml`.
//!
//! The class of a requirement (`L`, `L+`, `L WITH E`) is the class of `L`, capped by the
//! exception `E` when the table says the exception weakens the licence (`GPL-2.0-only WITH
//! Classpath-exception-2.0` is weak copyleft). The class of an expression is the most
//! restrictive class over the parts of an `AND` and the least restrictive over the
//! alternatives of an `OR` (the licensee may choose).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::LazyLock;

use serde::Deserialize;
use spdx::expression::{ExprNode, Operator};
use spdx::{LicenseItem, LicenseReq};

use crate::error::{Error, Problem, Result};
use crate::kb;

/// A licence class, ordered from least to most restrictive; [`Class::Unknown`] sits just
/// below [`Class::Proprietary`]: it may hide anything but is not known to be closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Class {
    PublicDomain,
    Permissive,
    WeakCopyleft,
    StrongCopyleft,
    NetworkCopyleft,
    SourceAvailable,
    NonCommercial,
    Unknown,
    Proprietary,
}

impl Class {
    pub(crate) const ALL: [Class; 9] = [
        Class::PublicDomain,
        Class::Permissive,
        Class::WeakCopyleft,
        Class::StrongCopyleft,
        Class::NetworkCopyleft,
        Class::SourceAvailable,
        Class::NonCommercial,
        Class::Unknown,
        Class::Proprietary,
    ];

    /// The kebab-case name used in data files and output.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Class::PublicDomain => "public-domain",
            Class::Permissive => "permissive",
            Class::WeakCopyleft => "weak-copyleft",
            Class::StrongCopyleft => "strong-copyleft",
            Class::NetworkCopyleft => "network-copyleft",
            Class::SourceAvailable => "source-available",
            Class::NonCommercial => "non-commercial",
            Class::Unknown => "unknown",
            Class::Proprietary => "proprietary",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// Open source in the sense that the licence grants use, study, change and
    /// redistribution (public domain to network copyleft).
    pub(crate) fn is_open(self) -> bool {
        self <= Class::NetworkCopyleft
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    #[serde(default)]
    licenses: BTreeMap<String, Class>,
    #[serde(default)]
    exceptions: BTreeMap<String, RawException>,
    #[serde(default)]
    refs: BTreeMap<String, Class>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawException {
    cap: Class,
    #[allow(dead_code)]
    note: Option<String>,
}

/// The class table: built-in, optionally with a user file layered on top.
#[derive(Debug, Clone)]
pub(crate) struct Classes {
    licenses: BTreeMap<String, Class>,
    exception_caps: BTreeMap<String, Class>,
    refs: BTreeMap<String, Class>,
}

static BUILTIN: LazyLock<Classes> = LazyLock::new(|| {
    let raw: RawTable = kb::parse_builtin(kb::LICENSE_CLASSES);
    Classes::from_raw(raw)
});

impl Classes {
    /// The table shipped in `rules/licenses/classes.toml`.
    pub(crate) fn builtin() -> &'static Classes {
        &BUILTIN
    }

    fn from_raw(raw: RawTable) -> Classes {
        Classes {
            licenses: raw.licenses,
            exception_caps: raw
                .exceptions
                .into_iter()
                .map(|(k, v)| (k, v.cap))
                .collect(),
            refs: raw.refs,
        }
    }

    #[cfg_attr(not(test), allow(dead_code))] // for tests only
    /// This table with a user file (same format, any subset of the sections) layered on
    /// top: its entries replace the built-in ones. Unknown licence or exception ids are
    /// errors with their position, all reported at once.
    pub(crate) fn layered(&self, path: &Path, text: &str) -> Result<Classes> {
        let raw: RawTable = kb::parse_toml(path, text)?;
        let mut problems = Vec::new();
        for id in raw.licenses.keys() {
            if !spdx::identifiers::LICENSES.iter().any(|l| l.name == id) {
                problems.push(problem_at_key(path, text, id, "unknown SPDX licence id"));
            }
        }
        for id in raw.exceptions.keys() {
            if spdx::exception_id(id).is_none() {
                problems.push(problem_at_key(path, text, id, "unknown SPDX exception id"));
            }
        }
        for id in raw.refs.keys() {
            if !id.starts_with("LicenseRef-") {
                problems.push(problem_at_key(path, text, id, "not a `LicenseRef-` id"));
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let mut out = self.clone();
        let user = Classes::from_raw(raw);
        out.licenses.extend(user.licenses);
        out.exception_caps.extend(user.exception_caps);
        out.refs.extend(user.refs);
        Ok(out)
    }

    /// The class of an SPDX licence id, if the table has one.
    pub(crate) fn of_id(&self, id: &str) -> Option<Class> {
        self.licenses.get(id).copied()
    }

    /// The class of one licence requirement.
    pub(crate) fn of_req(&self, req: &LicenseReq) -> Class {
        let base = match &req.license {
            LicenseItem::Spdx { id, .. } => self.of_id(id.name).unwrap_or(Class::Unknown),
            LicenseItem::Other(r) if r.doc_ref.is_none() => self
                .refs
                .get(&format!("LicenseRef-{}", r.lic_ref))
                .copied()
                .unwrap_or(Class::Unknown),
            LicenseItem::Other(_) => Class::Unknown,
        };
        let cap = req
            .addition
            .as_ref()
            .and_then(|a| a.id())
            .and_then(|e| self.exception_caps.get(e.name).copied());
        match cap {
            // An exception only ever weakens an open licence's copyleft.
            Some(cap) if base.is_open() => base.min(cap),
            _ => base,
        }
    }

    /// The class of a whole expression: most restrictive over `AND`, least restrictive
    /// over `OR`.
    pub(crate) fn of_expression(&self, expr: &spdx::Expression) -> Class {
        let mut stack: Vec<Class> = Vec::new();
        for node in expr.iter() {
            match node {
                ExprNode::Req(r) => stack.push(self.of_req(&r.req)),
                ExprNode::Op(op) => {
                    let (Some(a), Some(b)) = (stack.pop(), stack.pop()) else {
                        return Class::Unknown;
                    };
                    stack.push(match op {
                        Operator::And => a.max(b),
                        Operator::Or => a.min(b),
                    });
                }
            }
        }
        stack.pop().unwrap_or(Class::Unknown)
    }

    #[cfg_attr(not(test), allow(dead_code))] // for tests only
    /// Every id with a class (for tidy tests and documentation).
    pub(crate) fn license_ids(&self) -> impl Iterator<Item = (&str, Class)> {
        self.licenses.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

#[cfg_attr(not(test), allow(dead_code))] // for tests only
fn problem_at_key(path: &Path, text: &str, key: &str, msg: &str) -> Problem {
    let quoted = format!("\"{key}\"");
    let offset = text
        .find(&quoted)
        .or_else(|| text.find(key))
        .unwrap_or_default();
    Problem::at_offset(path, text, offset, format!("{msg} `{key}`"))
}

/// Obligations of one class in one deployment mode: the duties keyed by language
/// (`en`, `de`, …), the same list in each; a language is a table in the data file,
/// never a field here.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub(crate) struct Obligations(BTreeMap<String, Vec<String>>);

impl Obligations {
    /// The duties in `lang`, else in English.
    pub(crate) fn duties(&self, lang: &str) -> &[String] {
        self.0
            .get(lang)
            .or_else(|| self.0.get("en"))
            .map_or(&[], Vec::as_slice)
    }

    /// The `i`-th duty in every language, for a text worded per language.
    pub(crate) fn per_language(&self, i: usize) -> Vec<(&str, String)> {
        self.0
            .iter()
            .filter_map(|(lang, list)| Some((lang.as_str(), list.get(i)?.clone())))
            .collect()
    }

    /// How many duties there are (the English list's length).
    pub(crate) fn len(&self) -> usize {
        self.duties("en").len()
    }
}

/// How the software is put to use; obligations depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Deployment {
    Distributed,
    Saas,
    Internal,
}

impl Deployment {
    /// The name used in policies and output: `distributed`, `saas`, `internal`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Deployment::Distributed => "distributed",
            Deployment::Saas => "saas",
            Deployment::Internal => "internal",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModes {
    distributed: Obligations,
    saas: Obligations,
    internal: Obligations,
}

static OBLIGATIONS: LazyLock<BTreeMap<Class, RawModes>> = LazyLock::new(|| {
    let raw: BTreeMap<String, RawModes> = kb::parse_builtin(kb::LICENSE_OBLIGATIONS);
    raw.into_iter()
        .filter_map(|(k, v)| Class::from_name(&k).map(|c| (c, v)))
        .collect()
});

/// The obligations of `class` when the software is used as `mode`.
pub(crate) fn obligations(class: Class, mode: Deployment) -> Option<&'static Obligations> {
    let modes = OBLIGATIONS.get(&class)?;
    Some(match mode {
        Deployment::Distributed => &modes.distributed,
        Deployment::Saas => &modes.saas,
        Deployment::Internal => &modes.internal,
    })
}

/// The duties `sovra licenses` names, in the order shown.
pub(crate) const DUTIES: [&str; 5] = [
    "attribution",
    "source-offer",
    "notice-file",
    "network-use",
    "read-terms",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModeDuties {
    distributed: Vec<String>,
    saas: Vec<String>,
    internal: Vec<String>,
}

impl ModeDuties {
    fn of(&self, mode: Deployment) -> &[String] {
        match mode {
            Deployment::Distributed => &self.distributed,
            Deployment::Saas => &self.saas,
            Deployment::Internal => &self.internal,
        }
    }
}

/// `rules/licenses/duties.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DutyTable {
    /// Language → duty → words.
    text: BTreeMap<String, BTreeMap<String, String>>,
    class: BTreeMap<String, ModeDuties>,
    license: BTreeMap<String, ModeDuties>,
}

static DUTY_TABLE: LazyLock<DutyTable> = LazyLock::new(|| kb::parse_builtin(kb::LICENSE_DUTIES));

/// The duties licence `id` (an SPDX id, without `+` or exception) of class `class`
/// brings when the software is used as `mode`: its own entry, else its class's.
pub(crate) fn duties(id: &str, class: Class, mode: Deployment) -> Vec<&'static str> {
    let table = &*DUTY_TABLE;
    let listed = table
        .license
        .get(id)
        .or_else(|| table.class.get(class.as_str()))
        .map_or(&[][..], |d| d.of(mode));
    DUTIES
        .into_iter()
        .filter(|d| listed.iter().any(|l| l == d))
        .collect()
}

/// The words of `duty` in `lang`, else in English.
pub(crate) fn duty_text(duty: &str, lang: &str) -> &'static str {
    let table = &*DUTY_TABLE;
    table
        .text
        .get(lang)
        .and_then(|t| t.get(duty))
        .or_else(|| table.text.get("en").and_then(|t| t.get(duty)))
        .map_or("", String::as_str)
}

#[cfg(test)]
mod duty_tests {
    use super::*;

    #[test]
    fn the_duty_table_is_complete_and_worded_in_every_language() {
        let table = &*DUTY_TABLE;
        for class in Class::ALL {
            assert!(table.class.contains_key(class.as_str()), "{class:?}");
        }
        for name in table.class.keys() {
            assert!(Class::from_name(name).is_some(), "unknown class `{name}`");
        }
        for id in table.license.keys() {
            assert!(spdx::license_id(id).is_some(), "unknown licence `{id}`");
        }
        let named = table
            .class
            .values()
            .chain(table.license.values())
            .flat_map(|m| m.distributed.iter().chain(&m.saas).chain(&m.internal));
        for d in named {
            assert!(DUTIES.contains(&d.as_str()), "unknown duty `{d}`");
        }
        for lang in crate::locale::LANGS {
            let words = &table.text[lang];
            for d in DUTIES {
                assert!(!words[d].is_empty(), "{lang}: {d}");
            }
            assert_eq!(words.len(), DUTIES.len(), "{lang}");
        }
    }

    #[test]
    fn duties_follow_the_licence_and_the_mode() {
        use Deployment::*;
        let d = |id: &str, mode| {
            let class = Classes::builtin().of_expression(&spdx::Expression::parse(id).unwrap());
            duties(id, class, mode)
        };
        assert_eq!(d("MIT", Distributed), ["attribution"]);
        assert!(d("MIT", Saas).is_empty());
        assert_eq!(d("Apache-2.0", Distributed), ["attribution", "notice-file"]);
        assert_eq!(
            d("GPL-3.0-only", Distributed),
            ["attribution", "source-offer"]
        );
        assert!(d("GPL-3.0-only", Saas).is_empty());
        assert_eq!(d("AGPL-3.0-only", Saas), ["network-use"]);
        assert!(d("0BSD", Distributed).is_empty());
        assert_ne!(
            duty_text("network-use", "de"),
            duty_text("network-use", "en")
        );
        assert_eq!(
            duty_text("network-use", "xx"),
            duty_text("network-use", "en")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(expr: &str) -> Class {
        let e = spdx::Expression::parse_mode(expr, spdx::ParseMode::LAX).unwrap();
        Classes::builtin().of_expression(&e)
    }

    #[test]
    fn hand_reviewed_classes() {
        assert_eq!(class("MIT"), Class::Permissive);
        assert_eq!(class("SSPL-1.0"), Class::SourceAvailable);
        assert_eq!(class("BUSL-1.1"), Class::SourceAvailable);
        assert_eq!(class("Elastic-2.0"), Class::SourceAvailable);
        assert_eq!(class("CC-BY-NC-4.0"), Class::NonCommercial);
        assert_eq!(class("AGPL-3.0-or-later"), Class::NetworkCopyleft);
        assert_eq!(class("EUPL-1.2"), Class::NetworkCopyleft);
        assert_eq!(class("OSL-3.0"), Class::NetworkCopyleft);
        assert_eq!(class("CECILL-2.1"), Class::StrongCopyleft);
        assert_eq!(class("CECILL-C"), Class::WeakCopyleft);
        assert_eq!(class("JSON"), Class::SourceAvailable);
        assert_eq!(class("OSC-1.0"), Class::Permissive);
        assert_eq!(
            class("LicenseRef-sovra-Commons-Clause"),
            Class::SourceAvailable
        );
        assert_eq!(class("LicenseRef-foo"), Class::Unknown);
    }

    #[test]
    fn exceptions_cap_the_class() {
        assert_eq!(
            class("GPL-2.0-only WITH Classpath-exception-2.0"),
            Class::WeakCopyleft
        );
        assert_eq!(class("Apache-2.0 WITH LLVM-exception"), Class::Permissive);
        assert_eq!(
            class("GPL-2.0-only WITH openvpn-openssl-exception"),
            Class::StrongCopyleft
        );
    }

    #[test]
    fn and_takes_the_worst_or_the_best() {
        assert_eq!(class("MIT AND GPL-3.0-only"), Class::StrongCopyleft);
        assert_eq!(class("MIT OR GPL-3.0-only"), Class::Permissive);
        assert_eq!(
            class("(MIT OR LicenseRef-x) AND (GPL-2.0-only OR SSPL-1.0)"),
            Class::StrongCopyleft
        );
        assert_eq!(class("MIT AND LicenseRef-x"), Class::Unknown);
    }

    #[test]
    fn user_file_layers_and_reports_every_problem() {
        let base = Classes::builtin();
        let text = "[licenses]\n\"MIT\" = \"proprietary\"\n\"Nope-1.0\" = \"permissive\"\n\
                    [refs]\n\"LicenseRef-acme\" = \"proprietary\"\n\"acme\" = \"permissive\"\n";
        let err = base
            .layered(Path::new("mine.toml"), text)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "mine.toml:3:1: unknown SPDX licence id `Nope-1.0`\n\
             mine.toml:6:1: not a `LicenseRef-` id `acme`"
        );
        let ok = "[licenses]\n\"MIT\" = \"proprietary\"\n[refs]\n\"LicenseRef-acme\" = \"non-commercial\"\n";
        let layered = base.layered(Path::new("mine.toml"), ok).unwrap();
        assert_eq!(layered.of_id("MIT"), Some(Class::Proprietary));
        assert_eq!(base.of_id("MIT"), Some(Class::Permissive));
        let e = spdx::Expression::parse("LicenseRef-acme").unwrap();
        assert_eq!(layered.of_expression(&e), Class::NonCommercial);
    }

    #[test]
    fn obligations_exist_for_every_class_and_mode() {
        for c in Class::ALL {
            for m in [
                Deployment::Distributed,
                Deployment::Saas,
                Deployment::Internal,
            ] {
                let o = obligations(c, m).unwrap();
                assert!(o.len() > 0, "{c} {m:?}");
                // Every language has the same list, and every language sovra speaks
                // has one.
                for lang in crate::locale::LANGS {
                    assert_eq!(
                        o.0.get(lang).map(Vec::len),
                        Some(o.len()),
                        "{c} {m:?} {lang}"
                    );
                }
                assert_eq!(o.0.len(), crate::locale::LANGS.len(), "{c} {m:?}");
            }
        }
    }
}
