//! The comparison of candidates for the terminal: `sovra compare` renders the report's
//! [`Comparison`] (its rows, what decides and who ranks first), worded by the locale.
//! The comparison itself is decided once, in `build`; this only lays it out.

use std::fmt::Write as _;

use super::model::{Cell, Comparison};
use crate::locale::Locale;
use crate::text::escape_controls;

/// Width of one candidate's column.
const COL: usize = 26;

/// A locale string, or the key itself when a house-style locale lacks it.
fn t<'a>(locale: &'a Locale, key: &'a str) -> &'a str {
    locale.get(key).unwrap_or(key)
}

/// One cell as the report's templates show it.
pub(crate) fn cell_text(cell: &Cell, locale: &Locale) -> String {
    let code = |prefix: &str| {
        let key = format!("{prefix}.{}", cell.code.as_deref().unwrap_or_default());
        t(locale, &key).to_owned()
    };
    match (cell.kind.as_str(), cell.number) {
        ("verdict", _) => code("verdict"),
        ("band", _) => code("band"),
        ("number", Some(n)) => locale.number(n, 0),
        ("index", Some(n)) => locale.number_trimmed(n, 3),
        ("percent", Some(n)) => locale.percent(n, 0),
        ("seal", Some(n)) => format!("SEAL-{}", locale.number(n, 0)),
        ("text", _) => cell.text.clone().unwrap_or_default(),
        _ => t(locale, "report.not-assessed").to_owned(),
    }
}

/// The comparison as a table: one row per key (◆ marks a row that decides), one
/// column per candidate; then the rows that decide and the candidate ranked first.
/// Names from the inputs have their control characters escaped.
pub(crate) fn render(cmp: &Comparison, locale: &Locale) -> String {
    let fit = |s: &str| {
        let s = escape_controls(s);
        let n = s.chars().count();
        if n > COL - 1 {
            let cut: String = s.chars().take(COL - 2).collect();
            format!("{cut}… ")
        } else {
            format!("{s}{}", " ".repeat(COL - n))
        }
    };
    let labels: Vec<String> = cmp
        .rows
        .iter()
        .map(|r| {
            let mark = if r.deciding { "◆ " } else { "  " };
            format!("{mark}{}", t(locale, &r.key))
        })
        .collect();
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) + 2;
    let line = |label: &str, cells: Vec<String>| {
        let pad = width.saturating_sub(label.chars().count());
        let mut l = format!("{label}{}", " ".repeat(pad));
        for c in cells {
            l.push_str(&fit(&c));
        }
        l.trim_end().to_owned()
    };
    let mut o = String::new();
    let _ = writeln!(o, "{}", line("", cmp.candidates.clone()));
    for (row, label) in cmp.rows.iter().zip(&labels) {
        let cells = row.cells.iter().map(|c| cell_text(c, locale)).collect();
        let _ = writeln!(o, "{}", line(label, cells));
    }
    let _ = writeln!(
        o,
        "\n{}: {} ({})",
        t(locale, "field.policy"),
        escape_controls(&cmp.policy),
        t(locale, "report.policy-every-candidate")
    );
    let _ = writeln!(o, "{}", t(locale, "text.deciding-intro"));
    let _ = writeln!(o, "\n{}:", t(locale, "section.deciding"));
    let deciding: Vec<_> = cmp.rows.iter().filter(|r| r.deciding).collect();
    if deciding.is_empty() {
        let _ = writeln!(o, "  {}", t(locale, "text.no-deciding"));
    }
    for row in deciding {
        let values: Vec<String> = cmp
            .candidates
            .iter()
            .zip(&row.cells)
            .map(|(n, c)| format!("{} {}", escape_controls(n), cell_text(c, locale)))
            .collect();
        let _ = writeln!(o, "  - {}: {}", t(locale, &row.key), values.join(" · "));
    }
    let leader = match &cmp.leader {
        Some(l) => escape_controls(l),
        None => t(locale, "text.no-leader").to_owned(),
    };
    let _ = writeln!(o, "\n{}: {leader}", t(locale, "field.leader"));
    o
}
