#include "harness/runner/disconnect.h"

#include <cstdio>

#include "harness/runner/redact.h"

namespace mcpleak {

OrphanCheck disconnect_server(ServerUnderTest& server, const DisconnectOptions& options, Probe& probe, int cycle) {
  OrphanCheck check = server.disconnect(options.grace, options.keep_orphans, probe, cycle);
  std::string survivors;
  std::size_t count = 0;
  for (auto& p : check.processes) {
    p.command = redact_command({p.command}, options.secrets).front();
    if (p.fate != "survived") continue;
    ++count;
    if (count <= 3) survivors += (survivors.empty() ? "" : "; ") + p.name + " (pid " + std::to_string(p.pid) + ")";
  }
  if (count > 0) {
    const std::string prefix = options.label.empty() ? "mcpleak: " : "mcpleak: " + options.label + ": ";
    std::fprintf(stderr, "%s%zu process%s of the server's tree outlived the disconnect: %s%s%s\n", prefix.c_str(), count,
                 count == 1 ? "" : "es", survivors.c_str(), count > 3 ? "; ..." : "",
                 options.kept_until_end ? " (left running until the last cycle)"
                 : check.kept           ? " (kept: --keep-orphans)"
                                        : " (cleaned up)");
  }
  return check;
}

}  // namespace mcpleak
