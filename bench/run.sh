#!/usr/bin/env bash
# Benchmarks of `changes` against git on the same staged change. Prints hyperfine's tables;
# BENCHMARKS.md records the figures with the date and the machine.
#
# Usage: bench/run.sh [path/to/changes]   (default: target/release/changes, built if missing)
# Needs: python3, git, hyperfine (Debian: apt-get install hyperfine).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binary=${1:-$here/../target/release/changes}
if [ ! -x "$binary" ]; then
    cargo build --release --manifest-path "$here/../Cargo.toml"
fi
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null HOME="$work/home" NO_COLOR=1
mkdir -p "$HOME"

for files in 20 2000; do
    repo="$work/files-$files"
    python3 "$here/fixture.py" "$repo" "$files"
    echo "## staged change of $files files ($(cd "$repo" && git diff --cached --shortstat))"
    (cd "$repo" && hyperfine --warmup 3 --min-runs 20 --style basic \
        --export-markdown "$work/$files.md" \
        -n "git diff --cached --stat -p" "git diff --cached --stat -p > /dev/null" \
        -n "changes hook run --models local" "$binary hook run --models local > /dev/null")
    cat "$work/$files.md"
    echo
done
