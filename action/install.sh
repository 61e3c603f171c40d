#!/usr/bin/env bash
# Installs mcpleak for the action, as action/plan.sh decided.
#
# usage: install.sh deb      the release's mcpleak_X.Y.Z_amd64.deb of the action's repository
#                            (gh release download with GH_TOKEN, else curl), apt-get install;
#                            when the release has no such asset and install is auto, output
#                            fallback=source instead of failing (the next steps build it)
#        install.sh source   build the action's own sources (GITHUB_ACTION_PATH) into
#                            PLAN_PREFIX, unless a cached build there runs (actions/cache)
# Reads PLAN_* (outputs of the plan step), IN_INSTALL, GH_TOKEN, CACHE_HIT.
# Output: mcpleak (the installed binary), or fallback=source.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

action_path=${GITHUB_ACTION_PATH:-$action_root}
temp=${RUNNER_TEMP:?RUNNER_TEMP is not set}

# sudo when not root (hosted runners: passwordless sudo; job containers: root, no sudo).
as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

runs_version() {  # runs_version BIN: does BIN run and print its version?
  "$1" --version 2>/dev/null | head -n 1
}

install_deb() {
  local version=${PLAN_VERSION:?} tag=${PLAN_TAG:?} repo=${PLAN_REPOSITORY:?}
  local asset=mcpleak_${version}_amd64.deb dir=$temp/mcpleak-deb
  local have
  have=$(runs_version /usr/bin/mcpleak || true)
  if [[ $have == "mcpleak $version" ]]; then
    echo "mcpleak $version is already installed (/usr/bin/mcpleak)"
    set_output mcpleak /usr/bin/mcpleak
    return 0
  fi
  mkdir -p "$dir"
  rm -f "${dir:?}/$asset"
  echo "downloading $asset from the $tag release of $repo"
  local ok=0
  if [[ -n ${GH_TOKEN:-} ]] && command -v gh >/dev/null 2>&1; then
    gh release download "$tag" --repo "$repo" --pattern "$asset" --dir "$dir" --clobber && ok=1
  else
    curl -fsSL --retry 3 -o "$dir/$asset" "https://github.com/$repo/releases/download/$tag/$asset" && ok=1
  fi
  if [[ $ok -eq 1 && -s $dir/$asset ]]; then
    # apt resolves the .deb's dependencies; the package lists of a fresh runner can be stale.
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$dir/$asset"; then
      as_root apt-get update -q
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$dir/$asset" || ok=0
    fi
  else
    ok=0
  fi
  if [[ $ok -eq 1 ]]; then
    have=$(runs_version /usr/bin/mcpleak || true)
    if [[ -z $have ]]; then
      gh_error "the $asset installed, but /usr/bin/mcpleak does not run"
      exit 1
    fi
    [[ $have == "mcpleak $version" ]] || gh_warning "installed $asset, but /usr/bin/mcpleak says '$have'"
    echo "installed $have"
    set_output mcpleak /usr/bin/mcpleak
    return 0
  fi
  if [[ ${IN_INSTALL:-auto} == auto && $version == "${PLAN_SOURCE_VERSION:-}" ]]; then
    gh_warning "no usable $asset in the $tag release of $repo: building mcpleak $version from the action's sources"
    set_output fallback source
    return 0
  fi
  gh_error "could not download or install $asset from the $tag release of $repo"
  exit 1
}

install_build_deps() {
  if [[ ${RUNNER_OS:-} == macOS ]]; then
    local formulae=(cmake pkg-config cli11 nlohmann-json cpp-httplib) missing=() f
    for f in "${formulae[@]}"; do
      brew list --formula "$f" >/dev/null 2>&1 || missing+=("$f")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
      echo "brew install ${missing[*]}"
      HOMEBREW_NO_AUTO_UPDATE=1 HOMEBREW_NO_INSTALL_CLEANUP=1 brew install --quiet "${missing[@]}"
    fi
  else
    # The same packages as ci/setup, without what only tests, benchmarks and axref's
    # AT-SPI backend (off here) need.
    local packages=(g++ cmake make pkg-config libcli11-dev nlohmann-json3-dev libcpp-httplib-dev)
    local missing=() p status
    for p in "${packages[@]}"; do
      status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
      [[ $status == "install ok installed" ]] || missing+=("$p")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
      echo "apt-get install ${missing[*]}"
      as_root apt-get update -q
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
  fi
}

install_source() {
  local prefix=${PLAN_PREFIX:?} bin have
  bin=$prefix/bin/mcpleak
  have=$(runs_version "$bin" || true)
  if [[ -n $have ]]; then
    echo "using the build in $prefix ($have; cache hit: ${CACHE_HIT:-no})"
    set_output mcpleak "$bin"
    return 0
  fi
  [[ ${CACHE_HIT:-} == true ]] && gh_warning "the cached build in $prefix does not run: building again"
  install_build_deps
  local build=$temp/mcpleak-build jobs
  jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
  local configure=(-S "$action_path" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
    -DMCPLEAK_BUILD_TESTS=OFF -DMCPLEAK_BUILD_BENCH=OFF "-DCMAKE_INSTALL_PREFIX=$prefix")
  [[ ${RUNNER_OS:-} == Linux ]] && configure+=(-DMCPLEAK_WITH_ATSPI=OFF)
  echo "building mcpleak from $action_path into $prefix"
  rm -rf "$build" "$prefix"
  cmake "${configure[@]}"
  cmake --build "$build" --parallel "$jobs"
  cmake --install "$build"
  have=$(runs_version "$bin" || true)
  if [[ -z $have ]]; then
    gh_error "built and installed mcpleak into $prefix, but $bin does not run"
    exit 1
  fi
  echo "built $have"
  set_output mcpleak "$bin"
}

case ${1:-} in
  deb) install_deb ;;
  source) install_source ;;
  *) echo "usage: install.sh deb|source" >&2; exit 2 ;;
esac
