//! sovra: a procurement and digital-sovereignty compliance analyzer.
//!
//! The pipeline is `ingest` → `model::Inventory` → `graph` → `engine` (rules ×
//! `checks`) → `score` → `report`. Only `ingest` (and `enrich`, when asked) read
//! files or the network; only `report` and `cli` write. Everything between is pure.
//! See `ARCHITECTURE.md` for the codemap and invariants.

pub mod assess;
pub mod catalogue;
pub mod checks;
pub mod cli;
pub mod engine;
pub mod enrich;
pub mod error;
pub mod facts;
pub mod finding;
pub mod graph;
pub mod health;
pub mod ingest;
pub mod kb;
pub mod license;
pub(crate) mod locale;
pub mod model;
pub mod policy;
pub mod report;
pub mod score;
#[cfg(test)]
mod test_support;
pub mod text;
pub mod vendors;

pub use error::{Error, Result};
