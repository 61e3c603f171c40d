// The attribution run beside a verdict run: DIR/attribution/ (run.json, calls.jsonl,
// checkpoints.jsonl), read back into "where it grows" for DIR's report.
#pragma once

#include <optional>
#include <string>

#include "harness/model/report.h"

namespace mcpleak {

inline constexpr const char* kAttributionSubdir = "attribution";

// Empty when DIR has no attribution run; the findings (status "unavailable" with why,
// when the run could not attribute) otherwise. `verdict` is DIR's own report.
std::optional<WhereItGrows> load_where_it_grows(const std::string& dir, const Report& verdict);

}  // namespace mcpleak
