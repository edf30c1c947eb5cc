//! `sovra policy`.

use super::Status;
use crate::error::{Error, Result};

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Show
    Show,
}

pub(crate) fn run(_cmd: Command) -> Result<Status> {
    Err(Error::Usage(
        "`policy` is not available in this build".into(),
    ))
}
