#!/usr/bin/env bash
# Load benchmark of the catalogue (a benchmark, not a test; it builds nothing).
#
#   benches/catalog-load.sh path/to/release/sovra [ASSESSMENTS]
#
# 1. Fills a fresh SQLite catalogue with ASSESSMENTS (default 10,000) stored assessments
#    of small generated candidates, through sovra's store (`sovra catalog add`, two
#    processes at a time).
# 2. Serves it on loopback and runs wrk (-t2 -c100 -d20s --latency) on catalogue searches
#    (the API and the search page, by text, function, licence class and verdict), the
#    same URL again and again, then on URLs that differ with each request (a random
#    text, score or candidate: answers computed, not memoised); prints p50 and p99.
# 3. Uploads samples/opendesk eight times at once through the API and checks that all
#    eight are assessed and stored (counted with `sovra catalog list` before and after).
#
# CATALOG_DB=path keeps the filled catalogue there, and reuses it when it exists (the
# fill is the slow part); JOBS sets the processes that fill (default 2).
#
# Needs wrk and curl. The target the issue sets: p99 under 50 ms with 100 clients.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
    echo "usage: $0 path/to/release/sovra [ASSESSMENTS]" >&2
    exit 2
fi
SOVRA=$(realpath "$1")
N=${2:-10000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-20s}
for tool in wrk curl; do
    command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }
done

WORK=$(mktemp -d)
SERVER=""
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
DB=${CATALOG_DB:-$WORK/catalog.sqlite}
cd "$ROOT"
if [ -s "$DB" ]; then
    echo "reusing $DB" >&2
else

# --- 1. candidates and the fill -------------------------------------------------------
FUNCTIONS=(office groupware files chat video portal projects wiki whiteboard notes)
LICENCES=(MIT Apache-2.0 GPL-3.0-only AGPL-3.0-or-later MPL-2.0 LicenseRef-proprietary)
echo "generating $N candidates in $WORK/c" >&2
mkdir -p "$WORK/c"
for ((i = 0; i < N; i++)); do
    d="$WORK/c/$i"
    mkdir "$d"
    f1=${FUNCTIONS[i % 10]}
    f2=${FUNCTIONS[(i + 1 + (i / 10) % 9) % 10]}
    lic=${LICENCES[i % 6]}
    cat >"$d/candidate.toml" <<EOF
[candidate]
name = "bench-$i"
version = "1.$((i % 7))"
deployment = "self-hosted"
functions = ["$f1", "$f2"]

[[component]]
name = "bench-$i-core"
function = "$f1"
criticality = "critical"
license = "$lic"
sbom = "core.cdx.json"
EOF
    cat >"$d/core.cdx.json" <<EOF
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
 "metadata":{"component":{"type":"application","name":"bench-$i-core","version":"1.0.0"}},
 "components":[
  {"type":"library","name":"left-$((i % 97))","version":"1.0.$((i % 13))","purl":"pkg:npm/left-$((i % 97))@1.0.$((i % 13))","licenses":[{"license":{"id":"MIT"}}]},
  {"type":"library","name":"right-$((i % 89))","version":"2.1.0","purl":"pkg:npm/right-$((i % 89))@2.1.0","licenses":[{"license":{"id":"$lic"}}]},
  {"type":"library","name":"shared","version":"3.0.0","purl":"pkg:npm/shared@3.0.0","licenses":[{"license":{"id":"Apache-2.0"}}]}
 ]}
EOF
done

echo "storing $N assessments in $DB" >&2
"$SOVRA" catalog add "$WORK/c/0" --db "$DB" >/dev/null
start=$(date +%s.%N)
seq 1 $((N - 1)) | xargs -P "${JOBS:-2}" -I{} "$SOVRA" catalog add "$WORK/c/{}" --db "$DB" >/dev/null
fill=$(echo "$(date +%s.%N) - $start" | bc)
echo "fill took ${fill}s"
fi
stored=$("$SOVRA" catalog list --limit 1000000 --db "$DB" --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["assessments"]))')
echo "catalogue: $stored stored assessments ($(du -h "$DB" | cut -f1))"

# --- 2. search under load -------------------------------------------------------------
"$SOVRA" serve user add bench --role assessor --db "$DB" <<<"bench-password-1" 2>/dev/null
TOKEN=$("$SOVRA" serve token add bench-tool --role assessor --db "$DB" 2>/dev/null)
"$SOVRA" serve --db "$DB" --listen 127.0.0.1:0 --workers 2 --work-dir "$WORK/jobs" 2>"$WORK/serve.log" &
SERVER=$!
ADDR=""
for _ in $(seq 1 100); do
    ADDR=$(grep -oE '127\.0\.0\.1:[0-9]+' "$WORK/serve.log" | head -1 || true)
    [ -n "$ADDR" ] && curl -sf "http://$ADDR/api/v1/openapi.json" >/dev/null && break
    sleep 0.1
done
[ -n "$ADDR" ] || { cat "$WORK/serve.log" >&2; exit 1; }
BASE="http://$ADDR"
echo "serving $BASE" >&2

# A wrk script for requests that differ each time: the path in VARY with `{n}` replaced
# by a random number from 1 to VARY_N and `{s}` by one from 0 to 100, so the answers
# are computed, not memoised.
cat >"$WORK/vary.lua" <<'EOF'
local template = os.getenv("VARY")
local n = tonumber(os.getenv("VARY_N"))
function init(args) math.randomseed(os.time() + math.floor(os.clock() * 1000000)) end
function request()
    local path = template:gsub("{n}", tostring(math.random(1, n)))
    path = path:gsub("{s}", tostring(math.random(0, 100)))
    return wrk.format("GET", path)
end
EOF

latency() { # name path: wrk on one URL (with {n} in it, on varying URLs); prints p50 and p99
    local out
    if [[ $2 == *"{"[ns]"}"* ]]; then
        out=$(VARY="$2" VARY_N="$N" wrk -t2 -c100 -d"$DURATION" --latency -s "$WORK/vary.lua" "$BASE")
    else
        out=$(wrk -t2 -c100 -d"$DURATION" --latency "$BASE$2")
    fi
    local p50 p99 rps errors
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
    printf '%-34s p50 %8s  p99 %8s  %9s req/s  %s\n' "$1" "$p50" "$p99" "$rps" "$errors"
}
echo "wrk -t2 -c100 -d$DURATION --latency, $stored stored assessments:"
latency "api: q=bench-4242" "/api/v1/candidates?q=bench-4242"
latency "api: function=wiki" "/api/v1/candidates?function=wiki"
latency "api: licence_class, verdict" "/api/v1/candidates?licence_class=strong-copyleft&verdict=review-needed"
latency "api: score 40-80, page 3" "/api/v1/candidates?score_min=40&score_max=80&offset=100"
latency "page: search function=office" "/?function=office"
latency "api: candidate 5000" "/api/v1/candidates/5000"
latency "api: q=bench-<random>" "/api/v1/candidates?q=bench-{n}"
latency "api: score_min=<random>" "/api/v1/candidates?score_min={s}&sort=score"
latency "api: candidate <random>" "/api/v1/candidates/{n}"
latency "page: candidate <random>" "/candidates/{n}"
echo "server resident memory after the searches: $(( $(ps -o rss= -p "$SERVER") / 1024 )) MiB"

# --- 3. eight concurrent uploads ------------------------------------------------------
tar -cf "$WORK/opendesk.tar" -C "$ROOT/samples" opendesk
count() { "$SOVRA" catalog list --limit 1000000 --db "$DB" --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["assessments"]))'; }
before=$(count)
start=$(date +%s.%N)
pids=()
for i in $(seq 1 8); do
    curl -s -o "$WORK/up$i.json" -w '%{http_code}\n' -H "Authorization: Bearer $TOKEN" \
        -F "archive=@$WORK/opendesk.tar" "$BASE/api/v1/assessments" >"$WORK/up$i.code" &
    pids+=($!)
done
wait "${pids[@]}"
accepted=$(cat "$WORK"/up*.code | grep -c '^202$' || true)
for i in $(seq 1 8); do
    loc=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/up$i.json")
    while :; do
        state=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/jobs/$loc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
        case $state in done|failed) break ;; esac
        sleep 0.2
    done
    echo "upload $i: $state"
done
took=$(echo "$(date +%s.%N) - $start" | bc)
after=$(count)
echo "uploads: $accepted of 8 accepted (202); stored assessments $before -> $after ($((after - before)) new) in ${took}s"
[ "$accepted" = 8 ] && [ $((after - before)) = 8 ] || { echo "LOST UPLOADS" >&2; exit 1; }
