//! Ingest: the only place (with `enrich`) that reads input files.
//!
//! Every input becomes an [`Inventory`]; the format is detected from the content, never
//! from the file name ([`detect`]), and a directory is searched for known files
//! ([`read_path`]). Several inputs merge into one inventory.
//!
//! Parsers are pure functions from bytes to an inventory ([`parse_as`]), so they can be
//! fuzzed and tested alike; only [`read_path`] touches the file system, and only a
//! `Cargo.toml` manifest runs an external command (`cargo metadata`).

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::error::{Error, Problem, Result};
use crate::model::{DocumentMeta, InputFile, InputFormat, Inventory, Skipped};

pub(crate) mod candidate;
mod cargo;
mod cargo_lock;
mod composer;
mod cyclonedx;
mod cyclonedx_xml;
mod doc_str;
mod dotnet;
mod flat;
mod golang;
mod gradle;
mod maven;
mod npm;
mod pnpm;
pub(crate) mod publiccode;
mod python;
mod ruby;
mod spdx;
mod spdx3;
mod yaml;
mod yarn;

/// Options that reach the ingesters.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Pass `--offline` to `cargo metadata`.
    pub offline: bool,
    /// Pass `--locked` to `cargo metadata`.
    pub locked: bool,
    /// Largest input file read, in bytes (`--max-input-size`).
    pub max_file_bytes: u64,
    /// The buyer's vendor registries (`--vendors`), layered over the bundled one.
    pub vendors: Vec<std::path::PathBuf>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            offline: false,
            locked: false,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            vendors: Vec::new(),
        }
    }
}

/// The default per-file size limit: 256 MiB, several times the largest real SBOM
/// (a container image's SPDX JSON reaches some 50 MiB).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 256 << 20;

/// Whether `path` lies inside `dir` once symbolic links and `..` are resolved (a path
/// that cannot be resolved is not inside).
pub(crate) fn inside(dir: &Path, path: &Path) -> bool {
    // The parent of a bare file name is the empty path: the current directory.
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    match (std::fs::canonicalize(dir), std::fs::canonicalize(path)) {
        (Ok(d), Ok(p)) => p.starts_with(d),
        _ => false,
    }
}

/// Reads one input file, refusing anything but a regular file (a FIFO or a device
/// reached through a symbolic link would block or never end) and anything larger than
/// `limit` bytes.
pub(crate) fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let not_regular = || {
        Error::input(
            path,
            "not a regular file (a device, FIFO or socket); not read",
        )
    };
    // `metadata` follows symbolic links: the kind of what the link reaches.
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    let too_large = || {
        Error::input(
            path,
            format!(
                "larger than the input size limit of {limit} bytes; raise it with \
                 `--max-input-size` if the file is genuine"
            ),
        )
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    // The file opened may differ from the one inspected (a swapped link): look again.
    if !file.metadata().map_err(|e| Error::io(path, e))?.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The formats [`read_path`] accepts, for messages.
const ACCEPTED: &str = "accepted are cargo metadata JSON, `Cargo.toml`, `Cargo.lock`, \
     CycloneDX JSON or XML, SPDX 2 JSON, YAML or tag-value, SPDX 3 JSON-LD, npm `package-lock.json`, \
     `composer.lock`, `poetry.lock`, `uv.lock`, `Pipfile.lock`, `go.mod`, `Gemfile.lock`, \
     `yarn.lock`, `pnpm-lock.yaml`, NuGet `packages.lock.json`, `gradle.lockfile`, Maven `pom.xml`, \
     pinned `requirements.txt`, \
     `publiccode.yml` and `candidate.toml`";

/// Directories never searched: version control, build output, installed packages.
const SKIPPED_DIRS: [&str; 3] = [".git", "target", "node_modules"];

/// Whether a directory of this name is never searched: [`SKIPPED_DIRS`] and hidden ones.
pub(crate) fn is_skipped_dir(name: &str) -> bool {
    name.starts_with('.') || SKIPPED_DIRS.contains(&name)
}

/// Reads every input and merges them into one inventory.
pub(crate) fn ingest(paths: &[PathBuf], opts: &IngestOptions) -> Result<Inventory> {
    let mut inv = Inventory::new();
    for p in paths {
        inv.merge(read_path(p, opts)?);
    }
    inv.finish();
    Ok(inv)
}

/// Reads one file or directory.
///
/// A file is detected from its content and parsed; a `Cargo.toml` runs `cargo metadata`.
/// A directory is searched for known files (see [`read_dir`]).
pub(crate) fn read_path(path: &Path, opts: &IngestOptions) -> Result<Inventory> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return read_dir(path, opts);
    }
    let bytes = read_bounded(path, opts.max_file_bytes)?;
    match sniff(path, &bytes)? {
        Sniffed::Known(format) => read_file(path, &bytes, format, opts),
        Sniffed::Unknown => Err(unrecognised(path)),
        Sniffed::Unsupported(what) => Err(Error::input(path, what)),
    }
}

fn read_file(
    path: &Path,
    bytes: &[u8],
    format: InputFormat,
    opts: &IngestOptions,
) -> Result<Inventory> {
    match format {
        InputFormat::CargoManifest => cargo::from_manifest(path, bytes, opts).map(|(inv, _)| inv),
        InputFormat::PublicCode | InputFormat::Candidate => Err(candidate_input(path, format)),
        InputFormat::MavenPom => {
            let tree = path.parent().unwrap_or(Path::new(""));
            let (mut inv, _, parents) = read_maven(path, bytes, tree, opts)?;
            record_parents(&mut inv, parents);
            Ok(inv)
        }
        other => {
            let manifest = manifest_beside(path, other, opts.max_file_bytes)?;
            parse_with(other, path, bytes, manifest.as_ref())
        }
    }
}

/// Reads a Maven `pom.xml` with the parents and modules it names that lie inside
/// `tree` (each read bounded like any input); returns the inventory, the POMs read as
/// projects, and the evidence records of the POMs read only for what a project
/// inherits (parents, imported BOMs), for [`record_parents`].
fn read_maven(
    path: &Path,
    bytes: &[u8],
    tree: &Path,
    opts: &IngestOptions,
) -> Result<(Inventory, Vec<PathBuf>, Vec<InputFile>)> {
    let text = decode_text(path, bytes)?;
    // The raw bytes of every other POM read, to seal its evidence record with.
    let mut raws: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut load = |p: &Path| -> Result<Option<Vec<u8>>> {
        let file = if p.is_dir() {
            p.join("pom.xml")
        } else {
            p.to_owned()
        };
        if !file.is_file() || !inside(tree, &file) {
            return Ok(None);
        }
        let raw = read_bounded(&file, opts.max_file_bytes)?;
        let text = decode_text(&file, &raw)?.into_owned().into_bytes();
        raws.push((file, raw));
        Ok(Some(text))
    };
    let (mut inv, poms) = maven::read(path, text.as_bytes(), &mut load)?;
    seal(&mut inv, path, bytes);
    let mut parents = Inventory::new();
    for (file, raw) in &raws {
        seal(&mut inv, file, raw);
        if !inv.inputs.iter().any(|f| f.path == *file) {
            parents.add_input(input_file(
                file,
                InputFormat::MavenPom,
                DocumentMeta::default(),
            ));
            seal(&mut parents, file, raw);
        }
    }
    debug_assert!(sealed(&inv), "a POM read is not among those loaded");
    Ok((inv, poms, parents.inputs))
}

/// Adds the records of POMs read only for what a project inherits, each file once and
/// only when no record of it is there yet (a parent in a directory read is often a
/// project of its own too). No package or notice refers to them.
fn record_parents(inv: &mut Inventory, parents: Vec<InputFile>) {
    if parents.is_empty() {
        return;
    }
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned());
    let mut recorded: HashSet<PathBuf> = inv
        .inputs
        .iter()
        .filter(|f| f.format == InputFormat::MavenPom)
        .map(|f| canonical(&f.path))
        .collect();
    for f in parents {
        if recorded.insert(canonical(&f.path)) {
            inv.add_input(f);
        }
    }
}

/// The project manifest a lockfile is read with, when it lies beside it
/// (`composer.json` for `composer.lock`, …), as path and bytes. Read with the same
/// bounds as any input: a FIFO or a huge file there is refused, not waited on.
fn manifest_beside(
    path: &Path,
    format: InputFormat,
    max_bytes: u64,
) -> Result<Option<(PathBuf, Vec<u8>)>> {
    let Some((name, _)) = companion(format) else {
        return Ok(None);
    };
    let Some(file) = path.parent().map(|d| d.join(name)) else {
        return Ok(None);
    };
    match std::fs::symlink_metadata(&file) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(&file, e)),
        Ok(_) => read_bounded(&file, max_bytes).map(|bytes| Some((file, bytes))),
    }
}

/// The file a lockfile of `format` is read with when it lies beside it, and the format
/// its evidence record gets: the project manifest (roots, direct dependencies, the
/// project's licence) or, for `go.mod`, `go.sum`.
fn companion(format: InputFormat) -> Option<(&'static str, InputFormat)> {
    Some(match format {
        InputFormat::ComposerLock => ("composer.json", InputFormat::ComposerJson),
        InputFormat::PoetryLock => ("pyproject.toml", InputFormat::PyprojectToml),
        InputFormat::GoMod => ("go.sum", InputFormat::GoSum),
        InputFormat::YarnLock | InputFormat::PnpmLock => ("package.json", InputFormat::PackageJson),
        _ => return None,
    })
}

/// The name of the file a lockfile of `format` is read with when it lies beside it.
pub(crate) fn companion_name(format: InputFormat) -> Option<&'static str> {
    companion(format).map(|(name, _)| name)
}

fn unrecognised(path: &Path) -> Error {
    Error::input(path, format!("unrecognised input format; {ACCEPTED}"))
}

fn candidate_input(path: &Path, format: InputFormat) -> Error {
    let what = match format {
        InputFormat::PublicCode => "a `publiccode.yml`",
        _ => "a candidate manifest",
    };
    Error::input(
        path,
        format!("{what} is a candidate input, not a package inventory; assess it as a candidate"),
    )
}

/// Searches `dir` for known files and merges what they describe.
///
/// `.git`, `target` and `node_modules` are skipped, and so are hidden directories.
/// Files that may hold evidence ([`EVIDENCE_EXTENSIONS`], [`EVIDENCE_NAMES`]) are
/// detected from their content. Nothing is dropped without a word:
///
/// - a file in a known format that fails to read, and a broken file that says which
///   format it is, is a problem; every file is tried, and all problems are reported
///   together;
/// - a file that looks like evidence but is not read (a format sovra recognises but
///   does not read, text that cannot be decoded, an SBOM-like name with unknown
///   content, a device) is listed in [`Inventory::skipped`] with its reason, which the
///   `evidence-unread` check turns into a finding;
/// - other files (a `tsconfig.json`, a CI configuration) are no evidence and pass.
///
/// A directory holding a candidate manifest (`candidate.toml`) is a candidate and an
/// error here. A `publiccode.yml` met on the way is not a package inventory: a notice.
///
/// Cargo: a saved cargo metadata file stands for the `Cargo.toml` manifests beside and
/// below it (sovra then does not run cargo, so the saved evidence is what is read); a
/// manifest that belongs to a workspace already read is not read twice.
pub(crate) fn read_dir(dir: &Path, opts: &IngestOptions) -> Result<Inventory> {
    let (inv, publiccode) = read_dir_parts(dir, opts)?;
    match publiccode.first() {
        Some(file) if inv.inputs.is_empty() => Err(candidate_input(file, InputFormat::PublicCode)),
        _ => Ok(inv),
    }
}

/// A file's bytes and what [`sniff`] makes of them.
type Sniffing = (Vec<u8>, Result<Sniffed>);

/// [`read_bounded`] of every file, in order, sniffed on the thread that read it. A
/// directory of many files is read by a few threads (the reads are system calls,
/// mostly): 50,000 small SBOMs spend most of their reading time opening and stating
/// files. Every read keeps its own bound.
fn read_all(files: &[PathBuf], max_bytes: u64) -> Vec<Result<Sniffing>> {
    crate::parallel::map_in_parallel(files, |f| {
        read_bounded(f, max_bytes).map(|bytes| {
            let sniffed = sniff(f, &bytes);
            (bytes, sniffed)
        })
    })
}

/// Like [`read_dir`], and also returns the `publiccode.yml` files found (sorted by
/// path), which are no package inventory: a directory holding only those gives an
/// inventory without inputs, for the caller to read them as a candidate's components.
pub(crate) fn read_dir_parts(
    dir: &Path,
    opts: &IngestOptions,
) -> Result<(Inventory, Vec<PathBuf>)> {
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();

    let mut found: Vec<(PathBuf, InputFormat, Vec<u8>)> = Vec::new();
    let mut publiccode: Vec<PathBuf> = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    let mut skipped: Vec<Skipped> = Vec::new();
    let mut skip = |file: &Path, reason: String| {
        skipped.push(Skipped {
            path: file.to_owned(),
            reason,
        });
    };
    // A `go.sum` beside a `go.mod` is read with it (its hashes), not on its own.
    let go_mod_dirs: std::collections::HashSet<&Path> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "go.mod"))
        .filter_map(|f| f.parent())
        .collect();
    let companions: Vec<bool> = files
        .iter()
        .map(|f| {
            f.file_name().is_some_and(|n| n == "go.sum")
                && f.parent().is_some_and(|d| go_mod_dirs.contains(d))
        })
        .collect();
    let reads = read_all(&files, opts.max_file_bytes);
    for ((file, read), companion) in files.into_iter().zip(reads).zip(companions) {
        let (bytes, sniffed) = match read {
            Ok(read) => read,
            Err(e @ Error::Io { .. }) => {
                problems.extend(e.into_problems(&file));
                continue;
            }
            Err(e) => {
                skip(&file, e.to_string());
                continue;
            }
        };
        let format = match sniffed {
            Ok(Sniffed::Known(f)) => f,
            Ok(Sniffed::Unsupported(what)) => {
                skip(&file, what.to_owned());
                continue;
            }
            Ok(Sniffed::Unknown) => {
                if has_evidence_name(&file) && !companion {
                    skip(&file, format!("not a format sovra reads; {ACCEPTED}"));
                }
                continue;
            }
            // A broken file that says what it wants to be is a problem; any other broken
            // file is listed when its name looks like evidence (a `tsconfig.json` with
            // comments is no evidence).
            Err(e) if claims_format(&bytes) => {
                problems.extend(e.into_problems(&file));
                continue;
            }
            Err(e) => {
                if has_evidence_name(&file) || decode_text(&file, &bytes).is_err() {
                    skip(&file, e.to_string());
                }
                continue;
            }
        };
        if format == InputFormat::Candidate && file.parent() == Some(dir) {
            return Err(Error::input(
                dir,
                "this directory holds a candidate manifest (`candidate.toml`): it is a \
                 candidate input, not a package inventory; assess it as a candidate",
            ));
        }
        if format == InputFormat::Candidate {
            skip(
                &file,
                "a candidate manifest below the directory read; assess it as a candidate of \
                 its own"
                    .to_owned(),
            );
            continue;
        }
        if format == InputFormat::PublicCode {
            publiccode.push(file);
            continue;
        }
        if format == InputFormat::Facts {
            skip(
                &file,
                "a facts file from `sovra enrich`: evidence of the buyer, not of the offer; \
                 give it with `--facts`"
                    .to_owned(),
            );
            continue;
        }
        found.push((file, format, bytes));
    }

    // Directories whose Cargo workspace (the tree below them) a saved metadata covers.
    let saved: HashSet<PathBuf> = found
        .iter()
        .filter(|(_, f, _)| *f == InputFormat::CargoMetadata)
        .filter_map(|(p, _, _)| p.parent().map(Path::to_owned))
        .collect();
    // Shallow manifests first, so a workspace root is read before its members.
    // `files` was sorted by path, and the sort is stable: by depth, then path.
    found.sort_by_cached_key(|(p, _, _)| p.components().count());

    // Folders whose `Cargo.lock` a manifest or saved metadata already stands for.
    let cargo_read: HashSet<PathBuf> = found
        .iter()
        .filter(|(_, f, _)| *f == InputFormat::CargoManifest)
        .filter_map(|(p, _, _)| p.parent().map(Path::to_owned))
        .collect();
    // Cargo locks that a manifest or saved metadata stands for are not read.
    found.retain(|(file, format, _)| {
        *format != InputFormat::CargoLock
            || !(saved.iter().any(|d| file.starts_with(d))
                || file.parent().is_some_and(|d| cargo_read.contains(d)))
    });
    // Every file but Cargo manifests and Maven POMs (which read their neighbours and
    // cover one another, so go in order) is parsed on its own: in parallel, then merged
    // in the sorted order, so the inventory is the same however the work was split.
    let alone =
        |format: InputFormat| !matches!(format, InputFormat::CargoManifest | InputFormat::MavenPom);
    let mut parsed = crate::parallel::map_in_parallel(&found, |(file, format, bytes)| {
        alone(*format).then(|| {
            manifest_beside(file, *format, opts.max_file_bytes)
                .and_then(|m| parse_with(*format, file, bytes, m.as_ref()))
        })
    })
    .into_iter();
    let mut inv = Inventory::new();
    let mut covered: HashSet<PathBuf> = HashSet::new();
    // Records of POMs read only for what a project inherits, added once all are read.
    let mut inherited: Vec<InputFile> = Vec::new();
    for (file, format, bytes) in found {
        let part = parsed.next().flatten();
        if format == InputFormat::CargoManifest {
            if saved.iter().any(|d| file.starts_with(d)) {
                continue;
            }
            let canonical = std::fs::canonicalize(&file).map_err(|e| Error::io(&file, e))?;
            if covered.contains(&canonical) {
                continue;
            }
            match cargo::from_manifest(&file, &bytes, opts) {
                Ok((part, manifests)) => {
                    covered.extend(manifests);
                    inv.merge(part);
                }
                Err(e) => problems.extend(e.into_problems(&file)),
            }
        } else if format == InputFormat::MavenPom {
            let canonical = std::fs::canonicalize(&file).map_err(|e| Error::io(&file, e))?;
            if covered.contains(&canonical) {
                continue;
            }
            match read_maven(&file, &bytes, dir, opts) {
                Ok((part, poms, parents)) => {
                    covered.extend(poms.iter().filter_map(|p| std::fs::canonicalize(p).ok()));
                    inv.merge(part);
                    inherited.extend(parents);
                }
                Err(e) => problems.extend(e.into_problems(&file)),
            }
        } else if let Some(part) = part {
            match part {
                Ok(part) => inv.merge(part),
                Err(e) => problems.extend(e.into_problems(&file)),
            }
        }
    }
    if !problems.is_empty() {
        // Every problem of every file, then the failure.
        problems.sort();
        problems.dedup();
        return Err(Error::Invalid(problems));
    }
    if inv.inputs.is_empty() {
        if !publiccode.is_empty() {
            return Ok((inv, publiccode));
        }
        let mut msg = format!("no known input files found in this directory; {ACCEPTED}");
        for s in &skipped {
            msg.push_str(&format!("\n  not read: {}: {}", s.path.display(), s.reason));
        }
        return Err(Error::input(dir, msg));
    }
    for file in &publiccode {
        // Not read as part of a package inventory, but never skipped without a word.
        inv.notice(
            crate::model::InputIdx(0),
            crate::text!(
                "notice.publiccode-skipped",
                file = file.display().to_string()
            ),
        );
    }
    for s in &skipped {
        inv.notice(
            crate::model::InputIdx(0),
            crate::text!(
                "notice.file-not-read",
                file = s.path.display().to_string(),
                reason = s.reason.clone()
            ),
        );
    }
    inv.skipped.extend(skipped);
    record_parents(&mut inv, inherited);
    checkout_licence(dir, &mut inv);
    inv.finish();
    Ok((inv, publiccode))
}

/// A source checkout's own licence: a root package read from a manifest or lockfile at
/// the top of `dir` that states no licence at all gets the checkout's licence file
/// (`LICENSE`, `LICENCE`, `COPYING` or `UNLICENSE`, optionally `.txt` or `.md`, any
/// case) to be identified against the SPDX licence texts, when there is exactly one
/// such file. SBOM subjects keep what their SBOM says.
fn checkout_licence(dir: &Path, inv: &mut Inventory) {
    let names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                .filter(|n| is_licence_file_name(n))
                .collect()
        })
        .unwrap_or_default();
    let [name] = names.as_slice() else {
        return;
    };
    let mut text: Option<Option<String>> = None;
    for &root in &inv.roots {
        let pkg = &inv.packages[root.index()];
        let from_top = inv
            .inputs
            .get(pkg.input.0 as usize)
            .is_some_and(|i| i.path.parent() == Some(dir) && !is_sbom(i.format));
        if !from_top
            || !pkg.declared.is_empty()
            || !pkg.concluded.is_empty()
            || pkg.license_file.is_some()
        {
            continue;
        }
        let text = text
            .get_or_insert_with(|| cargo::read_license_file(&dir.join(name)))
            .clone();
        let pkg = &mut inv.packages[root.index()];
        pkg.license_file = Some(name.clone());
        pkg.license_text = text;
    }
}

/// `LICENSE`, `LICENCE`, `COPYING`, `UNLICENSE`, bare or with `.txt` / `.md`, any case.
fn is_licence_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let stem = lower
        .strip_suffix(".txt")
        .or_else(|| lower.strip_suffix(".md"))
        .unwrap_or(&lower);
    matches!(stem, "license" | "licence" | "copying" | "unlicense")
}

fn is_sbom(format: InputFormat) -> bool {
    matches!(
        format,
        InputFormat::CycloneDxJson
            | InputFormat::CycloneDxXml
            | InputFormat::Spdx3JsonLd
            | InputFormat::SpdxJson
            | InputFormat::SpdxTagValue
    )
}

/// Extensions of files a directory search looks at: every serialisation of the
/// formats sovra reads or recognises (SBOMs in JSON, XML, YAML, RDF, tag-value;
/// manifests; lockfiles).
pub(crate) const EVIDENCE_EXTENSIONS: [&str; 14] = [
    "json", "jsonld", "toml", "spdx", "yml", "yaml", "xml", "rdf", "ttl", "cdx", "lock",
    "lockfile", "mod", "txt",
];

/// File names that are evidence whatever their extension: lockfiles of package managers.
pub(crate) const EVIDENCE_NAMES: [&str; 5] = [
    "go.sum",
    "pom.xml",
    "requirements.txt",
    "Pipfile.lock",
    "gradle.lockfile",
];

/// Whether a file's name says it holds an SBOM or a lockfile, so that failing to read
/// it drops evidence.
fn has_evidence_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    EVIDENCE_NAMES.iter().any(|n| n.eq_ignore_ascii_case(&name))
        || name.contains("sbom")
        || name.contains("bom.")
        || name.contains(".spdx")
        || name.contains(".cdx")
        || name.contains("cyclonedx")
        || name.ends_with(".rdf")
        || name.ends_with(".lock")
        || name.ends_with("-lock.json")
        || name.ends_with("-lock.yaml")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // The entry itself: a symbolic link to a directory is not followed (no loops).
        let ty = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if ty.is_dir() {
            if !is_skipped_dir(&name) {
                walk(&path, out)?;
            }
        } else {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            if ext
                .as_deref()
                .is_some_and(|e| EVIDENCE_EXTENSIONS.contains(&e))
                || EVIDENCE_NAMES.contains(&name.as_ref())
            {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// Detects the format of a file from its content.
pub fn detect(bytes: &[u8]) -> Option<InputFormat> {
    match sniff(Path::new(""), bytes) {
        Ok(Sniffed::Known(f)) => Some(f),
        _ => None,
    }
}

/// What [`sniff`] concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniffed {
    Known(InputFormat),
    Unknown,
    /// A format sovra recognises but does not read, with the message to say so.
    Unsupported(&'static str),
}

const SPDX_OTHER: &str = "an SPDX document in RDF/XML or XML; sovra reads SPDX 2.2 and 2.3 as \
     JSON, YAML or tag-value";

/// Detects the format of `bytes`. Malformed JSON, and malformed TOML that looks like a
/// manifest, are errors with line and column; anything else unrecognised is
/// [`Sniffed::Unknown`].
fn sniff(path: &Path, bytes: &[u8]) -> Result<Sniffed> {
    // Text that cannot be decoded is an error at the first bad byte.
    let text = decode_text(path, bytes)?;
    let trimmed = text.trim_start();
    // Every JSON format sovra reads is an object (a top-level array is no known format,
    // and `[` also opens a TOML table).
    if trimmed.starts_with('{') {
        return sniff_json(path, text.as_bytes());
    }
    if trimmed.starts_with('<') {
        let mut end = trimmed.len().min(4096);
        while !trimmed.is_char_boundary(end) {
            end -= 1;
        }
        let head = &trimmed[..end];
        return Ok(
            if xml_root(head) == Some("bom") && head.contains("cyclonedx.org/schema/bom") {
                Sniffed::Known(InputFormat::CycloneDxXml)
            } else if maven::looks_like_pom(xml_root(head), head) {
                Sniffed::Known(InputFormat::MavenPom)
            } else if head.contains("spdx.org/rdf/terms") || head.contains("<spdxVersion>") {
                Sniffed::Unsupported(SPDX_OTHER)
            } else {
                Sniffed::Unknown
            },
        );
    }
    if golang::looks_like_go_mod(&text) {
        return Ok(Sniffed::Known(InputFormat::GoMod));
    }
    if yarn::looks_like_yarn_lock(&text) {
        return Ok(Sniffed::Known(InputFormat::YarnLock));
    }
    if pnpm::looks_like_pnpm_lock(&text) {
        return Ok(Sniffed::Known(InputFormat::PnpmLock));
    }
    if gradle::looks_like_gradle_lock(&text) {
        return Ok(Sniffed::Known(InputFormat::GradleLock));
    }
    if ruby::looks_like_gemfile_lock(&text) {
        return Ok(Sniffed::Known(InputFormat::GemfileLock));
    }
    // Lines end in LF, CR LF or a lone CR.
    for line in text.split(['\n', '\r']) {
        if line.trim_start().starts_with("SPDXVersion:") {
            return Ok(Sniffed::Known(InputFormat::SpdxTagValue));
        }
        if ["spdxVersion:", "\"spdxVersion\":", "'spdxVersion':"]
            .iter()
            .any(|k| line.starts_with(k))
        {
            return Ok(Sniffed::Known(InputFormat::SpdxYaml));
        }
        if let Some(rest) = line.strip_prefix("publiccodeYmlVersion") {
            if rest.trim_start().starts_with(':') {
                return Ok(Sniffed::Known(InputFormat::PublicCode));
            }
        }
    }
    match sniff_toml(path, &text)? {
        Sniffed::Unknown if python::looks_like_requirements(&text) => {
            Ok(Sniffed::Known(InputFormat::Requirements))
        }
        other => Ok(other),
    }
}

/// The local name of the first element of an XML text (declarations, processing
/// instructions and comments skipped).
fn xml_root(head: &str) -> Option<&str> {
    let mut rest = head;
    loop {
        rest = &rest[rest.find('<')? + 1..];
        let close = if rest.starts_with("!--") {
            "-->"
        } else if rest.starts_with('?') {
            "?>"
        } else if rest.starts_with('!') {
            ">"
        } else {
            ""
        };
        if !close.is_empty() {
            rest = &rest[rest.find(close)? + close.len()..];
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..end];
        return Some(name.rsplit(':').next().unwrap_or(name));
    }
}

fn sniff_toml(path: &Path, text: &str) -> Result<Sniffed> {
    match toml::from_str::<toml::Table>(text) {
        Ok(table) => {
            let is_table = |k: &str| table.get(k).is_some_and(toml::Value::is_table);
            let locked = table.get("package").and_then(toml::Value::as_array);
            let first_source = locked.and_then(|p| p.first()).and_then(|p| p.get("source"));
            let meta = table.get("metadata").and_then(toml::Value::as_table);
            Ok(if is_table("candidate") {
                Sniffed::Known(InputFormat::Candidate)
            } else if meta.is_some_and(|m| m.contains_key("lock-version")) {
                Sniffed::Known(InputFormat::PoetryLock)
            } else if table.contains_key("requires-python")
                || first_source.is_some_and(toml::Value::is_table)
            {
                Sniffed::Known(InputFormat::UvLock)
            } else if locked.is_some() || table.get("version").is_some_and(|v| v.is_integer()) {
                Sniffed::Known(InputFormat::CargoLock)
            } else if is_table("package") || is_table("workspace") {
                Sniffed::Known(InputFormat::CargoManifest)
            } else {
                Sniffed::Unknown
            })
        }
        Err(e) => {
            let looks_like_manifest = text.lines().any(|l| {
                matches!(
                    l.trim(),
                    "[package]" | "[workspace]" | "[candidate]" | "[[package]]" | "[metadata]"
                )
            });
            if !looks_like_manifest {
                return Ok(Sniffed::Unknown);
            }
            let offset = e.span().map_or(0, |s| s.start);
            Err(Error::Invalid(vec![Problem::at_offset(
                path,
                text,
                offset,
                toml_message(&e),
            )]))
        }
    }
}

/// The first line of a TOML error message, without its own position and snippet.
pub(crate) fn toml_message(e: &toml::de::Error) -> String {
    e.message().trim().trim_end_matches('.').to_owned()
}

/// Top-level keys of a JSON document that decide its format.
#[derive(Debug, Default)]
struct JsonMarks {
    cyclonedx: bool,
    spdx: bool,
    workspace_members: bool,
    packages: bool,
    lockfile_version: bool,
    requires: bool,
    dependencies: bool,
    facts: bool,
    spdx3: bool,
    content_hash: bool,
    pipfile_meta: bool,
    default_or_develop: bool,
    numeric_version: bool,
}

impl JsonMarks {
    fn format(&self) -> Option<InputFormat> {
        if self.cyclonedx {
            Some(InputFormat::CycloneDxJson)
        } else if self.spdx {
            Some(InputFormat::SpdxJson)
        } else if self.facts {
            Some(InputFormat::Facts)
        } else if self.workspace_members && self.packages {
            Some(InputFormat::CargoMetadata)
        } else if self.lockfile_version || (self.requires && self.dependencies) {
            Some(InputFormat::NpmLock)
        } else if self.content_hash && self.packages {
            Some(InputFormat::ComposerLock)
        } else if self.pipfile_meta && self.default_or_develop {
            Some(InputFormat::PipfileLock)
        } else if self.numeric_version && self.dependencies {
            Some(InputFormat::NugetLock)
        } else {
            None
        }
    }
}

fn sniff_json(path: &Path, bytes: &[u8]) -> Result<Sniffed> {
    let mut marks = JsonMarks::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = TopKeys(&mut marks)
        .deserialize(&mut de)
        .and_then(|()| de.end());
    match result {
        Ok(()) => Ok(match marks.format() {
            Some(f) => Sniffed::Known(f),
            None if marks.spdx3 => Sniffed::Known(InputFormat::Spdx3JsonLd),
            None => Sniffed::Unknown,
        }),
        Err(e) if e.classify() == serde_json::error::Category::Data => Ok(Sniffed::Unknown),
        Err(e) => Err(Error::json(path, &e)),
    }
}

/// Whether a (possibly broken) JSON text names a known format among its first top-level
/// keys, so that a syntax error in it is worth reporting.
fn claims_format(bytes: &[u8]) -> bool {
    let mut marks = JsonMarks::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let _ = TopKeys(&mut marks).deserialize(&mut de);
    marks.cyclonedx
        || marks.spdx
        || marks.spdx3
        || marks.workspace_members
        || marks.lockfile_version
        || marks.facts
        || marks.content_hash
        || marks.pipfile_meta
}

/// Visits the top-level object of a JSON document, recording the keys that matter and
/// skipping every value without building it.
struct TopKeys<'a>(&'a mut JsonMarks);

impl<'de> DeserializeSeed<'de> for TopKeys<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopKeys<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "bomFormat" => {
                    let v: serde_json::Value = map.next_value()?;
                    self.0.cyclonedx |= v.as_str() == Some("CycloneDX");
                    continue;
                }
                "@context" => {
                    let v: serde_json::Value = map.next_value()?;
                    self.0.spdx3 |= v.to_string().contains("spdx.org/rdf/3");
                    continue;
                }
                "requires" => {
                    let v: serde_json::Value = map.next_value()?;
                    self.0.requires |= v.is_boolean();
                    continue;
                }
                "version" => {
                    let v: serde_json::Value = map.next_value()?;
                    self.0.numeric_version |= v.is_u64();
                    continue;
                }
                "spdxVersion" => self.0.spdx = true,
                "workspace_members" => self.0.workspace_members = true,
                "packages" => self.0.packages = true,
                "lockfileVersion" => self.0.lockfile_version = true,
                "dependencies" => self.0.dependencies = true,
                "sovraFacts" => self.0.facts = true,
                "content-hash" => self.0.content_hash = true,
                "_meta" => self.0.pipfile_meta = true,
                "default" | "develop" => self.0.default_or_develop = true,
                _ => {}
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// The text of an input: UTF-8 (a byte-order mark is dropped) or UTF-16 with a
/// byte-order mark, decoded. Other bytes are an error at the first invalid position.
pub(crate) fn decode_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(path, rest);
    }
    let (le, rest) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => return utf8(path, bytes),
    };
    let units = rest.chunks(2).map(|c| {
        let pair = [c[0], c.get(1).copied().unwrap_or(0)];
        if le {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let mut out = String::with_capacity(rest.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => out.push(c),
            Err(_) => {
                return Err(Error::Invalid(vec![Problem::at_offset(
                    path,
                    &out,
                    out.len(),
                    format!("invalid UTF-16 at code unit {}", i + 1),
                )]));
            }
        }
    }
    Ok(Cow::Owned(out))
}

/// The lines of `text` as [`str::lines`] gives them (split at `\n`, a `\r` before it
/// dropped, no empty line after a final `\n`), found with the vectorised `memchr`: the
/// line readers split every file this way, most lines shorter than a search's set-up.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let line = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => {
                let line = &rest[..i];
                rest = &rest[i + 1..];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => std::mem::take(&mut rest),
        };
        Some(line)
    })
}

fn utf8<'a>(path: &Path, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let text = String::from_utf8_lossy(valid);
            Err(Error::Invalid(vec![Problem::at_offset(
                path,
                &text,
                text.len(),
                "invalid UTF-8",
            )]))
        }
    }
}

/// Parses `bytes` (read from `path`) as `format`. `path` is used in error messages and
/// the evidence record only. Pure: no file or network access (a `Cargo.toml` manifest,
/// which needs `cargo metadata`, goes through [`read_path`] instead).
///
/// The parsers see UTF-8 without a byte-order mark (UTF-16 with a mark is decoded
/// first); the evidence record keeps the hash and size of the bytes as read.
pub fn parse_as(format: InputFormat, path: &Path, bytes: &[u8]) -> Result<Inventory> {
    parse_with(format, path, bytes, None)
}

/// [`parse_as`] with the project manifest read beside a lockfile (path and bytes).
fn parse_with(
    format: InputFormat,
    path: &Path,
    bytes: &[u8],
    manifest: Option<&(PathBuf, Vec<u8>)>,
) -> Result<Inventory> {
    let manifest = manifest.map(|(p, b)| (p.as_path(), b.as_slice()));
    let text = decode_text(path, bytes)?;
    let utf8 = text.as_bytes();
    let mut inv = match format {
        InputFormat::CargoMetadata => cargo::parse_metadata(path, utf8),
        InputFormat::CycloneDxJson => cyclonedx::parse(path, utf8),
        InputFormat::CycloneDxXml => cyclonedx_xml::parse(path, utf8),
        InputFormat::SpdxJson => spdx::parse_json(path, utf8),
        InputFormat::Spdx3JsonLd => spdx3::parse(path, utf8),
        InputFormat::SpdxTagValue => spdx::parse_tag_value(path, utf8),
        InputFormat::SpdxYaml => spdx::parse_yaml(path, utf8),
        InputFormat::NpmLock => npm::parse(path, utf8),
        InputFormat::ComposerLock => composer::parse(path, &text, manifest),
        InputFormat::PoetryLock => python::parse_poetry(path, &text, manifest),
        InputFormat::UvLock => python::parse_uv(path, &text),
        InputFormat::PipfileLock => python::parse_pipfile(path, &text),
        InputFormat::CargoLock => cargo_lock::parse(path, &text),
        InputFormat::GoMod => golang::parse(path, &text, manifest),
        InputFormat::GemfileLock => ruby::parse(path, &text),
        InputFormat::YarnLock => yarn::parse(path, &text, manifest),
        InputFormat::PnpmLock => pnpm::parse(path, &text, manifest),
        InputFormat::NugetLock => dotnet::parse(path, &text),
        InputFormat::GradleLock => gradle::parse(path, &text),
        InputFormat::MavenPom => maven::parse(path, utf8),
        InputFormat::Requirements => python::parse_requirements(path, &text),
        other => Err(Error::input(
            path,
            format!("`{}` is not a package inventory format", other.as_str()),
        )),
    }?;
    seal(&mut inv, path, bytes);
    debug_assert!(sealed(&inv), "a reader recorded a file other than {path:?}");
    if let (Some((file, raw)), Some((_, companion))) = (manifest, companion(format)) {
        // What the reader took from it (roots, direct dependencies, the project's
        // licence) is part of the result, so the file is evidence of its own.
        inv.add_input(input_file(file, companion, DocumentMeta::default()));
        seal(&mut inv, file, raw);
    }
    Ok(inv)
}

/// The evidence record of one input file as a reader makes it: path as given, format
/// and document facts. Hash and size are left to [`seal`], which has the bytes as read.
pub(crate) fn input_file(path: &Path, format: InputFormat, meta: DocumentMeta) -> InputFile {
    InputFile {
        path: path.to_owned(),
        format,
        sha256: String::new(),
        bytes: 0,
        meta,
    }
}

/// Completes the evidence records of `path` that a reader left open with the SHA-256 and
/// size of `raw`, the file's bytes as read (before a byte-order mark is dropped or UTF-16
/// decoded), so that `sha256sum` of the file gives the recorded hash. The one place
/// evidence is hashed: readers read, and whoever read the file from disk seals.
pub(crate) fn seal(inv: &mut Inventory, path: &Path, raw: &[u8]) {
    let mut open = inv
        .inputs
        .iter_mut()
        .filter(|f| f.sha256.is_empty() && f.path == path)
        .peekable();
    if open.peek().is_none() {
        return;
    }
    let sha256 = crate::digest::sha256_hex(raw);
    for f in open {
        f.sha256.clone_from(&sha256);
        f.bytes = raw.len() as u64;
    }
}

/// Whether every evidence record has its hash: a reader's record that no [`seal`]
/// reached would carry none.
fn sealed(inv: &Inventory) -> bool {
    inv.inputs.iter().all(|f| !f.sha256.is_empty())
}

/// Names close to `wanted` among `names` (edit distance or containment), best first,
/// for "did you mean" messages.
pub(crate) fn close_names<'a>(
    wanted: &str,
    names: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let wanted_lc = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: BTreeSet<(usize, String)> = BTreeSet::new();
    for name in names {
        let lc = name.to_lowercase();
        let d = edit_distance(&wanted_lc, &lc);
        if d <= limit || (wanted_lc.len() >= 3 && lc.contains(&wanted_lc)) {
            scored.insert((d, name.to_owned()));
        }
    }
    scored.into_iter().take(5).map(|(_, n)| n).collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod publiccode_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_as_the_standard_library_does() {
        for text in [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "a\r\nb",
            "a\r\n\r\n",
            "\r",
            "a\rb\n",
            "ü\nx\r\r\n",
            "no newline at the end",
        ] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn seal_hashes_the_open_records_of_its_path() {
        let mut inv = Inventory::new();
        for path in ["a.json", "b.json", "a.json"] {
            inv.add_input(input_file(
                Path::new(path),
                InputFormat::NpmLock,
                DocumentMeta::default(),
            ));
        }
        assert!(!sealed(&inv));
        seal(&mut inv, Path::new("a.json"), b"abc");
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        let got: Vec<(&str, u64)> = inv
            .inputs
            .iter()
            .map(|f| (f.sha256.as_str(), f.bytes))
            .collect();
        assert_eq!(got, [(abc, 3), ("", 0), (abc, 3)]);
        assert!(!sealed(&inv));
        // A record once sealed keeps its hash.
        seal(&mut inv, Path::new("a.json"), b"other");
        seal(&mut inv, Path::new("b.json"), b"");
        assert_eq!(inv.inputs[0].sha256, abc);
        assert_eq!(
            inv.inputs[1].sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(sealed(&inv));
    }

    fn check(text: &str, expect: Option<InputFormat>) {
        assert_eq!(detect(text.as_bytes()), expect, "{text}");
    }

    #[test]
    fn detects_from_content() {
        use InputFormat::*;
        check(
            r#"{"specVersion":"1.5","bomFormat":"CycloneDX"}"#,
            Some(CycloneDxJson),
        );
        check(r#"{"bomFormat":"Other"}"#, None);
        check(r#"{"spdxVersion":"SPDX-2.3"}"#, Some(SpdxJson));
        check(
            r#"{"packages":[],"workspace_members":[],"version":1}"#,
            Some(CargoMetadata),
        );
        check(
            r#"{"name":"x","lockfileVersion":3,"packages":{}}"#,
            Some(NpmLock),
        );
        check(
            r#"{"name":"x","requires":true,"dependencies":{}}"#,
            Some(NpmLock),
        );
        check(r#"{"name":"x","dependencies":{"a":"^1"}}"#, None);
        check(r#"{"sovraFacts":1}"#, Some(Facts));
        check(
            r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}"#,
            Some(Spdx3JsonLd),
        );
        check("[1, 2]", None);
        check(
            "## doc\nSPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n",
            Some(SpdxTagValue),
        );
        check("publiccodeYmlVersion: \"0.4\"\nname: x\n", Some(PublicCode));
        check(
            "<?xml version=\"1.0\"?>\n<!-- a <b> -->\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">",
            Some(CycloneDxXml),
        );
        check(
            "<cdx:bom xmlns:cdx=\"http://cyclonedx.org/schema/bom/1.4\">",
            Some(CycloneDxXml),
        );
        check(
            "<catalog><uri name=\"http://cyclonedx.org/schema/bom/1.6\"/></catalog>",
            None,
        );
        check("[package]\nname = \"a\"\n", Some(CargoManifest));
        check("[workspace]\nmembers = []\n", Some(CargoManifest));
        check("[candidate]\nname = \"a\"\n", Some(Candidate));
        check("[tool]\nx = 1\n", None);
        check("plain text", None);
    }

    #[test]
    fn recognised_but_unsupported_formats_say_so() {
        let says = |text: &str, what: &str| match sniff(Path::new("x"), text.as_bytes()) {
            Ok(Sniffed::Unsupported(m)) => assert!(m.contains(what), "{m}"),
            other => panic!("{text}: {other:?}"),
        };
        check(
            "spdxVersion: SPDX-2.3\nname: x\n",
            Some(InputFormat::SpdxYaml),
        );
        says("<rdf:RDF xmlns:spdx=\"http://spdx.org/rdf/terms#\">", "XML");
    }

    #[test]
    fn decodes_utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "SPDXVersion: SPDX-2.3\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(detect(&bytes), Some(InputFormat::SpdxTagValue));
        let mut be = vec![0xFE, 0xFF];
        for u in "SPDXVersion: SPDX-2.3\n".encode_utf16() {
            be.extend(u.to_be_bytes());
        }
        assert_eq!(
            decode_text(Path::new("x"), &be).unwrap(),
            "SPDXVersion: SPDX-2.3\n"
        );
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let e = sniff(
            Path::new("x.json"),
            b"{\n  \"lockfileVersion\": 3,\n  oops\n}",
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "x.json:3:3: key must be a string");
        let e = sniff(Path::new("Cargo.toml"), b"[package]\nname = \n").unwrap_err();
        assert!(e.to_string().starts_with("Cargo.toml:2:"), "{e}");
    }

    #[test]
    fn close_names_suggest_typos_and_parts() {
        let names = ["serde", "serde_json", "itoa", "memchr"];
        assert_eq!(close_names("serd", names), vec!["serde", "serde_json"]);
        assert_eq!(close_names("memchar", names), vec!["memchr"]);
        assert!(close_names("zzzzzz", names).is_empty());
    }
}
