// run.json's own_cost: mcpleak's CPU since the run started, its peak resident memory,
// and what its sampler's ticks took (harness/model/own_cost.h).
#pragma once

#include <chrono>

#include "harness/model/own_cost.h"
#include "harness/process/self_usage.h"

namespace mcpleak {

OwnCost own_cost(const SelfUsage& at_start, std::chrono::steady_clock::time_point start, const SamplerCost& sampler);

}  // namespace mcpleak
