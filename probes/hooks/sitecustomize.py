# mcpleak's attribution hook for Python servers (probes/hooks/README.md).
#
# mcpleak puts the folder holding this file first on PYTHONPATH, so every Python process
# of the server's tree imports it at start-up, through `uv run`, venvs and shell wrappers.
# It never writes to stdout (the MCP channel): it talks to mcpleak through files in
# $MCPLEAK_HOOK_DIR only. It announces itself (hello.PID.json), then waits for commands
# (cmd.PID.json, polled) and writes each answer under a temporary name and renames it to
# ans.PID.SEQ.json: the rename is the acknowledgement. Until mcpleak says "start" it
# does nothing but poll a file ten times a second.
import os
import sys


def _mcpleak_chain_shadowed():
    # The sitecustomize this one shadows (a venv's, the distribution's) runs as well, as
    # Python would have run it. Returns its path, or None.
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    for entry in sys.path:
        if not entry or os.path.abspath(entry) == here:
            continue
        candidate = os.path.join(entry, "sitecustomize.py")
        if not os.path.isfile(candidate):
            continue
        spec = importlib.util.spec_from_file_location("_mcpleak_shadowed_sitecustomize", candidate)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as e:  # theirs failing must not stop the server, as without us
            sys.stderr.write("mcpleak hook: %s raised %r\n" % (candidate, e))
        return candidate
    return None


_mcpleak_shadowed = _mcpleak_chain_shadowed()


def _mcpleak_start_hook(folder):
    import ast
    import gc
    import json
    import threading
    import time
    import tracemalloc
    from collections import Counter

    hook_file = os.path.abspath(__file__)
    state = {"pid": os.getpid(), "last_seq": 0, "sources": {}}

    def write_atomically(name, value):
        final = os.path.join(folder, name)
        temporary = final + ".tmp"
        with open(temporary, "w") as f:
            json.dump(value, f)
        os.rename(temporary, final)

    def hello():
        write_atomically("hello.%d.json" % os.getpid(), {
            "pid": os.getpid(), "ppid": os.getppid(), "runtime": "python",
            "version": sys.version.split()[0], "executable": sys.executable,
            "argv": sys.argv if hasattr(sys, "argv") else [],
            "chained_sitecustomize": _mcpleak_shadowed,
            "remote_exec": hasattr(sys, "remote_exec"),
        })

    def functions_of(filename):
        # (start, end, qualified name) of every function in a source file, for naming
        # the function a line belongs to (tracemalloc's frames carry file and line only).
        cached = state["sources"].get(filename)
        if cached is not None:
            return cached
        found = []
        try:
            with open(filename, "rb") as f:
                tree = ast.parse(f.read(), filename)
            def walk(node, prefix):
                for child in ast.iter_child_nodes(node):
                    if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        name = prefix + child.name
                        found.append((child.lineno, child.end_lineno or child.lineno, name))
                        walk(child, name + ".<locals>.")
                    elif isinstance(child, ast.ClassDef):
                        walk(child, prefix + child.name + ".")
                    else:
                        walk(child, prefix)
            walk(tree, "")
        except (OSError, SyntaxError, ValueError):
            pass
        state["sources"][filename] = found
        return found

    def function_at(filename, line):
        best = None
        for start, end, name in functions_of(filename):
            if start <= line <= end and (best is None or start >= best[0]):
                best = (start, name)
        return best[1] if best else "<module>"

    def frame(f):
        return {"file": f.filename, "line": f.lineno, "function": function_at(f.filename, f.lineno)}

    def sites(min_bytes, max_sites, max_frames):
        snapshot = tracemalloc.take_snapshot().filter_traces([
            tracemalloc.Filter(False, hook_file, all_frames=True),  # the hook's own work
            tracemalloc.Filter(False, tracemalloc.__file__),
        ])
        by_site = {}
        for stat in snapshot.statistics("traceback"):
            top = stat.traceback[-1]  # oldest first: the allocating frame is last
            key = "%s:%d" % (top.filename, top.lineno)
            site = by_site.setdefault(key, [0, 0, None, 0])
            site[0] += stat.size
            site[1] += stat.count
            if stat.size > site[3]:  # the stack that holds most of this site's bytes
                site[2], site[3] = stat.traceback, stat.size
        ranked = sorted(by_site.items(), key=lambda kv: -kv[1][0])
        out = []
        for key, (size, count, traceback, _) in ranked[:max_sites]:
            if size < min_bytes:
                break
            frames = list(reversed(traceback))[:max_frames]
            out.append({"key": key, "bytes": size, "count": count, "stack": [frame(f) for f in frames]})
        return out

    def type_counts(max_types):
        # Containers tracked by gc, plus the untracked objects they reference one level
        # down (str, bytes, int, and extension wrappers gc does not track), each once.
        counts = Counter()
        nbytes = Counter()
        seen = set()
        tracked = gc.get_objects()
        for o in tracked:
            name = type(o).__module__ + "." + type(o).__qualname__
            counts[name] += 1
            nbytes[name] += sys.getsizeof(o, 0)
        for o in tracked:
            for r in gc.get_referents(o):
                if gc.is_tracked(r) or id(r) in seen:
                    continue
                seen.add(id(r))
                name = type(r).__module__ + "." + type(r).__qualname__
                counts[name] += 1
                nbytes[name] += sys.getsizeof(r, 0)
        del tracked, seen
        return [{"type": n, "count": c, "bytes": nbytes[n]} for n, c in counts.most_common(max_types)]

    def handle(cmd):
        op = cmd.get("op")
        if op == "start":
            if tracemalloc.is_tracing():
                return {"ok": True, "note": "tracemalloc was already tracing; kept its settings"}
            tracemalloc.start(int(cmd.get("frames", 10)))
            return {"ok": True, "frames": tracemalloc.get_traceback_limit()}
        if op == "checkpoint":
            if not tracemalloc.is_tracing():
                return {"ok": False, "error": "tracemalloc is not tracing (no start, or the server stopped it)"}
            began = time.monotonic()
            gc.collect()
            answer = {
                "ok": True,
                "sites": sites(int(cmd.get("min_bytes", 1024)), int(cmd.get("max_sites", 300)),
                               int(cmd.get("max_frames", 10))),
                "types": type_counts(int(cmd.get("max_types", 200))),
            }
            traced, _ = tracemalloc.get_traced_memory()
            answer["live_heap_bytes"] = traced
            answer["hook_overhead_bytes"] = tracemalloc.get_tracemalloc_memory()
            answer["took_s"] = time.monotonic() - began
            return answer
        if op == "live_heap":
            # The live-heap series: traced memory after a collection, once a second.
            gc.collect()
            return {"ok": True, "live_heap_bytes": tracemalloc.get_traced_memory()[0]}
        if op == "stop":
            tracemalloc.stop()
            return {"ok": True}
        return {"ok": False, "error": "unknown op %r" % op}

    def serve():
        # The hello comes from this thread, after its first pause: a child forked only to
        # exec another program is gone by then and never announces a pid that cannot answer.
        time.sleep(0.1)
        hello()
        command_file = os.path.join(folder, "cmd.%d.json" % os.getpid())
        while True:
            time.sleep(0.1)
            if state["pid"] != os.getpid():
                return  # a forked child runs its own copy (after_in_child)
            try:
                with open(command_file) as f:
                    cmd = json.load(f)
            except (OSError, ValueError):
                continue
            seq = int(cmd.get("seq", 0))
            if seq <= state["last_seq"]:
                continue
            state["last_seq"] = seq
            try:
                answer = handle(cmd)
            except Exception as e:
                answer = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
            answer["seq"] = seq
            answer["pid"] = os.getpid()
            try:
                write_atomically("ans.%d.%d.json" % (os.getpid(), seq), answer)
            except OSError:
                return  # the folder is gone: mcpleak has finished

    def begin():
        state["pid"] = os.getpid()
        state["last_seq"] = 0
        threading.Thread(target=serve, name="mcpleak-hook", daemon=True).start()

    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=lambda: (tracemalloc.stop(), begin()))
    begin()


if os.environ.get("MCPLEAK_HOOK_DIR"):
    try:
        _mcpleak_start_hook(os.environ["MCPLEAK_HOOK_DIR"])
    except Exception as e:  # attribution must never break the server
        sys.stderr.write("mcpleak hook: not started: %r\n" % (e,))
