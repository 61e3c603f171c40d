#!/usr/bin/env bash
# The action's last step: passes or fails the job by `fail-on`.
#
# What a run is, from mcpleak's exit status and report (A/B: the candidate's, and the
# comparison's exit status):
#   0 bounded                    passes
#   1 leaking (A/B: the candidate leaks, or grows more than the baseline: "worse")
#   3 server-failed              the server would not start, crashed, hung, broke the protocol
#   4 inconclusive               no decision within the duration
#   not-exercised                calls did not succeed (A/B: on either side), so nothing was
#                                tested; such a run is also inconclusive (exit 4), or leaking
#   2, or anything else          a usage or scenario error, or mcpleak failed: always fails
# The job fails when one of these is listed in fail-on (IN_FAIL_ON, comma-separated, or
# none); what is not listed only warns.
#
# Reads IN_FAIL_ON and the run step's outputs: EXIT_CODE, MODE, VERDICT, VERDICT_LINE,
# REASON, EXERCISED, EXERCISE_REASON, BASELINE_VERDICT, BASELINE_EXERCISED,
# BASELINE_EXERCISE_REASON, COMPARISON. Outputs: gate (passed|failed), gate-reason.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

fail_on=${IN_FAIL_ON:-leaking,not-exercised,server-failed}
rc=${EXIT_CODE:?}
mode=${MODE:-run}
what=${VERDICT_LINE:-${REASON:-verdict ${VERDICT:-unknown}}}
[[ $mode == ab && -n ${COMPARISON:-} ]] && what="$what; A/B: $COMPARISON"
side="the server "
[[ $mode == ab ]] && side="the candidate "

summary_line() {
  [[ -n ${GITHUB_STEP_SUMMARY:-} ]] && printf '%s\n\n' "$1" >>"$GITHUB_STEP_SUMMARY"
  return 0
}

fail() {  # fail CATEGORY MESSAGE
  gh_error "leak gate failed on '$1' (fail-on: $fail_on): $2"
  summary_line "**mcpleak gate: FAILED** on \`$1\` (fail-on: \`$fail_on\`)"
  set_output gate failed
  set_output gate-reason "$1: $2"
  exit 1
}

case $rc in
  0 | 1 | 3 | 4) ;;
  2) fail usage-error "mcpleak exit 2, a usage or scenario error: ${REASON:-see the log}" ;;
  *) fail mcpleak-failed "mcpleak exited $rc (not one of its verdicts): ${REASON:-see the log}" ;;
esac

# Every category this run falls in, each with why, in the order they are checked.
categories=()
reasons=()
add() { categories+=("$1"); reasons+=("$2"); }
if [[ ${EXERCISED:-} == false ]]; then
  add not-exercised "${side}was not exercised: ${EXERCISE_REASON:-its calls did not succeed}"
fi
if [[ $mode == ab && ${BASELINE_EXERCISED:-} == false ]]; then
  add not-exercised "the baseline was not exercised, so nothing was compared: ${BASELINE_EXERCISE_REASON:-its calls did not succeed}"
fi
case $rc in
  1) add leaking "$what" ;;
  3) add server-failed "${side}failed: $what" ;;
  4) add inconclusive "no decision: $what (a longer duration may decide)" ;;
esac

if [[ $mode == ab && ${BASELINE_VERDICT:-} == server-failed ]]; then
  gh_warning "the baseline server failed: the comparison means nothing, the candidate's own verdict stands"
fi

if ! have_word none "$fail_on"; then
  i=0
  while [[ $i -lt ${#categories[@]} ]]; do
    if have_word "${categories[$i]}" "$fail_on"; then
      fail "${categories[$i]}" "${reasons[$i]}"
    fi
    i=$((i + 1))
  done
fi

i=0
while [[ $i -lt ${#categories[@]} ]]; do
  gh_warning "${categories[$i]} does not fail this gate (fail-on: $fail_on): ${reasons[$i]}"
  i=$((i + 1))
done
if [[ $rc -eq 0 ]]; then
  echo "mcpleak gate passed: $what"
else
  echo "mcpleak gate passed (nothing in fail-on '$fail_on' matched): $what"
fi
if [[ ${#categories[@]} -gt 0 ]]; then
  summary_line "**mcpleak gate: passed** (fail-on: \`$fail_on\`; not failing on: ${categories[*]})"
else
  summary_line "**mcpleak gate: passed** (fail-on: \`$fail_on\`)"
fi
set_output gate passed
set_output gate-reason "$what"
