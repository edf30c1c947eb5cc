//! A YAML tree for lockfiles (Yarn Berry, pnpm) and SPDX 2 YAML: saphyr's events built
//! into nodes iteratively, with each node's line and column, nesting bounded and aliases
//! refused (package managers and SPDX tools write none, and an alias is how a small
//! document grows huge).

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
            Event::Alias(_) => {
                return Err(at(
                    "YAML aliases are not read (tools do not write them, and an alias is how a small document grows huge)",
                ));
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(at("nested deeper than 64 levels"));
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

/// Reads a tree into a `serde` type, so a YAML form of a JSON format (SPDX 2 YAML) fills
/// the same structs as its JSON form. Scalars are text: a number or boolean is parsed
/// where the type asks for one, `null`, `~` and nothing are an absent option. An error
/// names the line and column of the value it arose at.
pub(super) fn from_node<T: serde::de::DeserializeOwned>(path: &Path, node: &Node) -> Result<T> {
    T::deserialize(node).map_err(|e: de::DeError| {
        let (line, col) = e.at.unwrap_or((node.line, node.col));
        Error::at(path, line, col, e.msg)
    })
}

mod de {
    use serde::de::{
        self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
    };

    use super::{Node, Value};

    #[derive(Debug)]
    pub(crate) struct DeError {
        pub msg: String,
        pub at: Option<(usize, usize)>,
    }

    impl std::fmt::Display for DeError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.msg)
        }
    }

    impl std::error::Error for DeError {}

    impl de::Error for DeError {
        fn custom<T: std::fmt::Display>(msg: T) -> Self {
            DeError {
                msg: msg.to_string(),
                at: None,
            }
        }
    }

    /// The first position an error meets on its way out is the innermost value's.
    fn locate(node: &Node) -> impl Fn(DeError) -> DeError + '_ {
        move |mut e| {
            e.at.get_or_insert((node.line, node.col));
            e
        }
    }

    fn scalar(node: &Node) -> Option<&str> {
        match &node.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    fn is_null(node: &Node) -> bool {
        matches!(scalar(node), Some("null" | "~" | "" | "Null" | "NULL"))
    }

    macro_rules! number {
        ($($method:ident => $visit:ident: $ty:ty),*) => {$(
            fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
                match scalar(self).and_then(|s| s.trim().parse::<$ty>().ok()) {
                    Some(n) => v.$visit(n).map_err(locate(self)),
                    None => self.deserialize_any(v),
                }
            }
        )*};
    }

    impl<'de> Deserializer<'de> for &'de Node {
        type Error = DeError;

        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
            let r = match &self.value {
                Value::Scalar(s) => v.visit_borrowed_str(s),
                Value::Seq(items) => v.visit_seq(Seq(items.iter())),
                Value::Map(entries) => v.visit_map(Map {
                    entries: entries.iter(),
                    value: None,
                }),
            };
            r.map_err(locate(self))
        }

        fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
            match scalar(self) {
                Some("true" | "True" | "TRUE") => v.visit_bool(true),
                Some("false" | "False" | "FALSE") => v.visit_bool(false),
                _ => self.deserialize_any(v),
            }
            .map_err(locate(self))
        }

        number!(
            deserialize_i8 => visit_i64: i64, deserialize_i16 => visit_i64: i64,
            deserialize_i32 => visit_i64: i64, deserialize_i64 => visit_i64: i64,
            deserialize_u8 => visit_u64: u64, deserialize_u16 => visit_u64: u64,
            deserialize_u32 => visit_u64: u64, deserialize_u64 => visit_u64: u64,
            deserialize_f32 => visit_f64: f64, deserialize_f64 => visit_f64: f64
        );

        fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
            if is_null(self) {
                v.visit_none()
            } else {
                v.visit_some(self)
            }
        }

        fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
            v.visit_unit()
        }

        fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
            v.visit_unit()
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _variants: &'static [&'static str],
            v: V,
        ) -> Result<V::Value, DeError> {
            match scalar(self) {
                Some(s) => v
                    .visit_enum(IntoDeserializer::<DeError>::into_deserializer(s))
                    .map_err(locate(self)),
                None => Err(locate(self)(de::Error::custom(
                    "expected a plain value naming a variant",
                ))),
            }
        }

        serde::forward_to_deserialize_any! {
            i128 u128 char str string bytes byte_buf unit_struct newtype_struct seq
            tuple tuple_struct map struct identifier
        }
    }

    struct Seq<'de>(std::slice::Iter<'de, Node>);

    impl<'de> SeqAccess<'de> for Seq<'de> {
        type Error = DeError;

        fn next_element_seed<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<Option<T::Value>, DeError> {
            match self.0.next() {
                Some(n) => seed.deserialize(n).map(Some).map_err(locate(n)),
                None => Ok(None),
            }
        }
    }

    struct Map<'de> {
        entries: std::slice::Iter<'de, (String, Node)>,
        value: Option<&'de Node>,
    }

    impl<'de> MapAccess<'de> for Map<'de> {
        type Error = DeError;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, DeError> {
            match self.entries.next() {
                Some((k, v)) => {
                    self.value = Some(v);
                    seed.deserialize(k.as_str().into_deserializer())
                        .map(Some)
                        .map_err(locate(v))
                }
                None => Ok(None),
            }
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(
            &mut self,
            seed: V,
        ) -> Result<V::Value, DeError> {
            match self.value.take() {
                Some(n) => seed.deserialize(n).map_err(locate(n)),
                None => Err(de::Error::custom("a value without a key")),
            }
        }
    }
}
