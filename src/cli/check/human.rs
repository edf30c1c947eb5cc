//! Human output: codespan-style diagnostics with the rule id, the inclusion path drawn
//! as a tree (why is this package here), notes and help, then a summary.

use std::collections::BTreeMap;
use std::io::Write as _;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, termcolor};

use super::{help, input_path};
use crate::assess::Analysis;
use crate::finding::{Finding, Level};
use crate::text::escape_controls;

pub(super) fn render(a: &Analysis, fail_on: Level, color: bool) -> String {
    let shown: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| f.exception.is_none())
        .collect();
    // The first sentence of each rule's "how to resolve", worked out once per rule,
    // not once per finding (an offer can have 100,000 findings of one rule).
    let mut helps: BTreeMap<&str, Option<String>> = BTreeMap::new();
    for f in &shown {
        helps.entry(f.rule.as_str()).or_insert_with(|| help(a, f));
    }
    // Consecutive parts written on a few threads when there are many findings, joined
    // in order: the same bytes however the work was split.
    let parts =
        crate::parallel::chunks_in_parallel(&shown, |part| write_findings(a, part, &helps, color));
    // The notices and the summary after the findings.
    let mut tail = String::new();
    for n in &a.inventory.notices {
        let input = a
            .inventory
            .inputs
            .get(n.input.0 as usize)
            .map(|i| i.path.display().to_string())
            .unwrap_or_default();
        tail.push_str(&format!(
            "note: {}: {}\n",
            escape_controls(&input),
            n.message
        ));
    }
    if !a.inventory.notices.is_empty() {
        tail.push('\n');
    }
    tail.push_str(&summary(a, fail_on));
    // Joined into the first part's buffer, grown once to the whole output and each
    // later part freed once appended: the output is neither held twice nor copied as
    // the buffer grows (100 MB is common for a large offer).
    let total: usize = parts.iter().map(Vec::len).sum::<usize>() + tail.len();
    let mut parts = parts.into_iter();
    let mut buf = parts.next().unwrap_or_default();
    buf.reserve_exact(total - buf.len());
    for part in parts {
        buf.extend_from_slice(&part);
    }
    buf.extend_from_slice(tail.as_bytes());
    // Everything written is text; the lossy path (a copy) only if that ever breaks.
    String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The diagnostics of `findings`, in order.
fn write_findings(
    a: &Analysis,
    findings: &[&Finding],
    helps: &BTreeMap<&str, Option<String>>,
    color: bool,
) -> Vec<u8> {
    // About 600 bytes per finding: reserved once, so a large offer's output is not
    // copied each time the buffer would have grown.
    let mut buf = Vec::with_capacity(findings.len().saturating_mul(640));
    {
        let mut w: Box<dyn termcolor::WriteColor + '_> = if color {
            Box::new(termcolor::Ansi::new(&mut buf))
        } else {
            Box::new(termcolor::NoColor::new(&mut buf))
        };
        let config = Config::default();
        for f in findings {
            let mut files = SimpleFiles::new();
            let help = helps.get(f.rule.as_str()).and_then(Option::as_deref);
            let diag = diagnostic(a, f, help, &mut files);
            if !color && diag.labels.is_empty() {
                // Most findings of a large offer have no inclusion path to draw: written
                // directly, the same bytes as the renderer's (a test holds them equal).
                write_unlabelled(&mut *w, &diag);
                continue;
            }
            // Rendering into memory: only a files error can occur, and then the plain
            // line is written instead.
            if term::emit(&mut *w, &config, &files, &diag).is_err() {
                let _ = writeln!(
                    w,
                    "{}[{}]: {}\n",
                    level_word(f.level),
                    f.rule,
                    f.hit.message
                );
            }
        }
    }
    buf
}

/// A diagnostic without labels, written as codespan's renderer writes it without
/// colour: the header, each note's first line after ` = ` and its further lines after
/// three spaces, then an empty line.
fn write_unlabelled(w: &mut dyn std::io::Write, d: &Diagnostic<usize>) {
    let severity = match d.severity {
        Severity::Bug => "bug",
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Help => "help",
        Severity::Note => "note",
    };
    let mut s = String::with_capacity(256);
    s.push_str(severity);
    if let Some(code) = d.code.as_deref().filter(|c| !c.is_empty()) {
        s.push('[');
        s.push_str(code);
        s.push(']');
    }
    s.push_str(": ");
    s.push_str(&d.message);
    s.push('\n');
    for note in &d.notes {
        for (i, line) in note.lines().enumerate() {
            s.push_str(if i == 0 { " = " } else { "   " });
            s.push_str(line);
            s.push('\n');
        }
    }
    s.push('\n');
    // Into memory: cannot fail.
    let _ = w.write_all(s.as_bytes());
}

fn level_word(l: Level) -> &'static str {
    match l {
        Level::Gate | Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "note",
    }
}

fn diagnostic(
    a: &Analysis,
    f: &Finding,
    help: Option<&str>,
    files: &mut SimpleFiles<String, String>,
) -> Diagnostic<usize> {
    let severity = match f.level {
        Level::Gate | Level::Deny => Severity::Error,
        Level::Warn => Severity::Warning,
        Level::Allow => Severity::Note,
    };
    let mut d = Diagnostic::new(severity)
        .with_code(&f.rule)
        .with_message(f.hit.message.to_string());
    let names = a.path_names(f);
    if names.len() > 1 {
        // The inclusion path as a small tree, the package concerned labelled (a long
        // path shows its ends).
        let mut src = String::new();
        let mut last = 0..0;
        let mut gap = None;
        for (depth, name) in names.iter().enumerate() {
            let indent = if depth == 0 {
                String::new()
            } else {
                format!("{}└── ", "    ".repeat(depth - 1))
            };
            let start = src.len() + indent.len();
            src.push_str(&indent);
            src.push_str(name);
            last = start..src.len();
            if name.starts_with('…') {
                gap = Some(last.clone());
            }
            src.push('\n');
        }
        let name = match input_path(a, f) {
            Some(p) => format!(
                "inclusion path in {}",
                escape_controls(&p.display().to_string())
            ),
            None => "inclusion path".to_owned(),
        };
        let root_len = src.find('\n').unwrap_or(0);
        let file = files.add(name, src);
        let label = match &f.hit.subject {
            Some(s) => format!("`{}`", escape_controls(&s.to_string())),
            None => "here".to_owned(),
        };
        let mut labels = vec![Label::secondary(file, 0..root_len).with_message("root")];
        if let Some(gap) = gap {
            labels.push(Label::secondary(file, gap).with_message("left out"));
        }
        labels.push(Label::primary(file, last).with_message(label));
        d = d.with_labels(labels);
    }
    let mut notes = Vec::new();
    if f.level == Level::Gate {
        notes.push("gate: this makes the candidate non-compliant whatever its score".to_owned());
    }
    if names.len() == 1 {
        notes.push("why: it is one of the inputs' roots".to_owned());
    }
    notes.extend(f.hit.notes.iter().map(ToString::to_string));
    if let Some(h) = help {
        notes.push(format!("help: {h}"));
    }
    notes.push(format!("see `sovra rules explain {}`", f.rule));
    d.with_notes(notes)
}

fn summary(a: &Analysis, fail_on: Level) -> String {
    let counts = a.counts();
    let excepted = a.findings.iter().filter(|f| f.exception.is_some()).count();
    let mut parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| format!("{n} {}", l.as_str()))
        .collect();
    if excepted > 0 {
        parts.push(format!("{excepted} excepted"));
    }
    let findings = if parts.is_empty() {
        "no findings".to_owned()
    } else {
        parts.join(", ")
    };
    let verdict = if a.fails(fail_on) { "failed" } else { "passed" };
    format!(
        "{verdict}: {findings} in {} packages (policy {}, failing on {})\n",
        a.inventory.packages.len(),
        a.policy.chain(),
        fail_on.as_str()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The direct writer gives the renderer's bytes for every shape of unlabelled
    /// diagnostic: with and without code and notes, notes of several lines, empty ones.
    #[test]
    fn unlabelled_diagnostics_are_written_as_the_renderer_writes_them() {
        let notes = [
            vec![],
            vec!["one".to_owned()],
            vec![
                "first\nsecond\n  third".to_owned(),
                String::new(),
                "help: do `x`".to_owned(),
                "trailing\n".to_owned(),
            ],
        ];
        for severity in [Severity::Error, Severity::Warning, Severity::Note] {
            for code in [None, Some("SUP001"), Some("")] {
                for n in &notes {
                    let mut d = Diagnostic::<usize>::new(severity)
                        .with_message("a `message` with ünïcode")
                        .with_notes(n.clone());
                    if let Some(c) = code {
                        d = d.with_code(c);
                    }
                    let mut expected = Vec::new();
                    let files = SimpleFiles::<String, String>::new();
                    term::emit(
                        &mut termcolor::NoColor::new(&mut expected),
                        &Config::default(),
                        &files,
                        &d,
                    )
                    .unwrap();
                    let mut got = Vec::new();
                    write_unlabelled(&mut got, &d);
                    assert_eq!(
                        String::from_utf8(got).unwrap(),
                        String::from_utf8(expected).unwrap(),
                        "{d:?}"
                    );
                }
            }
        }
    }
}
