// How a replay of a recorded session (`mcpleak watch --record`) presents itself: the
// recorded client's capabilities and clientInfo, and its protocol version unless
// --protocol picks one; and how long its pauses were, for the exercise rule.
#pragma once

#include <string>

#include "harness/mcp/client.h"
#include "harness/runner/scenario.h"

namespace mcpleak {

// `options` with the scenario's recorded client applied (unchanged without one). Returns
// a note for the run's warnings when the recorded version is one mcpleak does not speak
// (the replay then negotiates as usual); empty otherwise.
std::string apply_recorded_client(const Scenario& scenario, ClientOptions& options);

// The longest wait between two calls of a phase at a recorded pace: the replay's planned
// call interval, so that a pause the recorded client made is not taken for a server that
// stopped answering.
double longest_recorded_wait_s(const Phase& phase);

}  // namespace mcpleak
