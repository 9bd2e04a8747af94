#!/usr/bin/env bash
# Benchmarks of `changes` against git on the same staged change, medians over repeated runs
# (hyperfine). BENCHMARKS.md records the figures with the date and the machine.
#
# Usage: bench/run.sh [path/to/changes]   (default: target/release/changes, rebuilt first)
# Needs: python3, git, hyperfine (Debian: apt-get install hyperfine).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
    cargo build --quiet --release --manifest-path "$here/../Cargo.toml"
fi
binary=${1:-$here/../target/release/changes}
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null HOME="$work/home" NO_COLOR=1
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME"

# Prints "name: median (min … max) over N runs" for each command of a hyperfine JSON export.
medians() {
    python3 - "$1" <<'PY'
import json, sys
for result in json.load(open(sys.argv[1]))["results"]:
    ms = lambda seconds: f"{seconds * 1000:.1f} ms"
    print(f"  {result['command']}: median {ms(result['median'])} "
          f"(min {ms(result['min'])}, max {ms(result['max'])}, {len(result['times'])} runs)")
PY
}

for files in 20 2000; do
    repo="$work/files-$files"
    python3 "$here/fixture.py" "$repo" "$files"
    echo "## staged change of $files files ($(cd "$repo" && git diff --cached --shortstat | sed 's/^ //'))"
    (cd "$repo" && hyperfine --warmup 3 --min-runs 20 --style none --export-json "$work/diff-$files.json" \
        -n "git diff --cached --stat -p" "git diff --cached --stat -p > /dev/null" \
        -n "changes hook run --models local" "$binary hook run --models local > /dev/null")
    medians "$work/diff-$files.json"
done

# git commit with the prepare-commit-msg hook (built-in model) against git commit with no
# hook, on the same 20-file change. GIT_EDITOR=true accepts the file as it is; each run starts
# from the same staged state.
repo="$work/files-20"
(
    cd "$repo"
    git tag base HEAD
    "$binary" hook install >/dev/null 2>&1
    echo "## git commit on the 20-file change"
    GIT_EDITOR=true hyperfine --warmup 3 --min-runs 20 --style none --export-json "$work/commit.json" \
        --prepare "git reset -q --soft base" \
        -n "git commit (no hook)" "git -c core.hooksPath=/nonexistent commit -q --allow-empty-message" \
        -n "git commit (changes hook, local model)" "git commit -q"
    medians "$work/commit.json"
    echo "  subject of the last commit: $(git log -1 --format=%s)"
)
