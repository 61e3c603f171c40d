#!/bin/sh
# Renders the fixture's report.html in headless Chromium: the page must load without
# console errors, its DOM must hold the chart, and the screenshot must not be blank.
# usage: html_render_check.sh RENDER_FIXTURE_BIN OUTDIR PNG_COLOURS_PY
# With MCPLEAK_UPDATE_DOCS_PNG=DEST the screenshot is also copied to DEST.
set -eu
render=$1 out=$2 png_colours=$3
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac  # file:// URLs need an absolute path
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "SKIP: no chromium installed"
  # ci/test sets MCPLEAK_REQUIRE_TOOLS=1: there a missing tool is a failure, not a skip.
  [ -n "${MCPLEAK_REQUIRE_TOOLS:-}" ] && exit 1
  exit 77
fi
rm -rf "$out"
"$render" "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir=$profile --enable-logging=stderr --v=0 --window-size=1200,900"

for page in report compare hostile; do
  # shellcheck disable=SC2086  # flags are words on purpose
  timeout 120 "$browser" $flags --dump-dom "file://$out/$page.html" \
    >"$out/$page.dom.html" 2>"$out/$page.dom.log"
  if ! grep -q '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' "$out/$page.dom.html" ||
     ! grep -q '<polyline' "$out/$page.dom.html"; then
    echo "FAIL: $page.html: no chart in the rendered DOM ($out/$page.dom.html)"
    exit 1
  fi
  # Console messages, script errors and blocked loads all show up as CONSOLE lines.
  if grep -E 'CONSOLE|Uncaught|Refused to' "$out/$page.dom.log"; then
    echo "FAIL: $page.html: console output while loading (see $out/$page.dom.log)"
    exit 1
  fi
done

# shellcheck disable=SC2086
timeout 120 "$browser" $flags --screenshot="$out/report.png" "file://$out/report.html" \
  2>"$out/screenshot.log"
colours=$(python3 "$png_colours" "$out/report.png")
echo "report.png: $colours distinct colours"
if [ "$colours" -lt 16 ]; then
  echo "FAIL: report.png looks blank ($colours distinct colours)"
  exit 1
fi
if [ -n "${MCPLEAK_UPDATE_DOCS_PNG:-}" ]; then
  cp "$out/report.png" "$MCPLEAK_UPDATE_DOCS_PNG"
  echo "copied the screenshot to $MCPLEAK_UPDATE_DOCS_PNG"
fi
