#!/bin/sh
# Validates every junit.xml the fixture produces against tests/fixtures/reports/junit.xsd.
# usage: junit_schema_check.sh RENDER_FIXTURE_BIN OUTDIR XSD
set -eu
render=$1 out=$2 xsd=$3
if ! command -v xmllint >/dev/null 2>&1; then
  echo "SKIP: xmllint not installed (apt-get install libxml2-utils)"
  # ci/test sets MCPLEAK_REQUIRE_TOOLS=1: there a missing tool is a failure, not a skip.
  [ -n "${MCPLEAK_REQUIRE_TOOLS:-}" ] && exit 1
  exit 77
fi
rm -rf "$out"
"$render" "$out"
for f in "$out"/junit-*.xml; do
  xmllint --noout --schema "$xsd" "$f"
done
