//! cargo ingest.

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Inventory;

pub(crate) fn parse_metadata(path: &Path, _bytes: &[u8]) -> Result<Inventory> {
    Err(Error::input(path, "this format is not supported yet"))
}
