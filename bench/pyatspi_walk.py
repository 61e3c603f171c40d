#!/usr/bin/python3
"""Walks one application's AT-SPI tree with pyatspi the way axref's atspi backend does
(role name, name, child list, screen extents for interactive and window roles; depth cap
64, node cap 5000) and prints {"nodes": N, "walks": W, "seconds_per_walk": S} as JSON.
Used by bench_axref to compare against the C++ walk in the same session.

usage: pyatspi_walk.py APP_SUBSTRING [WALKS]
"""
import json
import sys
import time

import pyatspi

INTERACTIVE = {"push button", "toggle button", "check box", "radio button", "text",
               "entry", "link", "menu item", "combo box", "slider", "page tab",
               "frame", "window", "dialog"}
MAX_NODES = 5000
MAX_DEPTH = 64


def walk(acc, depth, count):
    count[0] += 1
    role = acc.getRoleName()
    _name = acc.name
    if role in INTERACTIVE:
        try:
            acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        except NotImplementedError:
            pass
    if depth + 1 >= MAX_DEPTH:
        return
    for i in range(acc.childCount):
        if count[0] >= MAX_NODES:
            return
        child = acc.getChildAtIndex(i)
        if child is not None:
            walk(child, depth + 1, count)


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    query = sys.argv[1].lower()
    walks = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    app = next((a for a in pyatspi.Registry.getDesktop(0)
                if a is not None and query in (a.name or "").lower()), None)
    if app is None:
        print(f"no application matches {sys.argv[1]!r}", file=sys.stderr)
        return 1
    count = [0]
    walk(app, 0, count)  # warm-up, like the C++ side's first iteration
    start = time.perf_counter()
    for _ in range(walks):
        count = [0]
        walk(app, 0, count)
    elapsed = time.perf_counter() - start
    print(json.dumps({"nodes": count[0], "walks": walks, "seconds_per_walk": elapsed / walks}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
