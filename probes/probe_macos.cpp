// make_footprint_probe for macOS: the "libproc_rusage" probe (libproc_read_macos.h). It
// reads everything at once (mcpleak probe, attach checks); the sampler's ticks go through
// tree_reader_macos.cpp, which lists fds only when they are due.
#include <string>
#include <vector>

#include "probes/libproc_read_macos.h"
#include "probes/probe.h"

namespace mcpleak {
namespace {

class LibprocProbe final : public Probe {
 public:
  std::string_view name() const override { return "libproc_rusage"; }

  Result<PidSample> sample(pid_t pid) override {
    auto out = read_libproc_basics(pid);
    if (!out) return out;
    if (const auto fds = libproc_fd_count(pid, fd_buf_)) out->fds = *fds;
    return out;
  }

 private:
  std::vector<proc_fdinfo> fd_buf_;  // reused across calls
};

}  // namespace

std::unique_ptr<Probe> make_footprint_probe() { return std::make_unique<LibprocProbe>(); }

}  // namespace mcpleak
