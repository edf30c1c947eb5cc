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

use crate::kb;

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
    why: Option<String>,
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

#[derive(Debug)]
struct Alias {
    /// Lower-case (ASCII), single-spaced.
    name: String,
    spdx: String,
    why: Option<String>,
}

#[derive(Debug)]
struct Table {
    /// Sorted longest name first, so the first match is the longest.
    aliases: Vec<Alias>,
    patterns: Vec<(Regex, String)>,
    license_file_prefixes: Vec<String>,
    /// Lower-case SPDX licence id → id.
    ids_lower: HashMap<String, &'static str>,
    /// Lower-case SPDX exception id → id.
    exceptions_lower: HashMap<String, &'static str>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let raw: RawTable = kb::parse_builtin(kb::LICENSE_LENIENT);
    let mut aliases: Vec<Alias> = raw
        .alias
        .into_iter()
        .flat_map(|a| {
            a.names
                .into_iter()
                .map(|n| Alias {
                    name: normalise(&n).to_ascii_lowercase(),
                    spdx: a.spdx.clone(),
                    why: a.why.clone(),
                })
                .collect::<Vec<_>>()
        })
        .collect();
    aliases.sort_by(|a, b| b.name.len().cmp(&a.name.len()).then(a.name.cmp(&b.name)));
    let patterns = raw
        .pattern
        .into_iter()
        .map(|p| {
            let re = RegexBuilder::new(&format!("^(?:{})$", p.regex))
                .case_insensitive(true)
                .build();
            match re {
                Ok(re) => (re, p.spdx),
                Err(e) => panic!("built-in lenient pattern `{}` is invalid: {e}", p.regex),
            }
        })
        .collect();
    Table {
        aliases,
        patterns,
        license_file_prefixes: raw
            .license_file
            .into_iter()
            .flat_map(|l| l.prefixes)
            .map(|p| p.to_ascii_lowercase())
            .collect(),
        ids_lower: spdx::identifiers::LICENSES
            .iter()
            .map(|l| (l.name.to_ascii_lowercase(), l.name))
            .collect(),
        exceptions_lower: spdx::identifiers::EXCEPTIONS
            .iter()
            .map(|e| (e.name.to_ascii_lowercase(), e.name))
            .collect(),
    }
});

/// What the lenient reading made of a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reading {
    /// An SPDX expression (canonical text) and the rewrites that produced it.
    Expression { text: String, rewrites: Vec<String> },
    /// The string names a licence file instead of a licence.
    LicenseFile(String),
}

/// Collapses runs of whitespace into one space and trims.
fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads `raw` leniently; `None` when some part cannot be read.
pub(crate) fn read(raw: &str) -> Option<Reading> {
    let table = &*TABLE;
    let s = normalise(raw);
    let lower = s.to_ascii_lowercase();
    for p in &table.license_file_prefixes {
        if let Some(rest) = lower.strip_prefix(p.as_str()) {
            let file = s[s.len() - rest.len()..].trim();
            return Some(Reading::LicenseFile(file.to_owned()));
        }
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

fn tokenize<'a>(table: &Table, s: &'a str, lower: &str) -> Option<Vec<Tok<'a>>> {
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
fn assemble(table: &Table, tokens: &[Tok<'_>], rewrites: &mut Vec<String>) -> Option<String> {
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
    rewrites.push("`,` read as `AND` (every listed licence applies)".to_owned());
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
    table: &Table,
    tokens: &[Tok<'_>],
    rewrites: &mut Vec<String>,
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
                rewrites.push("`,` read as `AND` (every listed licence applies)".to_owned());
                push(&mut out, "AND");
            }
            Tok::Slash => {
                rewrites.push("`/` read as `OR`".to_owned());
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
                    Some(why) => format!("`{orig}` → `{}` ({why})", a.spdx),
                    None => format!("`{orig}` → `{}`", a.spdx),
                });
                if a.spdx.contains(' ') && tokens.len() > 1 {
                    push(&mut out, &format!("({})", a.spdx));
                } else {
                    push(&mut out, &a.spdx);
                }
            }
            Tok::Word(w) if was_with => push(&mut out, &exception(table, w, rewrites)?),
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
    rewrites: &mut Vec<String>,
    push: impl Fn(&mut String, &str),
) {
    // The `spdx` crate accepts all-lower-case operators in strict mode too.
    if word != canonical && word != canonical.to_ascii_lowercase() {
        rewrites.push(format!("`{word}` read as `{canonical}`"));
    }
    push(out, canonical);
}

fn exception(table: &Table, word: &str, rewrites: &mut Vec<String>) -> Option<String> {
    if spdx::exception_id(word).is_some() || word.starts_with("AdditionRef-") {
        return Some(word.to_owned());
    }
    let id = table.exceptions_lower.get(&word.to_ascii_lowercase())?;
    rewrites.push(format!("`{word}` → `{id}`"));
    Some((*id).to_owned())
}

/// One licence term: an id (any case, GNU `+`), a ref, or a table pattern.
fn term(table: &Table, word: &str, rewrites: &mut Vec<String>) -> Option<String> {
    if word.starts_with("LicenseRef-") || word.starts_with("DocumentRef-") {
        return Some(word.to_owned());
    }
    let (base, plus) = match word.strip_suffix('+') {
        Some(b) => (b, true),
        None => (word, false),
    };
    let id = match spdx::license_id(base) {
        Some(id) if id.name == base => Some(id),
        _ => table
            .ids_lower
            .get(&base.to_ascii_lowercase())
            .and_then(|n| spdx::license_id(n)),
    };
    if let Some(id) = id {
        if plus && id.is_gnu() {
            let stem = id.name.strip_suffix("-only").unwrap_or(id.name);
            let or_later = spdx::gnu_license_id(stem, true)?;
            rewrites.push(format!("`{word}` → `{}`", or_later.name));
            return Some(or_later.name.to_owned());
        }
        let text = if plus {
            format!("{}+", id.name)
        } else {
            id.name.to_owned()
        };
        if text != word {
            rewrites.push(format!("`{word}` → `{text}`"));
        }
        return Some(text);
    }
    let (_, spdx) = table.patterns.iter().find(|(re, _)| re.is_match(word))?;
    rewrites.push(format!("`{word}` → `{spdx}`"));
    Some(spdx.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expect: &str, expect_rewrites: &[&str]) {
        match read(raw) {
            Some(Reading::Expression { text, rewrites }) => {
                assert_eq!(text, expect, "{raw}");
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
    fn bsd_is_ambiguous_and_says_why() {
        let Some(Reading::Expression { text, rewrites }) = read("BSD") else {
            panic!()
        };
        assert_eq!(text, "LicenseRef-sovra-ambiguous-BSD");
        assert!(rewrites[0].contains("no BSD variant named"), "{rewrites:?}");
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
        assert_eq!(read("MIT (http://mootools.net/license.txt)"), None);
        assert_eq!(read("Apache-2.0 WITH nonsense"), None);
        assert_eq!(read(""), None);
        assert_eq!(read("(MIT"), None);
    }
}
