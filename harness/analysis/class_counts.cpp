#include "harness/analysis/class_counts.h"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "harness/analysis/resources.h"

namespace mcpleak::analysis {
namespace {

bool has_readings(std::span<const Sample> samples) {
  return std::any_of(samples.begin(), samples.end(), [](const Sample& s) { return !s.classes.empty(); });
}

}  // namespace

bool class_matches(std::string_view pattern, std::string_view name) {
  return ::fnmatch(std::string(pattern).c_str(), std::string(name).c_str(), 0) == 0;
}

std::vector<ResourceVerdict> growing_classes(std::span<const Sample> samples, const RunInfo& run, std::size_t max) {
  std::set<std::string> names;
  for (const auto& s : samples) for (const auto& [name, count] : s.classes) names.insert(name);
  const ResourceBudget steady_only{0, 0, 2, false};
  std::vector<ResourceVerdict> out;
  for (const auto& name : names) {
    // A reading lists every class that had objects: one missing from a reading has none.
    auto value = [&name](const Sample& s) -> std::optional<double> {
      if (s.classes.empty()) return std::nullopt;
      const auto it = s.classes.find(name);
      return it == s.classes.end() ? 0.0 : static_cast<double>(it->second);
    };
    ResourceVerdict v = judge_counted(name, samples, run, value, steady_only, kMinClassReadings);
    if (v.verdict == "leaking") out.push_back(std::move(v));
  }
  std::sort(out.begin(), out.end(), [](const ResourceVerdict& a, const ResourceVerdict& b) {
    const double ra = a.per_call.value_or(0), rb = b.per_call.value_or(0);
    return ra != rb ? ra > rb : a.per_min > b.per_min;
  });
  if (out.size() > max) out.resize(max);
  return out;
}

std::vector<ResourceVerdict> judge_bounded_classes(std::span<const Sample> samples, const RunInfo& run) {
  std::vector<ResourceVerdict> out;
  const bool readings = has_readings(samples);
  for (const auto& pattern : run.bounded_classes) {
    const std::string name = "class " + pattern;
    if (!readings) {
      ResourceVerdict v;
      v.name = name;
      v.verdict = "inconclusive";
      v.why = "no heap(1) reading of the server's classes was taken (macOS only; see the run's warnings)";
      v.headline = name + " not measured";
      out.push_back(std::move(v));
      continue;
    }
    auto value = [&pattern](const Sample& s) -> std::optional<double> {
      if (s.classes.empty()) return std::nullopt;
      double sum = 0;
      for (const auto& [cls, count] : s.classes) {
        if (class_matches(pattern, cls)) sum += static_cast<double>(count);
      }
      return sum;
    };
    out.push_back(judge_counted(name, samples, run, value, resource_budget(run, "classes"), kMinClassReadings));
  }
  return out;
}

}  // namespace mcpleak::analysis
