//! Procurement reports: the view model, its rendering and writing it to disk.
//!
//! `build` turns analysed candidates into the versioned [`model::Report`]; `render`
//! runs it through a template (HTML, Markdown, flat ODF text, terminal summary) or
//! serialises it as JSON; [`write_atomic`] puts the result in place with a rename, so
//! a reader never sees half a report. With `cli`, this is the only module that writes.

pub(crate) mod build;
pub(crate) mod compare;
pub(crate) mod model;
pub(crate) mod render;
pub(crate) mod schema;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::error::{Error, Result};

pub(crate) use render::Format;

/// Writes `bytes` to `path` through a temporary file in the same directory, renamed
/// into place when complete. On failure the temporary file is removed and `path` is
/// left as it was.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".sovra-report-").suffix(".tmp");
    // A report is a document to share: readable like any file the user writes, not
    // private like a temporary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| Error::write(path, e))?;
    let _pending = Pending::new(tmp.path());
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::write(path, e))?;
    tmp.persist(path).map_err(|e| Error::write(path, e.error))?;
    Ok(())
}

/// Temporary files being written, removed when SIGINT or SIGTERM ends the run.
static PENDING: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// A temporary output file registered for removal on a signal while it exists.
#[derive(Debug)]
pub(crate) struct Pending(PathBuf);

impl Pending {
    pub(crate) fn new(path: &Path) -> Pending {
        PENDING
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_owned());
        Pending(path.to_owned())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        PENDING
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.0);
    }
}

/// Removes every pending temporary file and keeps the registry locked, so no new one
/// starts: the caller exits next.
fn remove_pending() -> std::sync::MutexGuard<'static, BTreeSet<PathBuf>> {
    let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
    remove_all(&mut pending);
    pending
}

fn remove_all(paths: &mut BTreeSet<PathBuf>) {
    for p in std::mem::take(paths) {
        let _ = std::fs::remove_file(p);
    }
}

/// Makes SIGINT and SIGTERM remove the temporary files of unfinished writes and end
/// the run with status 128 + the signal (130, 143); an output file already in place
/// stays as it was.
pub(crate) fn clean_up_on_signal() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    let _held = remove_pending();
                    std::process::exit(128 + sig);
                }
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_temporary_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join(".sovra-report-a.tmp");
        std::fs::write(&a, "half").unwrap();
        let registered = |p: &Path| PENDING.lock().unwrap().contains(p);
        let guard = Pending::new(&a);
        assert!(registered(&a));
        drop(guard);
        assert!(!registered(&a), "a finished write is no longer pending");
        let mut set = BTreeSet::from([a.clone(), dir.path().join("gone.tmp")]);
        remove_all(&mut set);
        assert!(set.is_empty() && !a.exists());
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.html");
        std::fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("r.html")]);
    }

    #[test]
    fn atomic_write_into_missing_directory_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("r.html");
        assert!(write_atomic(&path, b"x").is_err());
        assert!(!path.exists());
    }
}

#[cfg(test)]
mod render_tests;
