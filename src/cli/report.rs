//! `sovra report`.

use super::{InputArgs, Status};
use crate::error::{Error, Result};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub input: InputArgs,
}

pub(crate) fn run(_args: Args) -> Result<Status> {
    Err(Error::Usage(
        "`report` is not available in this build".into(),
    ))
}
