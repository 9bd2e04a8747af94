#!/usr/bin/env bash
# Two linked worktrees of one repository at two commits, drafting in turn: the wall time of
# one `changes hook run --models local` in each (a pair), with the index and the profiles warm.
# Before the profiles were kept per commit, each run replaced the other worktree's profile and
# trained again.
#
# Usage: bench/worktrees.sh REPOSITORY [BINARY...]
#   REPOSITORY   a clone with about 1,000 first-parent commits
#   BINARY       builds to compare (default: this checkout's release build)
# Needs: git, hyperfine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source=$1
shift
if [ $# -eq 0 ]; then
    cargo build --quiet --release --manifest-path "$here/../Cargo.toml"
    set -- "$here/../target/release/changes"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null HOME="$work/home" NO_COLOR=1
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME/.config/changes"
git clone -q "$source" "$work/main"
git -C "$work/main" worktree add -q -b other "$work/other" HEAD~5
for tree in main other; do
    printf '// touched in %s\n' "$tree" >> "$work/$tree/README.md"
    git -C "$work/$tree" add README.md
done
echo "# machine: $(nproc) cores, $(uname -sr); $(date -u +%F); load: $(cut -d' ' -f1-3 /proc/loadavg)"
commands=()
for binary in "$@"; do
    pair="cd $work/main && $binary hook run --models local >/dev/null 2>&1"
    pair="$pair && cd $work/other && $binary hook run --models local >/dev/null 2>&1"
    # The first pair builds the index; each measured pair starts from the other's run.
    rm -rf "$work/main/.git/changes"
    sh -c "$pair"
    commands+=("sh -c '$pair'")
done
hyperfine -N --warmup 3 --min-runs 40 "${commands[@]}"
