#!/usr/bin/env python3
"""The best schedule for a staged change under the latency model of bench/latency_server.py:
computed, not measured, as the yardstick for the time to a draft.

Usage: schedule.py REPO [--concurrency 16] [--context 64000] [--first-token 0.4]
           [--input-rate 20000] [--output-rate 80]

A request takes first_token + input_tokens / input_rate + output_tokens / output_rate seconds,
tokens being bytes / 4 rounded up, as the server counts them. `best_schedule` returns the
shortest time to a complete draft that still summarizes every file whose content is sent, of:

- **one request** with the whole change, when its input and answer fit the model's context;
- **one wave of k map requests** (1 ≤ k ≤ the model's concurrency), the sent files shared
  between them so that the slowest is as fast as possible (longest first, each to the batch
  that would finish first), each answering one short-labelled summary per file, followed by
  **the final request** over the summaries.

Which files' content is sent, and how much of it, follows today's caps (limits.max_file_bytes
100,000 and max_total_bytes 400,000 shared between the files, at least 1,024 bytes each, in
whole hunks where they fit, as src/git/diff.rs does); lock files and binaries are never sent.
The schedule sends exactly that content: it is a bound on planning, not on what is sent.

Token counts assumed (bytes, then / 4):
- a map request: MAP_INSTRUCTIONS_BYTES of instructions, then per file a heading
  `### [F<n>] <path> (<status>, +<added> -<removed>)` and its patch; its answer per file
  `[F<n>] ` and a summary of SUMMARY_BYTES (140) and a line break;
- the final request: FINAL_INSTRUCTIONS_BYTES of instructions (the commit rules and the
  repository's conventions), the stats line, per sent file `## <header>` and its summary, the
  unsent files grouped by folder (one line each) and the excluded ones by name; its answer a
  commit message of MESSAGE_BYTES (about 69 tokens), the server's;
- the single request: the same instructions, the stats line, per sent file `## <header>` and
  its patch, the unsent files as above; the same answer.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from latency_server import BYTES_PER_TOKEN, MESSAGE_BYTES, SUMMARY_BYTES  # noqa: E402

MAP_INSTRUCTIONS_BYTES = 600
FINAL_INSTRUCTIONS_BYTES = 1500
STATS_LINE_BYTES = 60
FOLDER_LINE_BYTES = 60
MAX_FILE_BYTES = 100_000
MAX_TOTAL_BYTES = 400_000
MIN_SHARE_BYTES = 1024
LOCK_FILE = re.compile(r"(^|/)(Cargo\.lock|package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|"
                       r"Gemfile\.lock|composer\.lock|go\.sum|[^/]+\.lock)$")


@dataclass
class File:
    """One changed file: its header and the patch text that would be sent (None: not sent)."""
    path: str
    status: str
    added: int
    removed: int
    patch: str | None
    excluded: bool = False

    @property
    def header(self) -> str:
        return f"{self.path} ({self.status}, +{self.added} -{self.removed})"


@dataclass
class Latency:
    """The latency model: seconds to the first token, input and output tokens per second."""
    first_token: float = 0.4
    input_rate: float = 20_000
    output_rate: float = 80

    def seconds(self, input_bytes: int, output_bytes: int) -> float:
        return (self.first_token + tokens(input_bytes) / self.input_rate
                + tokens(output_bytes) / self.output_rate)


def tokens(byte_count: int) -> int:
    return math.ceil(byte_count / BYTES_PER_TOKEN)


def staged_diff(repo: str) -> str:
    """`git diff --cached` of `repo`, kept in its git folder: a 3,000-file diff takes seconds."""
    kept = os.path.join(repo, ".git", "bench-staged.diff")
    if os.path.exists(kept):
        with open(kept, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    diff = subprocess.run(["git", "-c", "core.quotePath=false", "diff", "--cached", "--no-color",
                           "--no-ext-diff", "--no-renames", "-U3"], cwd=repo, check=True,
                          capture_output=True, text=True, errors="replace").stdout
    with open(kept, "w", encoding="utf-8") as handle:
        handle.write(diff)
    return diff


def staged_files(repo: str) -> list[File]:
    """The staged change of `repo`, in path order, with today's caps applied."""
    diff = staged_diff(repo)
    files: list[File] = []
    for chunk in re.split(r"^diff --git ", diff, flags=re.MULTILINE)[1:]:
        path = chunk.split("\n", 1)[0].split(" b/", 1)[-1]
        status = ("added" if "\nnew file mode" in chunk[:300] else
                  "deleted" if "\ndeleted file mode" in chunk[:300] else "modified")
        start = chunk.find("\n@@")
        body = chunk[start + 1:] if start >= 0 else ""
        lines = body.splitlines()
        added = sum(1 for line in lines if line.startswith("+"))
        removed = sum(1 for line in lines if line.startswith("-"))
        binary = "\nBinary files " in chunk[:400]
        excluded = binary or bool(LOCK_FILE.search(path))
        patch = None if excluded or not body else cap_hunks(body, MAX_FILE_BYTES)
        files.append(File(path, status, added, removed, patch, excluded))
    share_total(files)
    return files


def cap_hunks(body: str, limit: int) -> str:
    """The whole hunks of `body` that fit in `limit` bytes, else the first lines that fit."""
    if len(body) <= limit:
        return body
    starts = [0] + [match.start() + 1 for match in re.finditer(r"\n@@", body)]
    kept = sum(1 for start in starts[1:] if start <= limit)
    if kept:
        return body[:starts[kept]]
    end = body.rfind("\n", 0, limit)
    return body[:end + 1] if end >= 0 else ""


def share_total(files: list[File]) -> None:
    """Shares MAX_TOTAL_BYTES between the files (water-filling, as src/git/diff.rs)."""
    with_patch = [file for file in files if file.patch]
    if sum(len(file.patch) for file in with_patch) <= MAX_TOTAL_BYTES:
        return
    shares = max(MAX_TOTAL_BYTES // MIN_SHARE_BYTES, 1)
    for file in with_patch[shares:]:
        file.patch = None
    chosen = sorted(with_patch[:shares], key=lambda file: len(file.patch))
    remaining = MAX_TOTAL_BYTES
    for position, file in enumerate(chosen):
        share = remaining // (len(chosen) - position)
        if len(file.patch) > share:
            file.patch = cap_hunks(file.patch, share) or None
        remaining -= len(file.patch or "")


def unsent_bytes(files: list[File]) -> int:
    """The list of files whose content is not sent: excluded ones by name, the rest by folder."""
    folders = {file.path.rsplit("/", 1)[0] for file in files if file.patch is None and not file.excluded}
    named = sum(len(f"- {file.header}: not sent\n") for file in files if file.excluded)
    return named + FOLDER_LINE_BYTES * len(folders)


def best_schedule(files: list[File], concurrency: int = 16, context_tokens: int = 64_000,
                  latency: Latency = Latency()) -> dict:
    """The fastest complete draft: one request, or one wave of k map requests then the final one.

    Returns the best time (`seconds`), how (`plan`), and the alternatives' times."""
    sent = [file for file in files if file.patch]
    fixed = FINAL_INSTRUCTIONS_BYTES + STATS_LINE_BYTES + unsent_bytes(files)
    fits = lambda input_bytes, output_bytes: tokens(input_bytes) + tokens(output_bytes) <= context_tokens
    single_input = fixed + sum(len(f"## {file.header}\n{file.patch}\n\n") for file in sent)
    single = (latency.seconds(single_input, MESSAGE_BYTES)
              if fits(single_input, MESSAGE_BYTES) else None)
    final_input = fixed + sum(len(f"## {file.header}\n\n\n") + SUMMARY_BYTES for file in sent)
    final = latency.seconds(final_input, MESSAGE_BYTES)
    units = [(len(f"### [F{number}] {file.header}\n{file.patch}\n"), len(f"[F{number}] \n") + SUMMARY_BYTES)
             for number, file in enumerate(sent, start=1)]
    cost = lambda unit: unit[0] / BYTES_PER_TOKEN / latency.input_rate + unit[1] / BYTES_PER_TOKEN / latency.output_rate
    ordered = sorted(units, key=cost, reverse=True)
    best_map = None
    for count in range(1, min(concurrency, len(units)) + 1):
        batches = [[MAP_INSTRUCTIONS_BYTES, 0, 0] for _ in range(count)]  # input, output, files
        for unit in ordered:
            batch = min(batches, key=lambda batch: latency.seconds(batch[0] + unit[0], batch[1] + unit[1]))
            batch[0] += unit[0]
            batch[1] += unit[1]
            batch[2] += 1
        if not all(fits(batch[0], batch[1]) for batch in batches):
            continue
        wave = max(latency.seconds(batch[0], batch[1]) for batch in batches)
        if best_map is None or wave < best_map["wave"]:
            sizes = sorted(batch[2] for batch in batches)
            best_map = {"requests": count, "files": (sizes[0], sizes[-1]), "wave": wave}
    result = {"sent_files": len(sent), "sent_bytes": sum(len(file.patch) for file in sent),
              "single": single, "map": None}
    if best_map:
        best_map.update(final=final, seconds=best_map["wave"] + final)
        result["map"] = best_map
    options = [(single, "one request")] if single is not None else []
    if best_map:
        low, high = best_map["files"]
        options.append((best_map["seconds"],
                        f"{best_map['requests']} map requests of {low}–{high} files, then the final one"
                        if low != high else
                        f"{best_map['requests']} map requests of {low} files, then the final one"))
    result["seconds"], result["plan"] = min(options) if options else (None, "nothing fits")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="The best schedule for a repository's staged change.")
    parser.add_argument("repo")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--context", type=int, default=64_000, help="context tokens")
    parser.add_argument("--first-token", type=float, default=0.4)
    parser.add_argument("--input-rate", type=float, default=20_000)
    parser.add_argument("--output-rate", type=float, default=80)
    options = parser.parse_args()
    latency = Latency(options.first_token, options.input_rate, options.output_rate)
    print(json.dumps(best_schedule(staged_files(options.repo), options.concurrency, options.context, latency)))


if __name__ == "__main__":
    main()
