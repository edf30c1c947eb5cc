#!/bin/sh
# Records, once, the licences the npm registry and PyPI state for the npm and PyPI
# packages of the openDesk sample's lockfiles, and pins them in a facts file beside the
# sample. Every fact carries its source URL and retrieval time, and the file its
# generation time and the registries asked (docs/facts-json.md).
#
#   cargo build && scripts/opendesk-facts.sh
#   sovra report samples/opendesk --facts samples/opendesk/registry-facts.json
#
# The other ecosystems of the sample (Cargo, Composer, Go, Maven) are left out on
# purpose: their facts stay evidence gaps until someone records them the same way.
# Only the licences are kept (one package a line), with their provenance; the other facts
# the registries state (suppliers, repositories, dates) are left out to keep the file small.
# The file is written to a temporary name and moved into place only when complete.
set -eu
SOVRA=${SOVRA:-${CARGO_TARGET_DIR:-target}/debug/sovra}
sample=${1:-samples/opendesk}
out="$sample/registry-facts.json"
"$SOVRA" enrich "$sample" --sources npm,pypi --jobs 8 --max-response-mib 64 -o "$out.full"
python3 - "$out.full" "$out.tmp" <<'EOF'
import json, sys
f = json.load(open(sys.argv[1]))
kept = {k: {"license": v["license"]} for k, v in sorted(f["packages"].items()) if "license" in v}
rows = [f"    {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in kept.items()]
with open(sys.argv[2], "w") as out:
    out.write('{\n  "format": "sovra-facts",\n  "version": 1,\n')
    out.write(f'  "generated": {json.dumps(f["generated"])},\n')
    out.write(f'  "sources": {json.dumps(f["sources"], sort_keys=True)},\n')
    out.write('  "packages": {\n' + ",\n".join(rows) + "\n  },\n")
    out.write('  "advisories": {},\n  "repositories": {}\n}\n')
EOF
rm "$out.full"
mv "$out.tmp" "$out"
echo "wrote $out"
