// The end of every spawned server's life in a run, and of each reconnect cycle: disconnect
// it as an MCP client does and record what of its tree outlived it (orphans), redacted,
// with one line on stderr when something did.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "harness/model/resources.h"
#include "harness/runner/server_under_test.h"
#include "probes/probe.h"

namespace mcpleak {

struct DisconnectOptions {
  std::chrono::milliseconds grace{2000};  // --orphan-grace
  bool keep_orphans = false;              // --keep-orphans
  std::vector<std::string> secrets;       // masked in the recorded command lines
  std::string label;                      // progress prefix ("base", "cycle 3")
  // Reconnect cycles keep survivors running until the last cycle, to count them; that is
  // not --keep-orphans, and the message says so.
  bool kept_until_end = false;
};

OrphanCheck disconnect_server(ServerUnderTest& server, const DisconnectOptions& options, Probe& probe,
                              int cycle = 0);

}  // namespace mcpleak
