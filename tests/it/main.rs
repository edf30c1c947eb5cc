//! The one integration-test binary: CLI cases over `samples/` and conformance tests
//! over the real inputs in `../shared/corpus/`. One module per feature.

mod compat;
mod deny_parity;
mod durability;
mod e2e;
mod enrich;
mod evidence;
mod flags;
mod german;
mod health;
mod hostile;
mod hostile_net;
mod identify;
mod ingest;
mod inventory;
mod licence_duties;
mod licenses;
mod lockfiles;
mod policy_integrity;
mod progress;
mod report;
mod rules;
mod sbom;
mod schemas;
mod serve;
mod sovereignty;
mod support;
mod tidy;
mod verdict;
