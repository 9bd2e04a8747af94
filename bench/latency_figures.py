#!/usr/bin/env python3
"""Turns one measured configuration of bench/latency.sh into table rows (markdown).

Usage: latency_figures.py row FILES MODELS REPO RUN_DIR CONCURRENCY CONTEXT DEADLINE
       latency_figures.py peers REPO RUN_DIR
       latency_figures.py format FORMAT RUN_DIR [RUN_DIR...]

RUN_DIR holds what latency.sh left of one configuration: `hyperfine.json`, `outcomes` (exit
code and stdout bytes of each run), `stderr` (of the last run), and the server's `stats.json`
and `requests.log` of the last run. `row` prints the row of the main table on stdout and the
row of the table of where the time went to RUN_DIR/details; `peers` prints the peers'
fixture row; `format` prints one row of the map formats' table per RUN_DIR.
"""
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coverage  # noqa: E402
import schedule  # noqa: E402


def seconds(value: float) -> str:
    return f"{value:.1f} s"


def load(run: str) -> dict:
    with open(os.path.join(run, "stats.json")) as handle:
        stats = json.load(handle)
    with open(os.path.join(run, "outcomes")) as handle:
        outcomes = [line.split() for line in handle if line.strip()]
    times = []
    if os.path.exists(os.path.join(run, "hyperfine.json")):
        with open(os.path.join(run, "hyperfine.json")) as handle:
            times = json.load(handle)["results"][0]["times"]
    elif os.path.exists(os.path.join(run, "seconds")):
        with open(os.path.join(run, "seconds")) as handle:
            times = [float(line) for line in handle if line.strip()]
    drafts = sum(1 for code, size in outcomes if code == "0" and int(size) > 0)
    stderr = ""
    if os.path.exists(os.path.join(run, "stderr")):
        with open(os.path.join(run, "stderr")) as handle:
            stderr = handle.read()
    return {"stats": stats, "times": times, "drafts": drafts, "runs": len(outcomes), "stderr": stderr}


def timing(times: list[float]) -> str:
    if len(times) == 1:
        return f"**{seconds(times[0])}**"
    return f"**{seconds(statistics.median(times))}** ({times and min(times):.1f}–{max(times):.1f})"


def row(files: str, models: str, repo: str, run: str, concurrency: int, context: int,
        deadline: int) -> None:
    label = f"{int(files):,} files"
    measured = load(run)
    stats = measured["stats"]
    read = coverage.analyse(repo, os.path.join(run, "requests.log"))
    per_model = read["models"].values()
    fewest = min((model["read"] for model in per_model), default=0)
    best = schedule.best_schedule(schedule.staged_files(repo), concurrency, context)
    median = statistics.median(measured["times"])
    best_text = f"{seconds(best['seconds'])} ({best['plan']})" if best["seconds"] else best["plan"]
    if best["seconds"] and deadline and best["seconds"] > deadline:
        best_text += f", over the {deadline} s deadline"
    ratio = f"{median / best['seconds']:.2f} ×" if measured["drafts"] and best["seconds"] else "no draft"
    print(f"| {label} | {models} | {timing(measured['times'])} | {measured['drafts']}/{measured['runs']} "
          f"| {stats['requests']} ({stats['map_requests']}) | {stats['input_tokens']:,} / {stats['output_tokens']:,} "
          f"| {stats['most_in_flight']} | {fewest}/{read['files']} (sent: {best['sent_files']}) "
          f"| {best_text} | {ratio} |")
    records = stats["answered"]
    maps = [record for record in records if record["kind"] == "map"]
    finals = [record for record in records if record["kind"] != "map"]
    cancelled = sum(1 for record in records if record["seconds"] is None)
    if maps:
        slowest = max(maps, key=lambda record: record["estimate"])
        decoding = slowest["output_tokens"] / stats["latency"]["output_rate"] / slowest["estimate"]
        files = f"{min(r['files'] for r in maps)}–{max(r['files'] for r in maps)}"
        map_text = (f"{len(maps)} of {files} files | {seconds(slowest['estimate'])} "
                    f"({decoding:.0%} decoding {slowest['output_tokens']:,} tokens)")
    else:
        map_text = "none | —"
    final_text = ", ".join(f"{r['input_tokens']:,} in" for r in finals[:1]) or "none"
    if finals:
        final_text = (f"{len(finals)}, from {min(r['started'] for r in finals):.1f} s; "
                      f"{final_text}, {finals[0]['output_tokens']} out")
    late = max((record["seconds"] - record["estimate"] for record in records
                if record["seconds"] is not None), default=None)
    late_text = f"{late * 1000:.0f} ms" if late is not None else "—"
    with open(os.path.join(run, "details"), "w") as handle:
        handle.write(f"| {label} | {models} | {map_text} | {final_text} | {cancelled} | {late_text} |\n")


def peers(repo: str, run: str) -> None:
    measured = load(run)
    read = coverage.analyse(repo, os.path.join(run, "requests.log"), "src/")
    model = min(read["models"].values(), key=lambda model: model["added"]) if read["models"] else None
    if model is None:
        print(f"| 202 files (peers') | {timing(measured['times'])} | {measured['drafts']}/{measured['runs']} | no request | | |")
        return
    print(f"| 202 files (peers') | {timing(measured['times'])} | {measured['drafts']}/{measured['runs']} "
          f"| {model['added']}/{read['files']} ({model['added_lines']:.1%} of added lines) "
          f"| {model['read']}/{read['files']} | {model['noted']} of {model['cut']} |")


def first_problem(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines()
             if "failed" in line or "no summary" in line or "no model" in line]
    text = lines[0].removeprefix("changes: warning: ") if lines else "—"
    return text.replace("|", "\\|")[:150]


def format_rows(name: str, runs: list[str]) -> None:
    cells = []
    for run in runs:
        measured = load(run)
        cells.append(f"{'yes' if measured['drafts'] else '**no**'}, {seconds(measured['times'][0])} "
                     f"| {first_problem(measured['stderr'])}")
    print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "row":
        row(*arguments[:4], *map(int, arguments[4:7]))
    elif command == "peers":
        peers(*arguments)
    elif command == "format":
        format_rows(arguments[0], arguments[1:])
    else:
        sys.exit(__doc__)
