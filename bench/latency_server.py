#!/usr/bin/env python3
"""A loopback OpenAI-compatible model server whose time per request behaves like a real model's.

Usage: latency_server.py PORT STATS_FILE [--first-token SECONDS] [--input-rate TOKENS_PER_S]
           [--output-rate TOKENS_PER_S] [--map-format FORMAT] [--log FILE] [--port-file FILE]
           [--pid-file FILE]

Answers POST /v1/chat/completions (the Chat Completions wire format) after

    first_token + input_tokens / input_rate + output_tokens / output_rate

seconds (defaults 0.4 s, 20,000 and 80 tokens per second), counted from the moment the request
body has been read. Tokens are counted as bytes / 4, rounded up: for the input, the UTF-8 bytes
of every message's content; for the output, those of the answer. A real tokenizer gives about
as many for English and code; the benchmark only needs the same rule on both sides
(bench/schedule.py uses it too).

Answers are as long as a real model's:
- a map request (instructions asking for a summary of each file or naming `[F<n>]` labels;
  file sections headed `### <label>` or `### [F<n>] <path> (<status>, +<added> -<removed>)`):
  one summary of SUMMARY_BYTES (140 bytes, 35 tokens) of plausible words per file asked
  about, written as --map-format says (see FORMATS). Echoing a path costs its tokens too.
- any other request: a commit message of MESSAGE_BYTES (about 69 tokens: a subject and three
  bullets); when the instructions say "review", a review of about 250 tokens; when they speak of a
  period ("over a period") or a report, a report of about 400 tokens.
An answer longer than `max_tokens` / `max_completion_tokens` is cut there, with
`finish_reason: "length"`.

Statistics go to STATS_FILE (JSON, rewritten atomically when a request arrives and when it is
answered): requests, map requests, request bytes, in flight, most in flight, input and output
tokens, and one record per request (model, kind, files asked, tokens, when it started after
the first request, the latency model's estimate and the seconds it actually took, or null when
the client had gone). `DELETE /` resets them and empties the --log file; requests of an
earlier generation still sleeping when it comes are no longer counted. --log appends one JSON
line per request with the model, the kind and the text of its messages, for bench/coverage.py.

PORT 0 picks a free port; --port-file receives the port once the server listens, --pid-file
the server's process id. Listens on
127.0.0.1 only. Python standard library only.
"""
import argparse
import json
import math
import os
import random
import re
import socket
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Answer sizes, shared with bench/schedule.py.
BYTES_PER_TOKEN = 4
SUMMARY_BYTES = 140
REVIEW_BYTES = 1000
REPORT_BYTES = 1600

FORMATS = {
    "asked": "exactly as asked: `### <label>` then the text, or `[F<n>] text` when labels are asked",
    "heading": "`## <path>` then the text",
    "bold": "`**<path>**: text`",
    "backtick": "`` `<path>` — text ``",
    "numbered": "`1. <path>: text`",
    "basename": "`### <file name without its folder>` then the text",
    "fenced": "the answer as asked, inside a ``` fence",
    "paragraph": "one paragraph naming no file",
    "mixed": "one of the above per request, chosen from its first label (deterministic)",
}

# A map request: the instructions ask for something per file, or for answers by label.
MAP_INSTRUCTIONS = re.compile(r"file by file|for (?:every|each) file|one line per file|per-file summar",
                              re.IGNORECASE)
# `### [F12] src/a.rs (modified, +3 -1)` (short labels) or `### src/a.rs` (the label is the path).
LABELLED = re.compile(r"^\[F(\d+)\]\s+(.*?)(?:\s+\(([^()]*)\))?\s*$")
# A period report, not "no period at the end" of a commit subject.
REPORT_INSTRUCTIONS = re.compile(r"\b(?:over|of|for) (?:a|the|this) period\b|\breport\b", re.IGNORECASE)
FILE_HEADING = re.compile(r"^### (.+?)\s*$", re.MULTILINE)

VERBS = ["reworks", "extends", "simplifies", "guards", "renames", "splits", "documents",
         "tightens", "replaces", "caches", "validates", "moves"]
NOUNS = ["the parser state", "record lookup", "the retry loop", "its error type", "the config keys",
         "input checks", "the public helpers", "buffer sizes", "the field readers", "limits",
         "the scaled values", "missing entries", "the request builder", "cached results"]
TAILS = ["so callers get an error instead of a default", "without changing the public signature",
         "and adds a helper for the common case", "to keep the hot path allocation free",
         "and drops a branch that could not be reached", "so the limit is checked once",
         "and updates the comments that described it", "matching the other readers"]


def sentences_by_length() -> dict[int, list[str]]:
    """Every sentence the vocabulary makes, by length in bytes (13 to 76)."""
    pool: set[str] = set()
    for verb in VERBS:
        for noun in NOUNS:
            pool.add(f"{verb.capitalize()} {noun}.")
            pool.update(f"{verb.capitalize()} {noun} {tail}." for tail in TAILS)
            pool.update(f"{verb.capitalize()} {noun} and {other}." for other in NOUNS if other != noun)
    by_length: dict[int, list[str]] = {}
    for sentence in sorted(pool):
        by_length.setdefault(len(sentence), []).append(sentence)
    return by_length


SENTENCES = sentences_by_length()
SHORTEST, LONGEST = min(SENTENCES), max(SENTENCES)


def filler(seed: str, length: int) -> str:
    """Plausible sentences, exactly `length` bytes (ASCII, at least 13), the same for the same
    seed: sentences of 40 bytes or more while more than one is needed, then one of the exact
    length left."""
    rng = random.Random(zlib.crc32(seed.encode()))
    parts: list[str] = []
    room = length
    while room > LONGEST:
        size = rng.randint(40, min(LONGEST, room - 1 - SHORTEST))
        parts.append(rng.choice(SENTENCES[size]))
        room -= size + 1
    parts.append(rng.choice(SENTENCES[room]))
    return " ".join(parts)


def summary(seed: str) -> str:
    """One file's summary: SUMMARY_BYTES of words."""
    return filler(seed, SUMMARY_BYTES)


def commit_message(model: str) -> str:
    """A commit message like a real model's: a subject and three bullets, about 69 tokens."""
    verb = ["validate", "check", "verify"][zlib.crc32(model.encode()) % 3]
    return (f"feat(core): {verb} records before they are stored\n\n"
            "- Check each record's fields in the readers and report the first missing one\n"
            "- Add helpers for scaled values and limits next to the functions using them\n"
            "- Drop the fallback branches the old readers kept for unknown fields\n")


MESSAGE_BYTES = len(commit_message("model").encode())


def review(model: str) -> str:
    """A push review in the format the review instructions ask for, about 250 tokens."""
    head = ("Summary:\n- Validate records in the readers before they are stored\n"
            "- Add helpers for scaled values and limits\n\nRisks:\n")
    risks = ("- [medium] src/core/reader.rs: the new check returns early and may skip the cleanup "
             "of the buffer that the old code always ran; worth a test.\n"
             "- [low] src/core/limits.rs: the limit is read from the environment once and cached; "
             "a change at run time is ignored without a warning.\n")
    return bullets(head + risks, "- [low] ", REVIEW_BYTES, model)


def report(model: str, paths: list[str]) -> str:
    """A period report: markdown bullets by intent naming files, about 400 tokens."""
    text = "".join(f"- {filler(model + path, 150)} (`{path}`)\n" for path in paths[:6] or ["src/lib.rs"])
    return bullets(text, "- ", REPORT_BYTES, model)


def bullets(text: str, prefix: str, total: int, seed: str) -> str:
    """`text` followed by bullets of plausible sentences up to exactly `total` bytes."""
    while total - len(text) > 0:
        room = total - len(text) - len(prefix) - 1
        size = room if room <= 130 else min(110, room - SHORTEST - len(prefix) - 1)
        text += prefix + filler(seed + str(len(text)), max(size, SHORTEST)) + "\n"
    return text[:total]


def map_answer(files: list[tuple[str, str, bool]], form: str, salt: str) -> str:
    """The answer to a map request: one summary per `(label, path, short_label)` in `form`."""
    if form == "mixed":
        forms = [name for name in FORMATS if name != "mixed"]
        form = forms[zlib.crc32((files[0][0] if files else "").encode()) % len(forms)]
    parts = []
    for number, (label, path, short) in enumerate(files, start=1):
        text = summary(salt + path + label)
        name = path if short else label
        if form in ("asked", "fenced"):
            parts.append(f"[{label}] {text}\n" if short else f"### {label}\n{text}\n\n")
        elif form == "heading":
            parts.append(f"## {name}\n{text}\n\n")
        elif form == "bold":
            parts.append(f"**{name}**: {text}\n")
        elif form == "backtick":
            parts.append(f"`{name}` — {text}\n")
        elif form == "numbered":
            parts.append(f"{number}. {name}: {text}\n")
        elif form == "basename":
            parts.append(f"### {name.rsplit('/', 1)[-1]}\n{text}\n\n")
        elif form == "paragraph":
            parts.append(text + " ")
        else:
            raise ValueError(f"unknown map format {form}")
    answer = "".join(parts).rstrip() + "\n"
    return f"```\n{answer}```\n" if form == "fenced" else answer


def asked_files(user: str) -> list[tuple[str, str, bool]]:
    """The files a map request asks about: `(label, path, short_label)` per `###` section."""
    files = []
    for heading in FILE_HEADING.findall(user):
        labelled = LABELLED.match(heading)
        if labelled:
            files.append((f"F{labelled.group(1)}", labelled.group(2), True))
        else:
            path = re.sub(r" \(part \d+ of \d+\)$", "", heading)
            files.append((heading, path, False))
    return files


def tokens(byte_count: int) -> int:
    return math.ceil(byte_count / BYTES_PER_TOKEN)


def text_of(content) -> str:
    """A message's content: a string, or the text parts of an array."""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content if isinstance(content, str) else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("port", type=int)
    parser.add_argument("stats_file")
    parser.add_argument("--first-token", type=float, default=0.4, help="seconds (default 0.4)")
    parser.add_argument("--input-rate", type=float, default=20000, help="tokens/s (default 20,000)")
    parser.add_argument("--output-rate", type=float, default=80, help="tokens/s (default 80)")
    parser.add_argument("--map-format", choices=list(FORMATS), default="asked")
    parser.add_argument("--log", help="append each request's text here (JSON lines)")
    parser.add_argument("--port-file", help="write the port here once listening")
    parser.add_argument("--pid-file", help="write the process id here (a launcher such as a "
                        "pyenv shim may have another)")
    options = parser.parse_args()

    lock = threading.Lock()
    state = {"generation": 0, "epoch": None}
    stats: dict = {}

    def reset() -> None:
        stats.clear()
        stats.update(requests=0, map_requests=0, bytes=0, in_flight=0, most_in_flight=0,
                     input_tokens=0, output_tokens=0, answered=[],
                     latency={"first_token": options.first_token, "input_rate": options.input_rate,
                              "output_rate": options.output_rate})
        state["generation"] += 1
        state["epoch"] = None
        if options.log:
            open(options.log, "w").close()

    def save() -> None:
        temporary = options.stats_file + ".tmp"
        with open(temporary, "w") as handle:
            json.dump(stats, handle)
        os.replace(temporary, options.stats_file)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def setup(self):
            super().setup()
            # Headers and body go out in two writes; without this, Nagle's algorithm holds
            # the body back until the client's delayed acknowledgement (40 ms).
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def reply(self, status: int, body: bytes) -> bool:
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                return True
            except OSError:
                return False  # the client gave up (its deadline): nothing to answer

        def do_DELETE(self):
            """Resets the counters, so that one run's requests can be counted."""
            with lock:
                reset()
                save()
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("content-length", 0)))
            received = time.monotonic()
            try:
                request = json.loads(raw)
                messages = request["messages"]
            except (ValueError, KeyError, TypeError):
                error = {"error": {"message": "not a chat completion request",
                                   "type": "invalid_request_error", "param": None, "code": None}}
                self.reply(400, json.dumps(error).encode())
                return
            model = str(request.get("model", "unknown"))
            texts = [text_of(message.get("content")) for message in messages]
            instructions = " ".join(text for message, text in zip(messages, texts)
                                    if message.get("role") in ("system", "developer"))
            user = "\n".join(text for message, text in zip(messages, texts)
                             if message.get("role") not in ("system", "developer"))
            input_tokens = tokens(sum(len(text.encode()) for text in texts))
            asks_per_file = MAP_INSTRUCTIONS.search(instructions) or "[F" in instructions
            files = asked_files(user) if asks_per_file else []
            if files:
                kind, answer = "map", map_answer(files, options.map_format, model)
            # The opening of the instructions says the job; later text (the repository's own
            # commit subjects) may say anything.
            elif "review" in instructions[:300].lower():
                kind, answer = "review", review(model)
            elif REPORT_INSTRUCTIONS.search(instructions[:300]):
                kind, answer = "report", report(model, re.findall(r"^## (\S+)", user, re.MULTILINE))
            else:
                kind, answer = "message", commit_message(model)
            encoded = answer.encode()
            limit = request.get("max_completion_tokens") or request.get("max_tokens")
            finish = "stop"
            if isinstance(limit, int) and tokens(len(encoded)) > limit:
                encoded = encoded[: limit * BYTES_PER_TOKEN]
                finish = "length"
            content = encoded.decode(errors="ignore")
            output_tokens = tokens(len(content.encode()))
            estimate = (options.first_token + input_tokens / options.input_rate
                        + output_tokens / options.output_rate)
            with lock:
                generation = state["generation"]
                if state["epoch"] is None:
                    state["epoch"] = received
                record = {"model": model, "kind": kind, "files": len(files),
                          "input_tokens": input_tokens, "output_tokens": output_tokens,
                          "finish_reason": finish,
                          "started": round(received - state["epoch"], 3),
                          "estimate": round(estimate, 3), "seconds": None}
                stats["requests"] += 1
                stats["map_requests"] += int(kind == "map")
                stats["bytes"] += len(raw)
                stats["input_tokens"] += input_tokens
                stats["in_flight"] += 1
                stats["most_in_flight"] = max(stats["most_in_flight"], stats["in_flight"])
                stats["answered"].append(record)
                save()
                if options.log:
                    with open(options.log, "a") as handle:
                        handle.write(json.dumps({"model": model, "kind": kind, "text": user}) + "\n")
            time.sleep(max(0.0, received + estimate - time.monotonic()))
            body = json.dumps({
                "id": f"chatcmpl-bench-{zlib.crc32(raw):08x}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "finish_reason": finish, "logprobs": None,
                             "message": {"role": "assistant", "content": content, "refusal": None}}],
                "usage": {"prompt_tokens": input_tokens, "completion_tokens": output_tokens,
                          "total_tokens": input_tokens + output_tokens},
            }).encode()
            delivered = self.reply(200, body)
            with lock:
                if generation != state["generation"]:
                    return  # counted in a run that is over
                stats["in_flight"] -= 1
                if delivered:
                    stats["output_tokens"] += output_tokens
                    record["seconds"] = round(time.monotonic() - received, 3)
                save()

    with lock:
        reset()
        save()
    ThreadingHTTPServer.daemon_threads = True
    # The default backlog of 5 makes simultaneous connections wait for SYN retries (a second
    # each): a real provider accepts them all.
    ThreadingHTTPServer.request_queue_size = 1024
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    if options.pid_file:
        with open(options.pid_file, "w") as handle:
            handle.write(str(os.getpid()))
    if options.port_file:
        with open(options.port_file + ".tmp", "w") as handle:
            handle.write(str(server.server_address[1]))
        os.replace(options.port_file + ".tmp", options.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
