#!/usr/bin/env bash
# Step 1 of the mcpleak action: check the inputs and decide how mcpleak gets onto the
# runner. Nothing is installed or started here. Exit 2 (a usage error, which always fails
# the job) on inputs that cannot work.
#
# Reads IN_* (the action's inputs), ACTION_REPOSITORY / ACTION_REF (github.action_repository
# and github.action_ref, passed through env: as runner issue #2473 advises), and the
# runner's GITHUB_ACTION_PATH, RUNNER_OS, RUNNER_TEMP, RUNNER_TOOL_CACHE.
# Outputs: mode (run|ab), method (bin|path|deb|source), version, tag, repository,
# source-version, mcpleak (where the binary will be), prefix and cache-key (source builds),
# artifact-name, out-dir.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

action_path=${GITHUB_ACTION_PATH:-$action_root}
runner_os=${RUNNER_OS:-}
temp=${RUNNER_TEMP:?RUNNER_TEMP is not set}

case $runner_os in
  Linux | macOS) ;;
  *) usage_error "runs on Linux and macOS runners, not '${runner_os:-unknown}'" ;;
esac

# --- the server and the scenario -------------------------------------------------------
command=${IN_COMMAND:-}
from_config=${IN_FROM_CONFIG:-}
server=${IN_SERVER:-}
baseline=${IN_BASELINE_COMMAND:-}
if [[ -n ${command//[[:space:]]/} && -n $from_config ]]; then
  usage_error "give 'command' or 'from-config' + 'server', not both"
fi
if [[ -n $from_config && -z $server ]]; then
  usage_error "'from-config' needs 'server' (the entry's name; mcpleak servers FILE lists them)"
fi
if [[ -n $server && -z $from_config ]]; then
  usage_error "'server' names an entry of 'from-config', which is empty"
fi
if [[ -z ${command//[[:space:]]/} && -z $from_config ]]; then
  usage_error "give 'command' (the server's command line) or 'from-config' + 'server'"
fi
mode=run
if [[ -n ${baseline//[[:space:]]/} ]]; then
  [[ -n $from_config ]] && usage_error "'baseline-command' compares two command lines: use 'command', not 'from-config'"
  mode=ab
fi
if [[ -n ${IN_SCENARIO:-} && -n ${IN_TOOL:-} ]]; then
  usage_error "give 'scenario' or 'tool' (+ 'args'), not both"
fi
if [[ -n ${IN_ARGS:-} && -z ${IN_TOOL:-} ]]; then
  usage_error "'args' are the arguments of 'tool', which is empty"
fi
check_words() {
  split_words "$2" >/dev/null || usage_error "'$1' is not a valid command line (see the error above)"
}
check_words command "$command"
check_words baseline-command "$baseline"
check_words extra-args "${IN_EXTRA_ARGS:-}"

fail_on=${IN_FAIL_ON:-}
[[ -n ${fail_on//[ ,]/} ]] || usage_error "'fail-on' is empty: list what fails the job, or 'none'"
IFS=, read -r -a words <<<"${fail_on// /}"
for word in "${words[@]}"; do
  case $word in
    leaking | inconclusive | not-exercised | server-failed) ;;
    none) [[ ${#words[@]} -eq 1 ]] || usage_error "'fail-on: none' cannot be combined with other values" ;;
    *) usage_error "unknown fail-on value '$word' (leaking, inconclusive, not-exercised, server-failed or none)" ;;
  esac
done

# --- where mcpleak comes from ------------------------------------------------------------
source_version=$("$action_path/ci/project-version" "$action_path") \
  || usage_error "cannot read mcpleak's version from $action_path/CMakeLists.txt"
repository=${ACTION_REPOSITORY:-}
ref=${ACTION_REF:-}
# github.action_repository/ref can be empty inside composite actions; a remote action lives
# in .../_actions/OWNER/REPO/REF on the runner, so read them from its path then.
if [[ -z $repository && $action_path =~ /_actions/([^/]+)/([^/]+)/([^/]+)/?$ ]]; then
  repository=${BASH_REMATCH[1]}/${BASH_REMATCH[2]}
  ref=${BASH_REMATCH[3]}
fi
version=${IN_MCPLEAK_VERSION:-}
version=${version#v}
if [[ -z $version ]]; then
  if [[ $ref =~ ^v?([0-9]+\.[0-9]+\.[0-9]+)$ ]]; then
    version=${BASH_REMATCH[1]}
  else
    version=$source_version
  fi
fi
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || usage_error "mcpleak-version '$version' is not X.Y.Z"
tag=v$version

install=${IN_INSTALL:-auto}
arch=$(uname -m)
method=
mcpleak=
if [[ -n ${IN_MCPLEAK_BIN:-} ]]; then
  method=bin
  mcpleak=$IN_MCPLEAK_BIN
  [[ $mcpleak == /* ]] || mcpleak=$PWD/$mcpleak
  [[ -x $mcpleak && -f $mcpleak ]] || usage_error "mcpleak-bin '$IN_MCPLEAK_BIN' is not an executable file"
else
  case $install in
    none)
      method=path
      mcpleak=$(command -v mcpleak) || usage_error "install: none, but there is no mcpleak on PATH"
      ;;
    deb)
      [[ $runner_os == Linux ]] || usage_error "install: deb is for Linux runners (macOS builds from source)"
      [[ $arch == x86_64 ]] || usage_error "install: deb is amd64 only; this runner is $arch (use install: source)"
      [[ -n $repository ]] || usage_error "install: deb needs the action's repository (use it as OWNER/REPO@vX.Y.Z, not from a local path)"
      method=deb
      ;;
    source)
      [[ $version == "$source_version" ]] \
        || usage_error "install: source builds the action's own sources ($source_version), not mcpleak-version $version"
      method=source
      ;;
    auto)
      if [[ $runner_os == Linux && $arch == x86_64 && -n $repository ]]; then
        method=deb
      elif [[ $version == "$source_version" ]]; then
        method=source
      else
        usage_error "no release .deb for this runner ($runner_os $arch) and the action's sources are $source_version, not $version"
      fi
      ;;
    *) usage_error "unknown install '$install' (auto, deb, source or none)" ;;
  esac
fi

prefix=
cache_key=
if [[ $method == deb || $method == source ]]; then
  # A deb that turns out to be missing falls back to a source build (install.sh), so both
  # get a prefix and a cache key.
  prefix=${RUNNER_TOOL_CACHE:-$temp}/mcpleak-src/$source_version
  hash=$(python3 "$here/report_json.py" hash "$action_path")
  safe_ref=${ref//[^A-Za-z0-9._-]/_}
  cache_key="mcpleak-src-$runner_os-${ImageOS:-image}-$arch-v$source_version-${safe_ref:-local}-${hash:0:16}"
  [[ $method == deb ]] && mcpleak=/usr/bin/mcpleak
  [[ $method == source ]] && mcpleak=$prefix/bin/mcpleak
fi

# --- where the run folders go ----------------------------------------------------------
artifact=${IN_ARTIFACT_NAME:-}
if [[ -z $artifact ]]; then
  # Unique per use of the action in a workflow run: upload-artifact@v4 refuses a second
  # artifact of the same name. GITHUB_ACTION tells two uses in one job apart.
  key=$(printf '%s\0' "$runner_os" "${ImageOS:-}" "$arch" "${GITHUB_ACTION:-}" "$command" "$from_config" \
    "$server" "$baseline" "${IN_SCENARIO:-}" "${IN_TOOL:-}" "${IN_ARGS:-}" "${IN_DURATION:-}" \
    "${IN_BUDGET:-}" "${IN_EXTRA_ARGS:-}" | python3 -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:8])')
  job=${GITHUB_JOB:-job}
  artifact="mcpleak-${job//[^A-Za-z0-9._-]/_}-$key"
fi
[[ $artifact =~ ^[^\"\<\>\|\*\?\\/:]+$ ]] || usage_error "artifact-name '$artifact' has a character artifacts do not allow"
out_dir=$temp/mcpleak-runs/$artifact
n=1
while [[ -e $out_dir ]]; do
  n=$((n + 1))
  out_dir=$temp/mcpleak-runs/$artifact-$n
done

echo "mode: $mode"
echo "mcpleak: $method ${mcpleak:+($mcpleak) }version $version${repository:+ from $repository}${ref:+@$ref}"
echo "run folders: $out_dir (artifact $artifact)"
set_output mode "$mode"
set_output method "$method"
set_output version "$version"
set_output tag "$tag"
set_output repository "$repository"
set_output source-version "$source_version"
set_output mcpleak "$mcpleak"
set_output prefix "$prefix"
set_output cache-key "$cache_key"
set_output artifact-name "$artifact"
set_output out-dir "$out_dir"
