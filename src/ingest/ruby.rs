//! Ruby ingest: `Gemfile.lock`.
//!
//! Sections `GEM`, `GIT` and `PATH` each give a `remote:` and, under `specs:`, the locked
//! gems (`name (version[-platform])`, four spaces in) with what each needs (six spaces
//! in). `DEPENDENCIES` lists the project's direct dependencies (a `!` marks one from a
//! `GIT` or `PATH` source). The lock records no groups (development, test live in the
//! `Gemfile`), so every edge is read as run time, and no licences.

use std::borrow::Cow;
use std::path::Path;

use super::flat::{self, Flat};
use super::input_file;
use crate::error::{Error, Result};
use crate::model::{DocumentMeta, Ecosystem, EdgeKind, InputFormat, Inventory, SourceKind};

/// Whether `text` reads as a `Gemfile.lock`: a source section opens it, a `remote:`
/// follows.
pub(crate) fn looks_like_gemfile_lock(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim_ascii().is_empty());
    matches!(lines.next(), Some("GEM" | "GIT" | "PATH" | "PLUGIN SOURCE"))
        && lines.next().is_some_and(|l| l.starts_with("  remote:"))
}

/// `name (version)` → name and version; `None` when the shape is wrong.
fn name_version(s: &str) -> Option<(&str, Option<&str>)> {
    // Spaces are ASCII ones, as Bundler's own parser reads them.
    let s = s.trim_ascii();
    // `name (version)`: the first ` (`, found by its space (a gem name has none).
    match s.bytes().position(|b| b == b' ') {
        Some(i) if s.as_bytes().get(i + 1) == Some(&b'(') => {
            Some((&s[..i], Some(s[i + 2..].strip_suffix(')')?)))
        }
        Some(_) => None,
        None if !s.is_empty() => Some((s.trim_end_matches('!'), None)),
        None => None,
    }
}

/// Parses a `Gemfile.lock`.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Inventory> {
    let bytes = text.as_bytes();
    let meta = DocumentMeta {
        has_dependencies: true,
        ..DocumentMeta::default()
    };
    let mut inv = Inventory::new();
    let input = inv.add_input(input_file(path, InputFormat::GemfileLock, meta));
    let project = flat::project(path, Ecosystem::Gem, None, None, input);
    // A locked gem per line indented by four spaces: counted first, so the list of
    // gems (a package each) is not copied as it grows; a hint, bounded like
    // `Inventory::reserve`.
    let gems = memchr::memchr_iter(b'\n', bytes)
        .filter(|&i| {
            let line = &bytes[i + 1..];
            line.starts_with(b"    ") && line.get(4).is_some_and(|&b| b != b' ')
        })
        .count();
    inv.reserve(gems + 1);
    let mut out = Flat::new(&mut inv, project);
    out.locked.reserve(gems.min(Inventory::RESERVE_AT_MOST));
    let mut direct = Vec::new();
    let mut section = "";
    let mut remote: Option<&str> = None;
    let mut revision: Option<&str> = None;
    let mut in_specs = false;
    for (n, line) in super::lines(text).enumerate() {
        // Indents and separators are ASCII spaces, as Bundler reads them.
        let body = line.trim_ascii();
        if body.is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_ascii_start().len();
        let bad = |what: &str| {
            Error::at(
                path,
                n + 1,
                indent + 1,
                format!("{what}: expected `name (version)`"),
            )
        };
        if indent == 0 {
            section = body;
            remote = None;
            revision = None;
            in_specs = false;
            continue;
        }
        match section {
            "GEM" | "GIT" | "PATH" | "PLUGIN SOURCE" => {
                if indent == 2 {
                    in_specs = body == "specs:";
                    if let Some(r) = body.strip_prefix("remote:") {
                        remote = Some(r.trim_ascii());
                    } else if let Some(r) = body.strip_prefix("revision:") {
                        revision = Some(r.trim_ascii());
                    }
                } else if in_specs && indent == 4 {
                    let Some((name, Some(version))) = name_version(body) else {
                        return Err(bad("a locked gem"));
                    };
                    // `1.13.0-x86_64-linux`: the version, then the platform.
                    let (version, platform) = match version.bytes().position(|b| b == b'-') {
                        Some(i) => (&version[..i], Some(&version[i + 1..])),
                        None => (version, None),
                    };
                    let source = match (section, remote) {
                        ("GEM", Some(r)) if r.trim_end_matches('/') == "https://rubygems.org" => {
                            SourceKind::DefaultRegistry
                        }
                        ("GEM", Some(r)) => SourceKind::Registry(r.to_owned()),
                        ("GIT", Some(r)) => SourceKind::Git(match revision {
                            Some(rev) => format!("{r}#{rev}"),
                            None => r.to_owned(),
                        }),
                        ("PATH", Some(r)) => SourceKind::Path(r.to_owned()),
                        _ => SourceKind::Unknown,
                    };
                    let mut purl =
                        (section == "GEM").then(|| flat::purl("gem", name, Some(version)));
                    if let (Some(p), Some(platform)) = (&mut purl, platform) {
                        p.push_str("?platform=");
                        p.push_str(&flat::encode(platform));
                    }
                    let pkg =
                        flat::package(Ecosystem::Gem, name, Some(version), purl, source, input);
                    out.lock(&mut inv, pkg, Vec::new(), EdgeKind::Runtime);
                } else if in_specs && indent == 6 {
                    let Some((dep, _)) = name_version(body) else {
                        return Err(bad("a gem's dependency"));
                    };
                    let Some(last) = out.locked.last_mut() else {
                        return Err(bad("a dependency before any gem"));
                    };
                    last.deps.push((Cow::Borrowed(dep), EdgeKind::Runtime));
                } else if in_specs {
                    // Bundler writes no other indent here: a line it would skip is
                    // said, not dropped.
                    return Err(Error::at(
                        path,
                        n + 1,
                        indent + 1,
                        "under `specs:`, a gem is indented by four spaces and what it needs by six",
                    ));
                }
            }
            "DEPENDENCIES" => {
                let Some((dep, _)) = name_version(line) else {
                    return Err(bad("a dependency"));
                };
                direct.push((Cow::Borrowed(dep.trim_end_matches('!')), EdgeKind::Runtime));
            }
            _ => {}
        }
    }
    // A lock without `DEPENDENCIES` leaves the direct dependencies to inference.
    if !direct.is_empty() {
        out.direct = Some(direct);
    }
    out.into_inventory(&mut inv, input, flat::exact);
    inv.finish();
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_specs_and_dependencies() {
        let lock = "GIT\n  remote: https://example.org/u.git\n  revision: abc\n  specs:\n    \
            u (2.0)\n      rack (~> 2.0)\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    \
            rack (2.2.3)\n    nokogiri (1.13.0-x86_64-linux)\n\nPLATFORMS\n  x86_64-linux\n\n\
            DEPENDENCIES\n  u!\n  nokogiri\n\nBUNDLED WITH\n   2.2.28\n";
        assert!(looks_like_gemfile_lock(lock));
        let inv = parse(Path::new("Gemfile.lock"), lock).unwrap();
        assert_eq!(inv.packages.len(), 4);
        assert_eq!(inv.edges.len(), 3);
        assert_eq!(
            inv.packages[3].purl(),
            Some("pkg:gem/nokogiri@1.13.0?platform=x86_64-linux")
        );
        assert_eq!(
            inv.packages[1].source,
            SourceKind::Git("https://example.org/u.git#abc".into())
        );
        let e = parse(
            Path::new("Gemfile.lock"),
            "GEM\n  remote: https://rubygems.org/\n  specs:\n    invalid-name\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Gemfile.lock:4:5: a locked gem: expected `name (version)`"
        );
    }

    #[test]
    fn indents_are_ascii_spaces_as_bundler_counts_them() {
        // A no-break space after the four-space indent is part of the gem's name, as in
        // Bundler's own parser, not more indent (which made it a dependency of nothing).
        let lock = "GEM\n  remote: https://rubygems.org/\n  specs:\n    \u{a0}odd (1.0)\n    \
            rack (2.2.3)\n      odd\n\nDEPENDENCIES\n  rack\n";
        let inv = parse(Path::new("Gemfile.lock"), lock).unwrap();
        let names: Vec<&str> = inv.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["project", "\u{a0}odd", "rack"]);
        // `odd` names no locked gem: said, not guessed.
        assert!(
            inv.notices
                .iter()
                .any(|n| n.message.to_string().contains("`odd`"))
        );
        // A tab is no indent Bundler writes: the line is an error at its first word,
        // as is any indent under `specs:` but four and six spaces.
        for (line, col) in [
            ("    \track (2.2.3)", 6),
            ("        deep (1)", 9),
            (" odd (1)", 2),
        ] {
            let lock = format!("GEM\n  remote: https://rubygems.org/\n  specs:\n{line}\n");
            let e = parse(Path::new("Gemfile.lock"), &lock).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "Gemfile.lock:4:{col}: under `specs:`, a gem is indented by four spaces \
                     and what it needs by six"
                ),
                "{line:?}"
            );
        }
    }
}
