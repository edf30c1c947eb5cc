//! The on-disk response cache: one directory per source, one file per request.
//!
//! A file is named after the SHA-256 of its request key (method, URL and body; never a
//! header, so tokens stay out) and holds the key, the URL, the status, the retrieval
//! time and the body. Writes go to a temporary file in the same directory that is then
//! renamed over the target, so an interrupted run (Ctrl-C) leaves either the old entry,
//! the new one or a stray temporary file that is never read. An entry that cannot be
//! read back (truncated, edited, from another version) is deleted with a notice.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::Source;

/// Format version of a cache entry; entries of another version are discarded.
const ENTRY_VERSION: u32 = 1;

/// The cache root and its time to live.
#[derive(Debug, Clone)]
pub(crate) struct Cache {
    root: PathBuf,
    ttl: SignedDuration,
}

/// One cached response.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: String,
    pub url: String,
    pub status: u16,
    pub retrieved: Timestamp,
    pub body: String,
}

/// The stored form of an [`Entry`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    version: u32,
    key: String,
    url: String,
    status: u16,
    retrieved: String,
    body: String,
}

/// What a lookup found.
#[derive(Debug)]
pub(crate) enum Lookup {
    Hit(Entry),
    Miss,
    /// The entry was unreadable and has been removed; the notice says which.
    Corrupt(String),
}

impl Cache {
    pub(crate) fn new(root: PathBuf, ttl: SignedDuration) -> Self {
        Cache { root, ttl }
    }

    fn path(&self, source: Source, key: &str) -> PathBuf {
        let mut name = crate::digest::sha256_hex(key.as_bytes());
        name.push_str(".json");
        self.root.join(source.as_str()).join(name)
    }

    pub(crate) fn is_fresh(&self, entry: &Entry, now: Timestamp) -> bool {
        now.duration_since(entry.retrieved) <= self.ttl
    }

    pub(crate) fn get(&self, source: Source, key: &str) -> Lookup {
        let path = self.path(source, key);
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Lookup::Miss,
            Err(e) => return self.discard(&path, &e.to_string()),
        };
        let stored: Stored = match serde_json::from_str(&text) {
            Ok(s) => s,
            Err(e) => return self.discard(&path, &e.to_string()),
        };
        if stored.version != ENTRY_VERSION {
            return self.discard(&path, &format!("entry version {}", stored.version));
        }
        if stored.key != key {
            return self.discard(&path, "entry belongs to another request");
        }
        let retrieved = match stored.retrieved.parse::<Timestamp>() {
            Ok(t) => t,
            Err(e) => return self.discard(&path, &e.to_string()),
        };
        Lookup::Hit(Entry {
            key: stored.key,
            url: stored.url,
            status: stored.status,
            retrieved,
            body: stored.body,
        })
    }

    fn discard(&self, path: &Path, why: &str) -> Lookup {
        let _ = fs::remove_file(path);
        Lookup::Corrupt(format!(
            "discarded corrupt cache entry `{}`: {why}",
            path.display()
        ))
    }

    /// Stores `entry` atomically (temporary file, then rename).
    pub(crate) fn put(&self, source: Source, entry: &Entry) -> Result<(), String> {
        let path = self.path(source, &entry.key);
        let dir = path.parent().unwrap_or(&self.root);
        let fail =
            |e: &dyn std::fmt::Display| format!("cannot write cache `{}`: {e}", dir.display());
        fs::create_dir_all(dir).map_err(|e| fail(&e))?;
        let stored = Stored {
            version: ENTRY_VERSION,
            key: entry.key.clone(),
            url: entry.url.clone(),
            status: entry.status,
            retrieved: entry.retrieved.to_string(),
            body: entry.body.clone(),
        };
        let text = serde_json::to_string(&stored).map_err(|e| fail(&e))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(dir)
            .map_err(|e| fail(&e))?;
        tmp.write_all(text.as_bytes()).map_err(|e| fail(&e))?;
        tmp.as_file().sync_all().map_err(|e| fail(&e))?;
        tmp.persist(&path).map_err(|e| fail(&e.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, retrieved: &str) -> Entry {
        Entry {
            key: key.into(),
            url: "http://x/a".into(),
            status: 200,
            retrieved: retrieved.parse().unwrap(),
            body: "{}".into(),
        }
    }

    #[test]
    fn round_trip_ttl_and_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_owned(), SignedDuration::from_hours(24));
        let e = entry("GET http://x/a", "2026-01-01T00:00:00Z");
        cache.put(Source::Npm, &e).unwrap();
        let Lookup::Hit(got) = cache.get(Source::Npm, "GET http://x/a") else {
            panic!("expected a hit");
        };
        assert_eq!(got.body, "{}");
        assert!(cache.is_fresh(&got, "2026-01-01T23:00:00Z".parse().unwrap()));
        assert!(!cache.is_fresh(&got, "2026-01-02T01:00:00Z".parse().unwrap()));
        assert!(matches!(
            cache.get(Source::Pypi, "GET http://x/a"),
            Lookup::Miss
        ));

        let path = cache.path(Source::Npm, "GET http://x/a");
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, &text[..text.len() / 2]).unwrap();
        let Lookup::Corrupt(msg) = cache.get(Source::Npm, "GET http://x/a") else {
            panic!("expected a corrupt entry");
        };
        assert!(msg.starts_with("discarded corrupt cache entry"), "{msg}");
        assert!(!path.exists());
        assert!(matches!(
            cache.get(Source::Npm, "GET http://x/a"),
            Lookup::Miss
        ));
    }
}
