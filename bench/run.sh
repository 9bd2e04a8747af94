#!/usr/bin/env bash
# The benchmark suite: every target of BENCHMARKS.md, each printed next to its baseline from
# the same run. Medians over repeated runs (hyperfine). Builds its own fixture repositories
# (bench/fixture.py) and a loopback model server (bench/fake_model_server.py).
#
# Usage: bench/run.sh [--quick | --collection]
#   --quick        skips the 5,000-file fixture
#   --collection   only the 20-file and 2,000-file collection comparison
# Needs: python3, git, hyperfine (Debian: apt-get install hyperfine), curl.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
quick=${1:-}
cargo build --quiet --release --manifest-path "$here/../Cargo.toml"
binary=$here/../target/release/changes
work=$(mktemp -d)
delay=500
port=$((20000 + RANDOM % 20000))
python3 "$here/fake_model_server.py" "$port" "$delay" "$work/stats.json" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null HOME="$work/home" NO_COLOR=1
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME/.config/changes"
# Six models on the loopback server; the defaults stay the built-in ones (no keys here), so
# `--models m1` and `--models m1,...,m6` choose them explicitly.
{
    echo "models:"
    for index in 1 2 3 4 5 6; do
        printf '  - {name: m%s, provider: openai-compatible, model: model-%s, base_url: "http://127.0.0.1:%s/v1", max_concurrency: 16, context_tokens: 32000}\n' \
            "$index" "$index" "$port"
    done
} > "$HOME/.config/changes/config.yaml"
six=m1,m2,m3,m4,m5,m6

# "name: median (min … max, N runs)" for each command of a hyperfine JSON export.
medians() {
    python3 - "$1" <<'PY'
import json, sys
for result in json.load(open(sys.argv[1]))["results"]:
    ms = lambda seconds: f"{seconds * 1000:.1f} ms"
    print(f"  {result['command']}: median {ms(result['median'])} "
          f"(min {ms(result['min'])}, max {ms(result['max'])}, {len(result['times'])} runs)")
PY
}
bench() {
    local json=$work/$1.json
    shift
    hyperfine --style none --export-json "$json" "$@" > /dev/null 2>&1
    medians "$json"
}
# Requests, map requests, bytes and most in flight of one run of `changes hook run "$@"`.
count() {
    curl -s -X DELETE "http://127.0.0.1:$port/" > /dev/null
    "$binary" hook run "$@" > /dev/null 2>&1
    python3 -c "import json; s = json.load(open('$work/stats.json')); print(f\"requests {s['requests']} (map {s['map_requests']}), request bytes {s['bytes']}, about {s['bytes'] // 3} input tokens, most in flight {s['most_in_flight']}\")"
}
sleep 0.5

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); $(date -u +%F)"

# Collection against git on 20 and 2,000 files of 100 lines (the first figures of the project).
collection() {
    for files in 20 2000; do
        python3 "$here/fixture.py" "$work/files-$files" "$files" 100
        echo "## staged change of $files files ($(cd "$work/files-$files" && git diff --cached --shortstat | sed 's/^ //'))"
        (cd "$work/files-$files" && bench "files-$files" -N --warmup 3 --min-runs 20 \
            -n "git diff --cached --stat -p" "git diff --cached --stat -p --output=/dev/null" \
            -n "changes hook run --models local" "$binary hook run --models local")
    done
}
if [ "$quick" = "--collection" ]; then
    collection
    exit 0
fi
collection

echo "## start-up"
bench version -N --warmup 5 --min-runs 50 -n "changes --version" "$binary --version" -n "git --version" "git --version"

make_fixture() {
    python3 "$here/fixture.py" "$work/$1" "$2" "$3" ${4:-}
    echo "## $1: $(cd "$work/$1" && git diff --cached --shortstat | sed 's/^ //')"
}
make_fixture small 3 60
make_fixture medium 20 500
make_fixture large 300 500 --extras

echo "## git commit on medium (GIT_EDITOR=true keeps the file as prepared)"
(
    cd "$work/medium"
    git tag base HEAD
    "$binary" hook install > /dev/null 2>&1
    GIT_EDITOR=true bench commit --warmup 3 --min-runs 30 --prepare "git reset -q --soft base" \
        -n "git commit, no hook" "git -c core.hooksPath=/nonexistent commit -q --allow-empty-message" \
        -n "git commit, changes hook (built-in model)" "git commit -q"
    echo "  subject of the last commit: $(git log -1 --format=%s)"
    git reset -q --soft base
    "$binary" hook uninstall > /dev/null 2>&1
)

for fixture in small large; do
    echo "## models on $fixture, server answering after $delay ms (cold: cache cleared before each run)"
    (
        cd "$work/$fixture"
        bench "$fixture-models" --warmup 1 --min-runs 10 --prepare "rm -rf .git/changes/cache" \
            -n "1 model" "$binary hook run --models m1" -n "6 models" "$binary hook run --models $six"
        rm -rf .git/changes/cache
        echo "  one run, 1 model: $(count --models m1)"
        rm -rf .git/changes/cache
        echo "  one run, 6 models: $(count --models $six)"
    )
done

echo "## large after a commit: the draft of that commit again, per-file summaries cached"
(
    cd "$work/large"
    rm -rf .git/changes/cache
    "$binary" hook run --models $six > /dev/null 2>&1
    git -c core.hooksPath=/nonexistent commit -q -m "large change"
    echo "  requests: $(count --models $six --rev HEAD)"
    bench warm --warmup 1 --min-runs 10 -n "6 models, warm cache" "$binary hook run --models $six --rev HEAD"
)

if [ "$quick" != "--quick" ]; then
    make_fixture huge 5000 500
    (
        cd "$work/huge"
        echo "## collecting the staged diff of huge"
        bench huge-diff -N --warmup 1 --min-runs 10 \
            -n "git diff --cached -p > /dev/null" "git diff --cached -p --output=/dev/null" \
            -n "changes hook run --dry-run (collect, filter, render)" "$binary hook run --dry-run --models local --no-color"
        echo "## peak memory on huge (built-in model)"
        /usr/bin/time -f "  changes hook run --models local: %M KB peak resident, %e s" \
            "$binary" hook run --models local > /dev/null 2> "$work/time.txt" || true
        tail -1 "$work/time.txt"
        /usr/bin/time -f "  git diff --cached -p: %M KB peak resident, %e s" \
            git diff --cached -p --output=/dev/null 2> "$work/time.txt"
        tail -1 "$work/time.txt"
        echo "  requests with 1 model: $(count --models m1)"
    )
fi
