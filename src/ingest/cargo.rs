//! cargo ingest.
