//! Rendering: the view model through a minijinja template into one output format.
//!
//! Templates are embedded from `report-templates/`; `--templates DIR` replaces any of
//! them file by file (a name missing from `DIR` falls back to the built-in one). A
//! template directory may come from someone else, so the loader serves only plain
//! relative names of files inside `DIR` (after resolving symlinks): an absolute name, a
//! `..`, or a link out of `DIR` is an error, never a read. Rendering runs on a fuel
//! budget ([`FUEL`]) so a template cannot loop for ever.
//! Undefined is strict: a misspelt field or locale key is an error naming the template
//! and line, not a blank in a filed report.
//!
//! Escaping is chosen by the template's extension, so that nothing taken from an input
//! can become markup: `.html` uses HTML escaping, `.fodt` XML escaping (and drops the
//! control characters XML 1.0 forbids), `.md` backslash-escapes Markdown punctuation and
//! table pipes, `.txt` (the terminal summary) replaces control characters so an input
//! cannot send escape sequences to a terminal.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, ErrorKind, Output, State, UndefinedBehavior};

use crate::error::{Error, Result};
use crate::locale::Locale;

/// The output formats of `sovra report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Html,
    Md,
    Fodt,
    Json,
    /// The short terminal summary.
    Summary,
}

impl Format {
    /// The template that renders this format (`None` for JSON).
    pub(crate) fn template(self) -> Option<&'static str> {
        match self {
            Format::Html => Some("report.html"),
            Format::Md => Some("report.md"),
            Format::Fodt => Some("report.fodt"),
            Format::Summary => Some("summary.txt"),
            Format::Json => None,
        }
    }

    /// The format a file name suggests.
    pub(crate) fn from_extension(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Md),
            "fodt" => Some(Format::Fodt),
            "json" => Some(Format::Json),
            "txt" => Some(Format::Summary),
            _ => None,
        }
    }
}

/// The built-in templates, by name.
pub(crate) const BUILTIN: [(&str, &str); 4] = [
    (
        "report.html",
        include_str!("../../report-templates/report.html"),
    ),
    (
        "report.md",
        include_str!("../../report-templates/report.md"),
    ),
    (
        "report.fodt",
        include_str!("../../report-templates/report.fodt"),
    ),
    (
        "summary.txt",
        include_str!("../../report-templates/summary.txt"),
    ),
];

/// Where templates come from.
#[derive(Debug, Clone, Default)]
pub(crate) struct Templates {
    /// A directory whose files replace built-in templates of the same name.
    pub dir: Option<PathBuf>,
}

impl Templates {
    /// The path a template error is reported against.
    fn origin(&self, name: &str) -> PathBuf {
        match &self.dir {
            Some(d) if d.join(name).is_file() => d.join(name),
            _ => Path::new("report-templates").join(name),
        }
    }
}

/// Template instructions one rendering may run: far more than any built-in report needs
/// (a few per package and finding), far fewer than a runaway loop would.
pub(crate) const FUEL: u64 = 200_000_000;

/// Renders `report` in `format`. The whole output is produced in memory, so a
/// failure leaves nothing behind.
pub(crate) fn render<T: serde::Serialize + ?Sized>(
    report: &T,
    format: Format,
    locale: &Locale,
    templates: &Templates,
) -> Result<String> {
    render_with_fuel(report, format, locale, templates, FUEL)
}

/// [`render`] with a given fuel budget.
pub(crate) fn render_with_fuel<T: serde::Serialize + ?Sized>(
    report: &T,
    format: Format,
    locale: &Locale,
    templates: &Templates,
    fuel: u64,
) -> Result<String> {
    let Some(name) = format.template() else {
        let mut json = serde_json::to_string_pretty(report)
            .map_err(|e| Error::External(format!("cannot serialise the report: {e}")))?;
        json.push('\n');
        return Ok(json);
    };
    let mut env = environment(locale, templates);
    env.set_fuel(Some(fuel));
    let wrap = |e: minijinja::Error| {
        let tname = e.name().unwrap_or(name).to_owned();
        let mut msg = e.kind().to_string();
        if let Some(detail) = e.detail() {
            msg = format!("{msg}: {detail}");
        }
        Error::at(&templates.origin(&tname), e.line().unwrap_or(1), 1, msg)
    };
    let tmpl = env.get_template(name).map_err(wrap)?;
    tmpl.render(minijinja::context! { report => Value::from_serialize(report) })
        .map_err(wrap)
}

pub(crate) fn environment(locale: &Locale, templates: &Templates) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    let dir = templates.dir.clone();
    env.set_loader(move |name| {
        if let Some(dir) = &dir {
            let Some(path) = inside(dir, name)? else {
                return Ok(BUILTIN
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, t)| (*t).to_owned()));
            };
            return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                minijinja::Error::new(
                    ErrorKind::InvalidOperation,
                    format!("cannot read `{}`: {e}", path.display()),
                )
            });
        }
        if !plain_name(name) {
            return Err(outside(name));
        }
        Ok(BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| (*t).to_owned()))
    });
    env.set_auto_escape_callback(|name| match name.rsplit('.').next() {
        Some("html" | "htm") => AutoEscape::Html,
        Some("fodt" | "xml") => AutoEscape::Custom("xml"),
        Some("md") => AutoEscape::Custom("md"),
        _ => AutoEscape::Custom("text"),
    });
    env.set_formatter(format_value);

    let loc = Arc::new(locale.clone());
    let l = Arc::clone(&loc);
    env.add_function(
        "t",
        move |key: &str, kwargs: Kwargs| -> std::result::Result<String, minijinja::Error> {
            let Some(text) = l.get(key) else {
                return Err(minijinja::Error::new(
                    ErrorKind::UndefinedError,
                    format!("locale `{}` has no key `{key}`", l.lang),
                ));
            };
            let mut text = text.to_owned();
            for arg in kwargs.args() {
                let v: Value = kwargs.get(arg)?;
                text = text.replace(&format!("{{{arg}}}"), &v.to_string());
            }
            Ok(text)
        },
    );
    // An optional translation: the locale's string when it has `key`, else `fallback`
    // (rule summaries come from the catalogue and may be translated in the locale).
    let l = Arc::clone(&loc);
    env.add_function("tr", move |key: &str, fallback: Option<String>| {
        l.get(key)
            .map(str::to_owned)
            .or(fallback)
            .unwrap_or_default()
    });
    let l = Arc::clone(&loc);
    env.add_filter("num", move |v: f64, decimals: Option<usize>| {
        l.number(v, decimals.unwrap_or(0))
    });
    // A number with up to `decimals` (default 3) digits, trailing zeros dropped.
    let l = Arc::clone(&loc);
    env.add_filter("dec", move |v: f64, decimals: Option<usize>| {
        l.number_trimmed(v, decimals.unwrap_or(3))
    });
    let l = Arc::clone(&loc);
    env.add_filter("pct", move |v: f64, decimals: Option<usize>| {
        l.percent(v, decimals.unwrap_or(0))
    });
    let l = Arc::clone(&loc);
    env.add_filter("date", move |v: &str| l.date(v));
    // Locale-independent number for SVG attributes and CSS.
    env.add_filter("fixed", |v: f64, decimals: Option<usize>| {
        format!("{:.*}", decimals.unwrap_or(1), v)
    });
    // `backticked` names as code: `<code>` in HTML, the `Code` text style in flat ODF;
    // Markdown and terminal text keep the backticks.
    env.add_filter("ticks", |state: &State, v: &str| {
        match state.auto_escape() {
            AutoEscape::Html => Value::from_safe_string(ticks_to_code(v)),
            AutoEscape::Custom("xml") => Value::from_safe_string(ticks_with(
                v,
                "<text:span text:style-name=\"Code\">",
                "</text:span>",
                escape_xml,
            )),
            _ => Value::from(v),
        }
    });
    // Base64 of the text's UTF-8 bytes: images embedded in flat ODF
    // (`office:binary-data`).
    env.add_filter("b64", |v: &str| base64(v.as_bytes()));
    env.add_global("lang", Value::from(locale.lang.clone()));
    env
}

/// Whether a template name is a plain relative path: no root, no `.` or `..`, no
/// backslash or NUL.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains(['\\', '\0'])
        && std::path::Path::new(name)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

fn outside(name: &str) -> minijinja::Error {
    minijinja::Error::new(
        ErrorKind::InvalidOperation,
        format!("template `{name}` is not a file inside the template directory"),
    )
}

/// The file `name` names inside `dir`, `None` when there is none (the built-in one
/// serves), an error when the name or the file it resolves to lies outside `dir`.
fn inside(dir: &Path, name: &str) -> std::result::Result<Option<PathBuf>, minijinja::Error> {
    if !plain_name(name) {
        return Err(outside(name));
    }
    let path = dir.join(name);
    if !path.exists() {
        return Ok(None);
    }
    let root = dir.canonicalize().map_err(|_| outside(name))?;
    let real = path.canonicalize().map_err(|_| outside(name))?;
    if !real.starts_with(&root) || !real.is_file() {
        return Err(outside(name));
    }
    Ok(Some(real))
}

/// Standard base64 (RFC 4648, with padding).
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Formats one printed value with the escaping of the template being rendered.
fn format_value(
    out: &mut Output,
    state: &State,
    value: &Value,
) -> std::result::Result<(), minijinja::Error> {
    if value.is_none() {
        return Ok(());
    }
    match state.auto_escape() {
        AutoEscape::Custom(kind) if !value.is_safe() => {
            let text = value.to_string();
            let escaped = match kind {
                "xml" => escape_xml(&text),
                "md" => escape_md(&text),
                _ => escape_text(&text),
            };
            out.write_str(&escaped)
                .map_err(|e| minijinja::Error::new(ErrorKind::WriteFailure, e.to_string()))
        }
        AutoEscape::Custom(_) => out
            .write_str(&value.to_string())
            .map_err(|e| minijinja::Error::new(ErrorKind::WriteFailure, e.to_string())),
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// HTML-escapes `s` and shows `backticked` names as `<code>`: messages name packages
/// and licences in backticks.
pub(crate) fn ticks_to_code(s: &str) -> String {
    ticks_with(s, "<code>", "</code>", escape_html)
}

/// `s` escaped with `escape`, `backticked` names wrapped in `open` … `close`.
fn ticks_with(s: &str, open: &str, close: &str, escape: fn(&str) -> String) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let n = s.matches('`').count();
    for (i, part) in s.split('`').enumerate() {
        // An odd segment is inside backticks, unless it is the unclosed last one.
        let inside = i % 2 == 1 && (i < n || n % 2 == 0);
        let escaped = escape(part);
        if inside {
            out.push_str(open);
            out.push_str(&escaped);
            out.push_str(close);
        } else {
            if i % 2 == 1 {
                out.push('`');
            }
            out.push_str(&escaped);
        }
    }
    out
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '/' => out.push_str("&#x2f;"),
            c => out.push(c),
        }
    }
    out
}

/// XML character data and attribute values; characters XML 1.0 forbids become U+FFFD.
pub(crate) fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Markdown inline text: punctuation that could start markup is backslash-escaped,
/// line breaks become spaces (they would end a table row), `<` and `>` become entities
/// so no raw HTML survives.
pub(crate) fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' | '(' | ')' | '{' | '}'
            | '&' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Terminal text: control characters (escape sequences included) become U+FFFD.
pub(crate) fn escape_text(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_keep_input_as_text() {
        assert_eq!(
            escape_xml("<script>a&b</script>\u{1}"),
            "&lt;script&gt;a&amp;b&lt;/script&gt;\u{fffd}"
        );
        assert_eq!(
            escape_md("a|b <script>alert(1)</script> *x*"),
            "a\\|b &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*x\\*"
        );
        assert_eq!(escape_text("a\u{1b}[31mred"), "a\u{fffd}[31mred");
        assert_eq!(
            ticks_to_code("`a<b>` is `x"),
            "<code>a&lt;b&gt;</code> is `x"
        );
    }
}
