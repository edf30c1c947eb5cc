//! The lenient reading of licence strings that are not valid SPDX, driven by the data
//! table `rules/licenses/lenient.toml`.
//!
//! The string is cut into tokens: parentheses, `/` and `,` separators, licence names
//! from the table (longest match, case-insensitive), operators in any case, and words.
//! Each word becomes an SPDX term (exact id, id in the wrong case, GNU `+`, a table
//! pattern); the tokens are joined into an SPDX expression which must then parse. Every
//! change is recorded as a human-readable rewrite; if any part cannot be read, the
//! whole string stays unparseable: nothing is guessed silently.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use std::path::Path;

use crate::error::{Error, Problem, Result};
use crate::kb;
use crate::text;
use crate::text::{Arg, Text};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTable {
    #[serde(default)]
    alias: Vec<RawAlias>,
    #[serde(default)]
    pattern: Vec<RawPattern>,
    #[serde(default)]
    license_file: Vec<RawLicenseFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlias {
    names: Vec<String>,
    spdx: String,
    /// Why: one text (English), or one per language (`why.en`, `why.de`, …), English
    /// being the fallback.
    why: Option<Why>,
}

/// The words of a lenient reading's reason.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Why {
    English(String),
    PerLanguage(std::collections::BTreeMap<String, String>),
}

impl Why {
    fn per_language(&self) -> std::collections::BTreeMap<String, String> {
        match self {
            Why::English(en) => [("en".to_owned(), en.clone())].into(),
            Why::PerLanguage(words) => words.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    regex: String,
    spdx: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLicenseFile {
    prefixes: Vec<String>,
}

#[derive(Debug, Clone)]
struct Alias {
    /// Lower-case (ASCII), single-spaced; URLs without scheme (see [`url_key`]).
    name: String,
    spdx: String,
    /// Why, when the reading is a judgement: `(lang, words)`, English first.
    why: Option<Vec<(&'static str, String)>>,
}

/// The lenient table: the built-in `rules/licenses/lenient.toml`, optionally with a
/// user file (same format) layered on top.
#[derive(Debug, Clone)]
pub(crate) struct LenientTable {
    /// Sorted longest name first, so the first match is the longest.
    aliases: Vec<Alias>,
    patterns: Vec<(Regex, String)>,
    license_file_prefixes: Vec<String>,
}

/// Lower-case SPDX licence id → id.
static IDS_LOWER: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    spdx::identifiers::LICENSES
        .iter()
        .map(|l| (l.name.to_ascii_lowercase(), l.name))
        .collect()
});

/// Lower-case SPDX exception id → id.
static EXCEPTIONS_LOWER: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    spdx::identifiers::EXCEPTIONS
        .iter()
        .map(|e| (e.name.to_ascii_lowercase(), e.name))
        .collect()
});

static BUILTIN: LazyLock<LenientTable> = LazyLock::new(|| {
    let raw: RawTable = kb::parse_builtin(kb::LICENSE_LENIENT);
    match LenientTable::from_raw(raw) {
        Ok(t) => t,
        Err(problems) => panic!("built-in lenient table is invalid: {problems:?}"),
    }
});

impl LenientTable {
    /// The table shipped in `rules/licenses/lenient.toml`.
    pub(crate) fn builtin() -> &'static LenientTable {
        &BUILTIN
    }

    /// Builds a table; every target must be a valid SPDX expression and every pattern a
    /// valid regular expression. Problems are `(offending text, message)`.
    fn from_raw(raw: RawTable) -> Result<LenientTable, Vec<(String, String)>> {
        let mut problems = Vec::new();
        let mut check_target = |t: &str| {
            if let Err(e) = spdx::Expression::parse_mode(t, super::SPEC_MODE) {
                problems.push((
                    t.to_owned(),
                    format!("not a valid SPDX expression: {}", e.reason),
                ));
            }
        };
        for a in &raw.alias {
            check_target(&a.spdx);
        }
        for p in &raw.pattern {
            check_target(&p.spdx);
        }
        for a in &raw.alias {
            for lang in a.why.iter().flat_map(|w| w.per_language().into_keys()) {
                if !crate::locale::LANGS.contains(&lang.as_str()) {
                    problems.push((
                        a.spdx.clone(),
                        format!(
                            "`why.{lang}`: no such language (known: {})",
                            crate::locale::LANGS.join(", ")
                        ),
                    ));
                }
            }
        }
        let mut patterns = Vec::new();
        for p in raw.pattern {
            match RegexBuilder::new(&format!("^(?:{})$", p.regex))
                .case_insensitive(true)
                .build()
            {
                Ok(re) => patterns.push((re, p.spdx)),
                Err(e) => problems.push((p.regex.clone(), format!("not a valid pattern: {e}"))),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut aliases: Vec<Alias> = raw
            .alias
            .into_iter()
            .flat_map(|a| {
                a.names
                    .into_iter()
                    .map(|n| Alias {
                        name: url_key(&normalise(&n).to_ascii_lowercase()),
                        spdx: a.spdx.clone(),
                        why: a.why.as_ref().map(|words| {
                            // English first: the fallback of every language.
                            let mut w: Vec<(&'static str, String)> = words
                                .per_language()
                                .into_iter()
                                .filter_map(|(lang, text)| {
                                    let lang =
                                        *crate::locale::LANGS.iter().find(|l| **l == lang)?;
                                    Some((lang, text))
                                })
                                .collect();
                            w.sort_by_key(|(lang, _)| *lang != "en");
                            w
                        }),
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        sort_aliases(&mut aliases);
        Ok(LenientTable {
            aliases,
            patterns,
            license_file_prefixes: raw
                .license_file
                .into_iter()
                .flat_map(|l| l.prefixes)
                .map(|p| p.to_ascii_lowercase())
                .collect(),
        })
    }

    #[cfg_attr(not(test), allow(dead_code))] // for tests only
    /// This table with a user file layered on top: its aliases replace built-in ones
    /// of the same name, its patterns are tried first. Every problem (syntax, unknown
    /// field, invalid target or pattern) is reported with its position.
    pub(crate) fn layered(&self, path: &Path, text: &str) -> Result<LenientTable> {
        let raw: RawTable = kb::parse_toml(path, text)?;
        let user = LenientTable::from_raw(raw).map_err(|problems| {
            Error::Invalid(
                problems
                    .into_iter()
                    .map(|(what, msg)| {
                        let offset = text.find(&what).unwrap_or_default();
                        Problem::at_offset(path, text, offset, format!("`{what}`: {msg}"))
                    })
                    .collect(),
            )
        })?;
        let mut out = self.clone();
        out.aliases
            .retain(|a| !user.aliases.iter().any(|u| u.name == a.name));
        out.aliases.extend(user.aliases);
        sort_aliases(&mut out.aliases);
        let mut patterns = user.patterns;
        patterns.extend(out.patterns);
        out.patterns = patterns;
        out.license_file_prefixes.extend(user.license_file_prefixes);
        Ok(out)
    }
}

fn sort_aliases(aliases: &mut [Alias]) {
    aliases.sort_by(|a, b| b.name.len().cmp(&a.name.len()).then(a.name.cmp(&b.name)));
}

/// What the lenient reading made of a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reading {
    /// An SPDX expression (canonical text) and the rewrites that produced it.
    Expression { text: String, rewrites: Vec<Text> },
    /// The string names a licence file instead of a licence.
    LicenseFile(String),
}

/// A URL without scheme, `www.` and trailing `/`, so `http://www.x.org/` and
/// `https://x.org` compare equal; any other string unchanged.
fn url_key(lower: &str) -> String {
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return lower.to_owned();
    };
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    rest.trim_end_matches('/').to_owned()
}

/// A trailing link in parentheses or angle brackets: `MIT (https://…)`, `MIT <http://…>`.
static TRAILING_LINK: LazyLock<Regex> = LazyLock::new(|| {
    match Regex::new(r"(?i)^(.*?\S)\s*(\(\s*(see\s+)?https?://[^()]*\)|<\s*https?://[^<>]*>)$") {
        Ok(re) => re,
        Err(e) => panic!("trailing-link pattern is invalid: {e}"),
    }
});

/// Collapses runs of whitespace into one space and trims.
fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads `raw` leniently with the built-in table; `None` when some part cannot be read.
#[cfg(test)]
pub(crate) fn read(raw: &str) -> Option<Reading> {
    read_with(LenientTable::builtin(), raw)
}

/// Reads `raw` leniently with `table`; `None` when some part cannot be read.
pub(crate) fn read_with(table: &LenientTable, raw: &str) -> Option<Reading> {
    let s = normalise(raw);
    let lower = s.to_ascii_lowercase();
    for p in &table.license_file_prefixes {
        if let Some(rest) = lower.strip_prefix(p.as_str()) {
            let file = s[s.len() - rest.len()..].trim();
            return Some(Reading::LicenseFile(file.to_owned()));
        }
    }
    // Whole-string patterns are for spellings with spaces ("Apache License V2"); a
    // single word goes through the word rules below (ids in the wrong case first).
    let whole = s
        .contains(' ')
        .then(|| table.patterns.iter().find(|(re, _)| re.is_match(&s)))
        .flatten();
    if let Some((_, spdx)) = whole {
        if spdx::Expression::parse_mode(spdx, super::SPEC_MODE).is_ok() && s != *spdx {
            return Some(Reading::Expression {
                text: spdx.clone(),
                rewrites: vec![text!(
                    "rewrite.mapped",
                    from = s.to_string(),
                    to = spdx.to_string()
                )],
            });
        }
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let key = url_key(&lower);
        let a = table.aliases.iter().find(|a| a.name == key)?;
        return Some(Reading::Expression {
            text: a.spdx.clone(),
            rewrites: vec![text!("rewrite.mapped", from = s.to_string(), to = &a.spdx)],
        });
    }
    if let Some(c) = TRAILING_LINK.captures(&s) {
        let (head, link) = (c.get(1)?.as_str(), c.get(2)?.as_str());
        let head_reading = match spdx::Expression::parse_mode(head, super::SPEC_MODE) {
            Ok(_) => Reading::Expression {
                text: head.to_owned(),
                rewrites: Vec::new(),
            },
            Err(_) => read_with(table, head)?,
        };
        let Reading::Expression { text, rewrites } = head_reading else {
            return None;
        };
        let mut all = vec![text!("rewrite.link-dropped", link = link.to_string())];
        all.extend(rewrites);
        return Some(Reading::Expression {
            text,
            rewrites: all,
        });
    }
    let tokens = tokenize(table, &s, &lower)?;
    let mut rewrites = Vec::new();
    let text = assemble(table, &tokens, &mut rewrites)?;
    spdx::Expression::parse_mode(&text, super::SPEC_MODE).ok()?;
    let mut seen = std::collections::BTreeSet::new();
    rewrites.retain(|r| seen.insert(r.clone()));
    Some(Reading::Expression { text, rewrites })
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok<'a> {
    Open,
    Close,
    Slash,
    Comma,
    And(&'a str),
    Or(&'a str),
    With(&'a str),
    /// A table name, with the alias it matched.
    Alias(&'a str, usize),
    Word(&'a str),
}

fn is_boundary(c: Option<char>) -> bool {
    matches!(c, None | Some(' ' | '(' | ')' | ',' | '/'))
}

fn tokenize<'a>(table: &LenientTable, s: &'a str, lower: &str) -> Option<Vec<Tok<'a>>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < s.len() {
        let rest = &s[pos..];
        let c = rest.chars().next()?;
        match c {
            ' ' => {
                pos += 1;
                continue;
            }
            '(' => {
                out.push(Tok::Open);
                pos += 1;
                continue;
            }
            ')' => {
                out.push(Tok::Close);
                pos += 1;
                continue;
            }
            '/' => {
                out.push(Tok::Slash);
                pos += 1;
                continue;
            }
            ',' => {
                out.push(Tok::Comma);
                pos += 1;
                continue;
            }
            _ => {}
        }
        let lrest = &lower[pos..];
        if let Some((i, a)) = table.aliases.iter().enumerate().find(|(_, a)| {
            lrest.starts_with(a.name.as_str()) && is_boundary(lrest[a.name.len()..].chars().next())
        }) {
            out.push(Tok::Alias(&s[pos..pos + a.name.len()], i));
            pos += a.name.len();
            continue;
        }
        let end = rest.find([' ', '(', ')', ',', '/']).unwrap_or(rest.len());
        let word = &rest[..end];
        out.push(match word.to_ascii_lowercase().as_str() {
            "and" => Tok::And(word),
            "or" => Tok::Or(word),
            "with" => Tok::With(word),
            _ => Tok::Word(word),
        });
        pos += end;
    }
    Some(out)
}

/// Joins tokens into SPDX text. Top-level `,` lists become `AND` of their items.
fn assemble(table: &LenientTable, tokens: &[Tok<'_>], rewrites: &mut Vec<Text>) -> Option<String> {
    let mut segments: Vec<&[Tok<'_>]> = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Tok::Open => depth += 1,
            Tok::Close => depth -= 1,
            Tok::Comma if depth == 0 => {
                segments.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    segments.push(&tokens[start..]);
    let segments: Vec<&[Tok<'_>]> = segments.into_iter().filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return None;
    }
    if segments.len() == 1 {
        return assemble_segment(table, segments[0], rewrites);
    }
    rewrites.push(text!("rewrite.comma-and"));
    let mut parts = Vec::new();
    for seg in segments {
        let text = assemble_segment(table, seg, rewrites)?;
        parts.push(if seg.len() > 1 || text.contains(' ') {
            format!("({text})")
        } else {
            text
        });
    }
    Some(parts.join(" AND "))
}

fn assemble_segment(
    table: &LenientTable,
    tokens: &[Tok<'_>],
    rewrites: &mut Vec<Text>,
) -> Option<String> {
    let mut out = String::new();
    let mut after_with = false;
    let push = |out: &mut String, s: &str| {
        if !out.is_empty() && !out.ends_with('(') && s != ")" {
            out.push(' ');
        }
        out.push_str(s);
    };
    for t in tokens {
        let was_with = std::mem::replace(&mut after_with, false);
        match t {
            Tok::Open => push(&mut out, "("),
            Tok::Close => out.push(')'),
            Tok::Comma => {
                rewrites.push(text!("rewrite.comma-and"));
                push(&mut out, "AND");
            }
            Tok::Slash => {
                rewrites.push(text!("rewrite.slash-or"));
                push(&mut out, "OR");
            }
            Tok::And(w) => operator(&mut out, w, "AND", rewrites, push),
            Tok::Or(w) => operator(&mut out, w, "OR", rewrites, push),
            Tok::With(w) => {
                operator(&mut out, w, "WITH", rewrites, push);
                after_with = true;
            }
            Tok::Alias(orig, i) => {
                let a = &table.aliases[*i];
                rewrites.push(match &a.why {
                    Some(why) => text!(
                        "rewrite.mapped-why",
                        from = orig.to_string(),
                        to = &a.spdx,
                        why = Arg::PerLanguage(why.clone())
                    ),
                    None => text!("rewrite.mapped", from = orig.to_string(), to = &a.spdx),
                });
                if a.spdx.contains(' ') && tokens.len() > 1 {
                    push(&mut out, &format!("({})", a.spdx));
                } else {
                    push(&mut out, &a.spdx);
                }
            }
            Tok::Word(w) if was_with => push(&mut out, &exception(w, rewrites)?),
            Tok::Word(w) => {
                let term = term(table, w, rewrites)?;
                if term.contains(' ') && tokens.len() > 1 {
                    push(&mut out, &format!("({term})"));
                } else {
                    push(&mut out, &term);
                }
            }
        }
    }
    Some(out)
}

fn operator(
    out: &mut String,
    word: &str,
    canonical: &str,
    rewrites: &mut Vec<Text>,
    push: impl Fn(&mut String, &str),
) {
    // The `spdx` crate accepts all-lower-case operators in strict mode too.
    if word != canonical && word != canonical.to_ascii_lowercase() {
        rewrites.push(text!(
            "rewrite.case",
            word = word,
            canonical = canonical.to_string()
        ));
    }
    push(out, canonical);
}

fn exception(word: &str, rewrites: &mut Vec<Text>) -> Option<String> {
    if spdx::exception_id(word).is_some() || word.starts_with("AdditionRef-") {
        return Some(word.to_owned());
    }
    let id = EXCEPTIONS_LOWER.get(&word.to_ascii_lowercase())?;
    rewrites.push(text!("rewrite.mapped", from = word, to = id.to_string()));
    Some((*id).to_owned())
}

/// One licence term: an id (any case, GNU `+`), a ref, or a table pattern.
fn term(table: &LenientTable, word: &str, rewrites: &mut Vec<Text>) -> Option<String> {
    if word.starts_with("LicenseRef-") || word.starts_with("DocumentRef-") {
        return Some(word.to_owned());
    }
    let (base, plus) = match word.strip_suffix('+') {
        Some(b) => (b, true),
        None => (word, false),
    };
    let id = match spdx::license_id(base) {
        Some(id) if id.name == base => Some(id),
        _ => IDS_LOWER
            .get(&base.to_ascii_lowercase())
            .and_then(|n| spdx::license_id(n)),
    };
    if let Some(id) = id {
        if plus && id.is_gnu() {
            let stem = id.name.strip_suffix("-only").unwrap_or(id.name);
            let or_later = spdx::gnu_license_id(stem, true)?;
            rewrites.push(text!("rewrite.mapped", from = word, to = or_later.name));
            return Some(or_later.name.to_owned());
        }
        let text = if plus {
            format!("{}+", id.name)
        } else {
            id.name.to_owned()
        };
        if text != word {
            rewrites.push(text!("rewrite.mapped", from = word, to = text.to_string()));
        }
        return Some(text);
    }
    let (_, spdx) = table.patterns.iter().find(|(re, _)| re.is_match(word))?;
    rewrites.push(text!("rewrite.mapped", from = word, to = spdx.to_string()));
    Some(spdx.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expect: &str, expect_rewrites: &[&str]) {
        match read(raw) {
            Some(Reading::Expression { text, rewrites }) => {
                assert_eq!(text, expect, "{raw}");
                let rewrites: Vec<String> = rewrites.iter().map(ToString::to_string).collect();
                assert_eq!(rewrites, expect_rewrites, "{raw}");
            }
            other => panic!("{raw}: {other:?}"),
        }
    }

    #[test]
    fn brief_examples() {
        check("MIT/Apache-2.0", "MIT OR Apache-2.0", &["`/` read as `OR`"]);
        check("Apache 2.0", "Apache-2.0", &["`Apache 2.0` → `Apache-2.0`"]);
        check(
            "Apache License, Version 2.0",
            "Apache-2.0",
            &["`Apache License, Version 2.0` → `Apache-2.0`"],
        );
        check(
            "GPLv3+",
            "GPL-3.0-or-later",
            &["`GPLv3+` → `GPL-3.0-or-later`"],
        );
        check(
            "GPL-2.0+",
            "GPL-2.0-or-later",
            &["`GPL-2.0+` → `GPL-2.0-or-later`"],
        );
        check(
            "LGPL-2.1+",
            "LGPL-2.1-or-later",
            &["`LGPL-2.1+` → `LGPL-2.1-or-later`"],
        );
        check("MIT License", "MIT", &["`MIT License` → `MIT`"]);
        check(
            "The MIT License (MIT)",
            "MIT",
            &["`The MIT License (MIT)` → `MIT`"],
        );
        check("ISC License", "ISC", &["`ISC License` → `ISC`"]);
        check(
            "UNLICENSED",
            "LicenseRef-sovra-unlicensed-proprietary",
            &[
                "`UNLICENSED` → `LicenseRef-sovra-unlicensed-proprietary` (npm `UNLICENSED`: the author grants no licence (not the Unlicense))",
            ],
        );
        assert_eq!(
            read("SEE LICENSE IN LICENSE.md"),
            Some(Reading::LicenseFile("LICENSE.md".into()))
        );
        check(
            "https://opensource.org/licenses/MIT",
            "MIT",
            &["`https://opensource.org/licenses/MIT` → `MIT`"],
        );
    }

    #[test]
    fn whole_string_patterns_for_spelled_out_versions() {
        check(
            "Apache License V2",
            "Apache-2.0",
            &["`Apache License V2` → `Apache-2.0`"],
        );
        check("MIT License.", "MIT", &["`MIT License.` → `MIT`"]);
        check(
            "Mozilla Public License, v. 2.0",
            "MPL-2.0",
            &["`Mozilla Public License, v. 2.0` → `MPL-2.0`"],
        );
        check(
            "GNU GPL v3",
            "GPL-3.0-only",
            &["`GNU GPL v3` → `GPL-3.0-only`"],
        );
        check("gpl-2.0", "GPL-2.0", &["`gpl-2.0` → `GPL-2.0`"]);
        assert_eq!(read("Apache License V2 or something"), None);
    }

    #[test]
    fn links_are_matched_or_dropped() {
        check(
            "Http://www.opensource.org/licenses/MIT",
            "MIT",
            &["`Http://www.opensource.org/licenses/MIT` → `MIT`"],
        );
        check(
            "MIT (http://mootools.net/license.txt)",
            "MIT",
            &["`(http://mootools.net/license.txt)` dropped (a link, not a licence)"],
        );
        check(
            "Apache 2.0 <https://www.apache.org/licenses/>",
            "Apache-2.0",
            &[
                "`<https://www.apache.org/licenses/>` dropped (a link, not a licence)",
                "`Apache 2.0` → `Apache-2.0`",
            ],
        );
        assert_eq!(read("http://example.org/my-licence"), None);
        assert_eq!(read("Acme Licence (https://acme.example/licence)"), None);
    }

    #[test]
    fn bsd_is_ambiguous_and_says_why() {
        let Some(Reading::Expression { text, rewrites }) = read("BSD") else {
            panic!()
        };
        assert_eq!(text, "LicenseRef-sovra-ambiguous-BSD");
        assert!(
            rewrites[0].to_string().contains("no BSD variant named"),
            "{rewrites:?}"
        );
    }

    #[test]
    fn lists_names_case_and_exceptions() {
        check(
            "GPL-2.0, LGPL-2.1",
            "GPL-2.0 AND LGPL-2.1",
            &["`,` read as `AND` (every listed licence applies)"],
        );
        check(
            "MPL 2.0 or EPL 1.0",
            "MPL-2.0 OR EPL-1.0",
            &["`MPL 2.0` → `MPL-2.0`", "`EPL 1.0` → `EPL-1.0`"],
        );
        check(
            "BSD-3-clause",
            "BSD-3-Clause",
            &["`BSD-3-clause` → `BSD-3-Clause`"],
        );
        check(
            "Apache-2.0 with llvm-exception",
            "Apache-2.0 WITH LLVM-exception",
            &["`llvm-exception` → `LLVM-exception`"],
        );
        check(
            "CDDL+GPL",
            "CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0",
            &[
                "`CDDL+GPL` → `CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0` (GlassFish's dual licence: CDDL 1.1 or GPL 2.0 with the Classpath exception)",
            ],
        );
        check(
            "MIT, CDDL+GPL",
            "MIT AND (CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0)",
            &[
                "`,` read as `AND` (every listed licence applies)",
                "`CDDL+GPL` → `CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0` (GlassFish's dual licence: CDDL 1.1 or GPL 2.0 with the Classpath exception)",
            ],
        );
        check(
            "Apache License, Version 2.0 And MIT",
            "Apache-2.0 AND MIT",
            &[
                "`Apache License, Version 2.0` → `Apache-2.0`",
                "`And` read as `AND`",
            ],
        );
    }

    #[test]
    fn unreadable_parts_leave_the_whole_unreadable() {
        assert_eq!(read("Some random license"), None);
        assert_eq!(read("GPL-3.0, permissive, TinySCHEME"), None);
        assert_eq!(read("Apache-2.0 WITH nonsense"), None);
        assert_eq!(read(""), None);
        assert_eq!(read("(MIT"), None);
    }

    /// Every target of the table is a valid expression, and every `LicenseRef-sovra-*`
    /// it produces has a class of its own.
    #[test]
    fn table_targets_parse_and_sovra_refs_are_classed() {
        let table = LenientTable::builtin();
        let targets = table
            .aliases
            .iter()
            .map(|a| a.spdx.as_str())
            .chain(table.patterns.iter().map(|(_, s)| s.as_str()));
        let classes = crate::license::Classes::builtin();
        for t in targets {
            let e = spdx::Expression::parse_mode(t, crate::license::SPEC_MODE)
                .unwrap_or_else(|e| panic!("{t}: {e}"));
            for r in e.requirements() {
                if r.req.to_string().starts_with("LicenseRef-sovra-") {
                    assert_ne!(
                        classes.of_req(&r.req),
                        crate::license::Class::Unknown,
                        "{t}"
                    );
                }
            }
        }
        assert!(table.aliases.len() > 100);
        assert!(!table.license_file_prefixes.is_empty());
    }

    proptest::proptest! {
        /// Any string, however odd, is read or refused: never a panic, and what is
        /// read parses strictly.
        #[test]
        fn never_panics_and_results_parse(raw in "\\PC{0,40}") {
            check_any(&raw);
        }

        #[test]
        fn never_panics_on_licence_like_text(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "MIT", "mit", "Apache 2.0", "GPL-2.0+", "GPLv3+", "/", ",", "(", ")",
                    "and", "OR", "WITH", "LLVM-exception", "BSD", "Public Domain", "é", "，",
                    "SEE LICENSE IN", "LicenseRef-x", "+", "  ",
                ]),
                0..8,
            )
        ) {
            check_any(&parts.join(" "));
            check_any(&parts.concat());
        }
    }

    fn check_any(raw: &str) {
        if let Some(Reading::Expression { text, .. }) = read(raw) {
            assert!(
                spdx::Expression::parse_mode(&text, crate::license::SPEC_MODE).is_ok(),
                "{raw:?} -> {text:?}"
            );
        }
    }
}
