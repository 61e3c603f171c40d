// The counters a diagnostics tool (axref's Diagnostics) reports: its text result is a
// JSON object of numbers, e.g. {"observers": 2, "retained_elements": 0}.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace mcpleak {

// Every numeric member of every text content item that parses as a JSON object; other
// content is skipped. Empty when there is none.
std::map<std::string, double> parse_diagnostics_counters(const nlohmann::json& tool_result);

}  // namespace mcpleak
