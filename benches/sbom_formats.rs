//! Ingest of a 100,000-component CycloneDX XML and SPDX 3 JSON-LD document (generated,
//! with one dependency edge per component, a purl, a supplier and a licence each):
//! time to parse into the inventory, and the process's peak resident memory, each
//! format in a fresh process so one does not inflate the other's peak.
//!
//! Run with `cargo bench --bench sbom_formats`. Targets: under 2 s and under 1 GiB each.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

/// The allocator of the `sovra` binary (`src/main.rs`), so that readers are timed as they run there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use sovra::assess;
use sovra::model::InputFormat;

const COMPONENTS: usize = 100_000;

fn cyclonedx_xml() -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" version=\"1\">\n<metadata><component type=\"application\" bom-ref=\"root\"><name>root</name><version>1</version></component></metadata>\n<components>\n",
    );
    for i in 0..COMPONENTS {
        let _ = writeln!(
            s,
            "<component type=\"library\" bom-ref=\"c{i}\"><supplier><name>Vendor {v}</name></supplier><name>pkg{i}</name><version>1.{i}</version><licenses><license><id>MIT</id></license></licenses><purl>pkg:npm/pkg{i}@1.{i}</purl></component>",
            v = i % 100
        );
    }
    s.push_str("</components>\n<dependencies>\n<dependency ref=\"root\"><dependency ref=\"c0\"/></dependency>\n");
    for i in 0..COMPONENTS - 1 {
        let _ = writeln!(
            s,
            "<dependency ref=\"c{i}\"><dependency ref=\"c{}\"/></dependency>",
            i + 1
        );
    }
    s.push_str("</dependencies>\n</bom>\n");
    s
}

fn spdx3() -> String {
    let mut s = String::from(
        "{\"@context\": \"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\", \"@graph\": [\n{\"type\": \"CreationInfo\", \"@id\": \"_:ci\", \"specVersion\": \"3.0.1\", \"created\": \"2025-01-01T00:00:00Z\", \"createdBy\": [\"urn:a\"]},\n{\"type\": \"Organization\", \"spdxId\": \"urn:a\", \"creationInfo\": \"_:ci\", \"name\": \"Vendor\"},\n{\"type\": \"simplelicensing_LicenseExpression\", \"spdxId\": \"urn:l\", \"creationInfo\": \"_:ci\", \"simplelicensing_licenseExpression\": \"MIT\"},\n{\"type\": \"SpdxDocument\", \"spdxId\": \"urn:d\", \"creationInfo\": \"_:ci\", \"rootElement\": [\"urn:p0\"]}",
    );
    for i in 0..COMPONENTS {
        let _ = write!(
            s,
            ",\n{{\"type\": \"software_Package\", \"spdxId\": \"urn:p{i}\", \"creationInfo\": \"_:ci\", \"name\": \"pkg{i}\", \"software_packageVersion\": \"1.{i}\", \"software_packageUrl\": \"pkg:npm/pkg{i}@1.{i}\", \"suppliedBy\": \"urn:a\"}}"
        );
        let _ = write!(
            s,
            ",\n{{\"type\": \"Relationship\", \"spdxId\": \"urn:rl{i}\", \"creationInfo\": \"_:ci\", \"from\": \"urn:p{i}\", \"relationshipType\": \"hasDeclaredLicense\", \"to\": [\"urn:l\"]}}"
        );
        if i + 1 < COMPONENTS {
            let _ = write!(
                s,
                ",\n{{\"type\": \"Relationship\", \"spdxId\": \"urn:r{i}\", \"creationInfo\": \"_:ci\", \"from\": \"urn:p{i}\", \"relationshipType\": \"dependsOn\", \"to\": [\"urn:p{}\"]}}",
                i + 1
            );
        }
    }
    s.push_str("\n]}\n");
    s
}

/// Peak resident memory of this process, from `/proc/self/status` (Linux).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn measure(which: &str) {
    let (doc, format) = match which {
        "cyclonedx-xml" => (cyclonedx_xml(), InputFormat::CycloneDxXml),
        _ => (spdx3(), InputFormat::Spdx3JsonLd),
    };
    let start = Instant::now();
    let inv = assess::parse_as(format, Path::new("generated"), doc.as_bytes()).unwrap();
    let elapsed = start.elapsed();
    println!(
        "{which}: {} MiB document, {} packages, {} edges: ingest {:.0} ms, peak RSS {:.0} MiB (document included)",
        doc.len() / (1 << 20),
        inv.packages.len(),
        inv.edges.len(),
        elapsed.as_secs_f64() * 1e3,
        peak_mib().unwrap_or(f64::NAN)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(which) = args.iter().find_map(|a| a.strip_prefix("--measure=")) {
        measure(which);
        return;
    }
    let exe = std::env::current_exe().unwrap();
    for which in ["cyclonedx-xml", "spdx3"] {
        let status = Command::new(&exe)
            .arg(format!("--measure={which}"))
            .status()
            .unwrap();
        assert!(status.success(), "{which} failed");
    }
}
