//! Embeds the data files of `rules/catalogue/` and `rules/policies/` in the binary.
//!
//! Writes `$OUT_DIR/embedded_rules.rs`: two sorted slices of `(file name, contents)`,
//! so adding a rule or a policy is adding a file, with no list to keep in step.

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
}
