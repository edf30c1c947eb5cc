//! Locales: every user-visible word of a report and of a finding's message, and how
//! numbers and dates are written.
//!
//! The built-in locales (`report-templates/locales/{de,en}.toml`) are embedded in the
//! binary. A `--templates DIR` holding `locales/<lang>.toml` layers its keys over the
//! built-in ones, so a house style can reword a label without copying the whole file.
//! Keys are flattened (`[verdict] compliant = …` becomes `verdict.compliant`); a key a
//! template asks for with `t` and no locale has is an error, never a blank. Keys under
//! `rule.<ID>.` are optional translations of catalogue text, read with `tr(key,
//! fallback)`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};

const DE: &str = include_str!("../report-templates/locales/de.toml");
const EN: &str = include_str!("../report-templates/locales/en.toml");

/// The built-in English locale, parsed once: the language of terminals and machine
/// output.
pub(crate) fn english() -> &'static Locale {
    static EN_LOCALE: std::sync::OnceLock<Locale> = std::sync::OnceLock::new();
    EN_LOCALE.get_or_init(|| {
        // The built-in file is part of the binary and parsed by a test; failing here
        // would mean the binary itself is broken.
        Locale::load("en", None).expect("the built-in English locale parses")
    })
}

/// The languages sovra ships.
pub(crate) const LANGS: [&str; 2] = ["de", "en"];

/// The strings and number/date conventions of one language.
#[derive(Debug, Clone)]
pub(crate) struct Locale {
    pub lang: String,
    strings: BTreeMap<String, String>,
    /// The `msg.*` strings, by the key after `msg.`: findings' messages are looked up
    /// many thousand times a run, without building the full key each time.
    messages: BTreeMap<String, String>,
    decimal: String,
    group: String,
}

impl Locale {
    /// The built-in locale for `lang`, with `DIR/locales/<lang>.toml` layered on top
    /// when `dir` is given and the file exists.
    pub(crate) fn load(lang: &str, dir: Option<&Path>) -> Result<Locale> {
        let builtin = match lang {
            "de" => DE,
            "en" => EN,
            other => {
                return Err(Error::Usage(format!(
                    "unknown language `{other}` (expected one of: {})",
                    LANGS.join(", ")
                )));
            }
        };
        let mut strings = BTreeMap::new();
        let builtin_path = format!("report-templates/locales/{lang}.toml");
        flatten_into(Path::new(&builtin_path), builtin, &mut strings, None)?;
        if let Some(dir) = dir {
            let path = dir.join("locales").join(format!("{lang}.toml"));
            if path.is_file() {
                let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
                let builtin = strings.clone();
                flatten_into(&path, &text, &mut strings, Some(&builtin))?;
            }
        }
        let get = |k: &str| {
            strings.get(k).cloned().ok_or_else(|| {
                Error::input(Path::new(&builtin_path), format!("locale has no key `{k}`"))
            })
        };
        let decimal = get("format.decimal")?;
        let group = get("format.group")?;
        // Messages move to their own map, keyed without the prefix.
        let (messages, strings): (BTreeMap<String, String>, BTreeMap<String, String>) = strings
            .into_iter()
            .partition(|(k, _)| k.starts_with("msg."));
        let messages = messages
            .into_iter()
            .map(|(k, v)| (k["msg.".len()..].to_owned(), v))
            .collect();
        Ok(Locale {
            lang: lang.to_owned(),
            strings,
            messages,
            decimal,
            group,
        })
    }

    /// The string for `key`, if the locale has it (messages: [`Locale::message`]).
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.strings.get(key).map(String::as_str)
    }

    /// The words of message `key` (the key after `msg.`), if the locale has them.
    pub(crate) fn message(&self, key: &str) -> Option<&str> {
        self.messages.get(key).map(String::as_str)
    }

    /// Every key, messages with their `msg.` prefix.
    #[cfg(test)]
    pub(crate) fn keys(&self) -> impl Iterator<Item = String> {
        self.strings
            .keys()
            .cloned()
            .chain(self.messages.keys().map(|k| format!("msg.{k}")))
    }

    /// `value` with `decimals` digits after the separator and grouped thousands.
    pub(crate) fn number(&self, value: f64, decimals: usize) -> String {
        let text = format!("{:.*}", decimals, value.abs());
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let mut out = String::new();
        // `-0` reads oddly: only a value that stays non-zero when rounded is negative.
        if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push('-');
        }
        let digits = int.len();
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (digits - i) % 3 == 0 {
                out.push_str(&self.group);
            }
            out.push(ch);
        }
        if !frac.is_empty() {
            out.push_str(&self.decimal);
            out.push_str(frac);
        }
        out
    }

    /// `value` with at most `decimals` digits after the separator, trailing zeros dropped.
    pub(crate) fn number_trimmed(&self, value: f64, decimals: usize) -> String {
        let text = self.number(value, decimals);
        if decimals == 0 || !text.contains(self.decimal.as_str()) {
            return text;
        }
        let text = text.trim_end_matches('0');
        text.strip_suffix(self.decimal.as_str())
            .unwrap_or(text)
            .to_owned()
    }

    /// A share (0–1) as a percentage.
    pub(crate) fn percent(&self, share: f64, decimals: usize) -> String {
        let n = self.number(share * 100.0, decimals);
        self.get("format.percent")
            .unwrap_or("{n}%")
            .replace("{n}", &n)
    }

    /// An ISO date (`YYYY-MM-DD`) the way the language writes it; other text unchanged.
    pub(crate) fn date(&self, iso: &str) -> String {
        self.date_as(iso, "format.date")
    }

    /// An ISO date in the language's short, all-digit form (`format.date-numeric`), as
    /// findings' messages write it; an RFC 3339 time in UTC per `format.timestamp`
    /// (`{iso}` keeps it as given); other text unchanged.
    pub(crate) fn date_numeric(&self, iso: &str) -> String {
        if let Ok(t) = iso.parse::<jiff::Timestamp>() {
            let utc = t.to_zoned(jiff::tz::TimeZone::UTC);
            let date = self.date_as(&utc.date().to_string(), "format.date-numeric");
            return self
                .get("format.timestamp")
                .unwrap_or("{iso}")
                .replace("{iso}", iso)
                .replace("{date}", &date)
                .replace("{HH}", &format!("{:02}", utc.hour()))
                .replace("{MM}", &format!("{:02}", utc.minute()));
        }
        self.date_as(iso, "format.date-numeric")
    }

    fn date_as(&self, iso: &str, key: &str) -> String {
        let Ok(d) = iso.parse::<jiff::civil::Date>() else {
            return iso.to_owned();
        };
        let month = self
            .get(&format!("month.m{}", d.month()))
            .unwrap_or_default();
        self.get(key)
            .unwrap_or("{yyyy}-{mm}-{dd}")
            .replace("{yyyy}", &format!("{:04}", d.year()))
            .replace("{mm}", &format!("{:02}", d.month()))
            .replace("{dd}", &format!("{:02}", d.day()))
            .replace("{d}", &d.day().to_string())
            .replace("{month}", month)
    }
}

/// Reads one locale file into `out`. With `known` (a house-style file layered over the
/// built-in locale), a key the built-in locale does not have is an error at its line and
/// column: a misspelt `titel` must not be ignored. Keys that add translations
/// (`rule.*`, `formula.*`, `label.*`) are open.
fn flatten_into(
    path: &Path,
    text: &str,
    out: &mut BTreeMap<String, String>,
    known: Option<&BTreeMap<String, String>>,
) -> Result<()> {
    use toml::de::{DeTable, DeValue};
    let table = DeTable::parse(text).map_err(|e| {
        let (line, col) = e
            .span()
            .map_or((1, 1), |s| crate::error::line_col(text, s.start));
        Error::at(path, line, col, e.message().to_owned())
    })?;
    let mut problems = Vec::new();
    let mut stack: Vec<(String, &DeTable<'_>)> = vec![(String::new(), table.get_ref())];
    while let Some((prefix, table)) = stack.pop() {
        for (k, v) in table {
            let key = if prefix.is_empty() {
                k.get_ref().to_string()
            } else {
                format!("{prefix}.{}", k.get_ref())
            };
            let at = |problems: &mut Vec<crate::error::Problem>, message: String| {
                let (line, col) = crate::error::line_col(text, k.span().start);
                problems.push(crate::error::Problem::new(path, line, col, message));
            };
            match v.get_ref() {
                DeValue::String(s) => {
                    let open = ["rule.", "formula.", "label."]
                        .iter()
                        .any(|p| key.starts_with(p));
                    if let Some(known) = known
                        && !open
                        && !known.contains_key(&key)
                    {
                        at(
                            &mut problems,
                            format!(
                                "unknown locale key `{key}`: the built-in locale has no such key"
                            ),
                        );
                    } else {
                        out.insert(key, s.to_string());
                    }
                }
                DeValue::Table(t) => stack.push((key, t)),
                _ => at(
                    &mut problems,
                    format!("locale key `{key}` must be a string or a table"),
                ),
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        problems.sort_by_key(|p| (p.line, p.column));
        Err(Error::Invalid(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_per_language() {
        let de = Locale::load("de", None).unwrap();
        let en = Locale::load("en", None).unwrap();
        assert_eq!(de.number(1234.5, 1), "1.234,5");
        assert_eq!(en.number(1234.5, 1), "1,234.5");
        assert_eq!(en.number(1234567.0, 0), "1,234,567");
        assert_eq!(de.number(-0.04, 1), "0,0");
        assert_eq!(de.number(-12.0, 0), "-12");
        assert_eq!(de.date("2026-11-22"), "22.11.2026");
        assert_eq!(en.date("2026-11-22"), "22 November 2026");
        assert_eq!(de.date_numeric("2026-11-01"), "01.11.2026");
        assert_eq!(
            de.date_numeric("2026-11-01T09:05:00+01:00"),
            "01.11.2026, 08:05 UTC"
        );
        assert_eq!(
            en.date_numeric("2026-11-01T09:05:00Z"),
            "2026-11-01T09:05:00Z"
        );
        assert_eq!(de.date_numeric("not a date"), "not a date");
        assert_eq!(de.percent(0.425, 1), "42,5\u{a0}%");
        assert_eq!(de.number_trimmed(0.136, 3), "0,136");
        assert_eq!(de.number_trimmed(26.0, 3), "26");
        assert_eq!(de.number_trimmed(1250.5, 3), "1.250,5");
        assert_eq!(en.number_trimmed(0.1, 3), "0.1");
        assert_eq!(en.percent(0.425, 0), "42%");
    }

    #[test]
    fn both_locales_have_the_same_keys() {
        let de = Locale::load("de", None).unwrap();
        let en = Locale::load("en", None).unwrap();
        // `rule.*` are optional translations of catalogue text (English is the catalogue),
        // `formula.*` of the score's formulas (English is the score's own).
        let optional = |k: &String| k.starts_with("rule.") || k.starts_with("formula.");
        let de_keys: Vec<String> = de.keys().filter(|k| !optional(k)).collect();
        let en_keys: Vec<String> = en.keys().filter(|k| !optional(k)).collect();
        let only_de: Vec<_> = de_keys.iter().filter(|k| !en_keys.contains(k)).collect();
        let only_en: Vec<_> = en_keys.iter().filter(|k| !de_keys.contains(k)).collect();
        assert!(
            only_de.is_empty() && only_en.is_empty(),
            "only in de: {only_de:?}; only in en: {only_en:?}"
        );
    }

    #[test]
    fn every_catalogue_rule_has_german_texts() {
        let de = Locale::load("de", None).unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/catalogue");
        let mut ids = Vec::new();
        let mut own = Vec::new();
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let doc: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
                let id = doc["id"].as_str().unwrap().to_owned();
                // A rule may carry its German words in its own file (`[text.de]`).
                if let Some(de) = doc.get("text").and_then(|t| t.get("de")) {
                    for part in ["summary", "why", "resolve"] {
                        if de
                            .get(part)
                            .and_then(|v| v.as_str())
                            .is_none_or(|t| t.trim().is_empty())
                        {
                            missing.push(format!("{}: text.de.{part}", path.display()));
                        }
                    }
                    own.push(id);
                    continue;
                }
                ids.push(id);
            }
        }
        assert!(ids.len() > 20, "catalogue not found in {}", dir.display());
        for id in &ids {
            for part in ["summary", "why", "resolve"] {
                let key = format!("rule.{id}.{part}");
                if de.get(&key).is_none_or(|t| t.trim().is_empty()) {
                    missing.push(key);
                }
            }
        }
        assert!(missing.is_empty(), "de.toml lacks: {missing:?}");
        // A translation for a rule that is not in the catalogue is a typo.
        let stray: Vec<String> = de
            .keys()
            .filter(|k| k.starts_with("rule."))
            .filter(|k| {
                !ids.iter()
                    .any(|id| k.split('.').nth(1) == Some(id.as_str()))
            })
            .collect();
        assert!(
            stray.is_empty(),
            "de.toml has texts for unknown rules: {stray:?}"
        );
    }

    #[test]
    fn unknown_language_is_a_usage_error() {
        let e = Locale::load("fr", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown language `fr` (expected one of: de, en)"
        );
    }
}
