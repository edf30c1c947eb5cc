#!/usr/bin/env bash
# Compares `sovra check` with `cargo deny check licenses` on the same saved cargo metadata
# and prints the wall-time and peak-memory ratios (median of RUNS runs each).
#
#   benches/deny-compare.sh [METADATA.json[.gz]] [RUNS]
#
# Default input: benches/data/bench-workspace.metadata.json.gz, `cargo metadata
# --format-version 1` of a scratch crate depending on bevy, datafusion, aws-sdk-s3,
# wasmtime, polars, gix and sqlx (1,009 packages; paths rewritten to /home/dev/...).
# Needs cargo-deny on PATH and GNU time at /usr/bin/time (Debian: `apt-get install time`).
# Both tools get the same allow-list; the script also prints how many crates each rejects.
# SOVRA_BIN=path/to/sovra skips the release build.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
meta=${1:-$repo/benches/data/bench-workspace.metadata.json.gz}
runs=${2:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

case $meta in
  *.gz) gunzip -c "$meta" > "$work/metadata.json" ;;
  *) cp "$meta" "$work/metadata.json" ;;
esac

allow='"MIT", "Apache-2.0", "Apache-2.0 WITH LLVM-exception", "BSD-2-Clause", "BSD-3-Clause", "ISC", "Unicode-3.0", "Zlib", "MPL-2.0", "CC0-1.0", "BSL-1.0"'
printf '[licenses]\nallow = [%s]\n' "$allow" > "$work/deny.toml"
printf 'extends = "baseline"\n\n[rules.LIC007]\nenabled = true\nparams = { allow = [%s], scope = "build", unused = false }\n' \
  "$allow" > "$work/policy.toml"
# cargo-deny wants a manifest as its context; the crate graph comes from the metadata.
printf '[package]\nname = "context"\nversion = "0.0.0"\nedition = "2021"\n\n[lib]\npath = "lib.rs"\n' \
  > "$work/Cargo.toml"
touch "$work/lib.rs"

# SOVRA_BIN: an already built binary; otherwise a release build of this checkout.
sovra=${SOVRA_BIN:-}
if [ -z "$sovra" ]; then
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
  sovra=$repo/target/release/sovra
fi

sovra_cmd=("$sovra" check "$work/metadata.json" --policy "$work/policy.toml" --select LIC007
  --no-project-policy --format json)
deny_cmd=(cargo deny --format json --manifest-path "$work/Cargo.toml" --metadata-path "$work/metadata.json"
  --workspace --config "$work/deny.toml" check licenses)

# Median wall time (ms) and median peak RSS (KiB) of `runs` runs of a command.
measure() {
  local times=() mems=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$work/rss" "$@" > /dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
    mems+=("$(tail -n 1 "$work/rss")")
  done
  local t m
  t=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  m=$(printf '%s\n' "${mems[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  echo "$t $m"
}

packages=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["packages"]))' "$work/metadata.json")
sovra_rejects=$("${sovra_cmd[@]}" 2>/dev/null | python3 -c 'import json,sys; print(sum(1 for f in json.load(sys.stdin)["findings"] if "package" in f))' || true)
deny_rejects=$("${deny_cmd[@]}" 2>&1 >/dev/null | python3 -c '
import json, sys
crates = set()
for line in sys.stdin:
    try:
        d = json.loads(line)
    except ValueError:
        continue
    f = d.get("fields", {})
    if d.get("type") == "diagnostic" and f.get("severity") == "error" and f.get("graphs"):
        k = f["graphs"][0]["Krate"]
        crates.add((k["name"], k["version"]))
print(len(crates))' || true)

read -r st sm < <(measure "${sovra_cmd[@]}")
read -r dt dm < <(measure "${deny_cmd[@]}")

echo "input: $(basename "$meta") ($packages packages), median of $runs runs"
awk -v st="$st" -v sm="$sm" -v dt="$dt" -v dm="$dm" -v sr="$sovra_rejects" -v dr="$deny_rejects" 'BEGIN {
  printf "sovra check        %8.1f ms  %8d KiB peak RSS  %4d crates rejected\n", st / 1000, sm, sr
  printf "cargo deny         %8.1f ms  %8d KiB peak RSS  %4d crates rejected\n", dt / 1000, dm, dr
  printf "ratio (deny/sovra) %8.1fx time  %6.1fx memory\n", dt / st, dm / sm
}'
