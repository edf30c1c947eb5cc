#!/bin/sh
# Fills fuzz/corpus/<target>/ with seed inputs from the shared corpus beside the checkout.
# Usage: fuzz/seed.sh [path/to/shared/corpus]   (default: ../shared/corpus)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=${1:-$here/../../shared/corpus}
mkdir -p "$here/corpus/cyclonedx" "$here/corpus/spdx_json" "$here/corpus/spdx_tag_value" \
    "$here/corpus/npm" "$here/corpus/cargo_metadata"
n=0
for f in $(find "$src/cyclonedx" -name '*.json' -size -200k); do
    n=$((n + 1)); cp "$f" "$here/corpus/cyclonedx/seed-$n.json"
done
for f in $(find "$src/spdx" -name '*.json' -size -200k | grep -v spdx3); do
    n=$((n + 1)); cp "$f" "$here/corpus/spdx_json/seed-$n.json"
done
for f in $(find "$src/spdx" -name '*.spdx'); do
    n=$((n + 1)); cp "$f" "$here/corpus/spdx_tag_value/seed-$n.spdx"
done
for f in $(find "$src/npm" -name 'package-lock.json' -size -300k); do
    n=$((n + 1)); cp "$f" "$here/corpus/npm/seed-$n.json"
done
for f in $(find "$src/cargo" -name '*.json'); do
    n=$((n + 1)); cp "$f" "$here/corpus/cargo_metadata/seed-$n.json"
done
for t in cyclonedx spdx_json spdx_tag_value npm cargo_metadata; do
    echo "$t: $(ls "$here/corpus/$t" | wc -l) seeds"
done
