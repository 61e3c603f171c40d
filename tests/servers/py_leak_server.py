"""A stdlib-only MCP server (stdio, newline-delimited JSON-RPC) for the attribution tests.

Tools:
  leak  keeps 16 KiB per call, allocated two calls below the tool handler (the line
        marked LEAK-SITE, in function `_remember`); the tests find the line by its marker.
  lru   keeps the last 64 results only: grows while it fills, then stays flat (a control).
  echo  keeps nothing.

With MCPLEAK_TEST_PROBE set, it appends "PID hooked|plain" to that file at start: whether
it was started with mcpleak's attribution hook folder in its environment.
"""
import collections
import json
import os
import sys

_kept = []
_recent = collections.OrderedDict()


def _remember(request_id):
    _kept.append(bytearray(16384))  # LEAK-SITE
    return len(_kept)


def _record(request_id):
    return _remember(request_id)


def tool_leak(request_id, arguments):
    return "kept %d" % _record(request_id)


def tool_lru(request_id, arguments):
    _recent[request_id] = bytearray(16384)
    while len(_recent) > 64:
        _recent.popitem(last=False)
    return "cached %d" % len(_recent)


def tool_echo(request_id, arguments):
    return json.dumps(arguments)


TOOLS = {"leak": tool_leak, "lru": tool_lru, "echo": tool_echo}


def answer(request, result=None, error=None):
    message = {"jsonrpc": "2.0", "id": request["id"]}
    if error:
        message["error"] = error
    else:
        message["result"] = result
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main():
    probe = os.environ.get("MCPLEAK_TEST_PROBE")
    if probe:
        with open(probe, "a") as f:
            f.write("%d %s\n" % (os.getpid(), "hooked" if os.environ.get("MCPLEAK_HOOK_DIR") else "plain"))
    for line in sys.stdin:
        request = json.loads(line)
        method = request.get("method")
        if "id" not in request:
            continue  # a notification
        if method == "initialize":
            answer(request, {"protocolVersion": request["params"]["protocolVersion"],
                             "capabilities": {"tools": {}},
                             "serverInfo": {"name": "py-leak-server", "version": "1"}})
        elif method == "tools/list":
            answer(request, {"tools": [{"name": n, "inputSchema": {"type": "object"}} for n in TOOLS]})
        elif method == "tools/call":
            tool = TOOLS.get(request["params"]["name"])
            if tool is None:
                answer(request, error={"code": -32602, "message": "no such tool"})
                continue
            text = tool(request["id"], request["params"].get("arguments", {}))
            answer(request, {"content": [{"type": "text", "text": text}]})
        elif method == "ping":
            answer(request, {})
        else:
            answer(request, error={"code": -32601, "message": "method not found"})


if __name__ == "__main__":
    main()
