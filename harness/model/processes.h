// Which process of the server's tree grows: the footprint of each process over the run,
// for report.json `processes`. Plain values.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "harness/model/interval.h"

namespace mcpleak {

// One process that lived long enough in the judged window for a slope of its own.
struct ProcessGrowth {
  std::string name;                    // comm / proc_name; may be empty
  pid_t pid = 0;
  pid_t parent = 0;
  std::string role;                    // "leader" (started by mcpleak), "child" (of the leader), "descendant"
  double first_seen_s = 0;
  double last_seen_s = 0;
  bool alive_at_end = false;           // in the run's last sample
  std::uint64_t start_bytes = 0;       // footprint when first seen
  std::uint64_t end_bytes = 0;         // footprint when last seen
  std::uint64_t peak_bytes = 0;
  double bytes_per_min = 0;            // Theil–Sen slope over the judged window, as the tree's
  Interval ci95_bytes_per_min;
  // bytes_per_min / the tree's bytes_per_min, when the tree grows at all.
  std::optional<double> share_of_growth;
};

// Processes too short-lived in the judged window for a slope (helpers that come and go),
// grouped by name.
struct TransientProcesses {
  std::string name;
  std::uint64_t count = 0;             // distinct pids
  std::uint64_t peak_bytes = 0;        // the largest footprint any of them reached
};

}  // namespace mcpleak
