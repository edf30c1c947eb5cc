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
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .all(|l| match l.split_once('=') {
            Some(("empty", _)) => true,
            Some((coords, _)) => {
                let ok = coordinates(coords).is_some() && !coords.contains(char::is_whitespace);
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
    for c in configs.split(',').map(str::trim) {
        let k = if contains_ci(c, "test") {
            EdgeKind::Dev
        } else if contains_ci(c, "annotationprocessor")
            || c.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("kapt"))
            || contains_ci(c, "buildscript")
        {
            EdgeKind::Build
        } else {
            EdgeKind::Runtime
        };
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

/// Whether `hay` contains the lowercase ASCII `needle`, ignoring ASCII case.
fn contains_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return true;
    };
    // Candidates found by their first byte, in either case.
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), h).any(|i| {
        h.get(i..i + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
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
        bytes,
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
        let body = line.trim();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let col = line.len() - line.trim_start().len() + 1;
        let (coords, configs) = match memchr::memchr(b'=', body.as_bytes()) {
            Some(i) => (&body[..i], &body[i + 1..]),
            None => (body, ""),
        };
        if coords == "empty" {
            continue;
        }
        let Some((group, artifact, version)) = coordinates(coords) else {
            return Err(Error::at(
                path,
                n + 1,
                col,
                "a locked module is `group:artifact:version=configurations`",
            ));
        };
        if group.is_empty() || artifact.is_empty() || version.is_empty() {
            return Err(Error::at(
                path,
                n + 1,
                col,
                "a locked module is `group:artifact:version=configurations`",
            ));
        }
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
        assert!(contains_ci("testRuntimeClasspath", "test"));
        assert!(contains_ci("integrationTESTImpl", "test"));
        assert!(contains_ci(
            "kaptAnnotationProcessorX",
            "annotationprocessor"
        ));
        assert!(!contains_ci("compileClasspath", "test"));
        // A candidate at the end that the needle runs past, and one after it.
        assert!(!contains_ci("latest", "tests"));
        assert!(contains_ci("tt-tests", "tests"));
        assert!(contains_ci("", ""));
        assert!(!contains_ci("", "t"));
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
