// Live objects per class over time (macOS heap(1) readings carried by samples): which
// classes grow, and the verdict on the classes that must stay bounded (--bounded-class
// 'AX*', a scenario's "bounded_classes"), judged like the tree's counted resources.
// Pure.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/model/report.h"
#include "harness/model/resources.h"
#include "harness/model/sample.h"

namespace mcpleak::analysis {

// Readings needed after warm-up before a class's count is judged (heap(1) runs every
// 30 s or so: a few minutes of run).
inline constexpr std::size_t kMinClassReadings = 5;

// fnmatch(3) glob over the class name: "AX*", "__NSCF*", "AXObserver".
bool class_matches(std::string_view pattern, std::string_view name);

// The classes whose count grows steadily (the resource rule, allowance +2), fastest
// first, at most `max`. Empty when no sample carries class counts.
std::vector<ResourceVerdict> growing_classes(std::span<const Sample> samples, const RunInfo& run, std::size_t max = 10);

// One verdict per run.bounded_classes pattern, named "class PATTERN", on the sum of the
// matching classes' counts; budget "classes" (--resource-budget classes=...). No
// readings at all is inconclusive: the bound was asked for and not measured.
std::vector<ResourceVerdict> judge_bounded_classes(std::span<const Sample> samples, const RunInfo& run);

}  // namespace mcpleak::analysis
