#!/usr/bin/env python3
"""A scripted MCP client that records its session byte for byte (tests/e2e/watch_e2e_test.cpp).

usage: transcript_client.py SCRIPT SENT RECEIVED -- SERVER_CMD [ARGS...]

Starts SERVER_CMD, sends each JSON-RPC message of SCRIPT (one per line) and, for a request,
waits for its response before the next line. Requests the server makes are answered from
canned results (sampling/createMessage, roots/list, ping; anything else: method not found).
Every byte sent goes to SENT and every byte read to RECEIVED, unchanged. After the script
it closes the server's stdin and reads to EOF. Exit 0; 3 when an answer or the EOF did not
come within the deadline (then the server is killed).
"""
import json
import os
import select
import subprocess
import sys
import time

DEADLINE_S = 60  # per answer, and for the EOF: sized for a loaded 2-core machine

CANNED = {
    "sampling/createMessage": {"role": "assistant", "content": {"type": "text", "text": "canned answer"},
                               "model": "transcript-client", "stopReason": "endTurn"},
    "roots/list": {"roots": []},
    "ping": {},
}


def main():
    sep = sys.argv.index("--")
    script, sent_path, received_path = sys.argv[1:sep]
    server = subprocess.Popen(sys.argv[sep + 1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    sent = open(sent_path, "wb")
    received = open(received_path, "wb")
    out_fd = server.stdout.fileno()
    buffered = b""

    def send(data):
        sent.write(data)
        sent.flush()
        server.stdin.write(data)
        server.stdin.flush()

    def read_until(predicate):
        """Reads lines until predicate(message) is true; answers server requests meanwhile."""
        nonlocal buffered
        deadline = time.monotonic() + DEADLINE_S
        while True:
            while b"\n" in buffered:
                line, buffered = buffered.split(b"\n", 1)
                try:
                    msg = json.loads(line)
                except ValueError:
                    continue
                if isinstance(msg, dict) and "method" in msg and "id" in msg:
                    result = CANNED.get(msg["method"])
                    reply = ({"jsonrpc": "2.0", "id": msg["id"], "result": result} if result is not None else
                             {"jsonrpc": "2.0", "id": msg["id"], "error": {"code": -32601, "message": "no"}})
                    send((json.dumps(reply, separators=(",", ":")) + "\n").encode())
                    continue
                if predicate(msg):
                    return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            ready, _, _ = select.select([out_fd], [], [], left)
            if not ready:
                return False
            chunk = os.read(out_fd, 65536)
            if not chunk:
                return predicate(None)
            received.write(chunk)
            received.flush()
            buffered += chunk

    for line in open(script, "rb"):
        line = line.strip()
        if not line:
            continue
        msg = json.loads(line)
        send(line + b"\n")
        if "id" in msg and "method" in msg:
            if not read_until(lambda m, i=msg["id"]: m is not None and m.get("id") == i and "method" not in m):
                server.kill()
                print("no answer to %s" % msg["method"], file=sys.stderr)
                return 3
    server.stdin.close()
    if not read_until(lambda m: m is None):
        server.kill()
        print("no EOF after stdin closed", file=sys.stderr)
        return 3
    server.wait(timeout=DEADLINE_S)
    return 0


if __name__ == "__main__":
    sys.exit(main())
