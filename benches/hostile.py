#!/usr/bin/env python3
"""Times `sovra check` on generated hostile inputs that were quadratic once.

    benches/hostile.py [SOVRA_BIN] [CASE...]

Cases (each generated afresh in a temporary directory):
  describes-80k    one SPDX tag-value document whose DESCRIBES names 80,000 packages
  sboms-50k        a directory of 50,000 one-component CycloneDX SBOMs
  exceptions-20k   20,000 policy exceptions over a 2,000-package SBOM
  chain-4k         a 4,000-deep dependency chain of unknown-licence packages
  chain-20k        the same, 20,000 deep

Prints, per case: wall seconds, peak RSS (MiB, from the child's rusage), bytes of
human and JSON output, exit status. A run is cut off after TIMEOUT seconds (default
120, env SOVRA_BENCH_TIMEOUT) and shown as `>TIMEOUT`. Default binary:
target/release/sovra.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def cdx(components, deps, root="r"):
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "metadata": {"component": {"bom-ref": root, "name": root, "type": "application",
                                   "version": "1.0.0", "licenses": [{"license": {"id": "MIT"}}]}},
        "components": components,
        "dependencies": deps,
    }


def comp(i, lic="MIT"):
    c = {"bom-ref": f"p{i}", "type": "library", "name": f"p{i}", "version": "1.0.0",
         "purl": f"pkg:npm/p{i}@1.0.0"}
    if lic:
        c["licenses"] = [{"license": {"id": lic}}]
    return c


def describes(d, n=80_000):
    lines = ["SPDXVersion: SPDX-2.3", "DataLicense: CC0-1.0", "SPDXID: SPDXRef-DOCUMENT",
             "DocumentName: many", "DocumentNamespace: https://example.org/many",
             "Creator: Tool: gen", "Created: 2024-01-01T00:00:00Z", ""]
    for i in range(n):
        lines += [f"PackageName: p{i}", f"SPDXID: SPDXRef-p{i}", "PackageVersion: 1.0.0",
                  "PackageDownloadLocation: NOASSERTION", "PackageLicenseDeclared: MIT",
                  "PackageLicenseConcluded: MIT", ""]
    lines += [f"Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-p{i}" for i in range(n)]
    p = os.path.join(d, "many.spdx")
    with open(p, "w") as f:
        f.write("\n".join(lines) + "\n")
    return [p], []


def sboms(d, n=50_000):
    sub = os.path.join(d, "sboms")
    os.mkdir(sub)
    for i in range(n):
        doc = cdx([comp(i)], [{"ref": f"r{i}", "dependsOn": [f"p{i}"]}], root=f"r{i}")
        with open(os.path.join(sub, f"s{i:05}.cdx.json"), "w") as f:
            json.dump(doc, f)
    return [sub], []


def exceptions(d, n=20_000, pkgs=2_000):
    doc = cdx([comp(i, lic=None) for i in range(pkgs)],
              [{"ref": "r", "dependsOn": [f"p{i}" for i in range(pkgs)]}])
    p = os.path.join(d, "bom.cdx.json")
    with open(p, "w") as f:
        json.dump(doc, f)
    pol = os.path.join(d, "policy.toml")
    with open(pol, "w") as f:
        f.write('extends = "baseline"\n')
        for i in range(n):
            f.write(f'\n[[exceptions]]\nrule = "LIC001"\npackage = "q{i}"\n'
                    f'reason = "r"\nowner = "o"\nexpires = 2099-01-01\n')
    return [p], ["--policy", pol]


def chain(d, n):
    comps = [comp(i, lic=None) for i in range(n)]
    deps = [{"ref": "r", "dependsOn": ["p0"]}]
    deps += [{"ref": f"p{i}", "dependsOn": [f"p{i + 1}"]} for i in range(n - 1)]
    p = os.path.join(d, "chain.cdx.json")
    with open(p, "w") as f:
        json.dump(cdx(comps, deps), f)
    return [p], []


CASES = {
    "describes-80k": describes,
    "sboms-50k": sboms,
    "exceptions-20k": exceptions,
    "chain-4k": lambda d: chain(d, 4_000),
    "chain-20k": lambda d: chain(d, 20_000),
}


def run(binary, inputs, extra, fmt, timeout):
    args = [binary, "check", *inputs, *extra, "--format", fmt]
    t0 = time.monotonic()
    with tempfile.TemporaryFile() as out:
        try:
            p = subprocess.run(args, stdout=out, stderr=subprocess.DEVNULL, timeout=timeout)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            return None, None, None, "timeout"
        wall = time.monotonic() - t0
        size = out.seek(0, 2)
    # The largest child so far: a case's figure is its own only when it exceeds the
    # cases before it.
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, rss, size, rc


def main():
    argv = sys.argv[1:]
    binary = argv.pop(0) if argv and os.path.sep in argv[0] else "target/release/sovra"
    names = argv or list(CASES)
    timeout = float(os.environ.get("SOVRA_BENCH_TIMEOUT", "120"))
    print(f"binary: {binary}")
    print(f"{'case':<16}{'format':<7}{'wall s':>9}{'peak MiB':>10}{'output B':>12}  exit")
    for name in names:
        with tempfile.TemporaryDirectory() as d:
            inputs, extra = CASES[name](d)
            for fmt in ("human", "json"):
                wall, rss, size, rc = run(binary, inputs, extra, fmt, timeout)
                if wall is None:
                    print(f"{name:<16}{fmt:<7}{'>' + str(int(timeout)):>9}{'-':>10}{'-':>12}  -",
                          flush=True)
                    continue
                print(f"{name:<16}{fmt:<7}{wall:>9.2f}{rss:>10.0f}{size:>12}  {rc}", flush=True)


if __name__ == "__main__":
    main()
