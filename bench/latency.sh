#!/usr/bin/env bash
# Models with realistic latency (issue 16): the time to a draft of `changes hook run` against
# bench/latency_server.py (0.4 s to the first token, 20,000 input and 80 output tokens per
# second, answers as long as a real model's), next to the best schedule computed for the same
# latency model (bench/schedule.py), for staged changes of 3, 30, 300 and 3,000 files
# (bench/latency_fixture.py) and 1 or 6 models; what the models read of the peers' 202-file
# change (bench/coverage.py); and whether a draft comes out for each way of writing a map
# answer. Prints markdown tables, the figures of BENCHMARKS.md; says nothing else unless
# something fails.
#
# Usage: bench/latency.sh [--runs N] [--skip-formats]
#   --runs N        hyperfine runs per configuration (default: 3 up to 30 files, 2 above, and
#                   1 with the defaults of a model a user adds)
#   --skip-formats  leaves out the map formats' table
# Needs: python3, git, hyperfine (Debian: apt-get install hyperfine), curl, cargo.
# Every run is cold: the summary cache is cleared and the server's counts reset before each.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
runs=""
formats=yes
while [ $# -gt 0 ]; do
    case $1 in
        --runs) runs=$2; shift 2 ;;
        --skip-formats) formats=""; shift ;;
        *) sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//;$d' >&2; exit 2 ;;
    esac
done
cargo build --quiet --release --manifest-path "$here/../Cargo.toml"
binary=$here/../target/release/changes
work=$(mktemp -d)
servers=()
cleanup() {
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null HOME="$work/home" NO_COLOR=1
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
for variable in $(compgen -e | grep '^CHANGES_' || true); do unset "$variable"; done
export PYTHONDONTWRITEBYTECODE=1

# Starts a latency server named $1 with the further arguments; its port goes to $work/$1/port.
start_server() {
    local name=$1
    shift
    mkdir -p "$work/$name"
    python3 "$here/latency_server.py" 0 "$work/$name/stats.json" --log "$work/$name/requests.log" \
        --port-file "$work/$name/port" --pid-file "$work/$name/pid" "$@" &
    for _ in $(seq 400); do
        if [ -s "$work/$name/port" ]; then
            servers+=("$(cat "$work/$name/pid")")
            return
        fi
        sleep 0.05
    done
    echo "latency server $name did not start" >&2
    exit 1
}

# One user configuration: m1..m6 of the openai provider row, so with exactly the built-in
# gpt's settings (16 at once, 64k context, its speed figures), u1 an openai-compatible model
# with nothing set, as a user adds one, and per map format two models, each on its own
# server: one with the latency above, one fast.
all_formats="asked heading bold backtick numbered basename fenced mixed paragraph"
start_server main
if [ -n "$formats" ]; then
    for format in $all_formats; do
        start_server "format-$format" --map-format "$format"
        start_server "fast-$format" --map-format "$format" --first-token 0.05 --input-rate 1000000 --output-rate 5000
    done
fi
entry() {  # name, server, provider
    printf '  - {name: %s, provider: %s, model: %s, base_url: "http://127.0.0.1:%s/v1"}\n' \
        "$1" "$3" "$1" "$(cat "$work/$2/port")"
}
# The openai row needs a key; the loopback server takes any.
export OPENAI_API_KEY=bench-key
mkdir -p "$HOME/.config/changes"
{
    echo "models:"
    for index in 1 2 3 4 5 6; do entry "m$index" main openai; done
    entry u1 main openai-compatible
    if [ -n "$formats" ]; then
        for format in $all_formats; do
            entry "f-$format" "format-$format" openai
            entry "fast-$format" "fast-$format" openai
        done
    fi
} > "$HOME/.config/changes/config.yaml"
six=m1,m2,m3,m4,m5,m6

for files in 3 30 300 3000; do
    python3 "$here/latency_fixture.py" "$work/files-$files" mixed "$files"
done
python3 "$here/latency_fixture.py" "$work/peers" peers

# Measures `changes hook run --models $3` in repository $2 into run folder $1 with hyperfine:
# each run cold, its exit code and stdout size appended to outcomes; the server's stats and
# request log of the last run copied there.
measure() {
    local run=$work/runs/$1 repo=$2 models=$3 count=$4 share=${5:-false} port
    port=$(cat "$work/main/port")
    mkdir -p "$run"
    (
        cd "$repo"
        hyperfine --style none --runs "$count" --export-json "$run/hyperfine.json" \
            --prepare "rm -rf .git/changes/cache; curl -sf -X DELETE http://127.0.0.1:$port/ > /dev/null" \
            "CHANGES_SHARE_SUMMARIES=$share '$binary' hook run --models $models > '$run/stdout' 2> '$run/stderr'; echo \"\$? \$(wc -c < '$run/stdout')\" >> '$run/outcomes'" \
            > /dev/null
    )
    cp "$work/main/stats.json" "$work/main/requests.log" "$run/"
}

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); $(date -u +%F); $(git -C "$here/.." rev-parse --short HEAD)"
echo
echo "| staged change | models | time to a draft, median (min–max) | drafts | requests (map) | tokens in / out (answered) | most in flight | files read (content sent under the caps) | best schedule | time / best |"
echo "|---|---|---|---|---|---|---|---|---|---|"
# The settings a model resolves to, as the binary under test sees them: "CONCURRENCY CONTEXT
# DEADLINE_SECONDS", for the best schedule of its rows.
resolved() {
    (cd "$work/files-3" && "$binary" config show --format json) | python3 -c '
import json, re, sys
settings = json.load(sys.stdin)["settings"]
model = next(model for model in settings["models"] if model["name"] == sys.argv[1])
deadline = re.fullmatch(r"(\d+)s", settings["commit"]["timeout"])
print(model["max_concurrency"], model["context_tokens"], deadline.group(1) if deadline else 0)' "$1"
}
for files in 3 30 300 3000; do
    count=${runs:-$([ "$files" -le 30 ] && echo 3 || echo 2)}
    # One run with the defaults of a model a user adds, as the issue's table has.
    # And six models sharing the per-file summaries (share_summaries: true) where there are any.
    shared=""
    [ "$files" -ge 300 ] && shared="shared:$six:$count"
    for config in "1:m1:$count" "6:$six:$count" $shared "user:u1:${runs:-1}"; do
        IFS=: read -r name models times <<< "$config"
        case $name in
            user) label="1, user defaults" ;;
            shared) label="6, sharing summaries" ;;
            *) label=$name ;;
        esac
        share=$([ "$name" = shared ] && echo true || echo false)
        measure "$files-$name" "$work/files-$files" "$models" "$times" "$share"
        python3 "$here/latency_figures.py" row "$files" "$label" \
            "$work/files-$files" "$work/runs/$files-$name" $(resolved "${models%%,*}")
    done
done

echo
echo "Where the time went (last run of each):"
echo
echo "| staged change | models | map requests (files each) | slowest map request, estimated | final requests | requests cut off by the deadline | server later than its model, at most |"
echo "|---|---|---|---|---|---|---|"
cat "$work"/runs/3-*/details "$work"/runs/30-*/details "$work"/runs/300-*/details "$work"/runs/3000-*/details

echo
echo "| fixture | time to a draft | drafts | files whose added lines reached the model | files read | requests carrying part of a file's patch that said it was cut |"
echo "|---|---|---|---|---|---|"
measure peers "$work/peers" m1 1
python3 "$here/latency_figures.py" peers "$work/peers" "$work/runs/peers"

[ -n "$formats" ] || exit 0
# Every format at once, each on its own server and its own copy of the 300-file fixture: only
# whether a draft comes out matters here, and one after the other would take minutes.
format_run() {  # model, server, run folder
    local run=$work/runs/$3 repo=$work/runs/$3/repo started code
    mkdir -p "$run"
    cp -a "$work/files-300" "$repo"
    started=$(date +%s.%N)
    code=0
    (cd "$repo" && "$binary" hook run --models "$1" > "$run/stdout" 2> "$run/stderr") || code=$?
    echo "$code $(wc -c < "$run/stdout")" > "$run/outcomes"
    awk "BEGIN { print $(date +%s.%N) - $started }" > "$run/seconds"
    cp "$work/$2/stats.json" "$work/$2/requests.log" "$run/"
}
pids=()
for format in $all_formats; do
    format_run "f-$format" "format-$format" "format-$format" & pids+=($!)
    format_run "fast-$format" "fast-$format" "fast-$format" & pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
echo
echo "Map formats on the 300-file change, 1 model (all 18 runs at once):"
echo
echo "| map answer written | latency as above: draft, time | first problem said | fast server (0.05 s, 10⁶ and 5,000 tokens/s): draft, time | first problem said |"
echo "|---|---|---|---|---|"
for format in $all_formats; do
    python3 "$here/latency_figures.py" format "$format" "$work/runs/format-$format" "$work/runs/fast-$format"
done
