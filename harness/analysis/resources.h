// Leaks beyond memory: the tree's counted resources (processes, open fds, threads) judged
// with the footprint's statistics, and the processes a disconnect leaves behind.
// Pure functions over model types.
//
// A resource leaks when it grows steadily over the judged window and in its latest half,
// faster than its budget (per call plus per minute), by more than its allowance in all.
// Bounded when it does not grow past the allowance, or its growth has stopped.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/model/report.h"
#include "harness/model/resources.h"
#include "harness/model/sample.h"

namespace mcpleak::analysis {

// The budget for `name`: run.resource_budgets over default_resource_budgets().
ResourceBudget resource_budget(const RunInfo& run, const std::string& name);

// processes, fds and threads of the samples after warm-up, in that order. A resource no
// sample could read (fds of another user's process) is "not judged" and says why.
std::vector<ResourceVerdict> judge_resources(std::span<const Sample> samples, const RunInfo& run);

// The orphans verdict from run.orphan_check and run.reconnect_cycles; empty when no
// disconnect was checked (an attached server, an interrupted run).
std::optional<ResourceVerdict> judge_orphans(const RunInfo& run);

// One counted series judged like the tree's resources: `value` gives the count on the
// samples that carry it; fewer than `min_points` of them after warm-up is inconclusive.
ResourceVerdict judge_counted(const std::string& name, std::span<const Sample> samples, const RunInfo& run,
                              const std::function<std::optional<double>(const Sample&)>& value,
                              const ResourceBudget& budget, std::size_t min_points);

// For verdict lines: "fds +1.00 per call (8 → 1,208)", "orphans 3 after 3 reconnects".
std::string resource_headline(const ResourceVerdict& v);

// "1,208"; fractions keep two digits: "0.50".
std::string format_count(double v);

}  // namespace mcpleak::analysis
