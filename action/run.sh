#!/usr/bin/env bash
# Runs mcpleak for the action: `mcpleak run` against COMMAND (or a server of a client's
# config), or `mcpleak ab` of BASELINE vs COMMAND, into PLAN_OUT_DIR. Exits 0 whatever the
# verdict (the gate step decides) unless mcpleak cannot be started at all.
#
# Reads IN_* (the action's inputs), PLAN_MODE, PLAN_OUT_DIR, and the binary from the first
# non-empty of MCPLEAK_BUILT, MCPLEAK_DEB, MCPLEAK_PLANNED.
# Outputs: exit-code, mode, mcpleak, run-dir (empty when mcpleak wrote no run folder), verdict, reason,
# verdict-line, growth, growth-bytes-per-min, exercised, exercise-reason; in A/B mode also
# comparison, comparison-outcome, baseline-verdict, baseline-growth, baseline-exercised,
# baseline-exercise-reason.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mcpleak=${MCPLEAK_BUILT:-${MCPLEAK_DEB:-${MCPLEAK_PLANNED:-}}}
if [[ -z $mcpleak || ! -x $mcpleak ]]; then
  gh_error "no mcpleak binary to run ('${mcpleak}'): did the install steps run?"
  exit 1
fi
mode=${PLAN_MODE:?}
out=${PLAN_OUT_DIR:?}
mkdir -p "$(dirname "$out")"

words=()
read_words() {  # read_words TEXT: TEXT's words (mcpleak ab's quoting rules) into ${words[@]}
  local w
  words=()
  while IFS= read -r -d '' w; do words+=("$w"); done < <(split_words "$1")
}

flags=()
[[ -n ${IN_SCENARIO:-} ]] && flags+=(--scenario "$IN_SCENARIO")
if [[ -n ${IN_TOOL:-} ]]; then
  flags+=(--tool "$IN_TOOL" --args "${IN_ARGS:-"{}"}")
fi
[[ -n ${IN_DURATION:-} ]] && flags+=(--duration "$IN_DURATION")
[[ -n ${IN_BUDGET:-} ]] && flags+=(--budget "$IN_BUDGET")
[[ -n ${IN_ATTRIBUTE:-} && $IN_ATTRIBUTE != off ]] && flags+=(--attribute "$IN_ATTRIBUTE")
read_words "${IN_EXTRA_ARGS:-}"
flags+=(${words[@]+"${words[@]}"})
flags+=(--out "$out")

if [[ $mode == ab ]]; then
  # mcpleak ab splits --base and --candidate itself, by the rules split_words copies.
  argv=(ab --base "$IN_BASELINE_COMMAND" --candidate "$IN_COMMAND" "${flags[@]}")
elif [[ -n ${IN_FROM_CONFIG:-} ]]; then
  argv=(run "${flags[@]}" --from-config "$IN_FROM_CONFIG" --server "${IN_SERVER:-}")
else
  read_words "$IN_COMMAND"
  argv=(run "${flags[@]}" -- "${words[@]}")
fi

printf 'mcpleak: %s\n' "$("$mcpleak" --version 2>&1 | head -n 1)"
printf '$ %q' "$mcpleak"
printf ' %q' "${argv[@]}"
printf '\n'

# Whatever mcpleak prints (it quotes the server's errors) must not act as a workflow command.
token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
stderr_file=$(mktemp "${RUNNER_TEMP:-/tmp}/mcpleak-stderr.XXXXXX")
echo "::stop-commands::$token"
set +e
"$mcpleak" "${argv[@]}" 2> >(tee "$stderr_file" >&2)
rc=$?
set -e
# tee may still be writing: give it the moment it needs before reading the file.
wait 2>/dev/null || true
echo "::$token::"
echo "mcpleak exit status: $rc"

set_output exit-code "$rc"
set_output mode "$mode"
set_output mcpleak "$mcpleak"
[[ -d $out ]] && set_output run-dir "$out"
error=$(grep -E '^mcpleak: error:' "$stderr_file" | tail -n 1 || true)
if [[ $rc -ne 2 ]] && [[ -f $out/report.json || -f $out/candidate/report.json ]]; then
  while IFS= read -r -d '' name && IFS= read -r -d '' value; do
    set_output "$name" "$value"
  done < <(python3 "$here/report_json.py" fields "$out")
else
  # A usage or scenario error (exit 2: mcpleak may still have written a report of the
  # nothing it measured), or mcpleak itself failed: no verdict.
  set_output verdict ""
  set_output exercised ""
  set_output reason "${error:-mcpleak exited $rc without a report (see the log)}"
fi
rm -f "$stderr_file"
