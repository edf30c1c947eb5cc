//! One policy file as written: parsed with positions, not yet checked against the
//! catalogue. Every problem of the file is collected, not the first only.

use std::path::{Path, PathBuf};

use toml::de::DeValue;

use crate::catalogue::spanned::{Doc, entry};
use crate::error::{LineIndex, Problem};

/// A position in a policy file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Pos {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub(crate) fn problem(&self, message: impl Into<String>) -> Problem {
        Problem::new(&self.path, self.line, self.column, message)
    }
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

/// A value with the position it was written at.
#[derive(Debug, Clone)]
pub(crate) struct At<T> {
    pub value: T,
    pub pos: Pos,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RawRule {
    pub id: At<String>,
    pub enabled: Option<At<bool>>,
    pub level: Option<At<String>>,
    pub params: Option<At<toml::Table>>,
}

impl Default for At<String> {
    fn default() -> Self {
        At {
            value: String::new(),
            pos: Pos::default(),
        }
    }
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawException {
    pub rule: String,
    pub package: Option<String>,
    pub version: Option<String>,
    pub license: Option<String>,
    pub vendor: Option<String>,
    pub reason: String,
    pub owner: String,
    pub expires: Option<toml::value::Datetime>,
}

/// One parsed policy layer.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawPolicy {
    /// The layer's name: the policy name for bundled policies, the path otherwise.
    pub name: String,
    pub path: PathBuf,
    pub description: Option<String>,
    pub extends: Option<At<String>>,
    pub deployment: Option<At<String>>,
    pub linking: Option<At<String>>,
    pub prefer: Option<At<Vec<String>>>,
    /// `licenses.confidence_threshold`: the score a licence text must reach.
    pub confidence_threshold: Option<At<f64>>,
    pub catalogue: Vec<At<String>>,
    /// `vendors`: vendor registry files layered over the bundled one, relative to the
    /// policy file.
    pub vendors: Vec<At<String>>,
    pub rules: Vec<RawRule>,
    pub exceptions: Vec<At<RawException>>,
    /// `[score]`: dimension weights and the weight of critical components.
    pub score: Option<At<toml::Table>>,
}

const TOP_KEYS: &[&str] = &[
    "description",
    "extends",
    "deployment",
    "linking",
    "catalogue",
    "vendors",
    "licenses",
    "rules",
    "exceptions",
    "score",
];

/// Parses one policy file; problems are appended to `problems`.
pub(crate) fn parse(name: &str, path: &Path, text: &str, problems: &mut Vec<Problem>) -> RawPolicy {
    let mut doc = Doc::new(path, text);
    let mut raw = RawPolicy {
        name: name.to_owned(),
        path: path.to_owned(),
        ..RawPolicy::default()
    };
    // One index for the whole file: a line scan per position is quadratic in the
    // number of exceptions.
    let lines = LineIndex::new(text);
    let pos = |at: usize| {
        let (line, column) = lines.line_col(at);
        Pos {
            path: path.to_owned(),
            line,
            column,
        }
    };
    if let Some(table) = doc.parse() {
        doc.unknown_keys(&table, TOP_KEYS, "a policy");
        raw.description = entry(&table, "description").and_then(|(_, v)| doc.de(v));
        for (key, slot) in [
            ("extends", &mut raw.extends),
            ("deployment", &mut raw.deployment),
            ("linking", &mut raw.linking),
        ] {
            if let Some((_, v)) = entry(&table, key) {
                *slot = doc.de::<String>(v).map(|value| At {
                    value,
                    pos: pos(v.span().start),
                });
            }
        }
        if let Some((_, v)) = entry(&table, "catalogue") {
            let dirs: Vec<String> = doc.de(v).unwrap_or_default();
            raw.catalogue = dirs
                .into_iter()
                .map(|value| At {
                    value,
                    pos: pos(v.span().start),
                })
                .collect();
        }
        if let Some((_, v)) = entry(&table, "vendors") {
            let files: Vec<String> = doc.de(v).unwrap_or_default();
            raw.vendors = files
                .into_iter()
                .map(|value| At {
                    value,
                    pos: pos(v.span().start),
                })
                .collect();
        }
        if let Some((_, v)) = entry(&table, "licenses") {
            match v.get_ref() {
                DeValue::Table(t) => {
                    doc.unknown_keys(t, &["confidence_threshold", "prefer"], "`[licenses]`");
                    if let Some((_, p)) = entry(t, "confidence_threshold") {
                        raw.confidence_threshold = doc.de::<f64>(p).map(|value| At {
                            value,
                            pos: pos(p.span().start),
                        });
                    }
                    if let Some((_, p)) = entry(t, "prefer") {
                        raw.prefer = doc.de::<Vec<String>>(p).map(|value| At {
                            value,
                            pos: pos(p.span().start),
                        });
                    }
                }
                _ => doc.problem(v.span().start, "`licenses` must be a table"),
            }
        }
        if let Some((_, v)) = entry(&table, "score") {
            raw.score = doc.de::<toml::Table>(v).map(|value| At {
                value,
                pos: pos(v.span().start),
            });
        }
        if let Some((_, v)) = entry(&table, "rules") {
            match v.get_ref() {
                DeValue::Table(t) => {
                    for (id, rule) in t.iter() {
                        raw.rules.push(parse_rule(&mut doc, &pos, id, rule));
                    }
                }
                _ => doc.problem(v.span().start, "`rules` must be a table of rule ids"),
            }
        }
        if let Some((_, v)) = entry(&table, "exceptions") {
            match v.get_ref() {
                DeValue::Array(items) => {
                    for item in items.iter() {
                        if let Some(e) = doc.de::<RawException>(item) {
                            raw.exceptions.push(At {
                                value: e,
                                pos: pos(item.span().start),
                            });
                        }
                    }
                }
                _ => doc.problem(
                    v.span().start,
                    "`exceptions` must be an array of tables (`[[exceptions]]`)",
                ),
            }
        }
    }
    problems.append(&mut doc.problems);
    raw
}

fn parse_rule<'t>(
    doc: &mut Doc<'t>,
    pos: &dyn Fn(usize) -> Pos,
    id: &toml::Spanned<toml::de::DeString<'t>>,
    value: &toml::Spanned<DeValue<'t>>,
) -> RawRule {
    let mut rule = RawRule {
        id: At {
            value: id.get_ref().to_string(),
            pos: pos(id.span().start),
        },
        ..RawRule::default()
    };
    let DeValue::Table(t) = value.get_ref() else {
        doc.problem(
            value.span().start,
            format!("`rules.{}` must be a table", id.get_ref()),
        );
        return rule;
    };
    doc.unknown_keys(
        t,
        &["enabled", "level", "params"],
        &format!("`[rules.{}]`", id.get_ref()),
    );
    if let Some((_, v)) = entry(t, "enabled") {
        rule.enabled = doc.de(v).map(|value| At {
            value,
            pos: pos(v.span().start),
        });
    }
    if let Some((_, v)) = entry(t, "level") {
        rule.level = doc.de(v).map(|value| At {
            value,
            pos: pos(v.span().start),
        });
    }
    if let Some((_, v)) = entry(t, "params") {
        rule.params = doc.de(v).map(|value| At {
            value,
            pos: pos(v.span().start),
        });
    }
    rule
}
