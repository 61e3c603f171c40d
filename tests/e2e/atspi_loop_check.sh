#!/usr/bin/env bash
# issue 4's AT-SPI acceptance: a 2-minute snapshot-finder-safari loop of fixed axref
# --backend atspi against gtk3-demo and gtk3-widget-factory is `bounded`. Run it inside
# `ci/atspi-session run` (it needs that session's DISPLAY and D-Bus bus).
#
# usage: atspi_loop_check.sh MCPLEAK AXREF OUT_DIR
# Exits 0 when mcpleak exited 0 with verdict bounded, at least 20 Snapshot calls
# succeeded, the observer count stayed bounded and no server process is left; else 1.
set -euo pipefail

[[ $# -eq 3 ]] || { sed -n '5,7p' "$0" >&2; exit 2; }
mcpleak=$1 axref=$2 out=$3
if [[ -z ${DISPLAY:-} || -z ${DBUS_SESSION_BUS_ADDRESS:-} ]]; then
  echo "atspi_loop_check: no DISPLAY or D-Bus session bus; run it under ci/atspi-session run" >&2
  exit 2
fi

rm -rf "$out"
mkdir -p "$(dirname "$out")"

# The full 2 minutes (no early stop): the acceptance is about a 2-minute loop. One step
# every 0.5 s is one Snapshot a second; an AT-SPI walk of these apps takes 0.1-1 s.
rc=0
"$mcpleak" run --scenario snapshot-finder-safari --var app1=gtk3-demo --var app2=gtk3-widget-factory \
  --rate 2 --duration 2m --no-early-stop --call-timeout 30s --quiet --out "$out" \
  -- "$axref" --backend atspi || rc=$?

/usr/bin/python3 - "$out" "$rc" <<'PY'
import json
import os
import sys

out, rc = sys.argv[1], int(sys.argv[2])
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

diag = report.get("diagnostics", {})
observers_end = diag.get("end", {}).get("observers")
observers_per_min = diag.get("per_min", {}).get("observers")
growth = report.get("growth", {})
print(f"atspi_loop_check: exit {rc}, verdict {report.get('verdict')}, "
      f"{growth.get('bytes_per_min')} B/min (ci95 {growth.get('ci95_bytes_per_min')}), "
      f"elapsed {report.get('elapsed_s')} s, {snapshots_ok} Snapshot calls ok, "
      f"smallest Snapshot {smallest_snapshot} B, "
      f"{apps_failed} App calls failed, observers end {observers_end}, per min {observers_per_min}")

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
