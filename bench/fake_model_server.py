#!/usr/bin/env python3
"""A loopback OpenAI-compatible model server for benchmarks.

Usage: fake_model_server.py PORT DELAY_MS STATS_FILE

Answers POST /v1/chat/completions after DELAY_MS: a commit message, or, for map requests
(instructions mentioning "file by file"), one "### path" summary per file asked about. Counts
requests, request bytes, and the most requests in flight at once; writes them as JSON to
STATS_FILE after every request; DELETE / resets the counts. Listens on 127.0.0.1 only.
"""
import json
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, DELAY, STATS_FILE = int(sys.argv[1]), int(sys.argv[2]) / 1000, sys.argv[3]
lock = threading.Lock()
stats = {"requests": 0, "map_requests": 0, "bytes": 0, "in_flight": 0, "most_in_flight": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm holds the
        # body back until the client's delayed acknowledgement (40 ms), which no real
        # provider adds and which would be counted as our overhead.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_DELETE(self):
        """Resets the counters, so one run's requests can be counted."""
        with lock:
            stats.update(requests=0, map_requests=0, bytes=0, most_in_flight=0)
            with open(STATS_FILE, "w") as handle:
                json.dump(stats, handle)
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def do_POST(self):
        length = int(self.headers.get("content-length", 0))
        raw = self.rfile.read(length)
        # Raw-byte matching instead of parsing the whole body: the server's own time should
        # not count as ours.
        is_map = b"file by file" in raw[:4000]
        model = re.search(rb'"model":"([^"]*)"', raw)
        model = model.group(1).decode() if model else "unknown"
        with lock:
            stats["requests"] += 1
            stats["map_requests"] += int(is_map)
            stats["bytes"] += len(raw)
            stats["in_flight"] += 1
            stats["most_in_flight"] = max(stats["most_in_flight"], stats["in_flight"])
        time.sleep(DELAY)
        if is_map:
            paths = [path.decode() for path in re.findall(rb'(?:\\n|")### ([^\\\n"]+)\\n', raw)]
            content = "".join(f"### {path}\nChanges {path}.\n" for path in paths)
        else:
            content = f"feat: drafted by {model}\n\n- One bullet"
        answer = json.dumps({"choices": [{"index": 0, "finish_reason": "stop",
                                          "message": {"role": "assistant", "content": content}}]}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
        with lock:
            stats["in_flight"] -= 1
            with open(STATS_FILE, "w") as handle:
                json.dump(stats, handle)


ThreadingHTTPServer.daemon_threads = True
# The default backlog of 5 makes simultaneous connections wait for SYN retries (a second
# each): a real provider accepts them all.
ThreadingHTTPServer.request_queue_size = 256
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
