"""A stdlib-only MCP server (stdio, newline-delimited JSON-RPC) that leaks what is not
memory, with known truth, for the resource and orphan tests.

Tools:
  fd      opens /dev/null and keeps the descriptor (an int, no Python file object): one
          file descriptor per call and next to no memory.
  thread  starts a thread that never ends: one thread per call.
  spawn   starts a child process that never ends: one process per call.
  echo    keeps nothing.

Flags:
  --detached-child  at start, a grandchild in its own session (double fork, setsid) that
                    outlives the server: the orphan a browser-driving server leaves.
  --child           at start, a child the server ends and reaps when stdin closes (the
                    well-behaved case: nothing may be left).
  --stray-child     at start, a child in the server's own group that the server forgets
                    when it exits (survives stdin close and the SIGTERM to the server).
Their processes run `python3 -c ... NAME` so tests can find them by command line; NAME is
detached-helper, owned-helper, stray-helper or spawned-helper, prefixed with the value of
--tag TAG when given (tests running at once each use their own).
"""
import json
import os
import subprocess
import sys
import threading
import time

HELPER = "import signal, time\nwhile True: time.sleep(1)"
_kept_files = []
_kept_threads = []
_kept_children = []
_stop = threading.Event()


def helper_argv(name):
    tag = sys.argv[sys.argv.index("--tag") + 1] + "-" if "--tag" in sys.argv else ""
    return [sys.executable, "-c", HELPER, tag + name]


def start_detached(name):
    """Double fork: the grandchild leaves the session and is reparented when we exit."""
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork() != 0:
            os._exit(0)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.execv(sys.executable, helper_argv(name))
    os.waitpid(pid, 0)


def tool_fd(arguments):
    _kept_files.append(os.open(os.devnull, os.O_RDONLY))
    return "fds kept %d" % len(_kept_files)


def tool_thread(arguments):
    t = threading.Thread(target=_stop.wait, daemon=True)
    t.start()
    _kept_threads.append(t)
    return "threads kept %d" % len(_kept_threads)


def tool_spawn(arguments):
    _kept_children.append(subprocess.Popen(helper_argv("spawned-helper"), stdin=subprocess.DEVNULL))
    return "children kept %d" % len(_kept_children)


def tool_echo(arguments):
    return json.dumps(arguments)


TOOLS = {"fd": tool_fd, "thread": tool_thread, "spawn": tool_spawn, "echo": tool_echo}


def answer(request, result=None, error=None):
    message = {"jsonrpc": "2.0", "id": request["id"]}
    if error:
        message["error"] = error
    else:
        message["result"] = result
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main():
    child = None
    if "--detached-child" in sys.argv:
        start_detached("detached-helper")
    if "--child" in sys.argv:
        child = subprocess.Popen(helper_argv("owned-helper"), stdin=subprocess.DEVNULL)
    if "--stray-child" in sys.argv:
        subprocess.Popen(helper_argv("stray-helper"), stdin=subprocess.DEVNULL)
    for line in sys.stdin:
        request = json.loads(line)
        method = request.get("method")
        if "id" not in request:
            continue  # a notification
        if method == "initialize":
            answer(request, {"protocolVersion": request["params"]["protocolVersion"],
                             "capabilities": {"tools": {}},
                             "serverInfo": {"name": "py-resource-server", "version": "1"}})
        elif method == "tools/list":
            answer(request, {"tools": [{"name": n, "inputSchema": {"type": "object"}} for n in TOOLS]})
        elif method == "tools/call":
            tool = TOOLS.get(request["params"]["name"])
            if tool is None:
                answer(request, error={"code": -32602, "message": "no such tool"})
                continue
            text = tool(request["params"].get("arguments", {}))
            answer(request, {"content": [{"type": "text", "text": text}]})
        elif method == "ping":
            answer(request, {})
        else:
            answer(request, error={"code": -32601, "message": "method not found"})
    # stdin closed: the client is gone. The well-behaved server ends what it started.
    if child is not None:
        child.terminate()
        child.wait()
    _stop.set()


if __name__ == "__main__":
    main()
