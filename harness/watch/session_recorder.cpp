#include "harness/watch/session_recorder.h"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace mcpleak {
namespace {

using nlohmann::json;

bool matches_any(const std::string& key, const std::vector<std::string>& patterns) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return fnmatch(p.c_str(), key.c_str(), FNM_CASEFOLD) == 0; });
}

// A variable name from a key: letters, digits and '_' kept, the rest '_'; unique in vars.
std::string variable_for(const std::string& key, const json& vars) {
  std::string base;
  for (char c : key) base += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  if (base.empty()) base = "value";
  std::string name = base;
  for (int n = 2; vars.contains(name); ++n) name = base + "_" + std::to_string(n);
  return name;
}

// Scenario strings substitute ${NAME}: a recorded "${" must stay literal.
json escape_variables(const json& value) {
  if (value.is_string()) {
    std::string text = value.get<std::string>(), out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text.compare(i, 2, "${") == 0) out += '$';
      out += text[i];
    }
    return out;
  }
  if (value.is_object() || value.is_array()) {
    json out = value;
    for (auto& v : out) v = escape_variables(v);
    return out;
  }
  return value;
}

json redact(const json& value, const std::vector<std::string>& patterns, json& vars) {
  if (value.is_object()) {
    json out = json::object();
    for (const auto& [k, v] : value.items()) {
      if (matches_any(k, patterns)) {
        const std::string name = variable_for(k, vars);
        vars[name] = "REDACTED";
        out[k] = "${" + name + "}";
      } else {
        out[k] = redact(v, patterns, vars);
      }
    }
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const auto& v : value) out.push_back(redact(v, patterns, vars));
    return out;
  }
  return escape_variables(value);
}

double rounded_ms(double s) { return std::max(0.0, static_cast<double>(static_cast<long long>(s * 1000 + 0.5)) / 1000); }

}  // namespace

json redact_arguments(const json& args, const std::vector<std::string>& patterns, json& vars) {
  return redact(args, patterns, vars);
}

json recorded_scenario(const std::vector<ObservedToolCall>& calls, const RecordingInfo& info) {
  json vars = json::object();
  json steps = json::array();
  double previous = calls.empty() ? 0 : calls.front().t_s;
  for (const auto& call : calls) {
    steps.push_back({{"tool", call.tool},
                     {"args", redact(call.args.is_object() ? call.args : json::object(), info.redact, vars)},
                     {"after", rounded_ms(call.t_s - previous)}});
    previous = call.t_s;
  }
  const double span = calls.empty() ? 0 : calls.back().t_s - calls.front().t_s;
  char what[200];
  std::snprintf(what, sizeof what, "%zu tool call%s over %.0f s", calls.size(), calls.size() == 1 ? "" : "s", span);
  json doc = {{"name", info.name},
              {"description", "Recorded by mcpleak watch at " + info.recorded_at + " from a session with " +
                                  info.server + ": " + what +
                                  ", replayed in order at the recorded pace (--rate N: at N calls/s), looped for "
                                  "the run's duration, then idle."}};
  doc["recorded"] = {{"by", "mcpleak watch"}, {"at", info.recorded_at}, {"server", info.server},
                     {"tool_calls", calls.size()}, {"span_s", rounded_ms(span)}};
  if (!info.redact.empty()) doc["recorded"]["redacted_keys"] = info.redact;
  if (info.client) doc["client"] = client_identity_json(*info.client);
  if (!vars.empty()) doc["vars"] = vars;
  json phases = json::array();
  if (calls.empty()) {
    doc["description"] = "Recorded by mcpleak watch at " + info.recorded_at + " from a session with " + info.server +
                         ": the client made no tool call, so a replay only measures the server idle.";
    phases.push_back({{"name", "idle"}, {"idle", true}});
  } else {
    // The first step waits as long as the loop's last call took to come round again: one
    // typical recorded gap (the median), so the loop keeps the session's rhythm.
    std::vector<double> gaps;
    for (std::size_t i = 1; i < steps.size(); ++i) gaps.push_back(steps[i]["after"].get<double>());
    std::sort(gaps.begin(), gaps.end());
    steps[0]["after"] = gaps.empty() ? 0.0 : gaps[gaps.size() / 2];
    phases.push_back({{"name", "recorded"}, {"pace", "recorded"}, {"steps", std::move(steps)}});
    phases.push_back({{"name", "idle"}, {"idle", true}, {"share", 0.15}});
  }
  doc["phases"] = std::move(phases);
  return doc;
}

}  // namespace mcpleak
