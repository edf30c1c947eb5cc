//! SPDX 2.2 / 2.3 ingest, JSON and tag-value.

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Inventory;

pub(crate) fn parse_json(path: &Path, _bytes: &[u8]) -> Result<Inventory> {
    Err(Error::input(path, "this format is not supported yet"))
}

pub(crate) fn parse_tag_value(path: &Path, _bytes: &[u8]) -> Result<Inventory> {
    Err(Error::input(path, "this format is not supported yet"))
}
