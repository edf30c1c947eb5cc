#!/bin/sh
# Report of a large offer, rendered by the release binary as HTML and Markdown. Prints
# wall time, CPU time (user + system), peak memory and size per format. Targets for
# 100k components: the HTML under 5 MB and under 3 s.
#
#   sh benches/report-scale.sh [N]       the synthetic CycloneDX SBOM of
#                                        `benches/scale.rs` with N components (default
#                                        100,000; three edges each, a realistic licence
#                                        mix); builds that benchmark once
#   sh benches/report-scale.sh FILE      any SBOM
set -eu
arg=${1:-100000}
target=${CARGO_TARGET_DIR:-target}
cargo build --release --locked --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
if [ -f "$arg" ]; then
    bom=$arg
else
    bom="$dir/bom.cdx.json"
    SOVRA_SCALE_WRITE="$bom" cargo bench --locked --quiet --bench scale -- "$arg" >/dev/null
fi
printf '%8s %8s %8s %10s %10s\n' format "wall s" "cpu s" "peak MiB" "MB out"
for format in html md; do
    out="$dir/report.$format"
    # GNU time: elapsed, user and system seconds, maximum resident set size (KiB).
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time" \
        "$target/release/sovra" report "$bom" --format "$format" \
        --date 2026-11-22 -o "$out" 2>/dev/null
    read -r wall user sys kib <"$dir/time"
    bytes=$(wc -c <"$out")
    printf '%8s %8s %8.2f %10.0f %10.1f\n' "$format" "$wall" \
        "$(echo "$user + $sys" | bc -l)" "$(echo "$kib / 1024" | bc -l)" \
        "$(echo "$bytes / 1000000" | bc -l)"
done
