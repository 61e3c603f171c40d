#include "harness/runner/attributed_run.h"

#include <cstdio>
#include <filesystem>

#include "harness/process/stop_signal.h"
#include "harness/runner/attribution_dir.h"
#include "harness/runner/run_dir.h"

namespace mcpleak {

Result<Report> run_with_attribution(const RunOptions& verdict_run, const AttributionOptions& attribution) {
  auto verdict = run_scenario(verdict_run);
  if (!verdict || verdict->run.interrupted || stop_requested()) return verdict;
  if (verdict->verdict == Verdict::server_failed) {
    std::fprintf(stderr, "attribution: skipped, the server failed in the verdict run\n");
    return verdict;
  }
  RunOptions instrumented = verdict_run;
  instrumented.out_dir = (std::filesystem::path(verdict_run.out_dir) / kAttributionSubdir).string();
  instrumented.attribution = attribution;
  instrumented.early_stop = false;  // it ends when its checkpoints are taken
  instrumented.capture_stacks = false;
  instrumented.label = verdict_run.label.empty() ? "attribution" : verdict_run.label + " attribution";
  if (instrumented.progress != ProgressPrinter::Mode::quiet) {
    const std::string what = attribution.mode == AttributeMode::native
                                 ? std::string("heaptrack")
                                 : std::string(attribute_mode_name(attribution.mode)) + " hooks";
    std::fprintf(stderr, "attribution run (%s, a checkpoint every %llu calls, %d checkpoints) in %s\n", what.c_str(), static_cast<unsigned long long>(attribution.every_calls),
                 attribution.checkpoints, instrumented.out_dir.c_str());
  }
  if (auto second = run_scenario(instrumented); !second) {
    std::fprintf(stderr, "attribution run: %s\n", second.error().describe().c_str());
  }
  return analyse_and_write_reports(verdict_run.out_dir);
}

}  // namespace mcpleak
