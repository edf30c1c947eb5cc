//! `sovra init`.

use super::Status;
use crate::error::{Error, Result};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

pub(crate) fn run(_args: Args) -> Result<Status> {
    Err(Error::Usage("`init` is not available in this build".into()))
}
