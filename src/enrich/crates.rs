//! crates.io: the sparse index (`<index>/<prefix>/<name>`, one JSON line per version)
//! gives yanked state and publish time; the licence, repository and authors come from the
//! crate's own `Cargo.toml` inside the `.crate` archive
//! (`<download>/<name>/<name>-<version>.crate`), since index entries carry no licence.
//! Only the extracted `Cargo.toml` is cached, not the archive.

use std::io::Read;

use serde_json::Value;

use super::coords::Coords;
use super::facts::PackageFacts;
use super::http::{Http, Request, Response};
use super::{Source, fact, str_at};

/// The sparse-index path of a crate name (`se/rd/serde`, `3/s/syn`, `2/cc`).
pub(crate) fn index_path(name: &str) -> String {
    let n = name.to_ascii_lowercase();
    match n.len() {
        1 => format!("1/{n}"),
        2 => format!("2/{n}"),
        3 => format!("3/{}/{n}", &n[..1]),
        _ => format!("{}/{}/{n}", &n[..2], &n[2..4]),
    }
}

pub(crate) fn lookup(
    http: &Http,
    index: &str,
    download: &str,
    c: &Coords,
) -> Result<PackageFacts, String> {
    let url = format!("{}/{}", index.trim_end_matches('/'), index_path(&c.name));
    let mut req = Request::get(Source::Crates, url);
    req.json = false;
    let resp = http.fetch(&req).map_err(|e| e.to_string())?;
    let mut out = parse_index(&resp, &c.version)?;
    let url = format!(
        "{}/{n}/{n}-{v}.crate",
        download.trim_end_matches('/'),
        n = c.name,
        v = c.version
    );
    let mut req = Request::get(Source::Crates, url);
    req.json = false;
    req.extract = Some(manifest_of_crate);
    let resp = http.fetch(&req).map_err(|e| e.to_string())?;
    if resp.status == 200 {
        let m = parse_manifest(&resp)?;
        out.license = m.license;
        out.supplier = m.supplier;
        out.repository = m.repository;
        out.homepage = m.homepage;
    }
    Ok(out)
}

/// Reads one version's line of a sparse-index file.
pub(crate) fn parse_index(resp: &Response, version: &str) -> Result<PackageFacts, String> {
    if resp.gone() {
        return Err(format!("`{}`: not in the index", resp.url));
    }
    for (i, line) in resp.body.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .map_err(|e| format!("`{}`: malformed index line {}: {e}", resp.url, i + 1))?;
        if str_at(&v, "vers").as_deref() != Some(version) {
            continue;
        }
        return Ok(PackageFacts {
            yanked: v
                .get("yanked")
                .and_then(Value::as_bool)
                .map(|y| fact(Source::Crates, resp, y)),
            published: str_at(&v, "pubtime").map(|t| fact(Source::Crates, resp, t)),
            ..PackageFacts::default()
        });
    }
    Err(format!("`{}`: version {version} is not listed", resp.url))
}

/// Licence, first author, repository and homepage from a crate's `Cargo.toml`.
pub(crate) fn parse_manifest(resp: &Response) -> Result<PackageFacts, String> {
    let doc: toml::Table = toml::from_str(&resp.body)
        .map_err(|e| format!("`{}`: malformed Cargo.toml: {e}", resp.url))?;
    let pkg = doc.get("package").and_then(|p| p.as_table());
    let get = |k: &str| {
        pkg.and_then(|p| p.get(k))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .filter(|s| !s.trim().is_empty())
    };
    let f = |v: String| fact(Source::Crates, resp, v);
    let supplier = pkg
        .and_then(|p| p.get("authors"))
        .and_then(|a| a.as_array())
        .and_then(|a| a.first())
        .and_then(|a| a.as_str())
        .map(|a| a.split('<').next().unwrap_or("").trim().to_owned())
        .filter(|a| !a.is_empty());
    Ok(PackageFacts {
        license: get("license").map(f),
        supplier: supplier.map(f),
        repository: get("repository").map(f),
        homepage: get("homepage").map(f),
        ..PackageFacts::default()
    })
}

/// Extracts `<dir>/Cargo.toml` from a gzip-compressed tar archive (a `.crate`).
pub(crate) fn manifest_of_crate(bytes: &[u8]) -> Result<String, String> {
    let mut tar = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(256 * 1024 * 1024)
        .read_to_end(&mut tar)
        .map_err(|e| format!("not a gzip archive: {e}"))?;
    let mut at = 0usize;
    while at + 512 <= tar.len() {
        let header = &tar[at..at + 512];
        if header.iter().all(|&b| b == 0) {
            break;
        }
        let field = |r: std::ops::Range<usize>| {
            let f = &header[r];
            let end = f.iter().position(|&b| b == 0).unwrap_or(f.len());
            String::from_utf8_lossy(&f[..end]).into_owned()
        };
        let name = field(0..100);
        let prefix = field(345..500);
        let size_text = field(124..136);
        let size = usize::from_str_radix(size_text.trim(), 8)
            .map_err(|_| format!("bad tar header at byte {at}"))?;
        let full = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let data = at + 512;
        let end = data
            .checked_add(size)
            .filter(|&e| e <= tar.len())
            .ok_or_else(|| format!("truncated tar entry `{full}`"))?;
        let typeflag = header[156];
        if (typeflag == b'0' || typeflag == 0)
            && full.split('/').filter(|s| !s.is_empty()).count() == 2
            && full.ends_with("/Cargo.toml")
        {
            return String::from_utf8(tar[data..end].to_vec())
                .map_err(|_| "Cargo.toml is not UTF-8".to_owned());
        }
        at = data + size.div_ceil(512) * 512;
    }
    Err("no Cargo.toml in the archive".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_paths() {
        assert_eq!(index_path("a"), "1/a");
        assert_eq!(index_path("cc"), "2/cc");
        assert_eq!(index_path("syn"), "3/s/syn");
        assert_eq!(index_path("Serde"), "se/rd/serde");
    }

    #[test]
    fn reads_index_line_and_manifest() {
        let r = Response {
            status: 200,
            body: "{\"name\":\"x\",\"vers\":\"0.1.0\",\"yanked\":false}\n\
                   {\"name\":\"x\",\"vers\":\"0.2.0\",\"yanked\":true,\"pubtime\":\"2025-01-01T00:00:00Z\"}\n"
                .into(),
            url: "http://i/1/x".into(),
            retrieved: "2026-01-01T00:00:00Z".parse().unwrap(),
        };
        let f = parse_index(&r, "0.2.0").unwrap();
        assert!(f.yanked.unwrap().value);
        assert_eq!(f.published.unwrap().value, "2025-01-01T00:00:00Z");
        assert!(parse_index(&r, "0.3.0").is_err());
    }
}
