# shellcheck shell=bash
# Helpers shared by the steps of the mcpleak composite action (action.yml). Sourced, never
# run. Every step reads its inputs from environment variables (IN_* for the action's inputs),
# never from ${{ }} text in a run: block.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034  # used by the scripts that source this file
action_root=$(cd "$here/.." && pwd)

# The value of a workflow command (::error::, ::warning::) with GitHub's escapes, so that a
# reason quoted from a server cannot end the line or start a command of its own.
gh_escape() {
  local s=$1
  s=${s//'%'/'%25'}
  s=${s//$'\r'/'%0D'}
  s=${s//$'\n'/'%0A'}
  printf '%s' "$s"
}

gh_error() { echo "::error title=mcpleak::$(gh_escape "$*")"; }
gh_warning() { echo "::warning title=mcpleak::$(gh_escape "$*")"; }
log() { echo "mcpleak-action: $*" >&2; }

# A usage error of the action itself (bad inputs): always fails the step, exit 2 like mcpleak.
usage_error() {
  gh_error "usage: $*"
  if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
    printf '**mcpleak gate: FAILED**, a usage error of the action: %s\n\n' "$*" >>"$GITHUB_STEP_SUMMARY"
  fi
  exit 2
}

# set_output NAME VALUE: one step output, in the multi-line form when VALUE has a newline.
set_output() {
  local name=$1 value=$2
  [[ -n ${GITHUB_OUTPUT:-} ]] || { log "GITHUB_OUTPUT is not set"; exit 1; }
  if [[ $value == *$'\n'* ]]; then
    local delim
    delim="mcpleak_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
    printf '%s<<%s\n%s\n%s\n' "$name" "$delim" "$value" "$delim" >>"$GITHUB_OUTPUT"
  else
    printf '%s=%s\n' "$name" "$value" >>"$GITHUB_OUTPUT"
  fi
}

# split_words TEXT: the words of a command line, one per line of NUL-separated output, by
# the rules `mcpleak ab` uses for --base/--candidate (single and double quotes group, no
# backslash escapes, no expansion of $VARS, globs or $(…)), so that `command` means the
# same in a single run and in an A/B run. Newlines count as spaces.
split_words() {
  python3 "$here/report_json.py" split "$1"
}

# have_word WORD LIST: is WORD one of the comma-separated LIST (spaces ignored)?
have_word() {
  local word=$1 list=${2// /}
  [[ ,$list, == *,"$word",* ]]
}
