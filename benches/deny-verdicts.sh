#!/usr/bin/env bash
# Records which crates `cargo deny check licenses` rejects under an allow-list, for the
# parity test `tests/it/deny_parity.rs` (sovra's LIC007 with the same allow-list must
# reject exactly these crates).
#
#   benches/deny-verdicts.sh METADATA.json OUT.json
#
# METADATA.json: saved `cargo metadata --format-version 1`. Needs cargo-deny on PATH.
# The recorded fixtures (cargo-deny 0.20.2): ripgrep.json and cargo-deny.json from the
# corpus's `cargo/<name>/metadata.json`; bench-workspace.json from
# `gunzip -c benches/data/bench-workspace.metadata.json.gz` (1,009 packages).
# Writes OUT.json: {"tool": "cargo-deny <version>", "allow": [...], "rejected": ["name version", ...]}.
set -euo pipefail

meta=$1
out=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Keep in step with ALLOW in tests/it/deny_parity.rs.
allow='"MIT", "Apache-2.0", "Apache-2.0 WITH LLVM-exception", "ISC", "Zlib", "CC0-1.0", "BSL-1.0"'
printf '[licenses]\nallow = [%s]\nconfidence-threshold = 0.8\n' "$allow" > "$work/deny.toml"
# cargo-deny wants a manifest as its context; the crate graph comes from the metadata.
printf '[package]\nname = "context"\nversion = "0.0.0"\nedition = "2021"\n\n[lib]\npath = "lib.rs"\n' \
  > "$work/Cargo.toml"
touch "$work/lib.rs"

cargo deny --format json --manifest-path "$work/Cargo.toml" --metadata-path "$meta" \
  --workspace --config "$work/deny.toml" check licenses 2> "$work/deny.jsonl" > /dev/null || true

python3 - "$work/deny.jsonl" "$out" "$(cargo deny --version)" "$allow" <<'PY'
import json, sys
src, out, version, allow = sys.argv[1:]
rejected = set()
for line in open(src):
    try:
        d = json.loads(line)
    except ValueError:
        continue
    f = d.get("fields", {})
    if d.get("type") == "diagnostic" and f.get("severity") == "error":
        for g in f.get("graphs") or []:
            k = g.get("Krate")
            if k:
                rejected.add(f'{k["name"]} {k["version"]}')
json.dump({"tool": version, "allow": json.loads("[" + allow + "]"),
           "rejected": sorted(rejected)}, open(out, "w"), indent=2)
open(out, "a").write("\n")
PY
echo "wrote $out"
