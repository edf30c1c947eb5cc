//! GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` line per
//! finding, shown as annotations on the pull request.

use super::{input_path, why};
use crate::assess::Analysis;
use crate::finding::Level;

/// Escapes message data of a workflow command: `%`, CR and LF as the runner expects,
/// any other control character (ESC, BEL, NUL, C1) as `%XX` of its UTF-8 bytes, so
/// nothing from an input reaches the log raw.
fn data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '%' || c.is_control() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes a property value of a workflow command.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub(super) fn render(a: &Analysis, fail_on: Level) -> String {
    let mut out = String::new();
    for f in a.findings.iter().filter(|f| f.exception.is_none()) {
        let cmd = if f.fails(fail_on) {
            "error"
        } else if f.level >= Level::Warn {
            "warning"
        } else {
            "notice"
        };
        let mut props = Vec::new();
        if let Some(p) = input_path(a, f) {
            props.push(format!("file={}", property(&p.display().to_string())));
        }
        props.push(format!(
            "title={}",
            property(&format!("{} ({})", f.rule, f.level.as_str()))
        ));
        let mut msg = f.hit.message.to_string();
        if let Some(w) = why(a, f) {
            msg.push_str(&format!("\nwhy: {w}"));
        }
        for n in &f.hit.notes {
            msg.push('\n');
            msg.push_str(&n.to_string());
        }
        out.push_str(&format!("::{cmd} {}::{}\n", props.join(","), data(&msg)));
    }
    out
}
