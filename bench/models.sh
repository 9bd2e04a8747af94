#!/usr/bin/env bash
# `changes hook run` against a loopback model server that answers after a fixed delay:
# wall time with 1 and with 6 models, and the requests and bytes one run sends, on a 3-file
# and a 300-file staged change. The cache is cleared before every timed run (cold), except in
# the "warm" rows.
#
# Usage: bench/models.sh [DELAY_MS]   (default 500)
# Needs: python3, git, hyperfine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
delay=${1:-500}
cargo build --quiet --release --manifest-path "$here/../Cargo.toml"
binary=$here/../target/release/changes
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
python3 "$here/fake_model_server.py" "$port" "$delay" "$work/stats.json" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.5

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null HOME="$work/home" NO_COLOR=1
mkdir -p "$HOME/.config/changes"
{
    echo "models:"
    for index in 1 2 3 4 5 6; do
        printf '  - {name: m%s, provider: openai-compatible, model: model-%s, base_url: "http://127.0.0.1:%s/v1", max_concurrency: 16, context_tokens: 32000}\n' \
            "$index" "$index" "$port"
    done
    echo "defaults: [m1, m2, m3, m4, m5, m6]"
} > "$HOME/.config/changes/config.yaml"

medians() {
    python3 - "$1" <<'PY'
import json, sys
for result in json.load(open(sys.argv[1]))["results"]:
    print(f"  {result['command']}: median {result['median'] * 1000:.0f} ms "
          f"(min {result['min'] * 1000:.0f}, max {result['max'] * 1000:.0f}, {len(result['times'])} runs)")
PY
}

# Requests, map requests, bytes and most in flight of one cold run.
one_run() {
    rm -rf .git/changes/cache
    curl -s -X DELETE "http://127.0.0.1:$port/" > /dev/null
    "$binary" hook run "$@" > /dev/null 2>&1
    python3 -c "import json; s = json.load(open('$work/stats.json')); print(f\"    requests {s['requests']} (map {s['map_requests']}), request bytes {s['bytes']}, most in flight {s['most_in_flight']}\")"
}

for spec in "3 20" "300 100"; do
    set -- $spec
    repo="$work/files-$1"
    python3 "$here/fixture.py" "$repo" "$1" "$2"
    cd "$repo"
    echo "## $1-file change ($(git diff --cached --shortstat | sed 's/^ //')), server delay ${delay} ms"
    hyperfine --warmup 1 --min-runs 10 --style none --export-json "$work/run.json" \
        --prepare "rm -rf .git/changes/cache" \
        -n "1 model, cold" "$binary hook run --models m1 > /dev/null" \
        -n "6 models, cold" "$binary hook run > /dev/null" 2>/dev/null
    medians "$work/run.json"
    "$binary" hook run > /dev/null 2>&1
    hyperfine --warmup 1 --min-runs 10 --style none --export-json "$work/warm.json" \
        -n "6 models, warm cache" "$binary hook run > /dev/null" 2>/dev/null
    medians "$work/warm.json"
    echo "  one cold run with 1 model:"
    one_run --models m1
    echo "  one cold run with 6 models:"
    one_run
    cd "$here"
done
