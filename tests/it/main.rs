//! The one integration-test binary: CLI cases over `samples/` and conformance tests
//! over the real inputs in `../shared/corpus/`. One module per feature.

mod enrich;
mod german;
mod health;
mod ingest;
mod licenses;
mod report;
mod rules;
mod sbom;
mod sovereignty;
mod support;
