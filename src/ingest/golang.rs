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

use std::collections::BTreeMap;
use std::path::Path;

use super::flat::{self, Flat, Locked};
use super::input_file;
use crate::error::{Error, Result};
use crate::model::{DocumentMeta, Ecosystem, EdgeKind, InputFormat, Inventory, SourceKind};

/// Whether `text` reads as a `go.mod`: its first directive is one of Go's.
pub(crate) fn looks_like_go_mod(text: &str) -> bool {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("//"));
    first.is_some_and(|l| {
        let word = l.split(|c: char| c.is_whitespace() || c == '(').next();
        matches!(
            word,
            Some("module" | "go" | "require" | "replace" | "toolchain")
        ) && l.split_whitespace().count() >= 2
    })
}

#[derive(Debug)]
struct Require {
    path: String,
    version: String,
    indirect: bool,
    tool: bool,
}

/// One directive line, split into words (quoted words unquoted), without its comment;
/// and whether the comment says `indirect`.
fn words(line: &str) -> (Vec<String>, bool) {
    let (code, comment) = match line.find("//") {
        Some(i) => (&line[..i], &line[i + 2..]),
        None => (line, ""),
    };
    let indirect = comment.split(';').any(|part| part.trim() == "indirect");
    let words = code
        .split_whitespace()
        .map(|w| w.trim_matches(|c| c == '"' || c == '`').to_owned())
        .collect();
    (words, indirect)
}

/// Parses a `go.mod`; `sum` is the `go.sum` beside it.
pub(crate) fn parse(path: &Path, bytes: &[u8], sum: Option<(&Path, &[u8])>) -> Result<Inventory> {
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let mut module: Option<String> = None;
    let mut go_version: Option<String> = None;
    let mut requires: Vec<Require> = Vec::new();
    let mut tools: Vec<String> = Vec::new();
    // (old path, old version or any) → (new path, new version or a local path)
    let mut replaces: Vec<(String, Option<String>, String, Option<String>)> = Vec::new();
    let mut block: Option<String> = None;
    for (n, line) in text.lines().enumerate() {
        let (w, indirect) = words(line);
        if w.is_empty() {
            continue;
        }
        let at = |col: usize, msg: String| Error::at(path, n + 1, col, msg);
        let col = line.len() - line.trim_start().len() + 1;
        let (verb, args): (String, &[String]) = match &block {
            Some(_) if w[0] == ")" => {
                block = None;
                continue;
            }
            Some(b) => (b.clone(), &w[..]),
            None if (w.len() == 2 && w[1] == "(") || (w.len() == 1 && w[0].ends_with('(')) => {
                block = Some(w[0].trim_end_matches('(').to_owned());
                continue;
            }
            None => (w[0].clone(), &w[1..]),
        };
        match verb.as_str() {
            "module" => module = args.first().cloned(),
            "go" => go_version = args.first().cloned(),
            "require" => match args {
                [p, v] => requires.push(Require {
                    path: p.clone(),
                    version: v.clone(),
                    indirect,
                    tool: false,
                }),
                _ => {
                    return Err(at(
                        col,
                        "a requirement is a module path and a version".into(),
                    ));
                }
            },
            "tool" => tools.extend(args.first().cloned()),
            "replace" => {
                let Some(arrow) = args.iter().position(|a| a == "=>") else {
                    return Err(at(col, "a replacement needs `=>`".into()));
                };
                let (old, new) = (&args[..arrow], &args[arrow + 1..]);
                match (old, new) {
                    ([op, ov @ ..], [np, nv @ ..]) if ov.len() <= 1 && nv.len() <= 1 => {
                        replaces.push((
                            op.clone(),
                            ov.first().cloned(),
                            np.clone(),
                            nv.first().cloned(),
                        ));
                    }
                    _ => {
                        return Err(at(
                            col,
                            "a replacement is `path [version] => path [version]`".into(),
                        ));
                    }
                }
            }
            "exclude" | "retract" | "toolchain" | "godebug" | "ignore" => {}
            other => return Err(at(col, format!("unknown directive `{other}`"))),
        }
    }
    if block.is_some() {
        return Err(Error::at(
            path,
            text.lines().count().max(1),
            1,
            "a block is not closed with `)`",
        ));
    }
    // Tool modules are requirements the build does not link.
    for r in &mut requires {
        r.tool = tools
            .iter()
            .any(|t| t == &r.path || t.starts_with(&format!("{}/", r.path)));
    }
    let hashes = match sum {
        Some((p, b)) => go_sum(p, b)?,
        None => BTreeMap::new(),
    };

    let meta = DocumentMeta {
        spec_version: go_version.map(|v| format!("go {v}")),
        has_dependencies: true,
        ..DocumentMeta::default()
    };
    let mut inv = Inventory::new();
    let input = inv.add_input(input_file(path, bytes, InputFormat::GoMod, meta));
    let root = flat::project(path, Ecosystem::Golang, module.as_deref(), None, input);
    let mut out = Flat::new(root);
    let mut direct = Vec::new();
    let mut indirect = 0usize;
    for r in &requires {
        let replaced = replaces
            .iter()
            .find(|(op, ov, _, _)| op == &r.path && ov.as_ref().is_none_or(|v| v == &r.version));
        let (name, version, source) = match replaced {
            Some((_, _, np, None)) if np.starts_with('.') || np.starts_with('/') => {
                (r.path.clone(), None, SourceKind::Path(np.clone()))
            }
            Some((_, _, np, nv)) => (np.clone(), nv.clone(), SourceKind::DefaultRegistry),
            None => (
                r.path.clone(),
                Some(r.version.clone()),
                SourceKind::DefaultRegistry,
            ),
        };
        let purl = (source == SourceKind::DefaultRegistry)
            .then(|| flat::purl("golang", &name, version.as_deref()));
        let mut pkg = flat::package(
            Ecosystem::Golang,
            &name,
            version.as_deref(),
            purl,
            source,
            input,
        );
        if let Some(v) = &version {
            pkg.integrity = hashes.get(&(name.clone(), v.clone())).cloned();
        }
        indirect += usize::from(r.indirect);
        let kind = if r.tool {
            EdgeKind::Dev
        } else {
            EdgeKind::Runtime
        };
        direct.push((format!("{name} {}", version.as_deref().unwrap_or("")), kind));
        out.locked.push(Locked {
            pkg,
            deps: Vec::new(),
            scope: kind,
        });
    }
    out.direct = Some(direct);
    out.into_inventory(&mut inv, input, |k| k.trim_end().to_owned());
    if indirect > 0 {
        inv.notice(input, crate::text!("notice.go-indirect", count = indirect));
    }
    inv.finish();
    Ok(inv)
}

/// `go.sum`: `path version h1:hash` (and `path version/go.mod h1:hash`, the hash of the
/// module's own `go.mod`, which is not kept).
fn go_sum(path: &Path, bytes: &[u8]) -> Result<BTreeMap<(String, String), String>> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::input(path, "a `go.sum` that is not UTF-8"))?;
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let w: Vec<&str> = line.split_whitespace().collect();
        match w.as_slice() {
            [] => {}
            [_, v, _] if v.ends_with("/go.mod") => {}
            [p, v, h] => {
                out.insert(((*p).to_owned(), (*v).to_owned()), (*h).to_owned());
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
        let m = b"module example.org/app\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v1.2.3\n\
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
        let e = parse(Path::new("go.mod"), b"module a\nrequire (\n  x\n)\n", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "go.mod:3:3: a requirement is a module path and a version"
        );
        assert!(looks_like_go_mod("// c\nmodule x\n"));
        assert!(looks_like_go_mod("require (\n a v1\n)\n"));
        assert!(!looks_like_go_mod("This is not a go.mod file!"));
    }
}
