//! npm ingest.
