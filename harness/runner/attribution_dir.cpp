#include "harness/runner/attribution_dir.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "harness/analysis/live_heap.h"
#include "harness/analysis/quantiles.h"
#include "harness/analysis/where_it_grows.h"
#include "harness/model/serialize.h"
#include "harness/runner/run_dir.h"
#include "probes/heap_checkpoint_parse.h"

namespace mcpleak {

std::optional<WhereItGrows> load_where_it_grows(const std::string& dir, const Report& verdict) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(dir) / kAttributionSubdir;
  if (!fs::exists(root / "run.json")) return std::nullopt;
  analysis::AttributionRun run;
  std::vector<HeapCheckpoint> checkpoints;
  std::size_t bad = 0;
  RunInfo instrumented;
  if (auto data = load_run_dir(root.string())) {
    instrumented = data->run;
    run.mode = data->run.instrumented;
    run.every_calls = data->run.attribute_every_calls;
    run.checkpoints_planned = data->run.attribute_checkpoints;
    for (const auto& w : data->run.warnings) {
      if (w.rfind("attribution: ", 0) == 0) run.notes.push_back(w.substr(13));
    }
    run.server_failed = data->run.server_failure.has_value();
    run.server_failure = data->run.server_failure.value_or("");
    std::vector<double> latencies;
    for (const auto& c : data->calls) {
      if (c.ok && c.kind == CallKind::scenario) latencies.push_back(c.latency_ms);
    }
    if (!latencies.empty()) run.p50_ms = analysis::median(std::move(latencies));
  }
  std::ifstream in(root / "checkpoints.jsonl");
  for (std::string line; std::getline(in, line);) {
    if (auto c = parse_heap_checkpoint(line)) {
      checkpoints.push_back(std::move(*c));
    } else if (!line.empty()) {
      ++bad;
    }
  }
  WhereItGrows found = analysis::where_it_grows(checkpoints, run, verdict);
  // The live-heap series, per process, judged like the footprint.
  std::map<pid_t, std::vector<LiveHeapPoint>> live;
  std::ifstream live_in(root / "live_heap.jsonl");
  for (std::string line; std::getline(live_in, line);) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("pid") || !j.contains("t_s") || !j.contains("bytes")) continue;
    try {
      live[j["pid"].get<pid_t>()].push_back(
          {j["pid"].get<pid_t>(), j["t_s"].get<double>(), j.value("calls", std::uint64_t{0}), j["bytes"].get<std::uint64_t>()});
    } catch (const nlohmann::json::exception&) {
      ++bad;
    }
  }
  for (auto& p : found.processes) {
    if (auto it = live.find(p.pid); it != live.end()) p.live_heap = analysis::live_heap_verdict(it->second, instrumented);
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("heap-diff.", 0) != 0 || entry.path().extension() != ".json") continue;
    std::ifstream diff_in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(diff_in)), std::istreambuf_iterator<char>());
    if (auto diff = heap_diff_from_json(text)) {
      found.heap_diffs.push_back(std::move(*diff));
    } else {
      found.limits.push_back(name + " unreadable: " + diff.error().message);
    }
  }
  std::sort(found.heap_diffs.begin(), found.heap_diffs.end(),
            [](const auto& a, const auto& b) { return a.pid < b.pid; });
  if (!found.heap_diffs.empty()) {
    found.limits.push_back("the heap snapshots in " + std::string(kAttributionSubdir) +
                           "/ hold the server's heap as it was, tokens and other secrets included: keep them "
                           "private (do not upload the run folder as a public artifact)");
  }
  found.run_dir = kAttributionSubdir;
  if (found.status != "ok" && !run.notes.empty()) found.why += "; " + run.notes.front();
  if (bad > 0) found.limits.push_back(std::to_string(bad) + " unreadable checkpoints.jsonl or live_heap.jsonl lines skipped");
  return found;
}

}  // namespace mcpleak
