#!/bin/sh
# Builds and installs `changes`, installs its git hooks into the repository this script is
# run from, and shows the main job working: a draft commit message for the staged changes,
# or for the last commit when nothing is staged.
#
# Usage: ./install.sh [--root DIR] [--no-hooks] [--no-draft]
#   --root DIR   install into DIR: the binary in DIR/bin, the man page and completions in
#                DIR/share. Without it the folder is cargo's: CARGO_INSTALL_ROOT, else
#                install.root in cargo's configuration (each also gets a share folder),
#                else CARGO_HOME or ~/.cargo (the man page and completions then go to
#                ~/.local/share)
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
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

source_dir=$(cd "$(dirname "$0")" && pwd)
work_dir=$(pwd)

if ! command -v cargo >/dev/null 2>&1; then
    echo "install.sh: cargo is needed to build changes (https://rustup.rs)" >&2
    exit 1
fi

# A folder made absolute the way cargo makes it: a relative one is taken from the folder the
# script was run from, which is cargo's current folder too.
absolute() {
    case "$1" in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s\n' "$work_dir/$1" ;;
    esac
}

# The `install.root` in one cargo configuration file, in either plain spelling (`root = "…"`
# under `[install]`, or `install.root = "…"`); fails when the file sets none.
install_root_in() {
    [ -f "$1" ] || return 1
    awk -v q="'" '
        { line = $0; sub(/^[ \t]+/, "", line) }
        line ~ /^\[/ { table = line; sub(/#.*/, "", table); gsub(/[ \t]/, "", table); next }
        (table == "[install]" && line ~ /^root[ \t]*=/) ||
        (table == "" && line ~ /^install\.root[ \t]*=/) {
            sub(/^[^=]*=[ \t]*/, "", line)
            quote = substr(line, 1, 1)
            closing = index(substr(line, 2), quote)
            if ((quote == "\"" || quote == q) && closing > 0) {
                print substr(line, 2, closing - 1); found = 1; exit
            }
        }
        END { exit !found }
    ' "$1"
}

# The configuration file cargo reads in a folder: `config` wins when `config.toml` is there too.
config_file_in() {
    if [ -f "$1/config" ]; then printf '%s\n' "$1/config"; else printf '%s\n' "$1/config.toml"; fi
}

# Cargo's install.root setting, read the way `cargo install --path` reads it: from the
# .cargo folder of the source folder or of the nearest parent that sets it, else from
# CARGO_HOME. Like cargo, a relative value with a slash is taken from the folder holding
# that configuration, a bare name from the current folder. Other spellings (an inline table,
# `--config`) are not read; the check after the install says so if cargo used one.
configured_install_root() {
    folder=$source_dir
    while :; do
        config=$(config_file_in "$folder/.cargo")
        if value=$(install_root_in "$config"); then break; fi
        if [ "$folder" = / ]; then
            config=$(config_file_in "$(absolute "${CARGO_HOME:-$HOME/.cargo}")")
            value=$(install_root_in "$config") || return 1
            break
        fi
        folder=$(dirname "$folder")
    done
    case "$value" in
        /*) printf '%s\n' "$value" ;;
        */*) printf '%s\n' "$(dirname "$(dirname "$config")")/$value" ;;
        *) absolute "$value" ;;
    esac
}

# Where cargo puts the binary, in cargo's own order. A root chosen by the user (any but the
# last) also receives the man page and completions; cargo's home is no place for them.
share=${XDG_DATA_HOME:-$HOME/.local/share}
if [ -n "$root" ]; then
    install_root=$(absolute "$root")
    share=$install_root/share
elif [ -n "${CARGO_INSTALL_ROOT:-}" ]; then
    install_root=$(absolute "$CARGO_INSTALL_ROOT")
    share=$install_root/share
elif install_root=$(configured_install_root); then
    share=$install_root/share
else
    install_root=$(absolute "${CARGO_HOME:-$HOME/.cargo}")
fi
binary=$install_root/bin/changes

echo "==> building changes in release mode and installing it into $install_root/bin"
echo "    the first build compiles about 150 crates: some 5 minutes on an idle 2-core machine,"
echo "    10 to 20 on a busy one, a minute or two on a fast one; cargo shows its progress below"
if [ -n "$root" ]; then
    cargo install --path "$source_dir" --locked --force --root "$install_root"
else
    cargo install --path "$source_dir" --locked --force
fi
if [ ! -x "$binary" ]; then
    echo "install.sh: cargo finished but $binary is not there: cargo's install folder is set" \
        "in a way this script does not read; run ./install.sh --root DIR to choose it" >&2
    exit 1
fi
echo "    installed $binary ($("$binary" --version))"
# Shell completions and the man page, generated by the binary from its own definitions.
mkdir -p "$share/man/man1" "$share/bash-completion/completions" "$share/zsh/site-functions" \
    "$share/fish/vendor_completions.d"
"$binary" manpage > "$share/man/man1/changes.1"
"$binary" completions bash > "$share/bash-completion/completions/changes"
"$binary" completions zsh > "$share/zsh/site-functions/_changes"
"$binary" completions fish > "$share/fish/vendor_completions.d/changes.fish"
echo "    man page and bash, zsh and fish completions in $share"
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
    # Whether a key is set comes from `changes models`, not from reading the draft: with none,
    # no hosted model was asked and the built-in one answered (unless a running Ollama server,
    # which needs no key, did).
    models=$("$binary" models --format json 2>/dev/null) || models=""
    case "$models" in
        "" | *'"state": "present"'* | *'"state": "user file"'*) ;;
        *)
            echo "==> no API key is set, so this draft is from \`local\`, the built-in offline model"
            echo "    to add one: export ANTHROPIC_API_KEY=... (\`changes models\` lists every model and its variable)"
            ;;
    esac
fi
exit "$status"
