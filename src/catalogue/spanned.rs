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
    pub(crate) fn new(path: &Path, text: &'t str) -> Self {
        Doc {
            path: path.to_owned(),
            text,
            problems: Vec::new(),
        }
    }

    /// Parses the whole file; a syntax error is recorded and yields `None`.
    pub(crate) fn parse(&mut self) -> Option<DeTable<'t>> {
        match DeTable::parse(self.text) {
            Ok(t) => Some(t.into_inner()),
            Err(e) => {
                self.toml_error(&e, 0);
                None
            }
        }
    }

    /// Records a problem at byte offset `at`.
    pub(crate) fn problem(&mut self, at: usize, message: impl Into<String>) {
        let (line, column) = line_col(self.text, at);
        self.problems
            .push(Problem::new(&self.path, line, column, message));
    }

    fn toml_error(&mut self, e: &toml::de::Error, fallback: usize) {
        let at = e.span().map_or(fallback, |s| s.start);
        // The parser points inside the malformed number; the date starts before it.
        let word_start = self.text.get(..at).map_or(at, |before| {
            before
                .rfind(|c: char| !(c.is_ascii_digit() || c == '.' || c == '/'))
                .map_or(0, |i| i + 1)
        });
        match self.text.get(word_start..).and_then(local_date) {
            Some(found) => {
                let msg = format!("expected a date like 2027-06-30, found `{found}`");
                self.problem(word_start, msg);
            }
            None => self.problem(at, e.message().trim().trim_end_matches('.').to_owned()),
        }
    }

    /// Deserialises one value; a failure is recorded and yields `None`.
    pub(crate) fn de<T: DeserializeOwned>(&mut self, value: &Spanned<DeValue<'t>>) -> Option<T> {
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
    pub(crate) fn unknown_keys(&mut self, table: &DeTable<'t>, allowed: &[&str], what: &str) {
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

/// A date written the German or another local way (`30.06.2027`, `30/06/2027`) at the
/// start of `rest`, which TOML reads as a malformed number; `None` for anything else.
fn local_date(rest: &str) -> Option<&str> {
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '/'))
        .unwrap_or(rest.len());
    let word = &rest[..end];
    let parts: Vec<&str> = word.split(['.', '/']).collect();
    let fits = parts.len() == 3
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
        && (1..=2).contains(&parts[0].len())
        && (1..=2).contains(&parts[1].len())
        && matches!(parts[2].len(), 2 | 4);
    fits.then_some(word)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        let mut doc = Doc::new(Path::new("p.toml"), text);
        doc.parse();
        doc.problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_local_date_is_named_with_the_expected_form() {
        for (text, found) in [
            ("expires = 30.06.2027\n", "30.06.2027"),
            ("expires = 1.7.2027\n", "1.7.2027"),
            ("expires = 30/06/2027\n", "30/06/2027"),
        ] {
            let p = problems(text);
            assert_eq!(
                p,
                [format!(
                    "p.toml:1:11: expected a date like 2027-06-30, found `{found}`"
                )],
                "{text}"
            );
        }
    }

    #[test]
    fn other_syntax_errors_keep_the_parser_message() {
        let p = problems("weight = 1.2.3.4\n");
        assert_eq!(p.len(), 1);
        assert!(!p[0].contains("expected a date"), "{p:?}");
    }
}
