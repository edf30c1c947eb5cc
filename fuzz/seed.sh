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
# The readers added later: one directory per target, seeds from the corpus's own
# fixtures of that format (valid and malformed alike), each under 300 KB.
seed() { # target, then find(1) arguments
    t=$1; shift
    mkdir -p "$here/corpus/$t"
    for f in $(find "$@" -type f -size -300k 2>/dev/null); do
        n=$((n + 1)); cp "$f" "$here/corpus/$t/seed-$n"
    done
}
seed cyclonedx_xml "$src/cyclonedx" -name '*.xml'
seed spdx3 "$src/spdx" -path '*spdx3*' -name '*.json'
seed composer "$src/lockfiles/composer"
seed composer "$src/opendesk" -name 'composer.lock'
seed cargo_lock "$src/lockfiles/cargo"
seed cargo_lock "$src/opendesk" -name 'Cargo.lock'
seed golang "$src/lockfiles/go"
seed golang "$src/opendesk" -name 'go.mod'
seed ruby "$src/lockfiles/bundler"
seed yarn "$src/lockfiles/yarn"
seed yarn "$src/opendesk" -name 'yarn.lock'
seed pnpm "$src/lockfiles/pnpm"
seed pnpm "$src/opendesk" -name 'pnpm-lock.yaml'
seed dotnet "$src/lockfiles/nuget"
seed gradle "$src/lockfiles/gradle"
seed maven "$src/lockfiles/maven"
seed spdx_yaml "$src/spdx" -name '*.yaml'
seed maven "$src/opendesk" -name 'pom.xml'
# python: the first byte picks the reader (poetry, uv, Pipfile, requirements).
mkdir -p "$here/corpus/python"
i=0
for dir in poetry uv pipenv requirements; do
    for f in $(find "$src/lockfiles/$dir" -type f -size -300k 2>/dev/null); do
        n=$((n + 1)); { printf "\\$(printf '%03o' $i)"; cat "$f"; } > "$here/corpus/python/seed-$n"
    done
    i=$((i + 1))
done
for t in cyclonedx spdx_json spdx_tag_value npm cargo_metadata cyclonedx_xml spdx3 composer \
    cargo_lock golang ruby yarn pnpm dotnet gradle maven spdx_yaml python; do
    echo "$t: $(ls "$here/corpus/$t" | wc -l) seeds"
done
