//! The one integration-test binary: CLI cases over `samples/` and conformance tests
//! over the real inputs in `../shared/corpus/`. One module per feature.

mod enrich;
mod evidence;
mod flags;
mod german;
mod ingest;
mod licenses;
mod policy_integrity;
mod report;
mod rules;
mod sbom;
mod sovereignty;
mod support;
mod tidy;
mod verdict;
