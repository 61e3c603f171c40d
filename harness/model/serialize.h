// JSON (de)serialisation of the model types: one Sample or CallRecord per jsonl line,
// RunInfo as run.json. The only place that knows these field names on the read side.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "harness/model/report.h"
#include "harness/model/sample.h"
#include "harness/result.h"

namespace mcpleak {

nlohmann::json to_json_value(const PidSample& s);
nlohmann::json to_json_value(const Sample& s);
nlohmann::json to_json_value(const CallRecord& c);
nlohmann::json to_json_value(const RunInfo& r);
// attribution/heap-diff.PID.json, and report.json's where_it_grows.heap_diffs entries.
nlohmann::json to_json_value(const HeapSnapshotDiff& d);

// Errc::parse with the missing or mistyped field named, e.g. "t_s: expected a number".
Result<Sample> sample_from_json(std::string_view line);
Result<CallRecord> call_from_json(std::string_view line);
Result<RunInfo> run_info_from_json(std::string_view text);
Result<HeapSnapshotDiff> heap_diff_from_json(std::string_view text);

}  // namespace mcpleak
