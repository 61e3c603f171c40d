#!/bin/sh
# Runs after every other test (ctest fixture cleanup): no server process started by the
# suite may outlive it. Looks for the test servers and axref built in BUILD_DIR.
# usage: no_orphans.sh BUILD_DIR
set -u
build=$1
left=$(pgrep -a -f "^($build/tests/servers/mcp_test_server|$build/reference/axref|$build/tools/node_modules)" || true)
if [ -n "$left" ]; then
  echo "server processes left behind by the test suite:"
  echo "$left"
  exit 1
fi
echo "no server processes left behind"
