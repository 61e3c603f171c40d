// make_footprint_probe for Linux: the "proc_status" probe. footprint = RssAnon + VmSwap
// from /proc/PID/status; smaps_rollup and the fd count are extras that may be absent.
// It reads everything at once (mcpleak probe, attach checks); the sampler's ticks go
// through tree_reader_linux.cpp, which spreads the costly reads out.
#include <cstdio>
#include <string>

#include "probes/pid_read_linux.h"
#include "probes/probe.h"
#include "probes/proc_read_linux.h"

namespace mcpleak {
namespace {

class ProcStatusProbe final : public Probe {
 public:
  std::string_view name() const override { return "proc_status"; }

  Result<PidSample> sample(pid_t pid) override {
    std::snprintf(path_, sizeof path_, "/proc/%d/status", static_cast<int>(pid));
    if (auto read = read_proc_file(path_, buf_); !read) return std::move(read.error());
    auto out = pid_sample_from_status(pid, buf_, path_);
    if (!out) return out;
    // Either may be refused (ptrace access mode) or race an exit; the verdict metric stands.
    add_smaps_rollup(*out, buf_);
    add_fd_count(*out);
    return out;
  }

 private:
  char path_[64] = {};
  std::string buf_;  // reused across calls: no allocation per sample once grown
};

}  // namespace

std::unique_ptr<Probe> make_footprint_probe() { return std::make_unique<ProcStatusProbe>(); }

}  // namespace mcpleak
