//! Procurement reports: the view model, its rendering and writing it to disk.
//!
//! `build` turns analysed candidates into the versioned [`model::Report`]; `render`
//! runs it through a template (HTML, Markdown, flat ODF text, terminal summary) or
//! serialises it as JSON; [`write_atomic`] puts the result in place with a rename, so
//! a reader never sees half a report. With `cli`, this is the only module that writes.

pub(crate) mod build;
pub mod model;
pub(crate) mod render;

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

pub use render::Format;

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
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::write(path, e))?;
    tmp.persist(path).map_err(|e| Error::write(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
