#!/usr/bin/env bash
# Puts the run's summary.md (A/B: compare.md, both sides) on the job page: appends it to
# $GITHUB_STEP_SUMMARY under a header line with the verdict, the growth and the server.
#
# Reads RUN_DIR, EXIT_CODE, REASON and ARTIFACT_NAME (outputs of the run and plan steps).
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

run_dir=${RUN_DIR:?}
summary=${GITHUB_STEP_SUMMARY:?GITHUB_STEP_SUMMARY is not set}
# GitHub takes at most 1 MiB of summary per step.
limit=900000

body() {
  if [[ -f $run_dir/compare.md ]]; then
    cat "$run_dir/compare.md"
  elif [[ -f $run_dir/candidate/summary.md ]]; then
    local side
    for side in base candidate; do
      [[ -f $run_dir/$side/summary.md ]] || continue
      printf '## %s\n\n' "$side"
      cat "$run_dir/$side/summary.md"
      printf '\n'
    done
  elif [[ -f $run_dir/summary.md ]]; then
    cat "$run_dir/summary.md"
  else
    printf 'mcpleak wrote no summary.md into this run folder.\n'
  fi
}

text=$(
  if [[ ${EXIT_CODE:-} == 2 ]]; then
    printf '### mcpleak: **USAGE OR SCENARIO ERROR**\n\n%s\n' "${REASON:-see the log}"
  else
    python3 "$here/report_json.py" header "$run_dir" || printf '### mcpleak (no report.json)\n'
    printf '\n'
    body
  fi
  printf '\nmcpleak exit status %s; run folders in the artifact %s.\n' \
    "${EXIT_CODE:-?}" "\`${ARTIFACT_NAME:-?}\`"
)
if [[ ${#text} -gt $limit ]]; then
  text="${text:0:$limit}"$'\n\n'"*(cut at $limit characters: the whole summary.md is in the artifact)*"
fi
printf '%s\n\n' "$text" >>"$summary"
head -n 1 <<<"$text"
