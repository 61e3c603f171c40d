#include "harness/runner/diagnostics_counters.h"

namespace mcpleak {

std::map<std::string, double> parse_diagnostics_counters(const nlohmann::json& result) {
  std::map<std::string, double> out;
  const auto content = result.find("content");
  if (content == result.end() || !content->is_array()) return out;
  for (const auto& item : *content) {
    if (!item.is_object() || item.value("type", "") != "text") continue;
    const auto j = nlohmann::json::parse(item.value("text", ""), nullptr, false);
    if (!j.is_object()) continue;
    for (const auto& [k, v] : j.items()) {
      if (v.is_number()) out[k] = v.get<double>();
    }
  }
  return out;
}

}  // namespace mcpleak
