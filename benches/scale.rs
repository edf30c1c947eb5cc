//! Scale benchmark: synthetic CycloneDX SBOMs of 10k, 100k and 1M components (three
//! dependency edges each, licences from a realistic mix), each run through ingest and
//! `assess::analyse_inventory` (graph and licences) in a fresh child process, so that the
//! peak memory (`VmHWM`) of one size is not inflated by an earlier one.
//!
//! Run with `cargo bench --bench scale` (add sizes as arguments to pick others, e.g.
//! `cargo bench --bench scale -- 50000`). The target is 100k components in under 2 s
//! and 1 GiB.
//!
//! Measured (2 shared cores, load average 2–4): 10k in 56 ms / 31 MiB, 100k in 0.60 s
//! (0.59 s CPU) / 271 MiB, 1M in 8.2 s / 2.7 GiB; 5.6, 6.0 and 8.2 µs per component.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use sovra::assess::{analyse_inventory, parse_as};
use sovra::model::InputFormat;

const CHILD_ENV: &str = "SOVRA_SCALE_CHILD";

/// Licence statements with weights, roughly as they occur in npm / Maven SBOMs: mostly
/// permissive ids, some expressions, some strings only the lenient pass understands,
/// some names, some missing.
const LICENSES: &[(u32, Option<&str>, &str)] = &[
    (40, Some("MIT"), "id"),
    (18, Some("Apache-2.0"), "id"),
    (8, Some("ISC"), "id"),
    (7, Some("BSD-3-Clause"), "id"),
    (6, Some("MIT OR Apache-2.0"), "expression"),
    (3, Some("BSD-2-Clause"), "id"),
    (3, Some("GPL-3.0-only"), "id"),
    (3, Some("LGPL-2.1-or-later"), "id"),
    (
        2,
        Some("(MPL-2.0 OR GPL-2.0-or-later) AND MIT"),
        "expression",
    ),
    (3, Some("Apache License 2.0"), "name"),
    (2, Some("The MIT License"), "name"),
    (5, None, ""),
];

/// With this set to a path, the benchmark only writes the SBOM of the first size there
/// (`benches/report-scale.sh` renders a report of it).
const WRITE_ENV: &str = "SOVRA_SCALE_WRITE";

fn main() {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        child(Path::new(&path));
        return;
    }
    if let Ok(path) = std::env::var(WRITE_ENV) {
        let n = std::env::args()
            .skip(1)
            .find_map(|a| a.parse().ok())
            .unwrap_or(100_000);
        fs::write(&path, generate(n)).unwrap();
        return;
    }
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000, 1_000_000]
    } else {
        sizes
    };
    let dir = tempfile::tempdir().unwrap();
    println!(
        "{:>10} {:>10} {:>10} {:>10} {:>10} {:>12} {:>10}",
        "components", "edges", "MB input", "gen ms", "wall ms", "ns/component", "peak MiB"
    );
    for n in sizes {
        let path = dir.path().join(format!("bom-{n}.json"));
        let t = Instant::now();
        let doc = generate(n);
        fs::write(&path, &doc).unwrap();
        let gen_ms = t.elapsed().as_millis();
        let out = Command::new(std::env::current_exe().unwrap())
            .env(CHILD_ENV, &path)
            .output()
            .unwrap();
        if !out.status.success() {
            eprintln!("child failed: {}", String::from_utf8_lossy(&out.stderr));
            std::process::exit(1);
        }
        let line = String::from_utf8_lossy(&out.stdout);
        let stages = String::from_utf8_lossy(&out.stderr);
        let f: Vec<u64> = line
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        let [packages, edges, micros, hwm_kib, _reachable] = f[..] else {
            panic!("unexpected child output: {line}");
        };
        assert_eq!(packages as usize, n + 1, "every component is a package");
        if n > 200 {
            assert_eq!(
                edges as usize,
                3 * n + 10,
                "three distinct edges per component"
            );
        }
        println!(
            "{:>10} {:>10} {:>10.1} {:>10} {:>10.1} {:>12.0} {:>10.1}",
            n,
            edges,
            doc.len() as f64 / 1e6,
            gen_ms,
            micros as f64 / 1e3,
            micros as f64 * 1e3 / n as f64,
            hwm_kib as f64 / 1024.0
        );
        println!("{:>10} {}", "", stages.trim());
        fs::remove_file(&path).unwrap();
    }
}

/// Reads, ingests, builds the graph and resolves licences; prints
/// `packages edges micros vmhwm_kib reachable`.
fn child(path: &Path) {
    let t = Instant::now();
    let bytes = fs::read(path).unwrap();
    let inv = parse_as(InputFormat::CycloneDxJson, path, &bytes).unwrap();
    drop(bytes);
    let t_ingest = t.elapsed().as_micros();
    let stages = analyse_inventory(&inv);
    let micros = t.elapsed().as_micros();
    eprintln!(
        "ingest {} ms, graph and licences {} ms",
        t_ingest / 1000,
        (micros - t_ingest) / 1000
    );
    let reachable = stages.reachable(true);
    assert_eq!(stages.licence_states(), inv.packages.len());
    // User + system CPU time in clock ticks (fields 14 and 15 of /proc/self/stat, counted
    // after the parenthesised command name), shown beside wall time because a busy
    // machine stretches wall time.
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, r)| r)
        .split_whitespace()
        .collect();
    let field = |i: usize| {
        after
            .get(i)
            .and_then(|x| x.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // `after[0]` is field 3 (state): utime is field 14, stime field 15.
    let cpu_ticks = field(11) + field(12);
    eprintln!("cpu {} ms (user + system, 100 Hz ticks)", cpu_ticks * 10);
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    println!(
        "{} {} {micros} {hwm} {reachable}",
        inv.packages.len(),
        inv.edges.len()
    );
}

/// A CycloneDX 1.5 document with `n` library components under one application, each
/// depending on three others (a deterministic pseudo-random choice), so `3n + 10`
/// edges in all.
fn generate(n: usize) -> String {
    let mut s = String::with_capacity(n * 420);
    s.push_str(
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","serialNumber":"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79","version":1,
"metadata":{"timestamp":"2025-01-01T00:00:00Z","tools":{"components":[{"type":"application","name":"synthetic","version":"1"}]},
"component":{"type":"application","bom-ref":"root","name":"product","version":"1.0.0"}},
"components":["#,
    );
    let total: u32 = LICENSES.iter().map(|l| l.0).sum();
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let group = i % 97;
        let version = format!("{}.{}.{}", i % 7, i % 13, i % 5);
        let mut pick = (next() % u64::from(total)) as u32;
        let mut lic = &LICENSES[0];
        for l in LICENSES {
            if pick < l.0 {
                lic = l;
                break;
            }
            pick -= l.0;
        }
        let licenses = match lic {
            (_, None, _) => String::new(),
            (_, Some(e), "expression") => format!(r#","licenses":[{{"expression":"{e}"}}]"#),
            (_, Some(id), kind) => format!(r#","licenses":[{{"license":{{"{kind}":"{id}"}}}}]"#),
        };
        write!(
            s,
            r#"
{{"type":"library","bom-ref":"c{i}","group":"org.example{group}","name":"component-{i}","version":"{version}","purl":"pkg:maven/org.example{group}/component-{i}@{version}","supplier":{{"name":"Example {group} GmbH"}},"hashes":[{{"alg":"SHA-256","content":"{:016x}{:016x}{:016x}{:016x}"}}]{licenses},"externalReferences":[{{"type":"vcs","url":"https://git.example/org{group}/component-{i}"}}]}}"#,
            next(),
            next(),
            next(),
            next()
        )
        .unwrap();
    }
    s.push_str("],\n\"dependencies\":[");
    // The root depends on the first ten; every component on three others.
    s.push_str(r#"{"ref":"root","dependsOn":["#);
    for i in 0..n.min(10) {
        if i > 0 {
            s.push(',');
        }
        write!(s, r#""c{i}""#).unwrap();
    }
    s.push_str("]}");
    for i in 0..n {
        write!(s, ",\n{{\"ref\":\"c{i}\",\"dependsOn\":[").unwrap();
        for k in 0..3 {
            // Three distinct targets: two near ones (a layered product) and one more,
            // every tenth time anywhere else in the document (back edges, cycles).
            let r = next() as usize;
            let target = match k {
                0 => (i + 1 + r % 50) % n,
                1 => (i + 51 + r % 50) % n,
                _ if i % 10 == 0 && n > 200 => (i + 151 + r % (n - 152)) % n,
                _ => (i + 101 + r % 50) % n,
            };
            if k > 0 {
                s.push(',');
            }
            write!(s, r#""c{target}""#).unwrap();
        }
        s.push_str("]}");
    }
    s.push_str("]}\n");
    s
}
