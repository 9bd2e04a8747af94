#!/bin/sh
# Builds and installs `changes`, installs its git hooks into the repository this script is
# run from, and shows the main job working: a draft commit message for the staged changes,
# or for the last commit when nothing is staged.
#
# Usage: ./install.sh [--root DIR] [--no-hooks] [--no-draft]
#   --root DIR   install the binary into DIR/bin instead of cargo's default (~/.cargo/bin)
#   --no-hooks   do not install the git hooks
#   --no-draft   do not run the demonstration draft at the end
set -eu

root=""
install_hooks=1
show_draft=1
while [ $# -gt 0 ]; do
    case "$1" in
        --root) root="${2:?--root needs a folder}"; shift 2 ;;
        --root=*) root="${1#--root=}"; shift ;;
        --no-hooks) install_hooks=0; shift ;;
        --no-draft) show_draft=0; shift ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

source_dir=$(cd "$(dirname "$0")" && pwd)
work_dir=$(pwd)

if ! command -v cargo >/dev/null 2>&1; then
    echo "install.sh: cargo is needed to build changes (https://rustup.rs)" >&2
    exit 1
fi

echo "==> building and installing changes (release build; the first one takes a few minutes)"
if [ -n "$root" ]; then
    cargo install --quiet --path "$source_dir" --locked --force --root "$root"
    binary="$root/bin/changes"
else
    cargo install --quiet --path "$source_dir" --locked --force
    binary="${CARGO_HOME:-$HOME/.cargo}/bin/changes"
fi
[ -x "$binary" ] || { echo "install.sh: cargo did not produce $binary" >&2; exit 1; }
echo "    installed $binary ($("$binary" --version))"
case ":$PATH:" in
    *":$(dirname "$binary"):"*) ;;
    *) echo "    note: $(dirname "$binary") is not on PATH; add it to use \`changes\` by name" ;;
esac

cd "$work_dir"
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "==> not inside a git work tree: no hooks installed, no draft shown"
    exit 0
fi

status=0
if [ "$install_hooks" = 1 ]; then
    echo "==> git hooks (prepare-commit-msg drafts your messages, pre-push reviews your pushes)"
    if ! "$binary" hook install; then
        echo "    the hooks were not installed (see above); \`changes hook status\` explains the folder" >&2
        status=1
    fi
fi

if [ "$show_draft" = 1 ]; then
    if git diff --cached --quiet 2>/dev/null; then
        echo "==> nothing staged: a draft for the last commit (changes hook run --rev HEAD)"
        "$binary" hook run --rev HEAD
    else
        echo "==> a draft for the staged changes (changes hook run)"
        "$binary" hook run
    fi
fi
exit "$status"
