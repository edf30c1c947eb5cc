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
# The file is written to a temporary name and moved into place only when complete.
set -eu
SOVRA=${SOVRA:-${CARGO_TARGET_DIR:-target}/debug/sovra}
sample=${1:-samples/opendesk}
out="$sample/registry-facts.json"
"$SOVRA" enrich "$sample" --sources npm,pypi --jobs 4 -o "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out"
