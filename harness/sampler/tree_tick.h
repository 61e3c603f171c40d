// TreeTick: what one sampler tick reads. Each root's tree through its TreeReader, merged
// (a pid in two attached trees counts once), with the fd count and smaps_rollup added
// when the Cadence says they are due. No thread, no file, no clock of its own beyond
// timing the costly reads: Sampler runs it on its thread, bench_probe in a loop.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "harness/model/sample.h"
#include "harness/result.h"
#include "harness/sampler/cadence.h"
#include "probes/tree_reader.h"

namespace mcpleak {

class TreeTick {
 public:
  TreeTick(std::vector<pid_t> roots, std::chrono::milliseconds period, CadenceOptions options = {});

  // The next tick. complete: every source is read now, due or not (the last sample of a
  // run, which the report compares with the first; the first is complete anyway).
  // Errc::io when a root can no longer be read; gone_root() then says which.
  Result<TreeSample> take(bool complete = false);

  pid_t gone_root() const { return gone_root_; }
  std::uint64_t ticks() const { return tick_; }
  const Cadence& cadence() const { return cadence_; }

 private:
  std::vector<pid_t> roots_;
  std::vector<std::unique_ptr<TreeReader>> readers_;
  Cadence cadence_;
  std::uint64_t tick_ = 0;
  pid_t gone_root_ = 0;
};

}  // namespace mcpleak
