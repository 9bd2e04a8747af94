#!/usr/bin/env bash
# The conventions profile's costs (issue 13): building it from a 1,000-commit history the first
# time (index empty), and what it adds to every later run (index warm), against the same run
# with `conventions.enabled: false`. Medians over repeated runs (hyperfine).
#
# Usage: bench/conventions.sh [REPOSITORY]
#   REPOSITORY   a clone with at least 1,000 first-parent commits (default: a synthetic one,
#                1,000 commits over 40 Rust files, built with git fast-import)
# Needs: python3, git, hyperfine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cargo build --quiet --release --manifest-path "$here/../Cargo.toml"
binary=$here/../target/release/changes
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null HOME="$work/home" NO_COLOR=1
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME/.config/changes"

if [ $# -ge 1 ]; then
    repo=$work/repo
    git clone -q "$1" "$repo"
else
    repo=$work/repo
    git init -q -b main "$repo"
    python3 - "$repo" <<'PY' | git -C "$repo" fast-import --quiet
import sys
types = ["feat", "fix", "docs", "chore(deps)", "refactor", "test"]
modules = ["parser", "cache", "output", "config", "cli", "git", "report", "engine"]
contents = {}
for commit in range(1000):
    kind = types[commit % len(types)]
    module = modules[(commit * 7) % len(modules)]
    if kind == "docs":
        path = "README.md"
    elif kind == "chore(deps)":
        path = "Cargo.toml"
    elif kind == "test":
        path = f"tests/{module}.rs"
    else:
        path = f"src/{module}/mod.rs"
    lines = contents.setdefault(path, [f"// {path}\n"])
    lines.append(f"pub fn step_{commit}() -> usize {{ {commit} }}\n" if path.endswith(".rs")
                 else f"line {commit}\n")
    data = "".join(lines).encode()
    scope = "" if kind.endswith(")") or kind == "docs" else f"({module})"
    message = f"{kind}{scope}: change {module} step {commit}\n".encode()
    print("commit refs/heads/main")
    print(f"committer Bench <bench@example.com> {1700000000 + commit * 60} +0000")
    print(f"data {len(message)}"); sys.stdout.flush()
    sys.stdout.buffer.write(message); print()
    print(f"M 100644 inline {path}")
    print(f"data {len(data)}"); sys.stdout.flush()
    sys.stdout.buffer.write(data); print()
PY
    git -C "$repo" checkout -q main
fi
cd "$repo"
echo "# machine: $(nproc) cores, $(uname -sr); $(date -u +%F); repository: ${1:-synthetic}"
echo "# first-parent commits: $(git rev-list --first-parent --count HEAD)"
# A staged change to draft.
first=$(git ls-files '*.rs' | sed -n 1p)
echo "// one more line" >> "$first"
git add "$first"

medians() {
    python3 - "$1" <<'PY'
import json, sys
for result in json.load(open(sys.argv[1]))["results"]:
    ms = lambda seconds: f"{seconds * 1000:.1f} ms"
    print(f"  {result['command']}: median {ms(result['median'])} "
          f"(min {ms(result['min'])}, max {ms(result['max'])}, {len(result['times'])} runs)")
PY
}
index=$(git rev-parse --git-common-dir)/changes/conventions

echo "## first run: the index is empty, 1,000 commits are indexed and learned from"
hyperfine --style none --export-json "$work/cold.json" -N --runs 5 \
    --prepare "rm -rf $index" \
    -n "changes hook run --models local (index empty)" "$binary hook run --models local" > /dev/null 2>&1
medians "$work/cold.json"

echo "## every later run: the index is warm"
"$binary" hook run --models local > /dev/null 2>&1
printf 'conventions:\n  enabled: false\n' > "$HOME/.config/changes/off.yaml"
hyperfine --style none --export-json "$work/warm.json" -N --warmup 3 --min-runs 30 \
    -n "changes hook run --models local (index warm)" "$binary hook run --models local" \
    -n "same with conventions.enabled: false" \
    "env CHANGES_CONFIG=$HOME/.config/changes/off.yaml $binary hook run --models local" > /dev/null 2>&1
medians "$work/warm.json"
echo "## index size: $(du -h "$index/index.log" | cut -f1), $(wc -l < "$index/index.log") records"
