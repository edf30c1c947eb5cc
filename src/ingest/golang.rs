//! Go ingest: `go.mod`, with the `go.sum` beside it for content hashes.
//!
//! The module is the root; every `require` is one of its requirements, run time (Go
//! compiles no development dependencies into a module's build list; `tool` modules are
//! recorded as dev). Since Go 1.17 a `go.mod` lists the whole build list, the modules
//! the main module does not import itself marked `// indirect`: these are kept as
//! requirements of the module too (Go records no finer edges), and the mark is counted in
//! a notice. `replace` directives are applied (a local path replacement becomes a path
//! source); `exclude` and `retract` do not name dependencies. Go modules carry no licence
//! metadata; `enrich` asks the Go module ecosystem.

use hashbrown::{HashMap, HashSet};
use std::path::Path;

use super::flat;
use super::input_file;
use crate::error::{Error, Result};
use crate::model::{DocumentMeta, Ecosystem, EdgeKind, InputFormat, Inventory, SourceKind};

/// Whether `text` reads as a `go.mod`: its first directive is one of Go's.
pub(crate) fn looks_like_go_mod(text: &str) -> bool {
    let first = text
        .lines()
        .map(str::trim_ascii)
        .find(|l| !l.is_empty() && !l.starts_with("//"));
    // White space is ASCII, as the reader and Go's own take it.
    first.is_some_and(|l| {
        let word = l
            .split(|c: char| c.is_ascii_whitespace() || c == '(')
            .next();
        matches!(
            word,
            Some("module" | "go" | "require" | "replace" | "toolchain")
        ) && l.split_ascii_whitespace().count() >= 2
    })
}

#[derive(Debug)]
struct Require<'a> {
    path: &'a str,
    version: &'a str,
    indirect: bool,
    tool: bool,
}

/// A `replace` directive: the old version (any when absent), the new path and the new
/// version (a local path replacement has none).
#[derive(Debug, Clone, Copy)]
struct Replace<'a> {
    old_version: Option<&'a str>,
    new_path: &'a str,
    new_version: Option<&'a str>,
}

/// One directive line split into `words` (quoted words unquoted), without its comment;
/// returns whether the comment marks the requirement `indirect`. Words are separated by
/// ASCII white space (Go's own reader separates at spaces, tabs and carriage returns and
/// rejects any other white space) and a comment opens at the first `//`; one pass over
/// the line finds both.
fn words<'a>(line: &'a str, words: &mut Vec<&'a str>) -> bool {
    words.clear();
    let quote = |b: Option<&u8>| matches!(b, Some(b'"' | b'`'));
    let mut push = |w: &'a str| {
        // Most words are not quoted: their ends are looked at before any trimming.
        let b = w.as_bytes();
        words.push(if quote(b.first()) || quote(b.last()) {
            w.trim_matches(|c| c == '"' || c == '`')
        } else {
            w
        });
    };
    let b = line.as_bytes();
    let n = b.len();
    // Where a `//` opens at `i`.
    let slashes = |i: usize| b[i] == b'/' && b.get(i + 1) == Some(&b'/');
    let mut comment = "";
    let mut i = 0;
    loop {
        while i < n && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i == n {
            break;
        }
        if slashes(i) {
            comment = &line[i + 2..];
            break;
        }
        // A word runs to white space or a `//`. Every ASCII white space byte is at most
        // a space, so most bytes are passed by one comparison (and a `/`).
        let start = i;
        while i < n {
            let c = b[i];
            if (c <= b' ' && c.is_ascii_whitespace()) || (c == b'/' && slashes(i)) {
                break;
            }
            i += 1;
        }
        push(&line[start..i]);
    }
    // As Go's `isIndirect`: the comment's words are `indirect` alone, or begin with
    // `indirect;` (further marks follow the semicolon).
    let mut marks = comment.split_ascii_whitespace();
    matches!(
        (marks.next(), marks.next()),
        (Some("indirect"), None) | (Some("indirect;"), Some(_))
    )
}

/// Parses a `go.mod`; `sum` is the `go.sum` beside it.
pub(crate) fn parse(path: &Path, text: &str, sum: Option<(&Path, &[u8])>) -> Result<Inventory> {
    let mut module: Option<&str> = None;
    let mut go_version: Option<&str> = None;
    let mut requires: Vec<Require<'_>> = Vec::new();
    // A tool's module is a required path that is the tool's package path or a prefix of
    // it ending at a `/`: every such prefix is kept.
    let mut tool_prefixes: HashSet<&str> = HashSet::new();
    // old path → its replacements
    let mut replaces: HashMap<&str, Vec<Replace<'_>>> = HashMap::new();
    let mut block: Option<&str> = None;
    let mut w: Vec<&str> = Vec::with_capacity(8);
    let mut lines = 0usize;
    for (n, line) in super::lines(text).enumerate() {
        lines = n + 1;
        let indirect = words(line, &mut w);
        if w.is_empty() {
            continue;
        }
        // The column of the directive, wanted only for an error.
        let at = |msg: String| {
            let col = line.len() - line.trim_ascii_start().len() + 1;
            Error::at(path, n + 1, col, msg)
        };
        let (verb, args): (&str, &[&str]) = match block {
            Some(_) if w[0] == ")" => {
                block = None;
                continue;
            }
            Some(b) => (b, &w[..]),
            None if (w.len() == 2 && w[1] == "(") || (w.len() == 1 && w[0].ends_with('(')) => {
                block = Some(w[0].trim_end_matches('('));
                continue;
            }
            None => (w[0], &w[1..]),
        };
        match verb {
            "module" => module = args.first().copied(),
            "go" => go_version = args.first().copied(),
            "require" => match *args {
                [path, version] => requires.push(Require {
                    path,
                    version,
                    indirect,
                    tool: false,
                }),
                _ => {
                    return Err(at("a requirement is a module path and a version".into()));
                }
            },
            "tool" => {
                if let Some(&t) = args.first() {
                    tool_prefixes.insert(t);
                    tool_prefixes.extend(t.match_indices('/').map(|(i, _)| &t[..i]));
                }
            }
            "replace" => {
                let Some(arrow) = args.iter().position(|a| *a == "=>") else {
                    return Err(at("a replacement needs `=>`".into()));
                };
                let (old, new) = (&args[..arrow], &args[arrow + 1..]);
                match (old, new) {
                    ([op, ov @ ..], [np, nv @ ..]) if ov.len() <= 1 && nv.len() <= 1 => {
                        replaces.entry(*op).or_default().push(Replace {
                            old_version: ov.first().copied(),
                            new_path: np,
                            new_version: nv.first().copied(),
                        });
                    }
                    _ => {
                        return Err(at(
                            "a replacement is `path [version] => path [version]`".into()
                        ));
                    }
                }
            }
            "exclude" | "retract" | "toolchain" | "godebug" | "ignore" => {}
            other => return Err(at(format!("unknown directive `{other}`"))),
        }
    }
    if block.is_some() {
        return Err(Error::at(
            path,
            lines.max(1),
            1,
            "a block is not closed with `)`",
        ));
    }
    // Tool modules are requirements the build does not link.
    if !tool_prefixes.is_empty() {
        for r in &mut requires {
            r.tool = tool_prefixes.contains(r.path);
        }
    }
    let sum_text;
    let hashes = match sum {
        Some((p, b)) => {
            sum_text = std::str::from_utf8(b)
                .map_err(|_| Error::input(p, "a `go.sum` that is not UTF-8"))?;
            go_sum(p, sum_text)?
        }
        None => HashMap::new(),
    };

    let meta = DocumentMeta {
        spec_version: go_version.map(|v| format!("go {v}")),
        has_dependencies: true,
        ..DocumentMeta::default()
    };
    let mut inv = Inventory::new();
    inv.reserve(requires.len() + 1);
    let input = inv.add_input(input_file(path, InputFormat::GoMod, meta));
    let root = inv.add_package(flat::project(path, Ecosystem::Golang, module, None, input));
    inv.add_root(root);
    let mut indirect = 0usize;
    for r in &requires {
        let replaced = replaces.get(r.path).and_then(|all| {
            all.iter()
                .find(|x| x.old_version.is_none_or(|v| v == r.version))
        });
        let (name, version, source) = match replaced {
            Some(x)
                if x.new_version.is_none()
                    && (x.new_path.starts_with('.') || x.new_path.starts_with('/')) =>
            {
                (r.path, None, SourceKind::Path(x.new_path.to_owned()))
            }
            Some(x) => (x.new_path, x.new_version, SourceKind::DefaultRegistry),
            None => (r.path, Some(r.version), SourceKind::DefaultRegistry),
        };
        let purl =
            (source == SourceKind::DefaultRegistry).then(|| flat::purl("golang", name, version));
        let mut pkg = flat::package(Ecosystem::Golang, name, version, purl, source, input);
        if let Some(v) = version {
            pkg.integrity = hashes.get(&(name, v)).map(|h| (*h).to_owned());
        }
        indirect += usize::from(r.indirect);
        let kind = if r.tool {
            EdgeKind::Dev
        } else {
            EdgeKind::Runtime
        };
        // Every requirement is one of the module's own: Go records no finer edges.
        let idx = inv.add_package(pkg);
        if idx != root {
            inv.add_edge(root, idx, kind, None);
        }
    }
    if indirect > 0 {
        inv.notice(input, crate::text!("notice.go-indirect", count = indirect));
    }
    inv.finish();
    Ok(inv)
}

/// `go.sum`: `path version h1:hash` (and `path version/go.mod h1:hash`, the hash of the
/// module's own `go.mod`, which is not kept).
fn go_sum<'a>(path: &Path, text: &'a str) -> Result<HashMap<(&'a str, &'a str), &'a str>> {
    let mut out = HashMap::with_capacity(text.len() / 100);
    for (n, line) in super::lines(text).enumerate() {
        let mut w = line.split_ascii_whitespace();
        match (w.next(), w.next(), w.next(), w.next()) {
            (None, ..) => {}
            (Some(_), Some(v), Some(_), None) if v.ends_with("/go.mod") => {}
            (Some(p), Some(v), Some(h), None) => {
                out.insert((p, v), h);
            }
            _ => {
                return Err(Error::at(
                    path,
                    n + 1,
                    1,
                    "a `go.sum` line is a module path, a version and a hash",
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_replacements_and_hashes() {
        let m = "module example.org/app\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v1.2.3\n\
            \tgithub.com/a/b v0.1.0 // indirect\n)\n\nrequire example.org/c v1.0.0\n\
            replace golang.org/x/net v1.2.3 => example.com/fork/net v1.4.5\n\
            replace example.org/c => ./c\n";
        let sum = b"github.com/a/b v0.1.0 h1:abc=\ngithub.com/a/b v0.1.0/go.mod h1:def=\n";
        let inv = parse(Path::new("go.mod"), m, Some((Path::new("go.sum"), sum))).unwrap();
        let names: Vec<_> = inv.packages.iter().map(|p| p.display_name()).collect();
        assert_eq!(
            names,
            [
                "example.org/app",
                "example.com/fork/net@v1.4.5",
                "github.com/a/b@v0.1.0",
                "example.org/c"
            ]
        );
        assert_eq!(inv.packages[2].integrity.as_deref(), Some("h1:abc="));
        assert_eq!(inv.packages[3].source, SourceKind::Path("./c".into()));
        assert_eq!(inv.edges.len(), 3);
        assert_eq!(inv.notices.len(), 1);
        let e = parse(Path::new("go.mod"), "module a\nrequire (\n  x\n)\n", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "go.mod:3:3: a requirement is a module path and a version"
        );
        // Quoted paths (interpreted or raw strings) are unquoted.
        let q = "module \"example.org/q\"\nrequire (\n\t`example.org/raw` v1.0.0\n\t\"example.org/str\" \"v2.0.0\" // indirect\n)\n";
        let inv = parse(Path::new("go.mod"), q, None).unwrap();
        let names: Vec<_> = inv.packages.iter().map(|p| p.display_name()).collect();
        assert_eq!(
            names,
            [
                "example.org/q",
                "example.org/raw@v1.0.0",
                "example.org/str@v2.0.0"
            ]
        );
        assert!(looks_like_go_mod("// c\nmodule x\n"));
        assert!(looks_like_go_mod("require (\n a v1\n)\n"));
        assert!(!looks_like_go_mod("This is not a go.mod file!"));
    }

    #[test]
    fn words_split_at_ascii_white_space_and_stop_at_a_comment() {
        let mut w = Vec::new();
        for (line, want, indirect) in [
            (
                "\tgithub.com/a/b v1.0.0 // indirect",
                &["github.com/a/b", "v1.0.0"][..],
                true,
            ),
            // A comment may touch a word, and `indirect` may be one of several marks.
            ("a/b v1//indirect", &["a/b", "v1"], true),
            ("a v1 // indirect; x", &["a", "v1"], true),
            // Go reads `indirect` only as the comment's first mark.
            ("a v1 // x; indirect", &["a", "v1"], false),
            ("a v1 // indirect x", &["a", "v1"], false),
            ("a v1 // indirectly", &["a", "v1"], false),
            ("a v1 //", &["a", "v1"], false),
            // Single slashes belong to the word; tabs, CR and form feeds separate.
            ("  x/y/z\t\x0cv2 \r", &["x/y/z", "v2"], false),
            ("\"q\" `r`", &["q", "r"], false),
            // A no-break space separates nothing (Go rejects the line): the word keeps it.
            ("a\u{a0}b v1", &["a\u{a0}b", "v1"], false),
            ("// only a comment", &[], false),
            ("", &[], false),
        ] {
            assert_eq!(words(line, &mut w), indirect, "{line:?}");
            assert_eq!(w, want, "{line:?}");
        }
    }
}
