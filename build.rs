//! Embeds the data files of `rules/catalogue/` and `rules/policies/` in the binary, and
//! the licence matcher precomputed from the SPDX licence texts.
//!
//! Writes `$OUT_DIR/embedded_rules.rs`: two sorted slices of `(file name, contents)`,
//! so adding a rule or a policy is adding a file, with no list to keep in step.
//!
//! Writes `$OUT_DIR/licence-store.bin.zst`: the `askalono` store of every non-deprecated
//! licence text of the SPDX licence list (as shipped in the `spdx` crate's `text` module;
//! the texts are the SPDX license-list-data, CC-BY-3.0, each under its own terms), in
//! askalono's cache format (MessagePack, zstd). Building the store costs about 1.5 s; the
//! binary loads the cache instead, and keeps only the n-gram sets, not the texts.
//!
//! Writes `$OUT_DIR/licence-texts.zst` and `$OUT_DIR/licence_texts.rs`: the same list's
//! licence and exception texts (for the report's third-party notices) as one zstd stream
//! and two sorted indices `(id, start, end)` into it: 4.3 MB of text become about 0.4 MB.

#![allow(clippy::print_stdout)] // build scripts talk to cargo on stdout

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR is set by cargo");
    let out = std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo");
    let mut code = String::new();
    for (konst, dir) in [
        ("CATALOGUE", "rules/catalogue"),
        ("POLICIES", "rules/policies"),
    ] {
        let dir = Path::new(&manifest).join(dir);
        println!("cargo::rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        let _ = writeln!(code, "pub(crate) static {konst}: &[(&str, &str)] = &[");
        for f in files {
            println!("cargo::rerun-if-changed={}", f.display());
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let _ = writeln!(
                code,
                "    ({name:?}, include_str!({:?})),",
                f.display().to_string()
            );
        }
        let _ = writeln!(code, "];");
    }
    std::fs::write(Path::new(&out).join("embedded_rules.rs"), code)
        .expect("write embedded_rules.rs");
    licence_store(Path::new(&out));
    licence_texts(Path::new(&out));
}

/// The licence and exception texts, compressed, with their indices.
fn licence_texts(out: &Path) {
    let mut all = String::new();
    let mut code = String::new();
    for (konst, texts) in [
        ("LICENCE_TEXTS", spdx::text::LICENSE_TEXTS),
        ("EXCEPTION_TEXTS", spdx::text::EXCEPTION_TEXTS),
    ] {
        let mut texts: Vec<_> = texts.to_vec();
        texts.sort();
        let _ = writeln!(
            code,
            "pub(crate) static {konst}: &[(&str, usize, usize)] = &["
        );
        for (id, text) in texts {
            let start = all.len();
            all.push_str(text);
            let _ = writeln!(code, "    ({id:?}, {start}, {}),", all.len());
        }
        let _ = writeln!(code, "];");
    }
    let packed = zstd::encode_all(all.as_bytes(), 19).expect("compress the licence texts");
    std::fs::write(out.join("licence-texts.zst"), packed).expect("write licence-texts.zst");
    std::fs::write(out.join("licence_texts.rs"), code).expect("write licence_texts.rs");
}

/// The precomputed matcher (see the module comment).
fn licence_store(out: &Path) {
    let mut store = askalono::Store::new();
    for (id, text) in spdx::text::LICENSE_TEXTS {
        // A deprecated id has the text of its successor (`GPL-2.0` is `GPL-2.0-only`):
        // only the current id is identified.
        if spdx::license_id(id).is_some_and(|l| l.is_deprecated()) {
            continue;
        }
        store.add_license(
            (*id).to_owned(),
            askalono::TextData::new(text).without_text(),
        );
    }
    let mut cache = Vec::new();
    store
        .to_cache(&mut cache)
        .expect("serialise the licence store");
    std::fs::write(out.join("licence-store.bin.zst"), cache).expect("write licence-store.bin.zst");
}
