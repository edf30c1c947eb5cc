//! `sovra completions SHELL` and `sovra man`: shell completions and the man page,
//! generated from the command line's own definition, so they never drift from it.

use super::{Status, emit};
use crate::error::{Error, Result};

#[derive(Debug, clap::Args)]
pub(crate) struct CompletionArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub(crate) fn completions(args: &CompletionArgs) -> Result<Status> {
    let mut cmd = super::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "sovra", &mut out);
    emit(&String::from_utf8_lossy(&out))?;
    Ok(Status::Clean)
}

pub(crate) fn man() -> Result<Status> {
    let mut out = Vec::new();
    clap_mangen::Man::new(super::command())
        .render(&mut out)
        .map_err(|e| Error::io(std::path::Path::new("<man page>"), e))?;
    emit(&String::from_utf8_lossy(&out))?;
    Ok(Status::Clean)
}
