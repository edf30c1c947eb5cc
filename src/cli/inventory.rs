//! `sovra inventory`.

use super::{InputArgs, Status, emit};
use crate::error::Result;
use crate::ingest;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub input: InputArgs,
}

pub(crate) fn run(args: Args) -> Result<Status> {
    let inv = ingest::ingest(&args.input.inputs, &args.input.ingest_options())?;
    emit(&format!(
        "{} packages, {} edges\n",
        inv.packages.len(),
        inv.edges.len()
    ))?;
    Ok(Status::Clean)
}
