#!/usr/bin/env python3
"""Builds a deterministic benchmark repository with a staged change of N files.

Usage: fixture.py DIR FILES [LINES_PER_FILE] [--extras]

The base commit holds FILES Rust-like source files spread over 20 folders; the staged change
rewrites a tenth of each file's lines and adds two functions to it, so every file has a few
hunks and real definitions for the summarizer to find. Same arguments, same repository.
"""
import os
import subprocess
import sys


def source(index: int, lines: int, changed: bool) -> str:
    out = [f"//! Module {index} of the benchmark fixture.", ""]
    for line in range(lines):
        if changed and line % 10 == 5:
            out.append(f"    let value_{line} = compute({index}, {line}) * 2; // changed")
        elif line % 25 == 0:
            out.append(f"pub fn function_{index}_{line}(input: u32) -> u32 {{")
        elif line % 25 == 24:
            out.append("}")
        else:
            out.append(f"    let value_{line} = compute({index}, {line});")
    if changed:
        out += ["", f"pub fn added_helper_{index}() -> u32 {{", "    42", "}", "",
                f"pub struct AddedType{index};"]
    return "\n".join(out) + "\n"


def main() -> None:
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    extras = "--extras" in sys.argv
    folder, files = arguments[0], int(arguments[1])
    lines = int(arguments[2]) if len(arguments) > 2 else 100
    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_SYSTEM="/dev/null",
               GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com",
               GIT_AUTHOR_DATE="2026-11-01T12:00:00Z", GIT_COMMITTER_DATE="2026-11-01T12:00:00Z")
    git = lambda *args: subprocess.run(["git", *args], cwd=folder, env=env, check=True,
                                       stdout=subprocess.DEVNULL)
    os.makedirs(folder, exist_ok=True)
    git("init", "-q", "-b", "main")
    paths = [f"src/area{index % 20:02}/module_{index:05}.rs" for index in range(files)]
    for index, path in enumerate(paths):
        os.makedirs(os.path.join(folder, os.path.dirname(path)), exist_ok=True)
        with open(os.path.join(folder, path), "w") as handle:
            handle.write(source(index, lines, changed=False))
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    for index, path in enumerate(paths):
        with open(os.path.join(folder, path), "w") as handle:
            handle.write(source(index, lines, changed=True))
    if extras:
        with open(os.path.join(folder, "Cargo.lock"), "w") as handle:
            for package in range(4000):
                handle.write(f'[[package]]\nname = "crate-{package}"\nversion = "1.{package % 50}.2"\n\n')
        os.makedirs(os.path.join(folder, "assets"), exist_ok=True)
        for number in range(3):
            with open(os.path.join(folder, f"assets/image-{number}.png"), "wb") as handle:
                handle.write(bytes((number * 7 + offset * 13) % 256 for offset in range(50_000)))
    git("add", "-A")


if __name__ == "__main__":
    main()
