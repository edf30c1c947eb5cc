//! CycloneDX JSON ingest.
