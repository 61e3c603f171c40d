// Growth per session in each phase that ends sessions, so that `close: mixed` gives one
// figure for sessions closed with DELETE and one for abandoned ones. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/model/report.h"
#include "harness/model/sample.h"

namespace mcpleak::analysis {

// Theil–Sen of footprint on the session counter within the phase, warm-up excluded: the
// phase's growth per session, the calls of those sessions included. Empty when the phase
// ended fewer than 3 sessions after warm-up.
std::vector<PhaseSessionGrowth> session_growth_by_phase(std::span<const Sample> samples, const RunInfo& run);

}  // namespace mcpleak::analysis
