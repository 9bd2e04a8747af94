#!/usr/bin/env python3
"""What the models read of a staged change: which files' changed lines reached them, and
whether every request that carried a cut file said it was cut.

Usage: coverage.py REPO LOG [FOLDER/]

REPO is a fixture repository (bench/latency_fixture.py) with its change staged; LOG is the
--log file of bench/latency_server.py for one run. Prints one JSON object:

- `files`: files (under FOLDER/ when given) whose patch has changed lines (lines unique to one file, as the fixtures
  make them, so a line sent to a model names its file);
- `read`: per model, the files with at least one changed line in some request;
- `added`: per model, the files with at least one added line in some request, and the share
  of all added lines that reached it (`added_lines`);
- `cut`: per model, (file, request) pairs where the request carried some of the file's changed
  lines but not all of them, and `noted`, how many of those said so: a note such as
  `[shortened: …]`, "cut", "truncated" or "omitted" in the file's section of the request
  (from the heading before its lines to the next heading) or on a line naming its path.

Lines are compared by their text with indentation stripped and their `+`/`-` sign kept, so
another layout of the same lines (added lines first, other headings) is still recognized.
"""
import json
import os
import re
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schedule  # noqa: E402

NOTE = re.compile(r"shortened|truncated|\bcut\b|omitted|left out|not shown|elided", re.IGNORECASE)


def changed_lines(repo: str) -> dict[str, set[tuple[str, str]]]:
    """Per file, its changed lines as (sign, stripped text), keeping lines unique to one file."""
    diff = schedule.staged_diff(repo)
    per_file: dict[str, set[tuple[str, str]]] = defaultdict(set)
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    path = None
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            path = line.split(" b/", 1)[-1]
        elif line.startswith(("+++ ", "--- ")) or path is None:
            continue
        elif line[:1] in ("+", "-") and len(line.strip()) > 8:
            key = (line[0], line[1:].strip())
            per_file[path].add(key)
            owners[key].add(path)
    return {path: {key for key in keys if len(owners[key]) == 1}
            for path, keys in per_file.items()}


def lines_of(text: str) -> list[tuple[str, str]]:
    return [(line[0], line[1:].strip()) if line[:1] in ("+", "-") else ("", line)
            for line in text.splitlines()]


def analyse(repo: str, log: str, under: str = "") -> dict:
    files = {path: keys for path, keys in changed_lines(repo).items()
             if keys and path.startswith(under)}
    owner = {key: path for path, keys in files.items() for key in keys}
    added_total = sum(1 for keys in files.values() for key in keys if key[0] == "+")
    seen: dict[str, set[tuple[str, str]]] = defaultdict(set)
    cut: dict[str, int] = defaultdict(int)
    noted: dict[str, int] = defaultdict(int)
    requests: dict[str, int] = defaultdict(int)
    with open(log) as handle:
        for entry in map(json.loads, handle):
            model = entry["model"]
            requests[model] += 1
            lines = lines_of(entry["text"])
            sections: list[int] = []
            section = 0
            for sign, text in lines:
                if not sign and text.startswith("#"):
                    section += 1
                sections.append(section)
            notes = [(text, number) for (_, text), number in zip(lines, sections) if NOTE.search(text)]
            noted_sections = {number for _, number in notes}
            carried: dict[str, set[tuple[str, str]]] = defaultdict(set)
            file_sections: dict[str, set[int]] = defaultdict(set)
            for key, number in zip(lines, sections):
                path = owner.get(key)
                if path:
                    carried[path].add(key)
                    file_sections[path].add(number)
            seen[model].update(key for keys in carried.values() for key in keys)
            for path, keys in carried.items():
                if len(keys) == len(files[path]):
                    continue
                cut[model] += 1
                if file_sections[path] & noted_sections or any(path in text for text, _ in notes):
                    noted[model] += 1
    result = {"files": len(files), "added_files": sum(1 for keys in files.values()
                                                       if any(key[0] == "+" for key in keys)),
              "models": {}}
    for model in sorted(requests):
        reached = seen[model]
        result["models"][model] = {
            "requests": requests[model],
            "read": sum(1 for keys in files.values() if keys & reached),
            "added": sum(1 for keys in files.values()
                         if any(key[0] == "+" and key in reached for key in keys)),
            "added_lines": round(sum(1 for key in reached if key[0] == "+") / max(added_total, 1), 3),
            "cut": cut[model],
            "noted": noted[model],
        }
    return result


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    print(json.dumps(analyse(*sys.argv[1:])))
