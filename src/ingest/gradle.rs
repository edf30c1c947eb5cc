//! Java ingest: Gradle's `gradle.lockfile`.
//!
//! One line per locked module, `group:artifact:version=configuration,…`, and a line
//! `empty=…` naming configurations that lock nothing. The lockfile records no edges: each
//! module is read as a direct dependency of the project, in the narrowest scope its
//! configurations allow (run time when a main compile or run-time class path holds it,
//! build for annotation processors and build-script class paths alone, otherwise dev:
//! test class paths). Any other line is malformed.

use std::path::Path;

use super::flat;
use super::input_file;
use crate::error::{Error, Result};
use crate::model::{DocumentMeta, Ecosystem, EdgeKind, InputFormat, Inventory, SourceKind};

/// Whether `text` reads as a Gradle lockfile: Gradle's header comment, or only lines of
/// locked modules (`group:artifact:version=…`, `empty=…`) besides comments.
pub(crate) fn looks_like_gradle_lock(text: &str) -> bool {
    let header = text
        .lines()
        .take(4)
        .any(|l| l.starts_with("# This is a Gradle generated file for dependency locking"));
    let mut modules = 0usize;
    let only_modules = text
        .lines()
        .map(str::trim_ascii)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .all(|l| match l.split_once('=') {
            Some(("empty", _)) => true,
            Some((coords, _)) => {
                let ok = coordinates(coords).is_some()
                    && !coords.bytes().any(|b| b.is_ascii_whitespace());
                modules += usize::from(ok);
                ok
            }
            None => false,
        });
    header || (only_modules && modules > 0)
}

/// The scope of a module from the configurations that hold it.
fn scope(configs: &str) -> EdgeKind {
    let mut kind = None;
    for c in configs.split(',').map(str::trim_ascii) {
        let k = configuration_scope(c.as_bytes());
        kind = Some(match (kind, k) {
            (Some(EdgeKind::Runtime), _) | (_, EdgeKind::Runtime) => EdgeKind::Runtime,
            (Some(EdgeKind::Build), _) | (_, EdgeKind::Build) => EdgeKind::Build,
            _ => EdgeKind::Dev,
        });
        // Run time outranks the rest: the other configurations cannot change it.
        if kind == Some(EdgeKind::Runtime) {
            break;
        }
    }
    kind.unwrap_or(EdgeKind::Runtime)
}

/// The scope of one configuration, by the words in its name (ignoring ASCII case): dev
/// for a test one, build for an annotation processor (`kapt…` too) or a build script's
/// class path, else run time. One pass looks for all three words at once.
fn configuration_scope(c: &[u8]) -> EdgeKind {
    let at = |i: usize, word: &[u8]| {
        c.get(i..i + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    };
    let mut build = at(0, b"kapt");
    for (i, &b) in c.iter().enumerate() {
        match b.to_ascii_lowercase() {
            b't' if at(i, b"test") => return EdgeKind::Dev,
            b'a' if !build && at(i, b"annotationprocessor") => build = true,
            b'b' if !build && at(i, b"buildscript") => build = true,
            _ => {}
        }
    }
    if build {
        EdgeKind::Build
    } else {
        EdgeKind::Runtime
    }
}

/// `group:artifact:version`: exactly three parts.
fn coordinates(coords: &str) -> Option<(&str, &str, &str)> {
    let mut colons = memchr::memchr_iter(b':', coords.as_bytes());
    let (a, b) = (colons.next()?, colons.next()?);
    if colons.next().is_some() {
        return None;
    }
    Some((&coords[..a], &coords[a + 1..b], &coords[b + 1..]))
}

/// How many sets of configurations [`parse`] remembers with their scope.
const SCOPES_KEPT: usize = 8;

/// Parses a `gradle.lockfile`.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Inventory> {
    let bytes = text.as_bytes();
    let mut inv = Inventory::new();
    // A module per line (a hint; `reserve` bounds it).
    inv.reserve(memchr::memchr_iter(b'\n', bytes).count() + 1);
    let input = inv.add_input(input_file(
        path,
        InputFormat::GradleLock,
        DocumentMeta::default(),
    ));
    let root = inv.add_package(flat::project(path, Ecosystem::Maven, None, None, input));
    // A lockfile names few distinct sets of configurations, each on many lines: the
    // last few sets are remembered (a bounded list, so a file of all-distinct sets costs
    // one short scan per line, never a growing one).
    let mut scopes: Vec<(&str, EdgeKind)> = Vec::with_capacity(SCOPES_KEPT);
    inv.add_root(root);
    for (n, line) in super::lines(text).enumerate() {
        // White space is ASCII, as Gradle writes it.
        let body = line.trim_ascii();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let (coords, configs) = match memchr::memchr(b'=', body.as_bytes()) {
            Some(i) => (&body[..i], &body[i + 1..]),
            None => (body, ""),
        };
        if coords == "empty" {
            continue;
        }
        let Some((group, artifact, version)) =
            coordinates(coords).filter(|(g, a, v)| !g.is_empty() && !a.is_empty() && !v.is_empty())
        else {
            let col = line.len() - line.trim_ascii_start().len() + 1;
            return Err(Error::at(
                path,
                n + 1,
                col,
                "a locked module is `group:artifact:version=configurations`",
            ));
        };
        let mut name = String::with_capacity(group.len() + 1 + artifact.len());
        name.push_str(group);
        name.push(':');
        name.push_str(artifact);
        let purl = flat::purl_parts("maven", &[group, artifact], Some(version));
        let pkg = flat::package(
            Ecosystem::Maven,
            name,
            Some(version),
            Some(purl),
            SourceKind::Unknown,
            input,
        );
        // Every locked module is a direct dependency of the project: Gradle records no
        // edges between them.
        let idx = inv.add_package(pkg);
        let kind = match scopes.iter().find(|(c, _)| *c == configs) {
            Some(&(_, kind)) => kind,
            None => {
                let kind = scope(configs);
                if scopes.len() == SCOPES_KEPT {
                    scopes.remove(0);
                }
                scopes.push((configs, kind));
                kind
            }
        };
        inv.add_edge(root, idx, kind, None);
    }
    inv.finish();
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lockfile_of_empty_lines_reserves_little() {
        // Eight million lines: counted as a hint, they must not reserve eight million
        // packages.
        let lock = "\n".repeat(8 << 20);
        let inv = parse(Path::new("gradle.lockfile"), &lock).unwrap();
        assert_eq!(inv.packages.len(), 1);
        assert!(inv.packages.capacity() <= 2 * Inventory::RESERVE_AT_MOST);
    }

    #[test]
    fn configuration_names_match_ignoring_case() {
        let scope = |c: &str| configuration_scope(c.as_bytes());
        for (config, want) in [
            ("testRuntimeClasspath", EdgeKind::Dev),
            ("integrationTESTImpl", EdgeKind::Dev),
            // A test word after a build one still makes it dev.
            ("annotationProcessorForTests", EdgeKind::Dev),
            ("kaptAnnotationProcessorX", EdgeKind::Build),
            ("kapt", EdgeKind::Build),
            ("KAPTDebug", EdgeKind::Build),
            ("xkapt", EdgeKind::Runtime),
            ("ANNOTATIONPROCESSOR", EdgeKind::Build),
            ("buildscriptClasspath", EdgeKind::Build),
            ("compileClasspath", EdgeKind::Runtime),
            // Words cut off at the end.
            ("compileTes", EdgeKind::Runtime),
            ("latest", EdgeKind::Dev),
            ("annotationProcesso", EdgeKind::Runtime),
            ("buildscrip", EdgeKind::Runtime),
            ("tes", EdgeKind::Runtime),
            ("", EdgeKind::Runtime),
        ] {
            assert_eq!(scope(config), want, "{config}");
        }
        assert_eq!(super::scope("testA, compileClasspath"), EdgeKind::Runtime);
        assert_eq!(super::scope("testA,annotationProcessor"), EdgeKind::Build);
        assert_eq!(super::scope("testA"), EdgeKind::Dev);
    }

    #[test]
    fn modules_and_scopes() {
        let lock = "# This is a Gradle generated file for dependency locking.\n\
            a.b:c:1.0=compileClasspath,runtimeClasspath\nt.t:junit:4.13=testRuntimeClasspath\n\
            p.p:proc:2=annotationProcessor\nempty=testCompileClasspath\n";
        assert!(looks_like_gradle_lock(lock));
        assert!(looks_like_gradle_lock(
            "## c\na:b:1=runtimeClasspath\nempty=\n"
        ));
        assert!(!looks_like_gradle_lock("a = 1\n"));
        assert!(!looks_like_gradle_lock("# only comments\n"));
        let inv = parse(Path::new("gradle.lockfile"), lock).unwrap();
        assert_eq!(inv.packages.len(), 4);
        let kinds: Vec<EdgeKind> = inv.edges.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [EdgeKind::Runtime, EdgeKind::Dev, EdgeKind::Build]);
        assert_eq!(inv.packages[1].purl(), Some("pkg:maven/a.b/c@1.0"));
        let e = parse(Path::new("gradle.lockfile"), "# x\n>>>\n").unwrap_err();
        assert!(e.to_string().starts_with("gradle.lockfile:2:1: "), "{e}");
    }

    #[test]
    fn scopes_stay_right_past_the_remembered_sets() {
        // More distinct sets of configurations than are remembered, each coming back
        // after others have pushed it out: every module keeps its own set's scope.
        let sets = [
            ("testRuntimeClasspath", EdgeKind::Dev),
            ("annotationProcessor", EdgeKind::Build),
            ("runtimeClasspath", EdgeKind::Runtime),
        ];
        let mut lock = String::new();
        let mut want = Vec::new();
        for round in 0..3 {
            for i in 0..3 * SCOPES_KEPT {
                let (config, kind) = sets[(i + round) % sets.len()];
                lock.push_str(&format!("g:a{round}-{i}:1={config}{i}\n"));
                want.push(kind);
            }
        }
        let inv = parse(Path::new("gradle.lockfile"), &lock).unwrap();
        let kinds: Vec<EdgeKind> = inv.edges.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, want);
    }
}
