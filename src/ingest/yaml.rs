//! A YAML tree for lockfiles (Yarn Berry, pnpm): saphyr's events built into nodes
//! iteratively, with each node's line and column, nesting bounded and aliases refused
//! (package managers write none, and an alias is how a small document grows huge).

use std::path::Path;

use saphyr_parser::{Event, Parser};

use crate::error::{Error, Problem, Result};

/// Deepest nesting a lockfile may have; package managers write four or five levels.
pub(super) const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone)]
pub(super) enum Value {
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

#[derive(Debug, Clone)]
pub(super) struct Node {
    pub value: Value,
    pub line: usize,
    pub col: usize,
}

impl Node {
    pub(super) fn str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub(super) fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The entries of a mapping; none for anything else.
    pub(super) fn entries(&self) -> &[(String, Node)] {
        match &self.value {
            Value::Map(m) => m,
            _ => &[],
        }
    }
}

/// Parses one YAML document into a tree; an empty document is `None`.
pub(super) fn parse(path: &Path, text: &str) -> Result<Option<Node>> {
    // Open collections, each with the key waiting for its value (mappings).
    let mut stack: Vec<(Node, Option<String>)> = Vec::new();
    let mut root = None;
    for ev in Parser::new_from_str(text) {
        let (ev, span) = ev.map_err(|e| {
            Error::Invalid(vec![Problem::new(
                path,
                e.marker().line(),
                e.marker().col() + 1,
                e.info().to_owned(),
            )])
        })?;
        let (line, col) = (span.start.line(), span.start.col() + 1);
        let at = |msg: &str| Error::at(path, line, col, msg);
        let node = match ev {
            Event::Scalar(v, ..) => Node {
                value: Value::Scalar(v.into_owned()),
                line,
                col,
            },
            Event::Alias(_) => return Err(at("YAML aliases are not read in lockfiles")),
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(at("nested deeper than a lockfile is"));
                }
                let value = if matches!(ev, Event::SequenceStart(..)) {
                    Value::Seq(Vec::new())
                } else {
                    Value::Map(Vec::new())
                };
                stack.push((Node { value, line, col }, None));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some((n, _)) => n,
                None => continue,
            },
            Event::DocumentStart(_) if root.is_some() => {
                return Err(at("more than one YAML document"));
            }
            _ => continue,
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some((parent, pending)) => match &mut parent.value {
                Value::Seq(items) => items.push(node),
                Value::Map(entries) => match pending.take() {
                    None => match node.value {
                        Value::Scalar(k) => *pending = Some(k),
                        _ => {
                            return Err(Error::at(
                                path,
                                node.line,
                                node.col,
                                "a mapping key that is not a plain value",
                            ));
                        }
                    },
                    Some(key) => entries.push((key, node)),
                },
                Value::Scalar(_) => {}
            },
        }
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_trees_and_refuses_aliases_and_depth() {
        let n = parse(Path::new("x.yaml"), "a:\n  b: [1, 2]\n")
            .unwrap()
            .unwrap();
        assert_eq!(n.get("a").and_then(|a| a.get("b")).map(|b| b.line), Some(2));
        let e = parse(Path::new("x.yaml"), "a: &x 1\nb: *x\n").unwrap_err();
        assert!(e.to_string().starts_with("x.yaml:2:"), "{e}");
        let deep = "[".repeat(MAX_DEPTH + 1);
        let e = parse(Path::new("x.yaml"), &deep).unwrap_err();
        assert!(e.to_string().contains("nested deeper"), "{e}");
        let e = parse(Path::new("x.yaml"), "a: [1,\n").unwrap_err();
        assert!(e.to_string().starts_with("x.yaml:"), "{e}");
    }
}
