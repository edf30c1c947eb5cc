//! crates.io: the sparse index (`<index>/<prefix>/<name>`, one JSON line per version)
//! gives yanked state and publish time; the licence, repository and authors come from the
//! crate's own `Cargo.toml` inside the `.crate` archive
//! (`<download>/<name>/<name>-<version>.crate`), since index entries carry no licence.
//! Only the extracted `Cargo.toml` is cached, not the archive. The archive is inflated
//! as a stream that stops at the manifest: at most [`MAX_INFLATED`] bytes are inflated
//! and the manifest may be at most [`MAX_MANIFEST`] bytes, so a compression bomb costs
//! neither memory nor more than a moment.

use std::io::Read;

use serde_json::Value;

use super::coords::Coords;
use super::facts::PackageFacts;
use super::http::{Http, Request, Response};
use super::{Source, fact, str_at};

/// Largest `Cargo.toml` read from an archive; crates.io's own limit on a whole
/// (compressed) crate is 10 MB, and a manifest is a few kilobytes.
pub(crate) const MAX_MANIFEST: u64 = 1024 * 1024;

/// Bytes inflated at most while looking for the manifest.
pub(crate) const MAX_INFLATED: u64 = 64 * 1024 * 1024;

/// What a version keeps unencoded in an archive's URL (SemVer's characters).
const VERSION: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'+')
    .remove(b'_');

/// The sparse-index path of a crate name (`se/rd/serde`, `3/s/syn`, `2/cc`), split on
/// characters, never inside one.
pub(crate) fn index_path(name: &str) -> String {
    let n = name.to_ascii_lowercase();
    let chars: Vec<char> = n.chars().collect();
    let part = |r: std::ops::Range<usize>| chars[r].iter().collect::<String>();
    match chars.len() {
        0 => String::new(),
        1 => format!("1/{n}"),
        2 => format!("2/{n}"),
        3 => format!("3/{}/{n}", part(0..1)),
        _ => format!("{}/{}/{n}", part(0..2), part(2..4)),
    }
}

/// Whether `name` can be a crate name (ASCII letters, digits, `-` and `_`): anything
/// else is not asked about, so a name cannot move a URL out of the registry's paths.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub(crate) fn lookup(
    http: &Http,
    index: &str,
    download: &str,
    c: &Coords,
) -> Result<PackageFacts, String> {
    if !valid_name(&c.name) {
        return Err(format!("`{}` is not a crate name; not asked", c.name));
    }
    let version: String = percent_encoding::utf8_percent_encode(&c.version, VERSION).to_string();
    let url = format!("{}/{}", index.trim_end_matches('/'), index_path(&c.name));
    let mut req = Request::get(Source::Crates, url);
    req.json = false;
    req.extract = Some(index_lines);
    let resp = http.fetch(&req).map_err(|e| e.to_string())?;
    let mut out = parse_index(&resp, &c.version)?;
    let url = format!(
        "{}/{n}/{n}-{v}.crate",
        download.trim_end_matches('/'),
        n = c.name,
        v = version
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

/// Checks that a sparse-index file is UTF-8 with one JSON document per line, so that
/// a malformed answer fails the lookup before it is cached.
pub(crate) fn index_lines(bytes: &[u8]) -> Result<String, String> {
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| "not UTF-8".to_owned())?;
    for (i, line) in text.lines().enumerate() {
        if !line.trim().is_empty() {
            serde_json::from_str::<serde::de::IgnoredAny>(line)
                .map_err(|e| format!("malformed index line {}: {e}", i + 1))?;
        }
    }
    Ok(text)
}

/// Extracts `<dir>/Cargo.toml` from a gzip-compressed tar archive (a `.crate`),
/// inflating no more than [`MAX_INFLATED`] bytes and keeping only the manifest; the
/// manifest must parse as TOML, so a malformed one is never cached.
pub(crate) fn manifest_of_crate(bytes: &[u8]) -> Result<String, String> {
    let mut tar = flate2::read::GzDecoder::new(bytes).take(MAX_INFLATED);
    let mut at = 0u64;
    let mut header = [0u8; 512];
    loop {
        read_block(&mut tar, &mut header, at)?;
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
        let size = u64::from_str_radix(field(124..136).trim(), 8)
            .map_err(|_| format!("bad tar header at byte {at}"))?;
        let full = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let typeflag = header[156];
        let padded = size.div_ceil(512) * 512;
        if (typeflag == b'0' || typeflag == 0)
            && full.split('/').filter(|s| !s.is_empty()).count() == 2
            && full.ends_with("/Cargo.toml")
        {
            if size > MAX_MANIFEST {
                return Err(format!(
                    "`{full}` is {size} bytes, more than a manifest can have ({MAX_MANIFEST})"
                ));
            }
            let mut data = Vec::new();
            (&mut tar)
                .take(size)
                .read_to_end(&mut data)
                .map_err(|e| format!("not a gzip archive: {e}"))?;
            if data.len() as u64 != size {
                return Err(inflation_end(&tar, &full));
            }
            let text = String::from_utf8(data).map_err(|_| "Cargo.toml is not UTF-8".to_owned())?;
            toml::from_str::<toml::Table>(&text)
                .map_err(|e| format!("malformed Cargo.toml: {e}"))?;
            return Ok(text);
        }
        let skipped = std::io::copy(&mut (&mut tar).take(padded), &mut std::io::sink())
            .map_err(|e| format!("not a gzip archive: {e}"))?;
        if skipped != padded {
            return Err(inflation_end(&tar, &full));
        }
        at += 512 + padded;
    }
    Err("no Cargo.toml in the archive".into())
}

/// Reads one 512-byte tar block.
fn read_block(
    tar: &mut std::io::Take<flate2::read::GzDecoder<&[u8]>>,
    block: &mut [u8; 512],
    at: u64,
) -> Result<(), String> {
    let mut got = 0;
    while got < block.len() {
        match tar.read(&mut block[got..]) {
            Ok(0) if got == 0 && at > 0 => {
                // An archive may end without its two zero blocks.
                block.fill(0);
                return Ok(());
            }
            Ok(0) if tar.limit() == 0 => {
                return Err(format!(
                    "inflates to more than {MAX_INFLATED} bytes before its Cargo.toml"
                ));
            }
            Ok(0) => return Err(format!("truncated tar header at byte {at}")),
            Ok(k) => got += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("not a gzip archive: {e}")),
        }
    }
    Ok(())
}

/// Why an entry ended early: the inflation cap or a truncated archive.
fn inflation_end(tar: &std::io::Take<flate2::read::GzDecoder<&[u8]>>, entry: &str) -> String {
    if tar.limit() == 0 {
        format!("inflates to more than {MAX_INFLATED} bytes before its Cargo.toml")
    } else {
        format!("truncated tar entry `{entry}`")
    }
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
        assert_eq!(index_path("aéb"), "3/a/aéb");
        assert_eq!(index_path("éééé"), "éé/éé/éééé");
        assert!(!valid_name("a/../b") && !valid_name("aéb") && valid_name("serde_json-x"));
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
