//! sovra: a procurement and digital-sovereignty compliance analyzer.
//!
//! The pipeline is `ingest` → `model::Inventory` → `graph` → `engine` (rules ×
//! `checks`) → `score` → `report`. Only `ingest` (and `enrich`, when asked) read
//! files or the network; only `report` and `cli` write. Everything between is pure.
//! See `ARCHITECTURE.md` for the codemap and invariants. The public API is `assess`,
//! `model` and `Error` / `Problem` / `Result` (and `cli::main` for the binary); every
//! other module is crate-private.

pub mod assess;
pub(crate) mod catalogue;
pub(crate) mod checks;
pub mod cli;
pub(crate) mod digest;
pub(crate) mod engine;
pub(crate) mod enrich;
pub(crate) mod error;
pub(crate) mod facts;
pub(crate) mod finding;
pub(crate) mod graph;
pub(crate) mod health;
pub(crate) mod ingest;
pub(crate) mod kb;
pub(crate) mod license;
pub(crate) mod locale;
pub mod model;
pub(crate) mod parallel;
pub(crate) mod policy;
pub(crate) mod report;
pub(crate) mod score;
pub(crate) mod serve;
pub(crate) mod store;
#[cfg(test)]
mod test_support;
pub(crate) mod text;
pub(crate) mod vendors;

pub use error::{Error, Problem, Result};
