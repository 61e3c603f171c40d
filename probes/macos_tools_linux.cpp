// The macOS memory tools off macOS: each call says so; callers compile everywhere.
#include "probes/macos_tools.h"

#include <string>

namespace mcpleak {

Result<FootprintReport> run_footprint(pid_t pid) {
  return Error(Errc::io, "footprint(1) runs only on macOS").with("pid " + std::to_string(pid));
}

Result<VmmapSummary> run_vmmap_summary(pid_t pid) {
  return Error(Errc::io, "vmmap(1) runs only on macOS").with("pid " + std::to_string(pid));
}

Result<std::string> run_vmmap_summary_text(pid_t pid) {
  return Error(Errc::io, "vmmap(1) runs only on macOS").with("pid " + std::to_string(pid));
}

Result<std::string> run_footprint_text(const std::vector<pid_t>& /*pids*/) {
  return Error(Errc::io, "footprint(1) runs only on macOS");
}

Result<std::string> run_sample(pid_t pid, int /*seconds*/) {
  return Error(Errc::io, "sample(1) runs only on macOS").with("pid " + std::to_string(pid));
}

Result<HeapReport> run_heap(pid_t pid) {
  return Error(Errc::io, "heap(1) runs only on macOS").with("pid " + std::to_string(pid));
}

Result<std::string> run_malloc_history_call_tree(pid_t pid) {
  return Error(Errc::io, "malloc_history(1) runs only on macOS").with("pid " + std::to_string(pid));
}

Result<std::string> run_leaks(pid_t pid) {
  return Error(Errc::io, "leaks(1) runs only on macOS").with("pid " + std::to_string(pid));
}

}  // namespace mcpleak
