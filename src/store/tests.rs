//! Tests of the catalogue on SQLite, and on PostgreSQL when `SOVRA_TEST_POSTGRES` names
//! a server (required when `CI` is set).

use super::*;

#[test]
fn every_migration_file_is_listed() {
    for dialect in ["sqlite", "postgres"] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/store/migrations")
            .join(dialect);
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS
            .iter()
            .map(|(v, d, _, _)| format!("{v:04}_{d}.sql"))
            .collect();
        assert_eq!(files, listed, "{dialect}");
    }
}
