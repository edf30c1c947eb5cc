//! Reading TOML data files with positions: the shared first step of the catalogue and
//! policy loaders.
//!
//! A file is parsed once into toml's span-carrying tree; each section is then
//! deserialised on its own, so one bad entry does not hide the next one, and every
//! problem is collected with its file, line and column.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::error::{Problem, line_col};

/// One TOML file being read, and the problems found in it so far.
#[derive(Debug)]
pub(crate) struct Doc<'t> {
    pub path: PathBuf,
    pub text: &'t str,
    pub problems: Vec<Problem>,
}

impl<'t> Doc<'t> {
    pub fn new(path: &Path, text: &'t str) -> Self {
        Doc {
            path: path.to_owned(),
            text,
            problems: Vec::new(),
        }
    }

    /// Parses the whole file; a syntax error is recorded and yields `None`.
    pub fn parse(&mut self) -> Option<DeTable<'t>> {
        match DeTable::parse(self.text) {
            Ok(t) => Some(t.into_inner()),
            Err(e) => {
                self.toml_error(&e, 0);
                None
            }
        }
    }

    /// Records a problem at byte offset `at`.
    pub fn problem(&mut self, at: usize, message: impl Into<String>) {
        let (line, column) = line_col(self.text, at);
        self.problems
            .push(Problem::new(&self.path, line, column, message));
    }

    fn toml_error(&mut self, e: &toml::de::Error, fallback: usize) {
        let at = e.span().map_or(fallback, |s| s.start);
        let msg = e.message().trim().trim_end_matches('.').to_owned();
        self.problem(at, msg);
    }

    /// Deserialises one value; a failure is recorded and yields `None`.
    pub fn de<T: DeserializeOwned>(&mut self, value: &Spanned<DeValue<'t>>) -> Option<T> {
        let start = value.span().start;
        match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(v) => Some(v),
            Err(e) => {
                self.toml_error(&e, start);
                None
            }
        }
    }

    /// Records every key of `table` that is not in `allowed` (all of them, not the
    /// first only).
    pub fn unknown_keys(&mut self, table: &DeTable<'t>, allowed: &[&str], what: &str) {
        for key in table.keys() {
            if !allowed.contains(&key.get_ref().as_ref()) {
                let expected = allowed
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.problem(
                    key.span().start,
                    format!(
                        "unknown key `{}` in {what}, expected one of {expected}",
                        key.get_ref()
                    ),
                );
            }
        }
    }
}

/// The entry of `table` named `key`, with the span of its key.
pub(crate) fn entry<'a, 't>(
    table: &'a DeTable<'t>,
    key: &str,
) -> Option<(
    &'a Spanned<toml::de::DeString<'t>>,
    &'a Spanned<DeValue<'t>>,
)> {
    table.iter().find(|(k, _)| k.get_ref() == key)
}
