//! SPDX 2.2 / 2.3 ingest, JSON and tag-value.
