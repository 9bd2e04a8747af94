#!/usr/bin/env python3
"""Builds the deterministic repositories of the realistic-latency benchmark (bench/latency.sh).

Usage: latency_fixture.py DIR mixed FILES
       latency_fixture.py DIR peers

`mixed FILES`: a staged change of FILES source files in four languages (Rust, Python,
TypeScript, Go) over twelve components, each file 150 to 450 lines long. Most files are
modified in three to six places (a line changed, a few added, sometimes one removed: several
hunks per file, a patch of about 2 KB); every twentieth file is new and every fiftieth is
deleted, whole. The first files are always modified ones, so a 3-file change is three edits.

`peers`: the 202-file change the peers are compared on (issue 16): 200 source files, each one
hunk: 160 modified files whose hunk is 50 removed lines followed by 50 added ones, and 40 new
files of 50 lines; plus a modified lock file and README. Lines are about 50 bytes. (The issue's
figures for today, added lines of 40 of the 200 files and 14.8% of all added lines reaching the
model, are what 40 new files and 160 modified ones give at a 2 KB share each: the new files show
their first 32 to 38 lines, the modified ones only removed lines.)

Every changed line names its file's number, so bench/coverage.py can tell which file a line
sent to a model came from. Same arguments, same repository.
"""
import os
import random
import subprocess
import sys

COMPONENTS = ["auth", "billing", "cache", "config", "export", "gateway", "ingest", "jobs",
              "metrics", "search", "storage", "ui"]
LANGUAGES = ["rs", "py", "ts", "go"]


def path_of(index: int) -> str:
    language = LANGUAGES[index % 4]
    component = COMPONENTS[(index // 4) % len(COMPONENTS)]
    stem = f"{component}_{['reader', 'writer', 'handler', 'model', 'client', 'rules'][index % 6]}_{index:04}"
    return {"rs": f"crates/{component}/src/{stem}.rs", "py": f"python/{component}/{stem}.py",
            "ts": f"web/src/{component}/{stem}.ts", "go": f"services/{component}/{stem}.go"}[language]


def function(language: str, index: int, number: int) -> list[str]:
    """One function of about twelve lines whose names carry the file and function numbers."""
    name = f"read_field_{index}_{number}"
    if language == "rs":
        return [f"/// Reads field {number} of the records of module {index}.",
                f"pub fn {name}(input: &Record) -> Result<u32, Error> {{",
                f"    let value = input.get({number}).ok_or(Error::Missing({index}))?;",
                f"    let scaled = value * {number + 2} + {index};",
                f"    if scaled > LIMIT_{index}_{number} {{",
                "        return Err(Error::TooLarge(scaled));",
                "    }",
                f"    log::debug!(\"field {number} of {index}: {{scaled}}\");",
                f"    let adjusted = adjust_{index}(scaled, {number});",
                "    Ok(adjusted)",
                "}", ""]
    if language == "py":
        return [f"def {name}(record):",
                f"    \"\"\"Reads field {number} of the records of module {index}.\"\"\"",
                f"    value = record.get({number})",
                "    if value is None:",
                f"        raise MissingField({index}, {number})",
                f"    scaled = value * {number + 2} + {index}",
                f"    if scaled > LIMIT_{index}_{number}:",
                "        raise TooLarge(scaled)",
                f"    logger.debug(\"field {number} of {index}: %s\", scaled)",
                f"    return adjust_{index}(scaled, {number})",
                "", ""]
    if language == "ts":
        return [f"/** Reads field {number} of the records of module {index}. */",
                f"export function readField{index}_{number}(input: Record): number {{",
                f"  const value = input.get({number});",
                "  if (value === undefined) {",
                f"    throw new MissingField({index}, {number});",
                "  }",
                f"  const scaled = value * {number + 2} + {index};",
                f"  if (scaled > LIMIT_{index}_{number}) throw new TooLarge(scaled);",
                f"  console.debug(`field {number} of {index}: ${{scaled}}`);",
                f"  return adjust{index}(scaled, {number});",
                "}", ""]
    return [f"// ReadField{index}_{number} reads field {number} of the records of module {index}.",
            f"func ReadField{index}_{number}(input Record) (int, error) {{",
            f"\tvalue, ok := input.Get({number})",
            "\tif !ok {",
            f"\t\treturn 0, ErrMissing({index}, {number})",
            "\t}",
            f"\tscaled := value*{number + 2} + {index}",
            f"\tif scaled > Limit{index}_{number} {{",
            "\t\treturn 0, ErrTooLarge(scaled)",
            "\t}",
            f"\treturn adjust{index}(scaled, {number}), nil",
            "}", ""]


def comment(language: str) -> str:
    return "#" if language == "py" else "//"


def mixed_source(index: int, changed: bool) -> str:
    """A file of 150 to 450 lines; `changed` applies the staged edits at three to six places."""
    rng = random.Random(index)
    language = LANGUAGES[index % 4]
    functions = rng.randrange(12, 37)
    edited = set(rng.sample(range(functions), rng.randrange(3, 7))) if changed else set()
    lines = [f"{comment(language)} Module {index}: reading and checking the records of {path_of(index)}.", ""]
    for number in range(functions):
        body = function(language, index, number)
        if number in edited:
            kind = rng.randrange(3)
            indent = "    " if language in ("rs", "py") else ("  " if language == "ts" else "\t")
            # A changed constant, then a few added lines; sometimes a log line removed.
            scaled = next(position for position, line in enumerate(body) if "scaled =" in line or "scaled :=" in line)
            body[scaled] = body[scaled].replace(f"* {number + 2}", f"* {number + 3}").replace(
                f"*{number + 2}", f"*{number + 3}")
            added = [f"{indent}{comment(language)} Module {index}, field {number}: checked against the new limit."]
            added += [f"{indent}{comment(language)} note {line} of module {index} field {number}: retried once."
                      for line in range(rng.randrange(0, 4))]
            body[scaled + 1:scaled + 1] = added
            if kind == 0:
                body = [line for line in body if "debug" not in line]
        lines += body
    return "\n".join(lines) + "\n"


def peers_source(index: int, changed: bool) -> str:
    """A modified file of 160 lines whose change replaces lines 50 to 99 with 50 new ones (one
    hunk), or, for every fifth file, a new file of 50 lines. Lines of 44 to 64 bytes."""
    pad = "x" * (index * 7 % 11)
    if index % 5 == 4:
        return "".join(f"const NEW_{index:03}_{line:03}: &str = \"added in this change {pad}\";\n"
                       for line in range(50)) if changed else ""
    lines = []
    for line in range(160):
        if changed and 50 <= line < 100:
            lines.append(f"const NEW_{index:03}_{line:03}: &str = \"updated value {pad}\";")
        else:
            lines.append(f"const OLD_{index:03}_{line:03}: &str = \"original value {pad}\";")
    return "\n".join(lines) + "\n"


def build(folder: str, files: dict[str, str], changed: dict[str, str | None]) -> None:
    """Commits `files`, then stages `changed` (None deletes the path)."""
    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_SYSTEM="/dev/null",
               GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com",
               GIT_AUTHOR_DATE="2026-11-01T12:00:00Z", GIT_COMMITTER_DATE="2026-11-01T12:00:00Z")
    git = lambda *args: subprocess.run(["git", *args], cwd=folder, env=env, check=True,
                                       stdout=subprocess.DEVNULL)
    os.makedirs(folder, exist_ok=True)
    git("init", "-q", "-b", "main")

    def write(path: str, text: str | None) -> None:
        full = os.path.join(folder, path)
        if text is None:
            os.remove(full)
            return
        os.makedirs(os.path.dirname(full) or folder, exist_ok=True)
        with open(full, "w") as handle:
            handle.write(text)

    for path, text in files.items():
        write(path, text)
    git("add", "-A")
    git("commit", "-q", "-m", "Base of the benchmark fixture")
    for path, text in changed.items():
        write(path, text)
    git("add", "-A")


def main() -> None:
    if len(sys.argv) < 3 or sys.argv[2] not in ("mixed", "peers") or (sys.argv[2] == "mixed" and len(sys.argv) < 4):
        sys.exit(__doc__)
    folder, kind = sys.argv[1], sys.argv[2]
    base: dict[str, str] = {"README.md": "# Fixture\n\nA repository for benchmarks.\n"}
    staged: dict[str, str | None] = {}
    if kind == "mixed":
        for index in range(int(sys.argv[3])):
            path = path_of(index)
            if index % 20 == 19:
                staged[path] = mixed_source(index, changed=False)  # new
            elif index % 50 == 48:
                base[path] = mixed_source(index, changed=False)
                staged[path] = None  # deleted
            else:
                base[path] = mixed_source(index, changed=False)
                staged[path] = mixed_source(index, changed=True)
    else:
        for index in range(200):
            path = f"src/module_{index:03}.rs"
            if index % 5 != 4:
                base[path] = peers_source(index, changed=False)
            staged[path] = peers_source(index, changed=True)
        lock = lambda version: "".join(f'[[package]]\nname = "crate-{number}"\nversion = "1.{number % 50}.{version}"\n\n'
                                       for number in range(300))
        base["Cargo.lock"] = lock(1)
        staged["Cargo.lock"] = lock(2)
        staged["README.md"] = base["README.md"] + "\nSee the modules under src/.\n"
    build(folder, base, staged)


if __name__ == "__main__":
    main()
