//! What an assessment is stored with, taken from disk and put back: the input files
//! (bounded), the facts file, and the policy files as the policy loader read them.
//!
//! Inputs are stored under a root of their own: each input given is one entry named
//! after its directory name (`opendesk/candidate.toml`), or for a file after its folder
//! (`nextcloud/composer.lock`, with the manifest beside a lockfile stored beside it), a
//! second input of the same entry under `2/`, and so on. Both the first run (`add`) and every later one
//! (`reproduce`) assess a copy materialised from these bytes, so what is stored is
//! exactly what was judged. A directory is taken as `ingest` searches it: `.git`,
//! `target`, `node_modules` and hidden directories are left out; so are symbolic links
//! and special files, which are named.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Most bytes the inputs of one assessment may hold together.
pub(crate) const MAX_STORED_BYTES: u64 = 256 << 20;

/// Most files the inputs of one assessment may hold.
pub(crate) const MAX_STORED_FILES: usize = 20_000;

/// One stored file: its path under the stored root (`/`-separated) and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The inputs of one assessment as stored.
#[derive(Debug, Clone, Default)]
pub(crate) struct Captured {
    /// The entries given, in order, as paths under the root.
    pub roots: Vec<String>,
    /// Every file, sorted by path.
    pub files: Vec<StoredFile>,
    /// What was found and not stored, with the reason.
    pub left_out: Vec<String>,
}

/// Bounds of a capture.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    pub max_file_bytes: u64,
    pub max_total_bytes: u64,
    pub max_files: usize,
}

/// Reads `inputs` (files or directories) within `bounds`.
pub(crate) fn capture(inputs: &[PathBuf], bounds: Bounds) -> Result<Captured> {
    let mut out = Captured::default();
    let mut total = 0u64;
    let mut taken: BTreeMap<String, ()> = BTreeMap::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| Error::io(input, e))?;
        // A file is stored in a folder of its own folder's name: read back, it then lies
        // in a folder of that name as it did (a lockfile without a manifest names its
        // project after it), and the manifest beside it can lie beside it again. Each
        // input has its top-level entry (a directory, or a file's folder) to itself.
        let folder = match meta.is_dir() {
            true => None,
            false => input.parent().and_then(folder_name),
        };
        let base = folder.clone().unwrap_or_else(|| entry_name(input));
        let mut entry = base.clone();
        let mut n = 1;
        while taken.contains_key(&entry) {
            n += 1;
            entry = format!("{n}/{base}");
        }
        taken.insert(entry.clone(), ());
        let name = match folder {
            Some(_) => format!("{entry}/{}", entry_name(input)),
            None => entry,
        };
        if meta.is_dir() {
            walk(input, &name, bounds, &mut total, &mut out)?;
        } else {
            add_file(input, name.clone(), bounds, &mut total, &mut out)?;
            add_companion(input, &name, bounds, &mut total, &mut out)?;
        }
        out.roots.push(name);
    }
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The name an input is stored under: its last component (`.` named after the
/// directory it stands for).
fn entry_name(path: &Path) -> String {
    let named = path
        .file_name()
        .filter(|n| *n != "." && *n != "..")
        .map(|n| n.to_string_lossy().into_owned());
    named
        .or_else(|| {
            std::fs::canonicalize(path)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "input".to_owned())
}

/// The name of the folder `dir` (the current one when empty), if it has one.
fn folder_name(dir: &Path) -> Option<String> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    match dir.file_name() {
        Some(n) if n != "." && n != ".." => Some(n.to_string_lossy().into_owned()),
        _ => std::fs::canonicalize(dir)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())),
    }
    .filter(|n| !n.is_empty())
}

/// Stores the file a lockfile given alone is read with when it lies beside it (its
/// project manifest, `go.sum`), beside the stored lockfile, so that the stored run
/// reads what `sovra check` on the same path reads.
fn add_companion(
    input: &Path,
    stored: &str,
    bounds: Bounds,
    total: &mut u64,
    out: &mut Captured,
) -> Result<()> {
    let Some(format) = out
        .files
        .last()
        .and_then(|f| crate::ingest::detect(&f.bytes))
    else {
        return Ok(());
    };
    let Some(name) = crate::ingest::companion_name(format) else {
        return Ok(());
    };
    let Some(file) = input.parent().map(|d| d.join(name)) else {
        return Ok(());
    };
    if std::fs::symlink_metadata(&file).is_err() {
        return Ok(());
    }
    let at = match stored.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{name}"),
        None => name.to_owned(),
    };
    add_file(&file, at, bounds, total, out)
}

fn walk(dir: &Path, name: &str, bounds: Bounds, total: &mut u64, out: &mut Captured) -> Result<()> {
    let mut stack = vec![(dir.to_path_buf(), name.to_owned())];
    while let Some((d, prefix)) = stack.pop() {
        let rd = std::fs::read_dir(&d).map_err(|e| Error::io(&d, e))?;
        let mut entries: Vec<_> = rd.filter_map(std::result::Result::ok).collect();
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for e in entries {
            let path = e.path();
            let file_name = e.file_name().to_string_lossy().into_owned();
            let stored = format!("{prefix}/{file_name}");
            let ft = e.file_type().map_err(|err| Error::io(&path, err))?;
            if ft.is_dir() {
                if crate::ingest::is_skipped_dir(&file_name) {
                    continue;
                }
                stack.push((path, stored));
            } else if ft.is_file() {
                add_file(&path, stored, bounds, total, out)?;
            } else {
                let what = if ft.is_symlink() {
                    "a symbolic link"
                } else {
                    "not a regular file"
                };
                out.left_out.push(format!("{stored}: {what}"));
            }
        }
    }
    Ok(())
}

fn add_file(
    path: &Path,
    stored: String,
    bounds: Bounds,
    total: &mut u64,
    out: &mut Captured,
) -> Result<()> {
    if out.files.len() >= bounds.max_files {
        return Err(Error::input(
            path,
            format!(
                "more than {} files to store for one assessment; give the evidence files \
                 rather than a whole tree",
                bounds.max_files
            ),
        ));
    }
    let bytes = crate::ingest::read_bounded(path, bounds.max_file_bytes)?;
    *total += bytes.len() as u64;
    if *total > bounds.max_total_bytes {
        return Err(Error::input(
            path,
            format!(
                "the inputs hold more than {} MiB together, more than one assessment stores",
                bounds.max_total_bytes >> 20
            ),
        ));
    }
    out.files.push(StoredFile {
        path: stored,
        bytes,
    });
    Ok(())
}

/// Writes `files` under `root` and returns nothing else: a stored path that would leave
/// `root` (absolute, `..`) is refused, whatever the database holds.
pub(crate) fn materialise(root: &Path, files: &[StoredFile]) -> Result<()> {
    for f in files {
        let rel = safe_relative(&f.path)?;
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        }
        std::fs::write(&path, &f.bytes).map_err(|e| Error::write(&path, e))?;
    }
    Ok(())
}

/// `path` as a relative path of normal components only.
pub(crate) fn safe_relative(path: &str) -> Result<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\\') {
            return Err(Error::External(format!(
                "stored path `{path}` is not a plain relative path"
            )));
        }
        out.push(part);
    }
    if out.as_os_str().is_empty() {
        return Err(Error::External("an empty stored path".into()));
    }
    Ok(out)
}

/// The policy files a policy load read, recorded so a later run reads the same text
/// without the file system.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Recorded {
    /// Policy, vendor and extends files by the path they were asked for.
    pub files: BTreeMap<String, String>,
    /// User catalogue directories by path: their files, sorted.
    pub dirs: BTreeMap<String, Vec<(String, String)>>,
    /// What `canonical` answered per path (`None`: missing).
    pub canonical: BTreeMap<String, Option<String>>,
}

fn key(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Runs `f` with policy files read from disk (as `assess::FILES` does), recording what
/// was read.
pub(crate) fn recording<R>(
    f: impl FnOnce(&crate::policy::Files<'_>) -> Result<R>,
) -> Result<(R, Recorded)> {
    let rec = std::cell::RefCell::new(Recorded::default());
    let read = |p: &Path| -> Result<String> {
        let text = (crate::assess::FILES.read)(p)?;
        rec.borrow_mut().files.insert(key(p), text.clone());
        Ok(text)
    };
    let dir = |p: &Path| -> Result<Vec<(PathBuf, String)>> {
        let found = (crate::assess::FILES.catalogue_dir)(p)?;
        let listed = found.iter().map(|(f, t)| (key(f), t.clone())).collect();
        rec.borrow_mut().dirs.insert(key(p), listed);
        Ok(found)
    };
    let canonical = |p: &Path| -> Option<PathBuf> {
        let c = (crate::assess::FILES.canonical)(p);
        rec.borrow_mut()
            .canonical
            .insert(key(p), c.as_deref().map(key));
        c
    };
    let files = crate::policy::Files {
        read: &read,
        catalogue_dir: &dir,
        kinds: crate::assess::FILES.kinds,
        canonical: &canonical,
    };
    let r = f(&files)?;
    Ok((r, rec.into_inner()))
}

/// Runs `f` with policy files served from `rec` only; a file not recorded is not
/// readable.
pub(crate) fn replaying<R>(
    rec: &Recorded,
    f: impl FnOnce(&crate::policy::Files<'_>) -> Result<R>,
) -> Result<R> {
    let read = |p: &Path| -> Result<String> {
        rec.files
            .get(&key(p))
            .cloned()
            .ok_or_else(|| Error::input(p, "not among the stored policy files"))
    };
    let dir = |p: &Path| -> Result<Vec<(PathBuf, String)>> {
        rec.dirs
            .get(&key(p))
            .map(|v| {
                v.iter()
                    .map(|(f, t)| (PathBuf::from(f), t.clone()))
                    .collect()
            })
            .ok_or_else(|| Error::input(p, "not among the stored policy files"))
    };
    let canonical = |p: &Path| -> Option<PathBuf> {
        rec.canonical
            .get(&key(p))
            .cloned()
            .flatten()
            .map(PathBuf::from)
    };
    let files = crate::policy::Files {
        read: &read,
        catalogue_dir: &dir,
        kinds: crate::assess::FILES.kinds,
        canonical: &canonical,
    };
    f(&files)
}
