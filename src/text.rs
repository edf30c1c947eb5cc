//! Sentences about findings, kept as a message key and its arguments until they are
//! written: in English on the terminal and in machine output (SARIF, JUnit, JSON), in
//! the report's language in reports.
//!
//! A check writes `text!("license-osi.not-approved", pkg = name, ids = list)`. The
//! words live in the locale files (`report-templates/locales/<lang>.toml`) under
//! `[msg]`, as `msg.license-osi.not-approved = "{pkg} is used under {ids}, not
//! OSI-approved"`. An argument is data written as it is (a package name, a licence
//! expression), a number written the language's way, or words of its own (a duration,
//! a scope name) worded in the same language as the sentence around it.
//!
//! Placeholders are filled in one pass, so a `{…}` inside an argument (input data) is
//! never read as a placeholder. Tests make sure every key the code uses exists in
//! every locale with the same placeholders, so a missing word is a failing test, not a
//! blank in a report.

use std::fmt;

use crate::locale::Locale;

/// A sentence: a key under `msg.` in the locale files and the values of its
/// placeholders.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Text {
    key: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// The value of one placeholder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Arg {
    /// Data, written as it is.
    Plain(String),
    /// A number rounded to `decimals` digits (kept as that text, so that `Text` stays
    /// `Eq`), written with the language's separators.
    Number { rounded: String, decimals: usize },
    /// An ISO date (`YYYY-MM-DD`) in the language's all-digit form, an RFC 3339 time
    /// per the locale's `format.timestamp`; other text as it is.
    Date(String),
    /// Words of their own, in the same language as the sentence.
    Text(Box<Text>),
    /// Words the knowledge base gives per language (`(lang, words)`), English as the
    /// fallback.
    PerLanguage(Vec<(&'static str, String)>),
    /// Codes from inputs (a country `GB`, a jurisdiction `us-cloud-act`, a contract
    /// term `commercial`), each written with its label in the language (locale key
    /// `label.<kind>.<code>`), else as it is; several are joined with `, `.
    Label {
        kind: &'static str,
        codes: Vec<String>,
    },
}

impl Text {
    /// A sentence and all its arguments (what `text!` builds).
    pub fn with_args(key: &'static str, args: Vec<(&'static str, Arg)>) -> Text {
        Text { key, args }
    }

    /// The message key (after `msg.`): what a finding says, without its data.
    pub fn key(&self) -> &'static str {
        self.key
    }

    /// Words that are data, written as they are in every language: a validator's or a
    /// parser's own message.
    pub fn as_is(words: impl Into<String>) -> Text {
        crate::text!("as-is", text = words.into())
    }

    /// The sentence in `locale`'s language. A key the locale lacks is worded in English;
    /// a key no locale has shows as the key itself (the tests rule both out).
    pub(crate) fn render(&self, locale: &Locale) -> String {
        let mut out = String::new();
        // Writing into a `String` cannot fail.
        let _ = self.render_into(locale, &mut out);
        out
    }

    fn render_into<W: fmt::Write>(&self, locale: &Locale, out: &mut W) -> fmt::Result {
        if self.key.is_empty() {
            return Ok(());
        }
        let Some(template) = locale
            .message(self.key)
            .or_else(|| crate::locale::english().message(self.key))
        else {
            out.write_str("msg.")?;
            return out.write_str(self.key);
        };
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.write_str(&rest[..open])?;
            let after = &rest[open + 1..];
            let close = after.find('}');
            let value = close.and_then(|c| {
                let name = &after[..c];
                self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
            });
            match (close, value) {
                (Some(c), Some(v)) => {
                    v.render_into(locale, out)?;
                    rest = &after[c + 1..];
                }
                _ => {
                    out.write_char('{')?;
                    rest = after;
                }
            }
        }
        out.write_str(rest)
    }
}

impl Arg {
    /// One code from the inputs, written with its label in the language.
    pub fn label(kind: &'static str, code: impl Into<String>) -> Arg {
        Arg::Label {
            kind,
            codes: vec![code.into()],
        }
    }

    /// Several codes of one kind, each with its label, joined with `, `.
    pub fn labels(kind: &'static str, codes: &[String]) -> Arg {
        Arg::Label {
            kind,
            codes: codes.to_vec(),
        }
    }

    /// `value` written with `decimals` digits after the language's decimal separator.
    pub fn number(value: f64, decimals: usize) -> Arg {
        Arg::Number {
            rounded: format!("{value:.decimals$}"),
            decimals,
        }
    }

    fn render_into<W: fmt::Write>(&self, locale: &Locale, out: &mut W) -> fmt::Result {
        match self {
            Arg::Plain(s) => write_escaped(out, s),
            Arg::Number { rounded, decimals } => {
                let value: f64 = rounded.parse().unwrap_or_default();
                out.write_str(&locale.number(value, *decimals))
            }
            Arg::Date(d) => write_escaped(out, &locale.date_numeric(d)),
            Arg::Text(t) => t.render_into(locale, out),
            Arg::PerLanguage(words) => {
                let pick = |lang: &str| words.iter().find(|(l, _)| *l == lang);
                match pick(&locale.lang).or_else(|| pick("en")) {
                    Some((_, w)) => out.write_str(w),
                    None => Ok(()),
                }
            }
            Arg::Label { kind, codes } => {
                for (i, code) in codes.iter().enumerate() {
                    if i > 0 {
                        out.write_str(", ")?;
                    }
                    let key = format!("label.{kind}.{code}");
                    let word = locale
                        .get(&key)
                        .or_else(|| crate::locale::english().get(&key));
                    out.write_str(word.unwrap_or(code))?;
                }
                Ok(())
            }
        }
    }
}

/// Writes data from an input with every control character (C0 with newline and tab,
/// DEL, C1) as a visible `\u{..}` escape, so a name can neither drive a terminal (ESC,
/// OSC, BEL) nor forge an output line, in any output a `Text` reaches.
pub(crate) fn write_escaped<W: fmt::Write>(out: &mut W, s: &str) -> fmt::Result {
    let mut rest = s;
    while let Some(at) = rest.find(char::is_control) {
        out.write_str(&rest[..at])?;
        let c = rest[at..].chars().next().unwrap_or_default();
        write!(out, "\\u{{{:x}}}", u32::from(c))?;
        rest = &rest[at + c.len_utf8()..];
    }
    out.write_str(rest)
}

/// [`write_escaped`] into a new string.
pub(crate) fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = write_escaped(&mut out, s);
    out
}

/// English, written straight into the output without an intermediate string.
impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// English, the language of terminals, logs and machine-readable output.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render_into(crate::locale::english(), f)
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Plain(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Plain(s.clone())
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Plain(s.to_owned())
    }
}

impl From<Text> for Arg {
    fn from(t: Text) -> Arg {
        Arg::Text(Box::new(t))
    }
}

macro_rules! plain_number {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Plain(n.to_string())
            }
        }
    )*};
}
plain_number!(u8, u16, u32, u64, usize, i32, i64);

/// A [`Text`]: `text!("key", name = value, …)`; each value is anything that becomes an
/// [`Arg`].
#[macro_export]
macro_rules! text {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::text::Text::with_args(
            $key,
            vec![$((stringify!($name), $crate::text::Arg::from($value))),*],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;

    #[test]
    fn placeholders_are_filled_once_and_words_follow_the_language() {
        let en = Locale::load("en", None).unwrap();
        let de = Locale::load("de", None).unwrap();
        // An argument that looks like a placeholder stays data.
        let t = text!("facts.none", what = text!("assessed.maintenance"));
        assert_eq!(t.render(&en), "maintenance not assessed: no facts file");
        assert_eq!(t.to_string(), t.render(&en));
        assert_eq!(
            t.render(&de),
            "Pflegezustand nicht bewertet: keine Faktendatei"
        );
        let t = text!("license-osi.not-approved", pkg = "`{ids}`", ids = "`X`");
        assert_eq!(t.render(&en), "`{ids}` is used under `X`, not OSI-approved");
    }

    #[test]
    fn numbers_use_the_language_separators() {
        let en = Locale::load("en", None).unwrap();
        let de = Locale::load("de", None).unwrap();
        let t = text!(
            "unknown-share.over",
            unknown = 1u32,
            total = 8u32,
            scope = text!("scope.runtime"),
            share = Arg::number(12.345, 1),
            threshold = Arg::number(10.0, 1)
        );
        assert_eq!(
            t.render(&en),
            "1 of 8 runtime packages (12.3%) have an unknown licence, over the 10.0% threshold"
        );
        assert!(t.render(&de).contains("(12,3\u{a0}%)"), "{}", t.render(&de));
        let d = text!(
            "publiccode-maintained.until",
            contractor = "c",
            until = Arg::Date("2027-01-12".into())
        );
        assert_eq!(d.render(&en), "`c` until 2027-01-12");
        assert_eq!(d.render(&de), "`c` bis 12.01.2027");
    }

    #[test]
    fn an_unknown_key_shows_itself_and_an_unset_placeholder_stays() {
        let en = Locale::load("en", None).unwrap();
        assert_eq!(crate::text!("no-such-key").render(&en), "msg.no-such-key");
        assert_eq!(Text::default().render(&en), "");
        let t = text!("license-osi.not-approved", pkg = "`a`");
        assert_eq!(t.render(&en), "`a` is used under {ids}, not OSI-approved");
    }

    /// The placeholders of a locale string, sorted.
    fn placeholders(s: &str) -> Vec<&str> {
        let mut out: Vec<&str> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(name, _)| name))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every key the code writes (`text!("…"`), from the sources.
    fn keys_in_code() -> std::collections::BTreeSet<String> {
        fn walk(dir: &std::path::Path, out: &mut std::collections::BTreeSet<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let src = std::fs::read_to_string(&path).unwrap();
                    for part in src.split("text!(").skip(1) {
                        let Some(rest) = part.trim_start().strip_prefix('"') else {
                            continue;
                        };
                        let key = rest.split('"').next().unwrap();
                        let is_key = !key.is_empty()
                            && key.chars().all(|c| {
                                c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c)
                            });
                        if is_key {
                            out.insert(key.to_owned());
                        }
                    }
                }
            }
        }
        let mut keys = std::collections::BTreeSet::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut keys,
        );
        keys
    }

    #[test]
    fn every_message_key_is_worded_in_every_language_with_the_same_placeholders() {
        let en = Locale::load("en", None).unwrap();
        let de = Locale::load("de", None).unwrap();
        let used = keys_in_code();
        // The sources hold these few as examples in docs and tests.
        let used: Vec<&String> = used
            .iter()
            .filter(|k| !["key", "no-such-key"].contains(&k.as_str()))
            .collect();
        assert!(used.len() > 100, "too few keys found: {}", used.len());
        let mut problems = Vec::new();
        for key in &used {
            let full = format!("msg.{key}");
            match (en.message(key), de.message(key)) {
                (Some(e), Some(d)) if placeholders(e) != placeholders(d) => problems.push(format!(
                    "{full}: en has {:?}, de has {:?}",
                    placeholders(e),
                    placeholders(d)
                )),
                (Some(_), Some(_)) => {}
                (e, d) => problems.push(format!(
                    "{full}: en {}, de {}",
                    if e.is_some() { "has it" } else { "lacks it" },
                    if d.is_some() { "has it" } else { "lacks it" }
                )),
            }
        }
        // A worded key no code writes is dead text, or a typo on one side.
        for k in en
            .keys()
            .filter_map(|k| k.strip_prefix("msg.").map(str::to_owned))
        {
            if !used.iter().any(|u| u.as_str() == k) {
                problems.push(format!("msg.{k} is in en.toml but no code writes it"));
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
