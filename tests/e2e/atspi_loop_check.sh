#!/usr/bin/env bash
# issue 4's AT-SPI acceptance: a 2-minute snapshot-finder-safari loop of fixed axref
# --backend atspi against gtk3-demo and gtk3-widget-factory is `bounded`. Run it inside
# `ci/atspi-session run` (it needs that session's DISPLAY and D-Bus bus).
#
# usage: atspi_loop_check.sh MCPLEAK AXREF OUT_DIR
# Exits 0 when mcpleak exited 0 with verdict bounded, at least 20 Snapshot calls
# succeeded, the observer count stayed bounded and no server process is left; else 1.
# First a precondition: one axref --backend atspi (App switch + Snapshot of each app)
# must see both apps' trees, else the test fails with that reason before the loop.
set -euo pipefail

[[ $# -eq 3 ]] || { sed -n '5,9p' "$0" >&2; exit 2; }
mcpleak=$1 axref=$2 out=$3
if [[ -z ${DISPLAY:-} || -z ${DBUS_SESSION_BUS_ADDRESS:-} ]]; then
  echo "atspi_loop_check: no DISPLAY or D-Bus session bus; run it under ci/atspi-session run" >&2
  exit 2
fi

rm -rf "$out"
mkdir -p "$(dirname "$out")"
readonly apps=(gtk3-demo gtk3-widget-factory)

# Precondition: the loop measures nothing unless axref can reach both apps. One axref
# over stdio: initialize, then App switch + Snapshot for each app, each call under its
# own limit and all of it under one deadline; a failure names the app, the call and
# axref's answer, and shows axref's stderr.
precondition_log=$(mktemp "${TMPDIR:-/tmp}/atspi_loop_precondition.XXXXXX")
trap 'rm -f "$precondition_log"' EXIT
if ! /usr/bin/python3 - "$axref" "$precondition_log" "${apps[@]}" <<'PY'
import json
import queue
import subprocess
import sys
import threading
import time

axref, log_path, apps = sys.argv[1], sys.argv[2], sys.argv[3:]
DEADLINE_S, CALL_S, MIN_TREE_BYTES = 60, 30, 2000
deadline = time.monotonic() + DEADLINE_S


def fail(reason):
    print(f"atspi_loop_check: FAIL: precondition: {reason}", file=sys.stderr)
    print("atspi_loop_check: the apps must be on the AT-SPI bus with reachable trees "
          "(ci/atspi-session waits for that); not starting the 2-minute loop", file=sys.stderr)
    sys.exit(1)


with open(log_path, "wb") as log:
    try:
        proc = subprocess.Popen([axref, "--backend", "atspi"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=log)
    except OSError as e:
        fail(f"cannot start {axref}: {e}")

lines = queue.Queue()


def read_stdout():
    for line in proc.stdout:
        lines.put(line)
    lines.put(None)


threading.Thread(target=read_stdout, daemon=True).start()
next_id = 0


def stderr_tail():
    with open(log_path, errors="replace") as f:
        tail = f.read().splitlines()[-10:]
    return ("; axref stderr: " + " | ".join(tail)) if tail else ""


def call(method, params, what):
    global next_id
    next_id += 1
    try:
        proc.stdin.write((json.dumps({"jsonrpc": "2.0", "id": next_id, "method": method,
                                      "params": params}) + "\n").encode())
        proc.stdin.flush()
    except OSError as e:
        fail(f"{what}: axref's stdin is closed ({e}), exit status {proc.poll()}{stderr_tail()}")
    started = time.monotonic()
    limit = min(CALL_S, deadline - started)
    while True:
        left = started + limit - time.monotonic()
        try:
            line = lines.get(timeout=max(left, 0.01))
        except queue.Empty:
            fail(f"{what}: no answer from axref within {limit:.0f} s{stderr_tail()}")
        if line is None:
            fail(f"{what}: axref exited (status {proc.wait()}) without answering{stderr_tail()}")
        try:
            msg = json.loads(line)
        except ValueError:
            fail(f"{what}: axref wrote a line that is not JSON: {line[:200]!r}")
        if isinstance(msg, dict) and msg.get("id") == next_id:
            break
    if "error" in msg:
        fail(f"{what}: JSON-RPC error {msg['error']}{stderr_tail()}")
    return msg["result"], time.monotonic() - started


def tool(name, args, what):
    result, took = call("tools/call", {"name": name, "arguments": args}, what)
    text = "".join(c.get("text", "") for c in result.get("content", []) if c.get("type") == "text")
    if result.get("isError"):
        fail(f"{what} failed: {text[:300]}")
    return text, took


try:
    call("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                        "clientInfo": {"name": "atspi_loop_check", "version": "1"}},
         "initialize")
    proc.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    proc.stdin.flush()
    seen = []
    for app in apps:
        tool("App", {"mode": "switch", "name": app}, f"App switch to {app}")
        text, took = tool("Snapshot", {"use_vision": False}, f"Snapshot of {app}")
        if len(text) < MIN_TREE_BYTES:
            fail(f"Snapshot of {app} answered only {len(text)} bytes, not a real tree: {text[:300]!r}")
        seen.append(f"{app} {len(text)} B in {took:.1f} s")
    print("atspi_loop_check: precondition ok: axref --backend atspi snapshots " + ", ".join(seen))
finally:
    try:
        proc.stdin.close()
    except OSError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
PY
then
  exit 1
fi

# The full 2 minutes (no early stop): the acceptance is about a 2-minute loop. One step
# every 0.5 s is one Snapshot a second; an AT-SPI walk of these apps takes 0.1-1 s.
rc=0
"$mcpleak" run --scenario snapshot-finder-safari --var "app1=${apps[0]}" --var "app2=${apps[1]}" \
  --rate 2 --duration 2m --no-early-stop --call-timeout 30s --quiet --out "$out" \
  -- "$axref" --backend atspi || rc=$?

/usr/bin/python3 - "$out" "$rc" "${apps[@]}" <<'PY'
import json
import os
import sys

out, rc, apps = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
failures = []
try:
    with open(os.path.join(out, "report.json")) as f:
        report = json.load(f)
except (OSError, ValueError) as e:
    print(f"atspi_loop_check: no readable report.json in {out}: {e}", file=sys.stderr)
    sys.exit(1)

snapshots_ok = 0
apps_failed = 0
smallest_snapshot = None
first_error = {}  # tool -> the first failed call's error text
try:
    with open(os.path.join(out, "calls.jsonl")) as f:
        for line in f:
            if not line.strip():
                continue
            call = json.loads(line)
            if call.get("tool") == "Snapshot" and call.get("ok"):
                snapshots_ok += 1
                size = call.get("response_bytes", 0)
                smallest_snapshot = size if smallest_snapshot is None else min(smallest_snapshot, size)
            if call.get("tool") == "App" and not call.get("ok"):
                apps_failed += 1
            if not call.get("ok"):
                first_error.setdefault(call.get("tool"), call.get("error", ""))
except OSError as e:
    failures.append(f"no calls.jsonl in {out}: {e}")

diag = report.get("diagnostics", {})
observers_end = diag.get("end", {}).get("observers")
observers_per_min = diag.get("per_min", {}).get("observers")
growth = report.get("growth", {})
print(f"atspi_loop_check: exit {rc}, verdict {report.get('verdict')}, "
      f"{growth.get('bytes_per_min')} B/min (ci95 {growth.get('ci95_bytes_per_min')}), "
      f"elapsed {report.get('elapsed_s')} s, {snapshots_ok} Snapshot calls ok, "
      f"smallest Snapshot {smallest_snapshot} B, "
      f"{apps_failed} App calls failed, observers end {observers_end}, per min {observers_per_min}")

# Nothing was measured: say so first, not only as a verdict.
if snapshots_ok == 0:
    errors = "; ".join(f"first failed {tool} call: {error[:300]}"
                       for tool, error in first_error.items()) or "no call failed either"
    failures.append(f"precondition failed during the run: no Snapshot call succeeded, so "
                    f"{' and '.join(apps)} were not reachable on the AT-SPI bus and the run "
                    f"measured nothing ({errors})")
if rc != 0:
    failures.append(f"mcpleak exited {rc}, want 0 (bounded); reason: {report.get('reason')}")
if report.get("verdict") != "bounded":
    failures.append(f"verdict {report.get('verdict')}, want bounded")
if snapshots_ok < 20:
    failures.append(f"only {snapshots_ok} Snapshot calls succeeded, want at least 20")
# A real walk of either app is well over 100 nodes of `role "name" (x,y,w,h)` lines; an
# error text or an empty tree is a few hundred bytes at most.
if smallest_snapshot is not None and smallest_snapshot < 2000:
    failures.append(f"a Snapshot answered only {smallest_snapshot} bytes, not a real tree")
if apps_failed:
    failures.append(f"{apps_failed} App switch calls failed")
# One lifecycle record per app in the bounded cache, whatever the number of snapshots.
if observers_end is None or observers_end > 2:
    failures.append(f"observers at the end: {observers_end}, want at most 2")
if observers_per_min is None or abs(observers_per_min) >= 1:
    failures.append(f"observers grow {observers_per_min}/min, want 0")
for pid in report.get("server", {}).get("pids", []):
    try:
        os.kill(pid, 0)
        failures.append(f"server pid {pid} is still alive")
    except ProcessLookupError:
        pass
    except PermissionError:
        failures.append(f"server pid {pid} exists (owned by someone else now?)")

for failure in failures:
    print(f"atspi_loop_check: FAIL: {failure}", file=sys.stderr)
sys.exit(1 if failures else 0)
PY
