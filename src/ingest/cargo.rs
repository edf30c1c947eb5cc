//! Cargo ingest: a saved `cargo metadata --format-version 1` document, or a `Cargo.toml`
//! for which `cargo metadata` is run.
//!
//! Workspace members are the roots. Edges come from `resolve.nodes[].deps[].dep_kinds`
//! (normal → runtime, or optional when the dependent declares the dependency
//! `optional`; dev → dev; build → build), each with its `cfg` target. Paths of
//! path-source packages are made relative to the workspace root, so nothing of the
//! machine that saved the metadata reaches output.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, NodeDep};

use super::{IngestOptions, input_file};
use crate::error::{Error, Result};
use crate::model::{
    DocumentMeta, Ecosystem, EdgeKind, InputFile, InputFormat, Inventory, Package, PackageId,
    PkgIdx, SourceKind,
};

/// The two spellings of the crates.io index.
const CRATES_IO: [&str; 2] = [
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
];

/// Parses a saved `cargo metadata --format-version 1` document.
pub(crate) fn parse_metadata(path: &Path, bytes: &[u8]) -> Result<Inventory> {
    let meta: Metadata = serde_json::from_slice(bytes).map_err(|e| Error::json(path, &e))?;
    let input = input_file(path, InputFormat::CargoMetadata, meta_facts(&meta));
    Ok(build(&meta, input))
}

/// Runs `cargo metadata` for the manifest at `path` (its bytes are the evidence) and
/// returns the inventory with the canonical manifest paths of every local package read
/// (workspace members and path dependencies), which a directory search then need not
/// read again.
pub(crate) fn from_manifest(
    path: &Path,
    bytes: &[u8],
    opts: &IngestOptions,
) -> Result<(Inventory, Vec<PathBuf>)> {
    let mut cmd = MetadataCommand::new();
    cmd.manifest_path(path);
    let mut extra = Vec::new();
    if opts.offline {
        extra.push("--offline".to_owned());
        // Offline, only what a build on this machine fetched can be read: filter to the
        // host platform, as cargo-deny filters by its targets, so a crate needed only on
        // another platform (`windows-sys` on Linux) is neither required nor judged.
        if let Some(host) = host_platform() {
            extra.push("--filter-platform".to_owned());
            extra.push(host);
        }
    }
    if opts.locked {
        extra.push("--locked".to_owned());
    }
    cmd.other_options(extra);
    let meta = cmd.exec().map_err(|e| {
        let detail = match e {
            cargo_metadata::Error::CargoMetadata { stderr } => stderr.trim().to_owned(),
            other => other.to_string(),
        };
        Error::External(format!(
            "`cargo metadata` failed for `{}`: {detail}",
            path.display()
        ))
    })?;
    let members: Vec<PathBuf> = meta
        .packages
        .iter()
        .filter(|p| p.source.is_none())
        .map(|p| {
            let manifest = p.manifest_path.as_std_path();
            std::fs::canonicalize(manifest).unwrap_or_else(|_| manifest.to_owned())
        })
        .collect();
    let input = input_file(path, InputFormat::CargoManifest, meta_facts(&meta));
    let mut inv = build(&meta, input);
    super::seal(&mut inv, path, bytes);
    Ok((inv, members))
}

/// The host's target triple, from `rustc -vV` (`$RUSTC` when set); `None` when rustc
/// cannot be run, and cargo then resolves every platform.
fn host_platform() -> Option<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = std::process::Command::new(rustc).arg("-vV").output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
}

fn meta_facts(meta: &Metadata) -> DocumentMeta {
    DocumentMeta {
        spec_version: Some("cargo-metadata/1".to_owned()),
        has_dependencies: meta.resolve.is_some(),
        ..DocumentMeta::default()
    }
}

/// The source kind of a package from its `source` field (none: a path package).
fn source_kind(source: Option<&str>, manifest_dir: &Path, root: &Path) -> SourceKind {
    match source {
        None => SourceKind::Path(relative_to(manifest_dir, root)),
        Some(s) if CRATES_IO.contains(&s) => SourceKind::DefaultRegistry,
        Some(s) => {
            if let Some(url) = s.strip_prefix("git+") {
                SourceKind::Git(url.to_owned())
            } else if let Some(url) = s
                .strip_prefix("registry+")
                .or_else(|| s.strip_prefix("sparse+"))
            {
                SourceKind::Registry(url.to_owned())
            } else {
                SourceKind::Registry(s.to_owned())
            }
        }
    }
}

/// `path` relative to `base` with `/` separators (`.` for `base` itself, `..` segments
/// where `path` lies outside).
fn relative_to(path: &Path, base: &Path) -> String {
    let p: Vec<Component<'_>> = path.components().collect();
    let b: Vec<Component<'_>> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = Vec::new();
    parts.extend(std::iter::repeat_n("..".to_owned(), b.len() - common));
    parts.extend(
        p[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

fn build(meta: &Metadata, input: InputFile) -> Inventory {
    let mut inv = Inventory::new();
    let input_idx = inv.add_input(input);
    let root = meta.workspace_root.as_std_path();

    let mut by_cargo_id: HashMap<&str, PkgIdx> = HashMap::with_capacity(meta.packages.len());
    let mut packages: HashMap<&str, &cargo_metadata::Package> =
        HashMap::with_capacity(meta.packages.len());
    for p in &meta.packages {
        let version = p.version.to_string();
        let purl = format!("pkg:cargo/{}@{version}", p.name.as_str());
        let manifest_dir = p.manifest_path.parent().map_or(root, |d| d.as_std_path());
        let source = source_kind(
            p.source.as_ref().map(|s| s.repr.as_str()),
            manifest_dir,
            root,
        );
        let mut id = PackageId(purl.clone());
        if inv.find(&id).is_some() {
            // Two packages with one name and version from different sources.
            let from = p.source.as_ref().map_or("path", |s| s.repr.as_str());
            inv.notice(
                input_idx,
                crate::text!(
                    "notice.cargo-two-sources",
                    name = p.name.as_str(),
                    source = from
                ),
            );
            id = PackageId(format!("{purl}#{from}"));
        }
        let idx = inv.add_package(Package {
            id,
            name: p.name.to_string(),
            version: Some(version),
            ecosystem: Ecosystem::Cargo,
            purl: Some(purl).into(),
            declared: p.license.iter().cloned().collect(),
            license_file: p
                .license_file
                .as_ref()
                .map(|f| f.as_str().replace('\\', "/")),
            license_text: p
                .license_file
                .as_ref()
                .filter(|_| p.license.is_none())
                .and_then(|f| {
                    read_license_file(&manifest_dir.join(f.as_std_path())).or_else(|| {
                        // Saved metadata from another machine: the crate's unpacked
                        // sources in this machine's cargo cache, when downloaded.
                        p.source.as_ref()?;
                        registry_src(&format!("{}-{}", p.name.as_str(), p.version))
                            .find_map(|dir| read_license_file(&dir.join(f.as_std_path())))
                    })
                }),
            authors: p.authors.clone(),
            repository: p.repository.clone(),
            homepage: p.homepage.clone(),
            description: p.description.as_ref().map(|d| d.trim().to_owned()),
            source,
            input: input_idx,
            ..Package::default()
        });
        by_cargo_id.insert(p.id.repr.as_str(), idx);
        packages.insert(p.id.repr.as_str(), p);
    }

    for m in &meta.workspace_members {
        if let Some(&idx) = by_cargo_id.get(m.repr.as_str()) {
            inv.add_root(idx);
        }
    }

    let Some(resolve) = &meta.resolve else {
        inv.notice(input_idx, crate::text!("notice.cargo-no-resolve"));
        return inv;
    };
    for node in &resolve.nodes {
        let (Some(&from), Some(dependent)) = (
            by_cargo_id.get(node.id.repr.as_str()),
            packages.get(node.id.repr.as_str()),
        ) else {
            inv.notice(
                input_idx,
                crate::text!("notice.cargo-resolve-unknown", id = &node.id.repr),
            );
            continue;
        };
        for dep in &node.deps {
            let (Some(&to), Some(dependency)) = (
                by_cargo_id.get(dep.pkg.repr.as_str()),
                packages.get(dep.pkg.repr.as_str()),
            ) else {
                inv.notice(
                    input_idx,
                    crate::text!(
                        "notice.cargo-dependency-unknown",
                        dependent = dependent.name.as_str(),
                        id = &dep.pkg.repr
                    ),
                );
                continue;
            };
            if dep.dep_kinds.is_empty() {
                // Metadata of cargo before 1.41 carries no kinds.
                inv.add_edge(from, to, EdgeKind::Runtime, None);
            }
            for dk in &dep.dep_kinds {
                let target = dk.target.as_ref().map(ToString::to_string);
                let kind = match dk.kind {
                    DependencyKind::Development => EdgeKind::Dev,
                    DependencyKind::Build => EdgeKind::Build,
                    _ if is_optional(dependent, dependency, dep, target.as_deref()) => {
                        EdgeKind::Optional
                    }
                    _ => EdgeKind::Runtime,
                };
                inv.add_edge(from, to, kind, target);
            }
        }
    }
    inv.finish();
    inv
}

/// Whether `dependent` declares its normal dependency on `dependency` (known in the
/// resolve graph as `dep.name`, for `target`) as `optional`.
fn is_optional(
    dependent: &cargo_metadata::Package,
    dependency: &cargo_metadata::Package,
    dep: &NodeDep,
    target: Option<&str>,
) -> bool {
    let matching: Vec<&cargo_metadata::Dependency> = dependent
        .dependencies
        .iter()
        .filter(|d| d.kind == DependencyKind::Normal)
        .filter(|d| match &d.rename {
            Some(r) => r.replace('-', "_") == dep.name,
            None => d.name == dependency.name.as_str(),
        })
        .collect();
    let same_target: Vec<&&cargo_metadata::Dependency> = matching
        .iter()
        .filter(|d| d.target.as_ref().map(ToString::to_string).as_deref() == target)
        .collect();
    if same_target.is_empty() {
        !matching.is_empty() && matching.iter().all(|d| d.optional)
    } else {
        same_target.iter().all(|d| d.optional)
    }
}

/// The largest licence file read for identification; longer files are not licence texts
/// a package names in `license-file` (the longest SPDX text is under 100 KiB).
pub(crate) const LICENSE_FILE_LIMIT: u64 = 512 * 1024;

/// `<crate>-<version>` folders in cargo's unpacked registry sources
/// (`$CARGO_HOME/registry/src/<index>/`, `~/.cargo` when `CARGO_HOME` is unset).
fn registry_src(folder: &str) -> impl Iterator<Item = PathBuf> + use<> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let mut dirs: Vec<PathBuf> = home
        .and_then(|h| std::fs::read_dir(h.join("registry").join("src")).ok())
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path().join(folder)))
        .filter(|d| d.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
}

/// The text of a licence file beside a manifest (in a checkout or cargo's unpacked
/// registry sources), when it exists and is within [`LICENSE_FILE_LIMIT`]; otherwise the
/// package stays "licence file only".
pub(crate) fn read_license_file(path: &Path) -> Option<String> {
    // The input reader's bounds: regular files only (a FIFO named as a licence file would
    // block the run), at most `LICENSE_FILE_LIMIT` bytes.
    let bytes = super::read_bounded(path, LICENSE_FILE_LIMIT).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A licence file that is a FIFO (which would block a plain read) or too large is
    /// not read; a regular one is.
    #[test]
    fn licence_files_are_read_within_bounds() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("LICENSE-FIFO");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert_eq!(read_license_file(&fifo), None);
        }
        let big = dir.path().join("LICENSE-BIG");
        let size = usize::try_from(LICENSE_FILE_LIMIT).unwrap() + 1;
        std::fs::write(&big, vec![b'x'; size]).unwrap();
        assert_eq!(read_license_file(&big), None);
        let ok = dir.path().join("LICENSE");
        std::fs::write(&ok, "MIT License\n").unwrap();
        assert_eq!(read_license_file(&ok).as_deref(), Some("MIT License\n"));
    }

    #[test]
    fn truncated_metadata_is_an_error_not_a_panic() {
        let text = include_str!("../../tests/fixtures/cargo/sources.json");
        // Every 61st cut: enough to land in every kind of value.
        for cut in (0..text.len()).step_by(61) {
            let e = parse_metadata(Path::new("m.json"), &text.as_bytes()[..cut]);
            assert!(matches!(e, Err(Error::Invalid(_))), "cut at {cut}");
        }
        assert!(parse_metadata(Path::new("m.json"), text.as_bytes()).is_ok());
    }

    #[test]
    fn relative_paths_stay_inside_or_climb() {
        let root = Path::new("/home/dev/ws");
        assert_eq!(relative_to(Path::new("/home/dev/ws"), root), ".");
        assert_eq!(
            relative_to(Path::new("/home/dev/ws/crates/a"), root),
            "crates/a"
        );
        assert_eq!(relative_to(Path::new("/home/dev/other"), root), "../other");
    }

    #[test]
    fn source_kinds() {
        let d = Path::new("/ws/x");
        let r = Path::new("/ws");
        assert_eq!(
            source_kind(Some(CRATES_IO[0]), d, r),
            SourceKind::DefaultRegistry
        );
        assert_eq!(
            source_kind(Some(CRATES_IO[1]), d, r),
            SourceKind::DefaultRegistry
        );
        assert_eq!(
            source_kind(Some("sparse+https://reg.example/index/"), d, r),
            SourceKind::Registry("https://reg.example/index/".into())
        );
        assert_eq!(
            source_kind(Some("git+https://github.com/a/b?rev=1#abc"), d, r),
            SourceKind::Git("https://github.com/a/b?rev=1#abc".into())
        );
        assert_eq!(source_kind(None, d, r), SourceKind::Path("x".into()));
    }

    #[test]
    fn licence_files_are_read_within_their_bound() {
        let dir = tempfile::tempdir().unwrap();
        let at = dir.path().join("LICENSE");
        std::fs::write(&at, vec![b'x'; LICENSE_FILE_LIMIT as usize]).unwrap();
        assert_eq!(
            read_license_file(&at).map(|t| t.len()),
            Some(LICENSE_FILE_LIMIT as usize)
        );
        std::fs::write(&at, vec![b'x'; LICENSE_FILE_LIMIT as usize + 1]).unwrap();
        assert_eq!(read_license_file(&at), None);
        assert_eq!(read_license_file(&dir.path().join("missing")), None);
    }
}
