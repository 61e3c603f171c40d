#include "harness/runner/recorded_client.h"

#include <algorithm>

namespace mcpleak {

std::string apply_recorded_client(const Scenario& scenario, ClientOptions& options) {
  if (!scenario.client) return {};
  options.identity = *scenario.client;
  const std::string& version = scenario.client->protocol_version;
  if (version.empty() || !options.protocol.automatic()) return {};
  const auto spoken = supported_protocol_versions();
  if (std::find(spoken.begin(), spoken.end(), version) == spoken.end()) {
    return "the recorded client spoke protocol " + version + ", which mcpleak does not; the replay negotiated its own";
  }
  options.protocol.pinned = version;
  return {};
}

double longest_recorded_wait_s(const Phase& phase) {
  double longest = 0;
  for (const Step& step : phase.steps) longest = std::max(longest, step.after_s.value_or(0));
  return longest;
}

}  // namespace mcpleak
