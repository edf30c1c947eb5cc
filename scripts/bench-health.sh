#!/bin/sh
# Commits per second of `sovra health` (every signal) beside
# `git log --format='%H %ae %at' | wc -l` on the same repository: a generated
# 100,000-commit history, plus any clones given as arguments.
#
#   cargo build --release && scripts/bench-health.sh [CLONE...]
#
# The git command builds the generated history (fast-import) and is the reference; sovra
# itself never runs it. Prints one line per repository and tool: commits, seconds,
# commits per second (best of three runs).
set -eu
SOVRA=${SOVRA:-target/release/sovra}
N=${N:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A linear history of $N commits by 40 authors of 12 domains, one file changed each,
# one commit an hour, a tag every 500 commits.
git init -q --bare "$work/gen.git"
python3 - "$N" <<'PY' | git -C "$work/gen.git" fast-import --quiet
import sys
n = int(sys.argv[1])
start = 1_600_000_000
out = sys.stdout
for i in range(n):
    who = f"dev{i % 40} <dev{i % 40}@org{i % 12}.example>"
    t = start + i * 3600
    data = f"{i}\n"
    msg = f"change {i}\n"
    out.write(f"commit refs/heads/main\nmark :{i + 1}\n")
    out.write(f"author {who} {t} +0000\ncommitter {who} {t} +0000\n")
    out.write(f"data {len(msg)}\n{msg}")
    if i:
        out.write(f"from :{i}\n")
    out.write(f"M 644 inline file{i % 100}.txt\ndata {len(data)}\n{data}\n")
    if i % 500 == 499:
        out.write(f"reset refs/tags/v1.{i // 500}.0\nfrom :{i + 1}\n\n")
PY
git -C "$work/gen.git" symbolic-ref HEAD refs/heads/main

best() { # best wall time of three runs of "$@", in seconds
    b=
    for _ in 1 2 3; do
        s=$(date +%s.%N)
        "$@" >/dev/null
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
    done
    echo "$b"
}

gitlog() { git -C "$1" log --format='%H %ae %at' HEAD | wc -l; }

for repo in "$work/gen.git" "$@"; do
    commits=$(git -C "$repo" rev-list --count HEAD)
    ts=$(best "$SOVRA" health --date head --format json "$repo")
    tg=$(best gitlog "$repo")
    printf '%s\n  sovra health: %s commits in %.3f s = %.0f commits/s\n' \
        "$repo" "$commits" "$ts" "$(echo "$commits / $ts" | bc -l)"
    printf '  git log:      %s commits in %.3f s = %.0f commits/s\n' \
        "$commits" "$tg" "$(echo "$commits / $tg" | bc -l)"
done
