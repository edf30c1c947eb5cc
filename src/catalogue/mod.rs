//! The rule catalogue: one TOML file per rule in `rules/catalogue/`, embedded in the
//! binary, with user catalogues layered on top.
//!
//! A rule file is parsed with positions, then validated: the check kind must exist,
//! the default parameters must fit the kind's typed parameters, the docs must have all
//! four sections. Every problem of every file is reported at once.
//!
//! Rules are data: a rule names its check kind; the engine binds names to the registry
//! of check kinds and hands the catalogue a [`Kinds`] to validate against.

pub(crate) mod spanned;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::finding::Level;
use spanned::{Doc, entry};

/// What the catalogue and the policy know of check kinds: for a kind name, `None` when
/// no such kind exists, else whether the parameters fit it (`engine::kinds`).
pub(crate) type Kinds<'a> =
    &'a dyn Fn(&str, &toml::Table) -> Option<std::result::Result<(), String>>;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// The embedded policy files (`rules/policies/*.toml`): `(file name, contents)`, sorted.
pub(crate) fn embedded_policies() -> &'static [(&'static str, &'static str)] {
    embedded::POLICIES
}

/// The four documentation sections every rule has.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Docs {
    /// What it checks.
    pub what: String,
    /// Why it matters.
    pub why: String,
    /// Example.
    pub example: String,
    /// How to resolve.
    pub resolve: String,
}

/// A rule's words in another language, kept in the rule's own file (`[text.<lang>]`):
/// what reports show in place of the English summary, rationale and remediation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Translation {
    pub summary: String,
    pub why: String,
    pub resolve: String,
}

/// Framework reference prefixes a rule may cite.
pub(crate) const FRAMEWORKS: &[&str] = &[
    "BSI TR-03183-2",
    "CSF SOV-",
    "Data Act",
    "EVB-IT",
    "NTIA",
    "OSADL",
    "openCode",
    "§16a EGovG",
];

/// One rule: a check kind parameterised, with its identity, level and documentation.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    /// Stable id (`LIC005`), never reused.
    pub id: String,
    /// Short kebab-case name (`osadl-compatibility`).
    pub name: String,
    /// The name of the check kind it parameterises.
    pub check: String,
    /// Level when the policy does not set one.
    pub level: Level,
    /// Whether the rule runs when no policy layer mentions it.
    pub enabled: bool,
    /// One line.
    pub summary: String,
    /// Framework references (`CSF SOV-2`, `OSADL`, `NTIA`, …).
    pub references: Vec<String>,
    pub docs: Docs,
    /// Translations by language code (`de`), from the rule file's `[text.<lang>]`.
    pub texts: BTreeMap<String, Translation>,
    /// Default parameters for the check kind.
    pub params: toml::Table,
    /// Where the rule was defined: `embedded` or the path of a user catalogue file.
    pub origin: String,
}

impl Rule {
    /// The EU Cloud Sovereignty Framework objective (`SOV-n`) the rule serves, if any.
    pub(crate) fn csf_objective(&self) -> Option<u8> {
        self.references
            .iter()
            .find_map(|r| r.strip_prefix("CSF SOV-")?.parse().ok())
    }
}

/// Every rule, by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct Catalogue {
    rules: BTreeMap<String, Rule>,
}

impl Catalogue {
    /// The catalogue built into the binary.
    pub(crate) fn embedded(kinds: Kinds<'_>) -> Result<Catalogue> {
        let files: Vec<(PathBuf, &str)> = embedded::CATALOGUE
            .iter()
            .map(|(name, text)| (Path::new("rules/catalogue").join(name), *text))
            .collect();
        let mut cat = Catalogue::default();
        cat.add_files(&files, "embedded", kinds)?;
        Ok(cat)
    }

    /// Adds (or replaces) the rules of user catalogue files. All problems of all files
    /// are reported together.
    pub(crate) fn add_files(
        &mut self,
        files: &[(PathBuf, &str)],
        origin: &str,
        kinds: Kinds<'_>,
    ) -> Result<()> {
        let mut problems = Vec::new();
        let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
        for (path, text) in files {
            let mut doc = Doc::new(path, text);
            if let Some(rule) = parse_rule(&mut doc, origin, kinds) {
                if let Some(first) = seen.get(&rule.id) {
                    doc.problem(
                        0,
                        format!(
                            "rule id `{}` is already defined in `{}`",
                            rule.id,
                            first.display()
                        ),
                    );
                } else {
                    seen.insert(rule.id.clone(), path.clone());
                    if doc.problems.is_empty() {
                        self.rules.insert(rule.id.clone(), rule);
                    }
                }
            }
            problems.append(&mut doc.problems);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            problems.sort();
            Err(Error::Invalid(problems))
        }
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.get(id)
    }

    /// Rules in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Rule> {
        self.rules.values()
    }
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHead {
    id: String,
    name: String,
    check: String,
    level: String,
    #[serde(default = "yes")]
    enabled: bool,
    summary: String,
    #[serde(default)]
    references: Vec<String>,
}

fn yes() -> bool {
    true
}

const RULE_KEYS: &[&str] = &[
    "id",
    "name",
    "check",
    "level",
    "enabled",
    "summary",
    "references",
    "docs",
    "params",
    "text",
];

/// Parses and validates one rule file; problems go to `doc`.
fn parse_rule(doc: &mut Doc<'_>, origin: &str, kinds: Kinds<'_>) -> Option<Rule> {
    let table = doc.parse()?;
    doc.unknown_keys(&table, RULE_KEYS, "a rule file");
    // The head: every plain key, deserialised together so missing keys are reported.
    let mut head_table = toml::de::DeTable::new();
    for (k, v) in table.iter() {
        let key: &str = k.get_ref();
        if RULE_KEYS.contains(&key) && !matches!(key, "docs" | "params" | "text") {
            head_table.insert(k.clone(), v.clone());
        }
    }
    let head_value = toml::Spanned::new(0..doc.text.len(), toml::de::DeValue::Table(head_table));
    let head: Option<RawHead> = doc.de(&head_value);
    let docs: Option<Docs> = match entry(&table, "docs") {
        Some((_, v)) => doc.de(v),
        None => {
            doc.problem(0, "missing table `docs`");
            None
        }
    };
    let texts: BTreeMap<String, Translation> = match entry(&table, "text") {
        Some((_, v)) => doc.de(v).unwrap_or_default(),
        None => BTreeMap::new(),
    };
    let params: toml::Table = match entry(&table, "params") {
        Some((_, v)) => doc.de(v).unwrap_or_default(),
        None => toml::Table::new(),
    };
    let head = head?;
    let at = |key: &str| entry(&table, key).map_or(0, |(_, v)| v.span().start);

    let id_ok = head.id.len() >= 4
        && head
            .id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && head
            .id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase());
    if !id_ok {
        doc.problem(
            at("id"),
            format!(
                "rule id `{}` must be upper-case letters and digits, like `LIC005`",
                head.id
            ),
        );
    }
    if let Some(stem) = doc.path.file_stem().and_then(|s| s.to_str()) {
        if stem != head.id {
            doc.problem(
                at("id"),
                format!(
                    "rule id `{}` does not match the file name `{stem}.toml`",
                    head.id
                ),
            );
        }
    }
    if !head
        .name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        doc.problem(
            at("name"),
            format!("rule name `{}` must be kebab-case", head.name),
        );
    }
    let level = Level::parse(&head.level);
    if level.is_none() {
        doc.problem(
            at("level"),
            format!(
                "unknown level `{}`, expected `allow`, `warn`, `deny` or `gate`",
                head.level
            ),
        );
    }
    let fit = kinds(&head.check, &params);
    if fit.is_none() {
        doc.problem(
            at("check"),
            format!(
                "unknown check kind `{}` (see `sovra rules list --kinds`)",
                head.check
            ),
        );
    }
    for r in &head.references {
        if !FRAMEWORKS.iter().any(|f| r.starts_with(f)) {
            doc.problem(
                at("references"),
                format!(
                    "unknown framework reference `{r}`, expected one starting with {}",
                    FRAMEWORKS
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    if let Some(d) = &docs {
        for (section, text) in [
            ("what", &d.what),
            ("why", &d.why),
            ("example", &d.example),
            ("resolve", &d.resolve),
        ] {
            if text.trim().is_empty() {
                doc.problem(at("docs"), format!("docs section `{section}` is empty"));
            }
        }
    }
    if let Some(Err(e)) = &fit {
        doc.problem(
            at("params").max(at("check")),
            format!("parameters for `{}`: {e}", head.check),
        );
    }
    Some(Rule {
        id: head.id,
        name: head.name,
        check: fit.map(|_| head.check)?,
        level: level?,
        enabled: head.enabled,
        summary: head.summary,
        references: head.references,
        docs: docs?,
        texts,
        params,
        origin: origin.to_owned(),
    })
}
