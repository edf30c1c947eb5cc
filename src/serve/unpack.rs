//! Uploaded offers onto disk: a candidate archive (`.tar`, `.tar.gz`) unpacked, or
//! SBOMs and lockfiles written as they are, always inside the job's own directory.
//!
//! An upload comes from a bidder and is read with bounds: at most [`Limits::entries`]
//! entries and [`Limits::bytes`] unpacked bytes (a gzip bomb stops at the bound, not at
//! the end of memory), names of plain relative components only (an absolute name, a
//! `..`, a NUL or a backslash is refused), and regular files and directories only: a
//! symbolic or hard link, a device or a FIFO is refused by name, so nothing written can
//! point outside the directory or be written through. The same walk checks an upload
//! before it is acknowledged ([`inspect`]) and unpacks it in the worker ([`unpack`]).

use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// Bounds of one upload's content.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Entries (files and directories) of all archives of one upload.
    pub entries: usize,
    /// Bytes of all files once unpacked.
    pub bytes: u64,
    /// Components of one path.
    pub depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            entries: 20_000,
            bytes: 512 << 20,
            depth: 32,
        }
    }
}

/// One uploaded file: the name the client gave and its bytes.
#[derive(Debug, Clone)]
pub(crate) struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why an upload was refused: a sentence naming the file and entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an upload holds, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Summary {
    pub files: usize,
    pub bytes: u64,
}

/// Checks every file of an upload against the bounds and the name rules without
/// writing anything.
pub(crate) fn inspect(uploads: &[Upload], limits: Limits) -> Result<Summary, Refused> {
    walk(uploads, limits, None)
}

/// Writes an upload into `dest` (an empty directory the job owns) and returns the
/// inputs to assess: the one top-level directory when everything lies in one, else
/// `dest` itself.
pub(crate) fn unpack(uploads: &[Upload], limits: Limits, dest: &Path) -> Result<PathBuf, Refused> {
    walk(uploads, limits, Some(dest))?;
    let mut children = fs::read_dir(dest)
        .map_err(|e| Refused(format!("cannot read the job directory: {e}")))?
        .filter_map(|e| e.ok())
        .collect::<Vec<_>>();
    if let [only] = children.as_mut_slice()
        && only.file_type().is_ok_and(|t| t.is_dir())
    {
        return Ok(only.path());
    }
    Ok(dest.to_path_buf())
}

#[derive(Debug)]
enum Kind {
    Tar,
    TarGz,
    Plain,
}

/// A gzip stream is a compressed archive; a tar archive is known by its magic (POSIX)
/// or, for the old format without one, by its name.
fn kind(name: &str, bytes: &[u8]) -> Kind {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        Kind::TarGz
    } else if (bytes.len() >= 262 && &bytes[257..262] == b"ustar")
        || name.to_ascii_lowercase().ends_with(".tar")
    {
        Kind::Tar
    } else {
        Kind::Plain
    }
}

/// Counts what has been read so far across every file of the upload.
#[derive(Debug)]
struct Budget {
    limits: Limits,
    entries: usize,
    bytes: u64,
}

impl Budget {
    fn entry(&mut self, file: &str) -> Result<(), Refused> {
        self.entries += 1;
        if self.entries > self.limits.entries {
            return Err(Refused(format!(
                "`{file}` holds more than {} entries",
                self.limits.entries
            )));
        }
        Ok(())
    }

    fn take(&mut self, file: &str, n: u64) -> Result<(), Refused> {
        self.bytes = self.bytes.saturating_add(n);
        if self.bytes > self.limits.bytes {
            return Err(Refused(format!(
                "`{file}` unpacks to more than {} MiB",
                self.limits.bytes >> 20
            )));
        }
        Ok(())
    }
}

fn walk(uploads: &[Upload], limits: Limits, dest: Option<&Path>) -> Result<Summary, Refused> {
    let mut budget = Budget {
        limits,
        entries: 0,
        bytes: 0,
    };
    let mut files = 0;
    for up in uploads {
        match kind(&up.name, &up.bytes) {
            Kind::Tar => files += tar_entries(&up.name, &up.bytes[..], &mut budget, dest)?,
            Kind::TarGz => {
                let gz = flate2::read::GzDecoder::new(&up.bytes[..]);
                // The decoder is bounded too: a few bytes past the budget prove the excess.
                let bounded = gz.take(limits.bytes.saturating_add(64 << 10));
                files += tar_entries(&up.name, bounded, &mut budget, dest)?;
            }
            Kind::Plain => {
                let name = file_name(&up.name)?;
                budget.entry(&up.name)?;
                budget.take(&up.name, up.bytes.len() as u64)?;
                if let Some(dest) = dest {
                    let path = dest.join(&name);
                    if path.exists() {
                        return Err(Refused(format!("`{name}` is uploaded twice")));
                    }
                    fs::write(&path, &up.bytes)
                        .map_err(|e| Refused(format!("cannot write `{name}`: {e}")))?;
                }
                files += 1;
            }
        }
    }
    if files == 0 {
        return Err(Refused("the upload holds no file".to_owned()));
    }
    Ok(Summary {
        files,
        bytes: budget.bytes,
    })
}

/// The name of a plain uploaded file: its last component, made of ordinary characters.
fn file_name(name: &str) -> Result<String, Refused> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    if base.is_empty()
        || base == "."
        || base == ".."
        || base.len() > 255
        || base.chars().any(|c| c.is_control())
    {
        return Err(Refused(format!(
            "`{}` is not a usable file name",
            name.escape_debug()
        )));
    }
    Ok(base.to_owned())
}

/// The entry's path as plain relative components, or why not.
fn entry_path(file: &str, raw: &[u8], limits: Limits) -> Result<PathBuf, Refused> {
    let shown = String::from_utf8_lossy(raw).escape_debug().to_string();
    let refuse = |why: &str| Refused(format!("`{file}`: entry `{shown}` {why}"));
    let text = std::str::from_utf8(raw).map_err(|_| refuse("is not UTF-8"))?;
    if text.contains(['\0', '\\']) || text.chars().any(char::is_control) {
        return Err(refuse("has a control character or backslash in its name"));
    }
    let path = Path::new(text);
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err(refuse("climbs out with `..`")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(refuse("is an absolute path"));
            }
        }
    }
    if out.components().count() > limits.depth {
        return Err(refuse(&format!("is deeper than {} levels", limits.depth)));
    }
    Ok(out)
}

fn tar_entries(
    file: &str,
    reader: impl Read,
    budget: &mut Budget,
    dest: Option<&Path>,
) -> Result<usize, Refused> {
    let bad = |e: io::Error| Refused(format!("`{file}` is not a readable tar archive: {e}"));
    let mut archive = tar::Archive::new(reader);
    let mut files = 0;
    for entry in archive.entries().map_err(bad)? {
        let mut entry = entry.map_err(bad)?;
        budget.entry(file)?;
        let raw = entry.path_bytes().into_owned();
        let rel = entry_path(file, &raw, budget.limits)?;
        let shown = rel.display().to_string();
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            if let Some(dest) = dest
                && !rel.as_os_str().is_empty()
            {
                fs::create_dir_all(dest.join(&rel))
                    .map_err(|e| Refused(format!("`{file}`: cannot create `{shown}`: {e}")))?;
            }
            continue;
        }
        if !(kind.is_file() || kind == tar::EntryType::Continuous) {
            let what = if kind.is_symlink() {
                "a symbolic link"
            } else if kind.is_hard_link() {
                "a hard link"
            } else {
                "neither a file nor a directory"
            };
            return Err(Refused(format!(
                "`{file}`: entry `{shown}` is {what}; only files and directories are unpacked"
            )));
        }
        if rel.as_os_str().is_empty() {
            return Err(Refused(format!("`{file}`: a file entry has no name")));
        }
        let size = entry.header().size().map_err(bad)?;
        budget.take(file, size)?;
        match dest {
            Some(dest) => {
                let path = dest.join(&rel);
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)
                        .map_err(|e| Refused(format!("`{file}`: cannot create `{shown}`: {e}")))?;
                }
                let mut out = fs::File::create(&path)
                    .map_err(|e| Refused(format!("`{file}`: cannot write `{shown}`: {e}")))?;
                let copied = io::copy(&mut (&mut entry).take(size), &mut out)
                    .map_err(|e| Refused(format!("`{file}`: cannot write `{shown}`: {e}")))?;
                if copied != size {
                    return Err(Refused(format!("`{file}`: entry `{shown}` is cut short")));
                }
            }
            None => {
                let read = io::copy(&mut (&mut entry).take(size), &mut io::sink()).map_err(bad)?;
                if read != size {
                    return Err(Refused(format!("`{file}`: entry `{shown}` is cut short")));
                }
            }
        }
        files += 1;
    }
    Ok(files)
}

#[cfg(test)]
mod tests;
