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
use sha2::{Digest, Sha256};

use crate::error::{Error, Problem, Result};
use crate::model::{DocumentMeta, InputFile, InputFormat, Inventory};

pub mod candidate;
mod cargo;
mod cyclonedx;
mod npm;
pub mod publiccode;
mod spdx;

/// Options that reach the ingesters.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Pass `--offline` to `cargo metadata`.
    pub offline: bool,
    /// Pass `--locked` to `cargo metadata`.
    pub locked: bool,
    /// The buyer's vendor registries (`--vendors`), layered over the bundled one.
    pub vendors: Vec<std::path::PathBuf>,
}

/// The formats [`read_path`] accepts, for messages.
const ACCEPTED: &str = "accepted are cargo metadata JSON, `Cargo.toml`, CycloneDX JSON, \
     SPDX JSON or tag-value, npm `package-lock.json`, `publiccode.yml` and `candidate.toml`";

/// Directories never searched: version control, build output, installed packages.
const SKIPPED_DIRS: [&str; 3] = [".git", "target", "node_modules"];

/// Reads every input and merges them into one inventory.
pub fn ingest(paths: &[PathBuf], opts: &IngestOptions) -> Result<Inventory> {
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
pub fn read_path(path: &Path, opts: &IngestOptions) -> Result<Inventory> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return read_dir(path, opts);
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
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
        other => parse_as(other, path, bytes),
    }
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
/// `.git`, `target` and `node_modules` are skipped, and so are hidden directories. Files
/// named `*.json`, `*.toml`, `*.spdx`, `*.yml` / `*.yaml` are read and detected from
/// their content; others and undetected ones are passed over. A directory holding a
/// candidate manifest (`candidate.toml`) is a candidate and an error here. A
/// `publiccode.yml` met on the way is not a package inventory and is passed over.
///
/// Cargo: a saved cargo metadata file stands for the `Cargo.toml` manifests beside and
/// below it (sovra then does not run cargo, so the saved evidence is what is read); a
/// manifest that belongs to a workspace already read is not read twice.
pub fn read_dir(dir: &Path, opts: &IngestOptions) -> Result<Inventory> {
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();

    let mut found: Vec<(PathBuf, InputFormat, Vec<u8>)> = Vec::new();
    let mut publiccode: Option<PathBuf> = None;
    for file in files {
        let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
        let format = match sniff(&file, &bytes) {
            Ok(Sniffed::Known(f)) => f,
            Ok(Sniffed::Unknown | Sniffed::Unsupported(_)) => continue,
            // A broken file that says what it wants to be is an error; any other broken
            // file (a `tsconfig.json` with comments) is not an input.
            Err(e) if claims_format(&bytes) => return Err(e),
            Err(_) => continue,
        };
        if format == InputFormat::Candidate && file.parent() == Some(dir) {
            return Err(Error::input(
                dir,
                "this directory holds a candidate manifest (`candidate.toml`): it is a \
                 candidate input, not a package inventory; assess it as a candidate",
            ));
        }
        if matches!(format, InputFormat::PublicCode | InputFormat::Candidate) {
            if format == InputFormat::PublicCode && publiccode.is_none() {
                publiccode = Some(file);
            }
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
    found.sort_by_key(|(p, _, _)| (p.components().count(), p.clone()));

    let mut inv = Inventory::new();
    let mut covered: HashSet<PathBuf> = HashSet::new();
    for (file, format, bytes) in found {
        if format == InputFormat::CargoManifest {
            if saved.iter().any(|d| file.starts_with(d)) {
                continue;
            }
            let canonical = std::fs::canonicalize(&file).map_err(|e| Error::io(&file, e))?;
            if covered.contains(&canonical) {
                continue;
            }
            let (part, manifests) = cargo::from_manifest(&file, &bytes, opts)?;
            covered.extend(manifests);
            inv.merge(part);
        } else {
            inv.merge(parse_as(format, &file, &bytes)?);
        }
    }
    if inv.inputs.is_empty() {
        if let Some(file) = publiccode {
            return Err(candidate_input(&file, InputFormat::PublicCode));
        }
        return Err(Error::input(
            dir,
            format!("no known input files found in this directory; {ACCEPTED}"),
        ));
    }
    if let Some(file) = publiccode {
        // Not read as part of a package inventory, but never skipped without a word.
        inv.notice(
            crate::model::InputIdx(0),
            crate::text!(
                "notice.publiccode-skipped",
                file = file.display().to_string()
            ),
        );
    }
    Ok(inv)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ty = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if ty.is_dir() {
            if !name.starts_with('.') && !SKIPPED_DIRS.contains(&name.as_ref()) {
                walk(&path, out)?;
            }
        } else if ty.is_file() || ty.is_symlink() {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            if matches!(
                ext.as_deref(),
                Some("json" | "toml" | "spdx" | "yml" | "yaml")
            ) {
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

const SPDX3: &str =
    "an SPDX 3 document (JSON-LD); sovra reads SPDX 2.2 and 2.3, as JSON or tag-value";
const SPDX_OTHER: &str =
    "an SPDX document in YAML or XML; sovra reads SPDX 2.2 and 2.3 as JSON or tag-value";
const CYCLONEDX_XML: &str =
    "a CycloneDX XML document; sovra reads CycloneDX as JSON (spec 1.2 to 1.6)";

/// Detects the format of `bytes`. Malformed JSON, and malformed TOML that looks like a
/// manifest, are errors with line and column; anything else unrecognised is
/// [`Sniffed::Unknown`].
fn sniff(path: &Path, bytes: &[u8]) -> Result<Sniffed> {
    let Ok(text) = decode_text(path, bytes) else {
        return Ok(Sniffed::Unknown);
    };
    let trimmed = text.trim_start();
    // Every JSON format sovra reads is an object (a top-level array is no known format,
    // and `[` also opens a TOML table).
    if trimmed.starts_with('{') {
        return sniff_json(path, text.as_bytes());
    }
    if trimmed.starts_with('<') {
        let head = &trimmed[..trimmed.len().min(4096)];
        return Ok(if head.contains("cyclonedx.org/schema/bom") {
            Sniffed::Unsupported(CYCLONEDX_XML)
        } else if head.contains("spdx.org/rdf/terms") || head.contains("<spdxVersion>") {
            Sniffed::Unsupported(SPDX_OTHER)
        } else {
            Sniffed::Unknown
        });
    }
    for line in text.lines() {
        if line.trim_start().starts_with("SPDXVersion:") {
            return Ok(Sniffed::Known(InputFormat::SpdxTagValue));
        }
        if line.starts_with("spdxVersion:") {
            return Ok(Sniffed::Unsupported(SPDX_OTHER));
        }
        if let Some(rest) = line.strip_prefix("publiccodeYmlVersion") {
            if rest.trim_start().starts_with(':') {
                return Ok(Sniffed::Known(InputFormat::PublicCode));
            }
        }
    }
    sniff_toml(path, &text)
}

fn sniff_toml(path: &Path, text: &str) -> Result<Sniffed> {
    match toml::from_str::<toml::Table>(text) {
        Ok(table) => {
            let is_table = |k: &str| table.get(k).is_some_and(toml::Value::is_table);
            Ok(if is_table("candidate") {
                Sniffed::Known(InputFormat::Candidate)
            } else if is_table("package") || is_table("workspace") {
                Sniffed::Known(InputFormat::CargoManifest)
            } else {
                Sniffed::Unknown
            })
        }
        Err(e) => {
            let looks_like_manifest = text
                .lines()
                .any(|l| matches!(l.trim(), "[package]" | "[workspace]" | "[candidate]"));
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
            None if marks.spdx3 => Sniffed::Unsupported(SPDX3),
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
        || marks.workspace_members
        || marks.lockfile_version
        || marks.facts
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
                "spdxVersion" => self.0.spdx = true,
                "workspace_members" => self.0.workspace_members = true,
                "packages" => self.0.packages = true,
                "lockfileVersion" => self.0.lockfile_version = true,
                "dependencies" => self.0.dependencies = true,
                "sovraFacts" => self.0.facts = true,
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
    let text = decode_text(path, bytes)?;
    let utf8 = text.as_bytes();
    let mut inv = match format {
        InputFormat::CargoMetadata => cargo::parse_metadata(path, utf8),
        InputFormat::CycloneDxJson => cyclonedx::parse(path, utf8),
        InputFormat::SpdxJson => spdx::parse_json(path, utf8),
        InputFormat::SpdxTagValue => spdx::parse_tag_value(path, utf8),
        InputFormat::NpmLock => npm::parse(path, utf8),
        other => Err(Error::input(
            path,
            format!("`{}` is not a package inventory format", other.as_str()),
        )),
    }?;
    if utf8.len() != bytes.len() {
        for f in inv.inputs.iter_mut().filter(|f| f.path == path) {
            *f = input_file(path, bytes, f.format, std::mem::take(&mut f.meta));
        }
    }
    Ok(inv)
}

/// The evidence record of one input file: its path as given, format, size and SHA-256.
pub(crate) fn input_file(
    path: &Path,
    bytes: &[u8],
    format: InputFormat,
    meta: DocumentMeta,
) -> InputFile {
    let digest = Sha256::digest(bytes);
    let mut sha256 = String::with_capacity(64);
    for b in digest {
        sha256.push_str(&format!("{b:02x}"));
    }
    InputFile {
        path: path.to_owned(),
        format,
        sha256,
        bytes: bytes.len() as u64,
        meta,
    }
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
mod tests {
    use super::*;

    #[test]
    fn input_file_hashes_bytes() {
        let f = input_file(
            Path::new("a.json"),
            b"abc",
            InputFormat::NpmLock,
            DocumentMeta::default(),
        );
        assert_eq!(
            f.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(f.bytes, 3);
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
        check("[1, 2]", None);
        check(
            "## doc\nSPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n",
            Some(SpdxTagValue),
        );
        check("publiccodeYmlVersion: \"0.4\"\nname: x\n", Some(PublicCode));
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
        says(
            r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}"#,
            "SPDX 3",
        );
        says(
            "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">",
            "CycloneDX XML",
        );
        says("spdxVersion: SPDX-2.3\nname: x\n", "YAML");
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
