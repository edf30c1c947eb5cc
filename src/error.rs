//! Failures of the tool: unreadable or malformed input, invalid configuration.
//!
//! Odd but valid data in an input (an unparseable licence string, a package without a
//! licence) is never an [`Error`]; it becomes a finding. An [`Error`] always names the
//! file and, where the input is text, the line and column; the CLI exits with status 2.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// One problem at a position in a file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Problem {
    pub fn new(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Problem {
            path: path.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }

    /// A problem at a byte offset of `text`.
    pub fn at_offset(path: &Path, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_col(text, offset);
        Problem::new(path, line, column, message)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// A failure of the tool.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more problems in input or configuration files, all reported at once.
    #[error("{}", join_problems(.0))]
    Invalid(Vec<Problem>),
    /// A file that cannot be read at all.
    #[error("cannot read `{}`: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    /// An output that cannot be written (a report, a facts file, stdout).
    #[error("cannot write `{}`: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    /// A file whose format sovra does not recognise, or another whole-file problem.
    #[error("{}: {message}", path.display())]
    Input { path: PathBuf, message: String },
    /// A command line that cannot be carried out.
    #[error("{0}")]
    Usage(String),
    /// An external command (such as `cargo metadata`) failed.
    #[error("{0}")]
    External(String),
}

impl Error {
    pub fn at(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Error::Invalid(vec![Problem::new(path, line, column, message)])
    }

    pub fn io(path: &Path, source: io::Error) -> Self {
        Error::Io {
            path: path.to_owned(),
            source,
        }
    }

    /// An output that cannot be written.
    pub fn write(path: &Path, source: io::Error) -> Self {
        Error::Write {
            path: path.to_owned(),
            source,
        }
    }

    pub fn input(path: &Path, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.to_owned(),
            message: message.into(),
        }
    }

    /// The error as positioned problems, to report with others: a whole-file failure
    /// sits at line 1, column 1 of its file (`file` when the error names none).
    pub fn into_problems(self, file: &Path) -> Vec<Problem> {
        match self {
            Error::Invalid(p) => p,
            Error::Io { ref path, .. }
            | Error::Write { ref path, .. }
            | Error::Input { ref path, .. } => {
                let msg = match &self {
                    Error::Input { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                vec![Problem::new(path, 1, 1, msg)]
            }
            Error::Usage(m) | Error::External(m) => vec![Problem::new(file, 1, 1, m)],
        }
    }

    /// A `serde_json` error, which carries its own line and column.
    pub fn json(path: &Path, err: &serde_json::Error) -> Self {
        let msg = err.to_string();
        // serde_json appends " at line L column C"; keep only the message.
        let msg = match msg.rfind(" at line ") {
            Some(i) => msg[..i].to_owned(),
            None => msg,
        };
        Error::at(path, err.line().max(1), err.column().max(1), msg)
    }
}

fn join_problems(problems: &[Problem]) -> String {
    let mut out = String::new();
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&p.to_string());
    }
    out
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Line starts of a text, for many [`line_col`] look-ups in one text: each is a binary
/// search plus the length of one line, not a scan from the start of the text.
#[derive(Debug)]
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(newline_offsets(text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    /// What [`line_col`] gives for `offset`.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = String::from_utf8_lossy(&self.text.as_bytes()[start..offset])
            .chars()
            .count()
            + 1;
        (line, column)
    }
}

fn newline_offsets(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .map(|(i, _)| i)
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_agrees_with_line_col() {
        let text = "ab\nçd\n\n  x\u{e9}y\nlast";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(index.line_col(offset), line_col(text, offset), "{offset}");
        }
    }

    #[test]
    fn line_col_counts_from_one() {
        let t = "ab\ncdé\nf";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 7), (2, 4));
        assert_eq!(line_col(t, 100), (3, 2));
    }

    #[test]
    fn json_error_keeps_position() {
        let err = serde_json::from_str::<serde_json::Value>("{\n  \"a\": ,\n}").unwrap_err();
        let e = Error::json(Path::new("x.json"), &err);
        assert_eq!(e.to_string(), "x.json:2:8: expected value");
    }
}
