#include "harness/runner/diagnostics_counters.h"

#include "harness/mcp/json_members.h"

namespace mcpleak {

std::map<std::string, double> parse_diagnostics_counters(const nlohmann::json& result) {
  std::map<std::string, double> out;
  const auto content = result.find("content");
  if (content == result.end() || !content->is_array()) return out;
  for (const auto& item : *content) {
    if (string_member(item, "type") != "text") continue;
    const auto j = nlohmann::json::parse(string_member(item, "text"), nullptr, false);
    if (!j.is_object()) continue;
    for (const auto& [k, v] : j.items()) {
      if (v.is_number()) out[k] = v.get<double>();
    }
  }
  return out;
}

}  // namespace mcpleak
