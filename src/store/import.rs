//! Bulk import of `publiccode.yml` descriptions (`sovra catalog import`): each valid
//! file becomes a catalogue entry named after its `name`, with its `categories` as
//! functions, assessed like any candidate (a publiccode.yml is a candidate input). An
//! invalid file is reported with its file, line and column and counted; the rest are
//! imported.

use std::path::{Path, PathBuf};

use super::Store;
use super::capture::{Captured, StoredFile};
use super::query::AssessmentRow;
use super::run::{AddRequest, prepare_captured};
use crate::error::{Error, Problem, Result};

/// Most files one import reads.
const MAX_FILES: usize = 100_000;

/// What an import did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub(crate) struct ImportReport {
    pub imported: Vec<AssessmentRow>,
    /// Every problem of the invalid files.
    pub problems: Vec<String>,
    /// Files refused.
    pub invalid: usize,
}

/// The publiccode files among `paths`: a file is taken as it is, a directory is
/// searched for `publiccode.yml` and `publiccode.yaml` (also `*.yml` under it when
/// `all_yaml`), skipping what `ingest` skips. Sorted.
fn files(paths: &[PathBuf], all_yaml: bool) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
        if !meta.is_dir() {
            out.push(p.clone());
            continue;
        }
        let mut stack = vec![p.clone()];
        while let Some(d) = stack.pop() {
            let rd = std::fs::read_dir(&d).map_err(|e| Error::io(&d, e))?;
            for e in rd.filter_map(std::result::Result::ok) {
                let path = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                let Ok(ft) = e.file_type() else { continue };
                if ft.is_dir() && !crate::ingest::is_skipped_dir(&name) {
                    stack.push(path);
                } else if ft.is_file()
                    && (name == "publiccode.yml"
                        || name == "publiccode.yaml"
                        || (all_yaml && (name.ends_with(".yml") || name.ends_with(".yaml"))))
                {
                    out.push(path);
                }
                if out.len() > MAX_FILES {
                    return Err(Error::input(
                        &d,
                        format!("more than {MAX_FILES} files to import at once"),
                    ));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// A stored directory name for `name`: no separators, not empty.
fn entry_name(name: &str, path: &Path) -> String {
    let clean: String = name
        .trim()
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect();
    if clean.is_empty() || clean == "." || clean == ".." {
        path.file_stem().map_or_else(
            || "publiccode".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        )
    } else {
        clean
    }
}

/// Imports every publiccode file among `paths` (see [`files`]) as `actor`, judged
/// against `date`. Each valid file is stored in its own transaction, so one that fails
/// to store leaves the others.
pub(crate) async fn import_publiccode(
    store: &Store,
    paths: &[PathBuf],
    all_yaml: bool,
    date: jiff::civil::Date,
    actor: &str,
) -> Result<ImportReport> {
    let found = files(paths, all_yaml)?;
    let mut report = ImportReport::default();
    for file in found {
        let bytes = crate::ingest::read_bounded(&file, crate::ingest::DEFAULT_MAX_FILE_BYTES);
        let prepared = match bytes.map(|b| check(&file, b)) {
            Ok(Ok((name, bytes))) => {
                let captured = Captured {
                    roots: vec![name.clone()],
                    files: vec![StoredFile {
                        path: format!("{name}/publiccode.yml"),
                        bytes,
                    }],
                    left_out: Vec::new(),
                };
                let mut req = AddRequest::new(Vec::new(), date);
                req.kind = "import";
                tokio::task::spawn_blocking(move || prepare_captured(captured, None, &req))
                    .await
                    .map_err(|e| Error::External(format!("the import did not finish: {e}")))?
            }
            Ok(Err(problems)) => Err(Error::Invalid(problems)),
            Err(e) => Err(e),
        };
        match prepared {
            Ok(p) => report.imported.push(store.insert(&p, actor).await?),
            Err(e) => {
                report.invalid += 1;
                report
                    .problems
                    .extend(e.into_problems(&file).iter().map(ToString::to_string));
            }
        }
    }
    Ok(report)
}

/// Validates one file; returns the name to store it under and its bytes, or every
/// problem with its position.
fn check(file: &Path, bytes: Vec<u8>) -> std::result::Result<(String, Vec<u8>), Vec<Problem>> {
    if !crate::ingest::publiccode::looks_like(&bytes) {
        return Err(vec![Problem::new(
            file,
            1,
            1,
            "not a publiccode.yml: no top-level `publiccodeYmlVersion`",
        )]);
    }
    let pc = crate::ingest::publiccode::validate(file, &bytes, file.parent());
    if !pc.is_valid() {
        return Err(pc.errors);
    }
    Ok((entry_name(&pc.name, file), bytes))
}
