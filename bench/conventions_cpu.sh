#!/usr/bin/env bash
# CPU time (user + system) of `changes hook run --models local` with a warm conventions index,
# against the same run with `conventions.enabled: false`: on a shared machine the wall-clock
# medians of bench/conventions.sh swing with the load, the CPU a run burns much less.
#
# Usage: bench/conventions_cpu.sh REPOSITORY [RUNS]
#   REPOSITORY   a clone with at least 1,000 first-parent commits
#   CHANGES_BINARY  another build to measure (default: this tree's release build)
# Needs: git, python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cargo build --quiet --release --manifest-path "$here/../Cargo.toml"
binary=${CHANGES_BINARY:-$here/../target/release/changes}
runs=${2:-40}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null HOME="$work/home" NO_COLOR=1
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME"
git clone -q "$1" "$work/repo"
cd "$work/repo"
first=$(git ls-files '*.rs' | sed -n 1p)
echo "// one more line" >> "$first"
git add "$first"
printf 'conventions:\n  enabled: false\n' > "$HOME/off.yaml"
"$binary" hook run --models local > /dev/null 2>&1
echo "# $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%F); $runs runs each"
python3 - "$binary" "$runs" "$HOME/off.yaml" <<'PY'
import os, resource, statistics, subprocess, sys
binary, runs, off = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def cpu(extra):
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([binary, "hook", "run", "--models", "local"], env={**os.environ, **extra},
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return statistics.median(times), min(times)
on, on_min = cpu({})
off_, off_min = cpu({"CHANGES_CONFIG": off})
print(f"conventions on:  median {on:.1f} ms CPU (min {on_min:.1f})")
print(f"conventions off: median {off_:.1f} ms CPU (min {off_min:.1f})")
print(f"the profile's share: {on - off_:.1f} ms CPU (min against min: {on_min - off_min:.1f})")
PY
